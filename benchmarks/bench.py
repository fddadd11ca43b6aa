"""Time fengdu's read → validate → ingest path on a county-scale month.

    python benchmarks/bench.py [--dir DIR] [--persons N] [--insurance-rows N]
                               [--repeat N] [--compare-openpyxl] [--only STEP,...]
                               [--isolate] [--profile STEP]

Makes the data with ``make_county.py`` when DIR (default ``benchmarks/.data``) does not
hold a month of the requested size, then times each step with ``time.perf_counter``
(best of ``--repeat``) and prints step, rows, seconds, rows/s and peak RSS.

Steps (name or letter):

  a calamine_raw      python-calamine alone: roster-100k.xlsx → Python lists (to_python)
  b read_file         fengdu_cli.io.read.read_file(roster-100k.xlsx, 'roster'): grid, header, rows
  c roster            check_paths on the 30 township rosters (read + normalise + validate)
  d employment        check_paths on employment/employment.csv
  e insurance         check_paths on insurance/*.csv (--insurance-rows rows)
  f ingest            ingest of the 30 rosters into a temporary folder (c + clean table + xlsx/csv)
  g pandas_openpyxl   pandas.read_excel(roster-100k.xlsx, engine='openpyxl')   [--compare-openpyxl]
  h pandas_calamine   pandas.read_excel(roster-100k.xlsx, engine='calamine')   [--compare-openpyxl]

``--profile STEP`` runs that one step under cProfile and prints the top entries by
cumulative time instead of the table.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import gc
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # make_county, when run from elsewhere

import make_county  # noqa: E402
import pandas as pd  # noqa: E402
import python_calamine  # noqa: E402

# imported up front so that no step pays for importing pandera & co.
from fengdu_cli.ingest import ingest as fengdu_ingest  # noqa: E402
from fengdu_cli.io.read import read_file as fengdu_read_file  # noqa: E402
from fengdu_cli.io.reports import write_ingested  # noqa: E402
from fengdu_cli.validate import check_paths  # noqa: E402

DEFAULT_DIR = HERE / ".data"


@dataclass(frozen=True)
class Step:
    letter: str
    name: str
    what: str
    run: Callable[[Path, dt.date], tuple[int, str]]  # → (rows, note)
    compare: bool = False  # only with --compare-openpyxl


# ---------------------------------------------------------------- the steps


def calamine_raw(data: Path, on: dt.date) -> tuple[int, str]:
    book = python_calamine.CalamineWorkbook.from_path(str(data / make_county.SINGLE_FILE))
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return len(rows) - 2, f"{len(rows)} rows incl. title + header"


def read_file(data: Path, on: dt.date) -> tuple[int, str]:
    read = fengdu_read_file(data / make_county.SINGLE_FILE, "roster")
    rows = sum(len(s.frame) for s in read.sheets)
    skipped = sum(len(s.skipped) for s in read.sheets)
    return rows, f"person rows; {skipped} skipped"


def _check(kind: str, folder: str) -> Callable[[Path, dt.date], tuple[int, str]]:
    def run(data: Path, on: dt.date) -> tuple[int, str]:
        checked = check_paths([data / folder], kind, on=on)
        note = (
            f"{len(checked.files)} files; valid {checked.rows_valid}, "
            f"rejected {checked.rows_rejected}"
        )
        if checked.unreadable:
            note += f"; UNREADABLE {len(checked.unreadable)}"
        return checked.rows_read, note

    return run


def ingest(data: Path, on: dt.date) -> tuple[int, str]:
    with tempfile.TemporaryDirectory(prefix="fengdu-bench-") as out:
        done = write_ingested(fengdu_ingest([data / "rosters"], "roster", on=on), Path(out))
        sizes = sum(p.stat().st_size for p in done.written) / 2**20
        return done.checked.rows_read, f"wrote {len(done.clean)} rows, {sizes:.1f} MB"


def _pandas(engine: str) -> Callable[[Path, dt.date], tuple[int, str]]:
    def run(data: Path, on: dt.date) -> tuple[int, str]:
        frame = pd.read_excel(data / make_county.SINGLE_FILE, engine=engine, header=1)
        return len(frame), f"{frame.shape[1]} columns"

    return run


STEPS = (
    Step("a", "calamine_raw", "python-calamine to_python, roster-100k.xlsx", calamine_raw),
    Step("b", "read_file", "read_file(roster-100k.xlsx, 'roster')", read_file),
    Step("c", "roster", "check_paths(rosters/, 'roster'), 30 files", _check("roster", "rosters")),
    Step(
        "d",
        "employment",
        "check_paths(employment/, 'employment')",
        _check("employment", "employment"),
    ),
    Step(
        "e", "insurance", "check_paths(insurance/, 'insurance')", _check("insurance", "insurance")
    ),
    Step("f", "ingest", "ingest(rosters/, 'roster') → temp dir", ingest),
    Step("g", "pandas_openpyxl", "pd.read_excel(engine='openpyxl')", _pandas("openpyxl"), True),
    Step("h", "pandas_calamine", "pd.read_excel(engine='calamine')", _pandas("calamine"), True),
)


def find_step(key: str) -> Step:
    for step in STEPS:
        if key in (step.letter, step.name):
            return step
    names = ", ".join(f"{s.letter}/{s.name}" for s in STEPS)
    raise SystemExit(f"unknown step {key!r}; choose from {names}")


# ---------------------------------------------------------------- data


def ensure_data(data: Path, persons: int, insurance_rows: int, seed: int) -> dict:
    """The manifest of the month in ``data``, written first if absent or of another size."""
    manifest_path = data / make_county.MANIFEST
    wanted = {"persons": persons, "insurance_rows": insurance_rows, "seed": seed}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if {k: manifest.get(k) for k in wanted} == wanted and (
            data / make_county.SINGLE_FILE
        ).exists():
            return manifest
    print(f"making data in {data} ({persons} persons, {insurance_rows} insurance rows) …")
    # in a child process, so that generating 1M rows does not count in this one's peak RSS
    command = [
        sys.executable,
        str(HERE / "make_county.py"),
        str(data),
        "--persons",
        str(persons),
        "--insurance-rows",
        str(insurance_rows),
        "--seed",
        str(seed),
    ]
    t0 = time.perf_counter()
    subprocess.run(command, check=True)
    print(f"  done in {time.perf_counter() - t0:.1f}s\n")
    return json.loads(manifest_path.read_text("utf-8"))


# ---------------------------------------------------------------- timing


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


def time_step(step: Step, data: Path, on: dt.date, repeat: int) -> dict:
    best, rows, note = float("inf"), 0, ""
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        rows, note = step.run(data, on)
        best = min(best, time.perf_counter() - t0)
    return {
        "step": f"{step.letter} {step.name}",
        "rows": rows,
        "seconds": best,
        "rows_per_s": rows / best if best else float("inf"),
        "peak_rss_mb": peak_rss_mb(),
        "note": note,
    }


def run_isolated(step: Step, args: argparse.Namespace) -> dict:
    """Time ``step`` in a fresh interpreter, so its peak RSS is its own."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--dir",
        str(args.dir),
        "--persons",
        str(args.persons),
        "--insurance-rows",
        str(args.insurance_rows),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
        "--only",
        step.name,
        "--json",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        return {
            "step": f"{step.letter} {step.name}",
            "rows": 0,
            "seconds": float("nan"),
            "rows_per_s": float("nan"),
            "peak_rss_mb": float("nan"),
            "note": "FAILED: " + (done.stderr.strip().splitlines() or ["?"])[-1],
        }
    return json.loads(done.stdout.strip().splitlines()[-1])[0]


