"""``fengdu db copy``: a county's whole history (runs, monthly snapshots, the ledger with
its chain) moved from one database into an empty one — a clerk's SQLite file into the
office's PostgreSQL server, or back — every row as it was, ids kept, the chain unchanged.

The source is only read, in one snapshot, and must be a sound ledger of this version.  The
target is written in one transaction, tables in the order their keys need, a batch of rows
at a time (a county's snapshots run to millions of rows: never all in memory), its id
counters set past the copied ids; then, still inside that transaction, the copy is checked
(rows per table, the ledger's own check, the chain's last link the same as the source's).
A copy that does not check out is rolled back: the target is left as empty as it was.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select

from fengdu_cli.errors import InputError, UsageError
from fengdu_cli.messages import Said, said
from fengdu_cli.progress import Progress, report
from fengdu_cli.store.admin import serial_columns
from fengdu_cli.store.chain import last_link, record_head
from fengdu_cli.store.database import connect, open_to_read
from fengdu_cli.store.ledger import check_ledger
from fengdu_cli.store.location import Target, target
from fengdu_cli.store.schema import TABLES
from fengdu_cli.store.sql import Db, transaction

BATCH_ROWS = 5000
# a head record is made by the next use of a ledger: its absence says nothing of a copy
_NOT_OF_THE_COPY = ("chain_no_head",)


@dataclass(frozen=True)
class Copied:
    """What ``db copy`` did: the two databases (never a password), the rows of each table
    (in the order copied), the seconds taken, whether the copy was kept, the chain's last
    link on both sides, and why a copy was rolled back (empty when it checked out)."""

    source: str
    target: str
    tables: dict[str, int]
    seconds: float
    committed: bool
    head: tuple[int, str]
    problems: tuple[Said, ...] = field(default=())

    @property
    def chain_ok(self) -> bool:
        return self.committed and not self.problems

    def summary(self, lang: str = "zh") -> dict:
        """The JSON summary (stable keys)."""
        seq, digest = self.head
        return {"from": self.source, "to": self.target, "tables": dict(self.tables),
                "rows": sum(self.tables.values()), "seconds": round(self.seconds, 1),
                "copied": self.committed, "chain_ok": self.chain_ok,
                "head": {"seq": seq, "digest": digest},
                "problems": [p.text(lang) for p in self.problems]}  # fmt: skip


class _Unverified(Exception):
    """The copy does not check out: its transaction is rolled back."""

    def __init__(self, problems: list[Said]) -> None:
        super().__init__("copy not verified")
        self.problems = problems


def copy_database(
    source: str | Path | Target,
    to: str | Path | Target,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Copied:
    """Copy every table of ``source`` into the empty database ``to`` (created or migrated
    first), check the copy and keep it only if it checks out.

    Refused before anything is written: the same database twice, or a target holding any
    run, snapshot or ledger row (UsageError, exit 2); a source that is not a sound ledger of
    this version (:func:`~fengdu_cli.store.database.open_to_read`; its own check finding a
    problem: InputError, exit 3).  A copy that fails its check is rolled back and returned
    with ``committed`` False and the problems found."""
    start = time.monotonic()
    src, dst = target(source), target(to)
    if src.key == dst.key:
        raise UsageError("db_copy_same", path=src.shown)
    reader = open_to_read(src)
    try:
        with _snapshot(reader):
            _refuse_unsound(reader)
            counts = {name: _count(reader, name) for name in _in_key_order()}
            head = last_link(reader)
            # a target this machine knew with a longer chain (dropped, made again empty) is
            # opened: the copy must then reach its recorded head, or it is rolled back
            writer = connect(dst, create=True, migrate_server=True, allow_behind=True)
            try:
                problems = _copy_into(reader, writer, counts, head, progress, batch_rows)
            finally:
                writer.close()
    finally:
        reader.close()
    seconds = time.monotonic() - start
    return Copied(src.shown, dst.shown, counts, seconds, not problems, head, tuple(problems))


def _copy_into(
    reader: Db,
    writer: Db,
    counts: dict[str, int],
    head: tuple[int, str],
    progress: Progress | None,
    batch_rows: int,
) -> list[Said]:
    """Every table into ``writer`` in one transaction, committed only if the copy checks
    out (its head then recorded): what is wrong with it, empty when it was kept."""
    try:
        with transaction(writer):
            _refuse_filled(writer)
            for name in counts:
                _copy_table(reader, writer, name, counts[name], progress, batch_rows)
            _continue_ids(reader, writer)
            found = _verify(writer, counts, head)
            if found:
                raise _Unverified(found)  # rolled back
    except _Unverified as failed:
        return failed.problems
    record_head(writer)
    return []


def _in_key_order() -> list[str]:
    """The tables in the schema's order, each moved after those its rows refer to."""
    placed: list[str] = []
    pending = list(TABLES)
    while pending:
        ready = next(
            name
            for name in pending
            if {k.column.table.name for k in TABLES[name].foreign_keys} - {name} <= set(placed)
        )
        placed.append(ready)
        pending.remove(ready)
    return placed


