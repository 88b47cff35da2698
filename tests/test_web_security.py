"""Who may use the practice room: the per-launch token, Host and Origin checks (no DNS rebinding), the CSP,
upload limits, and the address it listens on. Against the real server, over real sockets."""
import contextlib
import os
import http.client
import json
import re
import socket
import subprocess
import sys

import numpy as np
import psutil
import pytest

from web_harness import start_server

websockets_sync = pytest.importorskip("websockets.sync.client")
from websockets.exceptions import ConnectionClosed, InvalidStatus  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("web") / "recordings", "--no-speak", "--max-seconds", "5")
    yield s
    s.stop()


def request(server, path, *, host=None, origin=None, cookie=None, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Host": host or f"127.0.0.1:{server.port}"}
    if origin:
        headers["Origin"] = origin
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r, body


def cookie_of(server) -> str:
    r, _ = request(server, f"/?token={server.token}")
    assert r.status == 303 and r.getheader("location") == "/"
    set_cookie = r.getheader("set-cookie")
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
    return set_cookie.split(";")[0]


PATHS = ["/", "/history", "/static/room.js", "/api/state", "/api/takes", "/api/questions/0/speech.wav",
         "/takes/a/01-b", "/api/takes/a/01-b", "/media/a/01-b/video.webm", "/favicon.ico"]


@pytest.mark.parametrize("path", PATHS)
def test_no_token_is_403(server, path):
    r, body = request(server, path)
    assert r.status == 403, (path, r.status)
    assert b"token" in body


def test_wrong_token_is_403(server):
    r, _ = request(server, "/?token=" + "x" * 43)
    assert r.status == 403
    r, _ = request(server, "/api/state", cookie=f"vi_token_{server.port}=nope")
    assert r.status == 403


def test_token_then_cookie(server):
    cookie = cookie_of(server)
    r, body = request(server, "/", cookie=cookie)
    assert r.status == 200 and b'data-testid="start"' in body
    r, body = request(server, "/api/state", cookie=cookie)
    assert r.status == 200 and json.loads(body)["questions"]
    # the token on any page is swapped for the cookie and the address cleaned, other parameters kept
    r, _ = request(server, f"/history?token={server.token}&x=1")
    assert r.status == 303 and r.getheader("location") == "/history?x=1"


def test_foreign_host_is_403_even_with_the_token(server):
    cookie = cookie_of(server)
    for host in (f"evil.example:{server.port}", "127.0.0.1", f"127.0.0.1:{server.port + 1}", f"localhost.evil:{server.port}"):
        r, _ = request(server, "/api/state", host=host, cookie=cookie)
        assert r.status == 403, host
        r, _ = request(server, f"/?token={server.token}", host=host)
        assert r.status == 403, host
    for host in (f"localhost:{server.port}", f"[::1]:{server.port}"):
        r, _ = request(server, "/api/state", host=host, cookie=cookie)
        assert r.status == 200, host


def test_foreign_origin_is_403(server):
    cookie = cookie_of(server)
    r, _ = request(server, "/api/state", origin="http://evil.example", cookie=cookie)
    assert r.status == 403
    r, _ = request(server, "/api/state", origin=f"http://127.0.0.1:{server.port}", cookie=cookie)
    assert r.status == 200


def test_strict_csp_and_no_external_resources(server):
    cookie = cookie_of(server)
    for path in ("/", "/history", "/static/room.js"):
        r, body = request(server, path, cookie=cookie)
        csp = r.getheader("content-security-policy")
        assert "default-src 'none'" in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.getheader("x-content-type-options") == "nosniff"
        if path != "/static/room.js":
            html = body.decode()
            assert "<script>" not in html and " style=" not in html
            assert not re.search(r'(src|href)="(https?:)?//', html)


def test_only_get_is_served(server):
    cookie = cookie_of(server)
    for method in ("POST", "PUT", "DELETE"):
        r, _ = request(server, "/api/takes", cookie=cookie, method=method)
        assert r.status == 405, method


def test_paths_outside_the_recordings_are_not_served(server):
    cookie = cookie_of(server)
    for path in ("/api/takes/..%2F..%2Fetc/passwd", "/media/../../etc/passwd", "/api/takes/.hidden/01-x",
                 "/media/a/01-b/..%2Ftake.json", "/static/..%2Fsecurity.py"):
        r, _ = request(server, path, cookie=cookie)
        assert r.status == 404, path


def ws_connect(server, *, cookie=None, origin="own"):
    headers = {"Cookie": cookie} if cookie else {}
    origin = f"http://127.0.0.1:{server.port}" if origin == "own" else origin
    return websockets_sync.connect(f"ws://127.0.0.1:{server.port}/ws/answer", additional_headers=headers,
                                   origin=origin, open_timeout=20, max_size=None)


def test_websocket_needs_token_and_own_origin(server):
    cookie = cookie_of(server)
    for kwargs in ({}, {"cookie": cookie, "origin": "http://evil.example"}, {"cookie": cookie, "origin": None},
                   {"cookie": f"vi_token_{server.port}=wrong"}):
        with pytest.raises(InvalidStatus) as err:
            ws_connect(server, **kwargs).close()
        assert err.value.response.status_code == 403, kwargs
    with ws_connect(server, cookie=cookie) as ws:  # the real thing is accepted
        ws.send(json.dumps({"type": "hello"}))
        assert json.loads(ws.recv(timeout=20))["type"] == "error"


@contextlib.contextmanager
def started(server, cookie, video=True):
    with ws_connect(server, cookie=cookie) as ws:
        ws.send(json.dumps({"type": "start", "question_id": "biggest-failure", "sample_rate": 16000, "video": video}))
        msg = json.loads(ws.recv(timeout=60))
        assert msg["type"] == "started", msg
        yield ws, msg["take"]


def test_uploads_are_checked(server):
    cookie = cookie_of(server)
    # audio at another rate is refused before a take is made
    with ws_connect(server, cookie=cookie) as ws:
        ws.send(json.dumps({"type": "start", "question_id": "biggest-failure", "sample_rate": 44100}))
        assert "16000" in json.loads(ws.recv(timeout=20))["message"]
    # a "video" that is not WebM
    with started(server, cookie) as (ws, take):
        ws.send(b"\x02" + b"GIF89a" + bytes(100))
        assert "not WebM" in json.loads(ws.recv(timeout=20))["message"]
    # audio that is not whole float32 samples
    with started(server, cookie) as (ws, take):
        ws.send(b"\x01" + bytes(7))
        assert "float32" in json.loads(ws.recv(timeout=20))["message"]
    # one message over the size limit closes the socket
    with started(server, cookie) as (ws, take):
        with pytest.raises(ConnectionClosed):
            ws.send(b"\x02" + bytes(5 * 1024 * 1024))
            for _ in range(5):
                ws.recv(timeout=20)
    # audio past the answer's limit (--max-seconds 5, plus a margin) is not kept
    with started(server, cookie, video=False) as (ws, take):
        block = (0.1 * np.sin(np.arange(16000) / 16000 * 2 * np.pi * 220)).astype("<f4").tobytes()
        for _ in range(30):
            ws.send(b"\x01" + block)
        ws.send(json.dumps({"type": "stop"}))
        while json.loads(ws.recv(timeout=120))["type"] != "feedback":
            pass
    session, name = take.split("/")
    meta = json.loads((server.recordings / session / name / "take.json").read_text())
    assert meta["seconds"] <= 5 + 10.01


def test_a_take_discarded_in_one_connection_leaves_the_next_alone(server):
    # each start with no audio is discarded while the next one starts: a reused number let the old
    # connection's clean-up remove the new take's video file ("No such file" on start, under load)
    cookie = cookie_of(server)
    takes = []
    for _ in range(12):
        with started(server, cookie) as (ws, take):
            ws.send(b"\x02" + b"GIF89a")
            assert "not WebM" in json.loads(ws.recv(timeout=20))["message"]
        takes.append(take)
    assert len(set(takes)) == len(takes), takes


def test_listens_on_loopback_only(server):
    listening = [c.laddr for c in psutil.Process(server.process.pid).net_connections("inet") if c.status == "LISTEN"]
    assert [a.ip for a in listening] == ["127.0.0.1"], listening
    # bound to 127.0.0.1 itself, not to every address: another address of the machine gets no answer
    # (127.0.0.2 stands for them: a server bound to 0.0.0.0 would answer there too)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", server.port), timeout=5).close()


def test_bad_command_lines_are_one_line_and_exit_2(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        for args in (["--port", "99999"], ["--port", str(taken.getsockname()[1])], ["--recordings", "/proc/no/such"],
                     ["--question", "no-such-question"], ["--voice", "no-such-voice"]):
            r = subprocess.run([sys.executable, "-m", "voice_interviewer", "web", "--no-open", *args], capture_output=True,
                               text=True, timeout=60, env={**os.environ,
                                                           "VOICE_INTERVIEWER_RECORDINGS": str(tmp_path / "rec")})
            assert r.returncode == 2, (args, r.stderr)
            assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, (args, r.stderr)
    finally:
        taken.close()
