"""The files ``subsidy`` writes: payment workbook, bank CSV, publicity list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.io.payments_report import (
    payments_csv,
    write_payments_workbook,
    write_publicity_workbook,
)
from fengdu_cli.io.write import Sheet, write_csv, write_workbook


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
    written = [
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
    undetermined = out / f"undetermined-{label}.xlsx"
    table = result.undetermined()
    if len(table):
        title = f"丰都县{dates.month_zh(result.month)}补贴无法判断名单（未发放，补齐数据后重算）"
        written.append(
            write_workbook(
                undetermined,
                [Sheet("无法判断", undetermined_frame(table), title=title)],
                created=created,
            )
        )
    elif undetermined.exists():
        undetermined.unlink()  # a list from an earlier run of the month is no longer true
    return written


UNDETERMINED_LABELS = {
    "rule": "补贴代码",
    "rule_name": "补贴项目",
    "township": "乡镇（街道）",
    "village": "村（社区）",
    "household_id": "户编号",
    "person_id": "身份证号码",
    "person_name": "姓名",
    "payee_name": "发放对象",
    "reason": "无法判断的原因（请补齐或更正后重算）",
}


def undetermined_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The 无法判断 list as written: Chinese headers, resident IDs masked."""
    shown = table.copy()
    shown["person_id"] = shown["person_id"].astype(str).map(idcard.mask)
    return shown.rename(columns=UNDETERMINED_LABELS)
