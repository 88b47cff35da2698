"""The real-speech regression set: recordings of real people with human reference transcripts, that the
accuracy benchmark reads from a cache (it never goes to the network).

Source: 100 clips of Mozilla Common Voice English v6.1 (CC0 1.0: public domain dedication), 99 speakers,
accents us 48, england 19, indian 17, australia 4, canada 3, other 9; their reference sentences are Common
Voice's validated transcripts. They sit in the public repository rigved/rit-engl-682-spring-2021-project
(`data/*.wav`, `validated.csv`; the repository's own code is AGPL and none of it is used or copied here).
This is read speech on people's own microphones and rooms, not spontaneous talk: the public spontaneous sets
that were looked for (CORAAL's snippets, AMI, TED-LIUM, Earnings-21) are not reachable from here in a size
that can be fetched (see the README).

The clips are joined into "answers" of about a minute (clips in file-name order, 0.4-1.4 s of silence
between them, as between sentences), so the windowing, the re-reading of speech left without words and
the pace are exercised as on an answer; reference = the clips' sentences in order.

Build the cache once (a snapshot of that repository's git directory must be on this machine, e.g. from a
mirror):
    python benchmarks/real_speech.py --from-git DIR_OF_THE_GIT_SNAPSHOT [--out DIR]
The default cache is $VOICE_INTERVIEWER_REAL_SPEECH, else ../shared/eval/audio_real. A CI machine has
no network at run time, so it runs the benchmark on the cache that ../shared carries, or skips the set
when the cache is absent (accuracy.py lists only sets it finds).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE_ENV = "VOICE_INTERVIEWER_REAL_SPEECH"
SOURCE_REPO = "rigved/rit-engl-682-spring-2021-project"
ANSWER_S = 55.0  # join clips until an answer is this long
GAPS_S = (0.6, 1.1, 0.4, 1.4, 0.8)  # silence between clips, in turn
LEAD_S, TAIL_S = 0.8, 1.5
SAMPLE_RATE = 16_000
LICENCE = "CC0-1.0 (Mozilla Common Voice English v6.1)"


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else ROOT.parent / "shared" / "eval" / "audio_real"


def git_show(git_dir: Path, path: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"HEAD:{path}"], check=True,
                          capture_output=True).stdout


def build(git_dir: Path, out: Path) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    import soundfile as sf

    from voice_interviewer.audio import load_audio

    rows = sorted(csv.DictReader(io.StringIO(git_show(git_dir, "validated.csv").decode("utf-8"))),
                  key=lambda r: r["path"])
    out.mkdir(parents=True, exist_ok=True)
    manifest, parts, texts, clips, k = [], [], [], [], 0
    tmp = out / ".clip.wav"

    def flush():
        nonlocal parts, texts, clips
        if not parts:
            return
        answer_id = f"cv{len(manifest) + 1:02d}"
        audio = np.concatenate([np.zeros(int(LEAD_S * SAMPLE_RATE), np.float32)] + parts
                               + [np.zeros(int(TAIL_S * SAMPLE_RATE), np.float32)])
        sf.write(str(out / f"{answer_id}.flac"), audio, SAMPLE_RATE, subtype="PCM_16")
        manifest.append({"id": answer_id, "file": f"{answer_id}.flac", "reference_text": " ".join(texts),
                         "clips": clips, "duration_s": round(audio.size / SAMPLE_RATE, 2),
                         "source": f"github:{SOURCE_REPO}", "licence": LICENCE})
        parts, texts, clips = [], [], []

    for row in rows:
        tmp.write_bytes(git_show(git_dir, f"data/{row['path']}"))
        x = load_audio(tmp)
        if parts:
            parts.append(np.zeros(int(GAPS_S[k % len(GAPS_S)] * SAMPLE_RATE), np.float32))
            k += 1
        parts.append(x)
        texts.append(row["sentence"].strip())
        clips.append({"path": row["path"], "accent": row["accent"], "gender": row["gender"], "age": row["age"]})
        if sum(p.size for p in parts) / SAMPLE_RATE >= ANSWER_S:
            flush()
    flush()
    tmp.unlink(missing_ok=True)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    (out / "README.md").write_text(
        f"Real-speech regression set built by voice_interviewer's benchmarks/real_speech.py from github:{SOURCE_REPO}"
        f" (data/*.wav and validated.csv): {sum(len(m['clips']) for m in manifest)} Mozilla Common Voice English "
        f"v6.1 clips, {LICENCE}, joined into {len(manifest)} answers of about a minute.\n")
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from-git", required=True, type=Path, help=f"a git directory holding {SOURCE_REPO}")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or cache_dir()
    manifest = build(args.from_git, out)
    total = sum(m["duration_s"] for m in manifest)
    print(f"{len(manifest)} answers, {total / 60:.1f} min -> {out}")


if __name__ == "__main__":
    main()
