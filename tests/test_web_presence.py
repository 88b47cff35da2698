"""On-camera presence: real WebM video (a public-domain portrait moved and scaled with ffmpeg) decoded with
PyAV and looked at with OpenCV's bundled cascades; and the judging rules on their own."""
import pytest

from voice_interviewer.presence import (
    BACKLIT, OFF_CENTRE, OUT_OF_FRAME, TOO_CLOSE, TOO_DARK, TOO_FAR, TURNED_AWAY, Face, Look, PresenceError,
    analyze_video, clock, findings_of, spans_of, summarise,
)
from web_media import camera_webm, ffmpeg_available

pytestmark = pytest.mark.skipif(not ffmpeg_available(), reason="needs ffmpeg")


def spans(p, finding):
    return [(s.start, s.end) for s in p.spans if s.finding == finding]


def near(span, start, end, tol=0.7):
    return abs(span[0] - start) <= tol and abs(span[1] - end) <= tol


def test_framing_changes_found_at_their_times(tmp_path):
    video = camera_webm(tmp_path / "v.webm", [("good", 4), ("out", 3), ("close", 3), ("far", 3), ("good", 3)])
    p = analyze_video(video)
    assert abs(p.duration_s - 16) < 0.5
    assert len(spans(p, OUT_OF_FRAME)) == 1 and near(spans(p, OUT_OF_FRAME)[0], 4, 7)
    assert len(spans(p, TOO_CLOSE)) == 1 and near(spans(p, TOO_CLOSE)[0], 7, 10)
    assert len(spans(p, TOO_FAR)) == 1 and near(spans(p, TOO_FAR)[0], 10, 13)
    assert spans(p, TOO_DARK) == [] and spans(p, OFF_CENTRE) == [] and spans(p, TURNED_AWAY) == []
    assert 0.75 <= p.face_in_frame_share <= 0.85  # 13 of 16 s
    assert p.facing_share == 1.0 and p.centred_share == 1.0
    assert 0.25 <= p.median_face_height <= 0.45
    text = " ".join(p.statements)
    assert "You were out of frame from 0:04 to 0:07." in text
    assert "too close to the camera from 0:07 to 0:10" in text
    assert "too far from the camera from 0:10 to 0:13" in text


def test_well_framed_throughout(tmp_path):
    p = analyze_video(camera_webm(tmp_path / "v.webm", [("good", 5)]))
    assert p.face_in_frame_share == 1.0 and p.spans == []
    assert p.statements[-1].startswith("You stayed centred")


def test_dim_room(tmp_path):
    p = analyze_video(camera_webm(tmp_path / "v.webm", [("dark", 4)]))
    assert p.face_in_frame_share == 1.0
    assert "Your face was too dark to see well throughout." in p.statements


def test_no_face_at_all(tmp_path):
    p = analyze_video(camera_webm(tmp_path / "v.webm", [("noface", 4)]))
    assert p.face_in_frame_share == 0.0 and p.facing_share is None
    assert p.statements == ["No face was seen on the video: check that the camera shows you."]


def test_damaged_video_is_a_clear_error(tmp_path):
    bad = tmp_path / "v.webm"
    bad.write_bytes(b"\x1a\x45\xdf\xa3" + b"not really a video" * 10)
    with pytest.raises(PresenceError):
        analyze_video(bad)


def test_a_video_cut_short_is_read_up_to_the_cut(tmp_path):
    video = camera_webm(tmp_path / "v.webm", [("good", 6)])
    data = video.read_bytes()
    video.write_bytes(data[: int(len(data) * 0.7)])  # the browser closed mid-answer (the first 40 % is the key frame)
    p = analyze_video(video)
    assert 1.5 <= p.duration_s <= 5 and p.face_in_frame_share > 0.9


# --- the rules, on made-up frames --------------------------------------------------------------------------

def look(t, face=None, face_luma=150.0, background=140.0, frame=140.0):
    return Look(t, face, face_luma if face else None, background, frame)


GOOD = Face(0.42, 0.22, 0.16, 0.33, True)


def test_findings_of_one_frame():
    assert findings_of(look(0, GOOD)) == set()
    assert findings_of(look(0, None)) == {OUT_OF_FRAME}
    assert findings_of(look(0, None, frame=10.0)) == {TOO_DARK}  # too dark to find anyone
    assert findings_of(look(0, Face(0.3, 0.1, 0.35, 0.62, True))) == {TOO_CLOSE}
    assert findings_of(look(0, Face(0.45, 0.3, 0.07, 0.12, True))) == {TOO_FAR}
    assert findings_of(look(0, Face(0.02, 0.22, 0.16, 0.33, True))) == {OFF_CENTRE}
    assert findings_of(look(0, Face(0.42, 0.22, 0.16, 0.33, False))) == {TURNED_AWAY}
    assert findings_of(look(0, GOOD, face_luma=40.0)) == {TOO_DARK}
    assert findings_of(look(0, GOOD, face_luma=90.0, background=200.0)) == {BACKLIT}


def test_spans_bridge_one_missed_frame_and_drop_flickers():
    step = 1 / 3
    frames = [look(i * step, None if 6 <= i < 16 and i != 10 else GOOD) for i in range(30)]
    frames[25] = look(25 * step, None)  # one frame alone: shorter than a second, not reported
    s = spans_of(frames)
    assert [(x.finding, round(x.start, 2), round(x.end, 2)) for x in s] == [(OUT_OF_FRAME, 2.0, 5.33)]


def test_statements_list_times_and_count_the_rest():
    step = 1 / 3
    frames = []
    for i in range(300):  # out of frame for 2 s in every 20 s
        frames.append(look(i * step, None if (i % 60) < 6 else GOOD))
    p = summarise(frames)
    out = [t for t in p.statements if t.startswith("You were out of frame")]
    assert out == ["You were out of frame from 0:00 to 0:02, from 0:20 to 0:22 and from 0:40 to 0:42 (and 2 more times)."]
    assert p.face_in_frame_share == 0.9


def test_clock():
    assert clock(0) == "0:00" and clock(42.4) == "0:42" and clock(125.6) == "2:06"
