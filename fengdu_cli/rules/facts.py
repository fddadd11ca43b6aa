"""Facts several rules ask about a person at month m, computed once per column."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from fengdu_cli import gaps
from fengdu_cli.match import Window, active_at_end, stable_for
from fengdu_cli.normalise import is_labor_capable
from fengdu_cli.regions import OUTSIDE_COUNTY, region_class


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


def employer_in_remit(
    ids: pd.Series, codes: pd.Series, contrib: pd.DataFrame, region: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Is each employer ``codes`` (of the person ``ids`` on the same row) in the county's
    remit (``employer_scope``: a region code, or "any"), and what says so: the region its
    credit code is registered in, and the key that words the finding.

    本工具的理解 (hire_once, insurance_subsidy): each district pays its own employers —
    the credit code is registered in ``region``, or the insurance export's 参保地 says the
    employer insures that person in the county."""
    code = codes.astype(object).fillna("").astype(str)
    registered = code.str[2:8]
    if region == "any":
        key = np.full(len(ids), "fact_employer_any", dtype=object)
        return np.ones(len(ids), dtype=bool), registered.to_numpy(dtype=object), key
    by_code = registered.eq(region)
    insured_here = pd.Series(False, index=ids.index)
    if "insured_region" in contrib:
        rows = contrib[contrib["insured_region"].map(region_class).eq("county")]
        here = pd.MultiIndex.from_arrays([rows["id_number"], rows["employer_code"]])
        pairs = pd.MultiIndex.from_arrays([ids.astype(object), code])
        insured_here = pd.Series(pairs.isin(here), index=ids.index)
    key = np.select(
        [code.eq(""), by_code, insured_here],
        ["fact_none", "fact_employer_code", "fact_employer_insured"],
        "fact_employer_elsewhere",
    )
    return (
        (by_code | insured_here).to_numpy(),
        registered.to_numpy(dtype=object),
        key.astype(object),
    )


SHARE_COLUMNS = {
    "employer": ("employer_amount",),
    "personal": ("personal_amount",),
    "both": ("employer_amount", "personal_amount"),
}


def share_fen(rows: pd.DataFrame, types: Iterable[str], share: str) -> tuple[pd.Series, pd.Series]:
    """Per insurance row: the fen of ``share`` (the employer's part, the person's, or both)
    when its type names one of ``types`` (养老 counts 企业职工基本养老保险), else 0; and why
    that cannot be known ('' when it can: a Said when the type or a needed amount is missing,
    blank or unreadable).  A refund row is negative: summed with what it refunds it nets out."""
    columns = SHARE_COLUMNS.get(share, SHARE_COLUMNS["employer"])
    kind = rows["insurance_type"] if "insurance_type" in rows else pd.Series("", index=rows.index)
    kind = kind.fillna("").astype(str)
    words = tuple(types)
    counted = kind.map(lambda t: any(w in t for w in words)).astype(bool)
    fen = pd.Series(0, index=rows.index, dtype="int64")
    why = gaps.reasons(rows, "insurance", "insurance_type")
    for column in columns:
        values = pd.to_numeric(rows[column], errors="coerce") if column in rows else None
        if values is not None:
            fen += (values * 100).round().fillna(0).astype("int64").where(counted, 0)
        gap = gaps.reasons(rows, "insurance", column)
        pending = counted & gaps.known(why) & ~gaps.known(gap)
        if pending.any():
            why[pending] = gaps.objects(list(gap[pending]), why.index[pending])
    return fen, why


def first_reasons(why: pd.Series, keys: list[pd.Series] | pd.Series) -> pd.Series:
    """Per group of ``keys``: the distinct reasons of its rows as a tuple of Said ('' when
    none): why a sum over the group cannot be known."""
    pending = ~gaps.known(why)
    if not pending.any():
        return pd.Series(dtype=object)
    out: dict[object, tuple[object, ...]] = {}
    frame = pd.DataFrame({"why": why[pending]})
    grouped = frame.groupby([k[pending] for k in keys] if isinstance(keys, list) else keys[pending])
    for key, part in grouped["why"]:
        found: list[object] = []
        for value in part:
            for said in value if isinstance(value, tuple) else (value,):
                if said not in found:
                    found.append(said)
        out[key] = tuple(found)
    return pd.Series(out, dtype=object)
