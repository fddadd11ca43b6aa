"""The problem list in words: the one place where the codes and parameters of
:func:`fengdu_cli.schemas.problem_report` become sentences (screens, JSON, workbooks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fengdu_cli.messages import Said, text


def column_name(kind: str, column: str, header: str, lang: str) -> str:
    """How a sentence names a column: the tool's Chinese name in Chinese; in English the
    header as the clerk typed it (what they find in their file), else the column's key."""
    if lang == "zh":
        from fengdu_cli.io.columns import display_name

        return display_name(kind, column)
    return header or column


def place(where: tuple | list, lang: str) -> str:
    """('a.xlsx', 'Sheet1', 42) as 'a.xlsx（Sheet1）第42行' / 'a.xlsx (Sheet1) row 42'."""
    if not where:
        return text("place_unknown", lang)
    file, sheet, row = where
    shown = text("place_sheet", lang, file=file, sheet=sheet) if sheet else file
    return text("place_row", lang, place=shown, row=row)


def _words(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Parameters as a sentence shows them: places worded, lists joined."""
    out = dict(params)
    if "first" in out:
        out["first"] = place(out["first"], lang)
    if isinstance(out.get("headers"), tuple | list):
        out["headers"] = text("quote_sep", lang).join(out["headers"])
    sep = text("list_sep", lang)
    return {k: sep.join(map(str, v)) if isinstance(v, tuple | list) else v for k, v in out.items()}


def problem_words(problems: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The problem table with ``header`` (as typed, else the column's name), ``message`` and
    ``suggestion`` in ``lang``."""
    table = problems.copy()
    if table.empty:
        return table.assign(message=pd.Series(dtype=object), suggestion=pd.Series(dtype=object))
    sep = text("list_sep", lang)
    headers, messages, suggestions = [], [], []
    for column, typed, value, key, hint, params in zip(
        table["column"],
        table["header"],
        table["value"],
        table["message_key"],
        table["suggestion_key"],
        table["params"],
        strict=True,
    ):
        kind = params.get("kind", "")
        named = params.get("headers")
        header = (sep.join(named) if named else typed) or (
            column_name(kind, column, "", lang) if lang == "zh" else column
        )
        filled = _words(params, lang)
        filled.update(
            column=column,
            column_name=column_name(kind, column, "" if named else typed, lang),
            value=value,
            header=header,
        )
        headers.append(header)
        messages.append(text(key, lang, **filled))
        suggestions.append(text(hint, lang, **filled) if hint else "")
    table["header"] = headers
    table["message"] = messages
    table["suggestion"] = suggestions
    return table


def row_notes(worded: pd.DataFrame, lang: str) -> pd.Series:
    """Per problem row (``_index``): every message of the row, once each, in one cell."""
    sep = text("note_sep", lang)
    if worded.empty:
        return pd.Series(dtype=object)
    return worded.groupby("_index")["message"].agg(lambda m: sep.join(dict.fromkeys(m)))


JSON_PROBLEM = ["file", "sheet", "row", "column", "value", "code", "message", "suggestion",
                "severity"]  # fmt: skip


def summary_words(summary: dict[str, Any], lang: str) -> dict[str, Any]:
    """A library summary (validate / ingest) with its problems, skipped sheets and unreadable
    files worded in ``lang``: the DESIGN §2 JSON."""
    out = dict(summary)
    if "problems" in out:
        table = problem_words(pd.DataFrame(out["problems"]), lang)
        out["problems"] = [
            {k: (int(v) if k == "row" else v) for k, v in rec.items()}
            for rec in table.reindex(columns=JSON_PROBLEM).to_dict("records")
        ]
    if "sheets_skipped" in out:
        out["sheets_skipped"] = [
            {**{k: v for k, v in n.items() if k not in ("key", "params")},
             "message": text(n["key"], lang, **n["params"])}
            for n in out["sheets_skipped"]
        ]  # fmt: skip
    if "unreadable" in out:
        out["unreadable"] = [
            {"file": u["file"], "code": u["code"], "message": text(u["code"], lang, **u["params"])}
            for u in out["unreadable"]
        ]
    return out


__all__ = ["column_name", "place", "problem_words", "row_notes", "summary_words"]


@dataclass(frozen=True)
class ProblemSaid(Said):
    """One row of the problem list kept as codes, worded in the language asked for (as
    :func:`problem_words` words the whole list) — for a list that quotes a problem of the
    file it read, such as ``ledger import``'s rows not imported."""

    row: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return str(problem_words(pd.DataFrame([dict(self.row)]), lang)["message"].iloc[0])
