"""Where the speech is: Silero VAD (shipped with faster-whisper) on 16 kHz samples.

Speech regions drive everything acoustic: the stretches handed to Whisper (so it never sees long
silence, where it invents text), the true edges of pauses, and the check for speech left untranscribed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from voice_interviewer.config import SAMPLE_RATE

VAD_THRESHOLD = 0.5
VAD_MIN_SILENCE_MS = 250  # shorter gaps are part of a word run
VAD_SPEECH_PAD_MS = 30  # small: pads shift pause edges
VAD_MIN_SPEECH_MS = 120
VAD_FRAME = 512  # samples (32 ms): Silero's frame; windows are cut on this grid
# Quiet speech: a voice the VAD scores under VAD_THRESHOLD all through (a poor microphone, a soft or distant
# speaker) is looked for again in the long silences between the speech it heard, at this threshold, and kept
# from this long: otherwise a long silence is shortened before the model hears it, or a window begins, ends or
# is cut in it, and the words are lost.
QUIET_VAD_THRESHOLD = 0.35  # Silero's own end-of-speech level: speech goes on until it falls under threshold - 0.15
# A word said on its own is this short ("no", "okay", "yeah": 0.2-0.4 s); at 400 ms a real conversation's quiet
# "okay"s between turns were cut out with the silence around them (9 of 21 that plain Whisper kept and we lost).
QUIET_MIN_SPEECH_MS = 200
QUIET_GAP_S = 1.0  # a shorter silence lies inside the speech around it
CHUNK_MAX_S = 28.0  # Whisper's window is 30 s
# A silence longer than this is shortened to it before the model hears the stretch: fewer, fuller windows (context
# for the words) and no long silence for Whisper to fill with made-up text. An answer's own pauses, a breath or a
# thought of a second or two, are heard whole, as plain Whisper hears them: shortened to 1 s, the same speech was
# read differently from plain Whisper and worse (on an AVX2 CPU, Common Voice 0.1989 against 0.1804 with 3 s,
# through the simulated room 0.4717 against 0.4457, espeak voices through it 0.2699 against 0.2612). Pauses are
# measured on the real audio, not on what the model heard.
KEPT_SILENCE_S = 3.0
CHUNK_MARGIN_S = 0.1
# After a stretch's last speech the model hears its last word die away: in a room the echo goes on for a few
# tenths of a second after the VAD's end of speech (RT60 of a small room 0.3-0.5 s), and a cut 0.1 s after it
# leaves the model a word that stops dead. Espeak voices through the simulated room, three rooms: WER
# 0.245 -> 0.233 on average (plain Whisper 0.236).
CHUNK_TAIL_S = 0.3
# How far ahead the VAD looks for the end of a window: a window spans about 30 s of audio, so this
# usually reaches the next one's first words (it doubles when a window holds long silences). The VAD
# reruns from every window's end over this much audio, so it sets how much of the audio it hears twice.
WINDOW_LOOKAHEAD_S = 45.0
# Where speech begins and ends by its level, for measuring pauses: a 10 ms frame is silent when it is this far
# under the median level of the speech, or, in a room whose echo and hum never fall that far, nearer the
# room's floor (the quietest tenth of the recording's frames) than the speech.
LEVEL_FRAME_S = 0.01
SILENCE_BELOW_SPEECH_DB = 25.0
NOISE_PERCENTILE = 10
# The VAD's edges lie outside the speech by its pad, up to a frame of its grid and the lag of its end of speech
# (Silero ends speech once its score has fallen under threshold - 0.15): a region's edge is moved in to the
# speech's level by no more than this.
EDGE_TRIM_MAX_S = 0.15
# The level the model hears speech at: the loud end of the speech (SPEECH_LEVEL_PERCENTILE of its 10 ms frames)
# is brought up to SPEECH_LEVEL_DB. Every evaluation set (a neural voice, espeak, flite, Festival and real
# recordings) sits at -11 to -23 dBFS by this measure; a quiet microphone 26 dB under that lost the real-speech
# set's words. Never turned down, and never up by more than MAX_GAIN_DB (hiss is no speech).
SPEECH_LEVEL_PERCENTILE = 90
SPEECH_LEVEL_DB = -20.0
MAX_GAIN_DB = 30.0


@dataclass(frozen=True)
class Region:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def speech_regions(samples: np.ndarray) -> list[Region]:
    """Where the VAD hears speech (seconds), with quiet speech found in the long silences between (see
    QUIET_VAD_THRESHOLD). Each silence is looked at only once the speech after it has begun, so the regions of
    the audio received so far are those of the whole recording up to there (the live path's windows)."""
    loud = _vad(samples, VAD_THRESHOLD, VAD_MIN_SPEECH_MS)
    quiet = []
    for a, b in zip([0.0] + [r.end for r in loud], [r.start for r in loud]):
        if b - a < QUIET_GAP_S:
            continue
        lo = a + (VAD_MIN_SILENCE_MS / 1000 if a > 0 else 0.0)  # not the tail of the speech before
        hi = b - VAD_MIN_SILENCE_MS / 1000
        found = _vad(samples[int(lo * SAMPLE_RATE): int(hi * SAMPLE_RATE)], QUIET_VAD_THRESHOLD, QUIET_MIN_SPEECH_MS)
        quiet += [Region(lo + r.start, lo + r.end) for r in found]
    return sorted(loud + quiet, key=lambda r: r.start)


def frame_db(samples: np.ndarray, frame_s: float = LEVEL_FRAME_S) -> np.ndarray:
    """The level (dBFS) of each whole frame of `frame_s` seconds."""
    n = int(frame_s * SAMPLE_RATE)
    if samples.size < n:
        return np.zeros(0)
    frames = samples[: samples.size // n * n].reshape(-1, n).astype(np.float64)
    return 20 * np.log10(np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-6)


def speech_frame_db(samples: np.ndarray, regions: Sequence[Region], frame_s: float = LEVEL_FRAME_S) -> np.ndarray:
    """frame_db of the speech in `regions` alone, joined (empty without regions)."""
    spoken = [samples[int(r.start * SAMPLE_RATE): int(r.end * SAMPLE_RATE)] for r in regions]
    return frame_db(np.concatenate(spoken), frame_s) if spoken else np.zeros(0)


def silence_floor_db(samples: np.ndarray, regions: Sequence[Region], frame_s: float = LEVEL_FRAME_S, *,
                     levels: np.ndarray | None = None) -> float:
    """The level under which a frame of `samples` is silence (see SILENCE_BELOW_SPEECH_DB). `levels`:
    frame_db(samples, frame_s), when the caller has it already."""
    spoken_levels = speech_frame_db(samples, regions, frame_s)
    speech_db = float(np.median(spoken_levels)) if spoken_levels.size else -30.0
    everything = frame_db(samples, frame_s) if levels is None else levels
    noise_db = float(np.percentile(everything, NOISE_PERCENTILE)) if everything.size else -120.0
    return max(speech_db - SILENCE_BELOW_SPEECH_DB, (speech_db + noise_db) / 2)


def speech_level_db(samples: np.ndarray, regions: Sequence[Region]) -> float | None:
    """The level of the loud end of the speech in `regions` (dBFS; see SPEECH_LEVEL_PERCENTILE); None without speech."""
    levels = speech_frame_db(samples, regions)
    return float(np.percentile(levels, SPEECH_LEVEL_PERCENTILE)) if levels.size else None


def speech_gain_db(samples: np.ndarray, regions: Sequence[Region]) -> float:
    """How much to turn `samples` up so that its speech reaches SPEECH_LEVEL_DB (0 when it is there already)."""
    level = speech_level_db(samples, regions)
    return 0.0 if level is None else float(np.clip(SPEECH_LEVEL_DB - level, 0.0, MAX_GAIN_DB))


def at_speech_level(samples: np.ndarray, regions: Sequence[Region]) -> np.ndarray:
    """`samples` turned up to the level the model hears speech at (`speech_gain_db`), peaks clipped to full scale."""
    gain_db = speech_gain_db(samples, regions)
    if gain_db <= 0.0:
        return samples
    return np.clip(samples * np.float32(10 ** (gain_db / 20)), -1.0, 1.0).astype(np.float32)


def audible_regions(samples: np.ndarray, regions: Sequence[Region]) -> list[Region]:
    """The speech `regions` with each edge moved in to the first and last frame whose level is above the silence
    floor, by at most EDGE_TRIM_MAX_S: the VAD's padded edges put silence inside the speech on both sides of a
    pause (0.11 s in all on the neural voice, which made a 1.10 s pause 0.99 s)."""
    samples = np.asarray(samples, dtype=np.float32)
    if not regions:
        return []
    levels = frame_db(samples)
    floor = silence_floor_db(samples, regions, levels=levels)
    most = int(round(EDGE_TRIM_MAX_S / LEVEL_FRAME_S))
    out = []
    for r in regions:
        a, b = int(r.start / LEVEL_FRAME_S), min(int(np.ceil(r.end / LEVEL_FRAME_S)), levels.size)
        loud = np.flatnonzero(levels[a:b] >= floor)
        if loud.size == 0:
            out.append(r)
            continue
        first, last = a + min(int(loud[0]), most), a + max(int(loud[-1]) + 1, b - a - most)
        out.append(Region(max(r.start, first * LEVEL_FRAME_S), min(r.end, last * LEVEL_FRAME_S)))
    return out


def _vad(samples: np.ndarray, threshold: float, min_speech_ms: int) -> list[Region]:
    if samples.size < SAMPLE_RATE // 10:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    # No region longer than a window: a window always closes (the streaming path waits for that).
    opts = VadOptions(threshold=threshold, min_silence_duration_ms=VAD_MIN_SILENCE_MS,
                      speech_pad_ms=VAD_SPEECH_PAD_MS, min_speech_duration_ms=min_speech_ms,
                      max_speech_duration_s=CHUNK_MAX_S)
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


@dataclass(frozen=True)
class Window:
    """One window for the model: samples[start:end], holding the speech `regions` (seconds from `start`)."""

    start: int
    end: int
    regions: tuple[Region, ...]

    def speech(self) -> list[Region]:
        """The speech regions in seconds from the start of the recording."""
        offset_s = self.start / SAMPLE_RATE
        return [Region(r.start + offset_s, r.end + offset_s) for r in self.regions]


def closed_window_end(regions: list[Region]) -> float | None:
    """Where the first window of the speech `regions` ends, once it is closed: the middle of the silence
    between its last region and the first one that did not fit (`group_regions`). None while it is open."""
    groups = group_regions(regions)
    if len(groups) < 2:
        return None
    return (groups[0][-1].end + groups[1][0].start) / 2


def split_windows(samples: np.ndarray, start: int = 0, *, final: bool) -> tuple[list[Window], list[Region]]:
    """The closed windows of samples[start:], in order, and the speech regions of what is left after them
    (seconds from the last window's end). With `final` (the recording is complete), what is left is one
    more window when it holds speech.

    The VAD starts afresh at each window's end, and a window's end depends only on the audio before it
    (Silero runs forwards in time), so the live path, which sees only the audio received so far, finds
    the very windows that a pass over the whole file finds. Cuts fall on the VAD's frame grid."""
    windows: list[Window] = []
    while True:
        lookahead = WINDOW_LOOKAHEAD_S
        while True:
            piece = samples[start: start + int(lookahead * SAMPLE_RATE)]
            regions = speech_regions(piece)
            cut_s = closed_window_end(regions)
            if cut_s is not None or start + piece.size >= samples.size:
                break
            lookahead *= 2
        if cut_s is None:
            if final and regions:
                windows.append(Window(start, samples.size, tuple(regions)))
                regions = []
            return windows, regions
        end = start + int(cut_s * SAMPLE_RATE) // VAD_FRAME * VAD_FRAME
        windows.append(Window(start, end, tuple(r for r in regions if r.end <= cut_s)))
        start = end


def kept_spans(group: list[Region], total_s: float, margin_s: float = CHUNK_MARGIN_S,
               kept_silence_s: float = KEPT_SILENCE_S, tail_s: float = CHUNK_TAIL_S) -> list[tuple[float, float]]:
    """The parts of the audio (seconds) the model hears for one stretch: the regions from `margin_s` before the
    first to `tail_s` after the last, with at most `kept_silence_s` of each silence between them (half from
    either side)."""
    spans = [[max(0.0, group[0].start - margin_s), min(total_s, group[-1].end + tail_s)]]
    for a, b in zip(group, group[1:]):
        if b.start - a.end > kept_silence_s:
            end = spans[-1][1]
            spans[-1][1] = a.end + kept_silence_s / 2
            spans.append([b.start - kept_silence_s / 2, end])
    return [(x, y) for x, y in spans]


def speech_seconds(regions: list[Region]) -> float:
    return float(sum(r.duration for r in regions))
