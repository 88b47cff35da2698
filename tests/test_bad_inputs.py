"""Every bad input gets one clear line, a non-zero exit, no traceback, and changes nothing already saved."""
import hashlib
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from conftest import JFK, run_cli


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(str(p.relative_to(root)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A recordings folder with one saved take, and a folder of bad files."""
    base = tmp_path_factory.mktemp("bad")
    rec = base / "recordings"
    r = subprocess.run([sys.executable, "-m", "voice_interviewer", "analyze", "--save", "--recordings", str(rec),
                        str(JFK)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    f = base / "files"
    f.mkdir()
    (f / "empty.wav").write_bytes(b"")
    (f / "notes.wav").write_text("these are my notes, not audio\n")
    (f / "picture.mp3").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    x, rate = sf.read(str(JFK), dtype="float32")
    sf.write(str(f / "full.wav"), x[: rate * 3], rate, subtype="PCM_16")
    data = (f / "full.wav").read_bytes()
    (f / "truncated.wav").write_bytes(data[:44] + data[44:2000])  # header says 3 s, 0.02 s present
    (f / "truncated.flac").write_bytes(JFK.read_bytes()[:3000])
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(JFK), "-ac", "2", "-ar", "44100", str(f / "full.mp3")], check=True)
    (f / "truncated.mp3").write_bytes((f / "full.mp3").read_bytes()[:600])
    lying = bytearray(data)
    struct.pack_into("<I", lying, 40, len(data) * 20)  # the data chunk claims 20x the bytes that are there
    (f / "lying.wav").write_bytes(bytes(lying))
    sf.write(str(f / "short.wav"), np.zeros(1600, np.float32), 16000)
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:s=64x64:d=1",
                    str(f / "silent-video.mp4")], check=True)
    (f / "bad.toml").write_text('[[question]]\nid = "x"\ntext = "unterminated\n')
    (f / "empty.toml").write_text("# nothing here\n")
    (f / "binary.txt").write_bytes(b"\xff\xfe\x00bad")
    (f / "config.toml").write_text("this is = not [valid")
    (f / "a-file").write_text("x")
    take = next(p for p in next(p for p in rec.iterdir() if p.is_dir()).iterdir() if p.is_dir())
    broken = rec / "2020-01-01_00-00-00" / "01-broken"
    broken.mkdir(parents=True)
    (rec / "2020-01-01_00-00-00" / "session.json").write_text('{"takes": []}')
    (broken / "take.json").write_text('{"status": "analysed"}')
    (broken / "analysis.json").write_text("{truncated")
    missing = rec / "2020-01-01_00-00-00" / "02-missing"
    missing.mkdir()
    (missing / "take.json").write_text('{"status": "analysed"}')
    return {"rec": rec, "files": f, "take": take, "session": take.parent.name}


def no_audio_env():
    """A process that sees no sound server and no sound card: no audio devices at all."""
    e = {k: v for k, v in os.environ.items() if k not in ("PULSE_SERVER", "XDG_RUNTIME_DIR")}
    e["PULSE_SERVER"] = "unix:/nonexistent/pulse"
    return e


F = "{files}"
CASES = [
    # (id, argv, exit code, words the message must contain)
    ("analyze-missing", ["analyze", F + "/nope.wav"], 1, "no such file"),
    ("analyze-directory", ["analyze", F], 1, "directory"),
    ("analyze-empty", ["analyze", F + "/empty.wav"], 1, "empty file"),
    ("analyze-text-as-wav", ["analyze", F + "/notes.wav"], 1, "cannot decode"),
    ("analyze-image-as-mp3", ["analyze", F + "/picture.mp3"], 1, "no audio stream"),
    ("analyze-truncated-wav", ["analyze", F + "/truncated.wav"], 1, "damaged wav"),
    ("analyze-truncated-flac", ["analyze", F + "/truncated.flac"], 1, "truncated"),
    ("analyze-truncated-mp3", ["analyze", F + "/truncated.mp3"], 1, "cannot decode"),
    ("analyze-lying-header", ["analyze", F + "/lying.wav"], 1, "header says"),
    ("analyze-0.1s", ["analyze", F + "/short.wav"], 1, "too short"),
    ("analyze-video-without-sound", ["analyze", F + "/silent-video.mp4"], 1, "no audio stream"),
    ("analyze-no-input", ["analyze"], 2, "no input"),
    ("analyze-text-missing", ["analyze", "--text", F + "/nope.txt"], 1, "no such file"),
    ("analyze-text-binary", ["analyze", "--text", F + "/binary.txt"], 1, "cannot read as text"),
    ("analyze-model-name-needs-network", ["analyze", "--model", "large-v3", str(JFK)], 2, "network"),
    ("analyze-model-is-a-file", ["analyze", "--model", F + "/a-file", str(JFK)], 2, "model directory"),
    ("analyze-save-recordings-is-a-file", ["analyze", "--save", "--recordings", F + "/a-file", str(JFK)], 2, "not writable"),
    ("analyze-unknown-engine", ["analyze", "--engine", "whisperx", str(JFK)], 2, "invalid choice"),
    ("practice-no-input-device", ["practice", "--no-speak", "--count", "1"], 2, "no input device"),
    ("practice-unknown-device", ["practice", "--no-speak", "--input-device", "Blue Yeti"], 2, "blue yeti"),
    ("practice-malformed-questions", ["practice", "--questions", F + "/bad.toml"], 2, "line"),
    ("practice-empty-questions", ["practice", "--questions", F + "/empty.toml"], 2, "no questions"),
    ("practice-unknown-option", ["practice", "--louder"], 2, "unrecognized arguments"),
    ("practice-negative-seconds", ["practice", "--end-silence", "-3"], 2, "more than 0"),
    ("practice-zero-max-time", ["practice", "--max-seconds", "0"], 2, "more than 0"),
    ("practice-count-zero", ["practice", "--count", "0"], 2, "1 or more"),
    ("practice-unknown-question", ["practice", "--question", "biggest-failur"], 2, "biggest-failure"),
    ("practice-unknown-story", ["practice", "--story", "nope"], 2, "no story named"),
    ("review-unknown-take", ["review", "1999-01-01/07"], 1, "no take"),
    ("review-corrupt-analysis", ["review", "2020-01-01_00-00-00/01"], 1, "reanalyze"),
    ("report-missing-analysis", ["report", "2020-01-01_00-00-00/02"], 1, "reanalyze"),
    ("export-unknown-format", ["export", "{session}/1", "--format", "docx"], 2, "unknown export format"),
    ("export-unknown-take", ["export", "nope/1", "--format", "srt"], 1, "no take"),
    ("history-bad-date", ["history", "--since", "yesterday"], 2, "yyyy-mm-dd"),
    ("delete-without-confirmation", ["delete", "{session}"], 2, "without confirmation"),
    ("bad-config-file", ["history"], 2, "not a valid config file"),
    ("unknown-command-option", ["--frobnicate"], 2, "unrecognized arguments"),
]


@pytest.mark.parametrize("case_id,argv,code,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input(env, case_id, argv, code, words):
    argv = [a.format(files=env["files"], session=env["session"]) for a in argv]
    if "--recordings" not in argv and argv[0] not in ("--frobnicate",):
        argv += ["--recordings", str(env["rec"])]
    extra = {"VOICE_INTERVIEWER_CONFIG": str(env["files"] / ("config.toml" if case_id == "bad-config-file" else "none.toml"))}
    e = {**no_audio_env(), **extra}
    before = tree_hash(env["rec"])
    r = run_cli(*argv, env=e, timeout=300)
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    err = r.stderr.strip()
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert words.lower() in err.lower(), err
    assert tree_hash(env["rec"]) == before  # nothing saved was lost or changed


def test_a_path_with_spaces_and_non_ascii_works(tmp_path):
    d = tmp_path / "my answers — été"
    d.mkdir()
    f = d / "réponse n°1 (take 2).flac"
    shutil.copyfile(JFK, f)
    r = run_cli("analyze", "--json", str(f))
    assert r.returncode == 0, r.stderr
    assert "country" in r.stdout


def test_one_bad_file_does_not_stop_the_others(env):
    r = run_cli("analyze", "--json", str(env["files"] / "empty.wav"), str(JFK))
    assert r.returncode == 1
    assert len(r.stdout.strip().splitlines()) == 1 and "empty file" in r.stderr


def test_unreadable_file(tmp_path):
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or not setpriv:
        pytest.skip("needs root and setpriv to run as an unprivileged user")
    d = Path("/tmp") / f"vi-unreadable-{os.getpid()}"
    d.mkdir(exist_ok=True)
    os.chmod(d, 0o755)
    f = d / "locked.wav"
    shutil.copyfile(JFK, f)
    os.chmod(f, 0o000)
    as_nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable]
    env = {**os.environ, "HOME": "/tmp"}
    try:
        # A checkout inside a private folder (mode 700) cannot be imported by another user at all.
        probe = subprocess.run([*as_nobody, "-c", "import voice_interviewer"], capture_output=True, text=True,
                               timeout=60, env=env)
        if probe.returncode != 0:
            pytest.skip("the unprivileged user cannot import this checkout: " + probe.stderr.strip()[-120:])
        r = subprocess.run([*as_nobody, "-m", "voice_interviewer", "analyze", str(f)], capture_output=True,
                           text=True, timeout=120, env=env)
        assert r.returncode == 1 and "permission denied" in r.stderr and "Traceback" not in r.stderr
    finally:
        shutil.rmtree(d, ignore_errors=True)
