"""以工代训补贴 (work_training) — in force only to 2021-12-31 (notice 一(二)2:
政策受理期限截至2021年12月31日).  A later month reports it as expired (policy status);
within its period it needs the 以工代训 training ledger (training/), which the bureau's
monthly inputs do not carry, so the rule says the data is missing rather than guess.
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli.policy.schema import WorkTrainingValues
from fengdu_cli.rules.base import Condition, Context

CODE = "work_training"
NEEDS: tuple[str, ...] = ("training",)
VALUES = WorkTrainingValues
CONDITIONS: tuple[Condition, ...] = ()


def evaluate(ctx: Context, values: WorkTrainingValues) -> pd.DataFrame:  # pragma: no cover
    raise NotImplementedError("work_training needs the training/ ledger")
