"""`voice-interviewer voices`: the interviewer's voices on this machine, the default marked."""
from __future__ import annotations

HELP = "list the interviewer's voices (use the name with --voice); the default is marked"


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="as JSON")
    p.add_argument("--say", metavar="TEXT", nargs="?", const="Tell me about a time you failed, and what you learned.",
                   help="speak TEXT (or a sample question) with the --voice voice, to hear it")
    p.add_argument("--voice", metavar="NAME", help="the voice --say uses (default: the default voice)")
    p.add_argument("--output-device", metavar="INDEX|NAME", help="speaker for --say (see `voice-interviewer devices`)")


def run(args) -> int:
    import json
    from dataclasses import asdict

    from voice_interviewer import speech

    voices = speech.available_voices()
    if args.say is not None:
        return _say(args)
    if args.json:
        print(json.dumps([asdict(v) for v in voices], indent=2))
        return 0
    width = max(len(v.name) for v in voices)
    for v in voices:
        aliases = f" (also: {', '.join(v.aliases)})" if v.aliases else ""
        print(f"{'*' if v.default else ' '} {v.name:<{width}}  {v.engine:<10} {v.description}{aliases}"
              f"{'  [default]' if v.default else ''}")
    missing = speech.neural_voice_missing()
    if missing:
        print(f"The natural voice is not available: {missing} (./scripts/setup.sh installs it).")
    return 0


def _say(args) -> int:
    from voice_interviewer.capture import resolve_device
    from voice_interviewer.practice import Terminal, interviewer_voice, say_aloud

    term = Terminal()
    device = resolve_device(args.output_device, "output") if args.output_device is not None else None
    voice = interviewer_voice(term, args.voice)
    term.say(f"{voice.info['name']} ({voice.info['engine']}): {args.say}")
    return 0 if say_aloud(args.say, term, voice, device) else 1
