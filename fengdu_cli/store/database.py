"""The database the tool keeps (snapshots, runs and the ledger), a SQLite file or a
PostgreSQL server: opening it safely, refusing one that could pay again what it paid, the
run lock, and what a command says about which ledger it works on.

``--commit`` never creates a database by accident (``create`` False); a database whose
guards were changed or that lost its end is refused (exit 3); one run at a time may work on
a month: :func:`hold_lock` takes an exclusive lock (exit 4, naming who holds it on a server).
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import filelock
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from fengdu_cli import __version__, dates
from fengdu_cli.errors import InputError, LockError, UsageError
from fengdu_cli.messages import said
from fengdu_cli.store.chain import check_head, missing_heads, record_head
from fengdu_cli.store.location import Target, target
from fengdu_cli.store.schema import SCHEMA_VERSION, check_schema, migrate, version_of
from fengdu_cli.store.sql import Db, lock_holder, open_engine


def connect(
    db: str | Path | Target,
    *,
    create: bool = True,
    inspect: bool = False,
    allow_behind: bool = False,
    migrate_server: bool = False,
) -> Db:
    """Open (migrating as needed) the database ``db``; with ``create`` False a missing
    database is an error (UsageError, exit 2) instead of a new, empty ledger.

    A ledger whose guards were changed (a trigger or view dropped or rewritten), or that is
    shorter than its last recorded state (rows removed from its end, an old copy put back)
    is refused (InputError, exit 3): it could pay again what it paid.  ``inspect`` opens it
    anyway, for ``ledger check`` to say what is wrong; ``allow_behind`` opens a ledger put
    back from a backup, for ``ledger import`` to record what was paid since (its head then
    moves to the new end).

    A PostgreSQL database is shared: its tables are made by ``fengdu db migrate`` (or when
    it has none yet and ``create``), never upgraded by whichever clerk runs first
    (``migrate_server``: by ``db migrate`` only).
    """
    where = target(db)
    if where.server:
        opened = _open_server(where, create=create, migrate_server=migrate_server)
    else:
        opened = _open_file(where, create=create)
    try:
        refusal = None if inspect else _refusal(opened, allow_behind)
    except BaseException:
        opened.close()
        raise
    if refusal is not None:
        opened.close()
        raise refusal
    return opened


def _open_file(where: Target, create: bool) -> Db:
    path = where.path
    assert path is not None
    if not create and not path.exists():
        raise UsageError("db_missing", path=str(path))
    if path.is_dir():
        raise InputError("db_unusable", path=str(path), detail=said("db_is_folder"))
    opened: Db | None = None
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        _refuse_other_file(path)
        # the ledger holds full IDs: readable by its owner only (also a file made elsewhere)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        if not hasattr(os, "getuid") or path.stat().st_uid == os.getuid():
            path.chmod(0o600)
        opened = Db(open_engine(where), where)
        _refuse_newer(opened)
        migrate(opened)
        return opened
    except DBAPIError as exc:
        if opened is not None:
            opened.close()
        if "locked" in str(exc.orig):
            raise
        raise InputError("db_unusable", path=str(path), detail=str(exc.orig)) from exc
    except OSError as exc:
        if opened is not None:
            opened.close()
        raise InputError("db_unusable", path=str(path), detail=exc.strerror or str(exc)) from exc
    except BaseException:
        if opened is not None:
            opened.close()
        raise


def _open_server(where: Target, create: bool, migrate_server: bool) -> Db:
    """A PostgreSQL database: connected as this clerk's program, its tables as they must be."""
    opened: Db | None = None
    try:
        opened = Db(open_engine(where, application_name()), where)
        # the writers' transaction lock: a key of its own, never a run lock's (a run that
        # holds the "ledger" run lock writes in such a transaction itself)
        opened.lock_key = _lock_key(opened, WRITE_SCOPE)
        version = version_of(opened)
        _refuse_newer(opened, version)
        if version == 0 and not (create or migrate_server):
            raise UsageError("db_missing", path=where.shown)
        if version < SCHEMA_VERSION:
            if version and not migrate_server:
                raise UsageError("db_needs_migrate", path=where.shown, have=version,
                                 want=SCHEMA_VERSION)  # fmt: skip
            migrate(opened)
        return opened
    except SQLAlchemyError as exc:
        if opened is not None:
            opened.close()
        raise unusable(where, exc) from exc
    except BaseException:
        if opened is not None:
            opened.close()
        raise


