"""Tests for fengdu_cli.dates: dates and months as townships type them."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fengdu_cli.dates import (
    add_months,
    first_day,
    is_bad_date,
    is_blank,
    last_day,
    month_of,
    month_text,
    month_zh,
    months_between,
    months_range,
    parse_date,
    parse_dates,
    parse_month,
    parse_period,
    parse_periods,
)

FAST = settings(max_examples=200, deadline=None)
SEP13 = datetime.date(2021, 9, 13)
SEP1 = datetime.date(2021, 9, 1)
EPOCH = datetime.date(1899, 12, 30)

months = st.builds(lambda y, m: y * 100 + m, st.integers(1900, 2999), st.integers(1, 12))


# --- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2021, 9, 13, 8, 30), SEP13),
        (SEP13, SEP13),
        (pd.Timestamp("2021-09-13 17:00"), SEP13),
        (np.datetime64("2021-09-13"), SEP13),
        (44452, SEP13),
        (44452.0, SEP13),
        (44452.75, SEP13),  # time of day dropped
        (np.int64(44452), SEP13),
        (np.float64(44452.0), SEP13),
        (20210913, SEP13),
        (20210913.0, SEP13),
        (202109, SEP1),
        ("2021.9.13", SEP13),
        ("2021.09.13", SEP13),
        ("2021/9/13", SEP13),
        ("2021-9-13", SEP13),
        ("2021-09-13", SEP13),
        ("2021-09-13 00:00:00", SEP13),
        ("2021-09-13T00:00:00", SEP13),
        ("2021/9/13 8:05", SEP13),
        ("2021年9月13日", SEP13),
        ("2021年09月13日", SEP13),
        ("2021年9月13号", SEP13),
        (" 2021 年 9 月 13 日 ", SEP13),
        ("２０２１．９．１３", SEP13),  # full-width
        ("20210913", SEP13),
        ("202109", SEP1),
        ("2021年9月", SEP1),
        ("2021.9", SEP1),
        ("2021.10", datetime.date(2021, 10, 1)),
        ("2021-09", SEP1),
        ("2021/09", SEP1),
        ("44452", SEP13),
        ("44452.0", SEP13),
        (61, datetime.date(1900, 3, 1)),
        (401768, datetime.date(2999, 12, 31)),  # last serial accepted
    ],
)
def test_parse_date_accepted_forms(value: object, expected: datetime.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2021-02-30",
        "2021-13-01",
        "2021.0.5",
        "2021年2月29日",
        "20210230",
        20210230,
        "202113",
        202113,
        "2021.13",
        "2021-9/13",  # mixed separators
        "13/09/2021",
        "21.9.13",
        "0202-09-13",
        "abc",
        "2021年9月13日上午",
        "2021\u30009\u300013",  # spaces are removed, not separators: 2021913 is no serial
        60,  # Excel's fake 1900-02-29
        1,
        0,
        -5,
        401769,  # after 2999-12-31
        2958465,  # Excel's last serial, 9999-12-31: out of our year range
        "2021913",
        float("inf"),
        True,
        False,
        [2021, 9, 13],
    ],
)
def test_parse_date_rejects(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, pd.NA, pd.NaT, "", "  ", "\u3000"])
def test_blank_values(value: object) -> None:
    assert is_blank(value)
    assert parse_date(value) is None
    assert not is_bad_date(value)
    assert parse_period(value) is None


def test_is_bad_date() -> None:
    assert is_bad_date("2021-02-30")
    assert is_bad_date("明年")
    assert is_bad_date(0)
    assert not is_bad_date("2021.9.13")
    assert not is_bad_date(44452)
    assert not is_blank(0)
    assert not is_blank("x")


def _serial(d: datetime.date) -> int:
    return (d - EPOCH).days


@FAST
@given(st.dates(datetime.date(1900, 3, 1), datetime.date(2099, 12, 31)))
def test_excel_serial_round_trip(d: datetime.date) -> None:
    serial = _serial(d)
    assert parse_date(serial) == d
    assert parse_date(float(serial) + 0.5) == d
    assert parse_date(str(serial)) == d


@FAST
@given(st.dates(datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)))
def test_written_forms_round_trip(d: datetime.date) -> None:
    for text in (
        d.strftime("%Y%m%d"),
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}/{d.month:02d}/{d.day:02d}",
        d.isoformat() + " 00:00:00",
        f"{d.year}年{d.month}月{d.day}日",
    ):
        assert parse_date(text) == d, text
    assert parse_date(int(d.strftime("%Y%m%d"))) == d


def test_serial_known_values() -> None:
    assert _serial(SEP13) == 44452
    assert parse_date(45292) == datetime.date(2024, 1, 1)


# --- parse_period -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        202109,
        202109.0,
        "202109",
        "2021-09",
        "2021/9",
        "2021年9月",
        "2021.9",
        "2021.09",
        "20210901",
        20210913,
        "2021-09-13",
        SEP13,
        datetime.datetime(2021, 9, 30, 23, 59),
        pd.Timestamp("2021-09-01"),
    ],
)
def test_parse_period_accepted(value: object) -> None:
    assert parse_period(value) == 202109


@pytest.mark.parametrize("value", [202113, "2021-13", 44452, "44452", 2021, "abc", True, 190000])
def test_parse_period_rejects(value: object) -> None:
    assert parse_period(value) is None


# --- column helpers -----------------------------------------------------------------------


def test_parse_dates_mixed_series() -> None:
    raw = pd.Series(
        [
            "2021.9.13",
            44452,
            20210913,
            SEP13,
            pd.Timestamp("2021-09-13 10:00"),
            None,
            np.nan,
            "",
            "2021-02-30",
            "2021年9月",
            "2999-12-31",
        ],
        dtype=object,
        index=list("abcdefghijk"),
        name="出生日期",
    )
    out = parse_dates(raw)
    assert out.index.equals(raw.index)
    assert out.name == "出生日期"
    assert str(out.dtype).startswith("datetime64")
    expected = [parse_date(v) for v in raw]
    got = [None if pd.isna(v) else v.date() for v in out]
    assert got == expected
    assert out.isna().tolist() == [False] * 5 + [True] * 4 + [False, False]


def test_parse_dates_typed_series() -> None:
    floats = pd.Series([44452.0, np.nan, 20210913.0])
    assert parse_dates(floats).dt.date.tolist()[::2] == [SEP13, SEP13]
    strings = pd.Series(["2021.9.13", None], dtype="str")
    assert parse_dates(strings).isna().tolist() == [False, True]
    assert len(parse_dates(pd.Series([], dtype=object))) == 0


def test_parse_dates_once_per_distinct_value(monkeypatch: pytest.MonkeyPatch) -> None:
    import fengdu_cli.dates as dates

    calls: list[object] = []
    real = dates.parse_date

    def counting(value: object) -> datetime.date | None:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(dates, "parse_date", counting)
    raw = pd.Series(["2021.9.13"] * 5000 + [44452] * 5000 + [None] * 5000, dtype=object)
    out = dates.parse_dates(raw)
    assert len(calls) == 3
    assert out.notna().sum() == 10000


def test_parse_periods_series() -> None:
    raw = pd.Series(["2021-09", 202110, None, "bad", SEP13, "2021年9月"], dtype=object)
    out = parse_periods(raw)
    assert str(out.dtype) == "Int64"
    assert out.tolist() == [202109, 202110, pd.NA, pd.NA, 202109, 202109]


@FAST
@given(st.lists(st.sampled_from(["2021.9.13", 44452, None, "x", "202109", 2.5, SEP13])))
def test_parse_dates_matches_parse_date(values: list[object]) -> None:
    out = parse_dates(pd.Series(values, dtype=object))
    assert [None if pd.isna(v) else v.date() for v in out] == [parse_date(v) for v in values]


# --- month arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month"),
    [("2024-06", 202406), ("202406", 202406), ("2024/06", 202406), (" 2024-12 ", 202412)],
)
def test_parse_month(text: str, month: int) -> None:
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-6", "24-06", "1899-12", "abc", ""])
def test_parse_month_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(text)


def test_month_formatting() -> None:
    assert month_text(202406) == "2024-06"
    assert month_zh(202406) == "2024年6月"
    assert month_zh(202412) == "2024年12月"
    with pytest.raises(ValueError):
        month_text(202413)


def test_month_arithmetic_examples() -> None:
    assert add_months(202401, -1) == 202312
    assert add_months(202312, 1) == 202401
    assert add_months(202406, 0) == 202406
    assert add_months(202406, -30) == 202112
    assert months_between(202312, 202406) == 6
    assert months_between(202406, 202312) == -6
    assert first_day(202402) == datetime.date(2024, 2, 1)
    assert last_day(202402) == datetime.date(2024, 2, 29)
    assert last_day(202302) == datetime.date(2023, 2, 28)
    assert last_day(190002) == datetime.date(1900, 2, 28)
    assert last_day(200002) == datetime.date(2000, 2, 29)
    assert last_day(202412) == datetime.date(2024, 12, 31)
    assert month_of(SEP13) == 202109
    assert months_range(202311, 202402) == [202311, 202312, 202401, 202402]
    assert months_range(202402, 202402) == [202402]
    assert months_range(202403, 202402) == []


@FAST
@given(months, st.integers(-1200, 1200))
def test_add_months_and_months_between_are_inverse(month: int, n: int) -> None:
    later = add_months(month, n)
    assert months_between(month, later) == n
    assert add_months(later, -n) == month
    assert 1 <= later % 100 <= 12


@FAST
@given(months, months)
def test_months_between_then_add(a: int, b: int) -> None:
    assert add_months(a, months_between(a, b)) == b
    assert months_between(a, b) == -months_between(b, a)


@FAST
@given(months)
def test_last_day_is_day_before_next_first_day(month: int) -> None:
    assert last_day(month) == first_day(add_months(month, 1)) - datetime.timedelta(days=1)
    assert month_of(first_day(month)) == month == month_of(last_day(month))
    assert parse_month(month_text(month)) == month


@FAST
@given(months, st.integers(0, 40))
def test_months_range_length(start: int, n: int) -> None:
    end = add_months(start, n)
    got = months_range(start, end)
    assert len(got) == n + 1
    assert got[0] == start
    assert got[-1] == end
    assert months_range(end, add_months(start, -1)) == ([] if n >= 0 else got)
