"""The one data-access layer of the store, on SQLAlchemy Core, the same for SQLite and
PostgreSQL: an open database (:class:`Db`), one write transaction, rows as dictionaries,
frames read and written, and the time stamp written with each row.

Every query is written once, in the SQL both databases speak, with ``:name`` parameters.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Connection, Engine, Result, Table, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from fengdu_cli.errors import LockError
from fengdu_cli.store.location import Target

Params = Mapping[str, Any] | None
if TYPE_CHECKING:  # SQLAlchemy 2.1 types a result by its row's columns
    Rows = Result[*tuple[Any, ...]]
else:
    Rows = Result
IN_MEMORY = Target(path=Path(":memory:"))
# how long a write waits for another clerk's to end (as SQLite waits for a busy file)
WRITE_WAIT_SECONDS = 30
_LOCK_NOT_AVAILABLE = "55P03"


def open_engine(
    where: Target | None, application: str = "fengdu", *, read_only: bool = False
) -> Engine:
    """An engine for the database ``where`` (None: a SQLite database in memory).

    SQLite: the driver's own transaction handling is turned off and each transaction is
    begun by the store (``BEGIN``, or ``BEGIN IMMEDIATE`` for a write, which takes the write
    lock at once), with foreign keys on and up to 30 s of waiting for a busy file;
    ``read_only`` opens the file so that nothing can change it (nor create it).
    PostgreSQL: psycopg 3, the connection named ``application`` (who holds a lock is told by
    it), 10 s to connect, keepalives both ways (a dead peer noticed in about a minute).  No
    pool: a command opens its database once.
    """
    if where is None or not where.server:
        if read_only and where is not None and where.path is not None:
            uri = where.path.resolve().as_uri() + "?mode=ro"
            engine = create_engine(
                "sqlite://",
                creator=lambda: sqlite3.connect(uri, uri=True, timeout=30),
                poolclass=NullPool,
                hide_parameters=True,
            )
        else:
            url = "sqlite://" if where is None else where.sqlalchemy_url()
            engine = create_engine(
                url, poolclass=NullPool, connect_args={"timeout": 30}, hide_parameters=True
            )

        @event.listens_for(engine, "connect")
        def _plain(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            immediate = conn.info.get("immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    engine = create_engine(
        where.sqlalchemy_url(),
        poolclass=NullPool,
        connect_args={"application_name": application[:63], "connect_timeout": 10, **ALIVE},
        hide_parameters=True,  # an error quotes no ID
    )
    event.listen(engine, "connect", _server_notices_a_dead_client)
    return engine


# TCP keepalives, client side (libpq): a server gone silent is noticed in about a minute
ALIVE = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


def _server_notices_a_dead_client(dbapi_connection: Any, _record: Any) -> None:
    """The same on the server's side, for this session: a clerk's machine that died or went to
    sleep holding a month's run lock or the write lock lets go of it in about a minute, not
    after the system's two hours."""
    dbapi_connection.autocommit = True  # a SET in a transaction would be rolled back
    try:
        with dbapi_connection.cursor() as cursor:
            for name, value in (("idle", 30), ("interval", 10), ("count", 3)):
                cursor.execute(f"SET tcp_keepalives_{name} = {value}")
    finally:
        dbapi_connection.autocommit = False


