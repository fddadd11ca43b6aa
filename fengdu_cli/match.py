"""Roster × employment × insurance: who is matched, and each person's state at month m.

Matching is by ID only, never by name alone (DESIGN §3).  Each match says how it was
made (``match_key``): ``exact`` when both sides typed the same 18 characters, ``repaired``
when an ID needed a rule to match (15→18 upgrade, full-width digits, spaces, lowercase
x).  IDs one typo away are only *suggested* (warning ``possible_id_typo``).

Time follows DESIGN §6 with all dates inclusive: a job is active at the end of m when it
started on or before the last day of m and has no end or ends on or after that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps
from fengdu_cli.needs import needed_columns
from fengdu_cli.regions import REGION_CLASSES, region_class
from fengdu_cli.townships import TOWNSHIPS

__all__ = [
    "REGION_CLASSES",
    "REGION_ZH",
    "Matched",
    "Window",
    "match",
    "person_state",
    "region_class",
]

REGION_ZH = {
    "county": "县内",
    "chongqing": "县外市内",
    "outside": "市外",
    "shandong": "山东",
    "unknown": "未填或无法识别",
}


@dataclass(frozen=True)
class Window:
    """The dates of month m that the definitions use."""

    month: int

    @property
    def first(self) -> pd.Timestamp:
        return pd.Timestamp(dates.first_day(self.month))

    @property
    def last(self) -> pd.Timestamp:
        return pd.Timestamp(dates.last_day(self.month))

    def first_of(self, months_back: int) -> pd.Timestamp:
        """The first day of month m − ``months_back``."""
        return pd.Timestamp(dates.first_day(dates.add_months(self.month, -months_back)))


def active_at_end(jobs: pd.DataFrame, window: Window) -> pd.Series:
    """Jobs active at the end of m: start ≤ last day and (no end or end ≥ last day)."""
    return (jobs["start_date"] <= window.last) & (
        jobs["end_date"].isna() | (jobs["end_date"] >= window.last)
    )


def stable_for(jobs: pd.DataFrame, window: Window, n: int) -> pd.Series:
    """Jobs stable for ``n`` months at m: active and started by the first day of m−(n−1)."""
    return active_at_end(jobs, window) & (jobs["start_date"] <= window.first_of(n - 1))


def tenure_months(start: pd.Series, window: Window) -> pd.Series:
    """The largest N for which a job that started on ``start`` is stable for N months at m."""
    start_month = start.dt.year * 100 + start.dt.month
    months = dates.month_index(window.month) - dates.month_indexes(start_month.fillna(window.month))
    full = months + (start.dt.day == 1).astype(int)
    return full.where(start.notna()).astype("Int64")


def consecutive_months(contrib: pd.DataFrame, keys: list[str], month: int) -> pd.Series:
    """Per ``keys`` group: how many months in a row, ending at m, have a contribution.

    ``contrib`` has one row per (keys…, period) — several insurance types already
    collapsed — and only periods ≤ m.  Indexed by ``keys``; 0 where m itself is missing.
    """
    if contrib.empty:
        index = (
            pd.MultiIndex.from_arrays([[] for _ in keys], names=keys)
            if len(keys) > 1
            else pd.Index([], name=keys[0], dtype=object)
        )
        return pd.Series([], index=index, dtype="int64")
    frame = contrib[[*keys, "period"]].drop_duplicates().copy()
    frame["gap"] = dates.month_index(month) - dates.month_indexes(frame["period"])
    frame = frame.sort_values([*keys, "gap"])
    frame["rank"] = frame.groupby(keys).cumcount()
    in_run = frame["gap"] == frame["rank"]
    return frame[in_run].groupby(keys).size()


@dataclass(frozen=True)
class Matched:
    """The three inputs restricted to roster persons, with their match labels."""

    roster: pd.DataFrame  # one row per valid roster person
    jobs: pd.DataFrame  # employment rows of roster persons (+ region, match_key)
    contrib: pd.DataFrame  # insurance rows of roster persons, one per id × employer × period


def _typed_as_is(frame: pd.DataFrame) -> pd.Series:
    """True where the ID as typed already was the normalised 18-character ID."""
    if "_raw_id_number" not in frame:
        return pd.Series(True, index=frame.index)
    raw = frame["_raw_id_number"].map(lambda v: v.strip() if isinstance(v, str) else None)
    return raw.eq(frame["id_number"]).fillna(False).astype(bool)


def match(roster: pd.DataFrame, employment: pd.DataFrame, insurance: pd.DataFrame) -> Matched:
    """Keep the employment and insurance rows of roster persons, labelled by match key."""
    people = roster.drop_duplicates("id_number").copy()
    if "_sender_township" in people:
        # a township typed wrongly is reported under the township that sent the file
        people["township"] = people["township"].where(
            people["township"].isin(TOWNSHIPS), people["_sender_township"]
        )
    people["_as_typed"] = _typed_as_is(people)
    typed = people.set_index("id_number")["_as_typed"]

    jobs = employment[employment["id_number"].isin(people["id_number"])].copy()
    jobs["_as_typed"] = _typed_as_is(jobs)
    jobs["match_key"] = np.where(
        jobs["_as_typed"] & jobs["id_number"].map(typed), "exact", "repaired"
    )
    for column in ("end_date", "employment_type", "work_region", "employer_name"):
        if column not in jobs:
            jobs[column] = pd.NaT if column == "end_date" else ""
    if "region" not in jobs:
        jobs["region"] = jobs["work_region"].map(region_class)

    contrib = contributed(insurance)
    contrib = contrib[contrib["id_number"].isin(people["id_number"])].copy()
    contrib["_as_typed"] = _typed_as_is(contrib)
    contrib["match_key"] = np.where(
        contrib["_as_typed"] & contrib["id_number"].map(typed), "exact", "repaired"
    )
    contrib["period"] = contrib["period"].astype("int64")
    return Matched(people.drop(columns="_as_typed"), jobs, contrib)


AMOUNTS = ("employer_amount", "personal_amount")


def contributed(insurance: pd.DataFrame) -> pd.DataFrame:
    """The insurance rows of contributed months (DESIGN §6): a person's rows for one employer
    and period count when their amounts net to more than 0 — a refund (退费) row cancels
    what it refunds.  Rows without amounts count as they are (the export had none)."""
    rows = insurance[insurance["period"].notna()]
    present = [c for c in AMOUNTS if c in rows]
    if rows.empty or not present:
        return rows
    amounts = rows[present].apply(pd.to_numeric, errors="coerce")
    known = amounts.notna().any(axis=1)
    keys = [rows["id_number"], rows["employer_code"], rows["period"]]
    net = amounts.sum(axis=1).groupby(keys).transform("sum")
    any_known = known.groupby(keys).transform("any")
    return rows[~any_known | (net > 0)]


def person_state(matched: Matched, month: int) -> pd.DataFrame:
    """Each roster person's employment state at the end of ``month`` (one row per ID)."""
    window = Window(month)
    people = matched.roster
    jobs = matched.jobs.copy()
    jobs["active"] = active_at_end(jobs, window)
    jobs["stable3"] = stable_for(jobs, window, 3)
    jobs["ended_in_m"] = jobs["end_date"].between(window.first, window.last)
    jobs["started_12m"] = jobs["start_date"].between(window.first_of(11), window.last)

    state = pd.DataFrame(index=pd.Index(people["id_number"], name="id_number"))
    by_person = jobs.groupby("id_number")
    state["jobs"] = by_person.size()
    state["active_jobs"] = by_person["active"].sum()
    state["stable3_jobs"] = by_person["stable3"].sum()
    state["ended_in_m"] = by_person["ended_in_m"].sum()
    state["employers_12m"] = (
        jobs[jobs["started_12m"]].groupby("id_number")["employer_code"].nunique()
    )

    current = (
        jobs[jobs["active"]]
        .sort_values(["id_number", "start_date"], kind="stable")
        .groupby("id_number")
        .tail(1)
        .set_index("id_number")
    )
    state["employer_code"] = current["employer_code"]
    state["employer_name"] = current["employer_name"]
    state["employment_type"] = current["employment_type"]
    state["start_date"] = current["start_date"]
    state["work_region"] = current["work_region"]
    state["region"] = current["region"]
    state["tenure_months"] = tenure_months(current["start_date"], window)
    state["match_employment"] = best_key(jobs)

    contrib = matched.contrib[matched.contrib["period"] <= month]
    per_month = contrib.drop_duplicates(["id_number", "period"])
    state["insured_m"] = per_month[per_month["period"] == month].groupby("id_number").size() > 0
    prev = dates.add_months(month, -1)
    state["insured_prev"] = per_month[per_month["period"] == prev].groupby("id_number").size() > 0
    state["last_insured_month"] = per_month.groupby("id_number")["period"].max()
    state["match_insurance"] = best_key(matched.contrib)
    with_current = contrib.merge(
        current[["employer_code"]].reset_index(), on=["id_number", "employer_code"], how="inner"
    )
    state["insured_months_current"] = consecutive_months(with_current, ["id_number"], month)
    state["insured_records"] = matched.contrib.groupby("id_number").size()

    for column in ("jobs", "active_jobs", "stable3_jobs", "ended_in_m", "employers_12m",
                   "insured_months_current", "insured_records"):  # fmt: skip
        state[column] = state[column].fillna(0).astype(int)
    for column in ("insured_m", "insured_prev"):
        state[column] = state[column].fillna(False).astype(bool)
    state["last_insured_month"] = state["last_insured_month"].astype("Int64")
    state["region"] = state["region"].fillna("")
    for column in ("match_employment", "match_insurance", "employer_code", "employer_name",
                   "employment_type", "work_region"):  # fmt: skip
        state[column] = state[column].fillna("").astype(object)
    _person_gaps(state, people, jobs, window)
    # what the roster says (e.g. its 务工单位) stays beside what the data says, renamed
    overlap = [c for c in state.columns if c in people.columns and c != "id_number"]
    people = people.rename(columns={c: f"roster_{c}" for c in overlap})
    return people.set_index("id_number").join(state).reset_index()


