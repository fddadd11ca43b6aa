"""Columns computed once per distinct value give what the whole-column expressions gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fengdu_cli.normalise import map_unique, numbers, texts

ODD_CELLS = [
    "1,234", "1,234.50", " 12 ", "１２３", "", "   ", "\u3000", None, np.nan, pd.NA, 1, 1.0,
    True, 0, -3, 2.5, float("inf"), "inf", "nan", "1e3", "abc", "9" * 25, "-9" * 12,
    "18446744073709551616", "-1", "0x10", "1,2,3", "12.", ".5", "Ⅻ", "a1b2",
]  # fmt: skip


def _numbers_column(series: pd.Series) -> pd.Series:
    """The whole-column expression :func:`numbers` replaces."""
    return pd.to_numeric(texts(series).str.replace(",", ""), errors="coerce")


@pytest.mark.parametrize(
    "cells",
    [
        ODD_CELLS,
        ["100", "200", "100", "1,000"],  # whole numbers: int64
        ["100", "2.5", "100"],  # a decimal: float64
        ["100", "x", "100"],  # not a number: NaN, float64
        ["18446744073709551615", "1"],  # beyond int64
        ["-1", "18446744073709551615"],
        [],
        [None, None],
        ["", ""],
        [1, 1.0, True, "1"],
    ],
)
def test_numbers_as_the_whole_column(cells: list) -> None:
    series = pd.Series(cells, dtype=object, index=range(10, 10 + len(cells)))
    pd.testing.assert_series_equal(numbers(series), _numbers_column(series), check_names=False)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(ODD_CELLS),
            st.text(alphabet="0123456789,.-e +", max_size=22),
            st.integers(),
            st.floats(),
        ),
        max_size=30,
    )
)
def test_numbers_any_cells(cells: list) -> None:
    series = pd.Series(cells, dtype=object)
    pd.testing.assert_series_equal(numbers(series), _numbers_column(series), check_names=False)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(ODD_CELLS), st.text(max_size=8), st.integers(), st.floats()),
        max_size=30,
    )
)
def test_upper_codes_as_the_whole_column(cells: list) -> None:
    from fengdu_cli.normalise import _upper_text

    series = pd.Series(cells, dtype=object)
    new = map_unique(series, _upper_text)
    pd.testing.assert_series_equal(new, texts(series).str.upper(), check_names=False)


def _province_column(column: pd.Series) -> pd.Series:
    """The whole-column expression :func:`fengdu_cli.schemas._province_named` replaces."""
    from fengdu_cli import idcard

    ids = column.astype(str)
    return ids.eq("") | ids.str[:2].isin(idcard.PROVINCE_CODES)


ID_CELLS = [
    "500230199001011234", "110101199003070000", "990101199003070000", "", " ", None, np.nan,
    pd.NA, "5", "50", 50, 50.0, 11, 11.0, True, 1e16, 10**16, "X1", "１１", "11",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(ID_CELLS), st.text(alphabet="0123456789X ", max_size=4)),
        max_size=30,
    )
)
def test_province_named_as_the_whole_column(cells: list) -> None:
    from fengdu_cli.schemas import _province_named

    for dtype in (object, "str"):
        if dtype == "str" and not all(isinstance(c, str) or c is None for c in cells):
            continue
        column = pd.Series(cells, dtype=dtype, index=range(5, 5 + len(cells)))
        new = _province_named(column)
        old = _province_column(column)
        assert new.index.equals(old.index)
        assert new.tolist() == old.astype(bool).tolist()
