"""Where the speech is: Silero VAD (shipped with faster-whisper) on 16 kHz samples.

Speech regions drive everything acoustic: the stretches handed to Whisper (so it never sees long
silence, where it invents text), the true edges of pauses, and the check for speech left untranscribed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice_interviewer.config import SAMPLE_RATE

VAD_THRESHOLD = 0.5
VAD_MIN_SILENCE_MS = 250  # shorter gaps are part of a word run
VAD_SPEECH_PAD_MS = 30  # small: pads shift pause edges
VAD_MIN_SPEECH_MS = 120
CHUNK_MAX_S = 28.0  # Whisper's window is 30 s
# A silence longer than this is shortened to it before the model hears the stretch: fewer, fuller
# windows (context for the words, one encoder pass each) and no long silence for Whisper to fill with
# made-up text. Pauses are measured on the real audio, not on what the model heard.
KEPT_SILENCE_S = 1.0
CHUNK_MARGIN_S = 0.1


@dataclass(frozen=True)
class Region:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def speech_regions(samples: np.ndarray) -> list[Region]:
    if samples.size < SAMPLE_RATE // 10:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(threshold=VAD_THRESHOLD, min_silence_duration_ms=VAD_MIN_SILENCE_MS,
                      speech_pad_ms=VAD_SPEECH_PAD_MS, min_speech_duration_ms=VAD_MIN_SPEECH_MS)
    stamps = get_speech_timestamps(np.asarray(samples, dtype=np.float32), opts)
    return [Region(t["start"] / SAMPLE_RATE, t["end"] / SAMPLE_RATE) for t in stamps]


def group_regions(regions: list[Region], max_s: float = CHUNK_MAX_S, kept_silence_s: float = KEPT_SILENCE_S
                  ) -> list[list[Region]]:
    """Consecutive regions joined into stretches for the model, each at most `max_s` long once its
    silences are shortened to `kept_silence_s`."""
    groups: list[list[Region]] = []
    length = 0.0
    for r in regions:
        if groups:
            added = min(r.start - groups[-1][-1].end, kept_silence_s) + r.duration
            if length + added <= max_s:
                groups[-1].append(r)
                length += added
                continue
        groups.append([r])
        length = r.duration
    return groups


def kept_spans(group: list[Region], total_s: float, margin_s: float = CHUNK_MARGIN_S,
               kept_silence_s: float = KEPT_SILENCE_S) -> list[tuple[float, float]]:
    """The parts of the audio (seconds) the model hears for one stretch: the regions with a margin,
    and at most `kept_silence_s` of each silence between them (half from either side)."""
    spans = [[max(0.0, group[0].start - margin_s), min(total_s, group[-1].end + margin_s)]]
    for a, b in zip(group, group[1:]):
        if b.start - a.end > kept_silence_s:
            end = spans[-1][1]
            spans[-1][1] = a.end + kept_silence_s / 2
            spans.append([b.start - kept_silence_s / 2, end])
    return [(x, y) for x, y in spans]


def speech_seconds(regions: list[Region]) -> float:
    return float(sum(r.duration for r in regions))
