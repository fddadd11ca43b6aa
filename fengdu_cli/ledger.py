"""The SQLite database: monthly snapshots of person states and warnings, and the run log.

The schema is created and migrated by the tool (``PRAGMA user_version``).  A month's
snapshot is replaced as a whole in one transaction, so re-running a month never
duplicates it and a crash never leaves half a month behind.  Only one run at a time
may write: :func:`hold_lock` takes an exclusive lock next to the database (exit 4).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import filelock
import numpy as np
import pandas as pd

from fengdu_cli import __version__, idcard
from fengdu_cli.errors import InputError, InternalError, LockError, UsageError
from fengdu_cli.policy.schema import RULE_FREQUENCY

SCHEMA_VERSION = 4

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
    2: """
    CREATE TABLE batches (
        batch_id TEXT PRIMARY KEY,
        month INTEGER NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(run_id),
        committed TEXT NOT NULL,
        policy_sha256 TEXT NOT NULL,
        inputs TEXT NOT NULL,
        lines INTEGER NOT NULL,
        total_fen INTEGER NOT NULL
    );
    CREATE TABLE payments (
        entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL REFERENCES batches(batch_id),
        month INTEGER NOT NULL,
        rule TEXT NOT NULL,
        key TEXT NOT NULL,
        payee_type TEXT, payee_id TEXT, payee_name TEXT,
        township TEXT, village TEXT, household_id TEXT,
        person_id TEXT, person_name TEXT,
        amount_fen INTEGER NOT NULL,
        period TEXT, basis TEXT,
        entry TEXT NOT NULL DEFAULT 'payment' CHECK (entry IN ('payment', 'reversal')),
        reverses INTEGER REFERENCES payments(entry_id),
        reason TEXT,
        created TEXT NOT NULL
    );
    CREATE UNIQUE INDEX payments_one_reversal ON payments(reverses) WHERE reverses IS NOT NULL;
    CREATE INDEX payments_rule_key ON payments(rule, key);
    CREATE TABLE voids (
        void_id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL UNIQUE REFERENCES batches(batch_id),
        month INTEGER NOT NULL,
        reason TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TRIGGER payments_append_only_u BEFORE UPDATE ON payments
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER payments_append_only_d BEFORE DELETE ON payments
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER batches_append_only_u BEFORE UPDATE ON batches
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER batches_append_only_d BEFORE DELETE ON batches
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE VIEW live_payments AS
        SELECT p.* FROM payments p
        WHERE p.entry = 'payment'
          AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.entry_id);
    """,
    # payments made before the tool (`fengdu ledger import`): a batch of kind 'import',
    # each entry with the file and row it came from
    3: """
    ALTER TABLE batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'month'
        CHECK (kind IN ('month', 'import'));
    ALTER TABLE payments ADD COLUMN source TEXT;
    DROP VIEW live_payments;
    CREATE VIEW live_payments AS
        SELECT p.*, b.kind AS batch_kind FROM payments p JOIN batches b ON b.batch_id = p.batch_id
        WHERE p.entry = 'payment'
          AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.entry_id);
    """,
    # who a payment is for, whatever its key looks like (a household by its members' IDs),
    # and the tamper-evident chain over every batch, payment and void
    4: """
    ALTER TABLE payments ADD COLUMN identities TEXT;
    CREATE TABLE chain (
        seq INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL CHECK (tbl IN ('batches', 'payments', 'voids')),
        row_key TEXT NOT NULL,
        prev TEXT NOT NULL,
        digest TEXT NOT NULL,
        UNIQUE (tbl, row_key)
    );
    CREATE TRIGGER chain_append_only_u BEFORE UPDATE ON chain
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER chain_append_only_d BEFORE DELETE ON chain
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER voids_append_only_u BEFORE UPDATE ON voids
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER voids_append_only_d BEFORE DELETE ON voids
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    -- INSERT OR REPLACE deletes the row it replaces without firing delete triggers
    CREATE TRIGGER payments_no_replace BEFORE INSERT ON payments
        WHEN EXISTS (SELECT 1 FROM payments WHERE entry_id = NEW.entry_id)
          OR (NEW.reverses IS NOT NULL
              AND EXISTS (SELECT 1 FROM payments WHERE reverses = NEW.reverses))
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER batches_no_replace BEFORE INSERT ON batches
        WHEN EXISTS (SELECT 1 FROM batches WHERE batch_id = NEW.batch_id)
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER voids_no_replace BEFORE INSERT ON voids
        WHEN EXISTS (SELECT 1 FROM voids WHERE void_id = NEW.void_id OR batch_id = NEW.batch_id)
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER chain_no_replace BEFORE INSERT ON chain
        WHEN EXISTS (SELECT 1 FROM chain WHERE seq = NEW.seq
                     OR (tbl = NEW.tbl AND row_key = NEW.row_key))
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    """,
}
# Rows already in the ledger when the chain was added are chained once, in this order.
CHAINED = {"batches": "batch_id", "payments": "entry_id", "voids": "void_id"}

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


def connect(
    path: Path, *, create: bool = True, inspect: bool = False, allow_behind: bool = False
) -> sqlite3.Connection:
    """Open (migrating as needed) the database at ``path``; with ``create`` False a missing
    database is an error (UsageError, exit 2) instead of a new, empty ledger.

    A ledger whose guards were changed (a trigger or view dropped or rewritten), or that is
    shorter than its last recorded state (rows removed from its end, an old copy put back)
    is refused (InputError, exit 3): it could pay again what it paid.  ``inspect`` opens it
    anyway, for ``ledger check`` to say what is wrong; ``allow_behind`` opens a ledger put
    back from a backup, for ``ledger import`` to record what was paid since (its head then
    moves to the new end).
    """
    path = Path(path)
    if not create and not path.exists():
        raise UsageError("db_missing", path=str(path))
    if path.is_dir():
        raise InputError("db_unusable", path=str(path), detail="这是一个文件夹")
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        _refuse_other_file(path)
        # the ledger holds full IDs: readable by its owner only (also a file made elsewhere)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        if not hasattr(os, "getuid") or path.stat().st_uid == os.getuid():
            path.chmod(0o600)
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
        refusal = None if inspect else _refusal(conn, path, allow_behind)
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc):
            raise
        raise InputError("db_unusable", path=str(path), detail=str(exc)) from exc
    except OSError as exc:
        raise InputError("db_unusable", path=str(path), detail=exc.strerror or str(exc)) from exc
    if refusal is not None:
        conn.close()
        raise refusal
    return conn


def _refusal(conn: sqlite3.Connection, path: Path, allow_behind: bool = False) -> InputError | None:
    """Why a ledger must not be used (its guards changed, or it lost its end), else None;
    a head record it lacks is made."""
    changed = check_schema(conn)
    if changed:
        return InputError("db_tampered", path=str(path), detail="；".join(changed[:3]))
    behind = check_head(conn)
    if behind and not allow_behind:
        return InputError("db_behind", path=str(path), detail=behind)
    if not behind and missing_heads(conn):
        _record_head(conn)
    return None


_SQLITE = b"SQLite format 3\x00"


def _refuse_other_file(path: Path) -> None:
    """A file that is there and is not an SQLite database is left untouched and refused."""
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as existing:
            if existing.read(len(_SQLITE)) != _SQLITE:
                raise InputError("db_unusable", path=str(path), detail="这不是台账数据库文件")


@functools.cache
def _expected_guards() -> dict[tuple[str, str], str]:
    """The triggers and views a ledger of this version has (from a fresh one in memory)."""
    fresh = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(fresh)
        return _guards(fresh)
    finally:
        fresh.close()


def _guards(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    return {
        (kind, name): " ".join(str(sql).split())
        for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        )
    }


def check_schema(conn: sqlite3.Connection) -> list[str]:
    """The triggers and views that keep the ledger append-only and say what is live,
    compared with what this version creates: one line per one missing, changed or added."""
    expected, actual = _expected_guards(), _guards(conn)
    words = {"trigger": "触发器", "view": "视图"}
    problems = []
    for (kind, name), sql in sorted(expected.items()):
        if (kind, name) not in actual:
            problems.append(f"{words[kind]} {name} 被删除")
        elif actual[(kind, name)] != sql:
            problems.append(f"{words[kind]} {name} 被改写")
    problems += [
        f"{words[k]} {n} 不是本工具建立的" for k, n in sorted(actual.keys() - expected.keys())
    ]
    return problems


# ---------------------------------------------------------------- the chain's head, kept outside

HEAD_SUFFIX = ".head"
_HEAD = re.compile(r"(\d+) (genesis|[0-9a-f]{64})")


def head_path(conn: sqlite3.Connection) -> Path:
    """The file beside the database that holds the chain's last link after every write."""
    return Path(str(_db_file(conn)) + HEAD_SUFFIX)


