"""新增 / 持续 and the resolved warnings are found as the set of (ID, code) pairs found them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from fengdu_cli.reconcile import _mark_status, _resolved

IDS = ["500230199001010011", "500230199001010012", "", "1", "x"]
CODES = ["no_record", "job_ended", "possible_id_typo", ""]


def _frame(pairs: list[tuple[str, str]], dtype: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id_number": pd.Series([i for i, _ in pairs], dtype=dtype),
            "code": pd.Series([c for _, c in pairs], dtype=dtype),
            "name": pd.Series(["某"] * len(pairs), dtype=dtype),
        }
    )


pairs = st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(CODES)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(pairs, pairs)
def test_status_and_resolved_are_those_of_the_pair_sets(
    now: list[tuple[str, str]], before: list[tuple[str, str]]
) -> None:
    warnings, stored = _frame(now, "object"), _frame(before, "str")  # as the database gives
    seen = set(before)
    marked = _mark_status(warnings, stored)
    assert marked["status"].tolist() == ["持续" if p in seen else "新增" for p in now]
    current = set(now)
    keep = np.array([p not in current for p in before], dtype=bool)
    pd.testing.assert_frame_equal(
        _resolved(stored, marked), stored[keep].reset_index(drop=True), check_exact=True
    )


def test_no_warnings_keep_their_column_types() -> None:
    """An empty month: the status column is what assigning an empty list always gave."""
    empty = _frame([], "object")
    marked = _mark_status(empty, _frame([], "str"))
    assert marked.dtypes.equals(empty.assign(status=[]).dtypes)
    assert _resolved(_frame([], "str"), empty).dtypes.equals(_frame([], "str").dtypes)
