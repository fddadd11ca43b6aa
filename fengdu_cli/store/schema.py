"""The database's tables, one definition for SQLite and PostgreSQL, and the one history of
migrations that builds them on either; the guards that keep the ledger append-only, which
each database words its own way (SQLite triggers; PostgreSQL a trigger function, and the
clerks' role that may only insert and read); and the check that finds a guard changed
outside the tool.

Each column says in which version it came (``since``): version N creates the tables that
came in N with the columns they had then, adds the columns that came in N to older tables,
then puts in N's guards and views.  SQLite keeps its version in ``PRAGMA user_version`` (as
every ledger before PostgreSQL did), PostgreSQL in the table ``fengdu_schema``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.schema import CreateColumn, CreateIndex, CreateTable, SchemaItem
from sqlalchemy.types import TypeEngine

from fengdu_cli.errors import UsageError
from fengdu_cli.messages import Said, said
from fengdu_cli.store.sql import Db, transaction

SCHEMA_VERSION = 8


@dataclass(frozen=True)
class Col:
    """A column as the schema defines it, and the version that added it."""

    name: str
    type: type[TypeEngine] | TypeEngine
    since: int = 0  # 0: with its table
    null: bool = True
    key: bool = False
    serial: bool = False  # an id the database numbers
    default: str | None = None
    check: str | None = None
    refers: str | None = None  # "table.column"
    unique: bool = False

    def column(self) -> Column:
        args: list = []
        if self.refers:
            args.append(ForeignKey(self.refers))
        if self.check:
            args.append(CheckConstraint(self.check))
        return Column(
            self.name,
            self.type,
            *args,
            nullable=self.null and not self.key,
            primary_key=self.key,
            autoincrement=self.serial if self.key else "auto",
            server_default=self.default,
            unique=self.unique or None,
        )


@dataclass(frozen=True)
class Spec:
    """A table: the version that created it, its columns, and its table-wide keys."""

    since: int
    columns: tuple[Col, ...]
    keys: tuple[Callable[[], SchemaItem], ...] = field(default=())


def _text(name: str, **kw) -> Col:
    return Col(name, Text, **kw)


def _int(name: str, **kw) -> Col:
    return Col(name, Integer, **kw)


def _fen(name: str, **kw) -> Col:
    return Col(name, BigInteger, null=False, **kw)


_ADDRESS = ("township", "village", "household_id", "name")
_APPEND_ONLY = ("batches", "payments", "voids", "chain", "bank_lines", "bank_parts", "bank_items",
                "claims")  # fmt: skip

SPECS: dict[str, Spec] = {
    "runs": Spec(1, (
        _int("run_id", key=True, serial=True), _text("command", null=False), _int("month"),
        _text("started", null=False), _text("finished"), _text("version", null=False),
        _text("summary"),
    )),
    "month_state": Spec(1, (
        _int("month", null=False), _text("id_number", null=False),
        *(_text(n) for n in (*_ADDRESS, "category", "labor_capacity", "work_status")),
        _int("active_jobs"), _text("employer_code"), _text("employer_name"), _text("region"),
        *(_int(n) for n in ("tenure_months", "insured_m", "insured_months_current",
                            "last_insured_month", "employers_12m")),
        # the start of each person's current job (ISO date), for the yearly report's hires
        # at the key employers; months stored before keep it NULL (未存储, never 0)
        _text("start_date", since=5),
    ), (lambda: PrimaryKeyConstraint("month", "id_number"),)),
    "month_warnings": Spec(1, (
        _int("month", null=False), _text("id_number", null=False), _text("code", null=False),
        *(_text(n) for n in (*_ADDRESS, "detail", "status")),
        # the warnings' order as stored (SQLite's rowid before version 8)
        _int("line", since=8),
    ), (lambda: PrimaryKeyConstraint("month", "id_number", "code"),)),
    "month_summary": Spec(1, (
        _int("month", key=True), _int("run_id", null=False, refers="runs.run_id"),
        _text("summary", null=False),
    )),
    "batches": Spec(2, (
        _text("batch_id", key=True), _int("month", null=False),
        _int("run_id", null=False, refers="runs.run_id"), _text("committed", null=False),
        _text("policy_sha256", null=False), _text("inputs", null=False),
        _int("lines", null=False), _fen("total_fen"),
        # payments made before the tool (`fengdu ledger import`): a batch of kind 'import'
        _text("kind", since=3, null=False, default="month",
              check="kind IN ('month', 'import')"),
    )),
    "payments": Spec(2, (
        _int("entry_id", key=True, serial=True),
        _text("batch_id", null=False, refers="batches.batch_id"), _int("month", null=False),
        _text("rule", null=False), _text("key", null=False),
        *(_text(n) for n in ("payee_type", "payee_id", "payee_name", "township", "village",
                             "household_id", "person_id", "person_name")),
        _fen("amount_fen"), _text("period"), _text("basis"),
        _text("entry", null=False, default="payment", check="entry IN ('payment', 'reversal')"),
        _int("reverses", refers="payments.entry_id"), _text("reason"),
        _text("created", null=False),
        _text("source", since=3),  # the file and row an imported entry came from
        # who a payment is for, whatever its key looks like (a household by its members' IDs)
        _text("identities", since=4),
    ), (
        lambda: Index("payments_one_reversal", "reverses", unique=True,
                      sqlite_where=text("reverses IS NOT NULL"),
                      postgresql_where=text("reverses IS NOT NULL")),
        lambda: Index("payments_rule_key", "rule", "key"),
    )),
    "voids": Spec(2, (
        _int("void_id", key=True, serial=True),
        _text("batch_id", null=False, unique=True, refers="batches.batch_id"),
        _int("month", null=False), _text("reason", null=False), _text("created", null=False),
    )),
    # the tamper-evident chain over every batch, payment and void
    "chain": Spec(4, (
        _int("seq", key=True),
        _text("tbl", null=False, check="tbl IN ('batches', 'payments', 'voids')"),
        _text("row_key", null=False), _text("prev", null=False), _text("digest", null=False),
    ), (lambda: UniqueConstraint("tbl", "row_key"),)),
    # each line of a batch's bank list (代发清单) as committed — the account paid — and of its
    # supplements (part 1, 2 …: payees given an account later)
    "bank_lines": Spec(6, (
        _int("line_id", key=True, serial=True),
        _text("batch_id", null=False, refers="batches.batch_id"),
        _int("part", null=False, check="part >= 0"), _int("seq", null=False),
        _text("payee_key", null=False), _text("account_no", null=False), _text("bank"),
        _text("account_name"), _fen("amount_fen"), _int("persons", null=False),
        _text("payee_id"), _text("summary"), _text("rules"), _text("line_batch", null=False),
        _text("created", null=False),
    ), (lambda: UniqueConstraint("batch_id", "payee_key"),)),
    # what each bank part sent, per payment line of the ledger (batch, rule, key)
    "bank_parts": Spec(7, (
        _text("batch_id", null=False, refers="batches.batch_id"),
        _int("part", null=False, check="part >= 0"), _int("lines", null=False),
        _fen("total_fen"), _text("created", null=False),
    ), (lambda: PrimaryKeyConstraint("batch_id", "part"),)),
    "bank_items": Spec(7, (
        _int("item_id", key=True, serial=True),
        _text("batch_id", null=False, refers="batches.batch_id"),
        _int("part", null=False, check="part >= 0"), _text("rule", null=False),
        _text("key", null=False), _text("payee_key", null=False), _fen("amount_fen"),
        _text("created", null=False),
    ), (lambda: UniqueConstraint("batch_id", "rule", "key"),)),
    # who each payment entry is for, per rule and scope (ever '', a year, a month), and the
    # how-manieth claim on that (rule, scope, person) it is: two writers paying one person
    # at once both take the same number, and the database refuses the second
    "claims": Spec(8, (
        _text("rule", null=False), _text("scope", null=False), _text("who", null=False),
        _int("nth", null=False, check="nth >= 0"),
        _int("entry_id", null=False, refers="payments.entry_id"),
    ), (lambda: PrimaryKeyConstraint("rule", "scope", "who", "nth"),
        lambda: Index("claims_entry", "entry_id"))),
}  # fmt: skip


def tables_at(version: int) -> dict[str, Table]:
    """Every table as version ``version`` of the schema has it (one metadata: keys resolve)."""
    metadata = MetaData()
    found = {}
    for name, spec in SPECS.items():
        if spec.since > version:
            continue
        columns = [c.column() for c in spec.columns if c.since <= version]
        serial = any(c.serial for c in spec.columns)  # ids never reused, on SQLite too
        found[name] = Table(name, metadata, *columns, *(make() for make in spec.keys),
                            sqlite_autoincrement=serial)  # fmt: skip
    return found


TABLES: dict[str, Table] = tables_at(SCHEMA_VERSION)

LIVE_PAYMENTS = """
CREATE VIEW live_payments AS
    SELECT p.*, b.kind AS batch_kind FROM payments p JOIN batches b ON b.batch_id = p.batch_id
    WHERE p.entry = 'payment'
      AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.entry_id)
