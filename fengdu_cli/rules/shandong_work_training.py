"""鲁渝协作以工代训补贴 (shandong_work_training) — paid to the enterprise, per person and month.

Notice 一(三): “继续执行赴山东一次性求职创业补贴、以工代训补贴。用好山东提供的东西部协作援助资金……”
(丰人社发〔2021〕75号).  As work_training, for the rows of training/ of type 鲁渝协作以工代训,
funded by Shandong, with the amount and months of its own policy entry.

One person's month of 以工代训 is one training, paid from one fund (本工具的理解): a
person-month the county's work_training finds eligible is left to it (condition
``other_program``, :func:`beside`), and the yearly cap and paid-before checks count the
months either program paid (``subsidy.SHARED_SCOPE``).
"""

from __future__ import annotations

from collections.abc import Mapping

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


def beside(
    frame: pd.DataFrame, evaluated: Mapping[str, pd.DataFrame], shown: Mapping[str, object]
) -> pd.DataFrame:
    """The month's rows once the rules before it are evaluated: a person-month eligible
    under work_training is not paid here (see :func:`on_the_job.leave_to_other`)."""
    return on_the_job.leave_to_other(frame, CODE, evaluated, shown)
