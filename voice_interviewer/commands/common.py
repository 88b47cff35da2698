"""Options and helpers shared by several subcommands."""
from __future__ import annotations

import argparse

from voice_interviewer.errors import UserError


def add_recordings_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--recordings", metavar="DIR",
                   help="recordings directory (default: $VOICE_INTERVIEWER_RECORDINGS or ./recordings)")


def add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="DIR", help="a CTranslate2 Whisper model directory (default: the embedded tiny.en)")
    p.add_argument("--engine", choices=("faster-whisper", "openai-whisper"), default=None,
                   help="transcription engine (default: faster-whisper, or the config's 'engine')")
    p.add_argument("--beam-size", type=positive_int, default=None, metavar="N",
                   help="beam search width (default 2; 1 with openai-whisper; 3 is a little more accurate and slower)")


def add_voice_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--voice", metavar="NAME",
                   help="the interviewer's voice (see `voice-interviewer voices`; default: the natural neural voice, "
                        "or the config's 'voice'); espeak-ng voice names such as en-gb work too")
    p.add_argument("--rate", type=positive_int, default=None, metavar="WPM",
                   help="speaking rate in words per minute (default: the voice's own pace; espeak-ng 165)")


def add_content_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", help='the job you are practising for, e.g. "data engineer"')
    p.add_argument("--values", help='the company\'s values, comma separated, e.g. "ownership, candour"')


def split_values(values: str | list | None) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = values.split(",")
    return [v.strip() for v in values if v and v.strip()]


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def settings(args: argparse.Namespace) -> dict:
    """Session settings: the user's config file with the command line on top."""
    from voice_interviewer.config import load_user_config

    cfg = load_user_config()
    out = {k: cfg.get(k) for k in ("role", "values", "engine", "model", "beam_size", "voice")}
    for key in ("role", "values", "engine", "model", "beam_size", "voice"):
        value = getattr(args, key, None)
        if value:
            out[key] = value
    out["values"] = split_values(out.get("values"))
    return out


def thresholds():
    from voice_interviewer.config import load_user_config, thresholds_from_config

    return thresholds_from_config(load_user_config())
