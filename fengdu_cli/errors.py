"""One error hierarchy; each class carries the exit code of DESIGN §2.

Library code raises these; the command-line entry point catches them once, prints
the message (in the clerk's language) and exits with ``exit_code``.  Anything else
that escapes is a bug: exit 5, the trace goes to a log file, never to the screen.
"""

from __future__ import annotations

from fengdu_cli.messages import text


class FengduError(Exception):
    """Base class: a message key from the catalogue and its parameters."""

    exit_code = 5

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` ('zh' or 'en')."""
        return text(self.key, lang, **self.params)


class UsageError(FengduError):
    """The command was called wrongly (bad option value, bad month)."""

    exit_code = 2


class InputError(FengduError):
    """An input cannot be read: missing, empty, corrupt, encrypted, no header, no ID column."""

    exit_code = 3


class LockError(FengduError):
    """Another run holds the lock on the database or output folder."""

    exit_code = 4


class OutputError(FengduError):
    """An output could not be written (a full disk, a folder that is a file)."""

    exit_code = 5


class InternalError(FengduError):
    """A bug: something the code did not expect."""

    exit_code = 5