def state_head_path(conn: sqlite3.Connection) -> Path:
    """A second copy of the head, in the user's own state folder (``FENGDU_STATE_DIR``, else
    %LOCALAPPDATA%\\fengdu or ~/.local/state/fengdu), named for the database's full path:
    a ledger folder copied back from a backup brings its own head along, not this one."""
    if os.environ.get("FENGDU_STATE_DIR"):
        base = Path(os.environ["FENGDU_STATE_DIR"])
    elif os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"]) / "fengdu"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "fengdu"
    name = hashlib.sha256(str(Path(_db_file(conn)).resolve()).encode()).hexdigest()[:32]
    return base / "heads" / f"{name}{HEAD_SUFFIX}"


def _db_file(conn: sqlite3.Connection) -> str:
    return next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")


def _record_head(conn: sqlite3.Connection) -> None:
    """Write the chain's last link (seq, digest) beside the database and in the user's state
    folder, atomically, privately.  A head that could not be written stays at an earlier
    link, which is still true."""
    last = conn.execute("SELECT seq, digest FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    seq, digest = last if last else (0, "genesis")
    for target in (head_path(conn), state_head_path(conn)):
        temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(f"{seq} {digest} {Path(_db_file(conn)).resolve()}\n")
            os.replace(temp, target)
        except OSError:
            temp.unlink(missing_ok=True)


def _heads(conn: sqlite3.Connection) -> list[tuple[Path, str | None]]:
    """Each head recorded for this ledger: (file, its text), None where there is none."""
    found: list[tuple[Path, str | None]] = []
    for path in (head_path(conn), state_head_path(conn)):
        try:
            found.append((path, path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            found.append((path, None))
        except OSError:
            found.append((path, ""))
    return found


def check_head(conn: sqlite3.Connection) -> str | None:
    """Why the chain does not reach a head recorded for it (beside the database or in the
    user's state folder), else None."""
    for path, recorded in _heads(conn):
        if recorded is None:
            continue
        head = _HEAD.match(recorded.strip())
        if head is None:
            return f"链头记录 {path} 无法读取或被改动"
        seq, digest = int(head[1]), head[2]
        if seq == 0:
            continue
        row = conn.execute("SELECT digest FROM chain WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            return f"台账链缺少第 {seq} 环及之后的记录（上次入账时已有）"
        if row[0] != digest:
            return f"台账链第 {seq} 环与上次入账时记录的不符"
    return None


def missing_heads(conn: sqlite3.Connection) -> list[Path]:
    """The head records this ledger lacks (made by the next normal use)."""
    return [path for path, recorded in _heads(conn) if recorded is None]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations the database lacks, each in one transaction; return the version.

    Each step takes the write lock first and looks at the version again, so two processes
    opening a new database at once never apply a step twice.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for target in sorted(MIGRATIONS):
        if target <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if target > version:
                for statement in _statements(MIGRATIONS[target]):
                    conn.execute(statement)
                if target == 4:
                    _chain_existing(conn)
                conn.execute(f"PRAGMA user_version = {target}")
                version = target
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a script (trigger bodies hold ';' of their own)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not pending.strip():
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""


# ---------------------------------------------------------------- the hash chain


def _canonical(row: dict) -> str:
    """A row as the chain hashes it: its non-empty columns, sorted (a column added by a
    later migration, NULL in old rows, changes nothing)."""
    return json.dumps(
        {k: v for k, v in row.items() if v is not None},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def _digest(prev: str, tbl: str, key: object, row: dict) -> str:
    return hashlib.sha256(f"{prev}|{tbl}|{key}|{_canonical(row)}".encode()).hexdigest()


def _last_digest(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT digest FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else "genesis"


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, values, strict=True)) for values in cur.fetchall()]


def _chain(conn: sqlite3.Connection, tbl: str, rows: list[dict]) -> None:
    """Append ``rows`` of ``tbl`` (as stored) to the chain, inside the caller's transaction."""
    prev = _last_digest(conn)
    for row in rows:
        key = row[CHAINED[tbl]]
        digest = _digest(prev, tbl, key, row)
        conn.execute(
            "INSERT INTO chain (tbl, row_key, prev, digest) VALUES (?, ?, ?, ?)",
            (tbl, str(key), prev, digest),
        )
        prev = digest


def _chain_existing(conn: sqlite3.Connection) -> None:
    """Chain the rows a database held before the chain existed (migration 4)."""
    for tbl, key in CHAINED.items():
        order = "rowid" if tbl == "batches" else key
        _chain(conn, tbl, _rows(conn, f"SELECT * FROM {tbl} ORDER BY {order}"))


def _links(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM chain").fetchone()[0]


def check_chain(conn: sqlite3.Connection) -> list[str]:
    """Where the chain breaks: a row changed, removed or added outside the tool."""
    problems: list[str] = []
    stored = {
        tbl: {str(r[key]): r for r in _rows(conn, f"SELECT * FROM {tbl}")}
        for tbl, key in CHAINED.items()
    }
    prev = "genesis"
    chained: dict[str, set[str]] = {tbl: set() for tbl in CHAINED}
    for seq, tbl, key, link, digest in conn.execute(
        "SELECT seq, tbl, row_key, prev, digest FROM chain ORDER BY seq"
    ):
        row = stored.get(tbl, {}).get(key)
        if link != prev:
            problems.append(f"台账链在第 {seq} 环断开（前后哈希不相接）")
        if row is None:
            problems.append(
                f"台账链第 {seq} 环记录的 {tbl} {idcard.mask_in_text(key)} 已不存在（被删除）"
            )
        elif _digest(link, tbl, key, row) != digest:
            problems.append(
                f"台账链第 {seq} 环：{tbl} {idcard.mask_in_text(key)} 的内容与入账时不同（被改动）"
            )
        chained[tbl].add(key)
        prev = digest
    for tbl, rows in stored.items():
        for key in rows.keys() - chained[tbl]:
            problems.append(f"{tbl} {idcard.mask_in_text(key)} 不在台账链中（未经本工具写入）")
    return problems


@contextlib.contextmanager
def hold_lock(db_path: Path) -> Iterator[Path]:
    """Hold the exclusive run lock beside ``db_path``; LockError (exit 4) if another run has it.

    The lock is the operating system's (``filelock``: flock on Linux, msvcrt on Windows), so
    it ends with the process that held it, however that process ended.
    """
    # a symlinked database shares the lock of the file it points to
    lock_path = Path(str(Path(db_path).resolve()) + ".lock")
    lock = filelock.FileLock(lock_path, timeout=0, mode=0o600)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock.acquire()
    except filelock.Timeout:
        raise LockError("locked", path=str(lock_path)) from None
    except OSError as exc:
        raise InputError("db_unusable", path=str(db_path), detail=exc.strerror or str(exc)) from exc
    try:
        yield lock_path
    finally:
        lock.release()


def describe(path: Path) -> dict:
    """Which ledger a command works on: its path, live batches, imports, first and last
    month (``unread`` when it cannot be looked into: the next step opens it, or reports)."""
    path = Path(path)
    info: dict = {"path": str(path.resolve()), "exists": path.is_file(), "batches": 0,
                  "imports": 0, "first_month": None, "last_month": None, "unread": False}  # fmt: skip
    if not info["exists"]:
        return info
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            columns = {row[1] for row in conn.execute("PRAGMA table_info(batches)")}
            kind = "b.kind" if "kind" in columns else "'month'"  # a ledger before imports
            counts = conn.execute(
                f"SELECT SUM({kind} = 'month'), MIN(CASE WHEN {kind} = 'month' THEN b.month END), "
                f"MAX(CASE WHEN {kind} = 'month' THEN b.month END), SUM({kind} = 'import') "
                "FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
                "WHERE v.batch_id IS NULL"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return {**info, "unread": True}
    batches, first, last, imports = counts
    info.update(batches=batches or 0, first_month=first, last_month=last, imports=imports or 0)
    return info


def create(path: Path) -> Path:
    """A new, empty ledger at ``path`` (``fengdu init``); an existing one is left as it is."""
    connect(path, create=True).close()
    return Path(path)


def start_run(conn: sqlite3.Connection, command: str, month: int | None) -> int:
    """Record the start of a run; returns its id."""
    cur = conn.execute(
        "INSERT INTO runs (command, month, started, version) VALUES (?, ?, ?, ?)",
        (command, month, _now(), __version__),
    )
    assert cur.lastrowid is not None  # set by the INSERT
    return cur.lastrowid


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


# ---------------------------------------------------------------- the payment ledger

PAYMENT_COLUMNS = [
    "rule", "key", "payee_type", "payee_id", "payee_name", "township", "village", "household_id",
    "person_id", "person_name", "amount_fen", "period", "basis", "identities",
]  # fmt: skip


# the ledger as seen without a database: nothing paid
NO_PAYMENTS = pd.DataFrame(
    columns=["entry_id", "batch_id", *PAYMENT_COLUMNS, "month", "source", "batch_kind"]
)


def live_payments(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every committed payment that has not been reversed."""
    return pd.read_sql_query("SELECT * FROM live_payments ORDER BY entry_id", conn)


def live_batch(conn: sqlite3.Connection, month: int) -> str | None:
    """The committed, not voided batch of ``month`` (imports are not a month's batch)."""
    row = conn.execute(
        "SELECT b.batch_id FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE b.month = ? AND b.kind = 'month' AND v.batch_id IS NULL "
        "ORDER BY b.committed DESC LIMIT 1",
        (month,),
    ).fetchone()
    return row[0] if row else None


def has_history(conn: sqlite3.Connection, month: int) -> bool:
    """Does the ledger know what was paid before ``month``: a live import, or a live batch
    of an earlier month?"""
    row = conn.execute(
        "SELECT 1 FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE v.batch_id IS NULL AND (b.kind = 'import' OR b.month < ?) LIMIT 1",
        (month,),
    ).fetchone()
    return row is not None


def imported_files(conn: sqlite3.Connection) -> dict[str, str]:
    """sha256 → batch of every file a live import read."""
    found: dict[str, str] = {}
    for batch_id, inputs in conn.execute(
        "SELECT b.batch_id, b.inputs FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE b.kind = 'import' AND v.batch_id IS NULL"
    ):
        for sha in json.loads(inputs).values():
            found[sha] = batch_id
    return found


def commit_import(
    conn: sqlite3.Connection, run_id: int, entries: pd.DataFrame, inputs: dict[str, str]
) -> str:
    """Record payments made before the tool as one batch of kind 'import', in one
    transaction; each entry keeps its month, period and source."""
    batch_id = f"IMPORT-R{run_id}"
    first = int(entries["month"].min()) if len(entries) else 0
    _record_batch(conn, batch_id, first, run_id, entries, "", inputs, "import")
    return batch_id


def batch_run_summary(conn: sqlite3.Connection, batch_id: str) -> dict:
    """The summary the run that committed ``batch_id`` stored (rules computed, skipped)."""
    row = conn.execute(
        "SELECT r.summary FROM batches b JOIN runs r ON r.run_id = b.run_id WHERE b.batch_id = ?",
        (batch_id,),
    ).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def batch_lines(conn: sqlite3.Connection, batch_id: str) -> pd.DataFrame:
    """The payment lines of a batch, in the order they were committed."""
    return pd.read_sql_query(
        f"SELECT batch_id, month, {', '.join(PAYMENT_COLUMNS)} FROM payments "
        "WHERE batch_id = ? AND entry = 'payment' ORDER BY entry_id",
        conn,
        params=(batch_id,),
    )


def commit_batch(
    conn: sqlite3.Connection,
    batch_id: str,
    month: int,
    run_id: int,
    lines: pd.DataFrame,
    policy_sha256: str,
    inputs: dict,
) -> None:
    """Record a month's lines in one transaction."""
    _record_batch(conn, batch_id, month, run_id, lines.assign(month=month), policy_sha256, inputs)


def _record_batch(
    conn: sqlite3.Connection,
    batch_id: str,
    month: int,
    run_id: int,
    lines: pd.DataFrame,
    policy_sha256: str,
    inputs: dict,
    kind: str = "month",
) -> None:
    """Insert a batch, its lines and their links in the chain, in one transaction.

    Refused, nothing written: a line without a key or a payment without a payee
    (ValueError), and a line for someone the rule already pays live in the same scope, or
    twice in the lines (InternalError) — never paid twice, whatever the caller computed."""
    columns = [*PAYMENT_COLUMNS, "month", "source"]
    rows = _records(lines.reindex(columns=columns), columns)
    # a payment is never made to nobody (a past one may not name its payee: it is history)
    payee = PAYMENT_COLUMNS.index("payee_id")
    blank = [r for r in rows if not r[1] or (kind == "month" and not r[payee])]
    if blank:
        raise ValueError(f"{len(blank)} line(s) without a payee or a key: never written")
    created = _now()
    conn.execute("BEGIN IMMEDIATE")
    try:
        clash = _live_clash(conn, lines)
        if clash:  # the computation upstream missed it: a bug, and nothing is written
            raise InternalError("ledger_refused_twice", batch=batch_id, who=clash)
        conn.execute(
            "INSERT INTO batches (batch_id, month, run_id, committed, policy_sha256, inputs, lines, "
            "total_fen, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (batch_id, month, run_id, created, policy_sha256, json.dumps(inputs, ensure_ascii=False),
             len(rows), int(lines["amount_fen"].sum()) if len(lines) else 0, kind),
        )  # fmt: skip
        _chain(
            conn, "batches", _rows(conn, "SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        )
        conn.executemany(
            f"INSERT INTO payments (batch_id, {', '.join(columns)}, created) "
            f"VALUES (?{', ?' * len(columns)}, ?)",
            [(batch_id, *row, created) for row in rows],
        )
        _chain(conn, "payments", _rows(
            conn, "SELECT * FROM payments WHERE batch_id = ? ORDER BY entry_id", (batch_id,)
        ))  # fmt: skip
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    _record_head(conn)


def _live_clash(conn: sqlite3.Connection, lines: pd.DataFrame) -> str | None:
    """The first person these lines would pay again: live already for the rule in the same
    scope, or twice among the lines — matched on who each line is for, not on its key."""
    if lines.empty:
        return None
    new = who_scope(lines)
    paid = who_scope(live_payments(conn))
    both = pd.concat([paid, new]).duplicated(["rule", "scope", "who"], keep=False)
    clash = new[both.iloc[len(paid) :].to_numpy()]
    if clash.empty:
        return None
    rule, scope, who = clash.iloc[0][["rule", "scope", "who"]]
    return f"{rule} {idcard.mask_in_text(str(who))}{f'（{scope}）' if scope else ''}"


def void_month(conn: sqlite3.Connection, month: int, reason: str) -> tuple[str, int, int] | None:
    """Reverse every live payment of ``month``'s batch with ``reason`` (see :func:`void_batch`)."""
    batch_id = live_batch(conn, month)
    return None if batch_id is None else void_batch(conn, batch_id, reason)


def void_batch(conn: sqlite3.Connection, batch_id: str, reason: str) -> tuple[str, int, int] | None:
    """Reverse every live payment of a batch (a month's or an import) with ``reason``: new
    reversal entries, never an edit or a delete.  Returns (batch id, entries reversed, fen
    reversed), or None when the batch does not exist or is voided already."""
    reason = idcard.mask_in_text(reason)  # a reason may quote a phone or an ID: never in full
    row = conn.execute(
        "SELECT b.month FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE b.batch_id = ? AND v.batch_id IS NULL",
        (batch_id,),
    ).fetchone()
    if row is None:
        return None
    created = _now()
    columns = [*PAYMENT_COLUMNS, "month", "source"]
    conn.execute("BEGIN IMMEDIATE")
    try:
        live = _rows(conn, "SELECT * FROM live_payments WHERE batch_id = ? ORDER BY entry_id",
                     (batch_id,))  # fmt: skip
        added = []
        for entry in live:
            values = {c: entry.get(c) for c in columns}
            values["amount_fen"] = -entry["amount_fen"]
            cur = conn.execute(
                f"INSERT INTO payments (batch_id, {', '.join(columns)}, entry, reverses, reason, "
                f"created) VALUES (?{', ?' * len(columns)}, 'reversal', ?, ?, ?)",
                (batch_id, *values.values(), entry["entry_id"], reason, created),
            )
            added.append(cur.lastrowid)
        if added:
            marks = ", ".join("?" * len(added))
            _chain(conn, "payments", _rows(
                conn, f"SELECT * FROM payments WHERE entry_id IN ({marks}) ORDER BY entry_id",
                tuple(added),
            ))  # fmt: skip
        cur = conn.execute(
            "INSERT INTO voids (batch_id, month, reason, created) VALUES (?, ?, ?, ?)",
            (batch_id, row[0], reason, created),
        )
        _chain(conn, "voids", _rows(conn, "SELECT * FROM voids WHERE void_id = ?",
                                    (cur.lastrowid,)))  # fmt: skip
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    _record_head(conn)
    return batch_id, len(live), -sum(int(e["amount_fen"]) for e in live)


def ledger_entries(conn: sqlite3.Connection, month: int | None = None) -> pd.DataFrame:
    """Every entry (payments and reversals), optionally of one month."""
    where, params = ("WHERE month = ?", (month,)) if month else ("", ())
    return pd.read_sql_query(
        f"SELECT * FROM payments {where} ORDER BY entry_id", conn, params=params
    )


def batches(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every batch, with its void (if any)."""
    return pd.read_sql_query(
        "SELECT b.*, v.reason AS void_reason, v.created AS voided FROM batches b "
        "LEFT JOIN voids v ON v.batch_id = b.batch_id ORDER BY b.month, b.committed",
        conn,
    )


def check_ledger(conn: sqlite3.Connection) -> list[str]:
    """Integrity problems of the ledger (empty when sound)."""
    problems = []
    for rule, key, n in conn.execute(
        "SELECT rule, key, COUNT(*) FROM live_payments GROUP BY rule, key HAVING COUNT(*) > 1"
    ):
        problems.append(f"{rule} {idcard.mask_in_text(key)} 有 {n} 笔未冲销的发放")
    problems += _identities_paid_twice(live_payments(conn))
    for entry_id, amount, original in conn.execute(
        "SELECT r.entry_id, r.amount_fen, p.amount_fen FROM payments r "
        "LEFT JOIN payments p ON p.entry_id = r.reverses WHERE r.entry = 'reversal'"
    ):
        if original is None or amount != -original:
            problems.append(f"冲销记录 {entry_id} 与原发放金额不符")
    for batch_id, lines, total, n, s in conn.execute(
        "SELECT b.batch_id, b.lines, b.total_fen, COUNT(p.entry_id), COALESCE(SUM(p.amount_fen), 0) "
        "FROM batches b LEFT JOIN payments p ON p.batch_id = b.batch_id AND p.entry = 'payment' "
        "GROUP BY b.batch_id"
    ):
        if lines != n or total != s:
            problems.append(f"批次 {batch_id} 记录 {lines} 行 {total} 分，实有 {n} 行 {s} 分")
    behind = check_head(conn)
    missing = [
        f"没有链头记录 {p}：无法确认台账末尾是否完整（正常使用一次后会建立）"
        for p in missing_heads(conn)
    ]
    chain = check_chain(conn)
    ends = [behind] if behind else (missing if _links(conn) else [])
    return check_schema(conn) + problems + chain + ends


def identities_of(entries: pd.DataFrame) -> pd.Series:
    """Who each entry is for: its identities ('|'-joined IDs, 户:<户编号>), or, for an entry
    recorded before identities were, the person of its key."""
    stored = entries.get("identities", pd.Series("", index=entries.index)).fillna("").astype(str)
    legacy = entries["key"].astype(str).str.split("|").str[0].str.removeprefix("owner:")
    return stored.where(stored.ne(""), legacy)


def scope_of(entries: pd.DataFrame) -> pd.Series:
    """What a rule pays once in: ever (''), a calendar year ('2024') or a month ('202406'),
    by the rule's frequency."""
    frequency = entries["rule"].map(RULE_FREQUENCY).fillna("once")
    month = entries["month"].astype(int)
    scopes = np.select(
        [frequency.eq("once"), frequency.eq("yearly")],
        ["", (month // 100).astype(str)],
        month.astype(str),
    )
    return pd.Series(scopes, index=entries.index, dtype=object)


def who_scope(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per (entry, person it is for): rule, scope and who, indexed like ``entries``
    — what "paid twice" is judged on, whatever the keys look like."""
    frame = pd.DataFrame(
        {"rule": entries["rule"], "scope": scope_of(entries),
         "who": identities_of(entries).str.split("|")},
        index=entries.index,
    ).explode("who")  # fmt: skip
    frame = frame[frame["who"].fillna("").ne("")]
    # once per entry and person (an owner is also among the household's members)
    return (
        frame.assign(_entry=frame.index).drop_duplicates(["_entry", "who"]).drop(columns="_entry")
    )


def _identities_paid_twice(live: pd.DataFrame) -> list[str]:
    """Someone live twice for one rule and scope, whatever the keys look like."""
    if live.empty:
        return []
    twice = who_scope(live).groupby(["rule", "scope", "who"]).size()
    many = twice[twice > 1]
    return [
        f"{rule} {idcard.mask_in_text(who)}{'（' + scope + '）' if scope else ''} 有 {n} 笔未冲销的发放"
        for (rule, scope, who), n in zip(many.index, many, strict=True)
    ]
