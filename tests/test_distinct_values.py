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


def _category_whole_column(clean: pd.Series, extra: dict[str, str] | None) -> list[pd.Series]:
    """The row-by-row expressions :func:`fengdu_cli.normalise._category_columns` replaces."""
    from fengdu_cli.normalise import MONITOR_KINDS, category_facts, category_label

    facts = map_unique(clean, lambda s: category_facts(s, extra) if s else ())
    known = facts.map(lambda f: f is not None) & clean.ne("")
    return [
        clean.where(~known, facts.map(lambda f: category_label(f or ()))),
        facts.map(lambda f: next((k for k in f or () if k in MONITOR_KINDS), "")).astype(object),
        facts.map(lambda f: "|" + "|".join(f) + "|" if f else "").astype(object),
    ]


CATEGORY_CELLS = [
    "脱贫人口", "脱贫户", "监测对象", "边缘易致贫户", "脱贫不稳定户", "突发严重困难户",
    "低收入人口", "一般户", "脱贫户、边缘易致贫户", "脱贫户,监测对象", "乱写", "", " ",
    "脱贫户、乱写", "自定", "自定、脱贫户", None, np.nan, 1, 1.0, True,
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(CATEGORY_CELLS), st.text(max_size=6)), max_size=30),
    st.sampled_from([None, {}, {"自定": "脱贫户"}, {"乱写": "监测对象"}]),
)
def test_category_columns_as_row_by_row(cells: list, extra: dict[str, str] | None) -> None:
    from fengdu_cli.normalise import _category_columns

    clean = texts(pd.Series(cells, dtype=object, index=range(3, 3 + len(cells))))
    for new, old in zip(
        _category_columns(clean, extra), _category_whole_column(clean, extra), strict=True
    ):
        pd.testing.assert_series_equal(new, old, check_names=False)
        assert [type(v) for v in new] == [type(v) for v in old]


def _name_conflicts_grouped(frame: pd.DataFrame) -> pd.Series:
    """The group-and-count :func:`fengdu_cli.schemas._name_conflicts` replaces."""
    ids, names = frame["id_number"], frame["name"].fillna("").astype(str)
    named = ids.ne("") & names.ne("")
    distinct = names[named].groupby(ids[named]).nunique()
    return ids.isin(set(distinct[distinct > 1].index)) & ids.ne("")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "A", "B", "C", None, np.nan, 1, 1.0, True]),
            st.sampled_from(["", "张三", "李四", " ", None, np.nan, 1, 1.0]),
        ),
        max_size=25,
    )
)
def test_name_conflicts_as_grouped(rows: list) -> None:
    from fengdu_cli.schemas import _name_conflicts

    frame = pd.DataFrame(
        {"id_number": [r[0] for r in rows], "name": [r[1] for r in rows]},
        dtype=object,
        index=range(7, 7 + len(rows)),
    )
    pd.testing.assert_series_equal(_name_conflicts(frame), _name_conflicts_grouped(frame))


@pytest.mark.parametrize("kind", ["insurance", "roster", "employment"])
def test_normalise_leaves_the_rows_as_typed(kind: str) -> None:
    """normalise works on a shallow copy: the typed rows (the rejected list shows them) keep
    every cell, also where absurd periods and amounts are blanked in place."""
    import datetime as dt

    from fengdu_cli.normalise import normalise

    raw = pd.DataFrame(
        {
            "_file": ["a/一.csv", "b\\二.csv", "三.csv"],
            "_sheet": ["", "", ""],
            "_row": [2, 3, 4],
            "_title": ["", "", ""],
            "id_number": ["500230199001011234", " 5002301990 ", None],
            "name": ["张三", " 李四", np.nan],
            "period": ["202406", "180001", "209912"],
            "base": ["1,000", "1e400", "-5e9"],
            "employer_amount": [1, 1.0, True],
            "personal_amount": ["x", "", None],
            "category": ["脱贫户", "乱写", ""],
            "township": ["", "三合", None],
        },
        dtype=object,
    )
    before = raw.copy(deep=True)
    out = normalise(raw, kind, dt.date(2024, 6, 30))
    pd.testing.assert_frame_equal(raw, before)
    assert [type(v) for v in raw.to_numpy().ravel()] == [type(v) for v in before.to_numpy().ravel()]
    assert out is not raw
