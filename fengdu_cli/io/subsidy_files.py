"""The files ``subsidy`` writes: payment workbook, bank CSV, publicity list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.errors import OutputError, UsageError
from fengdu_cli.io import names
from fengdu_cli.io.payments_report import (
    BatchFacts,
    payments_csv,
    write_payments_workbook,
    write_publicity_workbook,
)
from fengdu_cli.io.post_exits import write_post_exits
from fengdu_cli.io.write import Sheet, Staging, write_csv, write_workbook
from fengdu_cli.messages import in_words, month_words, text


def subsidy_file_names(month: int, committed: bool) -> dict[str, str]:
    """The files of a month's subsidy run: plain names only for a committed batch."""
    return {
        "payments": names.payments_book(month, committed),
        "csv": names.payments_csv(month, committed),
        "publicity": names.publicity_book(month, committed),
        "undetermined": names.undetermined_book(month),
        "posts_exit": names.posts_exit_book(month, committed),
    }


def write_subsidy_files(
    result, out: Path, staging: Staging | None = None, lang: str = "zh"
) -> list[Path]:
    """``payments-YYYY-MM.xlsx/.csv`` and ``publicity-YYYY-MM.xlsx`` for a committed batch;
    the same with ``-试算`` in the names, and 试算 on every sheet and in the batch column, for
    a trial — so a trial is never taken for the list to pay.  With ``staging`` the files
    are only written to temporary names (see :class:`fengdu_cli.io.write.Staging`).  The
    words are in ``lang``; the names, the CSV's columns and the ledger's texts (basis) are
    the same in every language."""
    out = Path(out)
    files = subsidy_file_names(result.month, result.committed)
    last = dates.last_day(result.month)
    created = dt.datetime(last.year, last.month, last.day)
    rules = [(code, result.policy.rule(code).name) for code in result.computed]
    batch = (
        result.batch_id
        if result.committed
        else text("wb_pay_trial_batch", lang, batch=result.batch_id)
    )
    lines = result.lines.assign(batch_id=batch)
    facts = batch_facts(result, lang)
    written = [
        write_payments_workbook(
            lines, out / files["payments"], month=result.month, batch_id=batch, rules=rules,
            created=created, staging=staging, lang=lang, trial=not result.committed,
            facts=facts,
        ),
        write_csv(payments_csv(lines), out / files["csv"], private=True, staging=staging),
        write_publicity_workbook(
            lines, out / files["publicity"], month=result.month, rules=rules, created=created,
            staging=staging, trial=not result.committed, lang=lang,
        ),
    ]  # fmt: skip
    exits = getattr(result, "post_exits", None)
    if exits is not None:  # posts/ was read: the townships' exit list (有序退岗)
        target = out / files["posts_exit"]
        trial = not result.committed
        exit_book = write_post_exits(
            exits,
            target,
            month=result.month,
            trial=trial,
            created=created,
            staging=staging,
            lang=lang,
        )
        written.append(exit_book)
    undetermined = out / files["undetermined"]
    table = result.undetermined()
    if len(table):
        title = text("wb_sund_title", lang, county=text("wb_county", lang),
                     month=month_words(result.month, lang))  # fmt: skip
        sheet = Sheet(text("wb_sheet_undetermined", lang), undetermined_frame(table, lang), title)
        written.append(
            write_workbook(undetermined, [sheet], created=created, staging=staging, lang=lang)
        )
    elif undetermined.exists() and result.evaluations:
        # computed today and nobody undetermined: a list of an earlier run is no longer true
        # (a batch's files written again from the ledger know nothing of it: it stays)
        undetermined.unlink()
    return written


def batch_facts(result, lang: str = "zh") -> BatchFacts:
    """The policy file and the rules not computed (in the policy's order, with their
    reasons in ``lang``) that the payment workbook's 汇总 sheet shows."""
    policy = result.policy
    order = list(policy.rules)
    skipped = sorted(result.skipped.items(), key=lambda kv: order.index(kv[0])
                     if kv[0] in order else len(order))  # fmt: skip
    return BatchFacts(
        policy_name=Path(str(policy.path)).name if policy.path else "",
        policy_sha256=str(policy.sha256 or ""),
        skipped=tuple((code, policy.rule(code).name, why.text(lang)) for code, why in skipped),
    )


UNDETERMINED_LABELS = {  # column → catalogue key of its header
    "rule": "wb_sund_rule",
    "rule_name": "wb_sund_rule_name",
    "township": "wb_rc_township",
    "village": "wb_rc_village",
    "household_id": "wb_rc_household_id",
    "person_id": "wb_rc_id_number",
    "person_name": "wb_rc_name",
    "payee_name": "wb_sund_payee_name",
    "reason": "wb_sund_reason",
}


def undetermined_frame(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The 无法判断 list as written: headers and reasons in ``lang``, resident IDs masked."""
    shown = table.copy()
    shown["reason"] = shown["reason"].map(lambda reasons: in_words(reasons, lang))
    shown["person_id"] = shown["person_id"].astype(str).map(idcard.mask)
    return shown.rename(columns={c: text(k, lang) for c, k in UNDETERMINED_LABELS.items()})


def compute_and_write(
    data: Path, month: int, db: Path, out: Path, lang: str = "zh", **options
) -> tuple:
    """:func:`fengdu_cli.subsidy.compute_subsidies` and its files (in ``lang``), in the safe
    order: a new batch's files are written (to temporary names) before the commit and put in
    place after it; a failure then says the batch is recorded and how to write its files
    again."""
    from fengdu_cli.subsidy import compute_subsidies

    staged: list[Staging] = []

    def stage(result) -> Staging:
        staging = Staging()
        write_subsidy_files(result, out, staging, lang)
        staged.append(staging)
        return staging

    result = compute_subsidies(data, month, db, stage=stage, **options)
    if not (staged and result.newly_committed):
        return result, write_subsidy_files(result, out, lang=lang)
    try:
        return result, staged[0].publish()
    except OSError as exc:
        staged[0].discard()
        raise OutputError(
            "files_after_commit", batch=result.batch_id, month=dates.month_text(month),
            out=str(out), detail=exc.strerror or str(exc),
        ) from exc  # fmt: skip


def rewrite_batch_files(
    month: int, db: Path, out: Path, policy_path: Path | None = None, lang: str = "zh"
):
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
    return result, write_subsidy_files(result, out, lang=lang)
