"""The one exception type the CLI turns into a one-line error and a non-zero exit, and how write errors
are said."""
import errno


class UserError(Exception):
    """A problem the user can fix (bad file, bad option, missing device). Printed as one line."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class AudioError(UserError):
    """An audio file that cannot be read or is unusable (names the file in its message)."""


def write_failure(exc: OSError) -> str:
    """A write error in a few words: "the disk is full", "permission denied", ..."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    return (exc.strerror or str(exc) or type(exc).__name__).lower()
