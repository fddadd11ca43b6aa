"""社会保险补贴 (insurance_subsidy) — paid to the employer, per person and month.

Notice 一(二)3: “对招用市内市外户籍脱贫人员，并缴纳社会保险费的我县各类企业，按规定给予社会保险补贴”
(二(四)1 names the same subsidy for flexible work; the employer's side is computed here).
The amount is “按规定”: the bundled policy leaves it 未配置 (no ``amount_max``).

One candidate line per (employer, person) with a contribution in month m:

- 脱贫人口 (the policy's categories; 市内市外户籍: any 户籍, so no hukou condition);
- the employer paid for the person in m: the share the policy names (``insurance_share``:
  the employer's part) of the types it names (``insurance_types``), refunds netted, > 0 —
  a missing or unreadable amount column makes the person 无法判断, never 0 (a roster
  person nobody paid for in m is a candidate with no employer, so explain says so);
- 我县各类企业: the employer is in the county's remit (``employer_scope``, as hire_once:
  its credit code is registered in 500230, or the export's 参保地 is 丰都);
- 本工具的理解: one employer per person and month (the ledger pays a person once a month):
  the one that paid the most for them in m (the lower credit code on a tie).

The amount is that share, at most ``amount_max`` a month; ``max_months`` (policy) caps the
months per person, counted by the ledger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli import dates
from fengdu_cli.match import consecutive_months
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import InsuranceSubsidyValues
from fengdu_cli.rules.base import Condition, Context, finish, person_columns, person_unknowns
from fengdu_cli.rules.facts import (
    employer_in_remit,
    first_reasons,
    is_in_categories,
    share_fen,
    text_column,
)

CODE = "insurance_subsidy"
NEEDS: tuple[str, ...] = ()
VALUES = InsuranceSubsidyValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("category", "cond_category", ("roster.category",)),
    Condition(
        "paid",
        "cond_insurance_subsidy_paid",
        ("insurance.employer_amount", "insurance.insurance_type"),
        fact="fact_yuan",
    ),
    Condition("employer", "cond_insurance_subsidy_employer"),
    Condition("one_employer", "cond_insurance_subsidy_one_employer"),
)

# how ``basis`` (Chinese, the ledger's text) names the share paid
SHARE_WORDS = {"employer": "单位缴纳", "personal": "个人缴纳", "both": "单位和个人缴纳"}


def evaluate(ctx: Context, values: InsuranceSubsidyValues) -> pd.DataFrame:
    state = ctx.state
    contrib = ctx.matched.contrib
    rows = contrib[contrib["period"].eq(ctx.month)]
    fen, why = share_fen(rows, values.insurance_types, values.insurance_share)
    keys = [rows["id_number"], rows["employer_code"]]
    pairs = pd.DataFrame({"fen": fen}).groupby(keys)["fen"].sum().rename("share_fen").reset_index()
    unknown_paid = first_reasons(why, keys)
    names = _employer_names(rows, ctx)
    people = state.set_index("id_number")
    pairs = pairs[pairs["id_number"].isin(people.index)]
    # every roster person nobody paid for in m is a candidate too (explain says why not)
    unpaid = people.index[~people.index.isin(pairs["id_number"])]
    pairs = pd.concat(
        [pairs, pd.DataFrame({"id_number": unpaid, "employer_code": "", "share_fen": 0})],
        ignore_index=True,
    )
    ids = pairs["id_number"]
    codes = pairs["employer_code"]
    person = person_columns(people.loc[ids].reset_index())

    out = person.reset_index(drop=True)
    people_rows = people.loc[ids].reset_index()
    out["c_category"] = is_in_categories(people_rows, values.categories).to_numpy()
    out["v_category"] = text_column(people_rows, "category").to_numpy()
    ok, registered, key = employer_in_remit(ids, codes, contrib, values.employer_scope)
    out["c_employer"], out["v_employer"], out["f_employer"] = ok, registered, key
    share = pairs["share_fen"].astype("int64")
    out["c_paid"] = (share > 0).to_numpy()
    out["v_paid"] = (share / 100).map("{:.2f}".format).to_numpy()
    pending = pd.Series(
        [unknown_paid.get((i, c), "") for i, c in zip(ids, codes, strict=True)],
        index=pairs.index,
        dtype=object,
    )
    # one employer per person and month: the one that paid most (a lower code on a tie),
    # among the lines that can still be paid
    hopeful = out["c_category"] & out["c_employer"] & (out["c_paid"] | pending.ne("").to_numpy())
    order = pd.DataFrame({"id": ids, "hopeful": hopeful, "fen": share, "code": codes})
    order = order.sort_values(
        ["id", "hopeful", "fen", "code"], ascending=[True, False, False, True], kind="stable"
    )
    chosen = ~order["id"].duplicated()
    out["c_one_employer"] = (chosen.reindex(pairs.index) | ~hopeful).to_numpy()
    out["v_one_employer"] = ids.map(
        order[chosen].set_index("id")["code"].map(lambda c: names.get(c, c))
    ).to_numpy()

    cap = to_fen(values.amount_max)
    out["payee_type"] = "employer"
    out["payee_id"] = codes.to_numpy()
    out["payee_name"] = codes.map(lambda c: names.get(c, c)).astype(object).to_numpy()
    out["employer_code"] = codes.to_numpy()
    out["amount_fen"] = np.minimum(share.to_numpy(), cap).astype("int64")
    out["key_base"] = ids.to_numpy()
    out["identities"] = ids.to_numpy()  # one subsidy per person and month, whoever employs
    capped_text = np.where(share > cap, f"，按每人每月上限{values.amount_max}元", "")
    # since when, and how many months in a row, the person is insured by this employer
    run = consecutive_months(
        contrib[contrib["period"] <= ctx.month], ["id_number", "employer_code"], ctx.month
    )
    months = pd.Series(
        run.reindex(pd.MultiIndex.from_arrays([ids, codes])).fillna(0).astype(int).to_numpy()
    )
    since = [dates.month_text(dates.add_months(ctx.month, 1 - n)) if n else "" for n in months]
    insured_text = np.where(
        months > 0,
        "（自"
        + pd.Series(since, dtype=object)
        + "起在该单位连续参保"
        + months.astype(str)
        + "个月）",
        "",
    )
    out["basis"] = (
        "脱贫人口"
        + out["person_name"].astype(str)
        + "，"
        + dates.month_text(ctx.month)
        + SHARE_WORDS.get(values.insurance_share, "")
        + "/".join(values.insurance_types)
        + "保险费"
        + out["v_paid"].astype(str)
        + "元"
        + capped_text
        + insured_text
    )
    unknown = person_unknowns(state, CONDITIONS, ids)
    unknown["paid"] = pending.to_numpy(dtype=object)
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)


def _employer_names(rows: pd.DataFrame, ctx: Context) -> dict[str, str]:
    """Employer credit code → name: the insurance export's, else the employment records'."""
    names: dict[str, str] = {}
    jobs = ctx.matched.jobs
    for frame in (jobs, rows):
        if "employer_name" in frame:
            named = frame[frame["employer_name"].fillna("").astype(str).ne("")]
            last = named.drop_duplicates("employer_code", keep="last")
            codes, words = last["employer_code"].astype(str), last["employer_name"].astype(str)
            names.update(zip(codes, words, strict=True))
    return names
