"""One answer, from its audio as it arrives to the saved take, with no user interface.

Whoever delivers the audio (the terminal's microphone loop in `capture`, a browser's WebSocket) hands each
16 kHz mono block to `LiveAnswer.feed`. The block goes to the take's crash-safe answer.wav at once and to
the streaming transcriber, so the words are ready when the answer ends; `LiveAnswer.finish` then analyses
the answer and saves the take (analysis.json, transcript.json, feedback.md).

A write error (a full disk, a drive pulled out) loses nothing already captured: the WAV keeps every block
written before it and stays a valid file, `feed` returns False so the recorder stops, and the answer is
still analysed from memory. The analysis is saved if there is room; if not, the take stays "recorded"
and `voice-interviewer reanalyze` finishes it later.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from voice_interviewer import feedback, store
from voice_interviewer.config import DEFAULT_THRESHOLDS, SAMPLE_RATE, Thresholds
from voice_interviewer.errors import write_failure
from voice_interviewer.wavwriter import CrashSafeWavWriter

AUDIO_FILE = f"{store.AUDIO_STEM}.wav"


@dataclass
class Outcome:
    analysis: dict
    save_error: str | None = None  # why the analysis could not be saved ("the disk is full"), or None

    @property
    def saved(self) -> bool:
        return self.save_error is None

    @property
    def heard(self) -> bool:
        """Whether any words were heard (an empty take gets no delivery table of zeros)."""
        return bool((self.analysis.get("transcript") or {}).get("words"))


class LiveAnswer:
    def __init__(self, take: Path, engine):
        from voice_interviewer.streaming import StreamingTranscriber

        self.take = Path(take)
        self.path = self.take / AUDIO_FILE
        self.engine = engine
        self.transcriber = StreamingTranscriber(engine)
        self.write_error: str | None = None  # set once the audio could not be written
        self._writer = CrashSafeWavWriter(self.path, SAMPLE_RATE)

    def feed(self, block: np.ndarray) -> bool:
        """Keep one block of audio. False once it can no longer be written: stop recording."""
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        self.transcriber.feed(block)  # in memory, so what was captured is analysed even if the disk is full
        if self.write_error is None:
            try:
                self._writer.write(block)
            except OSError as exc:
                self.write_error = write_failure(exc)
        return self.write_error is None

    @property
    def seconds_kept(self) -> float:
        """Seconds of audio safely in answer.wav."""
        return self._writer.seconds

    @property
    def seconds_heard(self) -> float:
        return self.transcriber.received_seconds

    def close(self) -> None:
        """Finish the WAV file (no more audio will come)."""
        try:
            self._writer.close()
        except OSError as exc:
            self.write_error = self.write_error or write_failure(exc)

    def abandon(self) -> None:
        """Recording failed before it began: close the file and stop the transcriber."""
        self.close()
        self.transcriber.close()

    def kept_line(self) -> str:
        """What happened to the recording, in one line, after a write error."""
        return (f"{self.write_error}: recording stopped; {self.seconds_kept:.1f} s of the answer "
                f"kept in {self.path}")

    def finish(self, *, question: str | None = None, question_id: str | None = None, role: str | None = None,
               values: Sequence[str] = (), story: dict | None = None,
               thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Outcome:
        """Analyse the answer (the words are mostly transcribed already) and save the take."""
        from voice_interviewer.analysis import analyze_samples

        self.close()
        words, warnings = self.transcriber.finish()
        if self.write_error:
            warnings = [*warnings, self.kept_line()]
        analysis = analyze_samples(self.transcriber.audio(), self.engine, file=str(self.path), role=role,
                                   values=values, question=question, words=words, warnings=warnings,
                                   speech=self.transcriber.speech, thresholds=thresholds)
        analysis["question_id"] = question_id
        if story:
            from voice_interviewer.stories import attach_story

            attach_story(analysis, story)
        return Outcome(analysis, save(self.take, analysis))


def save(take: Path, analysis: dict) -> str | None:
    """Save a take's analysis; on a write error return what happened, in a few words, instead of raising.
    Each file is written whole or not at all (an earlier analysis is kept)."""
    try:
        store.save_analysis(take, analysis, feedback.markdown(analysis))
    except OSError as exc:
        return write_failure(exc)
    return None


def record_status(take: Path, status: str, **extra) -> str | None:
    """take.json's status, or what stopped it being written (a full disk)."""
    try:
        store.set_status(take, status, **extra)
    except OSError as exc:
        return write_failure(exc)
    return None
