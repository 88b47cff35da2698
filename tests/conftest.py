"""Shared fixtures: the real embedded model (loaded once), paths to ../shared, a private recordings dir."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
AUDIO = SHARED / "audio"
AUDIO_DEV = SHARED / "eval" / "audio_dev"
ANSWERS_DEV = SHARED / "eval" / "answers_dev.jsonl"


@pytest.fixture(scope="session")
def engine():
    from voice_interviewer.transcribe import load_engine

    return load_engine()


@pytest.fixture(scope="session")
def manifest() -> dict:
    return {m["id"]: m for m in json.loads((AUDIO_DEV / "manifest.json").read_text())}


@pytest.fixture(scope="session")
def answers_dev() -> list[dict]:
    return [json.loads(line) for line in ANSWERS_DEV.read_text().splitlines() if line.strip()]


@pytest.fixture
def recordings(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "recordings"
    monkeypatch.setenv("VOICE_INTERVIEWER_RECORDINGS", str(d))
    monkeypatch.setenv("VOICE_INTERVIEWER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("VOICE_INTERVIEWER_CACHE", str(tmp_path / "cache"))
    return d


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 300,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m voice_interviewer ARGS` in a subprocess, standard input not a terminal."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "voice_interviewer", *args], input=input if input is not None else "",
                          capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd)


def wer(reference: str, hypothesis: str) -> float:
    import re

    import jiwer

    def norm(s: str) -> str:
        s = re.sub(r"[^a-z0-9' ]", " ", s.lower().replace("-", " "))
        return re.sub(r"\s+", " ", s).strip()

    return jiwer.wer(norm(reference), norm(hypothesis))


def save_takes(root: Path, *files: Path) -> Path:
    """Real takes made the way a user imports a recording: `analyze --save` (the real model)."""
    r = run_cli("analyze", "--save", "--recordings", str(root), *map(str, files))
    assert r.returncode == 0, r.stderr
    return root