def print_table(results: list[dict]) -> None:
    head = ("step", "rows", "seconds", "rows/s", "peak RSS MB", "note")
    lines = [
        (
            r["step"],
            f"{r['rows']:,}",
            f"{r['seconds']:.2f}",
            f"{r['rows_per_s']:,.0f}",
            f"{r['peak_rss_mb']:,.0f}",
            r["note"],
        )
        for r in results
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *lines, strict=True)]
    right = (False, True, True, True, True, False)
    for row in (head, *lines):
        cells = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)
        ]
        print("  ".join(cells).rstrip())


def environment() -> str:
    versions = []
    for package in ("pandas", "numpy", "python-calamine", "openpyxl", "pandera"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    return (
        f"{dt.date.today()} · Python {platform.python_version()} · {os.cpu_count()} CPUs · "
        + " · ".join(versions)
    )


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark fengdu on a county-scale month.",
        epilog="Steps: " + ", ".join(f"{s.letter}/{s.name}" for s in STEPS),
    )
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="data folder")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--insurance-rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per step")
    parser.add_argument(
        "--compare-openpyxl",
        action="store_true",
        help="also time pandas.read_excel with openpyxl and calamine",
    )
    parser.add_argument("--only", help="comma-separated steps to run (letters or names)")
    parser.add_argument(
        "--isolate",
        action="store_true",
        help="run each step in its own process (peak RSS per step, no warm caches)",
    )
    parser.add_argument("--profile", metavar="STEP", help="run STEP under cProfile")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--profile-lines", type=int, default=25)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    manifest = ensure_data(args.dir, args.persons, args.insurance_rows, args.seed)
    on = dt.date.fromisoformat(manifest["reference_date"])

    if args.profile:
        step = find_step(args.profile)
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        rows, note = step.run(args.dir, on)
        profiler.disable()
        took = time.perf_counter() - t0
        print(f"{step.letter} {step.name}: {rows:,} rows in {took:.2f}s under cProfile ({note})\n")
        pstats.Stats(profiler).strip_dirs().sort_stats(args.profile_sort).print_stats(
            args.profile_lines
        )
        return 0

    if args.only:
        steps = [find_step(k.strip()) for k in args.only.split(",") if k.strip()]
    else:
        steps = [s for s in STEPS if args.compare_openpyxl or not s.compare]

    if not args.json:
        print(environment())
        planted = sum(manifest["planted"].values())
        print(
            f"data: {args.dir} — {manifest['persons']:,} persons in "
            f"{manifest['roster_files']} rosters ({planted} planted problem rows), "
            f"{manifest['employment_rows']:,} employment rows, "
            f"{manifest['insurance_rows_written']:,} insurance rows; "
            f"best of {args.repeat}; on={on}\n"
        )
    results = []
    for step in steps:
        result = (
            run_isolated(step, args) if args.isolate else time_step(step, args.dir, on, args.repeat)
        )
        results.append(result)
        if not args.json:
            print(f"  {result['step']:<20} {result['seconds']:8.2f}s  {result['note']}", flush=True)
    if args.json:
        print(json.dumps(results))
        return 0
    print()
    print_table(results)
    rss = (
        "peak RSS of each step's own process" if args.isolate else "peak RSS so far in this process"
    )
    print(f"\n(peak RSS MB = {rss})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
