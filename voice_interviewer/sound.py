"""sounddevice (PortAudio) with the sound libraries' own messages kept off the screen.

On Linux PortAudio reaches PulseAudio or PipeWire through ALSA, and the ALSA library prints its
diagnostics straight to the terminal ("ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred"), into
the middle of the interview. Its error handler is replaced by one that sends them to this program's debug
log (`logging`, shown with VOICE_INTERVIEWER_DEBUG=1), where they help when a device misbehaves.
Every use of sounddevice in the program goes through `sounddevice()`.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading

log = logging.getLogger("voice_interviewer.sound")

# void handler(const char *file, int line, const char *function, int err, const char *fmt, ...)
_ALSA_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
_installed = None  # the handler, kept alive for as long as ALSA may call it
_lock = threading.Lock()


def _to_log(file, line, function, err, fmt):
    def text(b):
        return b.decode("utf-8", "replace") if b else ""

    log.debug("ALSA %s:%d (%s) %s%s", text(file), line, text(function), text(fmt),
              f" [error {err}]" if err else "")


def quiet_alsa() -> bool:
    """Route ALSA's messages to the debug log; False where there is no ALSA (not Linux)."""
    global _installed
    with _lock:
        if _installed is not None:
            return True
        name = ctypes.util.find_library("asound")
        if not name:
            return False
        try:
            lib = ctypes.CDLL(name)
            handler = _ALSA_HANDLER(_to_log)
            lib.snd_lib_error_set_handler(handler)
        except (OSError, AttributeError):
            return False
        _installed = handler
        return True


def sounddevice():
    """The sounddevice module, with ALSA's messages off the screen."""
    import sounddevice as sd

    quiet_alsa()
    return sd
