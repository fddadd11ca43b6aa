"""What every subsidy rule shares: the month's facts, conditions, and the result frame.

A rule is a small module (see :class:`Rule`) with ``CODE``, ``NEEDS`` (extra data
folders), ``CONDITIONS``, ``VALUES`` (its typed policy values, :mod:`fengdu_cli.policy.schema`)
and ``evaluate(ctx, values) -> DataFrame``.  ``evaluate`` looks at every candidate
(usually every roster person) and returns one row each with a boolean column per
condition (``c_<name>``) and the fact it was judged on (``v_<name>``), so the same
frame gives the payment lines (eligible rows) and ``explain``'s trace (any row).

Nothing here is worded: a condition is a catalogue key (``cond_…``) filled with the policy
values, ``failed`` and ``unknown`` hold :class:`~fengdu_cli.messages.Said` values, and a
fact is a value (data as typed, a date, a number) with the catalogue key that words it
(:func:`fact_said`); the edge (explain, the lists) words them in the reader's language.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from string import Formatter
from typing import Protocol, TypeVar

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps
from fengdu_cli.match import Matched, Window
from fengdu_cli.messages import CATALOGUES, Said, fill, text
from fengdu_cli.policy.schema import RuleValues

LINE_COLUMNS = [
    "rule", "payee_type", "payee_id", "payee_name", "township", "village", "household_id",
    "person_id", "person_name", "amount_fen", "period", "key", "basis", "identities",
]  # fmt: skip


@dataclass(frozen=True)
class Condition:
    """One condition of a rule: its column suffix, the catalogue key a clerk reads it by
    (``cond_category``: 人员类别属于 {categories}), the facts it is judged on ('kind.column':
    when one of them is unknown for a candidate, the condition is neither met nor failed,
    and the candidate is 无法判断), and the catalogue key that words its fact ``v_<name>``
    (``fact_age``: {value}岁; None: the value is shown as it is)."""

    name: str
    key: str
    needs: tuple[str, ...] = ()
    fact: str | None = None


# What the employment conditions stand on: the dates of the jobs, and where / how.
JOB_DATES = ("employment.start_date", "employment.end_date")


@dataclass(frozen=True)
class Context:
    """The facts of month m that rules read (all frames already validated)."""

    month: int
    state: pd.DataFrame  # person_state: one row per roster person, with age
    matched: Matched
    # every valid insurance row of a contributed month (employees need not be on the
    # roster), or how to find them: found when a rule first asks (``insurance``)
    insurance_rows: pd.DataFrame | Callable[[], pd.DataFrame]
    extra: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # workshops, businesses, …
    # every valid employment row, on the roster or not (a placement's person need not be)
    employment: pd.DataFrame | None = None

    @functools.cached_property
    def insurance(self) -> pd.DataFrame:
        """Every valid insurance row of a contributed month: sifted from a county's million
        rows only in a month where a rule that reads them is computed."""
        rows = self.insurance_rows
        return rows if isinstance(rows, pd.DataFrame) else rows()

    @property
    def all_jobs(self) -> pd.DataFrame:
        """Every employment row (the roster's jobs when the whole export was not given), with
        the columns a job always has."""
        jobs = self.matched.jobs if self.employment is None else self.employment
        jobs = (
            jobs.copy()
            if any(c not in jobs for c in ("end_date", "employment_type", "employer_name"))
            else jobs
        )
        if "end_date" not in jobs:
            jobs["end_date"] = pd.NaT
        for column in ("employment_type", "employer_name"):
            if column not in jobs:
                jobs[column] = ""
        return jobs

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

    A rule whose payments are not one per person in its scope (a loan per month, a
    student per school year, a trainee per course) also has
    ``history_key(row, person, month) -> (key_base, identities)``: how ``ledger import``
    keys a past payment of it, so that the rule sees that payment as made (or raises
    :class:`HistoryKeyError` when the row does not say which item it paid).
    """

    CODE: str
    NEEDS: tuple[str, ...]  # data folders beyond rosters, employment and insurance
    CONDITIONS: tuple[Condition, ...]
    VALUES: type[V]

    def evaluate(self, ctx: Context, values: V) -> pd.DataFrame: ...


class HistoryKeyError(ValueError):
    """Raised by a rule's ``history_key`` for a past payment it cannot key (a list that does
    not say which course, loan or school year was paid): the import reports the row with
    ``said`` and records nothing for it — never a guess."""

    def __init__(self, said: Said) -> None:
        super().__init__(said.key)
        self.said = said


def condition_said(cond: Condition, values: Mapping[str, object]) -> Said:
    """The condition with the policy values filled in (lists joined with '/'), to be worded;
    ``values`` is the plain mapping of the typed values (``RuleValues.shown``).  A value the
    label names but ``values`` lacks is left as its ``{name}``."""
    fields = [f for _, f, _, _ in Formatter().parse(CATALOGUES["zh"][cond.key]) if f]
    params: dict[str, object] = {}
    for name in dict.fromkeys(fields):
        value = values.get(name, "{" + name + "}")
        params[name] = "/".join(map(str, value)) if isinstance(value, list | tuple) else value
    return Said(cond.key, params)


def condition_text(cond: Condition, values: Mapping[str, object], lang: str = "zh") -> str:
    """:func:`condition_said` in ``lang``."""
    return condition_said(cond, values).text(lang)


def fact_said(cond: Condition, row: Mapping[str, object]) -> object:
    """The fact ``cond`` was judged on in one row of a rule's frame, to be worded: the row's
    own key (``f_<name>``) or the condition's ``fact`` with the value (``v_<name>``) and
    any ``v_<name>__<param>``; a missing value is 无 (``fact_none``); a value without a
    key is data, shown as it is."""
    value = row.get(f"v_{cond.name}")
    key = row.get(f"f_{cond.name}")
    prefix = f"v_{cond.name}__"
    extras = {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}
    if isinstance(key, str) and key:
        return Said(key, {"value": value, **extras})
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return Said("fact_none")
    if cond.fact:
        return Said(cond.fact, {"value": value, **extras})
    return value if isinstance(value, Said) else str(value)


def fact_words(frame: pd.DataFrame, cond: Condition, lang: str = "zh") -> pd.Series:
    """:func:`fact_said` worded for every row at once (the rule's ``basis``); for facts
    without a per-row key (``f_<name>``)."""
    value = frame[f"v_{cond.name}"]
    prefix = f"v_{cond.name}__"
    if cond.fact:
        extras = {k[len(prefix) :]: frame[k] for k in frame.columns if k.startswith(prefix)}
        shown = fill(cond.fact, lang, value=value, **extras)
    else:
        shown = value.astype(str)
    return shown.where(value.notna(), text("fact_none", lang))


def finish(
    frame: pd.DataFrame,
    conditions: Sequence[Condition],
    values: Mapping[str, object],
    unknown: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """Add ``eligible`` (every condition holds), ``failed`` (the first that does not, as
    :func:`condition_said` with ``values``: ``RuleValues.shown``), ``undetermined`` (none
    failed, but one could not be judged) and ``unknown`` (why: a tuple of Said).

    ``unknown[name]``: per row, why condition ``name`` cannot be judged ('' = it can; else a
    Said or a tuple of Said); see :func:`person_unknowns`.  Kept as ``u_<name>`` for
    ``explain``.
    """
    unknown = unknown or {}
    eligible = pd.Series(True, index=frame.index)
    failed = pd.Series("", index=frame.index, dtype=object)
    why = pd.Series("", index=frame.index, dtype=object)
    for cond in conditions:
        ok = frame[f"c_{cond.name}"].fillna(False).astype(bool)
        given = unknown.get(cond.name)
        if given is None:
            reason = pd.Series("", index=frame.index, dtype=object)
        else:
            reason = pd.Series(given, index=frame.index, dtype=object).fillna("")
        frame[f"u_{cond.name}"] = reason
        pending = ~gaps.known(reason)
        # pandas-stubs leave out an object as the value of where
        failed = failed.where(  # type: ignore[call-overload]
            failed.ne("") | ok | pending, condition_said(cond, values)
        )
        eligible &= ok & ~pending
        if pending.any():
            merged = [_add_reason(w, r) for w, r in zip(why[pending], reason[pending], strict=True)]
            why[pending] = gaps.objects(merged, why.index[pending])
    frame["eligible"] = eligible
    frame["failed"] = failed
    frame["undetermined"] = ~eligible & failed.eq("") & ~gaps.known(why)
    frame["unknown"] = why.where(frame["undetermined"], "")
    return frame


def _reasons(value: object) -> tuple[Said, ...]:
    if isinstance(value, Said):
        return (value,)
    return tuple(value) if isinstance(value, tuple) else ()


def _add_reason(known: object, more: object) -> tuple[Said, ...]:
    parts = _reasons(known)
    return parts + tuple(p for p in _reasons(more) if p not in parts)


def person_unknowns(
    state: pd.DataFrame, conditions: Sequence[Condition], ids: pd.Series
) -> dict[str, np.ndarray]:
    """Per condition with needs: why it cannot be judged for each person of ``ids`` (a
    tuple of Said, '' where it can)."""
    out: dict[str, np.ndarray] = {}
    if not any(c.startswith("_gap_") for c in state.columns):
        return out
    for cond in conditions:
        if not cond.needs:
            continue
        reasons = gaps.why(state, cond.needs)
        if gaps.known(reasons).all():
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
