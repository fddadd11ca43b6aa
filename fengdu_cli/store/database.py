"""The SQLite database the tool keeps (snapshots, runs and the ledger): opening it safely,
refusing one that could pay again what it paid, the run lock, and what a command says
about which ledger it works on.

``--commit`` never creates a database by accident (``create`` False); a database whose
guards were changed or that lost its end is refused (exit 3); only one run at a time may
write: :func:`hold_lock` takes an exclusive lock next to the database (exit 4).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import filelock

from fengdu_cli.errors import InputError, LockError, UsageError
from fengdu_cli.messages import said
from fengdu_cli.store.chain import check_head, missing_heads, record_head
from fengdu_cli.store.schema import check_schema, migrate


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
        raise InputError("db_unusable", path=str(path), detail=said("db_is_folder"))
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
        return InputError("db_tampered", path=str(path), detail=tuple(changed[:3]))
    behind = check_head(conn)
    if behind and not allow_behind:
        return InputError("db_behind", path=str(path), detail=behind)
    if not behind and missing_heads(conn):
        record_head(conn)
    return None


_SQLITE = b"SQLite format 3\x00"


def _refuse_other_file(path: Path) -> None:
    """A file that is there and is not an SQLite database is left untouched and refused."""
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as existing:
            if existing.read(len(_SQLITE)) != _SQLITE:
                raise InputError("db_unusable", path=str(path), detail=said("db_not_ledger"))


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
