"""就业帮扶车间带动就业奖补 (workshop_monthly) — paid to the workshop, per person per month.

DESIGN §6: any roster person; a job active at m at a recognised workshop (workshops/
list), stable for 3 months; 500 yuan for month m; at most 36 paid months per person
(notice 二(二): 稳定就业3个月以上的，按每名500元/月…最长不超过3年).  The cap counts
committed months and is applied by the ledger step.
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli import dates
from fengdu_cli.match import stable_for
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import WorkshopMonthlyValues
from fengdu_cli.rules.base import (
    JOB_DATES,
    Condition,
    Context,
    fact_words,
    finish,
    person_columns,
    person_unknowns,
)
from fengdu_cli.rules.facts import active_jobs, first_per_person

CODE = "workshop_monthly"
NEEDS: tuple[str, ...] = ("workshops",)
VALUES = WorkshopMonthlyValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("workshop_job", "cond_workshop_monthly_workshop_job", JOB_DATES),
    Condition("stable", "cond_workshop_monthly_stable", JOB_DATES, fact="fact_since"),
)


def recognised(workshops: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Workshops recognised during month m (by their dates when the list gives them)."""
    frame = workshops.copy()
    ok = pd.Series(True, index=frame.index)
    if "recognised_date" in frame:
        ok &= frame["recognised_date"].isna() | (frame["recognised_date"] <= ctx.window.last)
    if "valid_until" in frame:
        ok &= frame["valid_until"].isna() | (frame["valid_until"] >= ctx.window.first)
    return frame[ok].drop_duplicates("employer_code")


def evaluate(ctx: Context, values: WorkshopMonthlyValues) -> pd.DataFrame:
    state = ctx.state
    need = values.min_stable_months
    shops = recognised(ctx.extra["workshops"], ctx)
    names = shops.set_index("employer_code")["workshop_name"]
    jobs = active_jobs(ctx.matched.jobs, ctx.window)
    jobs = jobs[jobs["employer_code"].isin(names.index)].copy()
    jobs["stable"] = stable_for(jobs, ctx.window, need)
    jobs = jobs.sort_values(
        ["id_number", "stable", "start_date"], ascending=[True, False, True], kind="stable"
    )
    best = first_per_person(jobs.drop_duplicates("id_number"))

    ids = state["id_number"]
    out = person_columns(state)
    out["c_workshop_job"] = ids.isin(best.index).to_numpy()
    out["v_workshop_job"] = ids.map(best["employer_code"].map(names)).astype(object).to_numpy()
    out["c_stable"] = ids.map(best["stable"]).astype(object).fillna(False).astype(bool).to_numpy()
    out["v_stable"] = ids.map(best["start_date"].dt.strftime("%Y-%m-%d")).astype(object).to_numpy()
    out["payee_type"] = "workshop"
    out["payee_id"] = ids.map(best["employer_code"]).astype(object).fillna("").to_numpy()
    out["payee_name"] = out["payee_id"].map(names).astype(object).fillna("").to_numpy()
    out["amount_fen"] = to_fen(values.amount)
    out["key_base"] = ids.to_numpy()
    out["identities"] = ids.to_numpy()
    # 依据 says since when and how many whole months the person has worked there by the end of m
    start = pd.to_datetime(ids.map(best["start_date"].astype(object)), errors="coerce")
    whole = (
        dates.month_index(ctx.month)
        - (start.dt.year * 12 + start.dt.month - 1)
        + (start.dt.day == 1).astype(int)
    )
    held = whole.map(lambda n: "" if pd.isna(n) else str(int(n))).astype(object).to_numpy()
    out["basis"] = (
        "在" + out["payee_name"] + "稳定就业（" + fact_words(out, CONDITIONS[1])
        + "，至" + dates.month_text(ctx.month) + "末满" + held + "个月）"
    )  # fmt: skip
    unknown = person_unknowns(state, CONDITIONS, ids)
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)
