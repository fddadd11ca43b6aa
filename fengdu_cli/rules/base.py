"""What every subsidy rule shares: the month's facts, conditions, and the result frame.

A rule is a small module with ``CODE``, ``NEEDS`` (extra data folders), ``CONDITIONS``
and ``evaluate(ctx, values) -> DataFrame``.  ``evaluate`` looks at every candidate
(usually every roster person) and returns one row each with a boolean column per
condition (``c_<name>``) and the fact it was judged on (``v_<name>``), so the same
frame gives the payment lines (eligible rows) and ``explain``'s trace (any row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from fengdu_cli import dates
from fengdu_cli.reconcile import Matched, Window

LINE_COLUMNS = [
    "rule", "payee_type", "payee_id", "payee_name", "township", "village", "household_id",
    "person_id", "person_name", "amount_fen", "period", "key", "basis",
]  # fmt: skip


@dataclass(frozen=True)
class Condition:
    """One condition of a rule: its column suffix and how a clerk reads it."""

    name: str
    label: str  # 人员类别属于 {categories}


@dataclass(frozen=True)
class Context:
    """The facts of month m that rules read (all frames already validated)."""

    month: int
    state: pd.DataFrame  # person_state: one row per roster person, with age
    matched: Matched
    insurance: pd.DataFrame  # every valid insurance row (employees need not be on the roster)
    extra: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # workshops, businesses, …

    @property
    def window(self) -> Window:
        return Window(self.month)

    @property
    def year(self) -> int:
        return self.month // 100


def amount_fen(values: Mapping[str, object], key: str = "amount") -> int:
    """An amount of the policy values in fen (exact)."""
    from fengdu_cli.money import to_fen

    return to_fen(values[key])


def condition_text(cond: Condition, values: Mapping[str, object]) -> str:
    """The condition with the policy values filled in (lists joined with '/')."""
    shown = {
        k: "/".join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in values.items()
    }
    try:
        return cond.label.format_map(shown)
    except (KeyError, IndexError, ValueError):
        return cond.label


def finish(
    frame: pd.DataFrame,
    conditions: Sequence[Condition],
    values: Mapping[str, object],
) -> pd.DataFrame:
    """Add ``eligible`` (all conditions hold) and ``failed`` (the first that does not)."""
    eligible = pd.Series(True, index=frame.index)
    failed = pd.Series("", index=frame.index, dtype=object)
    for cond in conditions:
        ok = frame[f"c_{cond.name}"].fillna(False).astype(bool)
        failed = failed.where(failed.ne("") | ok, condition_text(cond, values))
        eligible &= ok
    frame["eligible"] = eligible
    frame["failed"] = failed
    return frame


def person_columns(state: pd.DataFrame) -> pd.DataFrame:
    """The columns of a person that every line carries."""
    base = state[["id_number", "name", "township", "village", "household_id"]].copy()
    return base.rename(columns={"id_number": "person_id", "name": "person_name"})


def period_text(month: int, frequency: str) -> str:
    """'2024-06' for a monthly rule, '2024' for a yearly one, '' for once."""
    if frequency == "monthly":
        return dates.month_text(month)
    if frequency == "yearly":
        return str(month // 100)
    return ""
