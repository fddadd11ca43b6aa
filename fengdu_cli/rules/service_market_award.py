"""就业服务超市奖补 (service_market_award) — paid to the market, once per calendar year.

Notice 三(一)2: “在有条件的村（社区）因地制宜建设就业服务超市，并按规定给予一定奖补。”  The
amount is “按规定” (未配置 until the county sets it).  One row per base of bases/ of type
就业服务超市:

- recognised on or before the last day of m (认定日期), and valid in m (有效期至, when given,
  not before the first day of m);
- it has a valid credit code (paid as an organisation; GB 32100 check character; a village
  market without one is listed, not paid).

A market listed twice (the same credit code) is paid once: the other rows fail
“同一单位在名单中重复列出”.

Yearly: identities ``超市:<credit code>`` (``超市:<name>@<township><village>`` without one).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import ServiceMarketAwardValues
from fengdu_cli.rules import base_list as bl
from fengdu_cli.rules.base import Condition, Context, finish

CODE = "service_market_award"
NEEDS: tuple[str, ...] = ("bases",)
VALUES = ServiceMarketAwardValues
CONDITIONS: tuple[Condition, ...] = (bl.type_condition(CODE), bl.RECOGNISED, bl.PAYEE)


PREFIX = "超市"  # identities: '超市:<credit code>'


def history_key(row: Mapping[str, object], person: str, month: int) -> tuple[str, str]:
    """How ``ledger import`` keys a past 就业服务超市奖补 line: by the credit code the list names
    (``超市:<code>``), as the rule keys its own; the ledger adds the year."""
    del person, month  # paid to the organisation, once a year
    return bl.history_identity(PREFIX, row)


def evaluate(ctx: Context, values: ServiceMarketAwardValues) -> pd.DataFrame:
    rows, out = bl.candidates(ctx, "就业服务超市")
    unknown = bl.unknowns(out)
    out["amount_fen"] = to_fen(values.amount)
    out["key_base"] = bl.identity(PREFIX, rows)
    out["identities"] = out["key_base"]
    place = rows["township"] + rows["village"]
    out["basis"] = (
        rows["base_name"] + "（" + place + "）：认定日期"
        + pd.Series(out["v_recognised"], index=rows.index).astype(str).replace("", "未填")
        + "，" + str(ctx.year) + "年度奖补"
    ).to_numpy(dtype=object)  # fmt: skip
    return bl.once_listed(finish(out, CONDITIONS, values.shown(ctx.month), unknown), rows)
