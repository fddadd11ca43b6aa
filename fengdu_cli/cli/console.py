"""The screen: a console that never prints a control character from the data, and JSON."""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fengdu_cli.messages import text

if TYPE_CHECKING:
    from fengdu_cli.cli.app import Common

# Control characters a cell may hold (an escape sequence would drive the clerk's terminal).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class SafeConsole(Console):
    """A console that never prints a control character from the data: text and table cells
    are cleaned, and table cells are shown literally (a cell is data, not markup)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(_screen_safe(o) for o in objects), **kwargs)


def _screen_safe(obj: object) -> object:
    if isinstance(obj, str):
        return _CONTROL.sub("", obj)
    if isinstance(obj, Table):
        for column in obj.columns:
            column._cells = [  # rich keeps the cells here; they are ours to clean
                escape(_CONTROL.sub("", c)) if isinstance(c, str) else c for c in column._cells
            ]
    return obj


def screen(stderr: bool = False) -> Console:
    width = int(os.environ.get("COLUMNS", "0") or 0) or None
    # error lines are never wrapped: one problem, one line (scripts grep them)
    return SafeConsole(stderr=stderr, width=width, highlight=False, soft_wrap=stderr)


def print_json(data: dict) -> None:
    """``data`` as JSON on stdout; a missing value (NaN, NaT, NA) is null, never the NaN
    that strict JSON readers refuse."""
    text_ = json.dumps(_plain(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    sys.stdout.write(text_ + "\n")


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    return value


def show(
    common: Common,
    summary: dict,
    render: Callable[[Console], object],
    written: Iterable[Path] = (),
) -> None:
    """A command's outcome: with --json the summary alone on stdout, with --quiet nothing,
    else its screen (``render``) and the files written."""
    common.steps_done()
    if common.json:
        print_json(summary)
    elif not common.quiet:
        console = screen()
        render(console)
        say_written(console, written, common.lang)


def say_written(console: Console, written: Iterable[Path], lang: str) -> None:
    for path in written:
        console.print(text("screen_written", lang, path=path))


def show_file_check(
    common: Common, file: Path, problems: list[dict], said: list[str], ok: str
) -> int:
    """The outcome of checking one settings file (a policy, a columns.toml): its problems
    (``said``: each in words; ``ok``: the sentence when there are none), exit 1 if any."""
    if common.json:
        print_json({"file": str(file), "ok": not problems, "problems": problems})
    else:
        console = screen()
        if not problems:
            console.print(text(ok, common.lang, path=file))
        colon = text("screen_colon", common.lang)
        for words in said:
            console.print(f"{file}{colon}{words}", soft_wrap=True, markup=False)
    return 1 if problems else 0
