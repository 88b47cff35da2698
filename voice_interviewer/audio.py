"""Reading audio files: any common format, any rate, mono or stereo -> float32 mono at 16 kHz."""
from __future__ import annotations

import os
import re
import struct
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


def check_wav_header(p: Path) -> None:
    """A RIFF/WAV whose data chunk claims more bytes than the file holds was cut off or damaged."""
    with open(p, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return
        size = p.stat().st_size
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                return
            cid, n = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if cid == b"data":
                present = size - f.tell()
                if n != 0xFFFFFFFF and n > present + 4096:
                    raise AudioError(f"{p}: damaged WAV: the header says {n} bytes of audio but the file holds {present}")
                return
            f.seek(n + (n & 1), 1)


TRUNCATED_SHARE = 0.95


def declared_seconds(p: Path) -> float | None:
    """The length the file's own header declares (WAV, FLAC, Ogg), or None when it does not say."""
    import soundfile as sf

    with open(p, "rb") as f:
        magic = f.read(4)
    if magic not in (b"RIFF", b"fLaC", b"OggS"):  # formats whose header states the length exactly
        return None
    try:
        info = sf.info(str(p))
    except Exception:
        return None
    return info.frames / info.samplerate if info.frames and info.samplerate else None


def has_no_audio_stream(p: Path) -> bool:
    import av

    try:
        with av.open(str(p)) as container:
            return not container.streams.audio
    except Exception:
        return False


def load_audio(path: str | os.PathLike, min_seconds: float = DEFAULT_THRESHOLDS.min_audio_seconds) -> np.ndarray:
    """Decode a file to float32 mono 16 kHz samples in [-1, 1] (PyAV via faster-whisper, downmixed)."""
    p = check_path(path)
    check_wav_header(p)
    from faster_whisper.audio import decode_audio

    declared = declared_seconds(p)
    try:
        samples = decode_audio(str(p), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many types for damaged or non-audio files
        if has_no_audio_stream(p):
            raise AudioError(f"{p}: the file has no audio stream") from None
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        reason = re.sub(r"^\[Errno -?\d+\] ", "", reason).split(": '")[0]
        raise AudioError(f"{p}: cannot decode audio ({reason}); is it an audio file?") from None
    samples = np.asarray(samples, dtype=np.float32)
    if samples.size == 0:
        raise AudioError(f"{p}: no audio stream or no samples in the file")
    if declared is not None and samples.size / SAMPLE_RATE < TRUNCATED_SHARE * declared - 0.5:
        raise AudioError(f"{p}: truncated: the file says {declared:.1f} s of audio but only "
                         f"{samples.size / SAMPLE_RATE:.1f} s could be decoded")
    if not np.all(np.isfinite(samples)):
        samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    seconds = samples.size / SAMPLE_RATE
    if seconds < min_seconds:
        raise AudioError(f"{p}: audio too short ({seconds:.2f} s; at least {min_seconds:g} s needed)")
    return samples
