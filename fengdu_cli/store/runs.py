"""The run log and the monthly snapshots: who ran what, and each month's person states and
warnings, replaced as a whole in one transaction (re-running a month never duplicates it,
a crash never leaves half a month behind)."""

from __future__ import annotations

import json

import pandas as pd

from fengdu_cli import __version__
from fengdu_cli.store.schema import TABLES
from fengdu_cli.store.sql import Db, now, records, transaction

STATE_COLUMNS = [
    "id_number", "township", "village", "household_id", "name", "category", "labor_capacity",
    "work_status", "active_jobs", "employer_code", "employer_name", "region", "tenure_months",
    "insured_m", "insured_months_current", "last_insured_month", "employers_12m", "start_date",
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


def start_run(db: Db, command: str, month: int | None) -> int:
    """Record the start of a run; returns its id."""
    return int(db.scalar(
        "INSERT INTO runs (command, month, started, version) "
        "VALUES (:command, :month, :started, :version) RETURNING run_id",
        {"command": command, "month": month, "started": now(), "version": __version__},
    ))  # fmt: skip


def finish_run(db: Db, run_id: int, summary: dict) -> None:
    db.execute(
        "UPDATE runs SET finished = :finished, summary = :summary WHERE run_id = :run",
        {"finished": now(), "summary": json.dumps(summary, ensure_ascii=False, default=str),
         "run": run_id},
    )  # fmt: skip


def previous_month(db: Db, month: int) -> int | None:
    """The latest stored month before ``month``."""
    found = db.scalar("SELECT MAX(month) FROM month_summary WHERE month < :month",
                      {"month": month})  # fmt: skip
    return int(found) if found is not None else None


def stored_warnings(db: Db, month: int) -> pd.DataFrame:
    """The warnings stored for ``month`` (WARNING_COLUMNS)."""
    return db.frame(
        f"SELECT {', '.join(WARNING_COLUMNS)} FROM month_warnings WHERE month = :month "
        "ORDER BY line",
        {"month": month},
    )


def replace_month(
    db: Db,
    month: int,
    run_id: int,
    state: pd.DataFrame,
    warnings: pd.DataFrame,
    summary: dict,
) -> None:
    """Store ``month``'s snapshot, replacing any earlier one, in one transaction."""
    state_rows = records(_dates_as_text(state).assign(month=month), ["month", *STATE_COLUMNS])
    warning_rows = records(
        warnings.assign(month=month, line=range(len(warnings))),
        ["month", *WARNING_COLUMNS, "line"],
    )
    with transaction(db):
        for table in ("month_state", "month_warnings", "month_summary"):
            db.execute(f"DELETE FROM {table} WHERE month = :month", {"month": month})
        db.insert(TABLES["month_state"], state_rows)
        db.insert(TABLES["month_warnings"], warning_rows)
        db.insert(TABLES["month_summary"], [{
            "month": month, "run_id": run_id,
            "summary": json.dumps(summary, ensure_ascii=False, default=str),
        }])  # fmt: skip


def _dates_as_text(state: pd.DataFrame) -> pd.DataFrame:
    """The current job's start as an ISO date text (SQLite has no date type)."""
    if "start_date" not in state:
        return state
    start = pd.to_datetime(state["start_date"], errors="coerce")
    return state.assign(start_date=start.dt.strftime("%Y-%m-%d").where(start.notna(), None))
