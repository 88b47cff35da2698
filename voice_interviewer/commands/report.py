"""`voice-interviewer report [TAKE|SESSION|--all] [--open]`: a self-contained HTML report."""
from __future__ import annotations

from voice_interviewer.commands.common import add_recordings_option

HELP = "write a self-contained HTML report of a take, a session, or every take (--all)"


def add_arguments(p):
    p.add_argument("target", nargs="?", metavar="TAKE|SESSION", help="take folder, SESSION/NN or a session (default: the latest take)")
    p.add_argument("--all", action="store_true", help="every take, with trends")
    p.add_argument("--open", action="store_true", help="open the report in the default browser")
    add_recordings_option(p)


def run(args) -> int:
    from voice_interviewer import report
    from voice_interviewer.config import recordings_dir
    from voice_interviewer.errors import UserError
    from voice_interviewer.takes import all_takes, find_session, find_take

    root = recordings_dir(args.recordings)
    if args.all and args.target:
        raise UserError("give a TAKE, a SESSION or --all, not more than one", 2)
    if args.all:
        takes = all_takes(root)
        if not takes:
            raise UserError(f"no takes yet in {root}")
        out = report.overview_report(takes, root, root, "All takes")
    else:
        session = find_session(root, args.target) if args.target else None
        if session is not None:
            takes = [t for t in all_takes(root) if t.path.parent.resolve() == session.resolve()]
            if not takes:
                raise UserError(f"session {session.name} has no takes")
            out = report.overview_report(takes, root, session, f"Session {session.name}")
        else:
            out = report.take_report(find_take(root, args.target))
    print(out)
    if args.open:
        import webbrowser

        webbrowser.open(out.resolve().as_uri())
    return 0
