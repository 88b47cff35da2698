"""On-camera presence: how the person looked on the answer's video, as a one-way video interviewer sees it.

The video (video.webm, recorded by the browser) is decoded with PyAV and sampled a few times a second;
on each sampled frame OpenCV's Haar cascades, which ship inside opencv-python-headless (no download), look
for a frontal face and, failing that, a face in profile. From where the face is, how big, and how bright
it is against the background come the figures (share of the answer with a face in frame, centred, at a
sensible size, facing the camera) and a few plain statements with times ("You were out of frame from
0:42 to 0:47."). A frontal face means the person faced the camera; Haar cascades cannot follow the eyes,
so "facing the camera" is as close to eye contact as this gets.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

import numpy as np

from voice_interviewer.config import DEFAULT_THRESHOLDS, Thresholds

SAMPLE_EVERY_S = 1 / 3  # frames looked at: 3 a second
DETECT_WIDTH = 480  # frames are shrunk to this width before the cascades run
FRONTAL_MIN_PX = 24  # the frontal cascade's own window: at 480 x 270, faces of 9 % of the height and up
PROFILE_WIDTH = 320  # profile search runs on a smaller frame
SCALE_STEP = 1.1  # between the sizes the frontal cascade tries (1.15 misses small faces)
PROFILE_SCALE_STEP = 1.15
FACE_TARGET = (0.5, 0.4)  # where the face's centre belongs (share of width, of height): eyes a third down
DARK_FRAME_LUMA = 35.0  # a frame this dark with no face found: too dark to see anyone, not "out of frame"
MAX_STATEMENT_SPANS = 3  # times listed per finding; more are counted
FRONTAL_CASCADE = "haarcascade_frontalface_default.xml"
PROFILE_CASCADE = "haarcascade_profileface.xml"

# Findings, in the order statements are made
OUT_OF_FRAME = "out_of_frame"
TOO_DARK = "too_dark"
BACKLIT = "backlit"
TURNED_AWAY = "turned_away"
TOO_CLOSE = "too_close"
TOO_FAR = "too_far"
OFF_CENTRE = "off_centre"
FINDINGS = (OUT_OF_FRAME, TOO_DARK, BACKLIT, TURNED_AWAY, TOO_CLOSE, TOO_FAR, OFF_CENTRE)
SAYING = {
    OUT_OF_FRAME: "You were out of frame",
    TOO_DARK: "Your face was too dark to see well",
    BACKLIT: "The light behind you was brighter than your face (backlit)",
    TURNED_AWAY: "You turned away from the camera",
    TOO_CLOSE: "You were too close to the camera",
    TOO_FAR: "You sat too far from the camera",
    OFF_CENTRE: "You were off centre",
}


class PresenceError(Exception):
    """The video could not be read."""


@dataclass(frozen=True)
class Face:
    """A face box as shares of the frame: left, top, width, height (0-1)."""

    x: float
    y: float
    w: float
    h: float
    frontal: bool

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass(frozen=True)
class Look:
    """One sampled frame: when, the face found (if any) and how bright the face and its background are."""

    t: float
    face: Face | None
    face_luma: float | None
    background_luma: float
    frame_luma: float


@dataclass(frozen=True)
class Span:
    finding: str
    start: float
    end: float


@dataclass
class Presence:
    duration_s: float
    frames_looked_at: int
    face_in_frame_share: float
    facing_share: float | None  # of the frames with a face: a frontal face
    centred_share: float | None
    size_ok_share: float | None
    too_close_share: float
    too_far_share: float
    median_face_height: float | None  # share of the frame height
    median_face_luma: float | None
    spans: list[Span] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    model: str = "OpenCV Haar cascades (frontal face, profile face)"

    def to_dict(self) -> dict:
        return asdict(self)


# --- judging (pure) ------------------------------------------------------------------------------------

def findings_of(look: Look, t: Thresholds = DEFAULT_THRESHOLDS) -> set[str]:
    """What is wrong on one frame (empty: well framed, lit and facing the camera)."""
    face = look.face
    if face is None:
        return {TOO_DARK} if look.frame_luma < DARK_FRAME_LUMA else {OUT_OF_FRAME}
    out = set()
    if not face.frontal:
        out.add(TURNED_AWAY)
    if face.h > t.presence_face_large:
        out.add(TOO_CLOSE)
    elif face.h < t.presence_face_small:
        out.add(TOO_FAR)
    cx, cy = face.centre
    if abs(cx - FACE_TARGET[0]) > t.presence_off_centre or abs(cy - FACE_TARGET[1]) > t.presence_off_centre:
        out.add(OFF_CENTRE)
    if look.face_luma is not None:
        if look.face_luma < t.presence_dark_luma:
            out.add(TOO_DARK)
        elif look.background_luma - look.face_luma > t.presence_backlit_luma:
            out.add(BACKLIT)
    return out


def spans_of(looks: list[Look], t: Thresholds = DEFAULT_THRESHOLDS, step: float = SAMPLE_EVERY_S) -> list[Span]:
    """Stretches of the answer with each finding: runs of sampled frames (one missing frame bridged), each
    running to the next sample, kept when at least `presence_min_span_s` long; ordered by time."""
    per_frame = [findings_of(look, t) for look in looks]
    spans = []
    for finding in FINDINGS:
        start = last = None
        for look, found in zip(looks, per_frame):
            if finding in found:
                if start is None or look.t - last > 2 * step + 1e-6:
                    if start is not None:
                        spans.append(Span(finding, start, last + step))
                    start = look.t
                last = look.t
        if start is not None:
            spans.append(Span(finding, start, last + step))
    kept = [s for s in spans if s.end - s.start >= t.presence_min_span_s - 1e-6]
    return sorted(kept, key=lambda s: (s.start, FINDINGS.index(s.finding)))


def clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def statements(p: Presence, looks: list[Look]) -> list[str]:
    """A few plain sentences: the share with a face in frame, then each finding with its times."""
    if not looks:
        return ["No video frames could be read."]
    if p.face_in_frame_share == 0:
        return ["No face was seen on the video: check that the camera shows you."]
    out = [f"Your face was in frame for {p.face_in_frame_share:.0%} of the answer."]
    for finding in FINDINGS:
        mine = [s for s in p.spans if s.finding == finding]
        if not mine:
            continue
        if len(mine) == 1 and mine[0].end - mine[0].start >= 0.9 * p.duration_s:
            out.append(f"{SAYING[finding]} throughout.")
            continue
        times = [f"from {clock(s.start)} to {clock(s.end)}" for s in mine[:MAX_STATEMENT_SPANS]]
        more = len(mine) - MAX_STATEMENT_SPANS
        said = times[0] if len(times) == 1 else ", ".join(times[:-1]) + " and " + times[-1]
        out.append(f"{SAYING[finding]} {said}" + (f" (and {more} more time{'s' if more > 1 else ''})" if more > 0 else "") + ".")
    if len(out) == 1:
        out.append("You stayed centred, at a good distance, well lit and facing the camera.")
    return out


def summarise(looks: list[Look], duration_s: float | None = None, t: Thresholds = DEFAULT_THRESHOLDS) -> Presence:
    """The figures and statements for a sequence of sampled frames."""
    n = len(looks)
    duration = duration_s if duration_s is not None else (looks[-1].t + SAMPLE_EVERY_S if looks else 0.0)
    faces = [lk for lk in looks if lk.face is not None]
    found = [findings_of(lk, t) for lk in faces]

    def share(k: int, of: int) -> float | None:
        return round(k / of, 3) if of else None

    heights = [lk.face.h for lk in faces]
    lumas = [lk.face_luma for lk in faces if lk.face_luma is not None]
    p = Presence(
        duration_s=round(duration, 2), frames_looked_at=n,
        face_in_frame_share=share(len(faces), n) or 0.0,
        facing_share=share(sum(lk.face.frontal for lk in faces), len(faces)),
        centred_share=share(sum(OFF_CENTRE not in f for f in found), len(faces)),
        size_ok_share=share(sum(TOO_CLOSE not in f and TOO_FAR not in f for f in found), len(faces)),
        too_close_share=share(sum(TOO_CLOSE in f for f in found), n) or 0.0,
        too_far_share=share(sum(TOO_FAR in f for f in found), n) or 0.0,
        median_face_height=round(float(np.median(heights)), 3) if heights else None,
        median_face_luma=round(float(np.median(lumas)), 1) if lumas else None,
        spans=spans_of(looks, t),
    )
    p.statements = statements(p, looks)
    return p


# --- looking at frames (OpenCV) ------------------------------------------------------------------------

class FaceFinder:
    """The bundled Haar cascades, loaded once."""

    def __init__(self):
        import cv2

        cv2.setNumThreads(1)  # one core at most: it runs beside the transcriber, which needs the others
        self.cv2 = cv2
        self.frontal = self._load(FRONTAL_CASCADE)
        self.profile = self._load(PROFILE_CASCADE)

    def _load(self, name: str):
        path = Path(self.cv2.data.haarcascades) / name
        cascade = self.cv2.CascadeClassifier(str(path))
        if cascade.empty():
            raise PresenceError(f"the face model {name} is missing from opencv-python-headless")
        return cascade

    def look(self, gray: np.ndarray, t: float, near: Face | None = None) -> Look:
        """`gray`: one frame, 8-bit grey, any size. `near`: the face on the frame before, searched around
        first (a fraction of the cost of searching the whole frame)."""
        cv2 = self.cv2
        h0, w0 = gray.shape
        if w0 > DETECT_WIDTH:
            gray = cv2.resize(gray, (DETECT_WIDTH, round(h0 * DETECT_WIDTH / w0)), interpolation=cv2.INTER_AREA)
        h, w = gray.shape
        frame_luma = float(gray.mean())
        box, frontal = None, True
        if near is not None:
            box = self._frontal_near(gray, near)
        if box is None:
            boxes = self.frontal.detectMultiScale(gray, SCALE_STEP, 5, minSize=(FRONTAL_MIN_PX, FRONTAL_MIN_PX))
            box = _largest(boxes)
        if box is None:
            box, frontal = self._profile(gray), False
        if box is None:
            return Look(t, None, None, frame_luma, frame_luma)
        x, y, bw, bh = box
        face = Face(x / w, y / h, bw / w, bh / h, frontal)
        inner = gray[y + bh // 5: y + bh * 4 // 5, x + bw // 5: x + bw * 4 // 5]  # skin, not hair or background
        return Look(t, face, float(inner.mean()) if inner.size else None, background_luma(gray, box), frame_luma)

    def _frontal_near(self, gray: np.ndarray, near: Face):
        h, w = gray.shape
        fx, fy, fw, fh = near.x * w, near.y * h, near.w * w, near.h * h
        x0, y0 = max(0, int(fx - fw)), max(0, int(fy - fh))
        x1, y1 = min(w, int(fx + 2 * fw)), min(h, int(fy + 2 * fh))
        lo, hi = max(FRONTAL_MIN_PX, int(fw * 0.7)), int(fw * 1.45) + 1
        boxes = self.frontal.detectMultiScale(gray[y0:y1, x0:x1], SCALE_STEP, 5, minSize=(lo, lo), maxSize=(hi, hi))
        box = _largest(boxes)
        return None if box is None else (box[0] + x0, box[1] + y0, box[2], box[3])

    def _profile(self, gray: np.ndarray):
        """A face turned to either side, searched on a smaller frame (faces turned away are rarely small)."""
        cv2 = self.cv2
        h, w = gray.shape
        k = PROFILE_WIDTH / w if w > PROFILE_WIDTH else 1.0
        small = cv2.resize(gray, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA) if k < 1 else gray
        sw = small.shape[1]
        boxes = list(self.profile.detectMultiScale(small, PROFILE_SCALE_STEP, 5))
        boxes += [(sw - x - bw, y, bw, bh) for x, y, bw, bh in self.profile.detectMultiScale(cv2.flip(small, 1), PROFILE_SCALE_STEP, 5)]
        box = _largest(boxes)
        return None if box is None else tuple(int(round(v / k)) for v in box)


def _largest(boxes):
    """The biggest box (the person nearest the camera), or None."""
    return None if len(boxes) == 0 else tuple(int(v) for v in max(boxes, key=lambda b: b[2] * b[3]))


def background_luma(gray: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Brightness of what is behind the person: the frame above the face's chin line, left and right of
    the head (a window behind someone shows there)."""
    x, y, bw, bh = box
    top = gray[: y + bh]
    mask = np.ones(top.shape, bool)
    mask[:, max(0, x - bw // 2): x + bw + bw // 2] = False
    return float(top[mask].mean()) if mask.any() else float(gray.mean())


def sample_frames(source: Path | BinaryIO, every_s: float = SAMPLE_EVERY_S) -> Iterator[tuple[float, np.ndarray]]:
    """(seconds from the first frame, grey frame) about every `every_s` of the video. `source`: a file, or
    a file object to read it from as it is written (not seekable: read once, front to back)."""
    import av

    name = source.name if isinstance(source, Path) else "the video"
    try:
        container = av.open(str(source) if isinstance(source, Path) else source, format=None if isinstance(source, Path) else "webm")
    except (av.error.FFmpegError, OSError) as exc:
        raise PresenceError(f"{name}: cannot read the video ({exc})") from None
    with container:
        if not container.streams.video:
            raise PresenceError(f"{name}: holds no video")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        first = None
        due = 0.0
        try:
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                if first is None:
                    first = frame.time
                t = frame.time - first
                if t + 1e-6 < due:
                    continue
                due = t + every_s
                yield t, frame.to_ndarray(format="gray")
        except av.error.FFmpegError:
            return  # a video cut short (the browser was closed mid-answer): what was read stands


def look_at_video(source: Path | BinaryIO, finder: FaceFinder | None = None) -> list[Look]:
    finder = finder or FaceFinder()
    looks: list[Look] = []
    for t, gray in sample_frames(source):
        looks.append(finder.look(gray, t, near=looks[-1].face if looks and looks[-1].face else None))
    return looks


def analyze_video(path: str | Path, duration_s: float | None = None, t: Thresholds = DEFAULT_THRESHOLDS) -> Presence:
    """Presence for a video file; `duration_s`: the answer's length, when known (the video's otherwise)."""
    looks = look_at_video(Path(path))
    return summarise(looks, duration_s, t)


def spans_of_kind(p: Presence | dict, finding: str) -> list[tuple[float, float]]:
    spans = p.spans if isinstance(p, Presence) else [Span(**s) for s in p.get("spans", [])]
    return [(s.start, s.end) for s in spans if s.finding == finding]

