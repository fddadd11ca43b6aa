"""What the agencies' rules share: the placements list (agencies/), who is paid for a row,
the person's columns, the job at the employer a row names, and "first claim wins".

A row of agencies/ is one person placed by one 人力资源服务机构 or 劳务经纪人 with one
employer.  The agency is paid: its credit code, else the broker's ID (劳务经纪人身份证号), each checked
(:func:`payees`); a row with neither, or with an invalid one, cannot be paid and fails its
``payee`` condition (never dropped).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from fengdu_cli import gaps, idcard
from fengdu_cli.normalise import credit_check_ok
from fengdu_cli.rules.base import Condition, Context
from fengdu_cli.rules.facts import text_column


def claims(ctx: Context) -> pd.DataFrame:
    """The placements, earliest placement date first (no date: last), then in list order."""
    frame = ctx.extra["agencies"].copy()
    for column in ("agency_code", "broker_id", "employer_code", "employer_name", "name"):
        frame[column] = text_column(frame, column).astype(str)
    if "placement_date" not in frame:
        frame["placement_date"] = pd.NaT
    frame["_order"] = np.arange(len(frame))
    frame = frame.sort_values(["placement_date", "_order"], kind="stable", na_position="last")
    return frame.reset_index(drop=True)


def flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """True where a yes/no column says yes (no column, blank, no or unread: False)."""
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].map(lambda v: v is True).astype(bool)


def typed(frame: pd.DataFrame, column: str) -> pd.Series:
    """What was typed in ``column`` (for a fact shown as it is)."""
    source = f"_raw_{column}" if f"_raw_{column}" in frame else column
    if source not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[source].map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))


def value_unknown(
    frame: pd.DataFrame, column: str, causes: tuple[str, ...] = gaps.CAUSES
) -> pd.Series:
    """Per row: why ``column`` of agencies/ is unknown (a Said), '' where known — only the
    ``causes`` given (a missing column may say nothing for one rule)."""
    reasons = gaps.reasons(frame, "agencies", column)
    name = gaps.gap_column(column)
    if name not in frame:
        return reasons
    return reasons.where(frame[name].fillna("").isin(causes), "")


def add_payee(out: pd.DataFrame, unknown: dict[str, object], rows: pd.DataFrame) -> None:
    """The payee condition (``c_/v_/f_payee``, its unknown reason) and the payee columns of
    a rule paying the agency or broker of each claim row (job_intro, recruit_award)."""
    payee = payees(rows)
    out["c_payee"] = payee["ok"].to_numpy(dtype=bool)
    out["v_payee"] = payee["shown"].to_numpy()
    out["f_payee"] = payee["fact"].to_numpy()
    unknown["payee"] = payee["unknown"].to_numpy()
    out["payee_type"] = "agency"
    out["payee_id"] = payee["id"].to_numpy()
    out["payee_name"] = rows["agency_name"].astype(str).to_numpy()


def payees(frame: pd.DataFrame) -> pd.DataFrame:
    """Who is paid for each row, with the columns ``id`` (the payee's credit code or ID; ''
    when none can be paid), ``shown`` (what the fact shows: an ID masked), ``ok``, ``fact``
    (the fact's key where the payee fails: '' or ``fact_…``) and ``unknown`` (why the payee
    cannot be told: a Said, '' where it can).

    The agency's credit code when one is typed: it must be a valid unified social credit code
    (GB 32100 shape and check character), else the row fails naming it.  Without a code, the
    broker's ID (劳务经纪人身份证号), which must be a valid resident ID (format, check digit,
    birth date; a 15-digit ID is upgraded); an ID Excel stored as a number (its last digits
    lost) is 无法判断; any other invalid ID fails naming it (masked).  Neither: fails."""
    code = frame["agency_code"].astype(str)
    broker = frame["broker_id"].astype(str)
    check = (
        frame["_broker_id_code"].astype(object)
        if "_broker_id_code" in frame
        else pd.Series(None, index=frame.index, dtype=object)
    )
    has_code = code.ne("")
    code_ok = code.map(credit_check_ok).astype(bool)
    has_broker = ~has_code & broker.ne("")
    id_ok = check.isna() | check.eq("id_15_digit")
    broker_ok = has_broker & id_ok.astype(bool)
    unreadable = has_broker & check.eq("id_precision_lost").fillna(False).astype(bool)
    out = pd.DataFrame(index=frame.index)
    out["ok"] = (has_code & code_ok) | broker_ok
    out["id"] = code.where(has_code & code_ok, broker.where(broker_ok, ""))
    out["shown"] = code.map(idcard.mask_in_text).where(
        has_code, broker.map(lambda s: idcard.mask(s) if s else "")
    )
    out["fact"] = np.select(
        [has_code & ~code_ok, has_broker & ~broker_ok & ~unreadable],
        ["fact_credit_code_invalid", "fact_broker_id_invalid"],
        "",
    ).astype(object)
    out["unknown"] = pd.Series("", index=frame.index, dtype=object)
    if unreadable.any():
        rows = frame[unreadable]
        raws = rows["_raw_broker_id"] if "_raw_broker_id" in rows else rows["broker_id"]
        said = [
            gaps.reason("agencies", "broker_id", "bad_value", f, sh, r, idcard.mask_in_text(
                idcard.excel_number_text(v) if isinstance(v, float) else str(v)))
            for f, sh, r, v in zip(rows["_file"], rows["_sheet"], rows["_row"], raws, strict=True)
        ]  # fmt: skip
        out.loc[unreadable, "unknown"] = gaps.objects(said, rows.index)
    return out


def person_frame(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    """The person columns of each row: from the roster when the person is on it, else the
    list's own name (no township, village or household then)."""
    state = ctx.state.set_index("id_number")
    people = state.reindex(rows["id_number"])
    out = pd.DataFrame(index=rows.index)
    out["person_id"] = rows["id_number"].to_numpy()
    out["person_name"] = (
        people["name"].fillna("").astype(str).to_numpy()
        if "name" in people
        else np.full(len(rows), "", dtype=object)
    )
    out["person_name"] = out["person_name"].where(out["person_name"].ne(""), rows["name"])
    for column in ("township", "village", "household_id"):
        values = people[column] if column in people else pd.Series("", index=people.index)
        out[column] = values.fillna("").astype(str).to_numpy()
    return out


