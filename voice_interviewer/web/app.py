"""The routes: three pages (the room, history, one take), their JSON, the media of a take, the
interviewer's voice as WAV, and the answer's WebSocket. Pages are static files (no server-side
templating); the scripts fetch JSON and write it with textContent. Only GET and the WebSocket exist:
nothing else is accepted (405)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from voice_interviewer.errors import UserError
from voice_interviewer.web.room import NotFound, Room
from voice_interviewer.web.security import Access, Guard

STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
MEDIA_TYPES = {".wav": "audio/wav", ".webm": "video/webm"}
# The saved report is one self-contained file with its own inline script and styles (it works offline and
# by e-mail); served here in a sandbox: no access to this server's cookie or API, no network at all.
REPORT_CSP = ("sandbox allow-scripts; default-src 'none'; script-src 'sha256-{script}'; style-src 'unsafe-inline'; "
              "img-src data:; media-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def static_dir() -> Path:
    return Path(str(resources.files("voice_interviewer.web").joinpath("static")))


def create_app(room: Room, access: Access) -> Guard:
    static = static_dir()
    static_files = {p.name: p for p in static.iterdir() if p.suffix in STATIC_TYPES}

    def page(name: str):
        async def endpoint(request: Request):
            return FileResponse(static_files[name], media_type=STATIC_TYPES[".html"])
        return endpoint

    async def static_file(request: Request):
        p = static_files.get(request.path_params["name"])
        if p is None:
            return PlainTextResponse("not found", 404)
        return FileResponse(p, media_type=STATIC_TYPES[p.suffix])

    async def favicon(request: Request):
        return FileResponse(static_files["icon.svg"], media_type=STATIC_TYPES[".svg"])

    async def state(request: Request):
        return JSONResponse(room.state())

    async def question_speech(request: Request):
        try:
            question = room.question(request.path_params["index"])
        except NotFound:
            return PlainTextResponse("not found", 404)
        return await _speech(room, question.text)

    async def history(request: Request):
        return JSONResponse(await _thread(room.history))

    def with_take(handler):
        async def endpoint(request: Request):
            try:
                take = room.find(request.path_params["session"], request.path_params["take"])
                return await handler(request, take)
            except NotFound:
                return PlainTextResponse("not found", 404)
            except UserError as exc:
                return JSONResponse({"error": str(exc)}, 409)
        return endpoint

    async def take_json(request: Request, take):
        return JSONResponse(await _thread(room.view, take))

    async def take_presence(request: Request, take):
        return JSONResponse(room.presence(take))

    async def take_speech(request: Request, take):
        kind = request.path_params["kind"]
        view = await _thread(room.view, take)
        text = {"summary": view.get("spoken_summary"), "follow-up": view.get("follow_up")}.get(kind)
        if not text:
            return PlainTextResponse("not found", 404)
        return await _speech(room, text)

    async def media(request: Request, take):
        p = room.media_path(take, request.path_params["name"])
        return FileResponse(p, media_type=MEDIA_TYPES[p.suffix])

    async def report(request: Request, take):
        import hashlib
        import base64

        from voice_interviewer.report import SCRIPT

        path = await _thread(room.report_path, take)
        digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
        # read whole, not streamed: the report may be written again (atomically) while it is being sent
        return Response(await _thread(path.read_bytes), media_type=STATIC_TYPES[".html"],
                        headers={"content-security-policy": REPORT_CSP.format(script=digest)})

    async def answer(websocket: WebSocket):
        from voice_interviewer.web.live import answer_socket

        await answer_socket(websocket, room)

    take = "/{session:str}/{take:str}"
    routes = [
        Route("/", page("room.html")),
        Route("/history", page("history.html")),
        Route("/takes" + take, with_take(lambda request, t: page("take.html")(request))),
        Route("/takes" + take + "/report", with_take(report)),
        Route("/static/{name:str}", static_file),
        Route("/favicon.ico", favicon),
        Route("/api/state", state),
        Route("/api/questions/{index:int}/speech.wav", question_speech),
        Route("/api/takes", history),
        Route("/api/takes" + take, with_take(take_json)),
        Route("/api/takes" + take + "/presence", with_take(take_presence)),
        Route("/api/takes" + take + "/{kind:str}.wav", with_take(take_speech)),
        Route("/media" + take + "/{name:str}", with_take(media)),
        WebSocketRoute("/ws/answer", answer),
    ]
    app = Starlette(routes=routes)
    return Guard(app, access)


async def _thread(fn, *args):
    import asyncio

    return await asyncio.to_thread(fn, *args)


async def _speech(room: Room, text: str) -> Response:
    data = await _thread(room.speech_wav, text)
    if data is None:
        return PlainTextResponse("speech is off", 404)
    return Response(data, media_type="audio/wav")
