"""创业孵化基地奖补 (incubator_award) — paid to the incubator, once per calendar year.

Notice 二(三)1: “可利用现有园区等资源建设一批县级返乡入乡创业园、创业孵化基地，根据入驻实体数量、
孵化效果和带动就业成效给予奖补，奖补按《……关于开展2021年度创业孵化基地（园区）绩效评估工作的通知》
（丰人社文〔2021〕50号）执行”.  The amounts per grade are 丰人社文〔2021〕50号's (未配置 until
set).  One row per base of bases/ of type 创业孵化基地（园区）:

- recognised (as for every base: 认定日期 by the end of m, 有效期至 not before m);
- it has a valid credit code (paid as an organisation; GB 32100 check character);
- its 绩效评估等级 of the year is 合格 or better: 优秀 / 良好 / 合格 are paid
  ``amount_excellent`` / ``amount_good`` / ``amount_pass``; 不合格 is paid nothing; a blank
  or unread grade is 无法判断.  本工具的理解：A/B/C/D 即 优秀/良好/合格/不合格; the list holds
  the grade of the year being paid (one evaluation a year).

Yearly: identities ``孵化:<credit code>``.
A base listed twice (the same credit code) is paid once: the other rows fail
“同一单位在名单中重复列出” (:func:`base_list.once_listed`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fengdu_cli import gaps
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import IncubatorAwardValues
from fengdu_cli.rules import base_list as bl
from fengdu_cli.rules.base import Condition, Context, finish
from fengdu_cli.rules.facts import text_column

CODE = "incubator_award"
NEEDS: tuple[str, ...] = ("bases",)
VALUES = IncubatorAwardValues
CONDITIONS: tuple[Condition, ...] = (
    bl.type_condition(CODE),
    bl.RECOGNISED,
    bl.PAYEE,
    Condition("grade", "cond_incubator_award_grade", ("bases.grade",)),
)


PREFIX = "孵化"  # identities: '孵化:<credit code>'


def history_key(row: Mapping[str, object], person: str, month: int) -> tuple[str, str]:
    """How ``ledger import`` keys a past 创业孵化基地奖补 line: by the credit code the list names
    (``孵化:<code>``), as the rule keys its own; the ledger adds the year."""
    del person, month  # paid to the organisation, once a year
    return bl.history_identity(PREFIX, row)


def evaluate(ctx: Context, values: IncubatorAwardValues) -> pd.DataFrame:
    rows, out = bl.candidates(ctx, "创业孵化基地")
    unknown = bl.unknowns(out)
    grade = text_column(rows, "grade").astype(str)
    amounts = {
        "优秀": to_fen(values.amount_excellent),
        "良好": to_fen(values.amount_good),
        "合格": to_fen(values.amount_pass),
    }
    out["c_grade"] = grade.isin(amounts).to_numpy()
    out["v_grade"] = grade.to_numpy()
    grade_gap = gaps.reasons(rows, "bases", "grade").where(~grade.isin(amounts), "")
    unknown["grade"] = grade_gap.to_numpy(dtype=object)
    out["amount_fen"] = grade.map(amounts).fillna(0).astype("int64").to_numpy()
    out["key_base"] = bl.identity(PREFIX, rows)
    out["identities"] = out["key_base"]
    out["basis"] = (rows["base_name"] + "：" + str(ctx.year) + "年度绩效评估" + grade).to_numpy(
        dtype=object
    )
    return bl.once_listed(finish(out, CONDITIONS, values.shown(ctx.month), unknown), rows)
