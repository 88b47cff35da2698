"""`voice-interviewer review [TAKE]`: the question, transcript, delivery, content and tips of a take."""
from __future__ import annotations

from voice_interviewer.commands.common import add_recordings_option, non_negative_float

HELP = "review a saved take (default: the latest): transcript with fillers and pauses, feedback, playback"


def add_arguments(p):
    p.add_argument("take", nargs="?", metavar="TAKE", help="take folder or SESSION/NN (default: the latest take)")
    p.add_argument("--play", action="store_true", help="play the answer")
    p.add_argument("--from", dest="start", type=non_negative_float, default=0.0, metavar="SECONDS",
                   help="with --play: start at this second")
    p.add_argument("--output-device", metavar="INDEX|NAME", help="speaker for --play")
    add_recordings_option(p)


def run(args) -> int:
    from rich.console import Console

    from voice_interviewer import store
    from voice_interviewer.config import recordings_dir
    from voice_interviewer.errors import UserError
    from voice_interviewer.review import play, show
    from voice_interviewer.takes import find_take

    take = find_take(recordings_dir(args.recordings), args.take)
    show(take.analysis(), take.name, Console(highlight=False))
    if args.play:
        from voice_interviewer.capture import resolve_device

        audio = store.take_audio(take.path)
        if audio is None:
            raise UserError(f"{take.name}: the recording is missing")
        device = resolve_device(args.output_device, "output")
        try:
            play(audio, args.start, device)
        except UserError:
            raise
        except Exception as exc:
            raise UserError(f"cannot play {audio} ({str(exc).splitlines()[0]})") from None
    return 0
