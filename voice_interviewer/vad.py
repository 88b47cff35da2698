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
CHUNK_SPLIT_GAP_S = 1.0  # always start a new stretch after a silence this long
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


def group_regions(regions: list[Region], max_s: float = CHUNK_MAX_S, split_gap_s: float = CHUNK_SPLIT_GAP_S
                  ) -> list[list[Region]]:
    """Consecutive regions joined into stretches for the model: cut at long silences and before 30 s."""
    groups: list[list[Region]] = []
    for r in regions:
        if groups:
            g = groups[-1]
            if r.start - g[-1].end < split_gap_s and r.end - g[0].start <= max_s:
                g.append(r)
                continue
        groups.append([r])
    return groups


def speech_seconds(regions: list[Region]) -> float:
    return float(sum(r.duration for r in regions))