@contextlib.contextmanager
def _snapshot(db: Db) -> Iterator[None]:
    """One read of the whole source: every table as of one moment, whoever writes to it
    meanwhile (PostgreSQL: a repeatable-read transaction; SQLite: one read transaction,
    during which a writer waits)."""
    if db.server:
        db.conn.execution_options(isolation_level="REPEATABLE READ")
    with db.conn.begin() as tx:
        yield
        tx.rollback()  # only read


def _refuse_unsound(db: Db) -> None:
    """A source whose own ledger check finds a problem is not copied (InputError, exit 3):
    the problem would be copied along, into a ledger a whole office then pays from."""
    found = [p for p in check_ledger(db) if p.key not in _NOT_OF_THE_COPY]
    if found:
        raise InputError("db_copy_source_unsound", path=db.target.shown, n=len(found),
                         detail=tuple(found[:3]))  # fmt: skip


def _count(db: Db, name: str) -> int:
    return int(db.scalar(f"SELECT COUNT(*) FROM {name}"))


def _refuse_filled(db: Db) -> None:
    """A target holding any row of the tool's tables is refused: a copy never mixes two
    histories (UsageError, exit 2)."""
    for name in _in_key_order():
        if db.execute(f"SELECT 1 FROM {name} LIMIT 1").first() is not None:
            raise UsageError("db_copy_target_filled", path=db.target.shown, table=name)


def _copy_table(
    reader: Db, writer: Db, name: str, total: int, progress: Progress | None, batch_rows: int
) -> None:
    """Every row of table ``name``, in the order of its key, ``batch_rows`` at a time: read
    as tuples and handed to the target's driver as they are (no value is converted: both
    databases hold the schema's own types)."""
    table: Table = TABLES[name]
    order = list(table.primary_key.columns) or list(table.columns)
    query = select(table).order_by(*order).execution_options(yield_per=batch_rows)
    insert, shape = _insert_of(writer, table)
    done = 0
    report(progress, "copy", 0, total, table=name)
    for part in reader.conn.execute(query).partitions(batch_rows):
        writer.conn.exec_driver_sql(insert, [shape(row) for row in part])
        done += len(part)
        report(progress, "copy", done, total, table=name)


def _insert_of(db: Db, table: Table) -> tuple[str, Callable[[Sequence[Any]], Any]]:
    """The INSERT of every column of ``table`` as the database's driver takes it, and what
    turns a row read (the columns in the table's order) into its parameters."""
    names = [c.name for c in table.columns]
    compiled = table.insert().compile(dialect=db.engine.dialect, column_keys=names)
    if compiled.positional:
        where = [names.index(key) for key in compiled.positiontup or ()]
        return str(compiled), lambda row: tuple(row[i] for i in where)
    return str(compiled), lambda row: dict(zip(names, row, strict=True))


def _continue_ids(reader: Db, writer: Db) -> None:
    """The target numbers its next rows after every id copied and every id the source
    ever gave (an id is never given twice, not even one whose row was rolled back)."""
    for name, column in serial_columns():
        highest = writer.scalar(f"SELECT MAX({column}) FROM {name}")
        given = max(int(highest or 0), _ids_given(reader, name, column))
        if writer.server:
            writer.execute(
                "SELECT setval(pg_get_serial_sequence(:t, :c), :n, :called)",
                {"t": name, "c": column, "n": max(given, 1), "called": given > 0},
            )
        elif given:
            writer.execute("DELETE FROM sqlite_sequence WHERE name = :t", {"t": name})
            writer.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)", {"t": name, "n": given}
            )


def _ids_given(db: Db, name: str, column: str) -> int:
    """The last id the database numbered for ``name`` (0: none yet)."""
    if db.server:
        found = db.scalar(
            "SELECT pg_sequence_last_value(pg_get_serial_sequence(:t, :c)::regclass)",
            {"t": name, "c": column},
        )
    else:
        found = db.scalar("SELECT seq FROM sqlite_sequence WHERE name = :t", {"t": name})
    return int(found or 0)


def _verify(db: Db, counts: dict[str, int], head: tuple[int, str]) -> list[Said]:
    """What is wrong with the copy in ``db`` (empty when it checks out): a table whose rows
    differ in number from the source's, the ledger's own check, the chain's last link."""
    found = [
        said("db_copy_rows_differ", table=name, source=n, copied=_count(db, name))
        for name, n in counts.items()
        if _count(db, name) != n
    ]
    found += [p for p in check_ledger(db) if p.key not in _NOT_OF_THE_COPY]
    if last_link(db) != head:
        found.append(said("db_copy_head_differs", seq=head[0]))
    return found
