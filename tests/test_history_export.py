"""History rows and trends, the export writers (SRT/VTT parsed back), take lookup, review and reanalyze."""
import io
import json
import re

import pytest

from conftest import save_takes, run_cli
from voice_interviewer.export import WRITERS, cues, format_timestamp
from voice_interviewer.history import Row, filter_rows, sparkline, trend

WORDS = [{"word": w, "start": s, "end": e, "filler": w.startswith("um")} for w, s, e in [
    ("Um,", 0.5, 0.9), ("I", 1.0, 1.1), ("missed", 1.1, 1.5), ("the", 1.5, 1.6), ("deadline.", 1.6, 2.2),
    ("Then", 4.0, 4.3), ("I", 4.3, 4.4), ("told", 4.4, 4.7), ("my", 4.7, 4.8), ("lead", 4.8, 5.1),
    ("straight", 5.1, 5.5), ("away", 5.5, 5.8), ("and", 5.8, 5.9), ("we", 5.9, 6.0), ("moved", 6.0, 6.4),
    ("the", 6.4, 6.5), ("launch", 6.5, 6.9), ("by", 6.9, 7.0), ("a", 7.0, 7.1), ("week.", 7.1, 7.6)]]
ANALYSIS = {"schema_version": 1, "transcript": {"text": "I missed the deadline.", "verbatim": " ".join(w["word"] for w in WORDS),
                                                "words": WORDS}, "delivery": None, "content": None, "warnings": [], "question": "Q?"}

TS = re.compile(r"^(\d\d):(\d\d):(\d\d)[,.](\d{3}) --> (\d\d):(\d\d):(\d\d)[,.](\d{3})$")


def parse_cues(text):
    out = []
    for block in text.strip().split("\n\n"):
        lines = [l for l in block.splitlines() if l and l != "WEBVTT" and not l.isdigit()]
        if not lines:
            continue
        m = TS.match(lines[0])
        assert m, lines[0]
        g = [int(x) for x in m.groups()]
        a = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        b = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        out.append((a, b, " ".join(lines[1:])))
    return out


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_subtitles_parse_back_with_word_timing(fmt):
    buf = io.StringIO()
    WRITERS[fmt]().write(ANALYSIS, buf)
    text = buf.getvalue()
    if fmt == "vtt":
        assert text.startswith("WEBVTT\n\n")
    else:
        assert text.startswith("1\n00:00:00,500 --> ")
    parsed = parse_cues(text)
    assert parsed[0][2].startswith("Um,")  # fillers kept
    assert " ".join(c[2] for c in parsed) == ANALYSIS["transcript"]["verbatim"]
    for (a, b, _), (c, _, _) in zip(parsed, parsed[1:]):
        assert a < b <= c
    assert parsed[0][0] == 0.5 and parsed[-1][1] == 7.6
    assert all(len(c[2]) <= 42 + 10 for c in parsed)


def test_format_timestamp():
    assert format_timestamp(3723.4567, ",") == "01:02:03,457"
    assert format_timestamp(0) == "00:00:00.000"


def test_cue_breaks_at_sentence_end_and_long_pause():
    assert [c[2] for c in cues(WORDS)][0] == "Um, I missed the deadline."


def test_txt_json_md_writers():
    for fmt in ("txt", "json", "md"):
        buf = io.StringIO()
        WRITERS[fmt]().write(ANALYSIS, buf)
        assert buf.getvalue().strip()
    buf = io.StringIO()
    WRITERS["json"]().write(ANALYSIS, buf)
    assert json.loads(buf.getvalue()) == ANALYSIS


def row(n, wpm, fpm, grade, q="q1", date="2026-11-0{}"):
    return Row(f"s/{n:02d}", date.format(n), q, "Q", 60.0, wpm, fpm, 1.0, grade, {"weak": 0, "adequate": 1, "strong": 2}[grade])


def test_history_trends_and_filters():
    rows = [row(1, 180, 9, "weak"), row(2, 160, 5, "adequate"), row(3, 140, 2, "strong", q="q2")]
    assert trend([r.fillers_per_min for r in rows], False)["arrow"] == "↑"  # fewer fillers: better
    assert trend([r.grade_score for r in rows], True)["arrow"] == "↑"
    assert trend([1.0], True)["arrow"] == "·"
    assert sparkline([1, 2, 3]) == "▁▄█"
    assert [r.take for r in filter_rows(rows, question="q1")] == ["s/01", "s/02"]
    assert [r.take for r in filter_rows(rows, since="2026-11-02")] == ["s/02", "s/03"]
    assert [r.take for r in filter_rows(rows, last=1)] == ["s/03"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory, spoken):
    return save_takes(tmp_path_factory.mktemp("rec"), spoken["deadline"].path, spoken["migration"].path)


def test_history_review_export_cli(saved):
    r = run_cli("history", "--json", "--recordings", str(saved))
    doc = json.loads(r.stdout)
    assert [t["question_id"] for t in doc["takes"]] == ["migration-en-gb-x-rp", "deadline-en-us"]  # newest first
    assert set(doc["trends"]["all"]) >= {"wpm", "fillers_per_min", "grade_score"}
    session = next(p for p in saved.iterdir() if p.is_dir()).name
    r = run_cli("review", f"{session}/1", "--recordings", str(saved))
    assert r.returncode == 0 and re.search(r"\[\d+\.\d s\]", r.stdout)  # the answer's pauses shown in place
    r = run_cli("export", f"{session}/2", "--format", "vtt", "--recordings", str(saved))
    assert r.returncode == 0 and r.stdout.startswith("WEBVTT")
    r = run_cli("export", f"{session}/2", "--format", "docx", "--recordings", str(saved))
    assert r.returncode == 2 and "unknown export format" in r.stderr
    r = run_cli("review", f"{session}/9", "--recordings", str(saved))
    assert r.returncode == 1 and "nearest" in r.stderr and "Traceback" not in r.stderr


def test_damaged_analysis_offers_reanalyse_and_reanalyze_fixes_it(saved):
    session = next(p for p in saved.iterdir() if p.is_dir())
    take = sorted(p for p in session.iterdir() if p.is_dir())[0]
    good = (take / "analysis.json").read_text()
    (take / "analysis.json").write_text("{not json")
    r = run_cli("review", str(take), "--recordings", str(saved))
    assert r.returncode == 1 and "reanalyze" in r.stderr and r.stderr.count("\n") == 1
    r = run_cli("reanalyze", str(take), "--recordings", str(saved))
    assert r.returncode == 0, r.stderr
    assert json.loads((take / "analysis.json").read_text())["schema_version"] == 1
    (take / "analysis.json").write_text(good)
    r = run_cli("reanalyze", str(take), "--recordings", str(saved))
    version = json.loads(good)["software_version"]
    assert (take / f"analysis.{version}.json").read_text() == good
