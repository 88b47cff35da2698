"""The spontaneous-speech regression set: a real, unscripted spoken exchange with a reference transcript made by
people, that the accuracy benchmark reads from a cache (it never goes to the network).

Source: one recording of the simulated patient-physician interview dataset of Fareez et al. (2022), "A dataset
of simulated patient-physician medical interviews with a focus on respiratory cases", Scientific Data 9, 313
(figshare doi 10.6084/m9.figshare.c.5545842), CC BY 4.0: case CAR0004, 7.5 minutes, a doctor and a patient
(acting from a case card, not from a script), 16 kHz mono; its transcript was transcribed and corrected by
people and keeps repetitions ("when did this, when did this pain start?") and discourse words ("like", "you
know"), but not every "um"/"uh" (it has 8 in 905 words), so the set gives WER, and no filler truth.
The audio sits in the public repository ulyanapolonskaya/edu-ai-challenge-2025 (`task_11/CAR0004.mp3`) and the
transcript in ovaisq/LLM-MedBillingForecast (`MedData/Clean Transcripts/CAR0004.txt`); neither repository's
own code is used or copied here. The speaker labels (D:, P:) are taken out of the reference.

Build the cache once (snapshots of both repositories' git directories must be on this machine):
    python benchmarks/spontaneous_speech.py --audio-git DIR --transcript-git DIR [--out DIR]
The default cache is $VOICE_INTERVIEWER_SPONTANEOUS_SPEECH, else ../shared/eval/audio_spontaneous; accuracy.py
runs it when it is there.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE_ENV = "VOICE_INTERVIEWER_SPONTANEOUS_SPEECH"
AUDIO_REPO, AUDIO_PATH = "ulyanapolonskaya/edu-ai-challenge-2025", "task_11/CAR0004.mp3"
TRANSCRIPT_REPO, TRANSCRIPT_PATH = "ovaisq/LLM-MedBillingForecast", "MedData/Clean Transcripts/CAR0004.txt"
LICENCE = ("CC BY 4.0: Fareez et al. (2022), simulated patient-physician medical interviews, "
           "doi 10.6084/m9.figshare.c.5545842")
SPEAKER_LABEL = re.compile(r"^\s*[A-Z]:\s*")
SAMPLE_RATE = 16_000


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else ROOT.parent / "shared" / "eval" / "audio_spontaneous"


def reference(transcript: str) -> str:
    """The turns' words in order, without the speaker labels."""
    return " ".join(SPEAKER_LABEL.sub("", line).strip() for line in transcript.splitlines() if line.strip())


def build(audio_git: Path, transcript_git: Path, out: Path) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    import soundfile as sf

    from benchmarks.real_speech import git_show
    from voice_interviewer.audio import load_audio

    out.mkdir(parents=True, exist_ok=True)
    tmp = out / ".source.mp3"
    tmp.write_bytes(git_show(audio_git, AUDIO_PATH))
    audio = load_audio(tmp)
    tmp.unlink()
    sf.write(str(out / "osce-car0004.flac"), audio, SAMPLE_RATE, subtype="PCM_16")
    text = reference(git_show(transcript_git, TRANSCRIPT_PATH).decode("utf-8"))
    manifest = [{
        "id": "osce-car0004", "file": "osce-car0004.flac",
        # said as transcribed: the reference keeps "like" and repetitions, so `analyze` is held to its verbatim
        # transcript (fillers in) as well as its clean one
        "reference_text": text, "spoken_text": text, "fillers_transcribed": False,
        "speakers": 2, "duration_s": round(audio.size / SAMPLE_RATE, 2),
        "source": f"github:{AUDIO_REPO}:{AUDIO_PATH} + github:{TRANSCRIPT_REPO}:{TRANSCRIPT_PATH}",
        "licence": LICENCE,
    }]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    (out / "README.md").write_text(
        "Spontaneous-speech regression set built by voice_interviewer's benchmarks/spontaneous_speech.py: "
        f"{manifest[0]['source']}. {LICENCE}.\n")
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--audio-git", required=True, type=Path, help=f"a git directory holding {AUDIO_REPO}")
    ap.add_argument("--transcript-git", required=True, type=Path, help=f"a git directory holding {TRANSCRIPT_REPO}")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or cache_dir()
    manifest = build(args.audio_git, args.transcript_git, out)
    print(f"{len(manifest)} recording, {sum(m['duration_s'] for m in manifest) / 60:.1f} min, "
          f"{sum(len(m['reference_text'].split()) for m in manifest)} words -> {out}")


if __name__ == "__main__":
    main()
