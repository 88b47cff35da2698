"""Recording an answer from the microphone (sounddevice / PortAudio).

The PortAudio callback only copies each block into a queue: it never waits. The recording loop takes
blocks off the queue, hands them to the answer's sink (`answer.LiveAnswer`: the crash-safe WAV on disk at
once, and the streaming transcriber), and decides when the answer has ended. The end-of-answer logic is a pure
class (`Endpointer`) fed with block levels, so it is tested on arrays.
"""
from __future__ import annotations

import queue
import sys
import threading
import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.errors import UserError

BLOCK_S = 0.05
# Speech is a block this much louder than the room's noise floor, and at least this loud.
SPEECH_ABOVE_FLOOR_DB = 12.0
SPEECH_MIN_DBFS = -60.0  # low enough for a microphone turned down 30 dB (the most the transcriber turns up)
SPEECH_MIN_BLOCKS = 3  # 150 ms of sound before speech counts as started (a click is not an answer)
CALIBRATE_S = 0.3  # the first blocks set the room's noise floor...
CALIBRATE_MAX_FLOOR_DB = -40.0  # ...unless they are louder than a room: the person is already speaking
FLAT_INPUT_S = 3.0  # a microphone that gives digital silence (or one constant value) this long is suspect
FLAT_DB = -90.0
MAX_TIME_WARNING_S = 15.0
STREAM_START_TIMEOUT_S = 10.0
DEVICES_HINT = "list devices with `voice-interviewer devices`"

END_ENTER, END_SILENCE, END_MAX_TIME, END_INTERRUPT, END_NO_SPEECH = "enter", "silence", "max_time", "interrupt", "no_speech"
END_WRITE_ERROR = "write_error"  # the audio could not be written (a full disk): recording stopped


class Sink(Protocol):
    def feed(self, block: np.ndarray) -> bool:
        """Keep a block of 16 kHz audio; False when no more can be kept (stop recording)."""
        ...


@dataclass
class CaptureResult:
    seconds: float  # audio captured
    end_reason: str
    speech_started_s: float | None
    speech_ended_s: float | None = None  # end of the last speech block heard


def block_db(block: np.ndarray) -> float:
    if block.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
    return 20.0 * np.log10(max(rms, 1e-6))


class Endpointer:
    """Decides, block by block, when an answer has started and ended.

    - speech starts after SPEECH_MIN_BLOCKS consecutive loud blocks;
    - the answer ends after `end_silence` seconds without speech once speech has started;
    - or at `max_seconds`; or with no speech within `start_timeout` seconds (END_NO_SPEECH).
    """

    def __init__(self, end_silence: float = 4.0, max_seconds: float = 180.0, start_timeout: float = 20.0,
                 block_s: float = BLOCK_S):
        self.end_silence = end_silence
        self.max_seconds = max_seconds
        self.start_timeout = start_timeout
        self.block_s = block_s
        self.t = 0.0
        self.floor_db: float | None = None
        self.loud_run = 0
        self.speech_started: float | None = None
        self.last_speech: float | None = None
        self.flat_run = 0.0
        self.last_value: float | None = None

    def is_speech(self, db: float) -> bool:
        floor = self.floor_db if self.floor_db is not None else -90.0
        return db >= max(SPEECH_MIN_DBFS, floor + SPEECH_ABOVE_FLOOR_DB)

    def feed(self, db: float, flat: bool = False) -> str | None:
        """One block's level in dBFS; returns an end reason when the answer is over."""
        self.t += self.block_s
        self.flat_run = self.flat_run + self.block_s if (flat or db <= FLAT_DB) else 0.0
        if self.t <= CALIBRATE_S + 1e-9:
            self.floor_db = min(db, CALIBRATE_MAX_FLOOR_DB, self.floor_db if self.floor_db is not None else db)
            return None
        speech = self.is_speech(db)
        if not speech:
            # the floor follows the quiet blocks: fast down, slow up
            if self.floor_db is None or db < self.floor_db:
                self.floor_db = db
            else:
                self.floor_db += 0.02 * (db - self.floor_db)
        self.loud_run = self.loud_run + 1 if speech else 0
        if self.loud_run >= SPEECH_MIN_BLOCKS:
            if self.speech_started is None:
                self.speech_started = self.t - SPEECH_MIN_BLOCKS * self.block_s
            self.last_speech = self.t
        if self.t >= self.max_seconds - 1e-9:
            return END_MAX_TIME
        if self.speech_started is None:
            return END_NO_SPEECH if self.t >= self.start_timeout - 1e-9 else None
        if self.t - self.last_speech >= self.end_silence - 1e-9:
            return END_SILENCE
        return None

    @property
    def input_flat(self) -> bool:
        return self.flat_run >= FLAT_INPUT_S


