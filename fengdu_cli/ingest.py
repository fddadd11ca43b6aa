"""``ingest``: the checked rows of one kind as one clean, consolidated table.

For rosters this is the county roster of all townships: canonical columns in a fixed
order, values normalised, ID-derived facts (sex, birth date, age, where the ID was
issued) added, and the file / sheet / row each person came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fengdu_cli import idcard
from fengdu_cli.io.columns import ALIASES
from fengdu_cli.io.columns_toml import ColumnsConfig
from fengdu_cli.progress import Progress
from fengdu_cli.validate import Checked, check_paths


@dataclass(frozen=True)
class Ingested:
    """What ``ingest`` read and wrote."""

    checked: Checked
    clean: pd.DataFrame
    written: tuple[Path, ...] = ()

    def summary(self) -> dict:
        """The validate summary plus the files written."""
        return {
            **self.checked.summary(),
            "rows_written": len(self.clean),
            "written": [str(p) for p in self.written],
        }


# Columns this table adds beside the clerk's.
ADDED = frozenset(
    {"sex", "birth_date", "age", "id_region", "source_file", "source_sheet", "source_row"}
)
# Columns normalising adds for the rules, not for the clerk's table.
DERIVED_INTERNAL = frozenset({"category_facts", "region"})


def _position(table: pd.DataFrame, column: str) -> int:
    """Where ``column`` is among the table's columns (their names are unique)."""
    at = table.columns.get_loc(column)
    if not isinstance(at, int):  # a slice or a mask only for a repeated name
        raise ValueError(f"column {column!r} is not unique")
    return at


def clean_table(checked: Checked, on: dt.date) -> pd.DataFrame:
    """The valid rows in canonical column order, with derived and provenance columns."""
    valid = checked.valid
    canonical = [c for c in ALIASES[checked.kind] if c in valid]
    extras = [
        c
        for c in valid.columns
        if not c.startswith("_") and c not in canonical and c not in DERIVED_INTERNAL
    ]
    table = valid[canonical + extras].copy()
    # a header typed exactly as a column this table adds (sex, age, source_file …) is kept
    # under a name of its own
    table = table.rename(columns={c: f"{c}_typed" for c in extras if c in ADDED})
    if "category_detail" in table and "category" in table:
        table.insert(
            _position(table, "category") + 1, "category_detail", table.pop("category_detail")
        )
    if "id_number" in table and checked.kind == "roster":
        ids = table["id_number"].astype(str)
        at = _position(table, "id_number") + 1
        table.insert(at, "sex", ids.map(idcard.sex_code))  # codes: the writer words them
        table.insert(
            at + 1, "birth_date", pd.to_datetime(ids.map(idcard.birth_date), errors="coerce")
        )
        table.insert(at + 2, "age", ids.map(lambda i: idcard.age_on(i, on)).astype("Int64"))
        table.insert(at + 3, "id_region", ids.map(idcard.region_class))
    table["source_file"] = valid["_file"].map(lambda f: Path(f).name)
    table["source_sheet"] = valid["_sheet"]
    table["source_row"] = valid["_row"].astype(int)
    return table.reset_index(drop=True)


def ingest(
    paths: Iterable[Path | str],
    kind: str,
    *,
    on: dt.date | None = None,
    columns: ColumnsConfig | None = None,
    progress: Progress | None = None,
) -> Ingested:
    """Check ``paths`` and build the clean consolidated table;
    :func:`fengdu_cli.io.reports.write_ingested` writes ``<kind>-clean.xlsx/.csv`` and
    ``<kind>-problems.xlsx`` (in the clerk's language).

    When a file cannot be read nothing is built (so nothing is written): a consolidated table
    missing a township's file must not look complete.
    """
    on = on or dt.date.today()
    checked = check_paths(paths, kind, on=on, columns=columns, progress=progress)
    if checked.unreadable:
        raise checked.unreadable[0].error()
    return Ingested(checked, clean_table(checked, on))
