"""Month arithmetic on YYYYMM integers, and ages: the calendar of the sample month.

Everything in the sample is dated relative to its month rather than to a clock, so these
few helpers are all the generator needs (the tests import some of them too).
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(month: int, k: int) -> int:
    """``month`` (YYYYMM) moved by ``k`` months: add_months(202401, -1) == 202312."""
    index = (month // 100) * 12 + month % 100 - 1 + k
    return (index // 12) * 100 + index % 12 + 1


def first_day(month: int) -> dt.date:
    """The first day of YYYYMM ``month``."""
    return dt.date(month // 100, month % 100, 1)


def last_day(month: int) -> dt.date:
    """The last day of YYYYMM ``month``."""
    year, mon = divmod(month, 100)
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def month_of(day: dt.date) -> int:
    """The YYYYMM month a date lies in."""
    return day.year * 100 + day.month


def months_from(start: int, end: int) -> list[int]:
    """Every month from ``start`` to ``end`` inclusive (empty when start > end)."""
    out: list[int] = []
    while start <= end:
        out.append(start)
        start = add_months(start, 1)
    return out


def _age(born: dt.date, on: dt.date) -> int:
    """Completed years on ``on``; the birthday itself counts."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
