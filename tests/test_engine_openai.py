"""The openai-whisper engine on the embedded weights, converted offline, against faster-whisper."""
import difflib
import subprocess
import sys

import pytest

from conftest import JFK, wer
from voice_interviewer.analysis import analyze_samples
from voice_interviewer.audio import load_audio

whisper = pytest.importorskip("whisper")
torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def ow_engine(tmp_path_factory):
    import os

    os.environ["VOICE_INTERVIEWER_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    from voice_interviewer.transcribe import load_engine

    return load_engine("openai-whisper")


def test_converted_checkpoint_matches_openai_layout(ow_engine):
    from voice_interviewer.convert_ct2 import dims_from, read_ct2, state_dict_from
    from voice_interviewer.transcribe import embedded_model_dir

    v = read_ct2(embedded_model_dir() / "model.bin")
    dims = whisper.model.ModelDimensions(**dims_from(v))
    expected = {k: tuple(t.shape) for k, t in whisper.model.Whisper(dims).state_dict().items()}
    got = {k: a.shape for k, a in state_dict_from(v).items()}
    assert got == expected
    assert dims.n_audio_layer == 4 and dims.n_vocab == 51864
    heads = ow_engine._model.alignment_heads.to_dense().nonzero().tolist()
    assert heads == [[1, 0], [2, 0], [2, 5], [3, 0], [3, 1], [3, 2], [3, 3], [3, 4]]  # tiny.en's official heads


def test_both_engines_agree_on_jfk(engine, ow_engine):
    x = load_audio(JFK)
    a = analyze_samples(x, engine)
    b = analyze_samples(x, ow_engine)
    assert wer(a["transcript"]["text"], b["transcript"]["text"]) == 0
    assert b["transcript"]["engine"] == "openai-whisper"


def test_both_engines_near_identical_on_an_answer(engine, ow_engine, spoken):
    x = load_audio(spoken["migration"].path)
    a, b = analyze_samples(x, engine), analyze_samples(x, ow_engine)
    assert wer(a["transcript"]["verbatim"], b["transcript"]["verbatim"]) <= 0.15
    # the same words (paired by text: one engine may write a hesitation the other leaves out) at the same times
    wa, wb = a["transcript"]["words"], b["transcript"]["words"]
    key = lambda w: w["word"].lower().strip(".,?!")  # noqa: E731
    blocks = difflib.SequenceMatcher(None, [key(w) for w in wa], [key(w) for w in wb]).get_matching_blocks()
    pairs = [(wa[m.a + k], wb[m.b + k]) for m in blocks for k in range(m.size)]
    assert len(pairs) >= 0.8 * len(wa)
    for x_, y_ in pairs:  # a word after a hesitation only one engine wrote starts where that one ends
        assert min(abs(x_["start"] - y_["start"]), abs(x_["end"] - y_["end"])) < 0.5, (x_, y_)


def test_cache_is_reused_and_a_damaged_one_redone(tmp_path):
    from voice_interviewer.convert_ct2 import cached_checkpoint
    from voice_interviewer.transcribe import embedded_model_dir

    first = cached_checkpoint(embedded_model_dir(), tmp_path)
    mtime = first.stat().st_mtime_ns
    assert cached_checkpoint(embedded_model_dir(), tmp_path) == first and first.stat().st_mtime_ns == mtime
    with open(first, "r+b") as f:
        f.seek(1000)
        f.write(b"damage")
    cached_checkpoint(embedded_model_dir(), tmp_path)
    assert first.stat().st_mtime_ns != mtime
    assert whisper.load_model(str(first), device="cpu").dims.n_text_layer == 4


def test_missing_package_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text("import sys\nsys.modules['whisper'] = None\n")
    import os

    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    r = subprocess.run([sys.executable, "-m", "voice_interviewer", "analyze", "--engine", "openai-whisper",
                        str(JFK)], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "pip install" in r.stderr and "Traceback" not in r.stderr
