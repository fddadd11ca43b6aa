"""The files ``subsidy`` writes: payment workbook, bank CSV, publicity list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.errors import OutputError, UsageError
from fengdu_cli.io.payments_report import (
    payments_csv,
    write_payments_workbook,
    write_publicity_workbook,
)
from fengdu_cli.io.write import Sheet, Staging, write_csv, write_workbook

TRIAL = "-试算"  # in every file name of a run that is not committed (DESIGN §2)


def subsidy_file_names(month: int, committed: bool) -> dict[str, str]:
    """The files of a month's subsidy run: plain names only for a committed batch."""
    label = dates.month_text(month) + ("" if committed else TRIAL)
    return {
        "payments": f"payments-{label}.xlsx",
        "csv": f"payments-{label}.csv",
        "publicity": f"publicity-{label}.xlsx",
        "undetermined": f"undetermined-{dates.month_text(month)}.xlsx",
    }


def write_subsidy_files(result, out: Path, staging: Staging | None = None) -> list[Path]:
    """``payments-YYYY-MM.xlsx/.csv`` and ``publicity-YYYY-MM.xlsx`` for a committed batch;
    the same with ``-试算`` in the names, and 试算 on every sheet and in the batch column, for
    a trial — so a trial is never taken for the list to pay.  With ``staging`` the files
    are only written to temporary names (see :class:`fengdu_cli.io.write.Staging`)."""
    out = Path(out)
    names = subsidy_file_names(result.month, result.committed)
    last = dates.last_day(result.month)
    created = dt.datetime(last.year, last.month, last.day)
    rules = [(code, result.policy.rule(code).name) for code in result.computed]
    batch = result.batch_id if result.committed else f"{result.batch_id}（试算，未入账）"
    lines = result.lines.assign(batch_id=batch)
    written = [
        write_payments_workbook(
            lines, out / names["payments"], month=result.month, batch_id=batch, rules=rules,
            created=created, staging=staging,
        ),
        write_csv(payments_csv(lines), out / names["csv"], private=True, staging=staging),
        write_publicity_workbook(
            lines, out / names["publicity"], month=result.month, rules=rules, created=created,
            staging=staging, trial=not result.committed,
        ),
    ]  # fmt: skip
    undetermined = out / names["undetermined"]
    table = result.undetermined()
    if len(table):
        title = f"丰都县{dates.month_zh(result.month)}补贴无法判断名单（未发放，补齐数据后重算）"
        written.append(
            write_workbook(
                undetermined,
                [Sheet("无法判断", undetermined_frame(table), title=title)],
                created=created,
                staging=staging,
            )
        )
    elif undetermined.exists() and result.evaluations:
        # computed today and nobody undetermined: a list of an earlier run is no longer true
        # (a batch's files written again from the ledger know nothing of it: it stays)
        undetermined.unlink()
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


def compute_and_write(data: Path, month: int, db: Path, out: Path, **options) -> tuple:
    """:func:`fengdu_cli.subsidy.compute_subsidies` and its files, in the safe order: a new
    batch's files are written (to temporary names) before the commit and put in place after
    it; a failure then says the batch is recorded and how to write its files again."""
    from fengdu_cli.subsidy import compute_subsidies

    staged: list[Staging] = []

    def stage(result) -> Staging:
        staging = Staging()
        write_subsidy_files(result, out, staging)
        staged.append(staging)
        return staging

    result = compute_subsidies(data, month, db, stage=stage, **options)
    if not (staged and result.newly_committed):
        return result, write_subsidy_files(result, out)
    try:
        return result, staged[0].publish()
    except OSError as exc:
        staged[0].discard()
        raise OutputError(
            "files_after_commit", batch=result.batch_id, month=dates.month_text(month),
            out=str(out), detail=exc.strerror or str(exc),
        ) from exc  # fmt: skip


def rewrite_batch_files(month: int, db: Path, out: Path, policy_path: Path | None = None):
    """Write a committed batch's files again, from the ledger (``fengdu ledger files``)."""
    from fengdu_cli import store
    from fengdu_cli.policy import load_policy
    from fengdu_cli.rules.base import LINE_COLUMNS
    from fengdu_cli.store import ledger
    from fengdu_cli.subsidy import Skip, SubsidyResult, _plain

    policy = load_policy(policy_path)
    conn = store.connect(db, create=False)
    try:
        batch = ledger.live_batch(conn, month)
        if batch is None:
            raise UsageError("no_live_batch", month=dates.month_text(month))
        lines = ledger.batch_lines(conn, batch)
        summary = ledger.batch_run_summary(conn, batch)
    finally:
        conn.close()
    lines["rule_name"] = lines["rule"].map(lambda c: policy.rule(c).name)
    lines = _plain(lines[[*LINE_COLUMNS, "rule_name", "batch_id"]])
    computed = tuple(summary.get("totals", {})) or tuple(dict.fromkeys(lines["rule"]))
    # why a rule was not computed, as the committing run said it
    recorded = {
        code: Skip("recorded", {"text": why}) for code, why in summary.get("skipped", {}).items()
    }
    result = SubsidyResult(month, policy, lines, computed, recorded, batch, True, False)
    return result, write_subsidy_files(result, out)
