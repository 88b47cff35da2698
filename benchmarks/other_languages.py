"""Does "did not sound like English" fire on speech in another language, and only there?

tiny.en is English-only: it cannot name the language it hears, so the warning rests on what an English-only
model does with speech it cannot follow (its two readings guess different words, or loop). This speaks the same
two-sentence answer in six languages (espeak-ng's French, Spanish, Italian, Polish, Dutch and Portuguese
voices), whole and its first sentence alone, each between two copies of the JFK clip (real English), and
reports for each passage whether `analyze` warned over it, and whether it warned anywhere in the English. The
English sets' false warnings are counted by accuracy.py ("'not English' N").

    python benchmarks/other_languages.py

Needs espeak-ng (with its language data, as Debian ships it). Nothing here is used for tuning: the rule's
constants (analysis.READINGS_SHARE_UNDER, FOREIGN_MIN_S) are set from what the readings do, and this reports how
far that carries.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voice_interviewer.analysis import NOT_ENGLISH, analyze_samples  # noqa: E402
from voice_interviewer.audio import load_audio  # noqa: E402
from voice_interviewer.config import SAMPLE_RATE  # noqa: E402
from voice_interviewer.speech import render, resample  # noqa: E402
from voice_interviewer.transcribe import load_engine  # noqa: E402

# "Last year I handed in an important project late because I had underestimated the work. Since then I plan
# every task with the team and check the schedule every week."
ANSWERS = {
    "fr": "L'année dernière, j'ai rendu un projet important en retard parce que j'avais sous-estimé le travail. "
          "Depuis, je planifie chaque tâche avec l'équipe et je vérifie le calendrier chaque semaine.",
    "es": "El año pasado entregué tarde un proyecto importante porque subestimé el trabajo. "
          "Desde entonces planifico cada tarea con el equipo y reviso el calendario cada semana.",
    "it": "L'anno scorso ho consegnato in ritardo un progetto importante perché avevo sottovalutato il lavoro. "
          "Da allora pianifico ogni compito con il team e controllo il calendario ogni settimana.",
    "pl": "W zeszłym roku oddałem ważny projekt za późno, bo nie doceniłem pracy. "
          "Od tego czasu planuję każde zadanie z zespołem i co tydzień sprawdzam harmonogram.",
    "nl": "Vorig jaar heb ik een belangrijk project te laat ingeleverd, omdat ik het werk had onderschat. "
          "Sindsdien plan ik elke taak met het team en controleer ik elke week de planning.",
    "pt": "No ano passado entreguei um projeto importante com atraso porque subestimei o trabalho. "
          "Desde então planejo cada tarefa com a equipe e verifico o cronograma toda semana.",
}
GAP_S = 0.5
RATE_WPM = 150
WARNED_RANGE = re.compile(r"^(\d+)-(\d+) s " + re.escape(NOT_ENGLISH))


def spoken(text: str, language: str) -> np.ndarray:
    audio = render(text, language, RATE_WPM)
    return audio.samples if audio.rate == SAMPLE_RATE else resample(audio.samples, audio.rate, SAMPLE_RATE)


def main() -> None:
    engine = load_engine()
    english = load_audio(ROOT / "tests" / "data" / "jfk.flac")
    gap = np.zeros(int(GAP_S * SAMPLE_RATE), np.float32)
    warned_there = warned_in_english = passages = 0
    print(f"{'passage':10} {'seconds':>7}  warned over it  warned in the English   warnings")
    for language, text in ANSWERS.items():
        for name, part in (("whole", text), ("sentence", text.split(". ")[0] + ".")):
            other = spoken(part, language)
            lo = (english.size + gap.size) / SAMPLE_RATE
            hi = lo + other.size / SAMPLE_RATE
            a = analyze_samples(np.concatenate([english, gap, other, gap, english]), engine)
            ranges = [tuple(map(int, m.groups())) for m in map(WARNED_RANGE.match, a["warnings"]) if m]
            # the warning names its start and end rounded to whole seconds: a second's slack either side
            over = any(s < hi and e > lo for s, e in ranges)
            outside = any(s < lo - 1 or e > hi + 1 for s, e in ranges)
            passages += 1
            warned_there += over
            warned_in_english += outside
            print(f"{language + ' ' + name:10} {hi - lo:7.1f}  {'yes' if over else 'no':14}  "
                  f"{'yes' if outside else 'no':21}   {'; '.join(w[:60] for w in a['warnings'])}", flush=True)
    print(f"\nwarned over {warned_there} of {passages} passages in {len(ANSWERS)} languages; "
          f"warned in the English around them: {warned_in_english} of {passages}")


if __name__ == "__main__":
    main()
