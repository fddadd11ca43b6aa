"""The position-based match and person state give what the key-based ones gave, cell for cell
and type for type, on small random months with odd values (blank and padded IDs, blank
employer codes, refunds, jobs without dates).  The references below are the earlier
implementations, kept here only to pin the behaviour."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengdu_cli import dates
from fengdu_cli.match import (
    Matched,
    Window,
    _contributed_by_keys,
    _run_lengths,
    _run_lengths_sorted,
    _typed_as_is,
    active_at_end,
    best_key,
    consecutive_months,
    contributed,
    match,
    person_state,
    region_class,
    stable_for,
    tenure_months,
)
from fengdu_cli.townships import TOWNSHIPS

M = 202406
IDS = ["500230199001010011", "500230199001010012", "500230199001010013", "50023019900101001X"]
RAW = [*IDS, " 500230199001010011", "500230199001010012 ", "500230199001010013\u3000", None, 1.0]
EMPLOYERS = ["E1", "E2", "E3", "", None]
PERIODS = [202311, 202312, 202401, 202404, 202405, 202406, 202407]
DAYS = [None, "2023-01-01", "2023-07-01", "2024-03-01", "2024-04-02", "2024-06-15", "2024-06-30"]


def reference_match(roster: pd.DataFrame, employment: pd.DataFrame, insurance: pd.DataFrame):
    """The key-based match: isin filters and a map of the roster's labels."""
    people = roster.drop_duplicates("id_number").copy()
    if "_sender_township" in people:
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
    rows = insurance[insurance["period"].notna()]
    amounts = "employer_amount" in rows or "personal_amount" in rows
    contrib = _contributed_by_keys(rows) if amounts and not rows.empty else rows
    contrib = contrib[contrib["id_number"].isin(people["id_number"])].copy()
    contrib["_as_typed"] = _typed_as_is(contrib)
    contrib["match_key"] = np.where(
        contrib["_as_typed"] & contrib["id_number"].map(typed), "exact", "repaired"
    )
    contrib["period"] = contrib["period"].astype("int64")
    return Matched(people.drop(columns="_as_typed"), jobs, contrib)


def reference_state(matched: Matched, month: int) -> pd.DataFrame:
    """The key-based person state: groupbys on the ID, a merge for the current employer."""
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
    for column in ("employer_code", "employer_name", "employment_type", "start_date",
                   "work_region", "region"):  # fmt: skip
        state[column] = current[column]
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
    overlap = [c for c in state.columns if c in people.columns and c != "id_number"]
    people = people.rename(columns={c: f"roster_{c}" for c in overlap})
    return people.set_index("id_number").join(state).reset_index()


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal frames: columns, dtypes, index, cells, and the Python type of object cells."""
    pd.testing.assert_frame_equal(left, right, check_exact=True)
    for column in left.columns:
        if left[column].dtype == object:
            assert left[column].map(type).equals(right[column].map(type)), column


def _raw_of(ids: list[str], raws: list[object], padded: list[bool]) -> list[object]:
    return [r if p else i for i, r, p in zip(ids, raws, padded, strict=True)]


@st.composite
def months(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A roster, employment and insurance with odd values in every column matching uses."""
    n = draw(st.integers(0, 6))
    ids = draw(st.lists(st.sampled_from(IDS), min_size=n, max_size=n))
    roster = pd.DataFrame(
        {
            "township": draw(st.lists(st.sampled_from(["三合街道", "某镇", ""]), min_size=n,
                                      max_size=n)),
            "id_number": pd.Series(ids, dtype=object),
            "_raw_id_number": pd.Series(
                _raw_of(ids, draw(st.lists(st.sampled_from(RAW), min_size=n, max_size=n)),
                        draw(st.lists(st.booleans(), min_size=n, max_size=n))),
                dtype=object,
            ),
            "_sender_township": "名山街道",
            "labor_capacity": "普通劳动力",
        }
    )  # fmt: skip
    j = draw(st.integers(0, 10))
    jids = draw(st.lists(st.sampled_from(IDS), min_size=j, max_size=j))
    starts = draw(st.lists(st.sampled_from(DAYS), min_size=j, max_size=j))
    ends = draw(st.lists(st.sampled_from(DAYS), min_size=j, max_size=j))
    employment = pd.DataFrame(
        {
            "id_number": pd.Series(jids, dtype=object),
            "_raw_id_number": pd.Series(
                _raw_of(jids, draw(st.lists(st.sampled_from(RAW), min_size=j, max_size=j)),
                        draw(st.lists(st.booleans(), min_size=j, max_size=j))),
                dtype=object,
            ),
            "employer_code": pd.Series(
                draw(st.lists(st.sampled_from(EMPLOYERS), min_size=j, max_size=j)), dtype=object
            ),
            "employer_name": pd.Series(["单位"] * j, dtype=object),
            "start_date": pd.to_datetime(pd.Series(starts, dtype=object)).astype("datetime64[s]"),
            "end_date": pd.to_datetime(pd.Series(ends, dtype=object)).astype("datetime64[s]"),
            "work_region": pd.Series(["重庆市丰都县"] * j, dtype=object),
        }
    )  # fmt: skip
    k = draw(st.integers(0, 16))
    cids = draw(st.lists(st.sampled_from(IDS), min_size=k, max_size=k))
    amounts = st.sampled_from([100.0, -100.0, 0.1, 0.2, -0.3, 0.0, np.nan])
    insurance = pd.DataFrame(
        {
            "id_number": pd.Series(cids, dtype=object),
            "_raw_id_number": pd.Series(
                _raw_of(cids, draw(st.lists(st.sampled_from(RAW), min_size=k, max_size=k)),
                        draw(st.lists(st.booleans(), min_size=k, max_size=k))),
                dtype=object,
            ),
            "employer_code": pd.Series(
                draw(st.lists(st.sampled_from(EMPLOYERS), min_size=k, max_size=k)), dtype=object
            ),
            "period": pd.array(
                draw(st.lists(st.sampled_from([*PERIODS, None]), min_size=k, max_size=k)),
                dtype="Int64",
            ),
            "employer_amount": draw(st.lists(amounts, min_size=k, max_size=k)),
            "personal_amount": draw(st.lists(amounts, min_size=k, max_size=k)),
        }
    )  # fmt: skip
    if insurance["employer_code"].isna().any() or draw(st.booleans()):
        # without amounts every row counts, blank employer codes too (with amounts a blank
        # key is refused, see the test below)
        insurance = insurance.drop(columns=["employer_amount", "personal_amount"])
    return roster, employment, insurance


