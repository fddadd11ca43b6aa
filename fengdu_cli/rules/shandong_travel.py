"""鲁渝协作一次性交通生活补助 (shandong_travel) — paid to the person, once ever.

Notice 一(三): “用好山东提供的东西部协作援助资金，落实一次性交通生活补助、稳岗补贴……”
（丰人社发〔2021〕75号; its amount is not in the notice: 未配置 in the bundled policy).

Candidates are the people of the travel list (travel/).  A person is paid when on the
roster as 脱贫人口, aged 16+ at the end of m and able to work, with a trip to Shandong in the
list dated from ``travel_from`` to the end of m, and a job in Shandong active at the end of
m (本工具的理解：出行后在山东务工，以月末在山东有在岗就业登记为准；出行在先、到岗在后的，到岗的月份发放).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli import gaps
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import ShandongTravelValues
from fengdu_cli.rules.base import Condition, Context, fact_words, finish, person_unknowns
from fengdu_cli.rules.on_the_job import with_blank_gaps
from fengdu_cli.rules.outside_work import (
    OUTSIDE_JOB,
    PERSON_CONDITIONS,
    job_condition,
    paid_to_person,
    person_frame,
)

CODE = "shandong_travel"
NEEDS: tuple[str, ...] = ("travel",)
VALUES = ShandongTravelValues
CONDITIONS: tuple[Condition, ...] = (
    *PERSON_CONDITIONS,
    Condition(
        "trip",
        "cond_shandong_travel_trip",
        ("travel.travel_date", "travel.destination"),
        fact="fact_trip",
    ),
    Condition("shandong_job", "cond_shandong_travel_shandong_job", OUTSIDE_JOB, fact="fact_job"),
)
KIND = "travel"


def evaluate(ctx: Context, values: ShandongTravelValues) -> pd.DataFrame:
    trips = ctx.extra[KIND]
    trips = with_blank_gaps(trips, ("travel_date", "destination"))
    trips = trips.sort_values(["_file", "_sheet", "_row"], kind="stable").reset_index(drop=True)
    ids = trips["id_number"].drop_duplicates()

    # the person conditions on the whole roster, then one row per person of the list
    everyone = person_frame(ctx, values).drop_duplicates("person_id").set_index("person_id")
    out = everyone.reindex(ids).reset_index().rename(columns={"id_number": "person_id"})
    on_roster = ids.isin(everyone.index).to_numpy()
    first = trips.drop_duplicates("id_number").set_index("id_number")
    for column, listed in (("person_name", "name"), ("township", "township")):
        fallback = ids.map(first[listed]) if listed in first else pd.Series("", index=ids.index)
        out[column] = np.where(on_roster, out[column], fallback.fillna("").to_numpy())
    for column in ("village", "household_id"):
        out[column] = out[column].fillna("")
    for name in ("category", "age", "able"):
        out[f"c_{name}"] = out[f"c_{name}"].astype(object).fillna(False).astype(bool)
    out["f_category"] = np.where(on_roster, "", "fact_not_on_roster").astype(object)

    # the trip: to Shandong, dated from travel_from to the end of m (the earliest such)
    region = (
        trips["destination_region"]
        if "destination_region" in trips
        else pd.Series("unknown", index=trips.index)
    )
    when = trips["travel_date"] if "travel_date" in trips else pd.Series(pd.NaT, index=trips.index)
    good = (
        region.eq("shandong")
        & (when >= pd.Timestamp(values.travel_from))
        & (when <= ctx.window.last)
    ).fillna(False)
    found = trips[good].sort_values("travel_date", kind="stable").drop_duplicates("id_number")
    found = found.set_index("id_number")
    shown = trips.sort_values("travel_date", kind="stable", na_position="last")
    shown = shown.drop_duplicates("id_number").set_index("id_number")
    best = found.reindex(ids.to_numpy())
    other = shown.reindex(ids.to_numpy())
    day = best["travel_date"].where(best["travel_date"].notna(), other["travel_date"])
    where = best["destination"].where(best["travel_date"].notna(), other.get("destination"))
    out["c_trip"] = best["travel_date"].notna().to_numpy()
    out["v_trip"] = day.dt.strftime("%Y-%m-%d").astype(object).where(day.notna(), None).to_numpy()
    out["v_trip__place"] = where.fillna("").astype(str).to_numpy() if where is not None else ""

    out = job_condition(out, ctx, "shandong_job", regions=["shandong"])
    out = paid_to_person(
        out,
        to_fen(values.amount),
        "出行："
        + fact_words(out, CONDITIONS[-2])
        + "，在山东务工："
        + fact_words(out, CONDITIONS[-1]),
    )
    unknown: dict[str, object] = dict(person_unknowns(ctx.state, CONDITIONS, out["person_id"]))
    # a trip whose date or destination cannot be read leaves it unknown, unless another
    # row of the person already shows a trip to Shandong
    row_why = gaps.reasons(trips, KIND, "travel_date")
    place_why = gaps.reasons(trips, KIND, "destination")
    row_why = row_why.where(~gaps.known(row_why), place_why)
    pending = trips.assign(_why=row_why)[~gaps.known(row_why)].drop_duplicates("id_number")
    trip_why = ids.map(pending.set_index("id_number")["_why"]).astype(object).fillna("")
    unknown["trip"] = trip_why.where(~out["c_trip"].to_numpy(), "").to_numpy()
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)
