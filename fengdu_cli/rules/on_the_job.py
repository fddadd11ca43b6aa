"""Shared by work_training and shandong_work_training: 以工代训 rows of training/.

Notice 一(二)2: “企业、农民专业合作社和就业帮扶车间等各类生产经营主体吸纳贫困劳动力就业并开展以工代训，
给予不超过500元/人·月，每人每年不超过6个月培训补贴。”  一(三): “继续执行……以工代训补贴”
(鲁渝协作, 丰人社发〔2021〕75号).

A candidate is a row of the training list of the program's type (以工代训 / 鲁渝协作以工代训)
for month m (or whose month cannot be read).  It is paid to the enterprise when the person
is 脱贫人口 on the roster and has a job active at the end of m at the row's credit code;
the amount is what the row claims, at most ``amount_max`` (the whole ``amount_max`` where the
list has no 申请金额 or leaves it blank: 本工具的理解).  One line per person and month; the
months per person and calendar year are capped by the ledger (``max_months_per_year``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import WorkTrainingValues
from fengdu_cli.rules.base import (
    JOB_DATES,
    Condition,
    Context,
    condition_said,
    finish,
    person_unknowns,
)
from fengdu_cli.rules.facts import active_jobs, is_in_categories

KIND = "training"


# A rule that leaves to another the person-months that one finds eligible (one training
# month is one training, paid from one fund: see subsidy.SHARED_SCOPE), and that other rule.
LEAVES_TO: dict[str, str] = {"shandong_work_training": "work_training"}


def conditions(code: str) -> tuple[Condition, ...]:
    """The conditions of the rule ``code`` (their words are ``cond_<code>_<name>``)."""
    return (
        Condition("month", f"cond_{code}_month", ("training.period",)),
        Condition("category", "cond_category", ("roster.category",)),
        Condition("employed", f"cond_{code}_employed", JOB_DATES),
        Condition("claim", f"cond_{code}_claim", fact="fact_claimed"),
        Condition("single", f"cond_{code}_single"),
        *((Condition("other_program", f"cond_{code}_other_program"),) if code in LEAVES_TO else ()),
    )


def leave_to_other(
    frame: pd.DataFrame,
    code: str,
    evaluated: Mapping[str, pd.DataFrame],
    shown: Mapping[str, object],
) -> pd.DataFrame:
    """``frame`` (rule ``code``'s rows of month m) with every eligible row of a person whom
    the rule ``LEAVES_TO[code]`` found eligible this month failing ``other_program``.  That
    rule is evaluated first (policy order); when it is not computed this month (expired,
    未配置) it pays nobody and nothing is left to it."""
    other = evaluated.get(LEAVES_TO[code])
    if other is None or not len(frame):
        return frame
    taken = set(other.loc[other["eligible"].astype(bool), "person_id"])
    if not taken:
        return frame
    frame = frame.copy()
    hit = frame["person_id"].isin(taken)
    frame["c_other_program"] = ~hit
    frame["v_other_program"] = frame["v_other_program"].astype(object)
    frame.loc[hit, "v_other_program"] = LEAVES_TO[code]
    again = frame["eligible"] & hit
    frame.loc[again, "eligible"] = False
    if again.any():
        cond = next(c for c in conditions(code) if c.name == "other_program")
        frame["failed"] = frame["failed"].astype(object)
        frame.loc[again, "failed"] = condition_said(cond, shown)  # type: ignore[call-overload]
    return frame


def with_blank_gaps(rows: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``rows`` with a blank cell of ``columns`` marked as unknown (``_gap_<column>``
    'blank') where nothing else is said about it: a row of a list that must say it."""
    rows = rows.copy()
    for column in columns:
        name = gaps.gap_column(column)
        if name not in rows:
            rows[name] = ""
        rows[name] = rows[name].fillna("").astype(object)
        if column in rows:
            empty = rows[column].isna() | rows[column].astype(str).eq("")
            rows.loc[empty & rows[name].eq(""), name] = "blank"
    return rows


def bad_number_reasons(rows: pd.DataFrame, column: str) -> pd.Series:
    """Per row: why ``column`` is unknown when something was typed that is not a number
    (a Said), else ''."""
    out = pd.Series("", index=rows.index, dtype=object)
    raw = f"_raw_{column}"
    if column not in rows or raw not in rows:
        return out
    typed = rows[raw].notna() & rows[raw].astype(str).str.strip().ne("")
    bad = typed & rows[column].isna()
    if bad.any():
        said = [
            gaps.reason(KIND, column, "bad_value", f, s, r, v)
            for f, s, r, v in zip(
                rows.loc[bad, "_file"], rows.loc[bad, "_sheet"], rows.loc[bad, "_row"],
                rows.loc[bad, raw], strict=True,
            )
        ]  # fmt: skip
        out[bad] = gaps.objects(said, out.index[bad])
    return out


def first_of_each(keys: pd.Series, eligible: pd.Series) -> pd.Series:
    """True for a row unless an earlier eligible row has the same key (one per key)."""
    earlier = eligible.groupby(keys).transform(lambda s: s.shift(fill_value=False).cummax())
    return ~earlier.astype(bool)


def person_of_rows(ctx: Context, rows: pd.DataFrame, categories: tuple[str, ...]) -> pd.DataFrame:
    """The roster columns of each row's person (blank where not on the roster), with
    ``on_roster`` and the category facts."""
    state = ctx.state.drop_duplicates("id_number").set_index("id_number")
    ids = rows["id_number"]
    people = state.reindex(ids)
    on_roster = ids.isin(state.index).to_numpy()

    def column(name: str, fallback: pd.Series | str = "") -> np.ndarray:
        if name in people:
            values = people[name].astype(object).to_numpy()
        else:
            values = np.full(len(ids), None, dtype=object)
        other = (
            fallback.astype(object).to_numpy()
            if isinstance(fallback, pd.Series)
            else np.full(len(ids), fallback, dtype=object)
        )
        picked = np.where(on_roster, values, other)
        return pd.Series(picked, dtype=object).fillna("").to_numpy()

    out = pd.DataFrame(
        {
            "person_id": ids.to_numpy(),
            "person_name": column("name", rows.get("name", "")),
            "township": column("township", rows.get("township", "")),
            "village": column("village"),
            "household_id": column("household_id"),
        },
        index=rows.index,
    )
    out["on_roster"] = on_roster
    out["category_ok"] = on_roster & is_in_categories(people.reset_index(), categories).to_numpy()
    out["category"] = column("category")
    out["f_category"] = np.where(on_roster, "", "fact_not_on_roster").astype(object)
    return out


def evaluate(ctx: Context, values: WorkTrainingValues, code: str, program: str) -> pd.DataFrame:
    """One row per 以工代训 row of type ``program`` for month m (see the module)."""
    conds = conditions(code)
    month = ctx.month
    rows = ctx.extra[KIND]
    rows = rows[rows["training_type"].eq(program)] if "training_type" in rows else rows.iloc[0:0]
    period = rows["period"] if "period" in rows else pd.Series(pd.NA, index=rows.index)
    rows = rows[period.isna() | period.eq(month)]
    rows = with_blank_gaps(rows, ("period",))
    rows = rows.sort_values(["_file", "_sheet", "_row"], kind="stable").reset_index(drop=True)

    out = person_of_rows(ctx, rows, values.categories)

    period = rows["period"] if "period" in rows else pd.Series(pd.NA, index=rows.index)
    out["c_month"] = period.eq(month).fillna(False).astype(bool).to_numpy()
    out["v_month"] = [dates.month_text(int(p)) if not pd.isna(p) else None for p in period]

    out["c_category"] = out["category_ok"]
    out["v_category"] = out["category"]

    # a job active at the end of m at the row's enterprise (by credit code)
    codes = (
        rows["employer_code"].fillna("").astype(str)
        if "employer_code" in rows
        else pd.Series("", index=rows.index)
    )
    jobs = active_jobs(ctx.matched.jobs, ctx.window)
    pairs = jobs.drop_duplicates(["id_number", "employer_code"]).set_index(
        ["id_number", "employer_code"]
    )["employer_name"]
    wanted = pd.MultiIndex.from_arrays([rows["id_number"], codes])
    job_names = pd.Series(pairs.reindex(wanted).to_numpy(), index=rows.index, dtype=object)
    listed_name = (
        rows["employer_name"].fillna("").astype(str)
        if "employer_name" in rows
        else pd.Series("", index=rows.index)
    )
    out["c_employed"] = (job_names.notna() & codes.ne("")).to_numpy()
    shown = listed_name.where(listed_name.ne(""), codes)
    out["v_employed"] = shown.where(shown.ne(""), None).to_numpy()
    out["f_employed"] = np.where(codes.eq(""), "fact_no_credit_code", "").astype(object)

    # the amount: what the row claims, at most amount_max; the whole amount_max where the
    # list has no 申请金额 or leaves it blank (本工具的理解)
    most = to_fen(values.amount_max)
    claimed = (
        pd.to_numeric(rows["amount"], errors="coerce")
        if "amount" in rows
        else pd.Series(np.nan, index=rows.index)
    )
    typed = (
        rows["_raw_amount"].notna() & rows["_raw_amount"].astype(str).str.strip().ne("")
        if "_raw_amount" in rows
        else pd.Series(False, index=rows.index)
    )
    claimed_fen = (claimed * 100).round()
    amount = np.where(
        claimed.notna(), np.minimum(claimed_fen.fillna(0), most), np.where(typed, 0, most)
    ).astype("int64")
    out["c_claim"] = (amount > 0) & ~(claimed.notna() & (claimed <= 0)).to_numpy()
    out["v_claim"] = claimed.map(lambda v: f"{v:.2f}").astype(object).where(claimed.notna(), None)
    out["f_claim"] = np.where(claimed.isna() & ~typed, "fact_no_claim", "").astype(object)
    out["v_claim__most"] = f"{values.amount_max:.2f}"

    out["payee_type"] = "employer"
    out["payee_id"] = codes.to_numpy()
    payee_name = job_names.where(job_names.notna(), listed_name).fillna("").astype(str)
    out["payee_name"] = payee_name.where(payee_name.ne(""), listed_name).to_numpy()
    out["amount_fen"] = amount
    out["key_base"] = out["person_id"]
    out["identities"] = out["person_id"]
    out["basis"] = (
        dates.month_text(month)
        + program
        + "：在"
        + out["payee_name"].astype(str)
        + "就业，"
        + np.where(
            claimed.notna(),
            "申请" + claimed.map(lambda v: f"{v:.2f}").astype(str) + "元",
            "未填申请金额",
        )
        + f"，不超过{values.amount_max:.2f}元/人·月"
    )
    unknown: dict[str, object] = dict(person_unknowns(ctx.state, conds, out["person_id"]))
    unknown["month"] = gaps.reasons(rows, KIND, "period").to_numpy()
    unknown["claim"] = bad_number_reasons(rows, "amount").to_numpy()
    out["c_single"] = True
    out["v_single"] = out["payee_name"]
    if code in LEAVES_TO:  # judged once the other rule is (leave_to_other)
        out["c_other_program"] = True
        out["v_other_program"] = None
    out = finish(out, conds, values.shown(month), unknown)
    # one line per person and month: a later row of a person already eligible is not paid
    single = first_of_each(out["person_id"], out["eligible"])
    out["c_single"] = single.to_numpy()
    again = out["eligible"] & ~single
    out.loc[again, "eligible"] = False
    if again.any():
        single_cond = next(c for c in conds if c.name == "single")
        out.loc[again, "failed"] = condition_said(single_cond, values.shown(month))  # type: ignore[call-overload]
    return out.drop(columns=["on_roster", "category_ok", "category"])
