"""跨区域交通补助 (travel) — paid to the person, once per calendar year.

DESIGN §6: 脱贫人口 aged 16+ at the end of m and able to work, with a job active at m
outside the county: 50 yuan when all such jobs are in Chongqing, else 200
(渝人社〔2022〕281号; notice 一(一)2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import TravelValues
from fengdu_cli.rules.base import Condition, Context, fact_words, finish, person_unknowns
from fengdu_cli.rules.facts import outside_jobs
from fengdu_cli.rules.outside_work import (
    OUTSIDE_JOB,
    PERSON_CONDITIONS,
    job_condition,
    paid_to_person,
    person_frame,
)

CODE = "travel"
NEEDS: tuple[str, ...] = ()
VALUES = TravelValues
CONDITIONS: tuple[Condition, ...] = (
    *PERSON_CONDITIONS,
    Condition("outside_job", "cond_travel_outside_job", OUTSIDE_JOB, fact="fact_job"),
)


def evaluate(ctx: Context, values: TravelValues) -> pd.DataFrame:
    out = person_frame(ctx, values)
    out = job_condition(out, ctx, "outside_job")
    jobs = outside_jobs(ctx.matched.jobs, ctx.window)
    only_chongqing = jobs["region"].eq("chongqing").groupby(jobs["id_number"]).all()
    in_cq = out["person_id"].map(only_chongqing).astype(object).fillna(True).astype(bool).to_numpy()
    amount = np.where(in_cq, to_fen(values.amount_chongqing), to_fen(values.amount_outside))
    basis = np.where(in_cq, "市内县外务工：", "市外务工：") + fact_words(out, CONDITIONS[-1])
    out = paid_to_person(out, amount, basis)
    unknown = person_unknowns(ctx.state, CONDITIONS, out["person_id"])
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)
