"""鲁渝劳务协作稳岗补贴 (shandong_stable) — paid to the person, once ever.

DESIGN §6: as job_seeking_once with the job in Shandong; 3000 yuan (notice 一(三);
丰人社发〔2021〕75号; 十三条 2022).  Both can be paid to one person.
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import ShandongStableValues
from fengdu_cli.rules.base import Condition, Context, fact_words, finish, person_unknowns
from fengdu_cli.rules.outside_work import (
    OUTSIDE_JOB,
    PERSON_CONDITIONS,
    job_condition,
    paid_to_person,
    person_frame,
)

CODE = "shandong_stable"
NEEDS: tuple[str, ...] = ()
VALUES = ShandongStableValues
CONDITIONS: tuple[Condition, ...] = (
    *PERSON_CONDITIONS,
    Condition(
        "stable_shandong", "cond_shandong_stable_stable_shandong", OUTSIDE_JOB, fact="fact_job"
    ),
)


def evaluate(ctx: Context, values: ShandongStableValues) -> pd.DataFrame:
    out = person_frame(ctx, values)
    out = job_condition(
        out, ctx, "stable_shandong", stable_months=values.min_stable_months, regions=["shandong"]
    )
    out = paid_to_person(
        out,
        to_fen(values.amount),
        f"在山东稳定就业满{values.min_stable_months}个月：" + fact_words(out, CONDITIONS[-1]),
    )
    unknown = person_unknowns(ctx.state, CONDITIONS, out["person_id"])
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)
