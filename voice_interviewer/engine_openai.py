"""The openai-whisper engine (optional extra) on the same embedded weights, converted offline.

`whisper.load_model("tiny.en")` would download its checkpoint; here the embedded CTranslate2 model is
converted once into an openai-whisper checkpoint in the user's cache (see convert_ct2) and loaded by path,
with the alignment heads of the model's config.json for word timestamps.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from voice_interviewer.errors import UserError
from voice_interviewer.transcribe import CPU_THREADS, RawSegment, RawWord, resolve_model

INSTALL_HINT = ("install it with: pip install torch==2.13.0 && pip install --no-deps openai-whisper && "
                "pip install numba tiktoken tqdm more-itertools (or ./scripts/setup.sh --openai-whisper)")
# Greedy: on audio_dev beam 2 made this engine slower (RTF 0.131 -> 0.195) and no more accurate (WER 0.114 -> 0.120)
OPENAI_DEFAULT_BEAM_SIZE = 1


class OpenAIWhisperEngine:
    name = "openai-whisper"

    def __init__(self, model: str | None = None, beam_size: int = OPENAI_DEFAULT_BEAM_SIZE):
        self.beam_size = beam_size
        try:
            import torch
            import whisper
        except ImportError as exc:
            raise UserError(f"the openai-whisper engine is not installed ({exc.name} missing); {INSTALL_HINT}", 2) from None
        from voice_interviewer.config import cache_dir
        from voice_interviewer.convert_ct2 import cached_checkpoint

        torch.set_num_threads(CPU_THREADS)
        model_dir = resolve_model(model)
        self.model_name = "tiny.en (embedded)" if model in (None, "") else str(model)
        try:
            checkpoint = cached_checkpoint(model_dir, cache_dir() / "openai-whisper")
            self._model = whisper.load_model(str(checkpoint), device="cpu")
        except (OSError, ValueError, RuntimeError) as exc:
            raise UserError(f"cannot load {model_dir} with openai-whisper: {exc}", 2) from None
        heads = _alignment_heads(model_dir)
        if heads:
            mask = torch.zeros(self._model.dims.n_text_layer, self._model.dims.n_text_head, dtype=torch.bool)
            for layer, head in heads:
                mask[layer, head] = True
            self._model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)

    def transcribe(self, samples, *, initial_prompt=None, max_tokens=None, greedy=False):
        extra = dict(sample_len=max_tokens) if max_tokens else {}
        result = self._model.transcribe(
            np.asarray(samples, dtype=np.float32), language="en", task="transcribe", temperature=0.0,
            beam_size=self.beam_size if self.beam_size > 1 and not (max_tokens or greedy) else None, best_of=None,
            fp16=False,
            word_timestamps=True, initial_prompt=initial_prompt, condition_on_previous_text=False, verbose=None,
            **extra,
        )
        out = []
        for s in result["segments"]:
            words = tuple(RawWord(w["word"].strip(), float(w["start"]), float(w["end"]),
                                  float(w["probability"])) for w in s.get("words", []) if w["word"].strip())
            out.append(RawSegment(float(s["start"]), float(s["end"]), s["text"].strip(),
                                  float(s["avg_logprob"]), float(s["no_speech_prob"]), float(s["compression_ratio"]), words))
        return out


def _alignment_heads(model_dir: Path) -> list[tuple[int, int]]:
    try:
        cfg = json.loads((model_dir / "config.json").read_text())
    except (OSError, json.JSONDecodeError):
        return []
    return [(int(a), int(b)) for a, b in cfg.get("alignment_heads", [])]
