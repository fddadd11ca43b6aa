"""What the store's tests do to a database behind the tool's back, said once for both
backends: a SQLite file (what its owner could do with ``sqlite3``) and a PostgreSQL schema
(what its owner could do with ``psql``).  Each tamper the tool must catch on one backend it
must catch on the other; only how the database's own guards are named and dropped differs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy.pool import NullPool

from fengdu_cli.store.location import target


def is_server(db: str | Path) -> bool:
    """Is ``db`` a PostgreSQL database (else a SQLite file)?"""
    return target(db).server


@contextlib.contextmanager
def as_owner(db: str | Path) -> Iterator[sqlalchemy.Connection]:
    """A connection to ``db`` outside the tool, as the owner of its tables: every statement
    committed at once (autocommit), an error raised as the driver's (wrapped by SQLAlchemy)."""
    engine = sqlalchemy.create_engine(
        target(db).sqlalchemy_url(), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def owner_sql(db: str | Path, *statements: str, params: Mapping[str, Any] | None = None) -> None:
    """Run ``statements`` on ``db`` as its owner, each committed at once."""
    with as_owner(db) as conn:
        for statement in statements:
            conn.execute(sqlalchemy.text(statement), dict(params or {}))


def scalar(db: str | Path, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of the first row of ``sql`` read outside the tool."""
    with as_owner(db) as conn:
        return conn.execute(sqlalchemy.text(sql), dict(params or {})).scalar()


def rows(db: str | Path, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """The rows of ``sql`` read outside the tool, as tuples."""
    with as_owner(db) as conn:
        return [tuple(r) for r in conn.execute(sqlalchemy.text(sql), dict(params or {}))]


def guard(db: str | Path, table: str, op: str) -> str:
    """The name of the trigger that refuses ``op`` ('update' or 'delete') on ``table``:
    SQLite has one per operation, PostgreSQL one for both."""
    if is_server(db):
        return f"{table}_append_only"
    return f"{table}_append_only_{op[0]}"


def drop_guard(db: str | Path, table: str, op: str) -> str:
    """Drop the trigger that refuses ``op`` on ``table``, as its owner could; its name."""
    name = guard(db, table, op)
    owner_sql(db, f"DROP TRIGGER {name} ON {table}" if is_server(db) else f"DROP TRIGGER {name}")
    return name


def behind_guards(
    db: str | Path, table: str, *statements: str, params: Mapping[str, Any] | None = None
) -> None:
    """Run ``statements`` with ``table``'s guards out of the way and put them back as they
    were (PostgreSQL: turned off and on again; SQLite: dropped and made again word for
    word), as an owner covering their tracks would: the guards then look untouched."""
    if is_server(db):
        name = guard(db, table, "update")
        owner_sql(db, f"ALTER TABLE {table} DISABLE TRIGGER {name}", *statements,
                  f"ALTER TABLE {table} ENABLE TRIGGER {name}", params=params)  # fmt: skip
        return
    names = [guard(db, table, op) for op in ("update", "delete")]
    made = [scalar(db, "SELECT sql FROM sqlite_master WHERE name = :n", {"n": n}) for n in names]
    owner_sql(db, *(f"DROP TRIGGER {n}" for n in names), *statements, params=params)
    owner_sql(db, *made)
