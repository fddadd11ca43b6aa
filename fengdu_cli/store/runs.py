"""The run log and the monthly snapshots: who ran what, and each month's person states and
warnings, replaced as a whole in one transaction (re-running a month never duplicates it,
a crash never leaves half a month behind)."""

from __future__ import annotations

import json
import sqlite3
from itertools import repeat

import pandas as pd

from fengdu_cli import __version__
from fengdu_cli.store.sql import now, transaction

STATE_COLUMNS = [
    "id_number", "township", "village", "household_id", "name", "category", "labor_capacity",
    "work_status", "active_jobs", "employer_code", "employer_name", "region", "tenure_months",
    "insured_m", "insured_months_current", "last_insured_month", "employers_12m", "start_date",
]  # fmt: skip
WARNING_COLUMNS = [
    "id_number",
    "code",
    "township",
    "village",
    "household_id",
    "name",
    "detail",
    "status",
]


def start_run(conn: sqlite3.Connection, command: str, month: int | None) -> int:
    """Record the start of a run; returns its id."""
    cur = conn.execute(
        "INSERT INTO runs (command, month, started, version) VALUES (?, ?, ?, ?)",
        (command, month, now(), __version__),
    )
    assert cur.lastrowid is not None  # set by the INSERT
    return cur.lastrowid


def finish_run(conn: sqlite3.Connection, run_id: int, summary: dict) -> None:
    conn.execute(
        "UPDATE runs SET finished = ?, summary = ? WHERE run_id = ?",
        (now(), json.dumps(summary, ensure_ascii=False, default=str), run_id),
    )


def previous_month(conn: sqlite3.Connection, month: int) -> int | None:
    """The latest stored month before ``month``."""
    row = conn.execute("SELECT MAX(month) FROM month_summary WHERE month < ?", (month,)).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def stored_warnings(conn: sqlite3.Connection, month: int) -> pd.DataFrame:
    """The warnings stored for ``month`` (WARNING_COLUMNS)."""
    return pd.read_sql_query(
        f"SELECT {', '.join(WARNING_COLUMNS)} FROM month_warnings WHERE month = ? ORDER BY rowid",
        conn,
        params=(month,),
    )


def replace_month(
    conn: sqlite3.Connection,
    month: int,
    run_id: int,
    state: pd.DataFrame,
    warnings: pd.DataFrame,
    summary: dict,
) -> None:
    """Store ``month``'s snapshot, replacing any earlier one, in one transaction."""
    state_rows = _month_rows(month, _dates_as_text(state), STATE_COLUMNS)
    warning_rows = _month_rows(month, warnings, WARNING_COLUMNS)
    with transaction(conn):
        for table in ("month_state", "month_warnings", "month_summary"):
            conn.execute(f"DELETE FROM {table} WHERE month = ?", (month,))
        conn.executemany(
            f"INSERT INTO month_state (month, {', '.join(STATE_COLUMNS)}) "
            f"VALUES (?{', ?' * len(STATE_COLUMNS)})",
            state_rows,
        )
        conn.executemany(
            f"INSERT INTO month_warnings (month, {', '.join(WARNING_COLUMNS)}) "
            f"VALUES (?{', ?' * len(WARNING_COLUMNS)})",
            warning_rows,
        )
        conn.execute(
            "INSERT INTO month_summary (month, run_id, summary) VALUES (?, ?, ?)",
            (month, run_id, json.dumps(summary, ensure_ascii=False, default=str)),
        )


def _month_rows(month: int, frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """``(month, *row)`` per row, the values as :func:`~fengdu_cli.store.sql.records` gives
    them (plain Python values, NaN/NA/NaT → NULL), converted a column at a time."""
    table = frame.reindex(columns=columns)
    values = []
    for column in columns:
        cells = table[column].astype(object)
        values.append(cells.where(cells.notna(), None).tolist())
    return list(zip(repeat(month), *values, strict=False))


def _dates_as_text(state: pd.DataFrame) -> pd.DataFrame:
    """The current job's start as an ISO date text (SQLite has no date type)."""
    if "start_date" not in state:
        return state
    start = pd.to_datetime(state["start_date"], errors="coerce")
    return state.assign(start_date=start.dt.strftime("%Y-%m-%d").where(start.notna(), None))
