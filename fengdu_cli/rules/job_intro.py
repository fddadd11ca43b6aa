"""职业介绍补贴 (job_intro) — paid to the agency, once per person placed, ever.

Notice 一(一)3(1), 渝就发〔2021〕25号: “一是对人力资源服务机构向我市城乡户籍登记失业人员提供免费
职业介绍服务（不含劳务派遣），与用人单位签订一年以上劳动合同，并缴纳社会保险费6个月以上（含6个月），
给予职业介绍补贴；二是对人力资源服务机构和劳务经纪人向我市脱贫人口提供免费职业介绍服务（不含劳务
派遣），实现全日制单位就业（公益性岗位就业除外），且连续就业3个月及以上，给予职业介绍补贴。”

One row per placement of agencies/ (服务类型 职业介绍; a blank type is read as 职业介绍):

- free service, not 劳务派遣 (the list's yes/no columns; a blank or unread cell is 无法判断);
- 情形一: the list marks the person a 登记失业人员 (the list's word: the roster need not know
  them); an employment record at the list's employer that began on or after the placement
  date, with no end or an end on or after start + ``min_contract_months`` − 1 day
  (本工具的理解：“一年以上劳动合同”即合同期满一年，2024-01-01 起至 2024-12-31 止即满一年);
  and that employer's contributions for ``min_insured_months`` months or more (含), counted
  from the job's first month up to m, not necessarily in a row;
- 情形二: a 脱贫人口 of the roster; a ``employment_type`` job at the list's employer active at
  the end of m and stable for ``min_stable_months`` months (DESIGN §6), not a public-welfare
  post (就业形式 公益性岗位, or on the posts/ list with a post active at m);
- the agency can be paid: a valid credit code (GB 32100), else (no code typed) the broker's
  valid resident ID;
- once per person: when two agencies claim one person, the earliest placement (then the
  first listed) that meets the rest is paid; the others fail “同一人员已由其他机构申报”.

Each case has its amount (``amount_unemployed`` / ``amount_lifted``); a placement meeting
both is paid once, the larger (本工具的理解).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli.match import active_at_end, stable_for
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import JobIntroValues
from fengdu_cli.rules import claims as cl
from fengdu_cli.rules.base import JOB_DATES, Condition, Context, finish, person_unknowns
from fengdu_cli.rules.facts import is_in_categories, text_column

CODE = "job_intro"
NEEDS: tuple[str, ...] = ("agencies",)
VALUES = JobIntroValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("service", "cond_job_intro_service"),
    Condition("free", "cond_job_intro_free", ("agencies.free_service",)),
    Condition("not_dispatch", "cond_job_intro_not_dispatch", ("agencies.dispatch",)),
    Condition("person", "cond_job_intro_person", ("roster.category",)),
    Condition(
        "job",
        "cond_job_intro_job",
        (*JOB_DATES, "employment.employment_type", "agencies.employer_code"),
    ),
    Condition("duration", "cond_job_intro_duration", JOB_DATES),
    Condition("payee", "cond_agency_payee"),
    Condition("once", "cond_agency_once"),
)


def evaluate(ctx: Context, values: JobIntroValues) -> pd.DataFrame:
    rows = cl.claims(ctx)
    out = cl.person_frame(ctx, rows)
    n = len(rows)
    unknown: dict[str, object] = {}

    service = text_column(rows, "service_type")
    out["c_service"] = service.isin(("职业介绍", "")).to_numpy()
    out["v_service"] = cl.typed(rows, "service_type").to_numpy()
    unknown["service"] = cl.value_unknown(rows, "service_type", ("bad_value",)).to_numpy()
    for name, column, want in (("free", "free_service", True), ("not_dispatch", "dispatch", False)):
        out[f"c_{name}"] = (
            rows[column].map(lambda v, w=want: v is w).to_numpy(dtype=bool)
            if (column in rows)
            else np.zeros(n, dtype=bool)
        )
        out[f"v_{name}"] = cl.typed(rows, column).to_numpy()
        unknown[name] = cl.value_unknown(rows, column).to_numpy()

    # who: 情形一 by the list's mark, 情形二 by the roster
    state = ctx.state.set_index("id_number")
    on_roster = rows["id_number"].isin(state.index).to_numpy()
    people = state.reindex(rows["id_number"]).reset_index()
    unemployed = cl.flag(rows, "registered_unemployed").to_numpy()
    lifted = is_in_categories(people, values.categories).to_numpy() & on_roster
    out["c_person"] = unemployed | lifted
    category = text_column(people, "category").to_numpy()
    out["v_person"] = np.where(unemployed, "", np.where(on_roster, category, ""))
    out["f_person"] = np.select(
        [unemployed & lifted, unemployed, ~on_roster],
        ["fact_unemployed_and", "fact_registered_unemployed", "fact_not_on_roster"],
        "",
    ).astype(object)
    person_gap = person_unknowns(ctx.state, CONDITIONS[3:4], rows["id_number"]).get("person")
    flag_gap = cl.value_unknown(rows, "registered_unemployed", ("bad_value",))
    either = flag_gap.where(flag_gap.ne(""), pd.Series(person_gap, index=rows.index).fillna(""))
    unknown["person"] = either.where(~pd.Series(out["c_person"].to_numpy())).to_numpy(dtype=object)

    jobs = cl.jobs_at_employer(ctx, rows)
    # 情形一: the contract and the employer's contributions since the job began
    contract_end = (jobs["start_date"] + pd.DateOffset(months=values.min_contract_months)) - (
        pd.Timedelta(days=1)
    )
    jobs["contract_ok"] = (jobs["end_date"].isna() | (jobs["end_date"] >= contract_end)).fillna(
        False
    )
    insured = _insured_months(ctx, jobs)
    jobs["insured"] = insured
    jobs["insured_ok"] = jobs["contract_ok"] & (insured >= values.min_insured_months)
    # 情形二: full time, active at m, not a public-welfare post, stable N months
    window = ctx.window
    public = jobs["id_number"].isin(_on_posts(ctx))
    jobs["full_time_ok"] = (
        active_at_end(jobs, window) & jobs["employment_type"].eq(values.employment_type) & ~public
    ).fillna(False)
    jobs["stable_ok"] = jobs["full_time_ok"] & stable_for(jobs, window, values.min_stable_months)
    one = _case(jobs, rows.index, "contract_ok", "insured_ok")
    two = _case(jobs, rows.index, "full_time_ok", "stable_ok")

    case1_job, case1_done = one["job_ok"].to_numpy(bool), one["done_ok"].to_numpy(bool)
    case2_job, case2_done = two["job_ok"].to_numpy(bool), two["done_ok"].to_numpy(bool)
    out["c_job"] = (unemployed & case1_job) | (lifted & case2_job)
    out["c_duration"] = (unemployed & case1_done) | (lifted & case2_done)
    use_one = unemployed & (case1_job | ~lifted)
    chosen = pd.DataFrame(np.where(use_one[:, None], one.to_numpy(), two.to_numpy()),
                          index=rows.index, columns=one.columns)  # fmt: skip
    employer = rows["employer_name"].where(rows["employer_name"].ne(""), rows["employer_code"])
    found = chosen["start_date"].notna().to_numpy()
    out["v_job"] = employer.to_numpy()
    out["v_job__start"] = _day(chosen["start_date"])
    out["v_job__end"] = _day(chosen["end_date"])
    out["v_job__type"] = chosen["employment_type"].fillna("").astype(str).to_numpy()
    out["f_job"] = np.select(
        [~found, use_one & chosen["end_date"].isna().to_numpy(), use_one],
        ["fact_no_job_after_placement", "fact_contract_open", "fact_contract"],
        "fact_job_type",
    ).astype(object)
    out["v_duration"] = np.where(use_one, chosen["insured"].fillna(0).astype(int).astype(str),
                                 _day(chosen["start_date"]))  # fmt: skip
    out["f_duration"] = np.where(use_one, "fact_insured_months", "fact_since").astype(object)
    out["f_duration"] = out["f_duration"].where(found, "fact_none")

    job_gaps = person_unknowns(ctx.state, CONDITIONS[4:6], rows["id_number"])
    code_gap = cl.value_unknown(rows, "employer_code")
    for name in ("job", "duration"):
        reason = pd.Series(job_gaps.get(name, ""), index=rows.index, dtype=object).fillna("")
        if name == "job":
            reason = code_gap.where(code_gap.ne(""), reason)
        unknown[name] = reason.where(~out[f"c_{name}"].astype(bool), "").to_numpy(dtype=object)

    cl.add_payee(out, unknown, rows)
    amounts = np.where(
        (unemployed & case1_done) & (lifted & case2_done),
        max(to_fen(values.amount_unemployed), to_fen(values.amount_lifted)),
        np.where(use_one, to_fen(values.amount_unemployed), to_fen(values.amount_lifted)),
    )
    out["amount_fen"] = amounts.astype("int64")
    out["key_base"] = rows["id_number"].to_numpy()
    out["identities"] = rows["id_number"].to_numpy()  # the person placed: once, whoever claims
    out["employer_code"] = rows["employer_code"].to_numpy()
    out["agency_name"] = rows["agency_name"].to_numpy()
    out["basis"] = _basis(out, rows, chosen, use_one, values)

    cl.mark_once(out, rows, CONDITIONS[:-1], unknown)
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)


def _day(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d").fillna("").astype(object).to_numpy()


def _insured_months(ctx: Context, jobs: pd.DataFrame) -> pd.Series:
    """Per job: the months its employer contributed for the person, from the job's first
    month up to m (several insurance types in a month count once)."""
    if jobs.empty:
        return pd.Series(0, index=jobs.index, dtype=int)
    ins = ctx.insurance
    ins = ins[ins["period"].notna() & (ins["period"] <= ctx.month)]
    ins = ins[["id_number", "employer_code", "period"]].drop_duplicates()
    pairs = jobs[["id_number", "employer_code", "start_date"]].assign(_job=jobs.index)
    both = pairs.merge(ins, on=["id_number", "employer_code"])
    start = both["start_date"].dt.year * 100 + both["start_date"].dt.month
    counted = both[both["period"].astype("int64") >= start].groupby("_job")["period"].nunique()
    months: pd.Series = counted.reindex(jobs.index).fillna(0).astype(int)
    return months


def _on_posts(ctx: Context) -> set[str]:
    """The people the posts/ list has on a public-welfare post at the end of m."""
    posts = ctx.extra.get("posts")
    if posts is None or posts.empty:
        return set()
    if "contract_start" not in posts:
        return set(posts["id_number"])
    frame = posts.rename(columns={"contract_start": "start_date", "contract_end": "end_date"})
    if "end_date" not in frame:
        frame["end_date"] = pd.NaT
    return set(frame.loc[active_at_end(frame, ctx.window).fillna(False), "id_number"])


_CHOSEN = ["start_date", "end_date", "employment_type", "insured"]


def _case(jobs: pd.DataFrame, index: pd.Index, job_ok: str, done_ok: str) -> pd.DataFrame:
    """One job per placement for one case: the one meeting most (done, then the job), then
    the most insured months, then the earliest; columns ``_CHOSEN`` + job_ok, done_ok."""
    columns = [*_CHOSEN, "job_ok", "done_ok"]
    if jobs.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns}).reindex(index)
        empty[["job_ok", "done_ok"]] = False
        return empty
    picked = jobs.rename(columns={job_ok: "job_ok", done_ok: "done_ok"})
    ranked = picked.sort_values(
        ["_claim", "done_ok", "job_ok", "insured", "start_date"],
        ascending=[True, False, False, False, True],
        kind="stable",
    )
    best = ranked.groupby("_claim").head(1).set_index("_claim")[columns].reindex(index)
    best[["job_ok", "done_ok"]] = best[["job_ok", "done_ok"]].fillna(False).astype(bool)
    return best


def _basis(
    out: pd.DataFrame,
    rows: pd.DataFrame,
    chosen: pd.DataFrame,
    use_one: np.ndarray,
    values: JobIntroValues,
) -> pd.Series:
    """'介绍登记失业人员张三到某公司：合同2024-01-01起一年以上，该单位缴费8个月' / '介绍脱贫人口…'."""
    employer = pd.Series(out["v_job"], index=out.index).astype(str)
    start = pd.Series(out["v_job__start"], index=out.index).astype(str)
    insured = chosen["insured"].fillna(0).astype(int).astype(str)
    one = (
        "介绍登记失业人员" + out["person_name"].astype(str) + "到" + employer + "：劳动合同"
        + start + "起一年以上，该单位缴费" + insured + "个月"
    )  # fmt: skip
    two = (
        "介绍脱贫人口" + out["person_name"].astype(str) + "到" + employer + "："
        + values.employment_type + "就业，" + start + "起连续就业满"
        + str(values.min_stable_months) + "个月"
    )  # fmt: skip
    return one.where(pd.Series(use_one, index=out.index), two)
