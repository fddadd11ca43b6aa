"""The files ``subsidy`` writes: payment workbook, bank CSV, publicity list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fengdu_cli import dates
from fengdu_cli.io.payments_report import (
    payments_csv,
    write_payments_workbook,
    write_publicity_workbook,
)
from fengdu_cli.io.write import write_csv


def write_subsidy_files(result, out: Path) -> list[Path]:
    """``payments-YYYY-MM.xlsx``, ``payments-YYYY-MM.csv`` and ``publicity-YYYY-MM.xlsx``.

    A list that is not committed says so in its batch line, so a trial run is never
    mistaken for the list to pay.
    """
    out = Path(out)
    label = dates.month_text(result.month)
    last = dates.last_day(result.month)
    created = dt.datetime(last.year, last.month, last.day)
    rules = [(code, result.policy.rule(code).name) for code in result.computed]
    batch = result.batch_id if result.committed else f"{result.batch_id}（试算，未入账）"
    lines = result.lines.assign(batch_id=batch)
    return [
        write_payments_workbook(
            lines,
            out / f"payments-{label}.xlsx",
            month=result.month,
            batch_id=batch,
            rules=rules,
            created=created,
        ),
        write_csv(payments_csv(lines), out / f"payments-{label}.csv"),
        write_publicity_workbook(
            lines, out / f"publicity-{label}.xlsx", month=result.month, rules=rules, created=created
        ),
    ]