"""
_LIVE_PAYMENTS_V2 = """
CREATE VIEW live_payments AS
    SELECT p.* FROM payments p
    WHERE p.entry = 'payment'
      AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.entry_id)
"""

_APPEND_ONLY_MESSAGE = "the ledger is append-only"


def _sqlite_guards(table: str, *, replace_when: str) -> list[str]:
    """SQLite's guards of an append-only table: no update, no delete, and no INSERT OR
    REPLACE (which deletes the row it replaces without firing delete triggers)."""
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END"
    return [
        f"CREATE TRIGGER {table}_append_only_u BEFORE UPDATE ON {table}\n    {raise_}",
        f"CREATE TRIGGER {table}_append_only_d BEFORE DELETE ON {table}\n    {raise_}",
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}\n"
        f"    WHEN {replace_when}\n    {raise_}",
    ]


PG_GUARD_FUNCTION = "fengdu_append_only"
PG_GUARD_BODY = f" BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}'; END "


def _pg_guards(table: str) -> list[str]:
    """PostgreSQL's guards of an append-only table: no update or delete of a row, no
    TRUNCATE (an INSERT … ON CONFLICT DO UPDATE is an update; a plain insert over a key is
    refused by the key)."""
    run = f"EXECUTE FUNCTION {PG_GUARD_FUNCTION}()"
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW {run}",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT {run}",
    ]


# SQLite's no_replace conditions, as the ledgers made before PostgreSQL have them
_REPLACED = {
    "payments": "EXISTS (SELECT 1 FROM payments WHERE entry_id = NEW.entry_id)\n"
    "          OR (NEW.reverses IS NOT NULL\n"
    "              AND EXISTS (SELECT 1 FROM payments WHERE reverses = NEW.reverses))",
    "batches": "EXISTS (SELECT 1 FROM batches WHERE batch_id = NEW.batch_id)",
    "voids": "EXISTS (SELECT 1 FROM voids WHERE void_id = NEW.void_id OR batch_id = NEW.batch_id)",
    "chain": "EXISTS (SELECT 1 FROM chain WHERE seq = NEW.seq\n"
    "                 OR (tbl = NEW.tbl AND row_key = NEW.row_key))",
    "bank_lines": "EXISTS (SELECT 1 FROM bank_lines WHERE line_id = NEW.line_id\n"
    "                 OR (batch_id = NEW.batch_id AND payee_key = NEW.payee_key))",
    "bank_parts": "EXISTS (SELECT 1 FROM bank_parts WHERE batch_id = NEW.batch_id AND part = NEW.part)",
    "bank_items": "EXISTS (SELECT 1 FROM bank_items WHERE item_id = NEW.item_id\n"
    "                 OR (batch_id = NEW.batch_id AND rule = NEW.rule AND key = NEW.key))",
    "claims": "EXISTS (SELECT 1 FROM claims WHERE rule = NEW.rule AND scope = NEW.scope\n"
    "                 AND who = NEW.who AND nth = NEW.nth)",
}


def _replace_guard(table: str) -> str:
    return _sqlite_guards(table, replace_when=_REPLACED[table])[2]


@dataclass(frozen=True)
class Step:
    """What one version adds beyond its tables and columns: guards, views, data moved."""

    guarded: tuple[str, ...] = ()  # tables made append-only (no update, delete, truncate)
    replace_guarded: tuple[str, ...] = ()  # SQLite: tables guarded against INSERT OR REPLACE
    sql: tuple[str, ...] = ()  # the same on both databases
    sqlite: tuple[str, ...] = ()
    postgresql: tuple[str, ...] = ()
    after: Callable[[Db], None] | None = None  # rows a database held before, brought in

    def statements(self, dialect: str) -> list[str]:
        """This version's guards and views, in the order they are made."""
        found = [*self.sql, *(self.sqlite if dialect == "sqlite" else self.postgresql)]
        if dialect == "sqlite":
            found += [g for t in self.guarded for g in _sqlite_guards(t, replace_when="")[:2]]
            found += [_replace_guard(t) for t in self.replace_guarded]
        else:
            found += [g for t in self.guarded for g in _pg_guards(t)]
        return found


