"""市重点电子企业招聘补贴 (recruit_award) — paid to the agency, once per recruit, ever.

Notice 一(一)3(2): “引导和动员贫困人口到市重点电子企业务工。市重点电子企业用工保障人力资源服务机构
补贴政策继续按丰都府办〔2021〕27号文件执行，招聘补贴在每年县级招工项目预算经费中列支，确保每年完成
6100人以上。”  The per-recruit amount is 丰都府办〔2021〕27号's (未配置 until set), the key
employers are the policy's ``key_employers`` (credit codes, names, or "code name").

One row per placement of agencies/:

- 服务类型 招聘 (a blank type is read as 职业介绍, so a recruit must be marked 招聘);
- the employer is one of ``key_employers`` (by credit code; by name for an item without one);
- the recruit has an employment record at that employer, begun on or after the placement
  date, active at the end of m (and stable ``min_stable_months`` months when the policy
  sets it, DESIGN §6);
- the agency can be paid (a valid credit code, else — no code typed — the broker's valid
  resident ID);
- once per recruit: the earliest claim meeting the rest is paid.

The yearly target (6100 recruits) is a count for ``fengdu report``, not a condition of a
payment: it is not checked here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from fengdu_cli.match import active_at_end, stable_for
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import RecruitAwardValues
from fengdu_cli.rules import claims as cl
from fengdu_cli.rules.base import JOB_DATES, Condition, Context, finish
from fengdu_cli.rules.facts import text_column

CODE = "recruit_award"
NEEDS: tuple[str, ...] = ("agencies",)
VALUES = RecruitAwardValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("service", "cond_recruit_award_service", ("agencies.service_type",)),
    Condition("key_employer", "cond_recruit_award_key_employer", ("agencies.employer_code",)),
    Condition("active", "cond_recruit_award_active", JOB_DATES, fact="fact_since"),
    Condition("payee", "cond_agency_payee"),
    Condition("once", "cond_agency_once"),
)
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


def key_employers(items: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(credit codes, names) of the listed employers: an item is a code, a name, or a code
    followed by a name; a name counts only where its item gives no code."""
    codes: set[str] = set()
    names: set[str] = set()
    for item in items:
        parts = item.replace("：", " ").replace(":", " ").split()
        found = [p.upper() for p in parts if _CREDIT_CODE.fullmatch(p.upper())]
        if found:
            codes.update(found)
        else:
            names.add("".join(parts))
    return frozenset(codes), frozenset(names)


def evaluate(ctx: Context, values: RecruitAwardValues) -> pd.DataFrame:
    rows = cl.claims(ctx)
    out = cl.person_frame(ctx, rows)
    n = len(rows)
    unknown: dict[str, object] = {}

    out["c_service"] = text_column(rows, "service_type").eq("招聘").to_numpy()
    out["v_service"] = cl.typed(rows, "service_type").to_numpy()
    unknown["service"] = cl.value_unknown(rows, "service_type").to_numpy()

    codes, names = key_employers(values.key_employers)
    listed = rows["employer_code"].isin(codes) | rows["employer_name"].isin(names)
    out["c_key_employer"] = listed.to_numpy()
    employer = rows["employer_name"].where(rows["employer_name"].ne(""), rows["employer_code"])
    out["v_key_employer"] = employer.to_numpy()
    code_gap = cl.value_unknown(rows, "employer_code")
    unknown["key_employer"] = code_gap.where(~listed, "").to_numpy(dtype=object)

    jobs = cl.jobs_at_employer(ctx, rows)
    window = ctx.window
    if values.min_stable_months:
        jobs["ok"] = stable_for(jobs, window, values.min_stable_months)
    else:
        jobs["ok"] = active_at_end(jobs, window)
    jobs["ok"] = jobs["ok"].fillna(False).astype(bool)
    best = (
        jobs.sort_values(["_claim", "ok", "start_date"], ascending=[True, False, True])
        .groupby("_claim")
        .head(1)
        .set_index("_claim")
        .reindex(rows.index)
    )
    active = best["ok"].fillna(False).astype(bool).to_numpy() if n else np.zeros(0, dtype=bool)
    out["c_active"] = active
    out["v_active"] = (
        pd.to_datetime(best["start_date"]).dt.strftime("%Y-%m-%d").astype(object).to_numpy()
        if n
        else np.zeros(0, dtype=object)
    )
    out["f_active"] = np.where(
        best["start_date"].isna().to_numpy() if n else np.zeros(0, dtype=bool),
        "fact_no_job_after_placement",
        "",
    ).astype(object)
    out["v_active"] = np.where(out["f_active"].eq(""), out["v_active"], employer.to_numpy())

    cl.add_payee(out, unknown, rows)
    out["amount_fen"] = to_fen(values.amount)
    out["key_base"] = rows["id_number"].to_numpy()
    out["identities"] = rows["id_number"].to_numpy()
    out["employer_code"] = rows["employer_code"].to_numpy()
    out["agency_name"] = rows["agency_name"].to_numpy()
    start = pd.Series(out["v_active"], index=out.index).astype(str)
    out["basis"] = (
        "招聘" + out["person_name"].astype(str) + "到市重点电子企业" + employer + "，"
        + start + "起在岗"
    )  # fmt: skip

    cl.mark_once(out, rows, CONDITIONS[:-1], unknown)
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)
