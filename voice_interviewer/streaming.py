"""Transcribing while the person speaks, so feedback is ready the moment the answer ends.

The recorder hands every captured block to `StreamingTranscriber.feed`, which only appends it to the
audio buffer and, now and then, nudges the worker through a small bounded queue (a nudge that finds the
queue full is dropped: the audio itself is never dropped, it stays in the buffer). The worker thread
looks at the audio not yet transcribed, finds a pause the speaker has finished (VAD), and transcribes
everything before it with the same method as a whole file (`analysis.transcribe_words`, fillers kept).
When the answer ends, only the stretch after the last pause is left to do.
"""
from __future__ import annotations

import queue
import threading

import numpy as np

from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.records import Word
from voice_interviewer.vad import Region, speech_regions

NUDGE_EVERY_S = 1.0  # how often the worker looks for a finished stretch
CUT_MIN_GAP_S = 0.6  # a silence this long between speech regions is a safe place to cut
CUT_SAFETY_S = 0.3  # the cut's silence must have ended this long before the newest audio
MIN_STRETCH_S = 12.0  # stretches this long at least: tiny.en words are truer with more audio around them
MAX_STRETCH_S = 25.0  # past this, cut at the longest silence there is
NUDGE_QUEUE_SIZE = 4


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
        self.warnings: list[str] = []
        self.speech: list[Region] = []  # where the VAD heard speech, in seconds from the start
        self.stretches = 0
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
                self._transcribe_finished_stretch()
            except BaseException as exc:  # reported from finish(); the rest is done there
                self._error = exc
                return

    def _transcribe_finished_stretch(self) -> None:
        audio = self.audio()
        pending = audio[self.committed:]
        if pending.size < MIN_STRETCH_S * self.rate:
            return
        cut = find_cut(pending, self.rate)
        if cut is None:
            return
        self._do(audio, self.committed, self.committed + cut)

    def _do(self, audio: np.ndarray, start: int, end: int) -> None:
        from voice_interviewer.analysis import transcribe_words

        clip = audio[start:end]
        offset_s = start / self.rate
        regions = speech_regions(clip)
        words, warnings = transcribe_words(self.engine, clip, offset_s=offset_s, regions=regions)
        self.speech += [Region(r.start + offset_s, r.end + offset_s) for r in regions]
        self.words += words
        self.warnings += [w for w in warnings if w not in self.warnings]
        self.committed = end
        self.stretches += 1

    def finish(self) -> tuple[list[Word], list[str]]:
        """Wait for the worker, transcribe what is left, return all the words and warnings."""
        self._nudges.put(None)  # after any nudges already queued
        self._worker.join()
        audio = self.audio()
        if self.committed < audio.size:
            self._do(audio, self.committed, audio.size)
        from voice_interviewer.analysis import NO_SPEECH

        warnings = [w for w in self.warnings if w != NO_SPEECH]
        if not self.words:
            warnings.append(NO_SPEECH)
        return sorted(self.words, key=lambda w: w.start), warnings

    def close(self) -> None:
        if self._worker.is_alive():
            try:
                self._nudges.put_nowait(None)
            except queue.Full:
                pass


def find_cut(pending: np.ndarray, rate: int = SAMPLE_RATE) -> int | None:
    """A sample index inside a finished pause where the audio before it can be transcribed on its own:
    the middle of the last silence of at least CUT_MIN_GAP_S that ended CUT_SAFETY_S ago; for a long
    stretch with no such pause, the middle of its longest silence. None: keep listening."""
    regions = speech_regions(pending)
    if not regions:
        return None
    total = pending.size / rate
    gaps = [(a.end, b.start) for a, b in zip(regions, regions[1:])]
    # the silence after the last region counts too, once it is long enough
    gaps.append((regions[-1].end, total))
    good = [(a, b) for a, b in gaps if (a + b) / 2 >= MIN_STRETCH_S and (
        (b - a >= CUT_MIN_GAP_S and total - b >= CUT_SAFETY_S) or (b == total and b - a >= CUT_MIN_GAP_S + CUT_SAFETY_S))]
    if good:
        a, b = good[-1]
        if b == total:
            b = total - CUT_SAFETY_S
        return int((a + b) / 2 * rate)
    if total >= MAX_STRETCH_S and len(gaps) > 1:
        a, b = max(gaps[:-1], key=lambda g: g[1] - g[0])
        return int((a + b) / 2 * rate)
    return None
