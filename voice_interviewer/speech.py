"""Text to speech: the interviewer's voice. pyttsx3 (espeak-ng on Linux) renders the words to a WAV,
which is played through sounddevice on the chosen output device, so we know when speaking has ended
and the recording can start without the question in it. The espeak-ng command is the fallback engine.
"""
from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import tempfile
from pathlib import Path


DEFAULT_RATE_WPM = 165


class SpeechError(Exception):
    """Text-to-speech failed (no engine, no audio output); the caller shows the text and goes on."""


def synthesize(text: str, path: Path, *, voice: str | None = None, rate: int = DEFAULT_RATE_WPM) -> Path:
    """Render `text` to a WAV file at `path`."""
    errors = []
    try:
        import pyttsx3

        engine = pyttsx3.init()
        engine.setProperty("rate", rate)
        if voice:
            engine.setProperty("voice", _pyttsx3_voice(engine, voice))
        engine.save_to_file(text, str(path))
        with contextlib.redirect_stdout(io.StringIO()):  # the espeak driver prints "Audio saved to ..."
            engine.runAndWait()
        if path.is_file() and path.stat().st_size > 100:
            return path
        errors.append("pyttsx3 wrote no audio")
    except Exception as exc:  # pyttsx3 raises driver-specific errors
        errors.append(f"pyttsx3: {exc}")
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe:
        cmd = [exe, "-s", str(rate), "-w", str(path)] + (["-v", voice] if voice else []) + [text]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode == 0 and path.is_file() and path.stat().st_size > 100:
            return path
        errors.append(f"espeak-ng: {r.stderr.strip() or r.returncode}")
    raise SpeechError("; ".join(errors) or "no text-to-speech engine (install espeak-ng)")


def _pyttsx3_voice(engine, wanted: str) -> str:
    for v in engine.getProperty("voices"):
        if wanted.lower() in (v.id.lower(), (v.name or "").lower()) or wanted.lower() in v.id.lower():
            return v.id
    return wanted


def play_file(path: Path, device=None) -> float:
    """Play a sound file to the end on `device` (None: the default output). Returns its length in seconds."""
    from voice_interviewer.sound import sounddevice
    sd = sounddevice()
    import soundfile as sf

    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    try:
        sd.play(data, rate, device=device, blocking=True)
    except Exception as exc:
        raise SpeechError(f"cannot play audio ({str(exc).splitlines()[0]})") from None
    return len(data) / rate


def say(text: str, *, voice: str | None = None, rate: int = DEFAULT_RATE_WPM, device=None) -> float:
    """Speak `text` and return when it has been spoken. Raises SpeechError on any failure."""
    with tempfile.TemporaryDirectory(prefix="vi-tts-") as tmp:
        wav = synthesize(text, Path(tmp) / "say.wav", voice=voice, rate=rate)
        return play_file(wav, device)
