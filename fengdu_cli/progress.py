"""How a long step says how far it is, without printing: the caller (the command line)
may hand one a :class:`Progress`; the default is none, and the library stays silent."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Told ``step`` (a code: read, match, rules) has done ``done`` of ``total`` units;
    ``params`` are codes too (the kind read, the rule computed), never personal data."""

    def __call__(self, step: str, done: int, total: int, /, **params: str) -> None: ...


def report(progress: Progress | None, step: str, done: int, total: int, **params: str) -> None:
    """Tell ``progress``, when there is one."""
    if progress is not None:
        progress(step, done, total, **params)
