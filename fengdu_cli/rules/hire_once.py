"""一次性吸纳就业补贴 (hire_once) — paid to the employer, once per person ever.

DESIGN §6: 脱贫人口; a 全日制 job active at m with an employer that insured the person
12 consecutive months at m (notice 一(二)3: 连续缴纳1年以上且仍在缴纳).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fengdu_cli.reconcile import consecutive_months
from fengdu_cli.rules.base import (
    JOB_DATES,
    Condition,
    Context,
    amount_fen,
    finish,
    person_columns,
    person_unknowns,
)
from fengdu_cli.rules.facts import active_jobs, is_in_categories

CODE = "hire_once"
NEEDS: tuple[str, ...] = ()
CONDITIONS = (
    Condition("category", "人员类别属于 {categories}", ("roster.category",)),
    Condition(
        "full_time_job",
        "月末有在岗的{employment_type}就业",
        (*JOB_DATES, "employment.employment_type"),
    ),
    Condition("insured", "该单位连续为其缴纳社保满{min_insured_months}个月（至本月）"),
)


def evaluate(ctx: Context, values: Mapping[str, object]) -> pd.DataFrame:
    state = ctx.state
    need = int(values["min_insured_months"])
    kind = str(values.get("employment_type", "全日制"))
    jobs = active_jobs(ctx.matched.jobs, ctx.window)
    jobs = jobs[jobs["employment_type"] == kind]
    contrib = ctx.matched.contrib[ctx.matched.contrib["period"] <= ctx.month]
    pairs = contrib.merge(
        jobs[["id_number", "employer_code"]].drop_duplicates(), on=["id_number", "employer_code"]
    )
    runs = (
        consecutive_months(pairs, ["id_number", "employer_code"], ctx.month)
        .rename("run")
        .reset_index()
    )
    best = jobs.merge(runs, on=["id_number", "employer_code"], how="left").fillna({"run": 0})
    best = best.sort_values(
        ["id_number", "run", "start_date"], ascending=[True, False, True], kind="stable"
    )
    best = best.groupby("id_number").head(1).set_index("id_number")

    out = person_columns(state)
    ids = state["id_number"]
    out["c_category"] = is_in_categories(state, list(values["categories"])).to_numpy()
    out["v_category"] = state["category"].to_numpy()
    out["c_full_time_job"] = ids.isin(best.index).to_numpy()
    out["v_full_time_job"] = ids.map(best["employer_name"]).astype(object).fillna("无").to_numpy()
    run = ids.map(best["run"]).astype(object).fillna(0).astype(int)
    out["c_insured"] = (run >= need).to_numpy()
    out["v_insured"] = run.astype(str).add("个月").to_numpy()
    out["payee_type"] = "employer"
    out["payee_id"] = ids.map(best["employer_code"]).astype(object).fillna("").to_numpy()
    out["payee_name"] = ids.map(best["employer_name"]).astype(object).fillna("").to_numpy()
    out["amount_fen"] = amount_fen(values)
    out["key_base"] = ids.to_numpy()
    out["basis"] = (
        "脱贫人口，"
        + out["payee_name"]
        + "全日制在岗，该单位连续缴纳社保"
        + run.astype(str).to_numpy()
        + "个月"
    )
    unknown = person_unknowns(state, CONDITIONS, ids)
    return finish(out, CONDITIONS, values, unknown)
