"""一次性求职创业补贴 (job_seeking_once) — paid to the person, once ever.

DESIGN §6: 脱贫人口 aged 16+ and able to work, with a job active at m outside the
county and stable for 3 months; 500 yuan (notice 一(一)2; 十三条 2022).
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import JobSeekingOnceValues
from fengdu_cli.rules.base import Condition, Context, fact_words, finish, person_unknowns
from fengdu_cli.rules.outside_work import (
    OUTSIDE_JOB,
    PERSON_CONDITIONS,
    job_condition,
    paid_to_person,
    person_frame,
)

CODE = "job_seeking_once"
NEEDS: tuple[str, ...] = ()
VALUES = JobSeekingOnceValues
CONDITIONS: tuple[Condition, ...] = (
    *PERSON_CONDITIONS,
    Condition(
        "stable_outside", "cond_job_seeking_once_stable_outside", OUTSIDE_JOB, fact="fact_job"
    ),
)


def evaluate(ctx: Context, values: JobSeekingOnceValues) -> pd.DataFrame:
    out = person_frame(ctx, values)
    out = job_condition(out, ctx, "stable_outside", stable_months=values.min_stable_months)
    out = paid_to_person(
        out,
        to_fen(values.amount),
        f"县外稳定就业满{values.min_stable_months}个月：" + fact_words(out, CONDITIONS[-1]),
    )
    unknown = person_unknowns(ctx.state, CONDITIONS, out["person_id"])
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)
