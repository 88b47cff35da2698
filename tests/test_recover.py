"""kill -9 in the middle of an answer loses at most half a second, and the take is recovered next time."""
import json
import os
import signal
import threading
import time

import soundfile as sf

from conftest import run_cli
from virtual_mic import PracticeProcess, VirtualMic, require_virtual_mic


def test_kill_9_mid_answer_then_recover(tmp_path, spoken):
    require_virtual_mic()
    mic = VirtualMic()
    rec = tmp_path / "rec"
    try:
        env = {**mic.environ(), "VOICE_INTERVIEWER_CONFIG": str(tmp_path / "none.toml")}
        run = PracticeProcess(["--count", "1", "--no-speak", "--recordings", str(rec)], env)
        assert run.wait_recording(60), run.output()
        player = threading.Thread(target=mic.play, args=(spoken["deadline"].path,), daemon=True)
        player.start()
        time.sleep(8.0)
        killed_at = time.monotonic()
        os.kill(run.proc.pid, signal.SIGKILL)
        run.proc.wait()
        recorded = killed_at - run.recording_started[0]
        wavs = list(rec.glob("*/*/answer.wav"))
        assert len(wavs) == 1
        info = sf.info(str(wavs[0]))  # readable as it is, before any repair
        loss = recorded - info.duration
        print(f"recorded {recorded:.2f} s before kill -9; {info.duration:.2f} s on disk; loss {loss:.2f} s")
        assert loss <= 0.5 + 0.25  # at most the last half second (+ the sound server's own buffering)
        meta = json.loads((wavs[0].parent / "take.json").read_text())
        assert meta["status"] == "recording"
        player.join(60)
    finally:
        mic.stop()
    r = run_cli("recover", "--recordings", str(rec))
    assert r.returncode == 0, r.stderr
    assert "recovered 1 take from" in r.stdout
    take = wavs[0].parent
    analysis = json.loads((take / "analysis.json").read_text())
    assert analysis["recovered"] is True and analysis["delivery"]["word_count"] > 5
    assert json.loads((take / "take.json").read_text())["status"] == "analysed"
    r = run_cli("recover", "--recordings", str(rec))
    assert "nothing to recover" in r.stdout
