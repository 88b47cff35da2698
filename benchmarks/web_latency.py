"""The web practice room's feedback latency: a 60 s spoken answer (espeak-ng, made by tests/speech_fixtures)
plays into Chromium's fake microphone while its fake camera shows a face; the person clicks Finish
`--after` seconds after the last word; the time from that click to the feedback panel being on the page
is measured by the page itself (performance.now), along with the server's own analysis time and the time
until the on-camera presence figures arrive. Each run is a fresh server and browser (the first take of a
launch, the worst case).

Usage: nice -n 5 python benchmarks/web_latency.py [--runs 3] [--after 1.0] [--seconds 60] [--no-browser]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
LEAD_S = 4.0


def long_answer(out_dir: Path, seconds: float):
    """The tests' two scripted answers, repeated until the speaking is about `seconds` long."""
    from speech_fixtures import SCRIPTS, speak_answer

    script = SCRIPTS["deadline"] + " [1.2] " + SCRIPTS["migration"]
    answer = speak_answer(script, out_dir / "answer.wav")
    while answer.speech_end_s - answer.speech_start_s < seconds - 5:
        script += " [1.0] " + SCRIPTS["deadline"]
        answer = speak_answer(script, out_dir / "answer.wav")
    return answer


def one_run(tmp: Path, answer, after_s: float) -> dict:
    from web_harness import launch_chromium, open_room, start_server
    from web_media import camera_y4m, microphone_wav

    mic = microphone_wav(answer.path, tmp / "mic.wav", LEAD_S, tail_s=30.0)
    cam = tmp / "camera.y4m"
    if not cam.exists():
        camera_y4m(cam, [("good", 8.0), ("out", 2.0)])
    server = start_server(tmp / f"recordings-{time.monotonic_ns()}", "--question", "biggest-failure", "--no-speak")
    pw, browser = launch_chromium(mic, cam)
    try:
        page, _ = open_room(browser, server)
        page.locator("[data-testid=start]").click()
        page.wait_for_timeout(int((LEAD_S + answer.speech_end_s + after_s) * 1000))
        page.locator("[data-testid=stop]").click()
        page.wait_for_selector("[data-testid=feedback]", timeout=120_000)
        server_s = page.evaluate("window.lastFeedbackView && window.lastFeedbackView.ready_after_stop_s")
        feedback_ms = float(page.evaluate("document.body.dataset.feedbackAfterStopMs"))
        page.wait_for_selector("#presence[data-state=ready]", timeout=300_000)
        for _ in range(50):
            presence_ms = page.evaluate("document.body.dataset.presenceAfterStopMs")
            if presence_ms:
                break
            page.wait_for_timeout(100)
        take = page.locator("[data-testid=feedback]").get_attribute("data-take")
        import json

        view = json.loads(page.evaluate(f"fetch('/api/takes/{take}').then(r => r.text())"))
        return {"feedback_s": feedback_ms / 1000, "presence_s": float(presence_ms or "nan") / 1000,
                "answer_s": view.get("duration_s"), "server_s": server_s}
    finally:
        browser.close()
        pw.stop()
        server.stop()


def one_run_without_browser(tmp: Path, answer, after_s: float) -> dict:
    """The same answer sent by a small Python client at real-time pace (audio only): the server and the
    pipeline without the browser's own work (camera, video encoding) on the same two cores."""
    import http.client
    import json

    import numpy as np
    from websockets.sync.client import connect

    from voice_interviewer.audio import load_audio
    from web_harness import start_server

    server = start_server(tmp / f"recordings-{time.monotonic_ns()}", "--question", "biggest-failure", "--no-speak")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", f"/?token={server.token}")
        cookie = conn.getresponse().getheader("set-cookie").split(";")[0]
        samples = load_audio(answer.path)
        end = int((answer.speech_end_s + after_s) * 16000)
        samples = np.concatenate([samples, np.zeros(max(0, end - samples.size), np.float32)])[:end]
        with connect(f"ws://127.0.0.1:{server.port}/ws/answer", additional_headers={"Cookie": cookie},
                     origin=f"http://127.0.0.1:{server.port}", open_timeout=60, max_size=None) as ws:
            ws.send(json.dumps({"type": "start", "question_id": "biggest-failure", "sample_rate": 16000, "video": False}))
            assert json.loads(ws.recv(timeout=120))["type"] == "started"
            t0 = time.monotonic()
            for i in range(0, samples.size, 1600):
                ws.send(b"\x01" + samples[i:i + 1600].astype("<f4").tobytes())
                time.sleep(max(0.0, t0 + (i + 1600) / 16000 - time.monotonic()))
            stop = time.monotonic()
            ws.send(json.dumps({"type": "stop"}))
            while True:
                msg = json.loads(ws.recv(timeout=300))
                if msg["type"] == "feedback":
                    return {"feedback_s": time.monotonic() - stop, "presence_s": float("nan"),
                            "answer_s": msg["view"]["duration_s"], "server_s": msg["view"]["ready_after_stop_s"]}
    finally:
        server.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--after", type=float, default=1.0, help="seconds between the last word and the Finish click")
    ap.add_argument("--seconds", type=float, default=60.0, help="length of the answer")
    ap.add_argument("--no-browser", action="store_true", help="send the audio from Python instead of Chromium")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vi-web-latency-") as d:
        tmp = Path(d)
        answer = long_answer(tmp, args.seconds)
        print(f"answer: {answer.speech_end_s:.1f} s of audio, speaking {answer.speech_end_s - answer.speech_start_s:.1f} s; "
              f"Finish clicked {args.after:.1f} s after the last word")
        results = []
        for i in range(args.runs):
            r = (one_run_without_browser if args.no_browser else one_run)(tmp, answer, args.after)
            results.append(r)
            print(f"run {i + 1}: feedback panel {r['feedback_s']:.2f} s after Finish (server: 'stop' to analysis sent "
                  f"{r['server_s']:.2f} s); presence {r['presence_s']:.2f} s; "
                  f"take {r['answer_s']:.1f} s", flush=True)
        fb = [r["feedback_s"] for r in results]
        pr = [r["presence_s"] for r in results]
        print(f"feedback panel after Finish: median {statistics.median(fb):.2f} s, max {max(fb):.2f} s (target <= 1.5 s)")
        print(f"presence figures after Finish: median {statistics.median(pr):.2f} s, max {max(pr):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
