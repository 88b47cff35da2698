"""Transcribing while the person speaks, so feedback is ready the moment the answer ends.

The recorder hands every captured block to `StreamingTranscriber.feed`, which only appends it to the
audio buffer and, now and then, nudges the worker through a small bounded queue (a nudge that finds the
queue full is dropped: the audio itself is never dropped, it stays in the buffer).

The worker hears the answer in the same windows as a whole-file analysis (`vad.split_windows`: speech
regions packed into windows of at most 28 s, each found by looking only at the audio before its end), with
the same method (`analysis.transcribe_window`, fillers kept), so the streamed result is the whole-file
result. A window is transcribed as soon as it is closed, that is once speech has begun that no longer fits
in it. The last, open window is transcribed speculatively whenever the speaker has been silent for a
moment: if that silence turns out to be the end of the answer, its words are ready when the answer ends.
"""
from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

import numpy as np

from voice_interviewer.analysis import Unclear, speech_warnings, transcribe_window
from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.records import Word
from voice_interviewer.vad import Region, Window, split_windows

NUDGE_EVERY_S = 1.0  # how often the worker looks at the new audio
# Silence after the last speech before the open window is heard speculatively (the answer may be over).
# The answer ends after 3-4 s of silence, which leaves the worker time to finish.
SETTLED_SILENCE_S = 0.9
NUDGE_QUEUE_SIZE = 4


@dataclass(frozen=True)
class Heard:
    """The words of one window, and the stretches the model was unsure of."""

    window: Window
    words: tuple[Word, ...]
    unclear: tuple[Unclear, ...] = ()


class StreamingTranscriber:
    def __init__(self, engine, *, sample_rate: int = SAMPLE_RATE):
        self.engine = engine
        self.rate = sample_rate
        self._chunks: list[np.ndarray] = []
        self._n = 0  # samples received
        self._lock = threading.Lock()
        self._nudges: queue.Queue = queue.Queue(maxsize=NUDGE_QUEUE_SIZE)
        self._since_nudge = 0
        self.committed = 0  # samples already transcribed
        self.words: list[Word] = []
        self.speech: list[Region] = []  # where the VAD heard speech, in seconds from the start
        self.unclear: list[Unclear] = []
        self.stretches = 0  # windows transcribed
        self._guess: Heard | None = None  # the open window, heard while the speaker was silent
        self.speculation_used = False
        self._error: BaseException | None = None
        self._worker = threading.Thread(target=self._run, name="streaming-transcriber", daemon=True)
        self._worker.start()

    # --- called from the recorder's thread: never blocks --------------------------------------------
    def feed(self, block: np.ndarray) -> None:
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        with self._lock:
            self._chunks.append(block)
            self._n += block.size
        self._since_nudge += block.size
        if self._since_nudge >= NUDGE_EVERY_S * self.rate:
            self._since_nudge = 0
            try:
                self._nudges.put_nowait(True)
            except queue.Full:
                pass  # the worker is behind; it will see all the audio when it gets there

    def audio(self) -> np.ndarray:
        with self._lock:
            if len(self._chunks) > 1:
                self._chunks = [np.concatenate(self._chunks)]
            return self._chunks[0] if self._chunks else np.zeros(0, np.float32)

    @property
    def received_seconds(self) -> float:
        return self._n / self.rate

    # --- the worker --------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            item = self._nudges.get()
            if item is None:
                return
            try:
                self._catch_up()
            except BaseException as exc:  # reported from finish(); the rest is done there
                self._error = exc
                return

    def _catch_up(self) -> None:
        audio = self.audio()
        rest = self._transcribe_closed_windows(audio)
        if settled(rest, (audio.size - self.committed) / self.rate) and not self._guess_holds(rest):
            self._guess = self._hear(audio, Window(self.committed, audio.size, tuple(rest)))

    def _transcribe_closed_windows(self, audio: np.ndarray) -> list[Region]:
        """Transcribe every closed window of the audio not yet transcribed; the speech regions of what is
        left (seconds from `self.committed`)."""
        windows, rest = split_windows(audio, self.committed, final=False)
        for w in windows:
            self._keep(self._words_of(audio, w))
        return rest

    def _guess_holds(self, regions) -> bool:
        g = self._guess
        return g is not None and g.window.start == self.committed and g.window.regions == tuple(regions)

    def _words_of(self, audio: np.ndarray, window: Window) -> Heard:
        if self._guess_holds(window.regions):  # heard already, in a silence of the speaker's
            return Heard(window, self._guess.words, self._guess.unclear)
        return self._hear(audio, window)

    def _hear(self, audio: np.ndarray, window: Window) -> Heard:
        words, unclear = transcribe_window(self.engine, audio, window, self.words)
        return Heard(window, tuple(words), tuple(unclear))

    def _keep(self, heard: Heard) -> None:
        self.speech += heard.window.speech()
        self.words += heard.words
        self.unclear += heard.unclear
        self.committed = heard.window.end
        self.stretches += 1

    def finish(self) -> tuple[list[Word], list[str]]:
        """Wait for the worker, transcribe what is left (nothing, when the last speculation still holds),
        return all the words and warnings."""
        self._nudges.put(None)  # after any nudges already queued
        self._worker.join()
        audio = self.audio()
        rest = self._transcribe_closed_windows(audio)
        if rest:
            self.speculation_used = self._guess_holds(rest)
            self._keep(self._words_of(audio, Window(self.committed, audio.size, tuple(rest))))
        self.words.sort(key=lambda w: w.start)
        return list(self.words), speech_warnings(self.speech, self.words, self.unclear)

    def close(self) -> None:
        if self._worker.is_alive():
            try:
                self._nudges.put_nowait(None)
            except queue.Full:
                pass


def settled(regions: list[Region], total_s: float) -> bool:
    """Speech was heard, and the speaker has been silent since for SETTLED_SILENCE_S."""
    return bool(regions) and total_s - regions[-1].end >= SETTLED_SILENCE_S
