"""A fourth voice family: answers spoken by Festival's voices, with exact filler and pause times.

Festival's voices make speech in ways the other sets' do not: cmu_us_slt_arctic_hts is an HTS voice (a hidden
Markov model's parameters through an MLSA vocoder; flite's slt is the same CMU ARCTIC speaker through clustergen's),
ked_diphone a US male LPC diphone voice that no other set has. (Festival's kal_diphone is left out of this set: its
diphones are those of flite's kal16, which the hesitation detector has learnt from.) This set speaks the same 40
written answers of answers_dev2 as audio_dev_piper and the flite set, one voice per answer in turn, the speaking rate
varied (0.95-1.3 times the voice's own length: Duration_Stretch for the diphone voice, hts_engine's speed for the HTS
voice). How the answers are spoken (fillers inserted, exact filler and pause times) is benchmarks/voice_set.py's.
The hesitation detector has not learnt from any Festival voice (training/train_hesitation.py), so this set is its
figure for a family it never heard.

    python benchmarks/festival_set.py [--answers ../shared/eval/answers_dev2.jsonl] [--out DIR] [--seed 11]

Needs sox and Festival with its voices (Debian `festival`, `festvox-us-slt-hts`, `festvox-kdlpc16k`). The default
output is $VOICE_INTERVIEWER_FESTIVAL_SET, else ../shared/eval/audio_dev_festival; benchmarks/accuracy.py runs it
when it is there.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import voice_set

CACHE_ENV = "VOICE_INTERVIEWER_FESTIVAL_SET"
VOICES = ("cmu_us_slt_arctic_hts", "ked_diphone")
DEBIAN_PACKAGES = {"cmu_us_slt_arctic_hts": "festvox-us-slt-hts", "ked_diphone": "festvox-kdlpc16k"}
STRETCHES = (0.95, 1.05, 1.15, 1.3, 1.0)


def cache_dir() -> Path:
    return voice_set.cache_dir(CACHE_ENV, "audio_dev_festival")


def rate(voice: str, stretch: float) -> str:
    """Festival's Scheme that sets the speaking rate: an HTS voice ignores Duration_Stretch and takes a speed."""
    if voice.endswith("_hts"):
        return f"(set! hts_engine_params (append hts_engine_params '((\"-r\" {1 / stretch:.4f}))))"
    return f"(Parameter.set 'Duration_Stretch {stretch})"


def synth(voice: str, text: str, stretch: float, path: Path) -> None:
    subprocess.run(["text2wave", "-eval", f"(voice_{voice})", "-eval", rate(voice, stretch), "-o", str(path)],
                   input=text, text=True, check=True, capture_output=True)
    if not path.is_file():  # text2wave exits 0 without a file when the voice is not installed
        raise SystemExit(f"festival_set.py: Festival has no voice {voice} (Debian: apt-get install "
                         f"{DEBIAN_PACKAGES.get(voice, 'its festvox package')})")


if __name__ == "__main__":
    voice_set.main(__doc__.splitlines()[0], "festival", VOICES, STRETCHES, synth, cache_dir())