def jobs_at_employer(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    """Every employment row of each placement's person at the placement's employer that began
    on or after the placement date (本工具的理解：介绍后实现的就业), with ``_claim`` (the row)."""
    jobs = ctx.all_jobs
    wanted = rows[["id_number", "employer_code", "placement_date"]].assign(_claim=rows.index)
    wanted = wanted[wanted["employer_code"].ne("")]
    found = wanted.merge(jobs, on=["id_number", "employer_code"], how="inner")
    after = found["placement_date"].isna() | (found["start_date"] >= found["placement_date"])
    return found[after & found["start_date"].notna()].reset_index(drop=True)


def first_claims(rows: pd.DataFrame, ok: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Once per person: of the rows that meet every other condition (``ok``), the first
    (rows are in claim order) is the one paid.  (is not a later claim, the agency that
    claimed first) per row."""
    first = pd.Series(True, index=rows.index)
    earlier = pd.Series("", index=rows.index, dtype=object)
    meeting = rows[ok]
    if meeting.empty:
        return first, earlier
    winner = meeting.groupby("id_number").head(1)
    by_person = winner.set_index("id_number")["agency_name"]
    first_index = set(winner.index)
    later = ok & ~rows.index.isin(first_index)
    first[later] = False
    earlier[later] = rows.loc[later, "id_number"].map(by_person).fillna("")
    return first, earlier


def mark_once(
    out: pd.DataFrame,
    rows: pd.DataFrame,
    others: Sequence[Condition],
    unknown: Mapping[str, object],
) -> None:
    """The ``once`` condition of ``out``: a row meeting every condition of ``others`` (none of
    them unknown) that another agency claimed first fails, the fact naming that agency."""
    ok = pd.Series(True, index=rows.index)
    for cond in others:
        ok &= pd.Series(out[f"c_{cond.name}"].to_numpy(dtype=bool), index=rows.index)
        reason = unknown.get(cond.name)
        if reason is not None:
            ok &= gaps.known(pd.Series(reason, index=rows.index, dtype=object))
    first, earlier = first_claims(rows, ok)
    out["c_once"] = first.to_numpy()
    out["v_once"] = earlier.where(earlier.ne(""), None).to_numpy()
    out["f_once"] = np.where(first, "", "fact_claimed_before").astype(object)
