"""Nothing goes over the network at run time: analyze works with every socket connection refused."""
import json
import os
import subprocess
import sys

from conftest import JFK, ROOT

GUARD = r"""
import socket
def _refuse(*a, **k):
    raise SystemExit("NETWORK USED: " + repr(a))
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


def test_analyze_opens_no_network_connection(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(GUARD)
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "VOICE_INTERVIEWER_RECORDINGS": str(tmp_path / "rec"),
           "HF_HUB_OFFLINE": "0"}
    r = subprocess.run([sys.executable, "-m", "voice_interviewer", "analyze", "--json", "--save", str(JFK)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "NETWORK USED" not in r.stderr
    assert json.loads(r.stdout)["delivery"]["word_count"] > 10
