"""The benchmark script runs: every step on a small county (the timings are not tested)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


def test_every_step_of_the_benchmark_runs_on_a_small_county(tmp_path):
    done = subprocess.run(
        [sys.executable, str(BENCH), "--dir", str(tmp_path), "--persons", "300",
         "--insurance-rows", "2000"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for step in ("calamine_raw", "read_file", "roster", "employment", "insurance", "ingest"):
        assert step in done.stdout
    assert "valid 296, rejected 4" in done.stdout and "wrote 296 rows" in done.stdout
