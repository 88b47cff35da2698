"""The browser's recording, made playable: MediaRecorder writes WebM as a stream, with no length and no
index of where each second starts, so a player cannot seek in it (a click on a word of the transcript
would do nothing). Copying its packets into a new WebM file (no re-encoding) writes both."""
from __future__ import annotations

import os
from pathlib import Path

from voice_interviewer import store


def finish_video(recording: Path, final: Path) -> bool:
    """The recording (`recording`, still growing until now) becomes `final`, seekable; the page is only ever
    given `final`, so a player never reads a file that grows or is replaced under it. False when the
    recording could not be read: it is then kept as it is, under the final name."""
    done = make_seekable(recording, final)
    try:
        if done:
            recording.unlink(missing_ok=True)
        else:
            os.replace(recording, final)
    except OSError:
        pass  # gone already (finished by another request) or a full disk: the page says what it finds
    return done


def make_seekable(path: Path, out: Path) -> bool:
    """`path` copied to `out` with a duration and cues; False (nothing written) when it cannot be read."""
    import av

    tmp = out.with_name(f".{out.name}.remux.webm")
    try:
        with av.open(str(path)) as src, av.open(str(tmp), "w", format="webm") as dst:
            streams = {}
            for s in src.streams:
                if s.type in ("video", "audio"):
                    streams[s.index] = dst.add_stream_from_template(s)
            for packet in src.demux(*[src.streams[i] for i in streams]):
                if packet.dts is None:
                    continue  # the demuxer's flush packet
                packet.stream = streams[packet.stream.index]
                dst.mux(packet)
        os.chmod(tmp, store.FILE_MODE)
        os.replace(tmp, out)
        return True
    except (av.error.FFmpegError, OSError, ValueError):
        tmp.unlink(missing_ok=True)
        return False