# `make fuzz` runs more (FENGDU_FUZZ_EXAMPLES)
@settings(
    max_examples=int(os.environ.get("FENGDU_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(months())
def test_match_and_state_are_those_of_the_key_based_ones(
    inputs: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    roster, employment, insurance = inputs
    got, expected = match(roster, employment, insurance), reference_match(*inputs)
    for part in ("roster", "jobs", "contrib"):
        same(getattr(got, part), getattr(expected, part))
    same(person_state(got, M), reference_state(expected, M))


@pytest.mark.parametrize(
    ("employers", "amounts"),
    [
        (["E1", "E1", "E1"], [100.1, 200.2, -300.3]),  # a refund that nets to a rounding error
        (["E1", "E2", "E1"], [10.0, -10.0, -10.0]),
        (["E1", "E1", "E2"], [np.nan, np.nan, 5.0]),  # no amount known: counts as it is
        (["E1", None, "E1"], [10.0, 10.0, -10.0]),  # a blank key: pandas' own grouping
    ],
)
def test_contributed_keeps_what_grouping_by_the_keys_keeps(
    employers: list[object], amounts: list[float]
) -> None:
    rows = pd.DataFrame(
        {
            "id_number": ["a", "a", "a"],
            "employer_code": pd.Series(employers, dtype=object),
            "period": pd.array([202406] * 3, dtype="Int64"),
            "employer_amount": amounts,
        }
    )
    if rows["employer_code"].isna().any():
        with pytest.raises(TypeError):  # as grouping by a blank key always did
            contributed(rows)
        return
    same(contributed(rows), _contributed_by_keys(rows))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from([*PERIODS, 200001, 202399, 202406])),
        max_size=20,
    )
)
def test_run_lengths_are_the_consecutive_months(rows: list[tuple[int, int]]) -> None:
    """Months far back and periods that are not months (202399 is past m's index) included."""
    rows = [(who, period) for who, period in rows if period <= M]
    at = np.array([who for who, _ in rows], dtype=np.int64)
    period = np.array([p for _, p in rows], dtype=np.int64)
    frame = pd.DataFrame({"who": at, "period": period})
    expected = consecutive_months(frame, ["who"], M).reindex(range(4), fill_value=0)
    assert list(_run_lengths(at, period, 4, M)) == expected.tolist()
    gap = dates.month_index(M) - (period // 100 * 12 + period % 100 - 1)
    assert list(_run_lengths_sorted(at, gap, 4)) == expected.tolist()
