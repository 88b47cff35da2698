"""The real-speech regression set: placeholder (filled in below)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE_ENV = "VOICE_INTERVIEWER_REAL_SPEECH"


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else ROOT.parent / "shared" / "eval" / "audio_real"
