"""Convert the embedded CTranslate2 Whisper model (model.bin) into an openai-whisper checkpoint, offline.

model.bin layout (CTranslate2 binary version 6): uint32 version, string spec name, uint32 revision,
uint32 variable count, then per variable: string name, uint8 rank, rank x uint32 shape, uint8 dtype id
(float32, int8, int16, int32, float16, bfloat16), uint32 byte count, the bytes; then uint32 alias count
and (alias, target) string pairs. Strings are uint16 length (with the final NUL) + UTF-8 + NUL.

CTranslate2 fuses self-attention query/key/value into `linear_0` (openai's key has no bias: its part of
the fused bias is zero), fuses cross-attention key/value into `linear_1`, names layer norms gamma/beta,
and stores the position embeddings as `position_encodings/encodings`.
"""
from __future__ import annotations

import hashlib
import json
import re
import struct
from pathlib import Path

import numpy as np

DTYPES = (np.float32, np.int8, np.int16, np.int32, np.float16, None)  # None: bfloat16, not used by Whisper tiny
CHECKPOINT_NAME = "whisper-{stem}-from-ct2.pt"


def read_ct2(path: Path) -> dict[str, np.ndarray]:
    """Every variable of a CTranslate2 model.bin (aliases resolved), as numpy arrays."""
    out: dict[str, np.ndarray] = {}
    with open(path, "rb") as f:
        def string() -> str:
            (n,) = struct.unpack("<H", f.read(2))
            return f.read(n)[:-1].decode("utf-8")

        (version,) = struct.unpack("<I", f.read(4))
        if version < 5:
            raise ValueError(f"{path}: CTranslate2 binary version {version} is not supported")
        spec = string()
        if spec != "WhisperSpec":
            raise ValueError(f"{path}: not a Whisper model ({spec})")
        struct.unpack("<I", f.read(4))  # revision
        (count,) = struct.unpack("<I", f.read(4))
        for _ in range(count):
            name = string()
            (rank,) = struct.unpack("<B", f.read(1))
            shape = struct.unpack("<" + "I" * rank, f.read(4 * rank))
            (dtype_id,) = struct.unpack("<B", f.read(1))
            (nbytes,) = struct.unpack("<I", f.read(4))
            raw = f.read(nbytes)
            dtype = DTYPES[dtype_id]
            if dtype is None:
                raise ValueError(f"{path}: {name} is bfloat16, which this converter does not read")
            out[name] = np.frombuffer(raw, dtype=dtype).reshape(shape)
        (aliases,) = struct.unpack("<I", f.read(4))
        for _ in range(aliases):
            alias, target = string(), string()
            out[alias] = out[target]
    return out


def _layers(v: dict, side: str) -> list[int]:
    return sorted({int(m.group(1)) for k in v if (m := re.match(rf"{side}/layer_(\d+)/", k))})


