"""`voice-interviewer history`: every take, newest first, with trends per measure."""
from __future__ import annotations

from voice_interviewer.commands.common import add_recordings_option, positive_int

HELP = "list saved takes, newest first, with trends (WPM, fillers, pauses, length, grade)"


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="as JSON")
    p.add_argument("--question", metavar="ID", help="only takes of this question")
    p.add_argument("--since", metavar="DATE", help="only takes on or after this date (YYYY-MM-DD)")
    p.add_argument("--last", type=positive_int, metavar="N", help="only the last N takes")
    add_recordings_option(p)


def run(args) -> int:
    import json

    from rich.console import Console
    from rich.table import Table

    from voice_interviewer.config import recordings_dir
    from voice_interviewer.history import METRICS, as_json, filter_rows, rows, trends

    items = filter_rows(rows(recordings_dir(args.recordings)), args.question, args.since, args.last)
    if args.json:
        print(json.dumps(as_json(items), indent=2, ensure_ascii=False))
        return 0
    console = Console(highlight=False)
    if not items:
        console.print("no takes yet" + (" matching the filters" if (args.question or args.since or args.last) else ""))
        return 0
    table = Table(title=f"{len(items)} take(s), newest first", title_justify="left")
    for col in ("date", "#", "question", "length", "wpm", "fillers/min", "pause", "grade"):
        table.add_column(col, no_wrap=True)
    fmt = lambda v, f: "-" if v is None else format(v, f)  # noqa: E731
    for r in reversed(items):
        table.add_row(r.date[5:16].replace("T", " "), r.take.split("/")[-1][:2], (r.question_id or "-"), fmt(r.length_s, ".0f") + " s",
                      fmt(r.wpm, ".0f"), fmt(r.fillers_per_min, ".1f"), fmt(r.longest_pause_s, ".1f") + " s", r.grade or "-")
    console.print(table)
    t = trends(items)
    names = {"length_s": "length", "wpm": "WPM", "fillers_per_min": "fillers/min", "longest_pause_s": "longest pause",
             "grade_score": "grade"}
    console.print("[bold]Trends, oldest to newest[/bold] (↑ better, ↓ worse)")
    for m in METRICS:
        tr = t["all"][m]
        console.print(f"  {names[m]:14} {tr['spark']:<20} {tr['arrow']}")
    for qid, per in t["by_question"].items():
        console.print(f"  [dim]{qid}:[/dim] " + "  ".join(f"{names[m]} {per[m]['spark']} {per[m]['arrow']}" for m in METRICS))
    return 0
