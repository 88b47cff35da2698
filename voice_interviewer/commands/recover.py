"""`voice-interviewer recover`: repair and analyse takes a crash or an interruption left unfinished."""
from __future__ import annotations

from voice_interviewer.commands.common import add_recordings_option

HELP = "repair and analyse takes that a crash or Ctrl-C left unfinished"


def add_arguments(p):
    add_recordings_option(p)


def run(args) -> int:
    import sys

    from voice_interviewer.config import recordings_dir
    from voice_interviewer.recover import recover_unfinished

    n = recover_unfinished(recordings_dir(args.recordings), announce=True, out=sys.stdout)
    if n == 0:
        print("nothing to recover")
    return 0