WRITE_SCOPE = "transaction"  # a scope no run lock takes (a month, or "ledger")


def unusable(where: Target, exc: BaseException) -> InputError:
    """A database that cannot be used (exit 3), said as a file's trouble or a server's, with
    what the database said: never the statement, its values or a password."""
    key = "db_server_unusable" if where.server else "db_unusable"
    return InputError(key, path=where.shown, detail=server_said(exc))


def server_said(exc: BaseException) -> str:
    """What the database server said, on one line, without a password."""
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()
    line = first[0] if first else type(orig).__name__
    return line.split("password=")[0].strip()[:300]


def _refuse_newer(db: Db, version: int | None = None) -> None:
    """A database made by a later version of the tool is never written by this one."""
    found = version_of(db) if version is None else version
    if found > SCHEMA_VERSION:
        raise UsageError("db_newer", path=db.target.shown, have=found, want=SCHEMA_VERSION)


def application_name() -> str:
    """How this run is named on the server (who holds a lock is told by it)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name on this machine: the pid says enough
        user = "?"
    return f"fengdu {__version__} {user}@{socket.gethostname()} pid {os.getpid()}"


def _lock_key(db: Db, scope: str) -> int:
    """The advisory lock number of the run lock of ``scope`` in this database (server,
    database, schema)."""
    where = db.scalar("SELECT current_database() || '.' || current_schema()")
    digest = hashlib.sha256(f"fengdu|{where}|{scope}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _refusal(db: Db, allow_behind: bool = False, record: bool = True) -> InputError | None:
    """Why a ledger must not be used (its guards changed, or it lost its end), else None;
    a head record it lacks is made (unless ``record`` is False: a ledger only read)."""
    changed = check_schema(db)
    if changed:
        return InputError("db_tampered", path=db.target.shown, detail=tuple(changed[:3]))
    behind = check_head(db)
    if behind and not allow_behind:
        return InputError("db_behind", path=db.target.shown, detail=behind)
    if record and not behind and missing_heads(db):
        record_head(db)
    return None


def open_to_read(db: str | Path | Target) -> Db:
    """The ledger ``db`` opened only to be read (a SQLite file read-only, never created nor
    migrated; nor a head record written): it must exist, be of this version's schema and
    be sound as :func:`connect` judges it (InputError, exit 3; an older schema is a usage
    error, exit 2: ``fengdu db migrate`` brings it up first)."""
    where = target(db)
    if where.path is not None and not where.path.is_file():
        raise InputError("path_missing", path=where.shown)
    try:
        opened = Db(_read_only_engine(where), where)
    except SQLAlchemyError as exc:
        raise unusable(where, exc) from exc
    try:
        version = version_of(opened)
        _refuse_newer(opened, version)
        if version == 0:
            raise InputError("db_no_ledger", path=where.shown)
        if version < SCHEMA_VERSION:
            raise UsageError("db_needs_migrate", path=where.shown, have=version,
                             want=SCHEMA_VERSION)  # fmt: skip
        refusal = _refusal(opened, record=False)
        if refusal is not None:
            raise refusal
    except SQLAlchemyError as exc:
        opened.close()
        raise unusable(where, exc) from exc
    except BaseException:
        opened.close()
        raise
    return opened


def version_at(db: str | Path | Target) -> int:
    """The schema version of the database ``db`` as it is, read without changing it (0: none
    of the tool's tables, or no SQLite file)."""
    where = target(db)
    if where.path is not None and not where.path.is_file():
        return 0
    try:
        opened = Db(_read_only_engine(where), where)
    except SQLAlchemyError as exc:
        raise unusable(where, exc) from exc
    try:
        return version_of(opened)
    except SQLAlchemyError as exc:
        raise unusable(where, exc) from exc
    finally:
        opened.close()


_SQLITE = b"SQLite format 3\x00"


def _refuse_other_file(path: Path) -> None:
    """A file that is there and is not an SQLite database is left untouched and refused."""
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as existing:
            if existing.read(len(_SQLITE)) != _SQLITE:
                raise InputError("db_unusable", path=str(path), detail=said("db_not_ledger"))


@contextlib.contextmanager
def hold_lock(db: str | Path | Target, scope: int | str | None = None) -> Iterator[str]:
    """Hold the exclusive run lock of ``db``; LockError (exit 4) if another run has it.

    A SQLite file has one lock beside it, for every run (``scope`` aside): the operating
    system's (``filelock``: flock on Linux, msvcrt on Windows), so it ends with the process
    that held it, however that process ended.  A PostgreSQL database has one per ``scope``
    (a month, or ``"ledger"``: imports and voids), a session advisory lock on its own
    connection, which the server lets go when that connection ends; the refusal names who
    holds it (user, machine, since when).
    """
    where = target(db)
    if where.server:
        named = "ledger" if scope is None else str(scope)
        if isinstance(scope, int):
            named = dates.month_text(scope)
        with _server_lock(where, named) as held:
            yield held
        return
    assert where.path is not None
    # a symlinked database shares the lock of the file it points to
    lock_path = Path(str(where.path.resolve()) + ".lock")
    lock = filelock.FileLock(lock_path, timeout=0, mode=0o600)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock.acquire()
    except filelock.Timeout:
        raise LockError("locked", path=str(lock_path)) from None
    except OSError as exc:
        raise InputError(
            "db_unusable", path=str(where.path), detail=exc.strerror or str(exc)
        ) from exc
    try:
        yield str(lock_path)
    finally:
        lock.release()


@contextlib.contextmanager
def _server_lock(where: Target, scope: str) -> Iterator[str]:
    try:
        holder = Db(open_engine(where, application_name()), where)
    except SQLAlchemyError as exc:
        raise unusable(where, exc) from exc
    try:
        key = _lock_key(holder, scope)
        if not holder.scalar("SELECT pg_try_advisory_lock(:key)", {"key": key}):
            raise LockError(
                "locked_by", path=where.shown, scope=scope, who=lock_holder(holder, key)
            )
        yield f"{where.shown} ({scope})"
    except SQLAlchemyError as exc:
        raise unusable(where, exc) from exc
    finally:
        holder.close()  # the lock ends with its connection


def describe(db: str | Path | Target) -> dict:
    """Which ledger a command works on: where it is, live batches, imports, first and last
    month (``unread`` when it cannot be looked into: the next step opens it, or reports)."""
    where = target(db)
    info: dict = {"path": where.key, "exists": where.exists() if not where.server else True,
                  "batches": 0, "imports": 0, "first_month": None, "last_month": None,
                  "unread": False}  # fmt: skip
    if where.path is not None and not where.path.is_file():
        return {**info, "exists": False}
    try:
        opened = Db(_read_only_engine(where), where)
        try:
            if where.server and version_of(opened) == 0:
                return {**info, "exists": False}
            columns = {
                str(c).lower() for c in opened.frame("SELECT * FROM batches LIMIT 0").columns
            }
            kind = "b.kind" if "kind" in columns else "'month'"  # a ledger before imports
            month = f"CASE WHEN {kind} = 'month' THEN b.month END"
            counts = opened.execute(
                f"SELECT SUM(CASE WHEN {kind} = 'month' THEN 1 ELSE 0 END), MIN({month}), "
                f"MAX({month}), SUM(CASE WHEN {kind} = 'import' THEN 1 ELSE 0 END) "
                "FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
                "WHERE v.batch_id IS NULL"
            ).one()
        finally:
            opened.close()
    except SQLAlchemyError:
        return {**info, "unread": True}
    batches, first, last, imports = counts
    info.update(batches=int(batches or 0), first_month=first, last_month=last,
                imports=int(imports or 0))  # fmt: skip
    return info


def _read_only_engine(where: Target) -> Engine:
    """An engine that cannot change the database (a SQLite file opened read-only)."""
    return open_engine(where, application_name(), read_only=True)


def create(db: str | Path | Target) -> str:
    """A new, empty ledger at ``db`` (``fengdu init``); an existing one is left as it is."""
    connect(db, create=True).close()
    return target(db).shown


def exists(db: str | Path | Target) -> bool:
    """Is there a ledger at ``db``: a SQLite file, or a server database holding the tool's
    tables?  (A server that cannot be reached is reported: InputError, exit 3.)"""
    where = target(db)
    if not where.server:
        assert where.path is not None
        return where.path.exists()
    try:
        opened = Db(open_engine(where, application_name()), where)
    except SQLAlchemyError as exc:
        raise unusable(where, exc) from exc
    try:
        return version_of(opened) > 0
    except SQLAlchemyError as exc:
        raise unusable(where, exc) from exc
    finally:
        opened.close()
