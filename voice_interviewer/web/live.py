"""One answer over a WebSocket: the browser streams the microphone (16 kHz float32) while the person
speaks, and the camera's recording (WebM from MediaRecorder) in one-second pieces; both are on disk as
they arrive. The audio goes through the same live path as the terminal loop (`answer.LiveAnswer`: the
crash-safe answer.wav, transcribed while recording), so the feedback is ready when the person stops.

Messages from the browser:
    text   {"type": "start", "question_id", "question", "follow_up_of", "sample_rate": 16000, "video": bool}
    binary 0x01 + little-endian float32 samples       (audio)
    binary 0x02 + the next bytes of the WebM file     (video)
    text   {"type": "stop"}                           the answer is over: analyse it
    text   {"type": "video-end"}                      the last piece of the video has been sent
Messages to the browser:
    {"type": "started", "take"}; {"type": "feedback", "take", "view"}; {"type": "presence", "take", "presence"};
    {"type": "error", "message"}.
If the socket closes before "stop" (the page was closed, the server is stopping), the take is kept and
analysed all the same, as Ctrl-C keeps it in the terminal.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

import numpy as np
from starlette.websockets import WebSocket, WebSocketDisconnect

from voice_interviewer import store
from voice_interviewer.capture import END_ENTER, END_INTERRUPT, END_MAX_TIME, END_WRITE_ERROR
from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.errors import UserError
from voice_interviewer.web.room import (VIDEO_FILE, VIDEO_RECORDING_FILE, Room, background_priority, media_url,
                                        save_presence)

AUDIO_TAG = 0x01
VIDEO_TAG = 0x02
MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # one WebSocket message (uvicorn refuses bigger ones too)
MAX_TEXT_BYTES = 8 * 1024
MAX_VIDEO_BYTES = 400 * 1024 * 1024  # about 20 minutes at the browser's usual 2.5 Mbit/s
EXTRA_AUDIO_S = 10.0  # audio accepted past the answer's limit (the browser stops at the limit itself)
START_TIMEOUT_S = 30.0
WEBM_MAGIC = b"\x1a\x45\xdf\xa3"  # EBML: every WebM file starts with it


class Refused(Exception):
    """The browser sent something this socket does not take; said to it, then the socket is closed."""


async def answer_socket(websocket: WebSocket, room: Room) -> None:
    await websocket.accept()
    try:
        start = await asyncio.wait_for(_receive_json(websocket), START_TIMEOUT_S)
        session = AnswerSession(room, _check_start(start, room))
    except (Refused, asyncio.TimeoutError, UserError) as exc:
        await _error(websocket, str(exc) or "no start message")
        return
    except WebSocketDisconnect:
        return
    try:
        await session.begin()
    except Exception as exc:  # a full disk, an unwritable folder, a model that failed to load: said in one line
        await _error(websocket, str(exc) if isinstance(exc, (UserError, OSError)) else f"cannot record ({exc})")
        return
    await websocket.send_json({"type": "started", "take": room.take_id(session.take)})
    await session.run(websocket)


def _check_start(msg: dict, room: Room) -> dict:
    if msg.get("type") != "start":
        raise Refused("the first message must be 'start'")
    if msg.get("sample_rate") != SAMPLE_RATE:
        raise Refused(f"audio must be {SAMPLE_RATE} Hz float32")
    qid = msg.get("question_id")
    question = next((q for q in room.opts.questions if q.id == qid), None) or \
        next((q for q in room.opts.bank.questions if q.id == qid), None)
    if question is None:
        raise Refused(f"no question {qid!r}")
    text = msg.get("question") or question.text
    follow_up_of = msg.get("follow_up_of")
    if not isinstance(text, str) or len(text) > 1000 or (follow_up_of is not None and not isinstance(follow_up_of, str)):
        raise Refused("bad start message")
    return {"question": question, "text": text, "follow_up_of": follow_up_of, "video": bool(msg.get("video"))}


async def _receive_json(websocket: WebSocket) -> dict:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    return _parse(message.get("text"))


def _parse(text: str | None) -> dict:
    if not text or len(text) > MAX_TEXT_BYTES:
        raise Refused("expected a short JSON message")
    try:
        doc = json.loads(text)
    except ValueError:
        raise Refused("not JSON") from None
    if not isinstance(doc, dict):
        raise Refused("not a JSON object")
    return doc


async def _error(websocket: WebSocket, message: str) -> None:
    try:
        await websocket.send_json({"type": "error", "message": message})
        await websocket.close(code=1008)
    except (WebSocketDisconnect, RuntimeError):
        pass


class VideoFile:
    """The camera's WebM, appended as it arrives (what arrived survives a crash), and read back as it grows
    by the presence measurement (`follow()`)."""

    def __init__(self, path: Path):
        import os

        self.path = path
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, store.FILE_MODE)
        self._f = os.fdopen(fd, "wb")
        self.size = 0
        self.grown = threading.Condition()
        self.closed = False

    def write(self, data: bytes) -> None:
        if self.closed:
            return  # stopped (a write error): the rest of the video is dropped
        if self.size == 0 and not data.startswith(WEBM_MAGIC):
            raise Refused("the video is not WebM")
        if self.size + len(data) > MAX_VIDEO_BYTES:
            raise Refused("the video is too large")
        self._f.write(data)
        self._f.flush()
        self.size += len(data)
        with self.grown:
            self.grown.notify_all()

    def close(self) -> None:
        if not self._f.closed:
            self._f.close()
        with self.grown:
            self.closed = True
            self.grown.notify_all()

    def follow(self) -> "FollowedFile":
        return FollowedFile(self)


class FollowedFile:
    """The video file read from the front while it is being written: a read waits for more bytes until
    the writer closes it. Not seekable, so the decoder reads it once, front to back."""

    def __init__(self, video: VideoFile):
        self.video = video
        self._f = open(video.path, "rb")

    def read(self, n: int = -1) -> bytes:
        n = n if n and n > 0 else 1 << 20
        while True:
            data = self._f.read(n)
            if data:
                return data
            with self.video.grown:
                if self.video.closed:
                    return self._f.read(n)
                self.video.grown.wait(0.5)

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self._f.close()


class LivePresence:
    """Presence measured while the person answers: the video is decoded and looked at as its pieces
    arrive, so the figures are ready moments after the last piece."""

    def __init__(self, video: VideoFile):
        self.source = video.follow()
        self.looks = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="live-presence", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from voice_interviewer.presence import look_at_video

        background_priority()
        try:
            self.looks = look_at_video(self.source)
        except BaseException as exc:  # the file is measured again from disk (room.save_presence)
            self.error = exc
        finally:
            self.source.close()

    def result(self):
        """The frames looked at (None when the live measurement failed); call after the video is closed."""
        self.thread.join()
        return self.looks


class AnswerSession:
    def __init__(self, room: Room, start: dict):
        self.room = room
        self.start = start
        self.take: Path | None = None
        self.live = None
        self.video: VideoFile | None = None
        self.live_presence: LivePresence | None = None
        self.samples = 0
        self.max_samples = int((room.opts.max_seconds + EXTRA_AUDIO_S) * SAMPLE_RATE)
        self.stopped_at: float | None = None
        self.end_reason = END_INTERRUPT
        self.discarded = False  # no audio arrived: the take was removed

    async def begin(self) -> None:
        s = self.start
        self.take, self.live = await asyncio.to_thread(self.room.start_answer, s["question"], s["text"], s["follow_up_of"])
        self.end_reason = END_INTERRUPT  # until the browser says "stop"
        self.room.recording.add(self.take)  # its video is not measured until it is complete
        if s["video"]:
            self.video = VideoFile(self.take / VIDEO_RECORDING_FILE)
            self.live_presence = LivePresence(self.video)

    async def run(self, websocket: WebSocket) -> None:
        finishing: asyncio.Task | None = None
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                data = message.get("bytes")
                if data is not None:
                    kept = await self._take_bytes(data, stopped=finishing is not None)
                    if not kept and finishing is None:  # the disk is full: analyse what was captured
                        await _send(websocket, {"type": "error", "message": self.live.kept_line()})
                        self.stopped_at = time.monotonic()
                        finishing = asyncio.create_task(self._finish(websocket))
                    continue
                doc = _parse(message.get("text"))
                kind = doc.get("type")
                if kind == "stop" and finishing is None:
                    self.stopped_at = time.monotonic()
                    self.end_reason = END_MAX_TIME if doc.get("reason") == "limit" else END_ENTER
                    finishing = asyncio.create_task(self._finish(websocket))
                elif kind == "video-end":
                    break
        except Refused as exc:
            await _error(websocket, str(exc))
        except WebSocketDisconnect:
            pass
        finally:
            if finishing is None:  # closed mid-answer: keep and analyse what was recorded
                finishing = asyncio.create_task(self._finish(None))
            if self.video is not None:
                self.video.close()
        analysed = await finishing
        looks = None
        if self.video is not None:
            looks = await asyncio.to_thread(self.live_presence.result)
            if self.discarded:  # its folder is gone (and its number may be a new take's): nothing to keep
                self.video = None
            else:
                await asyncio.to_thread(self._keep_video)
        self.room.recording.discard(self.take)
        if self.video is not None and analysed:  # the panel's player moves from the audio to the finished video
            tid = self.room.take_id(self.take)
            await _send(websocket, {"type": "video", "take": tid, "url": media_url(tid, VIDEO_FILE)})
            presence = await asyncio.to_thread(self._presence, looks)
            await _send(websocket, {"type": "presence", "take": tid, "presence": presence})
        try:
            await websocket.close()
        except RuntimeError:
            pass

    async def _take_bytes(self, data: bytes, *, stopped: bool) -> bool:
        """Keep one message; False when the audio could no longer be written."""
        if len(data) > MAX_MESSAGE_BYTES or not data:
            raise Refused("message too large")
        tag, payload = data[0], data[1:]
        if tag == AUDIO_TAG:
            if stopped:
                return True  # audio after "stop" is not part of the answer
            if len(payload) % 4:
                raise Refused("audio must be float32 samples")
            block = np.frombuffer(payload, dtype="<f4")
            if self.samples + block.size > self.max_samples:
                return True  # past the limit: the browser stops on its own
            self.samples += block.size
            if not await asyncio.to_thread(self.live.feed, block):
                self.end_reason = END_WRITE_ERROR
                return False
        elif tag == VIDEO_TAG and self.video is not None:
            try:
                await asyncio.to_thread(self.video.write, payload)
            except OSError:  # a full disk: the video stops here, the audio decides the rest
                self.video.close()
        else:
            raise Refused("unknown message")
        return True

    async def _finish(self, websocket: WebSocket | None) -> bool:
        """Analyse the answer (the same live path as the terminal) and send the feedback."""
        s = self.start
        try:
            outcome = await asyncio.to_thread(self.room.finish_answer, self.take, self.live, s["question"], s["text"],
                                              self.end_reason)
        except Exception as exc:  # the take's audio is on disk; `voice-interviewer recover` can finish it
            if websocket is not None:
                await _send(websocket, {"type": "error", "message": f"the analysis failed ({exc}); the recording is kept"})
            return False
        if outcome is None:  # no audio at all: no take
            self.discarded = True
            if websocket is not None:
                await _send(websocket, {"type": "error", "message": "no audio arrived: nothing was recorded"})
            return False
        if outcome.save_error:
            if websocket is not None:
                await _send(websocket, {"type": "error", "message": f"the analysis was not saved ({outcome.save_error}); "
                                        "run `voice-interviewer reanalyze` once there is room"})
            return False
        take = self.room.find(self.take.parent.name, self.take.name)
        view = await asyncio.to_thread(self.room.view, take)
        if websocket is not None:
            view["ready_after_stop_s"] = round(time.monotonic() - self.stopped_at, 3) if self.stopped_at else None
            await _send(websocket, {"type": "feedback", "take": view["take"], "view": view})
        self.room.write_report_later(self.take)
        return True

    def _keep_video(self) -> None:
        """An empty video is dropped; a complete one gets the index a player needs to seek, and its final name."""
        if self.video.size == 0:
            self.video.path.unlink(missing_ok=True)
            self.video = None
            return
        from voice_interviewer.web.video import finish_video

        finish_video(self.video.path, self.take / VIDEO_FILE)

    def _presence(self, looks) -> dict:
        take = self.room.find(self.take.parent.name, self.take.name)
        if looks is not None:
            try:
                save_presence(take.path, looks, self.room.opts.thresholds)
            except (OSError, ValueError):
                pass
        else:
            try:
                self.room.measure_presence(take.path).result()
            except Exception:
                pass  # said as "failed" by room.presence
        return self.room.presence(take)


async def _send(websocket: WebSocket, doc: dict) -> None:
    try:
        await websocket.send_json(doc)
    except (WebSocketDisconnect, RuntimeError):
        pass  # the page went away; the take is saved all the same
