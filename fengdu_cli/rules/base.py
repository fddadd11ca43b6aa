"""What every subsidy rule shares: the month's facts, conditions, and the result frame.

A rule is a small module (see :class:`Rule`) with ``CODE``, ``NEEDS`` (extra data
folders), ``CONDITIONS``, ``VALUES`` (its typed policy values, :mod:`fengdu_cli.policy.schema`)
and ``evaluate(ctx, values) -> DataFrame``.  ``evaluate`` looks at every candidate
(usually every roster person) and returns one row each with a boolean column per
condition (``c_<name>``) and the fact it was judged on (``v_<name>``), so the same
frame gives the payment lines (eligible rows) and ``explain``'s trace (any row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps
from fengdu_cli.match import Matched, Window
from fengdu_cli.policy.schema import RuleValues

LINE_COLUMNS = [
    "rule", "payee_type", "payee_id", "payee_name", "township", "village", "household_id",
    "person_id", "person_name", "amount_fen", "period", "key", "basis", "identities",
]  # fmt: skip


@dataclass(frozen=True)
class Condition:
    """One condition of a rule: its column suffix, how a clerk reads it, and the facts it
    is judged on ('kind.column'): when one of them is unknown for a candidate, the
    condition is neither met nor failed, and the candidate is 无法判断."""

    name: str
    label: str  # 人员类别属于 {categories}
    needs: tuple[str, ...] = ()


# What the employment conditions stand on: the dates of the jobs, and where / how.
JOB_DATES = ("employment.start_date", "employment.end_date")


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


V = TypeVar("V", bound=RuleValues)


class Rule(Protocol[V]):
    """What a rule module provides (each module of this package is one).

    ``VALUES`` is the frozen dataclass of its policy values; ``evaluate`` receives the
    period's instance of it (built once by the policy layer) and returns one row per
    candidate with ``c_``/``v_``/``u_`` columns per condition, ``eligible``, ``failed``,
    the payee columns, ``amount_fen``, ``key_base`` and ``identities``.
    """

    CODE: str
    NEEDS: tuple[str, ...]  # data folders beyond rosters, employment and insurance
    CONDITIONS: tuple[Condition, ...]
    VALUES: type[V]

    def evaluate(self, ctx: Context, values: V) -> pd.DataFrame: ...


def condition_text(cond: Condition, values: Mapping[str, object]) -> str:
    """The condition with the policy values filled in (lists joined with '/'); ``values``
    is the plain mapping of the typed values (``RuleValues.shown``)."""
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
    unknown: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """Add ``eligible`` (every condition holds), ``failed`` (the first that does not, worded
    with ``values``: ``RuleValues.shown``), ``undetermined`` (none failed, but one could
    not be judged) and ``unknown`` (why).

    ``unknown[name]``: per row, why condition ``name`` cannot be judged ('' = it can);
    see :func:`person_unknowns`.  Kept as ``u_<name>`` for ``explain``.
    """
    unknown = unknown or {}
    eligible = pd.Series(True, index=frame.index)
    failed = pd.Series("", index=frame.index, dtype=object)
    why = pd.Series("", index=frame.index, dtype=object)
    for cond in conditions:
        ok = frame[f"c_{cond.name}"].fillna(False).astype(bool)
        reason = pd.Series(unknown.get(cond.name, ""), index=frame.index, dtype=object)
        reason = reason.fillna("").astype(str)
        frame[f"u_{cond.name}"] = reason
        pending = reason.ne("")
        failed = failed.where(failed.ne("") | ok | pending, condition_text(cond, values))
        eligible &= ok & ~pending
        if pending.any():
            # pandas-stubs leave out a list as the value of a masked assignment
            why[pending] = [  # type: ignore[call-overload]
                _add_reason(w, r) for w, r in zip(why[pending], reason[pending], strict=True)
            ]
    frame["eligible"] = eligible
    frame["failed"] = failed
    frame["undetermined"] = ~eligible & failed.eq("") & why.ne("")
    frame["unknown"] = why.where(frame["undetermined"], "")
    return frame


def _add_reason(known: str, more: str) -> str:
    parts = [p for p in known.split("；") if p]
    parts += [p for p in more.split("；") if p and p not in parts]
    return "；".join(parts)


def person_unknowns(
    state: pd.DataFrame, conditions: Sequence[Condition], ids: pd.Series
) -> dict[str, np.ndarray]:
    """Per condition with needs: why it cannot be judged for each person of ``ids``."""
    out: dict[str, np.ndarray] = {}
    if not any(c.startswith("_gap_") for c in state.columns):
        return out
    for cond in conditions:
        if not cond.needs:
            continue
        reasons = gaps.why(state, cond.needs)
        if not reasons.ne("").any():
            continue
        reasons.index = state["id_number"].to_numpy()
        out[cond.name] = ids.map(reasons).fillna("").to_numpy(dtype=object)
    return out


def person_columns(state: pd.DataFrame) -> pd.DataFrame:
    """The columns of a person that every line carries."""
    columns = ["id_number", "name", "township", "village", "household_id"]
    base = state.reindex(columns=columns).copy()  # a roster may lack 村 or 户编号: blank then
    base[columns[1:]] = base[columns[1:]].astype(object).fillna("")
    return base.rename(columns={"id_number": "person_id", "name": "person_name"})


def key_suffix(frequency: str, month: int) -> str:
    """What a ledger key adds to its base for the rule's frequency: the month of a monthly
    rule ('|202406'), the year of a yearly one ('|2024'), nothing for a one-time rule."""
    return {"monthly": f"|{month}", "yearly": f"|{month // 100}"}.get(frequency, "")


def period_text(month: int, frequency: str) -> str:
    """'2024-06' for a monthly rule, '2024' for a yearly one, '' for once."""
    if frequency == "monthly":
        return dates.month_text(month)
    if frequency == "yearly":
        return str(month // 100)
    return ""
