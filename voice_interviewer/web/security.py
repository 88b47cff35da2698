"""Who may talk to the practice room: only this machine's own browser, holding this launch's token.

An ASGI middleware in front of everything (pages, API, media, WebSocket):
- the Host header must name this server (127.0.0.1, localhost or [::1] at its port, or the address it was
  told to bind): a page elsewhere that rebinds its DNS name to 127.0.0.1 sends its own name and is refused;
- an Origin header, when there is one, must be this server's own (a WebSocket must have one);
- the per-launch token: given once in the URL (`?token=`), it is swapped for an HttpOnly, SameSite=Strict
  cookie and the browser is sent to the same address without it; after that the cookie is checked;
- every response carries a strict Content-Security-Policy (scripts and styles from this server only,
  nothing from anywhere else) and headers that keep the pages out of frames and other origins.
Refusals are 403 with a one-line text body (a WebSocket is closed before it is accepted: 403 too).
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

TOKEN_PARAM = "token"
TOKEN_BYTES = 32
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
           "media-src 'self' blob:; connect-src 'self' {ws}; worker-src 'self'; font-src 'self'; "
           "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
COMMON_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(self), microphone=(self), geolocation=(), usb=(), payment=()",
    "cache-control": "no-store",
}


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_names(bind_host: str, port: int) -> frozenset[str]:
    """The Host header values this server answers to."""
    names = set(LOOPBACK_NAMES)
    if bind_host not in ("0.0.0.0", "::", ""):
        names.add(f"[{bind_host}]" if ":" in bind_host and not bind_host.startswith("[") else bind_host)
    return frozenset(f"{n}:{port}" for n in names)


@dataclass(frozen=True)
class Access:
    token: str
    hosts: frozenset[str]  # "name:port"
    port: int

    @property
    def cookie_name(self) -> str:
        return f"vi_token_{self.port}"  # cookies ignore ports: one per server

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def origin_ok(self, origin: str) -> bool:
        return any(origin == f"http://{h}" for h in self.hosts)


def _headers(scope) -> dict[str, str]:
    out = {}
    for k, v in scope.get("headers", []):
        out.setdefault(k.decode("latin-1").lower(), v.decode("latin-1"))
    return out


def security_headers(host: str, extra: dict[str, str] | None = None) -> list[tuple[bytes, bytes]]:
    headers = {**COMMON_HEADERS, "content-security-policy": APP_CSP.format(ws=f"ws://{host}"), **(extra or {})}
    return [(k.encode(), v.encode()) for k, v in headers.items()]


class Guard:
    """ASGI middleware: Host, Origin and token checks, then security headers on every response.
    A route may set its own Content-Security-Policy (the saved report's, sandboxed): it is kept."""

    def __init__(self, app, access: Access):
        self.app = app
        self.access = access

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        host = headers.get("host", "")
        if host not in self.access.hosts:
            return await self._refuse(scope, receive, send, "unknown Host", host)
        origin = headers.get("origin")
        if origin is not None and not self.access.origin_ok(origin):
            return await self._refuse(scope, receive, send, "foreign Origin", host)
        if scope["type"] == "websocket" and origin is None:
            return await self._refuse(scope, receive, send, "no Origin", host)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = dict(query).get(TOKEN_PARAM)
        if given is not None and scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            if not self.access.token_ok(given):
                return await self._refuse(scope, receive, send, "wrong token", host)
            rest = urlencode([(k, v) for k, v in query if k != TOKEN_PARAM])
            return await self._swap_for_cookie(send, host, scope["path"] + (f"?{rest}" if rest else ""))
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header holds no token
            cookie = SimpleCookie()
        morsel = cookie.get(self.access.cookie_name)
        if not self.access.token_ok(morsel.value if morsel else None):
            return await self._refuse(scope, receive, send, "no token: open the address the program printed", host)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                own = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in security_headers(host) if k not in own]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        return await self.app(scope, receive, send_with_headers)

    async def _swap_for_cookie(self, send, host: str, location: str):
        cookie = f"{self.access.cookie_name}={self.access.token}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 303,
                    "headers": security_headers(host) + [(b"location", location.encode()), (b"set-cookie", cookie.encode()),
                                                         (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def _refuse(self, scope, receive, send, why: str, host: str):
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # before accept: the server answers 403
            return
        body = f"403 forbidden: {why}\n".encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": security_headers(host) + [(b"content-type", b"text/plain; charset=utf-8"),
                                                         (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
