"""A commit killed at random points (SIGKILL) leaves the ledger wholly before or wholly after,
its chain verifies, and a re-run pays the month exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from fengdu_cli import store
from fengdu_cli.store import ledger

RUNS = int(os.environ.get("FENGDU_CRASH_RUNS", "8"))  # `make fuzz` runs more


def _commit(root, db, out) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "fengdu_cli", "subsidy", "--month", "2024-06", "--data", str(root),
         "--db", str(db), "--out", str(out), "--commit", "--new-db", "--no-history", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_a_killed_commit_is_all_or_nothing(world, tmp_path):
    root, _ = world
    start = time.monotonic()
    whole = _commit(root, tmp_path / "whole.db", tmp_path / "whole")
    assert whole.wait(timeout=120) == 0
    took = time.monotonic() - start
    expected = (
        store.connect(tmp_path / "whole.db")
        .execute("SELECT lines, total_fen FROM batches")
        .fetchone()
    )
    rng = random.Random(20261129)
    for run in range(RUNS):
        db, out = tmp_path / f"k{run}.db", tmp_path / f"o{run}"
        process = _commit(root, db, out)
        time.sleep(rng.uniform(0.3 * took, 1.05 * took))  # mostly while it reads and commits
        process.send_signal(signal.SIGKILL)
        process.wait()
        if db.exists():
            conn = store.connect(db)
            state = conn.execute("SELECT lines, total_fen FROM batches").fetchall()
            assert state in ([], [expected]), run
            assert ledger.check_ledger(conn) == [], run
            conn.close()
        again = _commit(root, db, out)
        assert again.wait(timeout=120) == 0, run
        conn = store.connect(db)
        assert conn.execute("SELECT lines, total_fen FROM batches").fetchall() == [expected]
        assert ledger.check_ledger(conn) == []
        conn.close()
