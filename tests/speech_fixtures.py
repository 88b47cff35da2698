"""Spoken answers made by the tests themselves, with exact ground truth (no files from outside the repo).

A script says what is spoken, piece by piece:

    "{um} One time I missed a deadline. [1.6] I had {uh} promised too much, {you know}, to everyone."

- plain text is spoken by a voice, one sentence at a time: an espeak-ng voice, or "neural" for the
  interviewer's own neural voice (Piper's joe, see voice_interviewer.speech) where it is installed, so a
  test is not a test of one synthetic voice, with its silence trimmed so every time is known;
- `{filler}` is a hesitation or discourse filler spoken as its own piece, with a short gap before and
  after (so its start and end are exact, as in ../shared/eval/audio_dev_piper);
- `[seconds]` is a silence of that length; between sentences without one, a short natural gap.

`speak_answer` returns the audio file and the truth: reference text (fillers removed), spoken text,
word count, speaking span, words per minute, fillers by word with their times, and silences of 1 s or
more. The public-domain sample `data/jfk.flac` is here too (see data/README.md).
"""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

DATA = Path(__file__).resolve().parent / "data"
JFK = DATA / "jfk.flac"
# Real read speech with a breath drawn before a sentence at 9.5 s ("... so late. [breath] To increase ...")
COMMON_VOICE_BREATH = DATA / "commonvoice-breath.flac"
JFK_TEXT = ("And so my fellow Americans, ask not what your country can do for you, "
            "ask what you can do for your country.")

RATE = 16_000
SENTENCE_GAP_S = 0.45
FILLER_GAP_S = (0.12, 0.18)  # silence before and after a filler piece
LEAD_S, TAIL_S = 1.0, 1.5
TRIM_BELOW_PEAK_DB = 40.0  # a piece starts and ends where its 10 ms frames rise above this
# Piper adds random noise to its voice: the fixtures' own session draws it from this seed, so a run of the tests
# hears the same neural audio every time (a run of other tests before them changes it, as a person's retake would).
NEURAL_SEED = 0
ESPEAK_VOICES = ("en-us", "en-gb", "en-gb-x-rp", "en-us+m3", "en-us+f2")

_TOKEN = re.compile(r"\{([^}]+)\}|\[(\d+(?:\.\d+)?)\]|([^{\[]+)")


@dataclass
class SpokenAnswer:
    path: Path
    reference_text: str  # what was said without fillers
    spoken_text: str  # exactly what was said, fillers included
    words_spoken: int  # every word, fillers included ("you know" is two)
    speech_start_s: float
    speech_end_s: float
    voice: str
    fillers: dict[str, int] = field(default_factory=dict)
    filler_items: list[dict] = field(default_factory=list)  # {"word", "start", "end"}
    pauses_over_1s: list[dict] = field(default_factory=list)  # {"start", "end"}

    @property
    def wpm(self) -> float:
        return self.words_spoken / ((self.speech_end_s - self.speech_start_s) / 60)

    @property
    def filler_total(self) -> int:
        return sum(self.fillers.values())


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def _trim(x: np.ndarray) -> np.ndarray:
    n = RATE // 100
    frames = x[: x.size // n * n].reshape(-1, n)
    db = 20 * np.log10(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)) + 1e-9)
    loud = np.flatnonzero(db > db.max() - TRIM_BELOW_PEAK_DB)
    if loud.size == 0:
        return x[:0]
    return x[loud[0] * n:(loud[-1] + 1) * n]


NEURAL = "neural"
FLITE = "flite:"  # a voice named "flite:awb" is flite's voice awb (Debian `flite`), where flite is installed


def flite_available() -> bool:
    return shutil.which("flite") is not None


FESTIVAL = "festival:"  # "festival:cmu_us_slt_arctic_hts" is that Festival voice (Debian `festival` and its festvox)


def festival_voice_available(voice: str) -> bool:
    """Whether Festival and its voice `voice` (FESTIVAL + a name) are installed."""
    if shutil.which("text2wave") is None:
        return False
    try:
        say("uh", voice)
    except (subprocess.CalledProcessError, RuntimeError):
        return False
    return True


def neural_voice_available() -> bool:
    from voice_interviewer.speech import neural_voice_missing

    return neural_voice_missing() is None


@functools.lru_cache(maxsize=None)
def _neural_voice(rate_wpm: int):
    """The interviewer's neural voice on a session of its own, seeded (onnxruntime reads the seed when a session is
    made; the interviewer's shared session may have been made, unseeded, by a test before)."""
    import onnxruntime

    from voice_interviewer.speech import NEURAL_ALIAS, PiperVoice, _neural_files

    onnxruntime.set_seed(NEURAL_SEED)
    model, config = _neural_files()
    voice = PiperVoice(model, config, NEURAL_ALIAS, rate_wpm)
    voice.session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    return voice


