"""A cell as clean text — the one normalisation every reader, shape test and place test uses —
and the rows of a frame as the renderers and writers walk them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pandas as pd

from fengdu_cli import dates

_SPACES = re.compile(r"\s+")


def text_value(value: object) -> str:
    """A cell as clean text: NFKC (full-width → half-width), no spaces anywhere.

    Numbers typed into text columns come back without a trailing '.0'.
    """
    if isinstance(value, str) and value.isascii() and value.isalnum():
        return value  # the common case: nothing to clean
    if dates.is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def records(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``frame`` as named tuples (their cells are whatever the frame holds)."""
    return iter(frame.itertuples(index=False))
