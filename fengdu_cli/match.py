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


def _clean_text(values: pd.Series) -> np.ndarray:
    """True where the value is a text without surrounding whitespace."""
    return np.fromiter(
        (isinstance(v, str) and v == v.strip() for v in values), dtype=bool, count=len(values)
    )


def _typed_as_is_at(frame: pd.DataFrame, at: np.ndarray, clean: np.ndarray) -> np.ndarray:
    """:func:`_typed_as_is` of rows whose ID is the person's at ``at`` (positions into the
    persons, all found), where ``clean`` says which persons' IDs are texts without surrounding
    whitespace.  A raw ID equal to the ID is typed as is exactly when that ID is such a text,
    so only the few rows typed otherwise are stripped one by one."""
    if "_raw_id_number" not in frame:
        return np.ones(len(frame), dtype=bool)
    raw, ids = frame["_raw_id_number"], frame["id_number"]
    same = raw.eq(ids).fillna(False).to_numpy(dtype=bool)
    out = same & clean[at]
    other = ~same
    if other.any():
        out[other] = _typed_as_is(frame[other]).to_numpy(dtype=bool)
    return out


def _find(ids: pd.Index, values: pd.Series) -> np.ndarray:
    """Each value's position among the unique ``ids``, -1 where it is not there (a blank
    finds a blank, as ``isin`` does)."""
    return np.asarray(ids.get_indexer(pd.Index(values.to_numpy(), dtype=object)))


def _positions(ids: pd.Index, values: pd.Series) -> np.ndarray:
    """Each value's position among the unique ``ids``, -1 where it is not there or blank
    (a blank ID belongs to nobody, as a group key it is dropped)."""
    at = _find(ids, values)
    blank = values.isna().to_numpy()
    if blank.any():
        at[blank] = -1
    return at


def _key_labels(typed: np.ndarray, own: np.ndarray) -> np.ndarray:
    """'exact' where both the row and its person's roster row were typed as is."""
    return np.where(own & typed, "exact", "repaired")


def match(roster: pd.DataFrame, employment: pd.DataFrame, insurance: pd.DataFrame) -> Matched:
    """Keep the employment and insurance rows of roster persons, labelled by match key.

    Rows are found by each ID's position among the roster persons (hashed once per input),
    and the persons' labels taken by position."""
    people = roster.drop_duplicates("id_number")  # a new frame: changing it leaves roster
    if "_sender_township" in people:
        # a township typed wrongly is reported under the township that sent the file
        people["township"] = people["township"].where(
            people["township"].isin(TOWNSHIPS), people["_sender_township"]
        )
    people["_as_typed"] = _typed_as_is(people)
    person_ids = pd.Index(people["id_number"])
    typed = people["_as_typed"].to_numpy(dtype=bool)
    clean = _clean_text(people["id_number"])

    at = _find(person_ids, employment["id_number"])
    jobs = employment[at >= 0]  # a new frame (copy on write)
    at = at[at >= 0]
    jobs["_as_typed"] = _typed_as_is_at(jobs, at, clean)
    jobs["match_key"] = _key_labels(typed[at], jobs["_as_typed"].to_numpy(dtype=bool))
    for column in ("end_date", "employment_type", "work_region", "employer_name"):
        if column not in jobs:
            jobs[column] = pd.NaT if column == "end_date" else ""
    if "region" not in jobs:
        jobs["region"] = jobs["work_region"].map(region_class)

    contrib, at = _roster_contributions(insurance, person_ids)
    contrib["_as_typed"] = _typed_as_is_at(contrib, at, clean)
    contrib["match_key"] = _key_labels(typed[at], contrib["_as_typed"].to_numpy(dtype=bool))
    contrib["period"] = contrib["period"].astype("int64")
    return Matched(people.drop(columns="_as_typed"), jobs, contrib)


