"""The real audio path without a sound card: scripts/virtual-mic (a private PulseAudio server)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

TOOL = ROOT / "scripts" / "virtual-mic"


class VirtualMic:
    def __init__(self):
        out = subprocess.run([str(TOOL), "start"], capture_output=True, text=True, check=True).stdout
        self.env = dict(re.findall(r"(\w+)=(\S+)", out))
        self._recorders = []

    def environ(self) -> dict:
        return {**os.environ, **self.env}

    def play(self, path: Path) -> None:
        subprocess.run([str(TOOL), "play", str(path)], env=self.environ(), check=True, timeout=600)

    def record_speaker(self, path: Path) -> subprocess.Popen:
        """Record what programs play to the speaker (its monitor) into a WAV until stopped."""
        p = subprocess.Popen(["parecord", "--device=speaker.monitor", "--file-format=wav", str(path)],
                             env=self.environ(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._recorders.append(p)
        return p

    def stop(self) -> None:
        for p in self._recorders:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run([str(TOOL), "stop"], env=self.environ(), capture_output=True)


def require_virtual_mic():
    missing = [t for t in ("pulseaudio", "pactl", "paplay", "parecord", "sox") if not shutil.which(t)]
    if missing:
        pytest.fail(f"the virtual microphone needs {', '.join(missing)} (scripts/setup.sh --test installs them)")


class PracticeProcess:
    """`python -m voice_interviewer practice ARGS` in a subprocess (stdin not a terminal), its output read
    in a thread so a test can wait for each "Recording - speak now" before it plays an answer."""

    def __init__(self, args: list[str], env: dict, command: list[str] | None = None):
        import sys
        import threading

        command = command or [sys.executable, "-m", "voice_interviewer"]  # or a `python -c` that sets things up
        self.proc = subprocess.Popen([*command, "practice", *args],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env=env)
        self.lines: list[str] = []
        self.recording_started: list[float] = []
        self._recording = threading.Semaphore(0)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        import time

        for line in self.proc.stdout:
            self.lines.append(line)
            if line.startswith("Recording - speak now"):
                self.recording_started.append(time.monotonic())
                self._recording.release()

    def wait_recording(self, timeout: float = 60) -> bool:
        return self._recording.acquire(timeout=timeout)

    def output(self) -> str:
        return "".join(self.lines)
