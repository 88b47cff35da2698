import json

from conftest import JFK, run_cli, wer


def test_version_and_help():
    r = run_cli("--version")
    assert r.returncode == 0 and "voice-interviewer" in r.stdout
    r = run_cli("analyze", "--help")
    assert r.returncode == 0 and "--json" in r.stdout


def test_analyze_jfk_json(recordings):
    r = run_cli("analyze", "--json", str(JFK))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["schema_version"] == 1
    assert wer("and so my fellow americans ask not what your country can do for you ask what you can do for your country",
               doc["transcript"]["text"]) == 0
    assert doc["delivery"]["word_count"] >= 20


def test_missing_file_is_one_line_error(recordings):
    r = run_cli("analyze", "/no/such/file.wav")
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "no such file" in r.stderr
    assert "Traceback" not in r.stderr


def test_usage_error_exit_2():
    r = run_cli("analyze", "--no-such-option")
    assert r.returncode == 2 and "Traceback" not in r.stderr