def _roster_contributions(
    insurance: pd.DataFrame, person_ids: pd.Index
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`contributed` rows of the persons ``person_ids``, with each row's person position.

    Whether a row counts depends on its own (ID, employer, period) group only, so the rows of
    other IDs are set aside before the groups are summed, and the kept rows taken in one go."""
    rows = insurance[insurance["period"].notna()]
    at = _find(person_ids, rows["id_number"])
    amounts = any(c in rows for c in AMOUNTS) and not rows.empty
    if amounts and _blank_keys(rows).any():  # the general path, as it treats blank keys
        kept = contributed(insurance)
        kept = kept[kept["id_number"].isin(person_ids)]
        return kept.copy(), _find(person_ids, kept["id_number"])
    ours = np.flatnonzero(at >= 0)
    at = at[ours]
    keep = _contributed_mask(rows.take(ours), at)
    if keep is not None:
        ours, at = ours[keep], at[keep]
    return rows.take(ours), at


def _blank_keys(rows: pd.DataFrame) -> np.ndarray:
    """Rows with a blank (ID, employer, period) key."""
    return (
        rows["id_number"].isna() | rows["employer_code"].isna() | rows["period"].isna()
    ).to_numpy(dtype=bool)


AMOUNTS = ("employer_amount", "personal_amount")


def contributed(insurance: pd.DataFrame) -> pd.DataFrame:
    """The insurance rows of contributed months (DESIGN §6): a person's rows for one employer
    and period count when their amounts net to more than 0 — a refund (退费) row cancels
    what it refunds.  Rows without amounts count as they are (the export had none)."""
    rows = insurance[insurance["period"].notna()]
    present = [c for c in AMOUNTS if c in rows]
    if rows.empty or not present:
        return rows
    if _blank_keys(rows).any():
        return _contributed_by_keys(rows)
    keep = _contributed_mask(rows, pd.factorize(rows["id_number"])[0])
    return rows if keep is None else rows[keep]


def _contributed_by_keys(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`contributed` grouping by the key columns themselves: the path for rows with a
    blank key (left to pandas' own treatment of them)."""
    present = [c for c in AMOUNTS if c in rows]
    amounts = rows[present].apply(pd.to_numeric, errors="coerce")
    known = amounts.notna().any(axis=1)
    keys = [rows["id_number"], rows["employer_code"], rows["period"]]
    net = amounts.sum(axis=1).groupby(keys).transform("sum")
    any_known = known.groupby(keys).transform("any")
    return rows[~any_known | (net > 0)]


def _contributed_mask(rows: pd.DataFrame, person: np.ndarray) -> np.ndarray | None:
    """Which of ``rows`` (no blank key) :func:`contributed` keeps; None: all (no amounts).

    ``person``: an integer code per row that is equal exactly where the IDs are.  The groups
    are numbered from integer codes, and summed as pandas sums them, in row order."""
    present = [c for c in AMOUNTS if c in rows]
    if rows.empty or not present:
        return None
    amounts = rows[present].apply(pd.to_numeric, errors="coerce")
    known = amounts.notna().any(axis=1)
    employer = pd.factorize(rows["employer_code"])[0].astype(np.int64)
    period = pd.factorize(rows["period"])[0].astype(np.int64)
    pair = pd.factorize(person.astype(np.int64) * (int(employer.max()) + 1) + employer)[0]
    group = pair.astype(np.int64) * (int(period.max()) + 1) + period
    net = amounts.sum(axis=1).groupby(group).transform("sum")
    any_known = known.groupby(group).transform("any")
    return (~any_known | (net > 0)).to_numpy(dtype=bool)


def person_state(matched: Matched, month: int) -> pd.DataFrame:
    """Each roster person's employment state at the end of ``month`` (one row per ID).

    The roster persons' IDs are unique (as :func:`match` keeps them); jobs and contributions
    are counted per person by their position among them, hashing each ID once."""
    window = Window(month)
    people = matched.roster
    jobs = matched.jobs.assign()  # a new frame for the columns below (copy on write)
    jobs["active"] = active_at_end(jobs, window)
    jobs["stable3"] = stable_for(jobs, window, 3)
    jobs["ended_in_m"] = jobs["end_date"].between(window.first, window.last)
    jobs["started_12m"] = jobs["start_date"].between(window.first_of(11), window.last)

    state = pd.DataFrame(index=pd.Index(people["id_number"], name="id_number"))
    n = len(state)
    at = _positions(state.index, jobs["id_number"])
    state["jobs"] = _count(at, n)
    state["active_jobs"] = _count(at, n, jobs["active"].to_numpy(dtype=bool))
    state["stable3_jobs"] = _count(at, n, jobs["stable3"].to_numpy(dtype=bool))
    state["ended_in_m"] = _count(at, n, jobs["ended_in_m"].to_numpy(dtype=bool))
    state["employers_12m"] = _distinct(at, jobs["employer_code"], n, jobs["started_12m"])

    current = (
        jobs[jobs["active"]]
        .sort_values(["id_number", "start_date"], kind="stable")
        .groupby("id_number")
        .tail(1)
        .set_index("id_number")
    )
    has_current = state.index.isin(current.index)
    current = current.reindex(state.index)
    for column in ("employer_code", "employer_name", "employment_type", "start_date",
                   "work_region", "region"):  # fmt: skip
        state[column] = current[column]
    state["tenure_months"] = tenure_months(current["start_date"], window)
    state["match_employment"] = _best_key_at(at, jobs["match_key"], n)

    _insurance_state(state, matched.contrib, current["employer_code"], has_current, month)

    state["region"] = state["region"].fillna("")
    for column in ("match_employment", "match_insurance", "employer_code", "employer_name",
                   "employment_type", "work_region"):  # fmt: skip
        state[column] = state[column].fillna("").astype(object)
    _person_gaps(state, people, jobs, window)
    # what the roster says (e.g. its 务工单位) stays beside what the data says, renamed
    overlap = [c for c in state.columns if c in people.columns and c != "id_number"]
    people = people.rename(columns={c: f"roster_{c}" for c in overlap})
    return people.set_index("id_number").join(state).reset_index()


def _insurance_state(
    state: pd.DataFrame, contrib: pd.DataFrame, employer: pd.Series, has: np.ndarray, month: int
) -> None:
    """Add each person's contributions at ``month`` to ``state``: insured in m and m−1, the
    last month insured, the match key, the months in a row with the current ``employer``
    (per person, on ``state``'s index; missing where there is no current job) and the rows.
    """
    n = len(state)
    at = _positions(state.index, contrib["id_number"])
    period = contrib["period"].to_numpy(dtype=np.int64)
    upto = period <= month
    state["insured_m"] = _any(at, n, upto & (period == month))
    state["insured_prev"] = _any(at, n, upto & (period == dates.add_months(month, -1)))
    last = np.zeros(n, dtype=np.int64)
    mine = upto & (at >= 0)
    np.maximum.at(last, at[mine], period[mine])
    insured = _any(at, n, upto)
    state["last_insured_month"] = pd.arrays.IntegerArray(np.where(insured, last, 0), ~insured)
    state["match_insurance"] = _best_key_at(at, contrib["match_key"], n)
    same = _same_employer(contrib["employer_code"], employer, has, at) & upto
    state["insured_months_current"] = _run_lengths(at[same], period[same], n, month)
    state["insured_records"] = _count(at, n)


def _count(at: np.ndarray, n: int, where: np.ndarray | None = None) -> np.ndarray:
    """Per person (of ``n``): the rows at their position (-1: nobody's), where ``where``."""
    take = at >= 0 if where is None else (at >= 0) & where
    return np.bincount(at[take], minlength=n).astype(int)


def _any(at: np.ndarray, n: int, where: np.ndarray) -> np.ndarray:
    """Per person (of ``n``): whether any row at their position holds ``where``."""
    return _count(at, n, where) > 0


def _distinct(at: np.ndarray, values: pd.Series, n: int, where: pd.Series) -> np.ndarray:
    """Per person (of ``n``): the distinct values (blanks not counted) of rows ``where``,
    as ``nunique`` counts them."""
    codes = pd.factorize(values)[0].astype(np.int64)
    take = (at >= 0) & where.to_numpy(dtype=bool) & (codes >= 0)
    pairs = np.unique(at[take].astype(np.int64) * (int(codes.max(initial=0)) + 1) + codes[take])
    return np.bincount(pairs // (int(codes.max(initial=0)) + 1), minlength=n).astype(int)


def _best_key_at(at: np.ndarray, keys: pd.Series, n: int) -> np.ndarray:
    """:func:`best_key` per person (of ``n``) from rows at their position, '' without rows."""
    any_row = _any(at, n, np.ones(len(at), dtype=bool))
    exact = _any(at, n, keys.eq("exact").fillna(False).to_numpy(dtype=bool))
    labels = np.array(["", "repaired", "exact"], dtype=object)
    return labels[any_row.astype(int) + exact.astype(int)]


def _same_employer(
    codes: pd.Series, current: pd.Series, has: np.ndarray, at: np.ndarray
) -> np.ndarray:
    """Rows whose employer is their person's ``current`` one (by position, for persons who
    ``has`` a current job), as an inner merge on (ID, employer) pairs them: equal values,
    and blank with blank."""
    rows = np.flatnonzero((at >= 0) & has[np.where(at >= 0, at, 0)])
    left = codes.to_numpy(dtype=object)[rows]
    right = current.to_numpy(dtype=object)[at[rows]]
    blank_left, blank_right = pd.isna(left), pd.isna(right)
    both = ~blank_left & ~blank_right
    equal = blank_left & blank_right
    equal[both] = left[both] == right[both]
    out = np.zeros(len(at), dtype=bool)
    out[rows] = equal
    return out


def _run_lengths(at: np.ndarray, period: np.ndarray, n: int, month: int) -> np.ndarray:
    """Per person (of ``n``): :func:`consecutive_months` of their rows (positions ``at``,
    periods ≤ ``month``): months in a row, ending at m, with a row.  Each person's months
    back from m are marked in a grid; the run ends at their first month without a row."""
    gap = dates.month_index(month) - (period // 100 * 12 + period % 100 - 1)
    low, width = int(gap.min(initial=0)), int(gap.max(initial=0)) + 2
    if low < 0 or n * width > 50_000_000:
        return _run_lengths_sorted(at, gap, n)
    grid = np.zeros((n, width), dtype=bool)  # one column more than the oldest month
    grid[at, gap] = True
    return np.argmin(grid, axis=1).astype(int)


def _run_lengths_sorted(at: np.ndarray, gap: np.ndarray, n: int) -> np.ndarray:
    """:func:`_run_lengths` by sorting each person's distinct months back (as
    :func:`consecutive_months` does): for months far back, or a period past m's index."""
    low = int(gap.min(initial=0))
    width = int(gap.max(initial=0)) - low + 1
    key = np.unique(at.astype(np.int64) * width + (gap - low))
    who, back = key // width, key % width + low
    rank = np.arange(len(key)) - np.searchsorted(who, who, side="left")
    return np.bincount(who[back == rank], minlength=n).astype(int)


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
