"""A WAV writer that survives a crash: the header always describes the audio already on disk.

Every `FLUSH_EVERY_S` of audio (and on close) the RIFF and data sizes in the header are rewritten and
the file is fsynced, so after `kill -9` the file is a valid WAV that any tool reads, missing at most the
last half second. `repair_wav` fixes a WAV whose header lies about its length (from an older crash).
"""
from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

FLUSH_EVERY_S = 0.5
HEADER_BYTES = 44
FILE_MODE = 0o600


def _header(data_bytes: int, rate: int, channels: int) -> bytes:
    block_align = channels * 2
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block_align, block_align, 16)
            + b"data" + struct.pack("<I", data_bytes))


def to_pcm16(block: np.ndarray) -> bytes:
    x = np.nan_to_num(np.asarray(block, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    return (np.clip(x, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


class CrashSafeWavWriter:
    def __init__(self, path: str | os.PathLike, sample_rate: int = 16_000, channels: int = 1):
        self.path = Path(path)
        self.rate = sample_rate
        self.channels = channels
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        self._f = os.fdopen(fd, "r+b", buffering=0)
        self._data_bytes = 0
        self._unflushed = 0
        self._f.write(_header(0, sample_rate, channels))
        os.fsync(self._f.fileno())

    @property
    def seconds(self) -> float:
        return self._data_bytes / (2 * self.channels * self.rate)

    def write(self, block: np.ndarray) -> None:
        """Append a block. On a write error (a full disk) the part of the block that reached the disk is
        cut off again, so the file holds whole blocks and its header tells their true length; then the
        error is raised."""
        data = to_pcm16(block)
        self._f.seek(HEADER_BYTES + self._data_bytes)
        try:
            view = memoryview(data)
            while view:  # an unbuffered write may write less than asked (a disk filling up)
                view = view[self._f.write(view):]
        except OSError:
            self._keep_whole_blocks()
            raise
        self._data_bytes += len(data)
        self._unflushed += len(data)
        if self._unflushed >= FLUSH_EVERY_S * self.rate * 2 * self.channels:
            self.flush()

    def _keep_whole_blocks(self) -> None:
        try:  # truncating frees space and rewriting the header needs none: both work on a full disk
            self._f.truncate(HEADER_BYTES + self._data_bytes)
            self.flush()
        except OSError:
            pass  # the header from the last flush still describes audio that is on disk

    def flush(self) -> None:
        """Header sizes updated to what is on disk, then everything fsynced."""
        self._f.seek(0)
        self._f.write(_header(self._data_bytes, self.rate, self.channels))
        os.fsync(self._f.fileno())
        self._unflushed = 0

    def close(self) -> None:
        if not self._f.closed:
            try:
                self.flush()
            finally:
                self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def repair_wav(path: str | os.PathLike) -> float:
    """Rewrite the sizes of a 16-bit PCM WAV written by CrashSafeWavWriter from the file's real size;
    returns the seconds of audio it holds. Trailing half samples are dropped."""
    p = Path(path)
    with open(p, "r+b") as f:
        head = f.read(HEADER_BYTES)
        if len(head) < HEADER_BYTES or head[:4] != b"RIFF" or head[8:12] != b"WAVE" or head[36:40] != b"data":
            raise ValueError(f"{p}: not a WAV file this program wrote")
        channels, rate = struct.unpack("<HI", head[22:28])
        size = p.stat().st_size
        data = (size - HEADER_BYTES) // (2 * channels) * (2 * channels)
        f.seek(0)
        f.write(_header(data, rate, channels))
        f.truncate(HEADER_BYTES + data)
        f.flush()
        os.fsync(f.fileno())
    return data / (2 * channels * rate)