def _person_gaps(
    state: pd.DataFrame, people: pd.DataFrame, jobs: pd.DataFrame, window: Window
) -> None:
    """Per person and needed column, why the fact is unknown ('' when it is known):
    ``_gap_roster__<column>`` from their roster row, ``_gap_employment__<column>`` from
    the first of their jobs that can matter at m (started by its end, and not known to
    have ended before m−11) whose column is unknown."""
    ids = people["id_number"]
    for column in sorted(needed_columns("roster")):
        reasons = gaps.reasons(people, "roster", column)
        if reasons.ne("").any():
            state[gaps.state_column(f"roster.{column}")] = reasons.set_axis(ids).reindex(
                state.index
            )
    relevant = (jobs["start_date"].isna() | (jobs["start_date"] <= window.last)) & ~(
        jobs["end_date"] < window.first_of(11)
    )
    candidates = jobs[relevant]
    for column in sorted(needed_columns("employment")):
        name = gaps.gap_column(column)
        if name not in candidates or not candidates[name].fillna("").ne("").any():
            continue
        hit = candidates[candidates[name].fillna("").ne("")].drop_duplicates("id_number")
        reasons = gaps.reasons(hit, "employment", column).set_axis(hit["id_number"])
        state[gaps.state_column(f"employment.{column}")] = reasons.reindex(state.index).fillna("")


def best_key(records: pd.DataFrame) -> pd.Series:
    """Per person: 'exact' when any record matched exactly, else 'repaired'."""
    exact = records["match_key"].eq("exact").groupby(records["id_number"]).any()
    return exact.map({True: "exact", False: "repaired"})


def matched_counts(state: pd.DataFrame) -> dict[str, int]:
    """DESIGN §6: persons with at least one employment record / contribution row, any date."""
    return {
        "employment": int((state["jobs"] > 0).sum()),
        "insurance": int((state["insured_records"] > 0).sum()),
    }


def as_of(month: int) -> dt.date:
    """The date ages and IDs are judged on for month m: its last day."""
    return dates.last_day(month)
