"""Every threshold and band in one place, with where it comes from (../shared/coaching/NORMS.md).

A user config file (TOML, `$VOICE_INTERVIEWER_CONFIG` or `<user config dir>/config.toml`) may override
the `[thresholds]` named here and set session defaults (`role`, `values`, `engine`, ...).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

import platformdirs

SCHEMA_VERSION = 1
SAMPLE_RATE = 16_000

RECORDINGS_ENV = "VOICE_INTERVIEWER_RECORDINGS"
CONFIG_ENV = "VOICE_INTERVIEWER_CONFIG"
CACHE_ENV = "VOICE_INTERVIEWER_CACHE"
APP_NAME = "voice-interviewer"


@dataclass(frozen=True)
class Thresholds:
    # Audio input
    min_audio_seconds: float = 0.5
    # Free disk space needed before recording or saving a take (a 3-minute answer is about 6 MB)
    min_free_disk_mb: float = 50.0

    # Pace (Microsoft Speaker Coach "good" band; coaches use 120-160)
    pace_slow_wpm: float = 100.0
    pace_fast_wpm: float = 165.0
    pace_window_s: float = 15.0
    articulation_pause_s: float = 0.25  # silences this long are removed for articulation rate

    # Fillers, percent of words: < 2 excellent, 2-5 acceptable, > 5 needs work
    filler_excellent_pct: float = 2.0
    filler_acceptable_pct: float = 5.0

    # Pauses
    pause_min_s: float = 1.0  # a silence this long is reported
    pause_lost_s: float = 2.0  # over this a pause reads as lost
    first_word_ok_s: float = 3.0

    # Length of the speaking span, seconds: short < 45 <= good <= 120 < long <= 180 < too_long
    length_short_s: float = 45.0
    length_good_max_s: float = 120.0
    length_long_max_s: float = 180.0

    # Voice
    monotone_semitones: float = 2.0
    trailing_off_db: float = 6.0  # sentence ends this much quieter than the rest read as trailing off

    # Content
    spoken_summary_max_words: int = 45
    max_tips: int = 3
    dwelling_share: float = 0.6  # more than this share of the answer on the failure itself is dwelling

    # On-camera presence (the web practice room's video). Video-call framing advice: head and shoulders,
    # eyes about a third from the top, the face about a third of the frame's height. Our own heuristics,
    # not from NORMS.md; the face is found by OpenCV's Haar cascades.
    presence_face_small: float = 0.15  # face height / frame height under this: too far from the camera
    presence_face_large: float = 0.5  # over this: too close
    presence_off_centre: float = 0.2  # face centre further than this (share of the frame) from where it belongs
    presence_dark_luma: float = 60.0  # mean brightness of the face (0-255) under this: too dark
    presence_backlit_luma: float = 45.0  # the background brighter than the face by this much: backlit
    presence_min_span_s: float = 1.0  # shorter stretches are not reported


DEFAULT_THRESHOLDS = Thresholds()


def length_band(seconds: float, t: Thresholds = DEFAULT_THRESHOLDS) -> str:
    if seconds < t.length_short_s:
        return "short"
    if seconds <= t.length_good_max_s:
        return "good"
    if seconds <= t.length_long_max_s:
        return "long"
    return "too_long"


def pace_band(wpm: float, t: Thresholds = DEFAULT_THRESHOLDS) -> str:
    if wpm < t.pace_slow_wpm:
        return "slow"
    if wpm > t.pace_fast_wpm:
        return "fast"
    return "good"


def filler_band(percent: float, t: Thresholds = DEFAULT_THRESHOLDS) -> str:
    if percent < t.filler_excellent_pct:
        return "excellent"
    if percent <= t.filler_acceptable_pct:
        return "acceptable"
    return "needs_work"


def recordings_dir(override: str | os.PathLike | None = None) -> Path:
    """`--recordings DIR`, else $VOICE_INTERVIEWER_RECORDINGS, else ./recordings."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(RECORDINGS_ENV)
    if env:
        return Path(env).expanduser()
    return Path.cwd() / "recordings"


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path(platformdirs.user_cache_dir(APP_NAME))


def config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    return Path(env).expanduser() if env else Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def load_user_config(path: Path | None = None) -> dict:
    """The user's config file as a dict ({} when there is none). Raises UserError when malformed."""
    from voice_interviewer.errors import UserError

    path = path or config_path()
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise UserError(f"{path}: not a valid config file: {exc}", 2) from None


def thresholds_from_config(cfg: dict) -> Thresholds:
    from voice_interviewer.errors import UserError

    overrides = cfg.get("thresholds", {}) or {}
    known = {f.name: f.type for f in fields(Thresholds)}
    clean = {}
    for key, value in overrides.items():
        if key not in known:
            raise UserError(f"config: unknown threshold {key!r}", 2)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise UserError(f"config: threshold {key!r} must be a number", 2)
        clean[key] = value
    return replace(DEFAULT_THRESHOLDS, **clean)
