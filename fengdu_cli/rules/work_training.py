"""以工代训补贴 (work_training) — paid to the enterprise, per person and month.

Notice 一(二)2: “企业、农民专业合作社和就业帮扶车间等各类生产经营主体吸纳贫困劳动力就业并开展以工代训，
给予不超过500元/人·月，每人每年不超过6个月培训补贴。政策受理期限截至2021年12月31日。”
In force only to 2021-12-31: a later month reports it as expired (policy status).  The
以工代训 rows of training/ (type 以工代训) are judged by :mod:`fengdu_cli.rules.on_the_job`.
The yearly cap and paid-before checks count the months shandong_work_training paid too (one
person's month of 以工代训 is one training, whichever fund paid it: ``subsidy.SHARED_SCOPE``).
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli.normalise import WORK_TRAINING
from fengdu_cli.policy.schema import WorkTrainingValues
from fengdu_cli.rules import on_the_job
from fengdu_cli.rules.base import Condition, Context

CODE = "work_training"
NEEDS: tuple[str, ...] = ("training",)
VALUES = WorkTrainingValues
CONDITIONS: tuple[Condition, ...] = on_the_job.conditions(CODE)


def evaluate(ctx: Context, values: WorkTrainingValues) -> pd.DataFrame:
    return on_the_job.evaluate(ctx, values, CODE, WORK_TRAINING)
