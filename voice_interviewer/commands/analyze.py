"""`voice-interviewer analyze FILE...`: transcript (fillers kept), delivery and content of recorded answers."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from voice_interviewer.commands.common import (
    add_content_options, add_model_options, add_recordings_option, settings, thresholds,
)
from voice_interviewer.errors import AudioError, UserError, write_failure

HELP = "analyse recorded answers (any audio format) or a written answer (--text)"


def add_arguments(p):
    p.add_argument("files", nargs="*", metavar="FILE", help="audio files (wav, flac, mp3, m4a, ogg, webm, ...)")
    p.add_argument("--text", metavar="FILE", help="analyse a written answer instead ('-' for standard input)")
    p.add_argument("--json", action="store_true", help="one JSON document per input, one per line")
    p.add_argument("--save", action="store_true", help="save each file as a take in the recordings directory")
    p.add_argument("--question", metavar="TEXT", help="the question the answer replies to (stored with --save)")
    p.add_argument("--story", metavar="NAME", help="compare the answer with a story prepared with `voice-interviewer prepare`")
    add_recordings_option(p)
    add_model_options(p)
    add_content_options(p)


def run(args) -> int:
    if args.text is not None:
        if args.files:
            raise UserError("give either audio files or --text, not both", 2)
        return _run_text(args)
    if not args.files:
        raise UserError("no input: give one or more audio files, or --text FILE", 2)
    cfg = settings(args)
    th = thresholds()
    story = _story(args)
    if args.save:  # before any work: a recordings folder we cannot write is said at once
        from voice_interviewer.config import recordings_dir
        from voice_interviewer.store import check_writable

        check_writable(recordings_dir(args.recordings), th.min_free_disk_mb)
    from voice_interviewer.audio import load_audio

    # Check every path before loading the model, so a typo fails at once.
    engine = None
    failures = 0
    session = None
    for name in args.files:
        try:
            samples = load_audio(name, th.min_audio_seconds)
        except AudioError as exc:
            print(f"voice-interviewer: error: {exc}", file=sys.stderr)
            failures += 1
            continue
        if engine is None:
            from voice_interviewer.content_model import preload
            from voice_interviewer.transcribe import load_engine

            preload()  # the content judge loads while Whisper does
            engine = load_engine(cfg.get("engine"), cfg.get("model"), cfg.get("beam_size"))
        from voice_interviewer.analysis import analyze_samples

        analysis = analyze_samples(samples, engine, file=str(name), role=cfg.get("role"), values=cfg.get("values"),
                                   question=args.question, thresholds=th)
        if story:
            from voice_interviewer.stories import attach_story

            attach_story(analysis, story)
        error = None
        if args.save:
            try:
                session = session or _new_session(args, cfg)
                analysis["take"] = str(_save(session, Path(name), analysis))
            except OSError as exc:
                error = f"{name}: {write_failure(exc)}: the take was not saved (the file itself is untouched)"
        _emit(args, analysis)
        if error:
            print(f"voice-interviewer: error: {error}", file=sys.stderr)
            failures += 1
    return 1 if failures else 0


def _new_session(args, cfg):
    from voice_interviewer.config import recordings_dir
    from voice_interviewer.store import Session

    return Session.create(recordings_dir(args.recordings), suffix="analyze",
                          settings={"source": "analyze", **{k: v for k, v in cfg.items() if v}})


def _save(session, source: Path, analysis: dict) -> Path:
    """The file as a take; on a write error (a full disk) the half-made take is removed and the error raised."""
    from voice_interviewer import feedback
    from voice_interviewer.store import RECORDED, import_audio, save_analysis, set_status, slug

    take = None
    try:
        take = session.new_take(slug(source.stem), analysis.get("question"))
        import_audio(take, source)
        set_status(take, RECORDED, source_file=str(source))
        save_analysis(take, analysis, feedback.markdown(analysis))
    except OSError:
        if take is not None:
            session.discard_take(take)  # a copy of a file the user still has: nothing is lost
        raise
    return take


def _emit(args, analysis: dict) -> None:
    if args.json:
        sys.stdout.write(json.dumps(analysis, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    else:
        from voice_interviewer.feedback import print_summary

        print_summary(analysis)
        if analysis.get("story"):
            from rich.console import Console

            from voice_interviewer.stories import print_story_feedback

            print_story_feedback(analysis["story"], Console(highlight=False))
        if analysis.get("take"):
            print(f"saved: {analysis['take']}")


def _run_text(args) -> int:
    from voice_interviewer.analysis import analyze_text

    if args.text == "-":
        text, name = sys.stdin.read(), "<stdin>"
    else:
        p = Path(args.text)
        if not p.is_file():
            raise UserError(f"{p}: no such file" if not p.exists() else f"{p}: not a file")
        try:
            text, name = p.read_text(encoding="utf-8"), str(p)
        except (UnicodeDecodeError, OSError) as exc:
            raise UserError(f"{p}: cannot read as text ({exc.__class__.__name__})") from None
    cfg = settings(args)
    story = _story(args)
    analysis = analyze_text(text, file=name, role=cfg.get("role"), values=cfg.get("values"), question=args.question,
                            thresholds=thresholds())
    if story:
        from voice_interviewer.stories import attach_story

        attach_story(analysis, story)
    _emit(args, analysis)
    return 0


def _story(args):
    if not args.story:
        return None
    from voice_interviewer.config import recordings_dir
    from voice_interviewer.stories import load_story

    return load_story(recordings_dir(args.recordings), args.story)