def _chain_existing(db: Db) -> None:
    from fengdu_cli.store.chain import chain_existing

    chain_existing(db)


def _claims_existing(db: Db) -> None:
    from fengdu_cli.store.ledger import claim_existing

    claim_existing(db)


PG_FUNCTION = (
    f"CREATE FUNCTION {PG_GUARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $${PG_GUARD_BODY}$$"
)

STEPS: dict[int, Step] = {
    1: Step(),
    2: Step(guarded=("payments", "batches"), sql=(_LIVE_PAYMENTS_V2,), postgresql=(PG_FUNCTION,)),
    # payments made before the tool: batches of kind 'import'
    3: Step(sql=("DROP VIEW live_payments", LIVE_PAYMENTS)),
    # the hash chain; rows already in the ledger are chained once
    4: Step(
        guarded=("chain", "voids"),
        # PostgreSQL fixes a view's p.* when the view is made: made again with identities
        postgresql=("DROP VIEW live_payments", LIVE_PAYMENTS),
        replace_guarded=("payments", "batches", "voids", "chain"),
        after=_chain_existing,
    ),
    5: Step(),
    6: Step(guarded=("bank_lines",), replace_guarded=("bank_lines",)),
    7: Step(guarded=("bank_parts", "bank_items"), replace_guarded=("bank_parts", "bank_items")),
    # who each entry is for, as keys the database holds unique; the warnings' order
    8: Step(
        guarded=("claims",),
        replace_guarded=("claims",),
        sqlite=("UPDATE month_warnings SET line = rowid",),
        after=_claims_existing,
    ),
}
assert sorted(STEPS) == list(range(1, SCHEMA_VERSION + 1))