def say(text: str, voice: str = "en-us", rate_wpm: int = 160) -> np.ndarray:
    """One piece of speech, 16 kHz float32, silence trimmed. `voice`: an espeak-ng voice, NEURAL, FLITE + a flite
    voice or FESTIVAL + a Festival voice (a diphone voice at `rate_wpm`; an HTS voice keeps its own rate)."""
    from voice_interviewer.audio import load_audio

    if voice == NEURAL:
        from voice_interviewer.speech import render, resample

        audio = render(text, _neural_voice(rate_wpm))
        return _trim(resample(audio.samples, audio.rate, RATE))
    with tempfile.TemporaryDirectory(prefix="vi-say-") as tmp:
        wav = Path(tmp) / "piece.wav"
        if voice.startswith(FLITE):  # flite's own rate is about 160 wpm
            subprocess.run(["flite", "-voice", voice[len(FLITE):], "--setf", f"duration_stretch={160 / rate_wpm:.3f}",
                            "-t", text, "-o", str(wav)], check=True, capture_output=True)
        elif voice.startswith(FESTIVAL):
            r = subprocess.run(["text2wave", "-eval", f"(voice_{voice[len(FESTIVAL):]})", "-eval",
                                f"(Parameter.set 'Duration_Stretch {160 / rate_wpm:.3f})", "-o", str(wav)],
                               input=text, text=True, check=True, capture_output=True)
            if "SIOD ERROR" in r.stderr:  # a voice that is not installed: text2wave says so and exits 0
                raise RuntimeError(r.stderr.strip())
        else:
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate_wpm), "-w", str(wav), text], check=True,
                           capture_output=True)
        return _trim(load_audio(wav, 0.0))


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", text))


def speak_answer(script: str, out: Path, *, voice: str = "en-us", rate_wpm: int = 160) -> SpokenAnswer:
    """Speak `script` (see the module docstring) into `out` (WAV or FLAC) and return the truth."""
    pieces: list[np.ndarray] = [np.zeros(int(LEAD_S * RATE), np.float32)]
    t = LEAD_S
    spoken, reference = [], []
    fillers: dict[str, int] = {}
    filler_items, pauses = [], []
    words = 0
    last = None  # "speech", "filler" or "silence"

    def silence(seconds: float) -> None:
        nonlocal t
        pieces.append(np.zeros(int(round(seconds * RATE)), np.float32))
        if seconds >= 1.0:
            pauses.append({"start": round(t, 3), "end": round(t + seconds, 3)})
        t += int(round(seconds * RATE)) / RATE

    def speech(x: np.ndarray) -> tuple[float, float]:
        nonlocal t
        start = t
        pieces.append(x.astype(np.float32))
        t += x.size / RATE
        return start, t

    for filler, gap, text in (m.groups() for m in _TOKEN.finditer(script)):
        if gap is not None:
            silence(float(gap))
            last = "silence"
        elif filler is not None:
            if last in ("speech", "filler"):
                silence(FILLER_GAP_S[0])
            a, b = speech(say(filler, voice, rate_wpm))
            filler_items.append({"word": filler.lower(), "start": round(a, 3), "end": round(b, 3)})
            fillers[filler.lower()] = fillers.get(filler.lower(), 0) + 1
            spoken.append(filler)
            words += _words(filler)
            last = "filler"
        else:
            for sentence in re.findall(r"[^.!?]+[.!?]*", text):
                sentence = sentence.strip()
                lead = re.match(r"[^A-Za-z0-9']*", sentence).group()
                if lead.strip() and reference and not reference[-1].endswith(tuple(",.!?;:")):
                    reference[-1] += lead.strip()  # punctuation after a filler belongs to the text before it
                sentence = sentence[len(lead):]
                if not sentence:
                    continue
                if last == "speech":
                    silence(SENTENCE_GAP_S)
                elif last == "filler":
                    silence(FILLER_GAP_S[1])
                speech(say(sentence, voice, rate_wpm))
                spoken.append(sentence)
                reference.append(sentence)
                words += _words(sentence)
                last = "speech"
    end = t
    pieces.append(np.zeros(int(TAIL_S * RATE), np.float32))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(out), np.concatenate(pieces), RATE, subtype="PCM_16")
    # a silence at the very start or end is outside the speaking span
    pauses = [p for p in pauses if LEAD_S < p["start"] and p["end"] < end]
    return SpokenAnswer(out, " ".join(reference), " ".join(spoken), words, LEAD_S, round(end, 3), voice,
                        fillers, filler_items, pauses)


# Answers the tests speak: each a failure story with fillers and pauses at known places. Their content
# labels are in data/answers.jsonl (same ids).
SCRIPTS = {
    "deadline": (
        "{um} Last spring I was leading the release of our billing dashboard, and I missed the launch date "
        "by two weeks. [1.4] I had promised the date before I checked how much testing the new invoices "
        "needed, {uh} which was my mistake. [0.6] When I saw we would slip, I told my manager and the "
        "client straight away and gave them a new plan. [1.8] We shipped two weeks late, {like}, but "
        "without a single billing error. [0.5] I learned to estimate with the people who do the work. "
        "Since then I build a buffer into every plan I commit to."),
    "migration": (
        "In my first job I ran a database migration on a Friday evening. [0.6] I skipped the dry run "
        "because I was sure of the script, {um} and it locked the orders table for forty minutes. [1.3] "
        "I rolled it back, {you know}, wrote up what happened, and apologised to the support team. [0.5] "
        "What I took from it is that confidence is not a test. [1.1] Now I rehearse every migration on a "
        "copy of the data first, {uh} and I would bring that habit to this role."),
}


def spoken_answer(name: str, out_dir: Path, voice: str = "en-us", rate_wpm: int = 160) -> SpokenAnswer:
    return speak_answer(SCRIPTS[name], Path(out_dir) / f"{name}-{voice.replace(':', '_')}.wav", voice=voice,
                        rate_wpm=rate_wpm)
