"""voice_interviewer: a local, private, voice-first mock interviewer for questions about failure."""

__version__ = "0.1.0"