def version_of(db: Db) -> int:
    """The schema version of the database (0: none of the tool's tables yet)."""
    if db.dialect == "sqlite":
        return int(db.scalar("PRAGMA user_version") or 0)
    if db.scalar("SELECT to_regclass('fengdu_schema')") is None:
        return 0
    return int(db.scalar("SELECT MAX(version) FROM fengdu_schema") or 0)


def _set_version(db: Db, version: int) -> None:
    if db.dialect == "sqlite":
        db.execute(f"PRAGMA user_version = {int(version)}")
    else:
        db.execute(
            "INSERT INTO fengdu_schema (version, applied) VALUES (:v, now())", {"v": version}
        )


def migrate(db: Db) -> int:
    """Apply the versions the database lacks; return the version.

    SQLite: each version in one transaction.  PostgreSQL: every version lacking in one
    transaction, so that a clerk opening a shared database meanwhile finds it wholly before
    or wholly after, never half made (a half-made one is refused as needing ``db
    migrate``).  Each transaction takes the write lock first and looks at the version
    again, so two processes opening a new database at once never apply a version twice.
    """
    version = version_of(db)
    if db.dialect != "sqlite" and version < SCHEMA_VERSION:
        with transaction(db):
            db.execute("CREATE TABLE IF NOT EXISTS fengdu_schema "
                       "(version INTEGER PRIMARY KEY, applied TIMESTAMPTZ NOT NULL)")  # fmt: skip
            start = version_of(db)
            if start == 0:
                _refuse_foreign_tables(db)
            for target in range(start + 1, SCHEMA_VERSION + 1):
                _apply(db, target)
                _set_version(db, target)
        return version_of(db)
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with transaction(db):
            if version_of(db) >= target:
                continue
            _apply(db, target)
            _set_version(db, target)
    return version_of(db)


def _refuse_foreign_tables(db: Db) -> None:
    """A database (schema) without the tool's version that holds tables of the tool's names
    was not made by it: refused (UsageError, exit 2), never built on."""
    found = [name for name in SPECS if db.scalar("SELECT to_regclass(:name)", {"name": name})]
    if found:
        raise UsageError("db_foreign_tables", path=db.target.shown, tables=", ".join(found[:4]))


def _apply(db: Db, version: int) -> None:
    """Version ``version``: its new tables, its columns added to older ones, its guards and
    views, then the rows a database held before brought in."""
    dialect = db.engine.dialect
    tables = tables_at(version)
    for name, spec in SPECS.items():
        if spec.since > version:
            continue
        table = tables[name]
        if spec.since == version:
            db.conn.execute(CreateTable(table))
            for index in table.indexes:
                db.conn.execute(CreateIndex(index))
        elif spec.since < version:
            for col in spec.columns:
                if col.since == version:
                    added = CreateColumn(table.c[col.name]).compile(dialect=dialect)
                    db.conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {added}")
    step = STEPS[version]
    for statement in step.statements(db.dialect):
        db.conn.exec_driver_sql(statement)
    if step.after is not None:
        step.after(db)


def guarded_tables(version: int = SCHEMA_VERSION) -> list[str]:
    """The tables the ledger keeps append-only at ``version``."""
    return [t for v in range(1, version + 1) for t in STEPS[v].guarded]


