"""`voice-interviewer reanalyze [TAKE|--all]`: run the current analysis on saved audio."""
from __future__ import annotations

from voice_interviewer.commands.common import add_content_options, add_model_options, add_recordings_option

HELP = "analyse saved recordings again (after an upgrade, or to finish an interrupted take)"


def add_arguments(p):
    p.add_argument("take", nargs="?", metavar="TAKE", help="take folder or SESSION/NN (default: the latest take)")
    p.add_argument("--all", action="store_true", help="every take")
    add_recordings_option(p)
    add_model_options(p)
    add_content_options(p)


def run(args) -> int:
    import sys

    from voice_interviewer import store
    from voice_interviewer.analysis import analyze_samples
    from voice_interviewer.answer import save
    from voice_interviewer.audio import load_audio
    from voice_interviewer.commands.common import settings, thresholds
    from voice_interviewer.config import recordings_dir
    from voice_interviewer.errors import AudioError, UserError, write_failure
    from voice_interviewer.takes import all_takes, find_take
    from voice_interviewer.transcribe import load_engine

    root = recordings_dir(args.recordings)
    if args.all and args.take:
        raise UserError("give a TAKE or --all, not both", 2)
    targets = all_takes(root) if args.all else [find_take(root, args.take)]
    if not targets:
        print("no takes to reanalyse")
        return 0
    cfg = settings(args)
    engine = load_engine(cfg.get("engine"), cfg.get("model"), cfg.get("beam_size"))
    failures = 0
    for t in targets:
        audio = store.take_audio(t.path)
        if audio is None:
            print(f"voice-interviewer: error: {t.name}: no recording to analyse", file=sys.stderr)
            failures += 1
            continue
        old = t.path / store.ANALYSIS_FILE
        previous = None
        if old.is_file():
            try:
                previous = store.read_json(old)
            except Exception:
                previous = None
            version = (previous or {}).get("software_version") or "unknown"
            try:
                store.atomic_write_bytes(t.path / f"analysis.{version}.json", old.read_bytes())
            except OSError as exc:
                print(f"voice-interviewer: error: {t.name}: {write_failure(exc)}: not reanalysed "
                      "(its analysis is kept as it was)", file=sys.stderr)
                failures += 1
                continue
        try:
            samples = load_audio(audio)
        except AudioError as exc:
            print(f"voice-interviewer: error: {exc}", file=sys.stderr)
            failures += 1
            continue
        question = t.meta.get("question") or (previous or {}).get("question")
        analysis = analyze_samples(samples, engine, file=str(audio), question=question, role=cfg.get("role"),
                                   values=cfg.get("values"), thresholds=thresholds())
        analysis["question_id"] = t.meta.get("question_id") or (previous or {}).get("question_id")
        error = save(t.path, analysis)
        if error:
            print(f"voice-interviewer: error: {t.name}: {error}: the new analysis was not saved "
                  "(the previous one is kept)", file=sys.stderr)
            failures += 1
            continue
        print(f"reanalysed {t.name}")
    return 1 if failures else 0
