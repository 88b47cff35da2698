"""`voice-interviewer prepare`: reflect on a failure with six questions and save a story outline."""
from __future__ import annotations

from voice_interviewer.commands.common import add_model_options, add_recordings_option, add_voice_options

HELP = "prepare a story: answer the six reflection questions; get an outline with its gaps"


def add_arguments(p):
    p.add_argument("--name", default="my-failure", help="the story's name (default: my-failure)")
    p.add_argument("--role", help="the job you are preparing for")
    p.add_argument("--type", action="store_true", help="type the answers instead of speaking them")
    p.add_argument("--answers", metavar="FILE", help="the six answers as text, one block each, separated by a blank line")
    p.add_argument("--no-speak", action="store_true", help="do not read the questions aloud")
    add_voice_options(p)
    p.add_argument("--input-device", metavar="INDEX|NAME", help="microphone (see `voice-interviewer devices`)")
    p.add_argument("--json", action="store_true", help="print the outline as JSON")
    add_recordings_option(p)
    add_model_options(p)


def run(args) -> int:
    import json
    from pathlib import Path

    from rich.console import Console

    from voice_interviewer.commands.common import settings
    from voice_interviewer.config import recordings_dir
    from voice_interviewer.errors import UserError
    from voice_interviewer.stories import REFLECTIONS, build_outline, save_story, split_answers, story_slug

    story_slug(args.name)
    root = recordings_dir(args.recordings)
    cfg = settings(args)
    if args.answers:
        p = Path(args.answers)
        if not p.is_file():
            raise UserError(f"{p}: no such answers file", 2)
        try:
            blocks = split_answers(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise UserError(f"{p}: not a text file", 2) from None
        answers = {r.key: b for r, b in zip(REFLECTIONS, blocks)}
    else:
        from voice_interviewer.prepare import ask_all

        loader = voice = None
        if not args.type:
            from voice_interviewer.capture import resolve_device
            from voice_interviewer.practice import EngineLoader

            args.input_device = resolve_device(args.input_device, "input")
            loader = EngineLoader(cfg.get("engine"), cfg.get("model"), cfg.get("beam_size"))
        if not args.no_speak:
            from voice_interviewer.practice import Terminal, interviewer_voice

            voice = interviewer_voice(Terminal(), cfg.get("voice"), args.rate)
        answers = ask_all(typed=args.type, speak_enabled=not args.no_speak, voice=voice,
                          input_device=args.input_device, engine_loader=loader)
    outline = build_outline(answers, name=args.name, role=cfg.get("role"))
    md, js = save_story(root, outline)
    if args.json:
        print(json.dumps(outline, indent=2, ensure_ascii=False))
        return 0
    console = Console(highlight=False)
    from rich.markdown import Markdown

    console.print(Markdown(md.read_text(encoding="utf-8")))
    console.print(f"saved: {md}")
    if outline["gaps"]:
        console.print(f"{len(outline['gaps'])} gap(s) to fill; edit {md.name} or run prepare again.")
    console.print(f"practise it with: voice-interviewer practice --story {outline['name']}")
    return 0
