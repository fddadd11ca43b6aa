"""一次性吸纳就业补贴 (hire_once) — paid to the employer, once per person ever.

Notice 一(二)3: “对招用我市户籍脱贫人员，与其签订劳动合同，并按规定连续缴纳1年以上且仍在缴纳社会保险费
的各类企业，按6000元/人标准给予一次性吸纳就业补贴。”  Conditions, each with its value in
``explain``:

- 脱贫人口 (the category facts of the policy; a 脱贫不稳定户 is one);
- 我市户籍: the roster's 户籍地 is in Chongqing (policy ``hukou``); a roster without the
  column, or a blank cell, is taken as registered in Chongqing (a Fengdu roster lists
  Fengdu households) — and ``explain`` says so;
- a 全日制 job active at m (签订劳动合同);
- 本工具的理解: hired inside the policy period — the job started on or after
  ``hired_from`` (default the notice's date);
- 本工具的理解: an employer in the county's remit (``employer_scope``, default 500230):
  its credit code is registered in the county, or the insurance export's 参保地 says it
  insures the person in the county — each district pays its own employers;
- that employer insured the person ``min_insured_months`` consecutive months up to m.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli import gaps
from fengdu_cli.match import consecutive_months
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import HireOnceValues
from fengdu_cli.regions import region_class
from fengdu_cli.rules.base import (
    JOB_DATES,
    Condition,
    Context,
    fact_words,
    finish,
    person_columns,
    person_unknowns,
)
from fengdu_cli.rules.facts import (
    active_jobs,
    employer_in_remit,
    is_in_categories,
    text_column,
)

CODE = "hire_once"
NEEDS: tuple[str, ...] = ()
VALUES = HireOnceValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("category", "cond_category", ("roster.category",)),
    Condition("hukou", "cond_hire_once_hukou"),
    Condition(
        "full_time_job", "cond_hire_once_full_time_job", (*JOB_DATES, "employment.employment_type")
    ),
    # judged on that full-time job: unknown too when which job is full-time is unknown
    Condition("hired", "cond_hire_once_hired", (*JOB_DATES, "employment.employment_type")),
    Condition("employer", "cond_hire_once_employer", ("employment.employment_type",)),
    Condition(
        "insured", "cond_hire_once_insured", ("employment.employment_type",), fact="fact_months"
    ),
)
ALLOWED_HUKOU = {
    "chongqing": ("county", "chongqing"),
    "county": ("county",),
    "any": ("county", "chongqing", "outside", "shandong"),
}


def evaluate(ctx: Context, values: HireOnceValues) -> pd.DataFrame:
    state = ctx.state
    need = values.min_insured_months
    kind = values.employment_type
    jobs = active_jobs(ctx.matched.jobs, ctx.window)
    jobs = jobs[jobs["employment_type"] == kind]
    # only what the run and the remit read: a county's million rows carry some 25 columns
    known = ctx.matched.contrib
    read = [c for c in ("id_number", "employer_code", "period", "insured_region") if c in known]
    contrib = known.loc[known["period"] <= ctx.month, read]
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
    out["c_category"] = is_in_categories(state, values.categories).to_numpy()
    out["v_category"] = text_column(state, "category").to_numpy()
    hukou_ok, hukou_shown, hukou_key, hukou_unknown = _hukou(state, values.hukou)
    out["c_hukou"], out["v_hukou"], out["f_hukou"] = hukou_ok, hukou_shown, hukou_key
    out["c_full_time_job"] = ids.isin(best.index).to_numpy()
    out["v_full_time_job"] = ids.map(best["employer_name"]).astype(object).to_numpy()
    start = pd.Series(
        pd.to_datetime(best["start_date"].reindex(ids.to_numpy())).to_numpy(), index=ids.index
    )
    hired_from = pd.Timestamp(values.hired_from)
    out["c_hired"] = (start >= hired_from).fillna(False).to_numpy()
    out["v_hired"] = start.dt.strftime("%Y-%m-%d").astype(object).to_numpy()
    employer_ok, registered, employer_key = _in_remit(best, ids, contrib, values.employer_scope)
    out["c_employer"], out["v_employer"], out["f_employer"] = employer_ok, registered, employer_key
    run = ids.map(best["run"]).astype(object).fillna(0).astype(int)
    out["c_insured"] = (run >= need).to_numpy()
    out["v_insured"] = run.astype(str).to_numpy()
    out["payee_type"] = "employer"
    out["payee_id"] = ids.map(best["employer_code"]).astype(object).fillna("").to_numpy()
    out["payee_name"] = ids.map(best["employer_name"]).astype(object).fillna("").to_numpy()
    out["amount_fen"] = to_fen(values.amount)
    out["key_base"] = ids.to_numpy()
    out["identities"] = ids.to_numpy()  # the person hired: once, whoever hires them
    out["basis"] = (
        "脱贫人口"
        + out["person_name"].astype(str)
        + "，"
        + fact_words(out, CONDITIONS[3])
        + "入职"
        + out["payee_name"]
        + "（全日制），该单位连续缴纳社保"
        + run.astype(str).to_numpy()
        + "个月"
    )
    unknown = person_unknowns(state, CONDITIONS, ids)
    unknown["hukou"] = hukou_unknown
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)


def _hukou(state: pd.DataFrame, rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(meets the rule, the value as typed, the key that words it, why it cannot be judged)
    per person.

    No 户籍地 column, or a blank cell: taken as registered in Chongqing (said so)."""
    allowed = ALLOWED_HUKOU.get(rule, ALLOWED_HUKOU["chongqing"])
    n = len(state)
    if "hukou" not in state:
        key = np.full(n, "fact_hukou_no_column", dtype=object)
        nothing = np.full(n, "", dtype=object)
        return np.ones(n, dtype=bool), nothing, key, nothing.copy()
    text = state["hukou"].fillna("").astype(str)
    cls = text.map(region_class)
    blank = text.eq("")
    ok = (blank | cls.isin(allowed)).to_numpy()
    key = np.where(blank, "fact_hukou_blank", "").astype(object)
    unread = ~blank & cls.eq("unknown")
    unknown = pd.Series("", index=state.index, dtype=object)
    if unread.any():
        said = [(Said("gap_hukou_unknown", {"value": v}),) for v in text[unread]]
        unknown[unread] = gaps.objects(said, state.index[unread])
    return ok, text.to_numpy(dtype=object), key, unknown.to_numpy(dtype=object)


def _in_remit(
    best: pd.DataFrame, ids: pd.Series, contrib: pd.DataFrame, region: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Is the employer of each person's job in the county's remit (see
    :func:`fengdu_cli.rules.facts.employer_in_remit`)."""
    code = ids.map(best["employer_code"]).astype(object).fillna("")
    return employer_in_remit(ids, code, contrib, region)
