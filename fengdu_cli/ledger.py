"""The SQLite database: monthly snapshots of person states and warnings, and the run log.

The schema is created and migrated by the tool (``PRAGMA user_version``).  A month's
snapshot is replaced as a whole in one transaction, so re-running a month never
duplicates it and a crash never leaves half a month behind.  Only one run at a time
may write: :func:`hold_lock` takes an exclusive lock next to the database (exit 4).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from fengdu_cli import __version__
from fengdu_cli.errors import LockError

SCHEMA_VERSION = 1

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        command TEXT NOT NULL,
        month INTEGER,
        started TEXT NOT NULL,
        finished TEXT,
        version TEXT NOT NULL,
        summary TEXT
    );
    CREATE TABLE month_state (
        month INTEGER NOT NULL,
        id_number TEXT NOT NULL,
        township TEXT, village TEXT, household_id TEXT, name TEXT,
        category TEXT, labor_capacity TEXT, work_status TEXT,
        active_jobs INTEGER, employer_code TEXT, employer_name TEXT, region TEXT,
        tenure_months INTEGER, insured_m INTEGER, insured_months_current INTEGER,
        last_insured_month INTEGER, employers_12m INTEGER,
        PRIMARY KEY (month, id_number)
    );
    CREATE TABLE month_warnings (
        month INTEGER NOT NULL,
        id_number TEXT NOT NULL,
        code TEXT NOT NULL,
        township TEXT, village TEXT, household_id TEXT, name TEXT,
        detail TEXT, status TEXT,
        PRIMARY KEY (month, id_number, code)
    );
    CREATE TABLE month_summary (
        month INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(run_id),
        summary TEXT NOT NULL
    );
    """,
}

STATE_COLUMNS = [
    "id_number", "township", "village", "household_id", "name", "category", "labor_capacity",
    "work_status", "active_jobs", "employer_code", "employer_name", "region", "tenure_months",
    "insured_m", "insured_months_current", "last_insured_month", "employers_12m",
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


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating and migrating as needed) the database at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn)
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations the database lacks; return its schema version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for target in sorted(MIGRATIONS):
        if target > version:
            conn.execute("BEGIN")
            for statement in MIGRATIONS[target].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
            version = target
    return version


@contextlib.contextmanager
def hold_lock(db_path: Path) -> Iterator[Path]:
    """Hold the exclusive run lock beside ``db_path``; LockError (exit 4) if another run has it."""
    lock_path = Path(str(db_path) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockError("locked", path=str(lock_path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield lock_path
    finally:
        os.close(fd)


def start_run(conn: sqlite3.Connection, command: str, month: int | None) -> int:
    """Record the start of a run; returns its id."""
    cur = conn.execute(
        "INSERT INTO runs (command, month, started, version) VALUES (?, ?, ?, ?)",
        (command, month, _now(), __version__),
    )
    return int(cur.lastrowid)


def finish_run(conn: sqlite3.Connection, run_id: int, summary: dict) -> None:
    conn.execute(
        "UPDATE runs SET finished = ?, summary = ? WHERE run_id = ?",
        (_now(), json.dumps(summary, ensure_ascii=False, default=str), run_id),
    )


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


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


def stored_months(conn: sqlite3.Connection) -> list[int]:
    return [int(r[0]) for r in conn.execute("SELECT month FROM month_summary ORDER BY month")]


def replace_month(
    conn: sqlite3.Connection,
    month: int,
    run_id: int,
    state: pd.DataFrame,
    warnings: pd.DataFrame,
    summary: dict,
) -> None:
    """Store ``month``'s snapshot, replacing any earlier one, in one transaction."""
    state_rows = _records(state, STATE_COLUMNS)
    warning_rows = _records(warnings, WARNING_COLUMNS)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in ("month_state", "month_warnings", "month_summary"):
            conn.execute(f"DELETE FROM {table} WHERE month = ?", (month,))
        conn.executemany(
            f"INSERT INTO month_state (month, {', '.join(STATE_COLUMNS)}) "
            f"VALUES (?{', ?' * len(STATE_COLUMNS)})",
            [(month, *row) for row in state_rows],
        )
        conn.executemany(
            f"INSERT INTO month_warnings (month, {', '.join(WARNING_COLUMNS)}) "
            f"VALUES (?{', ?' * len(WARNING_COLUMNS)})",
            [(month, *row) for row in warning_rows],
        )
        conn.execute(
            "INSERT INTO month_summary (month, run_id, summary) VALUES (?, ?, ?)",
            (month, run_id, json.dumps(summary, ensure_ascii=False, default=str)),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows as plain Python tuples for sqlite3 (NaN/NA/NaT → NULL)."""
    table = frame.reindex(columns=columns).astype(object)
    table = table.where(table.notna(), None)
    return list(table.itertuples(index=False, name=None))
