"""The month's commands side by side with merely reading the same files.

    python benchmarks/commands.py [--persons N] [--insurance-rows N] [--seed N] [--dir DIR]
                                  [--only floor,validate,reconcile,subsidy,after,commit,run]
                                  [--policy FILE] [--json] [--keep DIR] [--server URL]

In ONE run, on the same generated month (``make_county.py``, cached in
``benchmarks/.data-<N>/``), each in its own child process, one after the other:

  startup     fengdu --version: the interpreter and the imports every command pays
  floor       python-calamine reads every sheet of every roster, and the employment and
              insurance CSVs are read with pyarrow.csv (or, when pyarrow is not installed,
              pandas' C parser, all columns as text): what merely reading the files costs
  validate    fengdu validate rosters/ --kind roster --quiet
  reconcile   fengdu reconcile --month M --data DIR --quiet
  subsidy     fengdu subsidy   --month M --data DIR --quiet   (a trial, no --commit)
  after       the same subsidy on the database the reconcile step made: the rosters,
              employment and insurance it checked are taken from its cache (input_cache)
  commit      that subsidy committed (--commit --no-history) on the same database: the
              month's batch, its bank list and the chain written to the ledger
  run         fengdu run       --month M --data DIR --quiet

With ``--server postgresql://user@host:port/db`` (a user who may create databases) every
database is a new one on that PostgreSQL server instead of a SQLite file, dropped after.

Every command is cold: a fresh interpreter, a fresh database (``--db``), its outputs in a
fresh temporary folder. The OS file cache is warm for all of them alike (the floor reads
first). For each child the table shows wall-clock seconds, the ratio to the floor and the
child's own peak resident memory (``os.wait4`` → ``ru_maxrss``, that child alone).
Running them in one go keeps the ratios comparable on a noisy machine.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = ("startup", "floor", "validate", "reconcile", "subsidy", "after", "commit", "run")
INSURANCE_PER_PERSON = 10  # 100k persons → 1M insurance rows (the county month)
MIB = 2**20


@dataclass(frozen=True)
class Result:
    step: str
    seconds: float
    peak_bytes: int
    exit_code: int
    output_bytes: int = 0
    cpu_seconds: float = float("nan")  # user + system: less disturbed by a busy machine
    note: str = ""


# ---------------------------------------------------------------- formatting


def ratio(seconds: float, floor: float | None) -> float | None:
    """``seconds`` as a multiple of the floor (None without a usable floor)."""
    if floor is None or not math.isfinite(floor) or floor <= 0 or not math.isfinite(seconds):
        return None
    return seconds / floor


def format_table(results: list[Result]) -> str:
    """The side-by-side table, as Markdown (it reads as plain text too)."""
    floor = next((r.seconds for r in results if r.step == "floor" and r.exit_code == 0), None)
    head = ("step", "seconds", "× floor", "CPU s", "peak MiB", "exit", "outputs MB", "note")
    right = (False, True, True, True, True, True, True, False)
    rows = []
    for r in results:
        times = ratio(r.seconds, floor)
        rows.append(
            (
                r.step,
                f"{r.seconds:.2f}" if math.isfinite(r.seconds) else "—",
                "1.0" if r.step == "floor" else (f"{times:.1f}" if times is not None else "—"),
                f"{r.cpu_seconds:.1f}" if math.isfinite(r.cpu_seconds) else "—",
                f"{r.peak_bytes / MIB:,.0f}",
                str(r.exit_code),
                f"{r.output_bytes / 1e6:,.1f}" if r.output_bytes else "",
                r.note,
            )
        )
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        padded = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if r else "-" * (w + 2)
            for w, r in zip(widths, right, strict=True)
        )
        + "|"
    )
    return "\n".join([line(head), rule, *(line(r) for r in rows)])


# ---------------------------------------------------------------- the floor (child)


def read_floor(data: Path) -> dict:
    """Read the month's files as cheaply as the libraries allow; return what was read."""
    import python_calamine

    held: list[object] = []  # everything read stays in memory, as a tool's input would
    cells = 0
    for path in sorted((data / "rosters").glob("*.xlsx")):
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in rows)
            held.append(rows)
    csvs = sorted((data / "employment").glob("*.csv")) + sorted((data / "insurance").glob("*.csv"))
    lines = 0
    try:
        from pyarrow import csv as pa_csv  # type: ignore[import-not-found,unused-ignore]

        reader = f"pyarrow {metadata.version('pyarrow')}"
        for path in csvs:
            table = pa_csv.read_csv(path)
            lines += table.num_rows
            held.append(table)
    except ImportError:
        import pandas as pd

        reader = f"pandas {pd.__version__} C parser (pyarrow not installed)"
        for path in csvs:
            frame = pd.read_csv(path, dtype=str, na_filter=False, engine="c")
            lines += len(frame)
            held.append(frame)
    return {"roster_cells": cells, "csv_rows": lines, "csv_reader": reader}