def resolve_device(spec: str | int | None, kind: str = "input") -> int | None:
    """An index or a (part of a) device name -> the PortAudio index; None means the default device."""
    from voice_interviewer.sound import sounddevice
    sd = sounddevice()

    channels_key = "max_input_channels" if kind == "input" else "max_output_channels"
    try:
        devices = list(sd.query_devices())
    except Exception as exc:  # PortAudio could not list devices
        raise UserError(f"cannot list audio devices ({exc}); {DEVICES_HINT}", 2) from None
    usable = [i for i, d in enumerate(devices) if d[channels_key] > 0]
    if spec is None or spec == "":
        if not usable:
            raise UserError(f"no {kind} device found (is a microphone connected?); {DEVICES_HINT}", 2)
        return None
    text = str(spec).strip()
    if text.isdigit():
        idx = int(text)
        if idx in usable:
            return idx
        raise UserError(f"{kind} device {idx} does not exist or has no {kind} channels; {DEVICES_HINT}", 2)
    matches = [i for i in usable if text.lower() in devices[i]["name"].lower()]
    if not matches:
        raise UserError(f"no {kind} device named {text!r}; {DEVICES_HINT}", 2)
    return matches[0]


class _Resampler:
    """Device rate -> 16 kHz mono float32 (PyAV's libswresample), or a pass-through at 16 kHz."""

    def __init__(self, rate: int):
        self.rate = rate
        self._r = None
        if rate != SAMPLE_RATE:
            import av

            self._r = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            self._pts = 0

    def __call__(self, block: np.ndarray) -> np.ndarray:
        mono = block.mean(axis=1) if block.ndim == 2 else block
        mono = np.ascontiguousarray(mono, dtype=np.float32)
        if self._r is None:
            return mono
        import av

        frame = av.AudioFrame.from_ndarray(mono.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.rate
        frame.pts = self._pts
        self._pts += mono.size
        out = [f.to_ndarray().reshape(-1) for f in self._r.resample(frame)]
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


def _open_stream(device, callback):
    """An input stream at 16 kHz if the device takes it, else at the device's own rate."""
    from voice_interviewer.sound import sounddevice
    sd = sounddevice()

    last = None
    rates = [SAMPLE_RATE]
    try:
        rates.append(int(sd.query_devices(device, "input")["default_samplerate"]))
    except Exception:
        pass
    for rate in rates:
        try:
            stream = sd.InputStream(device=device, channels=1, samplerate=rate, dtype="float32",
                                    blocksize=int(rate * BLOCK_S), callback=callback)
            return stream, rate
        except Exception as exc:
            last = exc
    name = "the default input device" if device is None else f"input device {device}"
    raise UserError(f"cannot open {name} ({str(last).splitlines()[0] if last else 'unknown error'}); {DEVICES_HINT}", 2)


def record_answer(sink: Sink, *, device=None, end_silence: float = 4.0, max_seconds: float = 180.0,
                  start_timeout: float = 20.0, ui: "RecordingUI | None" = None,
                  stop_event: threading.Event | None = None) -> CaptureResult:
    """Record until the answer ends, handing every block to `sink` as it is captured."""
    blocks: queue.Queue = queue.Queue()  # unbounded: the callback never waits, no audio is dropped
    overflowed = []

    def callback(indata, frames, time_info, status):
        if status.input_overflow:
            overflowed.append(True)
        blocks.put(indata.copy())

    stream, rate = _open_stream(device, callback)
    resample = _Resampler(rate)
    endpointer = Endpointer(end_silence, max_seconds, start_timeout)
    stop_event = stop_event or threading.Event()
    ui = ui or RecordingUI(quiet=True)
    reason = None
    pending = np.zeros(0, np.float32)
    block_n = int(SAMPLE_RATE * BLOCK_S)
    captured = 0  # samples
    try:
        with stream:
            # "speak now" only once audio really flows: some audio paths (PulseAudio through ALSA) take
            # a second or two to deliver the first block, and words said before that would be lost
            try:
                first = [blocks.get(timeout=STREAM_START_TIMEOUT_S)]
            except queue.Empty:
                raise UserError(f"the microphone delivered no audio within {STREAM_START_TIMEOUT_S:.0f} s; "
                                f"{DEVICES_HINT}", 2) from None
            ui.started(max_seconds)
            while reason is None:
                if stop_event.is_set():
                    reason = END_ENTER
                    break
                try:
                    raw = first.pop() if first else blocks.get(timeout=0.2)
                except queue.Empty:
                    continue
                samples = resample(raw)
                captured += samples.size
                if not sink.feed(samples):
                    reason = END_WRITE_ERROR
                    break
                pending = np.concatenate([pending, samples])
                while pending.size >= block_n and reason is None:
                    b, pending = pending[:block_n], pending[block_n:]
                    flat = bool(b.size and float(np.ptp(b)) == 0.0)
                    reason = endpointer.feed(block_db(b), flat)
                ui.update(endpointer.t, block_db(samples), endpointer)
        # what PortAudio captured before the stream closed is part of the answer too
        captured += _drain(blocks, resample, sink, reason)
    except KeyboardInterrupt:
        reason = END_INTERRUPT
        captured += _drain(blocks, resample, sink, reason)
    finally:
        ui.finished()
    return CaptureResult(captured / SAMPLE_RATE, reason, endpointer.speech_started, endpointer.last_speech)


def _drain(blocks: queue.Queue, resample, sink: Sink, reason: str | None) -> int:
    """Hand what is still queued to the sink (unless it can take no more); the samples handed over."""
    n = 0
    while reason != END_WRITE_ERROR and not blocks.empty():
        samples = resample(blocks.get_nowait())
        n += samples.size
        if not sink.feed(samples):
            break
    return n


class RecordingUI:
    """The on-screen side of recording: elapsed time, a level meter, warnings. Quiet when not a terminal."""

    def __init__(self, quiet: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.quiet = (not self.stream.isatty()) if quiet is None else quiet
        self.max_seconds = 0.0
        self.warned_flat = False
        self.warned_time = False
        self._last = 0.0

    def started(self, max_seconds: float) -> None:
        self.max_seconds = max_seconds
        print("Recording - speak now; press Enter when you are done", file=self.stream, flush=True)

    def update(self, t: float, db: float, endpointer: Endpointer) -> None:
        if endpointer.input_flat and not self.warned_flat:
            self.warned_flat = True
            self._line("")
            print("no sound from the microphone: check the input device", file=self.stream, flush=True)
        if self.max_seconds - t <= MAX_TIME_WARNING_S and not self.warned_time and self.max_seconds > MAX_TIME_WARNING_S:
            self.warned_time = True
            self._line("")
            print(f"{MAX_TIME_WARNING_S:.0f} seconds left", file=self.stream, flush=True)
        if self.quiet or time.monotonic() - self._last < 0.1:
            return
        self._last = time.monotonic()
        bars = int(max(0.0, min(1.0, (db + 60) / 60)) * 20)
        state = "speaking" if endpointer.loud_run else ("listening" if endpointer.speech_started is None else "pause")
        self._line(f"REC {int(t) // 60:02d}:{int(t) % 60:02d}  [{'#' * bars}{'.' * (20 - bars)}] {db:5.0f} dB  {state}")

    def _line(self, text: str) -> None:
        if not self.quiet:
            self.stream.write("\r" + text.ljust(60))
            self.stream.flush()

    def finished(self) -> None:
        if not self.quiet:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def list_devices() -> list[dict]:
    from voice_interviewer.sound import sounddevice
    sd = sounddevice()

    default_in, default_out = sd.default.device
    out = []
    for i, d in enumerate(sd.query_devices()):
        out.append({"index": i, "name": d["name"], "inputs": d["max_input_channels"], "outputs": d["max_output_channels"],
                    "default_samplerate": d["default_samplerate"], "default_input": i == default_in,
                    "default_output": i == default_out})
    return out
