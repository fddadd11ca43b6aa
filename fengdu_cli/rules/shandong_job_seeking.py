"""赴山东一次性求职创业补贴 (shandong_job_seeking) — paid to the person, once ever.

Notice 一(三): “继续执行赴山东一次性求职创业补贴、以工代训补贴。”（丰人社发〔2021〕75号; its amount
is not in the notice: 未配置 in the bundled policy).  本工具的理解：赴山东务工即月末在山东有在岗的
就业登记（DESIGN §6 就业地区：山东）；不要求出行名单，也不要求稳定月数——16 周岁以上、有劳动能力的
脱贫人口，每人一次.  Both this and job_seeking_once can be paid to one person.
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import ShandongJobSeekingValues
from fengdu_cli.rules.base import Condition, Context, fact_words, finish, person_unknowns
from fengdu_cli.rules.outside_work import (
    OUTSIDE_JOB,
    PERSON_CONDITIONS,
    job_condition,
    paid_to_person,
    person_frame,
)

CODE = "shandong_job_seeking"
NEEDS: tuple[str, ...] = ()
VALUES = ShandongJobSeekingValues
CONDITIONS: tuple[Condition, ...] = (
    *PERSON_CONDITIONS,
    Condition("in_shandong", "cond_shandong_job_seeking_in_shandong", OUTSIDE_JOB, fact="fact_job"),
)


def evaluate(ctx: Context, values: ShandongJobSeekingValues) -> pd.DataFrame:
    out = person_frame(ctx, values)
    out = job_condition(out, ctx, "in_shandong", regions=["shandong"])
    out = paid_to_person(
        out, to_fen(values.amount), "赴山东务工：" + fact_words(out, CONDITIONS[-1])
    )
    unknown = person_unknowns(ctx.state, CONDITIONS, out["person_id"])
    return finish(out, CONDITIONS, values.shown(ctx.month), unknown)
