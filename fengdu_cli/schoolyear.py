"""School years (学年) and semesters, as 雨露计划 counts them.

A school year runs from September to the next August and is known by the year it starts
in: 2024 is the school year 2024-2025.  Its first semester (秋季学期) is September to
February, its second (春季学期) March to August.  Months are ints YYYYMM.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pandas as pd

from fengdu_cli import dates

FIRST_MONTH = 9  # September opens a school year
SECOND_SEMESTER = 3  # March opens its second semester


def of_month(month: int) -> int:
    """The school year month YYYYMM lies in: Sept–Dec of y → y, Jan–Aug of y → y − 1."""
    year, mon = divmod(month, 100)
    return year if mon >= FIRST_MONTH else year - 1


def semester_of_month(month: int) -> int:
    """1 for September–February, 2 for March–August."""
    return 2 if SECOND_SEMESTER <= month % 100 < FIRST_MONTH else 1


def text(start: int) -> str:
    """'2024-2025' for the school year starting in 2024."""
    return f"{start}-{start + 1}"


def first_month(start: int, semester: int = 1) -> int:
    """The first month of a school year (or of its second semester)."""
    return (start + 1) * 100 + SECOND_SEMESTER if semester == 2 else start * 100 + FIRST_MONTH


_YEAR = r"((?:19|20)\d{2})"
# 2024-2025 / 2024—2025学年 / 2024至2025学年度 / 2024-25 / 2024~2025年 (第一学期 / 秋季学期 / 上学期)
_SPAN = re.compile(
    _YEAR + r"年?(?:[-—–~～至/]|到)((?:19|20)?\d{2})年?(?:学年度?|年度)?"
    r"(?:第?([一二12上下])学期|(秋季?|春季?)学期?)?"
)
# 2024年秋季学期 / 2025春 / 2024年秋季
_TERM = re.compile(_YEAR + r"年?(秋季?|春季?)(?:学期)?")
# 2024学年 / 2024学年度 (the school year that starts in 2024)
_ONE = re.compile(_YEAR + r"学年度?")
_SEMESTER_WORDS = {"一": 1, "1": 1, "上": 1, "二": 2, "2": 2, "下": 2}


def parse(value: object) -> tuple[int, int | None] | None:
    """(school year start, semester or None) that a cell names, or None when it names none.

    Understood: '2024-2025', '2024—2025学年', '2024-25', '2024至2025学年第一学期',
    '2024年秋季学期' (2024-2025, 1st), '2025年春季学期' (2024-2025, 2nd), '2024学年'; a date
    (or a month such as '2024年9月', '2024.09') is the school year and semester it lies in.
    """
    if dates.is_blank(value):
        return None
    if isinstance(value, dt.date):  # also a pandas Timestamp
        month = value.year * 100 + value.month
        return of_month(month), semester_of_month(month)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    typed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
    found = _SPAN.fullmatch(typed)
    if found and _second_year(int(found[1]), found[2]) == int(found[1]) + 1:
        start = int(found[1])
        if found[3]:
            return start, _SEMESTER_WORDS[found[3]]
        if found[4]:
            return start, 1 if found[4].startswith("秋") else 2
        return start, None
    if found := _TERM.fullmatch(typed):
        year = int(found[1])
        return (year, 1) if found[2].startswith("秋") else (year - 1, 2)
    if found := _ONE.fullmatch(typed):
        return int(found[1]), None
    if re.fullmatch(r"(?:19|20)\d{2}", typed):  # a bare year says no school year
        return None
    found_month = dates.parse_period(typed)  # a date or a month: the school year it lies in
    if found_month is None or not 190001 <= found_month <= 209912:
        return None
    return of_month(found_month), semester_of_month(found_month)


def _second_year(start: int, typed: str) -> int:
    return int(typed) if len(typed) == 4 else start // 100 * 100 + int(typed)


def parse_series(series: pd.Series) -> pd.DataFrame:
    """:func:`parse` over a column: ``school_year`` (Int64 start) and ``semester`` (Int64)."""
    parsed = series.map(parse)
    return pd.DataFrame(
        {
            "school_year": pd.array([p[0] if p else None for p in parsed], dtype="Int64"),
            "semester": pd.array([p[1] if p and p[1] else None for p in parsed], dtype="Int64"),
        },
        index=series.index,
    )


_GRAD_YEAR = re.compile(_YEAR + r"(?:年|届|年度|年毕业|届毕业生?)?")


def graduation_year(value: object) -> int | None:
    """The year a cell names as a graduation year: 2024 / '2024年' / '2024届' / a date or
    month in 2024 ('2024-06-30', '2024年6月'); None when it names none."""
    if dates.is_blank(value):
        return None
    if isinstance(value, dt.date):  # also a pandas Timestamp
        return value.year
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 1900 <= value <= 2099:
        return value
    typed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
    if found := _GRAD_YEAR.fullmatch(typed):
        return int(found[1])
    month = dates.parse_period(typed)
    return month // 100 if month is not None and 190001 <= month <= 209912 else None
