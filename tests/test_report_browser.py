"""The HTML report in a real headless Chromium: loads offline, charts drawn, words seek the audio."""
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import save_takes

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory, spoken):
    return save_takes(tmp_path_factory.mktemp("rec"), spoken["migration"].path, spoken["deadline"].path)


def make_report(root, *target):
    r = subprocess.run([sys.executable, "-m", "voice_interviewer", "report", "--recordings", str(root), *target],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    from pathlib import Path

    return Path(r.stdout.strip().splitlines()[-1])


def open_page(path, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is needed (scripts/setup.sh --test installs it)")
    pw = sync_api.sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    events = {"errors": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and events["errors"].append(m.text))
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return pw, browser, page, events


def test_take_report_in_chromium(saved, tmp_path):
    path = make_report(saved, "latest")
    text = path.read_text()
    assert 'src="http' not in text and "href=\"http" not in text and "<link" not in text
    pw, browser, page, events = open_page(path, tmp_path)
    try:
        # charts present and not empty
        for chart in ("#waveform svg", "#pace svg"):
            assert page.locator(chart).count() == 1
            box = page.locator(chart).bounding_box()
            assert box["width"] > 300 and box["height"] > 60
        assert page.locator("#waveform svg path").count() > 0
        # the audio is embedded and loads
        page.wait_for_function("document.getElementById('answer').readyState >= 1", timeout=15000)
        duration = page.evaluate("document.getElementById('answer').duration")
        assert duration > 10
        # clicking a word seeks the audio to that word's start
        word = page.locator(".w").nth(12)
        start = float(word.get_attribute("data-start"))
        word.click()
        page.wait_for_function("!document.getElementById('answer').seeking", timeout=5000)
        # it plays on from there: a little past the word's start (more on a busy machine), never before it
        assert -0.05 <= page.evaluate("document.getElementById('answer').currentTime") - start < 1.0
        assert page.locator(".w.filler").count() >= 1
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        from PIL import Image

        pixels = np.asarray(Image.open(shot).convert("L"), dtype=np.float32)
        assert pixels.std() > 20  # not blank
        assert events["errors"] == []
        assert all(u.startswith(("file:", "data:")) for u in events["requests"]), events["requests"]
    finally:
        browser.close()
        pw.stop()


def test_session_report_has_trend_charts(saved, tmp_path):
    session = next(p for p in saved.iterdir() if p.is_dir())
    path = make_report(saved, session.name)
    assert path == session / "report.html"
    pw, browser, page, events = open_page(path, tmp_path)
    try:
        assert page.locator("#trends svg").count() == 1
        assert page.locator("#trends svg path").count() > 4
        assert events["errors"] == []
        assert all(u.startswith(("file:", "data:")) for u in events["requests"])
    finally:
        browser.close()
        pw.stop()
    assert make_report(saved, "--all") == saved / "report.html"
