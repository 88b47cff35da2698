"""`voice-interviewer export TAKE --format srt|vtt|txt|json|md`."""
from __future__ import annotations

from voice_interviewer.commands.common import add_recordings_option

HELP = "export a take: subtitles with word timing (srt, vtt), transcript (txt), analysis (json), feedback (md)"


def add_arguments(p):
    p.add_argument("take", metavar="TAKE", help="take folder or SESSION/NN")
    p.add_argument("--format", "-f", required=True, metavar="FORMAT", help="srt, vtt, txt, json or md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    add_recordings_option(p)


def run(args) -> int:
    import sys
    from pathlib import Path

    from voice_interviewer.config import recordings_dir
    from voice_interviewer.errors import UserError
    from voice_interviewer.export import WRITERS
    from voice_interviewer.takes import find_take

    writer = WRITERS.get(args.format.lower().lstrip("."))
    if writer is None:
        raise UserError(f"unknown export format {args.format!r}; choose one of: {', '.join(WRITERS)}", 2)
    analysis = find_take(recordings_dir(args.recordings), args.take).analysis()
    if args.output:
        out = Path(args.output)
        with open(out, "w", encoding="utf-8") as f:
            writer().write(analysis, f)
        print(out)
    else:
        writer().write(analysis, sys.stdout)
    return 0
