"""Serving the room: bind (127.0.0.1 by default), print the address with this launch's token as the first
line of standard output, open the browser, serve until Ctrl-C; answers still coming in are saved and
analysed before the program exits."""
from __future__ import annotations

import socket
import sys
import threading
from dataclasses import dataclass

from voice_interviewer.errors import UserError
from voice_interviewer.practice import Options
from voice_interviewer.web.live import MAX_MESSAGE_BYTES
from voice_interviewer.web.security import TOKEN_PARAM, Access, host_names, is_loopback, new_token

DEFAULT_HOST = "127.0.0.1"
SHUTDOWN_GRACE_S = 120.0  # an answer being analysed when Ctrl-C comes is finished first


@dataclass
class Launch:
    host: str = DEFAULT_HOST
    port: int = 0  # 0: any free port
    open_browser: bool = True


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port} ({exc.strerror or exc})", 2) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def url_for(host: str, port: int, token: str) -> str:
    shown = DEFAULT_HOST if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}/?{TOKEN_PARAM}={token}"


def serve(opts: Options, launch: Launch) -> int:
    import uvicorn

    from voice_interviewer.web.app import create_app
    from voice_interviewer.web.room import Room

    sock = bind(launch.host, launch.port)
    port = sock.getsockname()[1]
    access = Access(new_token(), host_names(launch.host, port), port)
    url = url_for(launch.host, port, access.token)
    print(url, flush=True)  # the first line: scripts and tests read it
    print(f"Practice room open at the address above (only this browser session can use it); "
          f"recordings in {opts.root}. Ctrl-C stops.", flush=True)
    if not is_loopback(launch.host):
        print(f"warning: listening on {launch.host}: other machines can reach this port (the token still guards it; "
              f"camera and microphone work only on 127.0.0.1 or localhost)", file=sys.stderr, flush=True)
    room = Room(opts)
    app = create_app(room, access)
    config = uvicorn.Config(app, log_level="warning", ws="websockets-sansio", ws_max_size=MAX_MESSAGE_BYTES,
                            ws_ping_interval=20, timeout_graceful_shutdown=SHUTDOWN_GRACE_S, lifespan="off",
                            server_header=False, date_header=False)
    server = uvicorn.Server(config)
    if launch.open_browser:
        threading.Thread(target=_open, args=(url,), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops gracefully on Ctrl-C, then raises it again: that is a clean stop
        pass
    finally:
        room.close()
        sock.close()
    print("Stopped; every take is saved.", flush=True)
    return 0


def _open(url: str) -> None:
    import webbrowser

    try:
        webbrowser.open(url)
    except Exception:  # no browser here: the address was printed
        pass
