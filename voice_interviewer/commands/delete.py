"""`voice-interviewer delete TAKE|SESSION|--all`: remove recordings, after a confirmation."""
from __future__ import annotations

from voice_interviewer.commands.common import add_recordings_option

HELP = "delete a take, a session, or every recording (--all), after a confirmation"


def add_arguments(p):
    p.add_argument("target", nargs="?", metavar="TAKE|SESSION", help="take folder, SESSION/NN, or a session")
    p.add_argument("--all", action="store_true", help="every session and take (prepared stories are kept)")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    add_recordings_option(p)


def run(args) -> int:
    import shutil
    import sys

    from voice_interviewer.config import recordings_dir
    from voice_interviewer.errors import UserError
    from voice_interviewer.takes import all_takes, find_session, find_take, sessions

    root = recordings_dir(args.recordings)
    if args.all == bool(args.target):
        raise UserError("name a TAKE or a SESSION, or give --all", 2)
    if args.all:
        targets = sessions(root)
        what = f"all {len(targets)} session(s) ({len(all_takes(root))} take(s)) in {root}"
    else:
        session = find_session(root, args.target)
        if session is not None:
            targets, what = [session], f"session {session.name} ({sum(1 for p in session.iterdir() if p.is_dir())} take(s))"
        else:
            take = find_take(root, args.target)
            targets, what = [take.path], f"take {take.name}"
    if not targets:
        print("nothing to delete")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(f"refusing to delete {what} without confirmation; add --yes", 2)
        answer = input(f"Delete {what}? This cannot be undone. [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("nothing deleted")
            return 1
    for path in targets:
        shutil.rmtree(path)
        if path.parent != root:  # a take: drop it from its session's list
            from voice_interviewer.store import Session

            s = Session(root, path.parent)
            meta = s.meta()
            meta["takes"] = [t for t in meta.get("takes", []) if t.get("take") != path.name]
            s.write_meta(meta)
    print(f"deleted {what}")
    return 0
