"""A commit killed at random points (SIGKILL) leaves the ledger wholly before or wholly after,
its chain verifies, and a re-run pays the month exactly once — on a SQLite file and on
PostgreSQL, where the server rolls back the transaction of a client that died and lets go
of its locks."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import sqlalchemy

from fengdu_cli import store
from fengdu_cli.store import ledger
from fengdu_cli.subsidy import compute_subsidies
from tests import backends
from tests.conftest import pg_schema

RUNS = int(os.environ.get("FENGDU_CRASH_RUNS", "4"))  # `make fuzz` runs more
# random kills on PostgreSQL at length only (`make fuzz`); the suite kills a commit there
# inside its transaction, where it matters (below)
BACKENDS = ["sqlite", *(["postgresql"] if RUNS > 8 else [])]
POSIX = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")


def _commit(root, db, out) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "fengdu_cli", "subsidy", "--month", "2024-06", "--data", str(root),
         "--db", str(db), "--out", str(out), "--commit", "--new-db", "--no-history", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _gone(db: str, pid: int) -> None:
    """Wait (up to 15 s) until the server has ended every connection of process ``pid``:
    its transaction rolled back, its locks let go."""
    deadline = time.monotonic() + 15
    while backends.scalar(db, "SELECT COUNT(*) FROM pg_stat_activity "
                          "WHERE application_name LIKE :me", {"me": f"% pid {pid}"}):  # fmt: skip
        assert time.monotonic() < deadline, "the server kept a dead client's connection"
        time.sleep(0.05)


@contextlib.contextmanager
def _database(tmp_path, name: str, server: bool) -> Iterator[str]:
    """A new database: a SQLite file, or a PostgreSQL schema dropped after."""
    if server:
        with pg_schema() as url:
            yield url
    else:
        yield str(tmp_path / f"{name}.db")


def _batches(db: str) -> list[tuple]:
    conn = store.connect(db)
    try:
        return [tuple(r) for r in conn.execute("SELECT lines, total_fen FROM batches")]
    finally:
        conn.close()


def _sound(db: str) -> bool:
    conn = store.connect(db)
    try:
        return ledger.check_ledger(conn) == []
    finally:
        conn.close()


@POSIX
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_killed_commit_is_all_or_nothing(world, tmp_path, backend):
    root, _ = world
    server = backend == "postgresql"
    runs = RUNS if not server else RUNS // 4
    with _database(tmp_path, "whole", server) as db:
        start = time.monotonic()
        whole = _commit(root, db, tmp_path / "whole")
        assert whole.wait(timeout=120) == 0
        took = time.monotonic() - start
        expected = _batches(db)
    assert len(expected) == 1
    rng = random.Random(20261129)
    for run in range(runs):
        with _database(tmp_path, f"k{run}", server) as db:
            out = tmp_path / f"o{run}"
            process = _commit(root, db, out)
            time.sleep(rng.uniform(0.3 * took, 1.05 * took))  # mostly while it reads and commits
            process.send_signal(signal.SIGKILL)
            process.wait()
            if server:
                _gone(db, process.pid)
            if store.exists(db):
                assert _batches(db) in ([], expected), run
                assert _sound(db), run
            again = _commit(root, db, out)
            assert again.wait(timeout=120) == 0, run
            assert _batches(db) == expected
            assert _sound(db)


@POSIX
def test_a_commit_killed_inside_its_transaction_leaves_nothing_on_the_server(
    world, tmp_path, pg_url
):
    """PostgreSQL: the commit is held (by a lock on the claims table) after it wrote its
    batch, lines and links but before it could finish; killed there, the server rolls it
    all back and lets go of its locks, and a re-run pays the month once."""
    root, _ = world
    store.create(pg_url)
    engine = sqlalchemy.create_engine(store.target(pg_url).sqlalchemy_url())
    try:
        with engine.connect() as blocker:
            blocker.exec_driver_sql("LOCK TABLE claims IN EXCLUSIVE MODE")  # reads go on
            process = _commit(root, pg_url, tmp_path / "out")
            _wait_until_blocked(pg_url, process)
            process.send_signal(signal.SIGKILL)
            process.wait()
            blocker.rollback()  # a server notices a dead client when it next waits on it
        _gone(pg_url, process.pid)
    finally:
        engine.dispose()
    for table in ("batches", "payments", "chain", "claims", "bank_lines", "bank_parts"):
        assert backends.scalar(pg_url, f"SELECT COUNT(*) FROM {table}") == 0, table
    assert _sound(pg_url)
    again = compute_subsidies(root, 202406, pg_url, commit=True, no_history=True)
    assert again.newly_committed and len(_batches(pg_url)) == 1 and _sound(pg_url)


def _wait_until_blocked(db: str, process: subprocess.Popen) -> None:
    """Wait (up to 60 s) until ``process`` waits on a lock inside its write transaction."""
    deadline = time.monotonic() + 60
    while not backends.scalar(
        db, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name LIKE :me "
        "AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO claims%'",
        {"me": f"% pid {process.pid}"},
    ):  # fmt: skip
        assert process.poll() is None, "the commit ended before it reached the claims"
        assert time.monotonic() < deadline, "the commit never reached the claims"
        time.sleep(0.05)
