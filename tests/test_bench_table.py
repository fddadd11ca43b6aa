"""The benchmark's side-by-side table: ratios to the floor and the layout (no timing)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import commands


def test_ratio_to_the_floor() -> None:
    assert commands.ratio(30.0, 7.5) == 4.0
    assert commands.ratio(30.0, None) is None
    assert commands.ratio(30.0, 0.0) is None
    assert commands.ratio(float("nan"), 7.5) is None


def test_table_shows_seconds_ratio_and_memory_side_by_side() -> None:
    results = [
        commands.Result("floor", 7.65, int(0.65 * 2**30), 0, cpu_seconds=7.1, note="pyarrow"),
        commands.Result("reconcile", 33.66, int(1.14 * 2**30), 1, output_bytes=35_400_000),
        commands.Result("subsidy", 30.3, 1100 * 2**20, 5, note="FAILED: boom"),
    ]
    lines = commands.format_table(results).splitlines()
    assert lines[0].startswith("| step ") and "× floor" in lines[0] and "peak MiB" in lines[0]
    assert set(lines[1]) <= {"|", "-", ":"}
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
    assert cells[0][:6] == ["floor", "7.65", "1.0", "7.1", "666", "0"]
    assert cells[1][:7] == ["reconcile", "33.66", "4.4", "—", "1,167", "1", "35.4"]
    assert cells[2][2] == "4.0" and cells[2][-1] == "FAILED: boom"
    assert len({len(line) for line in lines}) == 1  # columns line up


def test_no_floor_no_ratio() -> None:
    table = commands.format_table([commands.Result("run", 12.0, 2**30, 0)])
    assert "| run " in table and "—" in table
