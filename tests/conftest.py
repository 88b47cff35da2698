"""Shared fixtures: the real embedded model (loaded once), spoken answers the tests make themselves
(speech_fixtures), a private recordings dir. Nothing here needs files outside the repository; ../shared,
when it is there, lets a few tests do more."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from speech_fixtures import (DATA, JFK, JFK_TEXT, NEURAL, SCRIPTS, neural_voice_available,  # noqa: F401
                             spoken_answer)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"  # optional: development data beside the checkout
# The answers the tests speak, and the espeak-ng voice each is spoken in (two voices, so a test of the
# pipeline is not a test of one synthetic voice).
SPOKEN_VOICES = {"deadline": "en-us", "migration": "en-gb-x-rp"}


def shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test (or the part of it) that wants it."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"optional development data not present: {p}")
    return p


@pytest.fixture(scope="session")
def engine():
    from voice_interviewer.transcribe import load_engine

    return load_engine()


@pytest.fixture(scope="session")
def spoken(tmp_path_factory) -> dict:
    """name -> SpokenAnswer: the SCRIPTS spoken by espeak-ng, with their exact truth."""
    out = tmp_path_factory.mktemp("spoken")
    return {name: spoken_answer(name, out, voice) for name, voice in SPOKEN_VOICES.items()}


@pytest.fixture(scope="session")
def spoken_neural(tmp_path_factory):
    """The SCRIPTS in the interviewer's neural voice (skipped where it is not installed)."""
    if not neural_voice_available():
        pytest.skip("the neural voice is not installed")
    out = tmp_path_factory.mktemp("spoken-neural")
    return {name: spoken_answer(name, out, NEURAL) for name in SCRIPTS}


@pytest.fixture(scope="session")
def labelled_answers() -> list[dict]:
    """Written answers with content labels: the repository's own (tests/data/answers.jsonl), plus
    ../shared's development set when it is there."""
    files = [DATA / "answers.jsonl", SHARED / "eval" / "answers_dev.jsonl"]
    return [json.loads(line) for f in files if f.is_file() for line in f.read_text().splitlines() if line.strip()]


@pytest.fixture
def mic():
    """The project's virtual microphone (a private PulseAudio server); the test is skipped where it cannot run."""
    from virtual_mic import VirtualMic, require_virtual_mic

    require_virtual_mic()
    m = VirtualMic()
    yield m
    m.stop()


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
