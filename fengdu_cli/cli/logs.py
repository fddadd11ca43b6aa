"""What a run tells besides its screens: log lines and a progress display, both on stderr,
and the run's log file.

The library logs through one logger per module (``logging.getLogger(__name__)``) and never
configures logging; a command's run configures it here, for the run only.  On stderr: rich's
handler on a terminal, plain lines otherwise (cron); warnings by default, ``-v`` the INFO
lines (what the tool decided: files read, columns recognised, rules and their counts, the
database), ``-vv`` DEBUG.  A command that writes outputs or uses the database also writes its
INFO lines to a log file of its own, readable by its owner only.  Every line, on screen or
in the file, goes through :func:`fengdu_cli.idcard.mask_in_text` on its way out.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as ProgressBar

from fengdu_cli import idcard
from fengdu_cli.messages import text
from fengdu_cli.progress import Progress

PACKAGE = logging.getLogger("fengdu_cli")
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class MaskPersonalData(logging.Filter):
    """An ID, phone or card number in a log line is masked before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = idcard.mask_in_text(record.getMessage())
        record.args = None
        return True


class NotOnScreen(logging.Filter):
    """Lines for the run log only (``extra={"run_log_only": True}``): what the screen has
    said already in its own words, such as the error that ended the run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "run_log_only", False)


def stderr_level(verbose: int, quiet: bool) -> int:
    """Warnings by default (errors only with --quiet), INFO with -v, DEBUG with -vv."""
    if verbose >= 2:
        return logging.DEBUG
    if verbose == 1:
        return logging.INFO
    return logging.ERROR if quiet else logging.WARNING


def _stderr_handler(console: Console, level: int) -> logging.Handler:
    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(console=console, show_path=False, markup=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(level)
    handler.addFilter(NotOnScreen())
    return handler


def open_run_log(folder: Path, command: str) -> tuple[Path, TextIO]:
    """A new log file ``fengdu-<command>-<YYYYmmdd-HHMMSS>-<pid>.log`` in ``folder``,
    UTF-8, mode 0600, never one that exists (``-2``, ``-3`` … after a name taken)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = f"fengdu-{command}-{stamp}-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 100):
        path = folder / (f"{stem}.log" if n == 1 else f"{stem}-{n}.log")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        return path, os.fdopen(fd, "w", encoding="utf-8")
    raise FileExistsError(folder / f"{stem}.log")


@contextmanager
def logging_for(
    command: str, verbose: int, quiet: bool, folder: Path | None, lang: str, console: Console
) -> Iterator[Path | None]:
    """Log lines on stderr, and in a run log in ``folder`` (None: no log file), for the
    duration of one command; yields the log file's path (None without one).  A folder that
    cannot be written is said once on stderr and the command goes on."""
    handlers = [_stderr_handler(console, stderr_level(verbose, quiet))]
    path = None
    if folder is not None:
        try:
            path, stream = open_run_log(folder, command)
        except OSError as exc:
            said = text(
                "screen_run_log_unwritable", lang, folder=folder, detail=exc.strerror or str(exc)
            )
            console.print(escape(said), soft_wrap=True)
        else:
            to_file = logging.StreamHandler(stream)
            to_file.setFormatter(logging.Formatter(FILE_FORMAT))
            to_file.setLevel(logging.INFO)
            handlers.append(to_file)
    masking = MaskPersonalData()
    for handler in handlers:
        handler.addFilter(masking)
        PACKAGE.addHandler(handler)
    previous = PACKAGE.level
    PACKAGE.setLevel(min(h.level for h in handlers))
    try:
        yield path
    finally:
        for handler in handlers:
            PACKAGE.removeHandler(handler)
            handler.close()
            if isinstance(handler, logging.StreamHandler) and handler.stream is not sys.stderr:
                handler.stream.close()
        PACKAGE.setLevel(previous)


class ProgressDisplay:
    """A :class:`fengdu_cli.progress.Progress` drawn with rich: one bar per step (per kind
    read), the step's words from the catalogues."""

    def __init__(self, bar: ProgressBar, lang: str) -> None:
        self.bar, self.lang = bar, lang
        self.tasks: dict[tuple[str, str], TaskID] = {}

    def __call__(self, step: str, done: int, total: int, /, **params: str) -> None:
        if step == "rules" and self.lang != "en":  # a rule's code is no word on a Chinese screen
            params = {**params, "rule": ""}
        words = text(f"progress_{step}", self.lang, **params)
        key = (step, params.get("kind", ""))
        if key not in self.tasks:
            self.tasks[key] = self.bar.add_task(words, total=total)
        self.bar.update(self.tasks[key], completed=done, total=total, description=words)

    def done(self) -> None:
        """Take the display off the terminal (the command is about to print its result:
        lines printed below a live display would be drawn over)."""
        self.bar.stop()


@contextmanager
def progress_for(show: bool, lang: str, console: Console) -> Iterator[Progress | None]:
    """A progress display on stderr when ``show`` and stderr is a terminal; else None."""
    if not (show and sys.stderr.isatty()):
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with ProgressBar(*columns, console=console, transient=True) as bar:
        yield ProgressDisplay(bar, lang)
