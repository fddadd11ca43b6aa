"""Dates and insurance months as township clerks type them, and month arithmetic.

Cells arrive as real dates, Excel serial numbers, yyyymmdd numbers or free text such as
'2021.9.13' or '2021年9月13号'. A month is an int YYYYMM (202406) everywhere.
"""

from __future__ import annotations

import calendar
import datetime
import math
import numbers
import re
import unicodedata

import numpy as np
import pandas as pd

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 61 → 1900-03-01 (Excel's fake 1900-02-29 is 60)
FIRST_SERIAL = 61
MIN_YEAR, MAX_YEAR = 1900, 2999
# Excel allows serials up to 2958465 (9999-12-31); we stop at the last day of MAX_YEAR so that
# digits run together ('2021 9 13' → 2021913) become a bad date instead of the year 7435.
LAST_SERIAL = (datetime.date(MAX_YEAR, 12, 31) - EXCEL_EPOCH).days  # 401768

_TIME_SUFFIX = re.compile(r"(?:\s+|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$")
_SPACES = re.compile(r"\s+")
_YMD = re.compile(r"([0-9]{4})([./-])([0-9]{1,2})\2([0-9]{1,2})")
_YMD_ZH = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?")
_YM = re.compile(r"([0-9]{4})[./-]([0-9]{1,2})")
_YM_ZH = re.compile(r"([0-9]{4})年([0-9]{1,2})月")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_MONTH_ARG = re.compile(r"([0-9]{4})[-/]?([0-9]{2})")


def is_blank(value: object) -> bool:
    """Is ``value`` an empty cell: None, NaN, pd.NA, NaT, '' or whitespace only?"""
    if isinstance(value, str):
        return not value.strip()
    # pandas-stubs type isna for known scalar types only; it takes any object
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))  # type: ignore[call-overload]


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    """Return the date, or None when it does not exist or the year is outside 1900-2999."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _from_serial(serial: float) -> datetime.date | None:
    """Return the date of an Excel 1900-system serial (time of day dropped), None if out of range."""
    if not FIRST_SERIAL <= serial < LAST_SERIAL + 1:
        return None
    return EXCEL_EPOCH + datetime.timedelta(days=math.floor(serial))


def _from_number(number: float, allow_serial: bool) -> datetime.date | None:
    """Read a number as yyyymmdd, yyyymm (first of month) or, if allowed, an Excel serial."""
    if not math.isfinite(number):
        return None
    if number.is_integer() and 19000101 <= number <= 29991231:
        n = int(number)
        return _make_date(n // 10000, n // 100 % 100, n % 100)
    if number.is_integer() and 190001 <= number <= 299912:
        n = int(number)
        return _make_date(n // 100, n % 100, 1)
    return _from_serial(number) if allow_serial else None


def _clean_text(text: str) -> str:
    """NFKC, strip, drop a trailing time of day ('00:00:00'), then remove inner whitespace."""
    text = unicodedata.normalize("NFKC", text).strip()
    return _SPACES.sub("", _TIME_SUFFIX.sub("", text))


def _from_pattern(text: str) -> datetime.date | None:
    """Read the written forms: y.m.d, y/m/d, y-m-d, y年m月d日, y.m, y-m, y/m, y年m月."""
    if m := _YMD.fullmatch(text):
        return _make_date(int(m[1]), int(m[3]), int(m[4]))
    if m := _YMD_ZH.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YM.fullmatch(text) or _YM_ZH.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), 1)
    return None


def _from_text(text: str, allow_serial: bool) -> datetime.date | None:
    """Read a date typed as text; numeric text ('20210913', '44452.0') is read like a number.

    '2021.9' looks numeric too but is September 2021, so year.month wins over a serial.
    """
    text = _clean_text(text)
    if _NUMBER.fullmatch(text) and not _YM.fullmatch(text):
        return _from_number(float(text), allow_serial)
    return _from_pattern(text)


def _to_date(value: object, allow_serial: bool) -> datetime.date | None:
    """Read any cell value as a date; None for blank or unreadable values."""
    if is_blank(value) or isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, datetime.datetime):  # also pandas.Timestamp
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, numbers.Real):
        return _from_number(float(value), allow_serial)
    if isinstance(value, str):
        return _from_text(value, allow_serial)
    return None


def parse_date(value: object) -> datetime.date | None:
    """Read a date cell in any form clerks use; None for blank, unreadable or impossible dates.

    Accepts date objects; Excel serials 61..401768 (up to 2999-12-31; below 61 Excel's 1900
    leap-year bug makes them ambiguous); yyyymmdd / yyyymm numbers or text; and written
    forms such as '2021.9.13', '2021/9/13', '2021-09-13 00:00:00', '2021年9月13日',
    '2021.9', '2021年9月' (a month alone means its first day). Years must be 1900-2999.
    """
    return _to_date(value, allow_serial=True)


def is_bad_date(value: object) -> bool:
    """Is ``value`` filled in but not readable as a date?"""
    return not is_blank(value) and parse_date(value) is None


def month_of(d: datetime.date) -> int:
    """Return the month YYYYMM that contains ``d``."""
    return d.year * 100 + d.month


def parse_period(value: object) -> int | None:
    """Read an insurance month cell (202109, '2021-09', '2021年9月', a date…) as YYYYMM.

    Like ``parse_date`` except that plain numbers are never Excel serials: a month column
    holding 2021 or 44452 is far more likely a mistake than a date.
    """
    d = _to_date(value, allow_serial=False)
    return None if d is None else month_of(d)


def parse_dates(series: pd.Series) -> pd.Series:
    """Parse a whole date column to datetime64[s] (NaT for blank or bad), once per distinct value.

    Second resolution is used because years up to 2999 do not fit in nanoseconds.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    parsed = [parse_date(u) for u in uniques]
    values = np.array([np.datetime64("NaT") if d is None else d for d in parsed], "datetime64[s]")
    return pd.Series(values[codes], index=series.index, name=series.name)