# ---------------------------------------------------------------- children


def run_child(step: str, command: list[str], cwd: Path, outputs: Path | None) -> Result:
    """Run ``command``; its wall time and its own peak RSS (wait4 on that pid only)."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # read the pipes first (a full pipe would block the child), then reap it ourselves
    out, err = child.stdout.read(), child.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    size = sum(p.stat().st_size for p in outputs.rglob("*") if p.is_file()) if outputs else 0
    note = ""
    if step == "floor" and child.returncode == 0:
        read = json.loads(out.strip().splitlines()[-1])
        note = f"{read['roster_cells']:,} roster cells, {read['csv_rows']:,} CSV rows; {read['csv_reader']}"
    elif child.returncode not in (0, 1):  # 1 = done, data problems found (DESIGN §2)
        note = "FAILED: " + ((err or out).strip().splitlines() or ["?"])[-1][:120]
    cpu = usage.ru_utime + usage.ru_stime
    return Result(step, seconds, peak, child.returncode, size, cpu, note)


def database(step: str, work: Path, server: str | None) -> str:
    """The step's database: a SQLite file in ``work``, or a new database on ``server``
    (made here; ``after`` and ``commit`` use the reconcile step's)."""
    name = "reconcile" if step in ("after", "commit") else step
    if server is None:
        return str(work / f"{name}.db")
    import sqlalchemy

    url = sqlalchemy.engine.make_url(server).set(drivername="postgresql+psycopg")
    named = f"fengdu_bench_{name}_{os.getpid()}"
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.exec_driver_sql(f"SELECT 1 FROM pg_database WHERE datname = '{named}'")
        if exists.first() is None:
            conn.exec_driver_sql(f"CREATE DATABASE {named}")
    engine.dispose()
    return url.set(database=named, drivername="postgresql").render_as_string(hide_password=False)


def drop_databases(server: str) -> None:
    """The databases this run made on ``server``, dropped."""
    import sqlalchemy

    url = sqlalchemy.engine.make_url(server).set(drivername="postgresql+psycopg")
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for step in STEPS:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS fengdu_bench_{step}_{os.getpid()}")
    engine.dispose()


def commands(
    step: str,
    data: Path,
    month: str,
    on: str,
    work: Path,
    policy: str | None,
    server: str | None = None,
) -> list[str]:
    fengdu = [sys.executable, "-m", "fengdu_cli"]
    if step == "startup":
        return [*fengdu, "--version"]
    if step == "floor":
        return [sys.executable, str(Path(__file__).resolve()), "--floor", str(data)]
    if step == "validate":
        return [
            *fengdu,
            "validate",
            str(data / "rosters"),
            "--kind",
            "roster",
            "--as-of",
            on,
            "--quiet",
        ]
    db = database(step, work, server)
    common = ["--month", month, "--data", str(data), "--out", str(work / f"out-{step}"),
              "--db", db, "--quiet"]  # fmt: skip
    if step in ("subsidy", "after", "commit", "run") and policy:
        common += ["--policy", policy]
    if step == "commit":
        common += ["--commit", "--no-history"]
    return [*fengdu, "subsidy" if step in ("after", "commit") else step, *common]


def ensure_data(data: Path, persons: int, insurance_rows: int, seed: int) -> dict:
    """The manifest of the month in ``data``, generated first if absent or of another size."""
    manifest_path = data / "manifest.json"
    wanted = {"persons": persons, "insurance_rows": insurance_rows, "seed": seed}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if {k: manifest.get(k) for k in wanted} == wanted:
            return manifest
    print(
        f"making data in {data} ({persons:,} persons, {insurance_rows:,} insurance rows) …",
        flush=True,
    )
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, str(HERE / "make_county.py"), str(data), "--persons", str(persons),
         "--insurance-rows", str(insurance_rows), "--seed", str(seed), "--no-single"],
        check=True,
    )  # fmt: skip
    print(f"  done in {time.perf_counter() - t0:.0f}s\n", flush=True)
    return json.loads(manifest_path.read_text("utf-8"))


