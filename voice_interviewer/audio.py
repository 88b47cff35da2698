"""Reading audio files: any common format, any rate, mono or stereo -> float32 mono at 16 kHz."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from voice_interviewer.config import DEFAULT_THRESHOLDS, SAMPLE_RATE
from voice_interviewer.errors import AudioError


def check_path(path: str | os.PathLike) -> Path:
    """Fail early, with one line naming the file, on paths that cannot hold audio."""
    p = Path(path)
    if not p.exists():
        raise AudioError(f"{p}: no such file")
    if p.is_dir():
        raise AudioError(f"{p}: is a directory, not an audio file")
    if not os.access(p, os.R_OK):
        raise AudioError(f"{p}: permission denied")
    if p.stat().st_size == 0:
        raise AudioError(f"{p}: empty file")
    return p


def load_audio(path: str | os.PathLike, min_seconds: float = DEFAULT_THRESHOLDS.min_audio_seconds) -> np.ndarray:
    """Decode a file to float32 mono 16 kHz samples in [-1, 1] (PyAV via faster-whisper, downmixed)."""
    p = check_path(path)
    from faster_whisper.audio import decode_audio

    try:
        samples = decode_audio(str(p), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many types for damaged or non-audio files
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise AudioError(f"{p}: cannot decode audio ({reason})") from None
    samples = np.asarray(samples, dtype=np.float32)
    if samples.size == 0:
        raise AudioError(f"{p}: no audio stream or no samples in the file")
    if not np.all(np.isfinite(samples)):
        samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    seconds = samples.size / SAMPLE_RATE
    if seconds < min_seconds:
        raise AudioError(f"{p}: audio too short ({seconds:.2f} s; at least {min_seconds:g} s needed)")
    return samples


def write_wav(path: str | os.PathLike, samples: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    import soundfile as sf

    sf.write(str(path), np.asarray(samples, dtype=np.float32), rate, subtype="PCM_16")


def dbfs(samples: np.ndarray) -> float:
    """RMS level in dBFS (-inf guarded to -120)."""
    if samples.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20.0 * np.log10(max(rms, 1e-6))
