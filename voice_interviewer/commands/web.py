"""`voice-interviewer web`: the practice room in your browser (camera, live feedback, playback), served on
this machine only."""
from __future__ import annotations

from voice_interviewer.commands.common import (
    add_content_options, add_model_options, add_recordings_option, add_voice_options, non_negative_float, positive_float,
    positive_int, settings, thresholds,
)

HELP = "practise a one-way video interview in your browser (a local practice room: camera, live feedback, playback)"


def port_number(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0-65535: {text!r}")
    return value


def add_arguments(p):
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=port_number, default=0, help="port (default: any free one)")
    p.add_argument("--no-open", action="store_true", help="print the address but do not open the browser")
    p.add_argument("--questions", metavar="FILE", help="your own question bank (TOML, as prompts/questions.toml)")
    p.add_argument("--question", metavar="ID", help="ask this question only")
    p.add_argument("--count", type=positive_int, default=3, help="how many questions (default 3)")
    p.add_argument("--seed", type=int, help="shuffle the questions reproducibly")
    p.add_argument("--show-tips", action="store_true", help="show each question's tip")
    p.add_argument("--prep", type=non_negative_float, default=0.0, metavar="SECONDS",
                   help="preparation countdown after the question (default 0; the page can change it)")
    p.add_argument("--max-seconds", type=positive_float, default=180.0, metavar="SECONDS",
                   help="longest answer (default 180)")
    p.add_argument("--no-speak", action="store_true", help="show the questions without speaking them")
    add_voice_options(p)
    p.add_argument("--story", metavar="NAME", help="check answers against a story prepared with `voice-interviewer prepare`")
    add_recordings_option(p)
    add_model_options(p)
    add_content_options(p)


def run(args) -> int:
    from voice_interviewer.config import recordings_dir
    from voice_interviewer.practice import Options
    from voice_interviewer.questions import load_bank
    from voice_interviewer.store import check_writable
    from voice_interviewer.web.server import Launch, serve

    bank = load_bank(args.questions)
    questions = [bank.get(args.question)] if args.question else bank.pick(args.count, args.seed)
    cfg = settings(args)
    root = recordings_dir(args.recordings)
    check_writable(root, thresholds().min_free_disk_mb)
    story = None
    if args.story:
        from voice_interviewer.stories import load_story

        story = load_story(root, args.story)
    opts = Options(
        questions=questions, bank=bank, root=root, speak=not args.no_speak, voice=cfg.get("voice"), rate=args.rate,
        show_tips=args.show_tips, prep=args.prep, max_seconds=args.max_seconds,
        role=cfg.get("role"), values=cfg.get("values") or [], engine=cfg.get("engine"), model=cfg.get("model"),
        beam_size=cfg.get("beam_size"), story=story, thresholds=thresholds(),
        settings={k: v for k, v in {**cfg, "questions": args.questions, "count": len(questions), "seed": args.seed,
                                    "max_seconds": args.max_seconds, "story": args.story}.items() if v not in (None, [], "")},
    )
    from voice_interviewer.recover import recover_unfinished

    recover_unfinished(root, announce=False)
    if opts.speak:  # as in the terminal: a voice asked for by name that cannot be loaded is said before serving
        import sys

        from voice_interviewer.errors import UserError
        from voice_interviewer.speech import SpeechError, load_voice

        try:
            notice = load_voice(opts.voice, opts.rate).notice
        except SpeechError as exc:
            raise UserError(str(exc), 2) from None
        if notice:
            print(notice, file=sys.stderr)
    return serve(opts, Launch(args.host, args.port, not args.no_open))