def dims_from(v: dict[str, np.ndarray]) -> dict:
    n_audio_layer = len(_layers(v, "encoder"))
    n_text_layer = len(_layers(v, "decoder"))
    return {
        "n_mels": int(v["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(v["encoder/conv1/weight"].shape[0]),
        "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(v["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }


def state_dict_from(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """openai-whisper parameter names -> arrays, kept in the source's precision (float16 for the embedded
    model: half the size on disk; load_state_dict casts into the model's float32 parameters)."""
    sd: dict[str, np.ndarray] = {}
    f32 = np.asarray

    def linear(dst: str, src: str, bias: bool = True):
        sd[f"{dst}.weight"] = f32(v[f"{src}/weight"])
        if bias:
            sd[f"{dst}.bias"] = f32(v[f"{src}/bias"])

    def norm(dst: str, src: str):
        sd[f"{dst}.weight"] = f32(v[f"{src}/gamma"])
        sd[f"{dst}.bias"] = f32(v[f"{src}/beta"])

    def fused(dst_names: list[str], src: str, key_index: int | None):
        w, b = f32(v[f"{src}/weight"]), f32(v[f"{src}/bias"])
        n = w.shape[0] // len(dst_names)
        for i, dst in enumerate(dst_names):
            sd[f"{dst}.weight"] = w[i * n:(i + 1) * n]
            if i != key_index:  # openai's key projection has no bias
                sd[f"{dst}.bias"] = b[i * n:(i + 1) * n]

    for side in ("encoder", "decoder"):
        for i in _layers(v, side):
            src, dst = f"{side}/layer_{i}", f"{side}.blocks.{i}"
            fused([f"{dst}.attn.query", f"{dst}.attn.key", f"{dst}.attn.value"], f"{src}/self_attention/linear_0", 1)
            linear(f"{dst}.attn.out", f"{src}/self_attention/linear_1")
            norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
            if side == "decoder":
                linear(f"{dst}.cross_attn.query", f"{src}/attention/linear_0")
                fused([f"{dst}.cross_attn.key", f"{dst}.cross_attn.value"], f"{src}/attention/linear_1", 0)
                linear(f"{dst}.cross_attn.out", f"{src}/attention/linear_2")
                norm(f"{dst}.cross_attn_ln", f"{src}/attention/layer_norm")
            linear(f"{dst}.mlp.0", f"{src}/ffn/linear_0")
            linear(f"{dst}.mlp.2", f"{src}/ffn/linear_1")
            norm(f"{dst}.mlp_ln", f"{src}/ffn/layer_norm")
    linear("encoder.conv1", "encoder/conv1")
    linear("encoder.conv2", "encoder/conv2")
    sd["encoder.positional_embedding"] = f32(v["encoder/position_encodings/encodings"])
    norm("encoder.ln_post", "encoder/layer_norm")
    sd["decoder.token_embedding.weight"] = f32(v["decoder/embeddings/weight"])
    sd["decoder.positional_embedding"] = f32(v["decoder/position_encodings/encodings"])
    norm("decoder.ln", "decoder/layer_norm")
    return sd


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def convert(model_dir: Path, out: Path) -> Path:
    """Write the openai-whisper checkpoint for `model_dir` to `out`, with a sidecar naming its source and hash."""
    import torch

    from voice_interviewer.store import atomic_write_bytes, atomic_write_json

    v = read_ct2(model_dir / "model.bin")
    dims = dims_from(v)
    sd = {k: torch.from_numpy(np.array(a)) for k, a in state_dict_from(v).items()}  # a writable copy
    out.parent.mkdir(parents=True, exist_ok=True)
    import io

    buf = io.BytesIO()
    torch.save({"dims": dims, "model_state_dict": sd}, buf)
    atomic_write_bytes(out, buf.getvalue())
    src = (model_dir / "model.bin").stat()
    atomic_write_json(out.with_suffix(".json"), {"source": str(model_dir / "model.bin"), "source_size": src.st_size,
                                                 "source_mtime": src.st_mtime, "sha256": file_sha256(out), "dims": dims})
    return out


def cached_checkpoint(model_dir: Path, cache: Path) -> Path:
    """The converted checkpoint in the cache, converted on first use and verified on every use (the
    checkpoint's hash, its source's size and time recorded in a sidecar); a stale or damaged one is redone."""
    stem = hashlib.sha256(str(model_dir.resolve()).encode()).hexdigest()[:12]
    out = cache / CHECKPOINT_NAME.format(stem=stem)
    meta = out.with_suffix(".json")
    if out.is_file() and meta.is_file():
        try:
            info = json.loads(meta.read_text())
            src = (model_dir / "model.bin").stat()
            if (info.get("source_size") == src.st_size and info.get("source_mtime") == src.st_mtime
                    and info.get("sha256") == file_sha256(out)):
                return out
        except (json.JSONDecodeError, OSError):
            pass
    return convert(model_dir, out)

