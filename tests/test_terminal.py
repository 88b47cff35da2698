"""What a person at a terminal sees: the choice prompt shows its keys, an empty take says that nothing was
heard and offers a retry (no table of zeros), and the sound libraries' messages stay off the screen."""
import ctypes
import ctypes.util
import io
import os
import pty
import re
import select
import subprocess
import sys
import time

import numpy as np
import pytest
import soundfile as sf

from conftest import ROOT, run_cli
from virtual_mic import VirtualMic, require_virtual_mic


def test_the_choice_prompt_shows_its_keys(monkeypatch):
    from rich.console import Console

    from voice_interviewer.practice import Terminal

    out = io.StringIO()
    term = Terminal(Console(file=out, force_terminal=True, color_system=None, width=120))
    term.interactive = True
    monkeypatch.setattr(sys, "stdin", io.StringIO("f\n"))
    pick = term.choose("What next?", {"r": "retry", "f": "follow-up", "n": "next", "q": "quit"}, default="n")
    assert pick == "f"
    assert "What next? [r]etry/[f]ollow-up/[n]ext/[q]uit (Enter: next):" in out.getvalue()


def test_a_silent_recording_says_nothing_was_heard(tmp_path):
    f = tmp_path / "silence.wav"
    sf.write(str(f), np.zeros(16000 * 5, np.float32), 16000)
    r = run_cli("analyze", str(f))
    assert r.returncode == 0, r.stderr
    assert "Nothing was heard in this recording" in r.stdout
    for zero_row in ("Pace", "Fillers", "Pauses", "wpm"):
        assert zero_row not in r.stdout
    doc = __import__("json").loads(run_cli("analyze", "--json", str(f)).stdout)
    assert doc["delivery"] is None and doc["transcript"]["words"] == []


class PtyRun:
    """A command on a pseudo-terminal, as a person runs it: its screen read as it is written."""

    def __init__(self, args, env):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.screen = ""

    def read_until(self, pattern, timeout=90.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if re.search(pattern, self.screen):
                return True
            r, _, _ = select.select([self.master], [], [], 0.2)
            if r:
                try:
                    self.screen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        return bool(re.search(pattern, self.screen))

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> int:
        try:
            code = self.proc.wait(60)
        finally:
            os.close(self.master)
        return code


def test_an_empty_take_offers_a_retry_at_the_terminal(tmp_path):
    require_virtual_mic()
    mic = VirtualMic()
    try:
        env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml"), "COLUMNS": "120"}
        run = PtyRun([sys.executable, "-m", "voice_interviewer", "practice", "--count", "1", "--no-speak",
                      "--start-timeout", "2", "--recordings", str(tmp_path / "rec")], env)
        assert run.read_until(r"Recording - speak now"), run.screen
        run.type("\n")  # Enter before saying anything
        assert run.read_until(r"Try again\? \[r\]etry/\[n\] finish/\[q\]uit \(Enter: retry\):"), run.screen
        assert "Nothing was heard in that take" in run.screen
        assert run.screen.count("Recording - speak now") == 1
        run.type("\n")  # Enter retries
        assert run.read_until(r"(?s)Recording - speak now.*Recording - speak now"), run.screen
        assert run.read_until(r"(?s)Try again.*Try again"), run.screen  # nothing said again (start timeout)
        run.type("q\n")
        assert run.close() == 0, run.screen
        for zero_row in ("Pace", "Fillers", "Articulation"):
            assert zero_row not in run.screen
        assert "Traceback" not in run.screen
    finally:
        mic.stop()


def _make_alsa_complain():
    """Ask ALSA for a device that does not exist, as PortAudio does when it probes."""
    return (
        "import ctypes, ctypes.util\n"
        "lib = ctypes.CDLL(ctypes.util.find_library('asound'))\n"
        "pcm = ctypes.c_void_p()\n"
        "lib.snd_pcm_open(ctypes.byref(pcm), b'no_such_device_here', 0, 0)\n"
    )


def test_alsa_messages_stay_off_the_screen():
    if not ctypes.util.find_library("asound"):
        pytest.skip("no ALSA library on this machine")
    bare = subprocess.run([sys.executable, "-c", _make_alsa_complain()], capture_output=True, text=True)
    assert "ALSA lib" in bare.stderr  # what a user saw before
    quiet = "from voice_interviewer.sound import sounddevice\nsounddevice()\n" + _make_alsa_complain()
    r = subprocess.run([sys.executable, "-c", quiet], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    # kept in the debug log, where it helps with a misbehaving device
    debug = ("import logging; logging.basicConfig(level=logging.DEBUG, format='%(name)s %(message)s')\n" + quiet)
    r = subprocess.run([sys.executable, "-c", debug], capture_output=True, text=True, cwd=ROOT)
    assert "voice_interviewer.sound ALSA" in r.stderr and "no_such_device_here" not in r.stdout


def test_when_the_neural_voice_fails_mid_session_espeak_takes_over(monkeypatch, tmp_path):
    from rich.console import Console

    from voice_interviewer import speech
    from voice_interviewer.practice import Options, Terminal, speak
    from voice_interviewer.questions import load_bank

    if speech.neural_voice_missing():
        pytest.skip("the neural voice is not installed")
    spoken = []

    def say(text, voice, **kw):
        if voice.info["engine"] == speech.PIPER_ENGINE:
            raise speech.SpeechError("the audio device went away")
        spoken.append((text, voice.info["engine"]))

    monkeypatch.setattr(speech, "say", say)
    out = io.StringIO()
    term = Terminal(Console(file=out, width=200))
    bank = load_bank()
    opts = Options(questions=bank.questions[:1], bank=bank, root=tmp_path)
    speak(opts, "Tell me about a time you failed.", term)
    speak(opts, "What did you learn?", term)
    assert spoken == [("Tell me about a time you failed.", speech.ESPEAK), ("What did you learn?", speech.ESPEAK)]
    assert opts.speak and out.getvalue().count("speaking with espeak-ng from now on") == 1
