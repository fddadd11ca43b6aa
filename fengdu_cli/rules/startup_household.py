"""一次性创业补助 (startup_household) — paid to the household, once ever.

DESIGN §6: a business in businesses/ (owner ID, credit code, registration date) whose
owner is on the roster as 脱贫人口 or 监测对象, registered on or before the first day of
m−5, with at least 3 people other than the owner insured by the business's credit code
in 6 or more months up to m; 8000 yuan per household (notice 一(一)2: 正常运营6个月以上，
带动就业3人以上（不含本人），并为员工缴纳6个月以上城镇职工社会保险).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from fengdu_cli import gaps
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import StartupHouseholdValues
from fengdu_cli.rules.base import Condition, Context, fact_words, finish, person_unknowns
from fengdu_cli.rules.facts import is_in_categories, text_column

CODE = "startup_household"
NEEDS: tuple[str, ...] = ("businesses",)
VALUES = StartupHouseholdValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("owner", "cond_startup_household_owner", ("roster.category",)),
    Condition("operating", "cond_startup_household_operating", ("businesses.registration_date",)),
    Condition("employees", "cond_startup_household_employees", fact="fact_persons"),
)
# Not a condition of the notice's but of the ledger's: one payment per household.
ONCE_PER_HOUSEHOLD = Said("cond_startup_household_once")


def household_identities(
    state: pd.DataFrame, owners: pd.Series, households: pd.Series
) -> np.ndarray:
    """Per business: who its household is — the owner, every roster member of the owner's
    household, and the household's number ('|'-joined; 户:<户编号>)."""
    members: dict[Hashable, list[str]] = {}
    if "household_id" in state:
        listed = state[state["household_id"].fillna("").astype(str).ne("")]
        members = listed.groupby("household_id")["id_number"].agg(sorted).to_dict()
    out = []
    for owner, household in zip(owners, households, strict=True):
        people = {owner, *members.get(household, [])} if household else {owner}
        tokens = sorted(people) + ([f"户:{household}"] if household else [])
        out.append("|".join(tokens))
    return np.array(out, dtype=object)


def evaluate(ctx: Context, values: StartupHouseholdValues) -> pd.DataFrame:
    firms = (
        ctx.extra["businesses"]
        .sort_values("registration_date", kind="stable")
        .reset_index(drop=True)
    )
    registered_by = pd.Timestamp(values.registered_by(ctx.month))
    state = ctx.state.set_index("id_number")
    owner = firms["id_number"]
    on_roster = owner.isin(state.index)
    people = state.reindex(owner)
    category_ok = is_in_categories(people.reset_index(), values.categories).to_numpy()
    rural = (
        firms["rural_entrepreneur"].map(lambda v: v is True).to_numpy(dtype=bool)
        if values.rural_entrepreneur and "rural_entrepreneur" in firms
        else np.zeros(len(firms), dtype=bool)
    )

    ins = ctx.insurance
    ins = ins[(ins["period"].notna()) & (ins["period"] <= ctx.month)]
    ins = ins[ins["employer_code"].isin(firms["business_code"])]
    months_per = (
        ins.drop_duplicates(["employer_code", "id_number", "period"])
        .groupby(["employer_code", "id_number"])
        .size()
    )
    long_enough = months_per[months_per >= values.min_insured_months].reset_index()[
        ["employer_code", "id_number"]
    ]
    staff = long_enough.merge(
        firms[["business_code", "id_number"]].rename(
            columns={"business_code": "employer_code", "id_number": "owner"}
        ),
        on="employer_code",
    )
    staff = staff[staff["id_number"] != staff["owner"]]
    count = staff.groupby("employer_code")["id_number"].nunique()

    out = pd.DataFrame(
        {
            "person_id": owner.to_numpy(),
            "person_name": people["name"].fillna(firms.get("name", "")).to_numpy(),
            "township": people["township"].fillna(firms.get("township", "")).fillna("").to_numpy(),
            "village": people["village"].fillna("").to_numpy() if "village" in people else "",
            "household_id": people["household_id"].fillna("").to_numpy()
            if "household_id" in people
            else "",
        }
    )
    out["c_owner"] = (on_roster.to_numpy() & category_ok) | rural
    out["v_owner"] = np.where(on_roster, text_column(people, "category").to_numpy(), "")
    out["f_owner"] = np.select(
        [~on_roster & rural, ~on_roster, rural],
        ["fact_not_on_roster_rural", "fact_not_on_roster", "fact_owner_rural"],
        "",
    ).astype(object)
    out["c_operating"] = (firms["registration_date"] <= registered_by).fillna(False).to_numpy()
    out["v_operating"] = (
        firms["registration_date"].dt.strftime("%Y-%m-%d").astype(object).to_numpy()
    )
    employees = firms["business_code"].map(count).astype(object).fillna(0).astype(int)
    out["c_employees"] = (employees >= values.min_employees).to_numpy()
    out["v_employees"] = employees.astype(str).to_numpy()
    out["payee_type"] = "household"
    household = out["household_id"].astype(str)
    # paid to the household (its 户编号, or the owner when the roster gives none); once per
    # household, known by its members' IDs so a blank or changed 户编号 is no new household
    out["payee_id"] = np.where(household != "", household, out["person_id"])
    out["identities"] = household_identities(ctx.state, out["person_id"], household)
    out["payee_name"] = out["person_name"].astype(str) + "户"
    out["business_code"] = firms["business_code"].to_numpy()
    out["business_name"] = firms.get("business_name", firms["business_code"]).to_numpy()
    out["amount_fen"] = to_fen(values.amount)
    out["key_base"] = out["person_id"]
    out["basis"] = (
        out["business_name"].astype(str)
        + "（"
        + fact_words(out, CONDITIONS[1])
        + "登记），带动"
        + fact_words(out, CONDITIONS[2])
        + "参保满"
        + str(values.min_insured_months)
        + "个月"
    )
    unknown = person_unknowns(ctx.state, CONDITIONS[:1], owner)
    unknown["operating"] = gaps.reasons(firms, "businesses", "registration_date").to_numpy()
    out = finish(out, CONDITIONS, values.shown(ctx.month), unknown)
    # one per household: a later business of a household already eligible is not paid again
    earlier = out.groupby(out["payee_id"])["eligible"].transform(
        lambda s: s.shift(fill_value=False).cummax()
    )
    dup = out["eligible"] & earlier.astype(bool)
    out.loc[dup, "eligible"] = False
    if dup.any():
        out.loc[dup, "failed"] = ONCE_PER_HOUSEHOLD  # type: ignore[call-overload]  # an object
    return out
