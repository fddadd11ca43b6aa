"""What a database's administrator does (``fengdu db migrate``): bring a database to this
version's schema — on PostgreSQL the only way a shared database is upgraded, never by a
clerk's ordinary run — and give the clerks' role exactly the rights a month needs.

The clerks' role may read and add to the ledger's tables, never change or remove a row of
them (nor empty a table, nor touch a guard: it owns nothing); it may replace a month's
snapshot and record its runs.  Whoever owns the tables (the administrator) is the only one
who could disable a guard, and ``fengdu ledger check`` would say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fengdu_cli.errors import UsageError
from fengdu_cli.store.database import connect, version_at
from fengdu_cli.store.location import Target, target
from fengdu_cli.store.schema import SPECS, TABLES, guarded_tables, version_of
from fengdu_cli.store.sql import Db, transaction

# read by every run (the ledger's live payments); its rows are the tables'
VIEWS = ("live_payments",)
VERSIONS_TABLE = "fengdu_schema"


@dataclass(frozen=True)
class Migrated:
    """A database brought to this version: where (never its password), its schema version
    before and after, and the clerks' role granted its rights (None: no role named)."""

    where: str
    server: bool
    before: int
    after: int
    role: str | None = None

    def summary(self) -> dict:
        """The JSON summary (stable keys)."""
        return {"db": self.where, "server": self.server, "before": self.before,
                "after": self.after, "granted": self.role}  # fmt: skip


def migrate_database(db: str | Path | Target, grant: str | None = None) -> Migrated:
    """Bring ``db`` to this version's schema (a PostgreSQL database without the tool's tables
    gets them); with ``grant``, give that PostgreSQL role the clerks' rights
    (:func:`grant_clerks`).

    A SQLite file that does not exist is not made here (UsageError: ``fengdu init`` makes a
    ledger on purpose); ``grant`` on SQLite is a usage error (a file has no roles: whoever
    may write the file may change it)."""
    where = target(db)
    if grant is not None and not where.server:
        raise UsageError("db_grant_sqlite", path=where.shown)
    if not where.server and not where.exists():
        raise UsageError("db_migrate_missing", path=where.shown)
    before = version_at(where)
    opened = connect(where, create=True, migrate_server=True)
    try:
        after = version_of(opened)
        if grant is not None:
            grant_clerks(opened, grant)
    finally:
        opened.close()
    return Migrated(where.shown, where.server, before, after, grant)


def clerk_tables() -> tuple[list[str], list[str]]:
    """The tables a clerk's run writes: (append-only ledger tables: read and add only; the
    runs and the monthly snapshots: read, add, change and remove)."""
    ledger = guarded_tables()
    return ledger, [name for name in TABLES if name not in ledger]


def serial_columns() -> list[tuple[str, str]]:
    """(table, column) of every id the database numbers itself."""
    return [(name, c.name) for name, spec in SPECS.items() for c in spec.columns if c.serial]


def grant_clerks(db: Db, role: str) -> None:
    """Give the PostgreSQL role ``role`` exactly the clerks' rights on this database's
    schema, whatever it held before: USAGE of the schema; SELECT and INSERT on the ledger's
    tables; SELECT, INSERT, UPDATE and DELETE on the runs and the snapshots; SELECT on the
    view of live payments and on the schema's version; USAGE of the sequences that number
    new rows.  Nothing else: no TRUNCATE, no table, trigger or function of its own.

    The role must exist (the administrator makes it, with its password) and must not be a
    superuser nor a member of the tables' owner (it could disable the guards): UsageError."""
    found = db.execute(
        "SELECT rolsuper FROM pg_roles WHERE rolname = :role", {"role": role}
    ).first()
    if found is None:
        raise UsageError("db_role_missing", role=role)
    owner = db.scalar(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename = 'payments'"
    )
    member = db.scalar("SELECT pg_has_role(:role, :owner, 'MEMBER')", {"role": role,
                                                                       "owner": owner})  # fmt: skip
    if found[0] or member:
        raise UsageError("db_role_too_strong", role=role)
    quote = db.engine.dialect.identifier_preparer.quote
    who, schema = quote(role), quote(str(db.scalar("SELECT current_schema()")))
    ledger, snapshots = clerk_tables()
    relations = ", ".join(quote(t) for t in [*ledger, *snapshots, *VIEWS, VERSIONS_TABLE])
    sequences = ", ".join(
        str(db.scalar("SELECT pg_get_serial_sequence(:t, :c)", {"t": t, "c": c}))
        for t, c in serial_columns()
    )
    statements = [
        f"REVOKE ALL ON TABLE {relations} FROM {who}",
        f"REVOKE ALL ON SEQUENCE {sequences} FROM {who}",
        f"REVOKE ALL ON SCHEMA {schema} FROM {who}",
        f"GRANT USAGE ON SCHEMA {schema} TO {who}",
        f"GRANT SELECT, INSERT ON TABLE {', '.join(map(quote, ledger))} TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {', '.join(map(quote, snapshots))} "
        f"TO {who}",
        f"GRANT SELECT ON TABLE {', '.join(map(quote, [*VIEWS, VERSIONS_TABLE]))} TO {who}",
        f"GRANT USAGE ON SEQUENCE {sequences} TO {who}",
    ]
    with transaction(db):
        for statement in statements:
            db.conn.exec_driver_sql(statement)
