"""Dates in the warnings' reasons are worded as one by one, each distinct date once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from fengdu_cli.warnings import _d, _days

CASES = [
    pd.Series(pd.to_datetime(["2024-06-01", None, "2024-06-01", "1905-01-31"])).astype(
        "datetime64[s]"
    ),
    pd.Series([pd.Timestamp("2024-01-02"), None, np.nan, pd.NaT, "2024-01-02"], dtype=object),
    pd.Series([dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 5), "text", 3], dtype=object),
    pd.Series([], dtype="datetime64[s]"),
]


@pytest.mark.parametrize("values", CASES)
def test_days_are_the_dates_one_by_one(values: pd.Series) -> None:
    assert _days(values) == [_d(v) for v in values]
