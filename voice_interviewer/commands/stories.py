"""`voice-interviewer stories`: the prepared stories."""
from __future__ import annotations

from voice_interviewer.commands.common import add_recordings_option

HELP = "list prepared stories"


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="as JSON")
    add_recordings_option(p)


def run(args) -> int:
    import json

    from voice_interviewer.config import recordings_dir
    from voice_interviewer.stories import list_stories

    items = list_stories(recordings_dir(args.recordings))
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
    elif not items:
        print("no stories yet; prepare one with `voice-interviewer prepare`")
    else:
        for s in items:
            extra = "damaged" if s.get("error") else f"{s['gaps']} gap(s)" + (f", role {s['role']}" if s.get("role") else "")
            print(f"{s['name']}  ({extra})  {s['file']}")
    return 0
