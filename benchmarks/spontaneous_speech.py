"""The spontaneous-speech regression set: real, unscripted spoken exchanges with reference transcripts made by
people, that the accuracy benchmark reads from a cache (it never goes to the network).

Source: twelve recordings of the simulated patient-physician interview dataset of Fareez et al. (2022), "A
dataset of simulated patient-physician medical interviews with a focus on respiratory cases", Scientific Data 9,
313 (figshare doi 10.6084/m9.figshare.c.5545842), CC BY 4.0: 1 h 53 min in all, each a doctor and a patient
(acting from a case card, not from a script; cardiac, gastrointestinal and musculoskeletal cases), 16 kHz mono.
Its transcripts were made by speech recognition and corrected by people; they keep repetitions ("when did this,
when did this pain start?") and discourse words ("like", "you know"), and some of the "um"s and "uh"s (from 1
to 80 a recording), so the set gives WER, and no filler truth.
The audio sits in the public repository Umanagendra-M/scribex (`data/captured_audio/<ID>.mp3`; the one recording
used before, CAR0004, is the same file as ulyanapolonskaya/edu-ai-challenge-2025's `task_11/CAR0004.mp3`) and the
transcripts in ovaisq/LLM-MedBillingForecast (`MedData/Clean Transcripts/<ID>.txt`); neither repository's own
code is used or copied here. The speaker labels (D:, P:) are taken out of the reference.

Build the cache once (snapshots of both repositories' git directories must be on this machine):
    python benchmarks/spontaneous_speech.py --audio-git DIR --transcript-git DIR [--out DIR] [--only ID,ID]
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
AUDIO_REPO, AUDIO_PATH = "Umanagendra-M/scribex", "data/captured_audio/{id}.mp3"
TRANSCRIPT_REPO, TRANSCRIPT_PATH = "ovaisq/LLM-MedBillingForecast", "MedData/Clean Transcripts/{id}.txt"
# every recording whose audio the public repository holds (its other eight are too large for its snapshot)
RECORDINGS = ("CAR0001", "CAR0002", "CAR0003", "CAR0004", "CAR0005", "GAS0001", "GAS0002", "GAS0003", "GAS0004",
              "GAS0007", "MSK0001", "MSK0004")
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


def build(audio_git: Path, transcript_git: Path, out: Path, ids: tuple[str, ...] = RECORDINGS) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    import soundfile as sf

    from benchmarks.real_speech import git_show
    from voice_interviewer.audio import load_audio

    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for rec in ids:
        name = f"osce-{rec.lower()}"
        tmp = out / ".source.mp3"
        tmp.write_bytes(git_show(audio_git, AUDIO_PATH.format(id=rec)))
        audio = load_audio(tmp)
        tmp.unlink()
        sf.write(str(out / f"{name}.flac"), audio, SAMPLE_RATE, subtype="PCM_16")
        text = reference(git_show(transcript_git, TRANSCRIPT_PATH.format(id=rec)).decode("utf-8"))
        manifest.append({
            "id": name, "file": f"{name}.flac",
            # said as transcribed: the reference keeps "like" and repetitions, so `analyze` is held to its verbatim
            # transcript (fillers in) as well as its clean one
            "reference_text": text, "spoken_text": text, "fillers_transcribed": False,
            "speakers": 2, "duration_s": round(audio.size / SAMPLE_RATE, 2),
            "source": (f"github:{AUDIO_REPO}:{AUDIO_PATH.format(id=rec)} + "
                       f"github:{TRANSCRIPT_REPO}:{TRANSCRIPT_PATH.format(id=rec)}"),
            "licence": LICENCE,
        })
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    (out / "README.md").write_text(
        "Spontaneous-speech regression set built by voice_interviewer's benchmarks/spontaneous_speech.py from "
        f"github:{AUDIO_REPO} and github:{TRANSCRIPT_REPO}: {', '.join(ids)}. {LICENCE}.\n")
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--audio-git", required=True, type=Path, help=f"a git directory holding {AUDIO_REPO}")
    ap.add_argument("--transcript-git", required=True, type=Path, help=f"a git directory holding {TRANSCRIPT_REPO}")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--only", default=",".join(RECORDINGS), help="the recordings to take, comma-separated")
    args = ap.parse_args()
    out = args.out or cache_dir()
    manifest = build(args.audio_git, args.transcript_git, out, tuple(args.only.split(",")))
    print(f"{len(manifest)} recordings, {sum(m['duration_s'] for m in manifest) / 60:.1f} min, "
          f"{sum(len(m['reference_text'].split()) for m in manifest)} words -> {out}")


if __name__ == "__main__":
    main()
