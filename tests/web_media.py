"""What the web room's tests show the fake camera and play into the fake microphone, made by the tests.

The camera: the public-domain portrait in data/face-portrait.jpg (see data/face-portrait.LICENSE.md), moved
and scaled with ffmpeg into scenes of known length: well framed, out of frame (the camera sees the
suit, not the face), too close, too far, too dark, and a scene with no face at all. Chromium's fake camera
plays a Y4M file in a loop; the presence tests decode a VP8 WebM made from the same scenes.
The microphone: a spoken answer from speech_fixtures (espeak-ng, exact words), with silence before it
for the time the page takes between opening the microphone and the Start click.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile as sf

DATA = Path(__file__).resolve().parent / "data"
PORTRAIT = DATA / "face-portrait.jpg"  # 512 x 512; the face is the box (177, 66, 95, 95)
SIZE = (640, 360)
FPS = 10

# ffmpeg filters from the portrait to one 640 x 360 frame; the face's height as a share of the frame:
SCENES = {
    "good": "scale=640:-1,crop=640:360:0:0",  # face 0.33 high, centred
    "out": "scale=640:-1,crop=640:360:0:280",  # the suit and helmet: no face in frame
    "close": "scale=1164:-1,crop=640:360:190:98",  # face 0.6 high
    "far": "scale=240:-1,pad=640:360:200:40:0x8a8f9c",  # face 0.12 high
    "dark": "scale=640:-1,crop=640:360:0:0,eq=brightness=-0.45",  # the good scene in a dim room
    "noface": "crop=200:112:312:0,scale=640:360",  # the shuttle model behind her: no person at all
}


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None


def _scenes_command(scenes: list[tuple[str, float]]) -> list[str]:
    cmd = ["ffmpeg", "-v", "error", "-y"]
    for _, seconds in scenes:
        cmd += ["-loop", "1", "-t", f"{seconds}", "-i", str(PORTRAIT)]
    chains = [f"[{i}]{SCENES[name]},fps={FPS},setsar=1[s{i}]" for i, (name, _) in enumerate(scenes)]
    joined = "".join(f"[s{i}]" for i in range(len(scenes)))
    graph = ";".join(chains) + f";{joined}concat=n={len(scenes)}:v=1:a=0,format=yuv420p"
    return cmd + ["-filter_complex", graph]


def camera_y4m(out: Path, scenes: list[tuple[str, float]]) -> Path:
    """A Y4M file for Chromium's --use-file-for-fake-video-capture (it loops)."""
    subprocess.run(_scenes_command(scenes) + ["-f", "yuv4mpegpipe", str(out)], check=True, capture_output=True)
    return out


def camera_webm(out: Path, scenes: list[tuple[str, float]]) -> Path:
    """The same scenes as a VP8 WebM, as a browser records them."""
    subprocess.run(_scenes_command(scenes) + ["-c:v", "libvpx", "-b:v", "800k", str(out)], check=True, capture_output=True)
    return out


def microphone_wav(answer_path: Path, out: Path, lead_s: float, tail_s: float = 2.0) -> Path:
    """The answer with `lead_s` of silence before it, as 48 kHz 16-bit WAV (Chromium's fake microphone)."""
    from voice_interviewer.audio import load_audio

    x = load_audio(answer_path)
    rate = 16_000
    padded = np.concatenate([np.zeros(int(lead_s * rate), np.float32), x, np.zeros(int(tail_s * rate), np.float32)])
    up = np.interp(np.arange(len(padded) * 3) / 3, np.arange(len(padded)), padded).astype(np.float32)
    sf.write(str(out), up, 48_000, subtype="PCM_16")
    return out
