"""The one exception type the CLI turns into a one-line error and a non-zero exit."""


class UserError(Exception):
    """A problem the user can fix (bad file, bad option, missing device). Printed as one line."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class AudioError(UserError):
    """An audio file that cannot be read or is unusable (names the file in its message)."""
