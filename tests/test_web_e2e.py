"""The practice room end to end in Debian's Chromium: a fake camera showing a real face (moved and scaled
with ffmpeg) and a fake microphone playing a spoken answer; start, answer, stop; then the feedback panel,
the saved take (transcript, video.webm, presence), history, the report."""
import json
import signal
import subprocess
import sys

import pytest

from conftest import wer
from speech_fixtures import JFK, JFK_TEXT, espeak_available, spoken_answer
from web_harness import launch_chromium, open_room, start_server, wait_until
from web_media import camera_y4m, ffmpeg_available, microphone_wav

pytestmark = pytest.mark.skipif(not (espeak_available() and ffmpeg_available()), reason="needs espeak-ng and ffmpeg")

LEAD_S = 4.0  # silence before the answer in the fake microphone: covers page load to the Start click
SCENES = [("good", 6.0), ("out", 3.0), ("close", 3.0)]  # the camera's 12 s loop


def saved_take(recordings):
    takes = sorted(recordings.glob("*/[0-9][0-9]-*"))
    assert len(takes) == 1, takes
    return takes[0]


def history_json(recordings):
    r = subprocess.run([sys.executable, "-m", "voice_interviewer", "history", "--json", "--recordings", str(recordings)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_answer_with_camera(tmp_path):
    answer = spoken_answer("deadline", tmp_path)
    mic = microphone_wav(answer.path, tmp_path / "mic.wav", LEAD_S)
    cam = camera_y4m(tmp_path / "camera.y4m", SCENES)
    recordings = tmp_path / "recordings"
    server = start_server(recordings, "--question", "biggest-failure")
    pw, browser = launch_chromium(mic, cam)
    try:
        page, events = open_room(browser, server)
        # the start button is enabled once the room is ready; the camera's first frame may come a moment later
        page.wait_for_function("() => { const v = document.querySelector('[data-testid=camera]');"
                               " return v && v.videoWidth > 0 && !v.paused; }", timeout=30_000)
        assert page.locator("#question").inner_text().strip()
        page.locator("[data-testid=start]").click()
        page.wait_for_selector("[data-testid=stop]:visible")
        page.wait_for_timeout(int((LEAD_S + answer.speech_end_s + 1.5) * 1000))
        assert page.locator("#timer").inner_text().startswith("0:")
        page.locator("[data-testid=stop]").click()
        page.wait_for_selector("[data-testid=feedback]", timeout=60_000)
        panel = page.locator("[data-testid=feedback]")
        assert panel.locator(".w").count() > 40
        assert panel.locator(".w.filler").count() >= 1
        assert panel.locator(".pause").count() >= 1
        assert panel.locator(".delivery tr").count() >= 5
        assert panel.locator("ul.check li").count() == 10
        # presence arrives once the video is complete and measured
        page.wait_for_selector("#presence[data-state=ready]", timeout=120_000)
        statements = panel.locator("#presence .statements li").all_inner_texts()
        assert any("out of frame from" in s for s in statements), statements
        assert any("too close" in s for s in statements), statements
        # click-to-seek: a word moves the video to its start
        word = panel.locator(".w").nth(20)
        start = float(word.get_attribute("data-start"))
        # (page.evaluate, not wait_for_function: polling a string in the page is eval, which the room's CSP forbids)
        assert wait_until(lambda: page.evaluate("document.querySelector('video.playback').readyState >= 1"), 15)
        # the page is given the video once it is finished: a length (a stream still growing has none), and
        # the note that it was on its way is gone
        assert 5 < page.evaluate("document.querySelector('video.playback').duration") < 600
        assert panel.locator("#video-note").count() == 0 and panel.locator("audio.playback").count() == 0
        word.click()
        page.wait_for_timeout(100)
        assert wait_until(lambda: not page.evaluate("document.querySelector('video.playback').seeking"), 5)
        # it plays on from there: a little past the word's start (more on a busy machine), never before it
        assert -0.05 <= page.evaluate("document.querySelector('video.playback').currentTime") - start < 1.0
        # history: the take with its figures and trend charts; its own page; its report (sandboxed)
        page.goto(server.base + "/history")
        page.wait_for_selector("#takes tbody tr")
        assert page.locator("#takes tbody tr").count() == 1
        assert page.locator("#trends svg.spark path").count() >= 4
        page.locator("#takes tbody tr a").first.click()
        page.wait_for_selector("[data-testid=feedback] video.playback")
        assert page.locator("[data-testid=feedback] .w").count() > 40
        assert page.locator("#presence[data-state=ready] .statements li").count() >= 2
        page.goto(page.url + "/report")
        page.wait_for_selector("#waveform svg", timeout=60_000)
        assert page.locator(".w.filler").count() >= 1 and page.locator("audio#answer").count() == 1
        assert events["errors"] == []
        assert all(u.startswith((server.base, "blob:", "data:")) for u in events["requests"]), events["requests"]
    finally:
        browser.close()
        pw.stop()
        code, out, err = server.stop()
    assert code == 0, err
    take = saved_take(recordings)
    for name in ("answer.wav", "analysis.json", "video.webm", "presence.json", "report.html", "take.json"):
        assert (take / name).is_file(), name
    analysis = json.loads((take / "analysis.json").read_text())
    assert wer(answer.reference_text, analysis["transcript"]["text"]) <= 0.2, analysis["transcript"]["text"]
    meta = json.loads((take / "take.json").read_text())
    assert meta["status"] == "analysed" and meta["voice"]["name"]  # the question was spoken, by the terminal's voice
    # the camera's loop: 6 s framed, 3 s out of frame, 3 s too close
    presence = analysis["presence"]
    assert 0.6 <= presence["face_in_frame_share"] <= 0.9, presence
    inside = [s for s in presence["spans"] if s["start"] > 0.5 and s["end"] < presence["duration_s"] - 0.5]  # not cut
    outs = [s for s in inside if s["finding"] == "out_of_frame"]  # by the answer's start or end
    closes = [s for s in inside if s["finding"] == "too_close"]
    assert outs and closes, presence
    assert all(2.0 <= s["end"] - s["start"] <= 4.0 for s in outs + closes), presence["spans"]
    import av

    with av.open(str(take / "video.webm")) as v:
        assert v.streams.video and v.duration and abs(v.duration / 1e6 - analysis["duration_s"]) < 2.0
    rows = history_json(recordings)["takes"]
    assert [r["take"] for r in rows] == [f"{take.parent.name}/{take.name}"]
    assert rows[0]["question_id"] == "biggest-failure"


def test_no_face_then_audio_only_by_keyboard(tmp_path):
    """A camera that shows no one, answered with Space; then the follow-up question with the camera off
    (audio only)."""
    mic = microphone_wav(JFK, tmp_path / "mic.wav", LEAD_S, tail_s=30.0)
    cam = camera_y4m(tmp_path / "camera.y4m", [("noface", 4.0)])
    recordings = tmp_path / "recordings"
    server = start_server(recordings, "--question", "time-you-failed", "--no-speak")
    pw, browser = launch_chromium(mic, cam)
    try:
        page, events = open_room(browser, server)
        page.keyboard.press(" ")
        page.wait_for_selector("[data-testid=stop]:visible")
        page.wait_for_timeout(int((LEAD_S + 12) * 1000))
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-testid=feedback]", timeout=60_000)
        page.wait_for_selector("#presence[data-state=ready]", timeout=120_000)
        text = page.locator("#presence").inner_text()
        assert "No face was seen" in text
        first = page.locator("[data-testid=feedback]").get_attribute("data-take")
        # the follow-up question, without the camera
        asked = page.locator("#question").inner_text()
        page.locator("#follow-up").click()
        assert page.locator("#question").inner_text() not in ("", asked)
        assert page.locator("#q-meta").inner_text().lower().startswith("follow-up")
        page.locator("#camera-toggle").click()
        page.wait_for_selector("#nocam:visible")
        assert "audio only" in page.locator("#nocam").inner_text()
        page.wait_for_selector("[data-testid=start]:enabled")
        page.locator("[data-testid=start]").click()
        page.wait_for_timeout(3000)
        page.locator("[data-testid=stop]").click()
        page.wait_for_selector(f"[data-testid=feedback]:not([data-take={json.dumps(first)}])", timeout=60_000)
        panel = page.locator("[data-testid=feedback]")
        assert panel.locator("audio.playback").count() == 1 and panel.locator("video.playback").count() == 0
        assert panel.locator("#presence").get_attribute("data-state") == "none"
        assert events["errors"] == []
    finally:
        browser.close()
        pw.stop()
        server.stop()
    takes = sorted(recordings.glob("*/[0-9][0-9]-*"))
    assert len(takes) == 2
    with_video, audio_only = takes
    presence = json.loads((with_video / "presence.json").read_text())
    assert presence["face_in_frame_share"] == 0.0
    analysis = json.loads((with_video / "analysis.json").read_text())
    assert wer(JFK_TEXT, analysis["transcript"]["text"]) <= 0.2, analysis["transcript"]["text"]
    assert not (audio_only / "video.webm").exists() and (audio_only / "answer.wav").is_file()
    assert json.loads((audio_only / "take.json").read_text())["follow_up_of"] == with_video.name


def test_ctrl_c_mid_answer_keeps_the_take(tmp_path):
    """The preparation countdown starts the answer by itself; the server is stopped (Ctrl-C) while the
    person is still answering: the take is saved and analysed."""
    mic = microphone_wav(JFK, tmp_path / "mic.wav", 3.0, tail_s=30.0)
    cam = camera_y4m(tmp_path / "camera.y4m", [("good", 2.0)])
    recordings = tmp_path / "recordings"
    server = start_server(recordings, "--no-speak", "--prep", "2")
    pw, browser = launch_chromium(mic, cam)
    try:
        page, _ = open_room(browser, server)
        page.wait_for_selector("#prep-count:visible", timeout=5000)
        assert "Preparation" in page.locator("#prep-count").inner_text()
        page.wait_for_selector("[data-testid=stop]:visible", timeout=10_000)  # no click: the countdown ran out
        page.wait_for_timeout(10_000)
        code, out, err = server.stop(signal.SIGINT)
    finally:
        browser.close()
        pw.stop()
    assert code == 0, err
    assert "Stopped" in out
    take = saved_take(recordings)
    meta = json.loads((take / "take.json").read_text())
    assert meta["status"] == "analysed", meta
    assert (take / "video.webm").stat().st_size > 1000
    words = json.loads((take / "analysis.json").read_text())["transcript"]["text"].lower()
    assert "americans" in words or "country" in words, words
