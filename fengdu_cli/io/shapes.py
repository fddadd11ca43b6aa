"""The shapes values have: how a column reveals what it is, whatever its header says.

Each shape is a test of one cell (as stored: text, number, date).  :func:`share` gives
the fraction of a column's sampled non-blank cells that fit a shape; recognition samples
a few hundred cells per column, never the whole column.  Vocabularies (categories,
labour capacities, work statuses …) come from :mod:`fengdu_cli.normalise`, plus the
spellings a clerk added in ``columns.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from fengdu_cli import dates
from fengdu_cli.cells import text_value
from fengdu_cli.normalise import (
    EMPLOYMENT_TYPE,
    LABOR,
    LEVELS,
    STUDENT_STATUS,
    TRAINING_RESULT_CHOICES,
    TRAINING_TYPE_CHOICES,
    WORK_STATUS,
    category_facts,
    training_result,
    training_type,
)
from fengdu_cli.regions import is_known_region
from fengdu_cli.townships import canonical_township

SAMPLE_ROWS = 400  # body rows looked at per column
SAMPLE_VALUES = 200  # non-blank cells kept per column

_ID18 = re.compile(r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")
_ID15 = re.compile(r"[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}")
_CREDIT = re.compile(r"[1-9A-HJ-NP-RTUWY][1-9A-HJ-NP-RTUWY0-9]\d{6}[0-9A-HJ-NP-RTUWXY]{10}")
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")
_ACCOUNT = re.compile(r"\d{12,25}")
_PERIOD_TEXT = re.compile(r"(19|20)\d{2}(?:[-./年]?)(0?[1-9]|1[0-2])月?")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,4}[·•][\u4e00-\u9fff]{1,6}")
_ORG = re.compile(
    r"(公司|厂|店|中心|合作社|车间|医院|学校|酒店|超市|经营部|门市|工作室|农场|基地|集团|"
    r"事务所|商行|馆|部|站|所|院|局|社|园|场|行|坊)$"
)
_AMOUNT = re.compile(r"-?\d{1,12}(?:\.\d{1,4})?")
_RELATIONS = frozenset(
    [
        "户主",
        "本人",
        "配偶",
        "妻",
        "夫",
        "妻子",
        "丈夫",
        "之子",
        "之女",
        "子",
        "女",
        "儿子",
        "女儿",
        "长子",
        "次子",
        "三子",
        "长女",
        "次女",
        "三女",
        "之孙子",
        "之孙女",
        "孙子",
        "孙女",
        "外孙子",
        "外孙女",
        "之父",
        "之母",
        "父亲",
        "母亲",
        "父",
        "母",
        "之儿媳",
        "儿媳",
        "之女婿",
        "女婿",
        "兄弟姐妹",
        "兄",
        "弟",
        "姐",
        "妹",
        "之兄弟姐妹",
        "祖父",
        "祖母",
        "之祖父",
        "之祖母",
        "其他",
        "其他亲属",
        "之曾孙子",
        "之曾孙女",
    ]
)
_INSURANCE_WORDS = ("养老", "医疗", "失业", "工伤", "生育", "保险")
_VILLAGE = re.compile(r".+(村|社区|居委会|居委)$")


def _is_id(value: object) -> bool:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return 1e14 <= abs(value) < 1e18  # an ID Excel turned into a number
    s = text_value(value).upper()
    return bool(_ID18.fullmatch(s) or _ID15.fullmatch(s))


def _is_credit(value: object) -> bool:
    s = text_value(value).upper()
    return bool(_CREDIT.fullmatch(s)) and not _ID18.fullmatch(s)


def _is_phone(value: object) -> bool:
    return bool(_PHONE.fullmatch(text_value(value)))


def _is_account(value: object) -> bool:
    if isinstance(value, float) and value >= 1e15:
        return not 1e17 <= value < 1e18  # 16–19 digits stored as a number, but not an ID
    s = text_value(value)
    return bool(_ACCOUNT.fullmatch(s)) and not _ID18.fullmatch(s) and not _PHONE.fullmatch(s)


def _is_date(value: object) -> bool:
    if isinstance(value, dt.date | dt.datetime):
        return True
    if isinstance(value, int | float):
        return 19000101 <= value <= 29991231 or 25569 <= value <= 73050  # yyyymmdd or a serial
    return dates.parse_date(value) is not None


def _is_period(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value).is_integer() and 190001 <= value <= 209912 and 1 <= value % 100 <= 12
    if isinstance(value, dt.date | dt.datetime):
        return False
    return bool(_PERIOD_TEXT.fullmatch(text_value(value)))


def _is_amount(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return bool(_AMOUNT.fullmatch(text_value(value).replace(",", "")))


def _is_name(value: object) -> bool:
    s = text_value(value)
    return bool(_NAME.fullmatch(s)) and not _ORG.search(s) and not _VILLAGE.fullmatch(s)


def _is_org(value: object) -> bool:
    s = text_value(value)
    return len(s) >= 4 and bool(_ORG.search(s))


def _is_region(value: object) -> bool:
    s = text_value(value)
    return is_known_region(s) and not _is_org(s) and s not in WORK_STATUS


def _is_village(value: object) -> bool:
    s = text_value(value)
    return bool(_VILLAGE.fullmatch(s)) and canonical_township(s) is None


def _in(table: Mapping[str, object]) -> Callable[[object], bool]:
    return lambda value: text_value(value) in table


def _is_insurance_type(value: object) -> bool:
    s = text_value(value)
    return any(w in s for w in _INSURANCE_WORDS) and len(s) <= 16


# A full-time flag column often says 是/否, which any yes/no column says too: only the
# words that name a kind of employment count as its shape.
_EMPLOYMENT_WORDS = {k: v for k, v in EMPLOYMENT_TYPE.items() if k not in ("是", "否")}

SHAPES: dict[str, Callable[[object], bool]] = {
    "id_number": _is_id,
    "credit_code": _is_credit,
    "phone": _is_phone,
    "bank_account": _is_account,
    "date": _is_date,
    "period": _is_period,
    "amount": _is_amount,
    "name": _is_name,
    "organisation": _is_org,
    "region": _is_region,
    "village": _is_village,
    "township": lambda v: canonical_township(text_value(v)) is not None,
    "relation": lambda v: text_value(v) in _RELATIONS,
    "labor_capacity": _in(LABOR),
    "work_status": _in(WORK_STATUS),
    "employment_type": _in(_EMPLOYMENT_WORDS),
    "insurance_type": _is_insurance_type,
    "category": lambda v: category_facts(text_value(v)) is not None,
    "school_level": _in(LEVELS),
    "student_status": _in(STUDENT_STATUS),
    "training_type": lambda v: training_type(text_value(v)) in TRAINING_TYPE_CHOICES,
    "training_result": lambda v: training_result(text_value(v)) in TRAINING_RESULT_CHOICES,
}


def sample(values: Iterable[object]) -> list[object]:
    """Up to SAMPLE_VALUES non-blank cells of the first SAMPLE_ROWS of a column."""
    out: list[object] = []
    for i, value in enumerate(values):
        if i >= SAMPLE_ROWS or len(out) >= SAMPLE_VALUES:
            break
        if not dates.is_blank(value):
            out.append(value)
    return out


def share(cells: Sequence[object], shape: str, extra: Iterable[str] = ()) -> float | None:
    """The fraction of ``cells`` (non-blank) that fit ``shape``; None when there are none.

    ``extra``: spellings a columns.toml maps onto this column's values; they fit too.
    """
    if not cells:
        return None
    test = SHAPES[shape]
    known = frozenset(extra)
    fits = sum(
        n for v, n in _distinct(cells).items() if test(v) or (known and text_value(v) in known)
    )
    return fits / len(cells)


def _distinct(cells: Sequence[object]) -> Counter:
    """The distinct cells of a sample with their counts (each is tested once)."""
    return Counter(cells)
