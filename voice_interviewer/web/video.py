"""The browser's recording, made playable: MediaRecorder writes WebM as a stream, with no length and no
index of where each second starts, so a player cannot seek in it (a click on a word of the transcript
would do nothing). Copying its packets into a new WebM file (no re-encoding) writes both."""
from __future__ import annotations

import os
from pathlib import Path

from voice_interviewer import store


def make_seekable(path: Path) -> bool:
    """Rewrite `path` in place with a duration and cues; False (file left as it was) when it cannot be read."""
    import av

    tmp = path.with_name(f".{path.name}.remux.webm")
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
        os.replace(tmp, path)
        return True
    except (av.error.FFmpegError, OSError, ValueError):
        tmp.unlink(missing_ok=True)
        return False
