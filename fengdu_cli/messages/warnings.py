"""The reasons of the monthly warnings in words: the one place where the ``detail_key`` and
``detail_params`` of :func:`fengdu_cli.warnings.raise_warnings` become sentences (the
workbooks, the warnings CSV, and the Chinese reason kept in the database snapshot).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from fengdu_cli.messages import month_words, text

_MONTHS = ("month", "previous", "first")  # parameters that are months (YYYY-MM)


def warning_detail(key: str, params: Mapping[str, Any], lang: str = "zh") -> str:
    """One warning's reason in ``lang``: months worded, job lists joined, the ID digits said."""
    p = dict(params)
    for name in _MONTHS:
        if name in p:
            p[name] = month_words(p[name], lang)
    if "last" in p:
        p["last"] = month_words(p["last"], lang) if p["last"] else text("warn_never", lang)
    if "jobs" in p:
        items = (text(f"{key}_item", lang, **job) for job in p["jobs"])
        p["jobs"] = text("warn_job_sep", lang).join(items)
    if "positions" in p:
        p["where"] = _where(p.pop("positions"), p.pop("typed", ""), p.pop("recorded", ""), lang)
    return text(key, lang, **p)


def _where(positions: list[int], typed: str, recorded: str, lang: str) -> str:
    if len(positions) == 1:
        return text("warn_id_one_digit", lang, position=positions[0], typed=typed,
                    recorded=recorded)  # fmt: skip
    if len(positions) == 2:
        return text("warn_id_swapped", lang, first=positions[0], second=positions[1])
    return text("warn_id_differs", lang)


def warning_details(warnings: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """The ``detail`` column of ``warnings`` (rows of WARNING_COLUMNS) in ``lang``.

    Many warnings share their reason (the same month, the same status): each distinct
    reason is worded once."""
    worded: dict[tuple, str] = {}
    out = []
    for key, params in zip(warnings["detail_key"], warnings["detail_params"], strict=True):
        same = _reason_key(key, params)
        if same is None:
            out.append(warning_detail(key, params, lang))
            continue
        if same not in worded:
            worded[same] = warning_detail(key, params, lang)
        out.append(worded[same])
    return pd.Series(out, index=warnings.index, dtype=object)


def _reason_key(key: str, params: Mapping[str, Any]) -> tuple | None:
    """A reason as a dictionary key (each value with its type: 1 and 1.0 are worded apart),
    None when a value cannot be one (a list of jobs, positions)."""
    values = tuple(params.values())
    same = (key, tuple(params), values, tuple(map(type, values)))
    try:
        hash(same)
    except TypeError:
        return None
    return same


def with_detail(warnings: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``warnings`` with their reasons worded as ``detail`` (OUTPUT_COLUMNS and the rest)."""
    return warnings.assign(detail=warning_details(warnings, lang))
