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

from fengdu_cli.match import consecutive_months
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import HireOnceValues
from fengdu_cli.regions import region_class
from fengdu_cli.rules.base import (
    JOB_DATES,
    Condition,
    Context,
    finish,
    person_columns,
    person_unknowns,
)
from fengdu_cli.rules.facts import active_jobs, is_in_categories, text_column

CODE = "hire_once"
NEEDS: tuple[str, ...] = ()
VALUES = HireOnceValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("category", "人员类别属于 {categories}", ("roster.category",)),
    Condition("hukou", "本市户籍（花名册户籍地：{hukou_text}）"),
    Condition(
        "full_time_job",
        "月末有在岗的{employment_type}就业",
        (*JOB_DATES, "employment.employment_type"),
    ),
    # judged on that full-time job: unknown too when which job is full-time is unknown
    Condition(
        "hired",
        "入职日期不早于{hired_from}（政策执行期内招用；本工具的理解）",
        (*JOB_DATES, "employment.employment_type"),
    ),
    Condition(
        "employer",
        "用人单位在本县（{employer_text}；本工具的理解）",
        ("employment.employment_type",),
    ),
    Condition(
        "insured",
        "该单位连续为其缴纳社保满{min_insured_months}个月（至本月）",
        ("employment.employment_type",),
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
    out["c_category"] = is_in_categories(state, values.categories).to_numpy()
    out["v_category"] = text_column(state, "category").to_numpy()
    hukou_ok, hukou_shown, hukou_unknown = _hukou(state, values.hukou)
    out["c_hukou"], out["v_hukou"] = hukou_ok, hukou_shown
    out["c_full_time_job"] = ids.isin(best.index).to_numpy()
    out["v_full_time_job"] = ids.map(best["employer_name"]).astype(object).fillna("无").to_numpy()
    start = pd.Series(
        pd.to_datetime(best["start_date"].reindex(ids.to_numpy())).to_numpy(), index=ids.index
    )
    hired_from = pd.Timestamp(values.hired_from)
    out["c_hired"] = (start >= hired_from).fillna(False).to_numpy()
    out["v_hired"] = start.dt.strftime("%Y-%m-%d").fillna("无").to_numpy()
    employer_ok, employer_shown = _in_remit(best, ids, contrib, values.employer_scope)
    out["c_employer"], out["v_employer"] = employer_ok, employer_shown
    run = ids.map(best["run"]).astype(object).fillna(0).astype(int)
    out["c_insured"] = (run >= need).to_numpy()
    out["v_insured"] = run.astype(str).add("个月").to_numpy()
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
        + out["v_hired"]
        + "入职"
        + out["payee_name"]
        + "（全日制），该单位连续缴纳社保"
        + run.astype(str).to_numpy()
        + "个月"
    )
    unknown = person_unknowns(state, CONDITIONS, ids)
    unknown["hukou"] = hukou_unknown
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)


def _hukou(state: pd.DataFrame, rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(meets the rule, the value shown, why it cannot be judged) per person.

    No 户籍地 column, or a blank cell: taken as registered in Chongqing (said so)."""
    allowed = ALLOWED_HUKOU.get(rule, ALLOWED_HUKOU["chongqing"])
    if "hukou" not in state:
        n = len(state)
        shown = np.full(n, "花名册无户籍地列，视为本市户籍", dtype=object)
        return np.ones(n, dtype=bool), shown, np.full(n, "", dtype=object)
    text = state["hukou"].fillna("").astype(str)
    cls = text.map(region_class)
    blank = text.eq("")
    ok = (blank | cls.isin(allowed)).to_numpy()
    shown = text.where(~blank, "户籍地为空，视为本市户籍").to_numpy(dtype=object)
    unknown = ("户籍地“" + text + "”无法识别").where(~blank & cls.eq("unknown"), "")
    return ok, shown, unknown.to_numpy(dtype=object)


def _in_remit(
    best: pd.DataFrame, ids: pd.Series, contrib: pd.DataFrame, region: str
) -> tuple[np.ndarray, np.ndarray]:
    """Is the employer of each person's job in the county's remit, and what says so."""
    code = ids.map(best["employer_code"]).astype(object).fillna("")
    if region == "any":
        return np.ones(len(ids), dtype=bool), np.full(len(ids), "不限", dtype=object)
    registered = code.str[2:8]
    by_code = registered.eq(region)
    insured_here = pd.Series(False, index=ids.index)
    if "insured_region" in contrib:
        rows = contrib[contrib["insured_region"].map(region_class).eq("county")]
        here = set(zip(rows["id_number"], rows["employer_code"], strict=True))
        insured_here = pd.Series(
            [(i, c) in here for i, c in zip(ids, code, strict=True)], index=ids.index
        )
    shown = np.where(
        code.eq(""),
        "无",
        np.where(
            by_code,
            "信用代码登记地" + registered,
            np.where(
                insured_here, "参保地为丰都县", "信用代码登记地" + registered + "，参保地不在本县"
            ),
        ),
    )
    return (by_code | insured_here).to_numpy(), shown.astype(object)
