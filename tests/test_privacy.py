"""Private by default: folders 0700, files 0600, no network at run time (a practice session included),
and recordings deleted on request."""
import os
import stat

import pytest

from conftest import JFK, ROOT, run_cli
from virtual_mic import PracticeProcess, VirtualMic, require_virtual_mic

GUARD = r"""
import socket
_orig_connect = socket.socket.connect
def _guard(self, address, *a, **k):
    # the local sound server (a Unix socket) is allowed; any network address is not
    if self.family == socket.AF_UNIX:
        return _orig_connect(self, address, *a, **k)
    raise SystemExit("NETWORK USED: " + repr(address))
socket.socket.connect = _guard
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(SystemExit("NETWORK USED: " + repr(a)))
"""


def modes(root):
    for p in [root, *root.rglob("*")]:
        yield p, stat.S_IMODE(os.stat(p).st_mode)


def test_recordings_are_private(tmp_path):
    rec = tmp_path / "rec"
    r = run_cli("analyze", "--save", "--recordings", str(rec), str(JFK))
    assert r.returncode == 0, r.stderr
    r = run_cli("report", "--recordings", str(rec))
    assert r.returncode == 0, r.stderr
    for p, mode in modes(rec):
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))


def test_practice_session_with_the_network_blocked(tmp_path, spoken):
    require_virtual_mic()
    mic = VirtualMic()
    try:
        (tmp_path / "sitecustomize.py").write_text(GUARD)
        rec = tmp_path / "rec"
        env = {**mic.environ(), "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
               "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml")}
        run = PracticeProcess(["--count", "1", "--no-speak", "--end-silence", "2", "--recordings", str(rec)], env)
        assert run.wait_recording(60), run.output()
        mic.play(spoken["migration"].path)
        assert run.proc.wait(180) == 0, run.output()
        assert "NETWORK USED" not in run.output()
        analyses = list(rec.glob("*/*/analysis.json"))
        assert len(analyses) == 1
        for p, mode in modes(rec):
            assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))
    finally:
        mic.stop()


def test_delete_asks_and_says_what_it_removed(tmp_path, spoken):
    rec = tmp_path / "rec"
    second = tmp_path / "hotwords.wav"
    second.write_bytes(spoken["deadline"].path.read_bytes())
    assert run_cli("analyze", "--save", "--recordings", str(rec), str(JFK), str(second)).returncode == 0
    session = next(p for p in rec.iterdir() if p.is_dir())
    r = run_cli("delete", f"{session.name}/1", "--recordings", str(rec))
    assert r.returncode == 2 and "without confirmation" in r.stderr
    assert (session / "01-jfk").is_dir()
    r = run_cli("delete", f"{session.name}/1", "--yes", "--recordings", str(rec))
    assert r.returncode == 0 and "deleted take" in r.stdout
    assert not (session / "01-jfk").exists() and (session / "02-hotwords").is_dir()
    r = run_cli("delete", "--all", "--yes", "--recordings", str(rec))
    assert r.returncode == 0 and "deleted all 1 session(s)" in r.stdout
    assert not session.exists()
