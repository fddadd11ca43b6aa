"""就业帮扶基地奖补 (base_award) — paid to the base, once per base and calendar year.

Notice 一(一)4: “对吸纳脱贫人口稳定就业3个月、人数10人以上的就业帮扶基地给予奖补，认定办法和奖补
规则另行制定，并报市人力社保局备案。”  The amount is set elsewhere (未配置 until the county sets
it).  One row per base of bases/ of type 就业帮扶基地:

- recognised: on the list, 认定日期 on or before the last day of m and 有效期至 (when given) on
  or after the first day of m;
- the base can be paid: it has a valid credit code (GB 32100 check character);
- at the end of m at least ``min_persons`` distinct roster people of ``categories`` have a
  job at the base's credit code stable for ``min_stable_months`` months (DESIGN §6).  When a
  few more employees' category cannot be read and would reach the number, it is 无法判断.

Yearly: the ledger pays a base once per calendar year (identities ``基地:<credit code>``), in
the first month of the year that is computed and committed while it qualifies.
A base listed twice (the same credit code) is paid once: the other rows fail
“同一单位在名单中重复列出” (:func:`base_list.once_listed`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from fengdu_cli import gaps
from fengdu_cli.match import stable_for
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.policy.schema import BaseAwardValues
from fengdu_cli.rules import base_list as bl
from fengdu_cli.rules.base import JOB_DATES, Condition, Context, finish
from fengdu_cli.rules.facts import is_in_categories

CODE = "base_award"
NEEDS: tuple[str, ...] = ("bases",)
VALUES = BaseAwardValues
CONDITIONS: tuple[Condition, ...] = (
    bl.type_condition(CODE),
    bl.RECOGNISED,
    bl.PAYEE,
    Condition("persons", "cond_base_award_persons", JOB_DATES, fact="fact_persons"),
)


PREFIX = "基地"  # identities: '基地:<credit code>'


def history_key(row: Mapping[str, object], person: str, month: int) -> tuple[str, str]:
    """How ``ledger import`` keys a past 就业帮扶基地奖补 line: by the credit code the list names
    (``基地:<code>``), as the rule keys its own; the ledger adds the year."""
    del person, month  # paid to the organisation, once a year
    return bl.history_identity(PREFIX, row)


def evaluate(ctx: Context, values: BaseAwardValues) -> pd.DataFrame:
    rows, out = bl.candidates(ctx, "就业帮扶基地")
    unknown = bl.unknowns(out)
    jobs = ctx.matched.jobs
    jobs = jobs[jobs["employer_code"].isin(set(rows["employer_code"]) - {""})]
    jobs = jobs[stable_for(jobs, ctx.window, values.min_stable_months).fillna(False)]
    state = ctx.state.set_index("id_number")
    people = state.reindex(jobs["id_number"]).reset_index()
    counts = is_in_categories(people, values.categories).to_numpy()
    gap = gaps.state_column("roster.category")
    unread = (
        ~gaps.known(people[gap]).to_numpy() if gap in people else np.zeros(len(jobs), dtype=bool)
    )
    found = jobs.assign(_counts=counts, _unread=unread & ~counts)
    per_base = found[found["_counts"]].groupby("employer_code")["id_number"].nunique()
    maybe = found[found["_unread"]].groupby("employer_code")["id_number"].nunique()
    code = rows["employer_code"]
    persons = code.map(per_base).fillna(0).astype(int)
    more = code.map(maybe).fillna(0).astype(int)
    out["c_persons"] = (persons >= values.min_persons).to_numpy()
    out["v_persons"] = persons.astype(str).to_numpy()
    pending = (persons < values.min_persons) & (persons + more >= values.min_persons)
    said = [Said("gap_persons_unread", {"count": int(n)}) for n in more[pending]]
    reasons = pd.Series("", index=rows.index, dtype=object)
    if said:
        reasons[pending] = gaps.objects(said, rows.index[pending])
    unknown["persons"] = reasons.to_numpy(dtype=object)
    out["amount_fen"] = to_fen(values.amount)
    out["key_base"] = bl.identity(PREFIX, rows)
    out["identities"] = out["key_base"]
    out["basis"] = (
        rows["base_name"] + "：月末稳定就业满" + str(values.min_stable_months) + "个月的脱贫人口"
        + persons.astype(str) + "人（" + str(ctx.year) + "年度）"
    )  # fmt: skip
    return bl.once_listed(finish(out, CONDITIONS, values.shown(ctx.month), unknown), rows)
