"""鲁渝协作以工代训补贴 (shandong_work_training) — paid to the enterprise, per person and month.

Notice 一(三): “继续执行赴山东一次性求职创业补贴、以工代训补贴。用好山东提供的东西部协作援助资金……”
(丰人社发〔2021〕75号).  As work_training, for the rows of training/ of type 鲁渝协作以工代训,
funded by Shandong, with the amount and months of its own policy entry.
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli.normalise import SHANDONG_WORK_TRAINING
from fengdu_cli.policy.schema import ShandongWorkTrainingValues
from fengdu_cli.rules import on_the_job
from fengdu_cli.rules.base import Condition, Context

CODE = "shandong_work_training"
NEEDS: tuple[str, ...] = ("training",)
VALUES = ShandongWorkTrainingValues
CONDITIONS: tuple[Condition, ...] = on_the_job.conditions(CODE)


def evaluate(ctx: Context, values: ShandongWorkTrainingValues) -> pd.DataFrame:
    return on_the_job.evaluate(ctx, values, CODE, SHANDONG_WORK_TRAINING)
