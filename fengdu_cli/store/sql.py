"""The few SQL helpers every part of the store uses: one write transaction, rows as
dictionaries, frames as plain tuples, and the time stamp written with each row."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator

import pandas as pd


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that takes the database's write lock at once (``BEGIN
    IMMEDIATE``): committed when the block ends, rolled back — nothing written — when it
    raises, whatever it raises (a killed commit leaves the ledger wholly before)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def select_rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[dict]:
    """The rows of a query, each as a dictionary of column → value."""
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, values, strict=True)) for values in cur.fetchall()]


def records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows as plain Python tuples for sqlite3 (NaN/NA/NaT → NULL)."""
    table = frame.reindex(columns=columns).astype(object)
    table = table.where(table.notna(), None)
    return list(table.itertuples(index=False, name=None))


def now() -> str:
    """The local time, to the second, as stored with runs, batches and entries."""
    return dt.datetime.now().isoformat(timespec="seconds")
