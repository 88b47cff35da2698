"""The command line: a thin layer over the library. Each subcommand lives in `commands/<name>.py` with
`HELP`, `add_arguments(parser)` and `run(args) -> int`. Errors the user can fix are one line, no traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from voice_interviewer import __version__
from voice_interviewer.errors import UserError

PROG = "voice-interviewer"
# In the order `--help` lists them; "practice" is the default when no subcommand is given.
COMMANDS = ("practice", "analyze", "prepare", "stories", "review", "history", "report", "export",
            "reanalyze", "recover", "delete", "devices", "voices", "web")
DEBUG_ENV = "VOICE_INTERVIEWER_DEBUG"


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _command_modules():
    for name in COMMANDS:
        try:
            yield name, importlib.import_module(f"voice_interviewer.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"voice_interviewer.commands.{name}":
                raise


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description="A local, private, voice-first mock interviewer for questions about failure.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, module in _command_modules():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "practice")
    if os.environ.get(DEBUG_ENV):  # the debug log: the sound libraries' messages among others
        import logging

        logging.basicConfig(level=logging.DEBUG, format="debug: %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        from voice_interviewer.config import load_user_config, thresholds_from_config

        thresholds_from_config(load_user_config())  # a broken config file is said at once, by every command
        return int(args._run(args) or 0)
    except UserError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # never a traceback for the user; VOICE_INTERVIEWER_DEBUG=1 shows it
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"{PROG}: error: unexpected {type(exc).__name__}: {exc} (set {DEBUG_ENV}=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
