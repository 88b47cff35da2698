"""The browser's recording made playable, and never shown to a page before it is: a real WebM written as a
stream (no duration, no cues, as MediaRecorder writes it), finished into the take's video.webm."""
import subprocess
import threading

import pytest

from voice_interviewer.web.room import VIDEO_FILE, VIDEO_RECORDING_FILE, Room
from voice_interviewer.web.video import finish_video
from web_media import _scenes_command, ffmpeg_available

pytestmark = pytest.mark.skipif(not ffmpeg_available(), reason="needs ffmpeg")


def streamed_webm(out, seconds=3.0):
    """VP8 WebM written to a pipe, so the muxer cannot go back to write the duration and the cues."""
    made = subprocess.run(_scenes_command([("good", seconds)]) + ["-c:v", "libvpx", "-f", "webm", "pipe:1"],
                          check=True, capture_output=True)
    out.write_bytes(made.stdout)
    return out


def duration_s(path):
    import av

    with av.open(str(path)) as v:
        return v.duration / 1e6 if v.duration else None


def test_a_streamed_recording_is_finished_seekable_under_the_final_name(tmp_path):
    recording = streamed_webm(tmp_path / VIDEO_RECORDING_FILE)
    assert duration_s(recording) is None
    assert finish_video(recording, tmp_path / VIDEO_FILE)
    assert not recording.exists()
    assert abs(duration_s(tmp_path / VIDEO_FILE) - 3.0) < 0.3


def test_an_unreadable_recording_is_kept_as_it_is(tmp_path):
    recording = tmp_path / VIDEO_RECORDING_FILE
    recording.write_bytes(b"\x1a\x45\xdf\xa3 not really a video")
    assert not finish_video(recording, tmp_path / VIDEO_FILE)
    assert not recording.exists() and (tmp_path / VIDEO_FILE).read_bytes().endswith(b"not really a video")


class _Room:  # the two things Room.video_state uses, without an engine
    video_state = Room.video_state

    def __init__(self):
        self.recording = set()
        self._video_lock = threading.Lock()


def test_a_video_still_coming_in_is_pending_not_given(tmp_path):
    room = _Room()
    streamed_webm(tmp_path / VIDEO_RECORDING_FILE)
    room.recording.add(tmp_path)
    assert room.video_state(tmp_path) == (False, True)
    assert not (tmp_path / VIDEO_FILE).exists()  # nothing a page could load while it grows
    # a room that stopped mid-answer left it: finished the first time the take is looked at
    room.recording.discard(tmp_path)
    assert room.video_state(tmp_path) == (True, False)
    assert duration_s(tmp_path / VIDEO_FILE) and not (tmp_path / VIDEO_RECORDING_FILE).exists()


def test_an_audio_only_take_has_no_video(tmp_path):
    assert _Room().video_state(tmp_path) == (False, False)


def test_a_recording_already_gone_is_no_error(tmp_path):
    """Two requests may look at a stale recording at once: the second finds it finished, not an exception."""
    assert not finish_video(tmp_path / VIDEO_RECORDING_FILE, tmp_path / VIDEO_FILE)