@functools.cache
def _expected_sqlite_guards() -> dict[tuple[str, str], str]:
    """The triggers and views a SQLite ledger of this version has (from a fresh one in
    memory)."""
    from fengdu_cli.store.sql import open_engine

    fresh = Db(open_engine(None))
    try:
        migrate(fresh)
        return _sqlite_guards_in(fresh)
    finally:
        fresh.close()


def _sqlite_guards_in(db: Db) -> dict[tuple[str, str], str]:
    return {
        (kind, name): " ".join(str(sql).split())
        for kind, name, sql in db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        )
    }


# a row trigger BEFORE UPDATE OR DELETE, a statement trigger BEFORE TRUNCATE (pg_trigger.tgtype)
_PG_ROW_UD, _PG_TRUNCATE = 1 | 2 | 8 | 16, 2 | 32


def _pg_expected() -> dict[tuple[str, str], tuple[str, int]]:
    return {
        ("trigger", name): (table, kind)
        for table in guarded_tables()
        for name, kind in ((f"{table}_append_only", _PG_ROW_UD),
                           (f"{table}_no_truncate", _PG_TRUNCATE))
    }  # fmt: skip


def _pg_findings(db: Db) -> tuple[set, set, set]:
    """PostgreSQL's guards as found: (missing, changed, added), each a set of (kind, name)."""
    expected = _pg_expected()
    found = {
        ("trigger", name): (table, int(kind), enabled, function, body)
        for name, table, kind, enabled, function, body in db.execute(
            "SELECT t.tgname, c.relname, t.tgtype, t.tgenabled, p.proname, p.prosrc "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
        )
    }
    missing = expected.keys() - found.keys()
    added = found.keys() - expected.keys()
    changed = {
        key
        for key in expected.keys() & found.keys()
        if found[key][:2] != expected[key]
        or found[key][2] not in ("O", "A")  # disabled, or firing on replicas only
        or found[key][3] != PG_GUARD_FUNCTION
        or found[key][4] != PG_GUARD_BODY
    }
    added |= _pg_hiders(db)
    view = ("view", "live_payments")
    actual = db.scalar("SELECT pg_get_viewdef(to_regclass('live_payments'))")
    if actual is None:
        missing.add(view)
    elif actual != _pg_expected_view(db):
        changed.add(view)
    return missing, changed, added


def _pg_hiders(db: Db) -> set[tuple[str, str]]:
    """What PostgreSQL could hide or swallow a payment with, as a rewritten view does, and
    the tool never makes: rewrite rules on its tables, row security and its policies."""
    return {
        (str(kind), str(name))
        for kind, name in db.execute(
            "SELECT 'rule', rulename FROM pg_rules WHERE schemaname = current_schema() "
            "UNION ALL SELECT 'policy', policyname FROM pg_policies "
            "WHERE schemaname = current_schema() "
            "UNION ALL SELECT 'row_security', relname FROM pg_class "
            "WHERE relnamespace = current_schema()::regnamespace "
            "AND (relrowsecurity OR relforcerowsecurity)"
        )
    }


def _pg_expected_view(db: Db) -> str:
    """How PostgreSQL words the view this version makes, over these very tables: made as a
    temporary view in a transaction rolled back."""
    temp = LIVE_PAYMENTS.replace("CREATE VIEW live_payments", "CREATE TEMP VIEW fengdu_expected")
    outer = db.conn.in_transaction()
    tx = db.conn.begin_nested() if outer else db.conn.begin()
    try:
        db.conn.exec_driver_sql(temp)
        return str(db.conn.exec_driver_sql(
            "SELECT pg_get_viewdef(to_regclass('fengdu_expected'))").scalar())  # fmt: skip
    finally:
        tx.rollback()


def check_schema(db: Db) -> list[Said]:
    """The guards that keep the ledger append-only and the view that says what is live,
    compared with what this version makes: one finding per one missing, changed or added
    (on PostgreSQL also a rule or row security on the tool's tables: they could hide a
    payment as a rewritten view could)."""
    if db.dialect == "sqlite":
        expected, actual = _expected_sqlite_guards(), _sqlite_guards_in(db)
        missing = expected.keys() - actual.keys()
        changed = {k for k in expected.keys() & actual.keys() if actual[k] != expected[k]}
        added = actual.keys() - expected.keys()
    else:
        missing, changed, added = _pg_findings(db)
    problems = [
        said("guard_dropped" if key in missing else "guard_changed",
             guard=said(f"guard_{key[0]}", name=key[1]))
        for key in sorted(missing | changed)
    ]  # fmt: skip
    return problems + [
        said("guard_added", guard=said(f"guard_{k}", name=n)) for k, n in sorted(added)
    ]
