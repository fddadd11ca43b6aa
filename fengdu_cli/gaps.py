"""Facts the tool could not read: a person is 无法判断 (unknown), never "no".

A fact about a person is unknown when the column holding it is missing from their file
(or two columns compete for it), when the cell is blank where a blank means nothing, or
when the value could not be understood.  Each row of a kind carries ``_gap_<column>``
for the columns warnings and rules need: ``''`` (known) or the cause.  Per person the
causes become ``_gap_<kind>__<column>`` in the month's state, holding the reason a
clerk reads as a :class:`~fengdu_cli.messages.Said` (worded at the edge: "花名册
xx.xlsx（Sheet1）缺少“劳动技能”列"), ``''`` where the fact is known.  Warnings and rule conditions
that depend on an unknown fact are neither raised nor failed: they are listed as 无法判断.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from fengdu_cli.io.columns import display_name
from fengdu_cli.messages import Said

CAUSES = ("no_column", "ambiguous", "blank", "bad_value")

# Columns whose blank cell leaves the fact unknown (a blank 务工状态 says nothing and
# raises nothing, DESIGN §6; a blank 就业结束日期 is a job still going).
BLANK_UNKNOWN: dict[str, tuple[str, ...]] = {
    "roster": ("category", "labor_capacity"),
    "employment": ("employment_type", "work_region"),
    "students": ("level",),
    "posts": ("contract_start", "contract_end", "accident_insurance"),
    "insurance": ("insurance_type",),
    # a blank yes/no of a placement says nothing (never "no")
    "agencies": ("free_service", "dispatch"),
    "bases": ("grade",),
}
# Problem codes that make a value unknown.
VALUE_CODES = ("bad_category", "bad_date", "bad_number")


def gap_column(column: str) -> str:
    """The row column holding the gap cause of ``column``."""
    return f"_gap_{column}"


def state_column(need: str) -> str:
    """The person-state column holding the reason for a need 'kind.column'."""
    kind, column = need.split(".")
    return f"_gap_{kind}__{column}"


def mark_values(
    frame: pd.DataFrame, kind: str, columns: frozenset[str], cases: pd.DataFrame
) -> pd.DataFrame:
    """Add the value causes (bad value, meaningless blank) to ``frame``'s gap columns.

    ``cases``: failure cases (index, column, code) of the frame's rows.
    """
    for column in sorted(columns):
        name = gap_column(column)
        if name not in frame:
            frame[name] = ""
        frame[name] = frame[name].fillna("").astype(object)
        if column not in frame:
            continue
        if column in BLANK_UNKNOWN.get(kind, ()):
            values = frame[column]
            empty = values.isna() | values.astype(str).eq("")
            frame.loc[empty & frame[name].eq(""), name] = "blank"
        bad = cases.loc[cases["column"].eq(column) & cases["code"].isin(VALUE_CODES), "index"]
        if len(bad):
            rows = frame.index.isin(bad)
            frame.loc[rows & frame[name].eq(""), name] = "bad_value"
    return frame


def _where(file: object, sheet: object, row: float | None) -> object:
    """The file (and sheet, and row) as a place a sentence names."""
    name = Path(str(file)).name
    place: object = Said("place_sheet", {"file": name, "sheet": sheet}) if sheet else name
    if row is not None and not pd.isna(row):
        place = Said("place_row", {"place": place, "row": int(row)})
    return place


def reason(
    kind: str,
    column: str,
    cause: str,
    file: object,
    sheet: object,
    row: float | None,
    raw: object,
) -> Said:
    """The sentence a clerk reads for one unknown fact, as a key and its parameters (the
    column by the tool's Chinese name, or its key in English)."""
    return Said(
        f"gap_{cause}",
        {
            "kind": kind,
            "column_zh": display_name(kind, column),
            "column_en": column,
            "file": _where(file, sheet, None),
            "where": _where(file, sheet, row),
            "value": "" if raw is None or (isinstance(raw, float) and np.isnan(raw)) else str(raw),
        },
    )


def objects(values: Sequence[object], index: pd.Index) -> pd.Series:
    """``values`` (Said, tuples of Said) as an object Series on ``index``, one per row."""
    out = pd.Series(None, index=index, dtype=object)
    for i, value in enumerate(values):  # one by one: numpy would unpack a tuple
        out.iat[i] = value  # type: ignore[assignment]  # pandas-stubs: scalars only
    return out


def reasons(frame: pd.DataFrame, kind: str, column: str) -> pd.Series:
    """Per row of ``frame`` (with provenance): why its ``column`` is unknown (a Said), or ''.

    A column missing from a sheet is said once per sheet; a blank or bad cell per row.
    """
    name = gap_column(column)
    out = pd.Series("", index=frame.index, dtype=object)
    if name not in frame:
        return out
    causes = frame[name].fillna("")
    raw_column = f"_raw_{column}" if f"_raw_{column}" in frame else column
    sheet_level = causes.isin(("no_column", "ambiguous"))
    if sheet_level.any():
        keys = list(zip(causes[sheet_level], frame.loc[sheet_level, "_file"],
                        frame.loc[sheet_level, "_sheet"], strict=True))  # fmt: skip
        said = {k: reason(kind, column, k[0], k[1], k[2], None, None) for k in set(keys)}
        out[sheet_level] = objects([said[k] for k in keys], out.index[sheet_level])
    row_level = causes.ne("") & ~sheet_level
    if row_level.any():
        rows = frame[row_level]
        raws = rows[raw_column] if raw_column in rows else pd.Series(None, index=rows.index)
        said_rows = [
            reason(kind, column, cause, f, s, r, v)
            for cause, f, s, r, v in zip(
                causes[row_level], rows["_file"], rows["_sheet"], rows["_row"], raws, strict=True
            )
        ]
        out[row_level] = objects(said_rows, rows.index)
    return out


def known(values: pd.Series) -> pd.Series:
    """Rows whose reason column says nothing ('' or missing): the fact is known."""
    return values.fillna("").eq("")  # a Said or a tuple is never equal to ''


def unknown(frame: pd.DataFrame, needs: tuple[str, ...]) -> pd.Series:
    """Rows of a person-state frame for which a fact of ``needs`` is unknown."""
    mask = pd.Series(False, index=frame.index)
    for need in needs:
        column = state_column(need)
        if column in frame:
            mask |= ~known(frame[column])
    return mask


def why(frame: pd.DataFrame, needs: tuple[str, ...]) -> pd.Series:
    """Per row: every reason of ``needs`` that is unknown, as a tuple of Said ('' when all
    are known); the edge joins them with the language's separator."""
    out = pd.Series("", index=frame.index, dtype=object)
    for need in dict.fromkeys(needs):
        column = state_column(need)
        if column not in frame:
            continue
        part = frame[column]
        pending = ~known(part)
        if pending.any():
            joined = [
                (*(before or ()), said)
                for before, said in zip(out[pending], part[pending], strict=True)
            ]
            out[pending] = objects(joined, out.index[pending])
    return out