class Db:
    """An open database: one connection, used a statement at a time (each committed at
    once) or inside :func:`transaction`.

    ``lock_key`` is the number PostgreSQL's advisory locks are taken on for this database
    (its server, database and schema), so two county offices on one server never wait on
    each other.
    """

    def __init__(self, engine: Engine, where: Target = IN_MEMORY, lock_key: int = 0) -> None:
        self.engine = engine
        self.target = where
        self.dialect = engine.dialect.name
        self.conn: Connection = engine.connect()
        self.lock_key = lock_key

    @property
    def server(self) -> bool:
        return self.dialect == "postgresql"

    def execute(self, sql: str, params: Params = None) -> Rows:
        """Run one statement; outside a transaction it is committed at once (its rows, if
        any, read first)."""
        if self.conn.in_transaction():
            return self.conn.execute(text(sql), dict(params or {}))
        with self.conn.begin():
            result = self.conn.execute(text(sql), dict(params or {}))
            if result.returns_rows:
                return result.freeze()()
            return result

    def scalar(self, sql: str, params: Params = None) -> Any:
        """The first column of the first row (None without one)."""
        row = self.execute(sql, params).first()
        return None if row is None else row[0]

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        """The rows of a query as a frame, as ``pandas.read_sql_query`` builds it (NULL →
        NaN/None) — but a database error stays the database's (pandas would turn it into its
        own, quoting the statement)."""
        result = self.execute(sql, params)
        columns = list(result.keys())
        return pd.DataFrame.from_records(result.fetchall(), columns=columns, coerce_float=True)

    def insert(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` (dictionaries of column → value) into ``table``, as one batch."""
        if not rows:
            return
        if self.conn.in_transaction():
            self.conn.execute(table.insert(), list(rows))
            return
        with self.conn.begin():
            self.conn.execute(table.insert(), list(rows))

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


@contextlib.contextmanager
def transaction(db: Db) -> Iterator[Db]:
    """One write transaction that takes the database's write lock at once (SQLite: ``BEGIN
    IMMEDIATE``; PostgreSQL: the database's advisory transaction lock, which every writer of
    the ledger takes, so that each reads what the one before it committed): committed when
    the block ends, rolled back — nothing written — when it raises, whatever it raises (a
    killed commit leaves the ledger wholly before)."""
    info = db.conn.info
    info["immediate"] = True
    try:
        with db.conn.begin():
            info["immediate"] = False
            if db.server:
                _take_write_lock(db)
            yield db
    finally:
        info["immediate"] = False


def _take_write_lock(db: Db) -> None:
    """PostgreSQL: the database's write lock, waited for :data:`WRITE_WAIT_SECONDS` at
    most — another clerk's write that never ends (a machine gone silent inside its
    transaction) refuses this one naming its holder (LockError, exit 4), never holds it
    back for ever."""
    wait = f"{max(1, int(WRITE_WAIT_SECONDS * 1000))}ms"
    db.conn.execute(text(f"SET LOCAL lock_timeout = '{wait}'"))
    attempt = db.conn.begin_nested()
    try:
        db.conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": db.lock_key})
    except OperationalError as exc:
        attempt.rollback()
        if getattr(exc.orig, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
            raise
        who = lock_holder(db, db.lock_key)
        raise LockError("locked_by", path=db.target.shown, scope="ledger", who=who) from None
    attempt.commit()
    db.conn.execute(text("SET LOCAL lock_timeout = DEFAULT"))


def lock_holder(db: Db, key: int) -> str:
    """Who holds advisory lock ``key``: the run's name (user, machine, process), its database
    user, and where from and since when where the server shows them."""
    row = db.execute(
        "SELECT a.application_name, a.usename, a.client_addr, a.backend_start "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted "
        "AND l.classid = ((:key >> 32) & 4294967295) AND l.objid = (:key & 4294967295) "
        "LIMIT 1",
        {"key": key},
    ).first()
    if row is None:
        return "?"
    name, user, address, since = row
    # another database user's session shows its name and user only, unless the asking role
    # may read all statistics (pg_read_all_stats): its address and start are then left out
    started = since.strftime("%Y-%m-%d %H:%M") if since is not None else None
    details = ", ".join(str(d) for d in (user or "?", address, started) if d)
    return f"{name or '?'} ({details})"


def select_rows(db: Db, sql: str, params: Params = None) -> list[dict]:
    """The rows of a query, each as a dictionary of column → value."""
    return [dict(row._mapping) for row in db.execute(sql, params)]


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as dictionaries of plain Python values (NaN/NA/NaT → NULL), a column at a time."""
    table = frame.reindex(columns=columns)
    values = []
    for column in columns:
        cells = table[column].astype(object)
        values.append(cells.where(cells.notna(), None).tolist())
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def now() -> str:
    """The local time, to the second, as stored with runs, batches and entries."""
    return dt.datetime.now().isoformat(timespec="seconds")
