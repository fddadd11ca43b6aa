"""Facts several rules ask about a person at month m, computed once per column."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from fengdu_cli.match import Window, active_at_end, stable_for
from fengdu_cli.normalise import is_labor_capable
from fengdu_cli.regions import OUTSIDE_COUNTY


def text_column(state: pd.DataFrame, column: str) -> pd.Series:
    """A text column of the state, blank where the inputs had no such column."""
    if column not in state:
        return pd.Series("", index=state.index, dtype=object)
    return state[column].fillna("").astype(object)


def is_in_categories(state: pd.DataFrame, categories: Iterable[str]) -> pd.Series:
    """The person has one of the category facts ``categories`` (DESIGN §6: a 脱贫不稳定户
    is 脱贫人口 and 监测对象 and 脱贫不稳定户)."""
    if "category_facts" not in state:
        return pd.Series(False, index=state.index)
    facts = state["category_facts"].fillna("").astype(str)
    found = pd.Series(False, index=state.index)
    for category in categories:
        found |= facts.str.contains(f"|{category}|", regex=False)
    return found


def is_able_to_work(state: pd.DataFrame) -> pd.Series:
    """Able to work (DESIGN §6); False where the roster has no 劳动技能 column."""
    if "labor_capacity" not in state:
        return pd.Series(False, index=state.index)
    return is_labor_capable(state["labor_capacity"])


def active_jobs(jobs: pd.DataFrame, window: Window) -> pd.DataFrame:
    return jobs[active_at_end(jobs, window)]


def outside_jobs(
    jobs: pd.DataFrame,
    window: Window,
    *,
    stable_months: int = 0,
    regions: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Active jobs outside the county (optionally only ``regions``, stable N months)."""
    mask = active_at_end(jobs, window) & jobs["region"].isin(OUTSIDE_COUNTY)
    if regions is not None:
        mask &= jobs["region"].isin(regions)
    if stable_months:
        mask &= stable_for(jobs, window, stable_months)
    return jobs[mask]


def first_per_person(jobs: pd.DataFrame) -> pd.DataFrame:
    """One job per person: the earliest start (the longest-standing), indexed by ID."""
    return (
        jobs.sort_values(["id_number", "start_date"], kind="stable")
        .groupby("id_number")
        .head(1)
        .set_index("id_number")
    )


def describe_job(job: pd.DataFrame) -> pd.DataFrame:
    """Per job row what ``fact_job`` words ('单位名（重庆市渝北区，2023-03-01起）'): the employer
    (its name, else its credit code) as ``value``, ``region`` as typed and ``start``."""
    start: pd.Series = job["start_date"].dt.strftime("%Y-%m-%d").fillna("?")
    name = job["employer_name"].where(job["employer_name"].astype(str) != "", job["employer_code"])
    return pd.DataFrame(
        {"value": name.astype(str), "region": job["work_region"].astype(str), "start": start},
        index=job.index,
    )