def parse_periods(series: pd.Series) -> pd.Series:
    """Parse a whole month column to nullable Int64 YYYYMM (<NA> when blank or bad)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    parsed = np.array([parse_period(u) for u in uniques], dtype=object)
    return pd.Series(pd.array(parsed[codes], dtype="Int64"), index=series.index, name=series.name)


def _split(month: int) -> tuple[int, int]:
    """Return (year, month number) of a YYYYMM int; ValueError when it is not a month."""
    year, mon = divmod(month, 100)
    if not 1 <= mon <= 12 or year < 1:
        raise ValueError(f"not a month YYYYMM: {month!r}")
    return year, mon


def parse_month(text: str) -> int:
    """Read a month argument 'YYYY-MM' (or 'YYYYMM', 'YYYY/MM') as YYYYMM.

    Raises ValueError naming the accepted forms, for command-line options.
    """
    m = _MONTH_ARG.fullmatch(text.strip())
    if m and MIN_YEAR <= int(m[1]) <= MAX_YEAR and 1 <= int(m[2]) <= 12:
        return int(m[1]) * 100 + int(m[2])
    raise ValueError(
        f"invalid month {text!r}: expected YYYY-MM, YYYYMM or YYYY/MM "
        f"with year {MIN_YEAR}-{MAX_YEAR} and month 01-12, e.g. 2024-06"
    )


def month_text(month: int) -> str:
    """Return 202406 as '2024-06'."""
    year, mon = _split(month)
    return f"{year:04d}-{mon:02d}"


def month_zh(month: int) -> str:
    """Return 202406 as '2024年6月', as it is written in notices."""
    year, mon = _split(month)
    return f"{year}年{mon}月"


def month_index(month: int) -> int:
    """Return a month as a count of months since year 0, for arithmetic: consecutive months
    differ by one."""
    year, mon = _split(month)
    return year * 12 + mon - 1


def month_indexes(months: pd.Series) -> pd.Series:
    """:func:`month_index` of a column of YYYYMM months, at once."""
    values = months.astype("int64")
    return (values // 100) * 12 + values % 100 - 1


def _from_index(index: int) -> int:
    """Inverse of :func:`month_index`."""
    year, mon0 = divmod(index, 12)
    return year * 100 + mon0 + 1


def add_months(month: int, n: int) -> int:
    """Return the month ``n`` months after ``month`` (n may be negative): 202401, -1 → 202312."""
    return _from_index(month_index(month) + n)


def months_between(a: int, b: int) -> int:
    """Return b - a in months (202312, 202406 → 6)."""
    return month_index(b) - month_index(a)


def first_day(month: int) -> datetime.date:
    """Return the first day of ``month``."""
    year, mon = _split(month)
    return datetime.date(year, mon, 1)


def last_day(month: int) -> datetime.date:
    """Return the last day of ``month`` (202402 → 2024-02-29)."""
    year, mon = _split(month)
    return datetime.date(year, mon, calendar.monthrange(year, mon)[1])


def months_range(start: int, end: int) -> list[int]:
    """Return the months from ``start`` to ``end`` inclusive; [] when start > end."""
    first = month_index(start)
    return [_from_index(i) for i in range(first, month_index(end) + 1)]