def environment() -> str:
    versions = []
    for package in ("pandas", "numpy", "python-calamine", "pyarrow", "xlsxwriter", "pandera"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    return (
        f"{dt.date.today()} · {os.cpu_count()} × {cpu} · Python {platform.python_version()} · "
        + " · ".join(versions)
    )


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument(
        "--insurance-rows", type=int, help=f"default: {INSURANCE_PER_PERSON} per person"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="data folder (default benchmarks/.data-<N>)")
    parser.add_argument("--only", help="comma-separated steps: " + ",".join(STEPS))
    parser.add_argument("--policy", help="policy file for subsidy and run (default: bundled)")
    parser.add_argument("--keep", type=Path, help="keep the outputs and databases here")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--server", help="a PostgreSQL server for the databases (postgresql://user@host:port/db)"
    )
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # the floor's child
    args = parser.parse_args(argv)

    if args.floor:
        print(json.dumps(read_floor(args.floor)))
        return 0
    steps = [s.strip() for s in (args.only or ",".join(STEPS)).split(",") if s.strip()]
    if unknown := [s for s in steps if s not in STEPS]:
        parser.error(f"unknown steps {unknown}; choose from {', '.join(STEPS)}")
    insurance = args.insurance_rows or args.persons * INSURANCE_PER_PERSON
    data = (args.dir or HERE / f".data-{args.persons}").resolve()
    manifest = ensure_data(data, args.persons, insurance, args.seed)
    on = manifest["reference_date"]
    month = on[:7]

    if not args.json:
        print(environment())
        print(
            f"data: {data} — {manifest['persons']:,} persons in {manifest['roster_files']} "
            f"rosters, {manifest['employment_rows']:,} employment rows, "
            f"{manifest['insurance_rows_written']:,} insurance rows; month {month}\n",
            flush=True,
        )
    results = []
    work = Path(tempfile.mkdtemp(prefix="fengdu-bench-"))
    os.environ["FENGDU_STATE_DIR"] = str(work / "state")  # heads and a server's cache: its own
    try:
        for step in steps:
            if step in ("after", "commit") and "reconcile" not in steps[: steps.index(step)]:
                parser.error(f"the step '{step}' needs the step 'reconcile' before it")
            outputs = work / f"out-{step}" if step not in ("startup", "floor", "validate") else None
            argv_ = commands(step, data, month, on, work, args.policy, args.server)
            result = run_child(step, argv_, work, outputs)
            results.append(result)
            if not args.json:
                print(
                    f"  {step:<10} {result.seconds:8.2f}s  cpu {result.cpu_seconds:7.1f}s  "
                    f"{result.peak_bytes / MIB:7,.0f} MiB  "
                    f"exit {result.exit_code}  {result.note}",
                    flush=True,
                )
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.server:
            drop_databases(args.server)

    if args.json:
        print(
            json.dumps(
                {"data": str(data), "manifest": manifest, "results": [asdict(r) for r in results]}
            )
        )
    else:
        print()
        print(format_table(results))
        print("\n(peak MiB = that child's own max RSS; exit 1 = done, data problems found)")
    return 0 if all(r.exit_code in (0, 1) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
