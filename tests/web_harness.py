"""Running `voice-interviewer web` and Debian's Chromium for the web room's tests."""
from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                 "--autoplay-policy=no-user-gesture-required"]
URL_TIMEOUT_S = 60


@dataclass
class Server:
    process: subprocess.Popen
    url: str  # with the token
    recordings: Path

    @property
    def base(self) -> str:
        return self.url.split("/?")[0]

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    def stop(self, sig=signal.SIGINT, timeout: float = 120) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return self.process.returncode, out, err


def start_server(recordings: Path, *args: str, env: dict | None = None) -> Server:
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    full_env.setdefault("VOICE_INTERVIEWER_CONFIG", str(recordings.parent / "no-config.toml"))
    p = subprocess.Popen([sys.executable, "-m", "voice_interviewer", "web", "--no-open", "--recordings", str(recordings), *args],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env,
                         cwd=Path(__file__).resolve().parents[1])
    ready, _, _ = select.select([p.stdout], [], [], URL_TIMEOUT_S)
    line = p.stdout.readline().strip() if ready else ""
    if not line.startswith("http://"):
        p.kill()
        out, err = p.communicate()
        pytest.fail(f"web did not print its address first: {line!r} {out!r} {err!r}")
    return Server(p, line, recordings)


def launch_chromium(audio_wav: Path | None = None, video_y4m: Path | None = None):
    """(playwright, browser) with the fake microphone and camera fed from these files."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is needed (scripts/setup.sh --test installs it)")
    args = list(CHROMIUM_ARGS)
    if audio_wav is not None:
        args.append(f"--use-file-for-fake-audio-capture={audio_wav}%noloop")
    if video_y4m is not None:
        args.append(f"--use-file-for-fake-video-capture={video_y4m}")
    pw = sync_api.sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
    return pw, browser


def open_room(browser, server: Server):
    """A page on the room with every console error and every request it makes recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    events = {"errors": [], "requests": [], "csp": []}
    page.on("console", lambda m: m.type == "error" and events["errors"].append(m.text))
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.goto(server.url)
    page.wait_for_selector("body[data-ready=yes]", timeout=30_000)
    page.wait_for_selector("[data-testid=start]:enabled", timeout=30_000)
    return page, events


def wait_until(predicate, timeout: float, step: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()
