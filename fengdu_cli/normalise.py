"""Raw cells → normalised values, per kind, before any rule looks at them.

Normalising never judges: it trims, converts full-width characters, upgrades 15-digit
IDs, maps the spellings townships use onto the allowed values and parses dates.  What
was typed stays in ``_raw_<column>`` columns so the checks in :mod:`fengdu_cli.schemas`
can tell a blank from a bad value and the report can show the cell as it was typed.
Every function works on whole columns, computing each distinct value once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.io.columns import DATE_COLUMNS, NUMBER_COLUMNS
from fengdu_cli.townships import TOWNSHIPS, canonical_township, townships_named_in

# 人员类别: typed value → (category, sub-kind)
CATEGORIES: dict[str, tuple[str, str]] = {
    "脱贫人口": ("脱贫人口", ""),
    "脱贫户": ("脱贫人口", ""),
    "已脱贫人口": ("脱贫人口", ""),
    "已脱贫户": ("脱贫人口", ""),
    "脱贫劳动力": ("脱贫人口", ""),
    "监测对象": ("监测对象", ""),
    "防止返贫监测对象": ("监测对象", ""),
    "监测户": ("监测对象", ""),
    "边缘易致贫户": ("监测对象", "边缘易致贫户"),
    "边缘易致贫人口": ("监测对象", "边缘易致贫户"),
    "脱贫不稳定户": ("监测对象", "脱贫不稳定户"),
    "脱贫不稳定人口": ("监测对象", "脱贫不稳定户"),
    "突发严重困难户": ("监测对象", "突发严重困难户"),
    "农村低收入人口": ("农村低收入人口", ""),
    "低收入人口": ("农村低收入人口", ""),
}
CATEGORY_CHOICES = (
    "脱贫人口",
    "监测对象",
    "边缘易致贫户",
    "脱贫不稳定户",
    "突发严重困难户",
    "农村低收入人口",
)

# 劳动技能: typed value → canonical value
LABOR: dict[str, str] = {
    "普通劳动力": "普通劳动力",
    "技能劳动力": "技能劳动力",
    "弱劳动力或半劳动力": "弱劳动力或半劳动力",
    "弱劳动力/半劳动力": "弱劳动力或半劳动力",
    "弱劳动力": "弱劳动力或半劳动力",
    "半劳动力": "弱劳动力或半劳动力",
    "弱劳力": "弱劳动力或半劳动力",
    "半劳力": "弱劳动力或半劳动力",
    "丧失劳动力": "丧失劳动力",
    "无劳动力": "无劳动力",
}
LABOR_CAPABLE = frozenset({"普通劳动力", "技能劳动力", "弱劳动力或半劳动力"})
LABOR_CHOICES = ("普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力")

# 务工状态 (DESIGN §6)
WORKING = (
    "县内务工",
    "县外市内务工",
    "市外务工",
    "就业帮扶车间",
    "公益性岗位",
    "自主创业",
    "灵活就业",
)
NOT_WORKING = ("未务工", "无劳动能力", "在校生")
WORK_STATUS: dict[str, str] = {v: v for v in WORKING + NOT_WORKING} | {
    "省外务工": "市外务工",
    "市外务工（省外务工）": "市外务工",
    "帮扶车间": "就业帮扶车间",
    "公益岗位": "公益性岗位",
    "公益性岗位就业": "公益性岗位",
}
WORK_STATUS_CHOICES = WORKING + NOT_WORKING

# 就业形式
EMPLOYMENT_TYPE: dict[str, str] = {
    "全日制": "全日制",
    "全职": "全日制",
    "是": "全日制",
    "非全日制": "非全日制",
    "兼职": "非全日制",
    "否": "非全日制",
}
EMPLOYMENT_TYPE_CHOICES = ("全日制", "非全日制")

_SPACES = re.compile(r"\s+")


def text_value(value: object) -> str:
    """A cell as clean text: NFKC (full-width → half-width), no spaces anywhere.

    Numbers typed into text columns come back without a trailing '.0'.
    """
    if isinstance(value, str) and value.isascii() and value.isalnum():
        return value  # the common case: nothing to clean
    if dates.is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def texts(series: pd.Series) -> pd.Series:
    """:func:`text_value` over a column, once per distinct value."""
    return map_unique(series, text_value)


def map_unique(series: pd.Series, func) -> pd.Series:
    """``func`` over a column, computed once per distinct value (object result).

    Values of different types that pandas hashes alike (1, 1.0, True) are kept apart by
    re-computing those rows one by one: they are rare and must not share a result.
    """
    values = series.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [func(u) for u in uniques]
    out = results[codes] if len(values) else np.empty(0, dtype=object)
    numeric = np.fromiter(
        (type(u) in (int, float, bool) for u in uniques), dtype=bool, count=len(uniques)
    )
    if numeric.any():
        rows = np.flatnonzero(numeric[codes])
        out = out.copy()
        out[rows] = [func(values[i]) for i in rows]
    return pd.Series(out, index=series.index, dtype=object)


def _lookup(series: pd.Series, table: dict[str, str]) -> pd.Series:
    """Map clean text through ``table``; unknown text is kept as typed (checked later)."""
    return map_unique(texts(series), lambda s: table.get(s, s))


def normalise(raw: pd.DataFrame, kind: str, on: dt.date) -> pd.DataFrame:
    """Normalise a raw frame of ``kind`` (from :mod:`fengdu_cli.io.read`).

    Adds ``_raw_<col>`` for the checked columns, ``_id_code`` / ``_id_expected`` from the
    ID classifier, and typed columns (dates as datetime64, periods as YYYYMM).
    """
    out = raw.copy()
    if "id_number" in out:
        checked = idcard.classify_series(out["id_number"], on)
        out["_raw_id_number"] = out["id_number"]
        out["id_number"] = checked["id_number"].astype(object)
        out["_id_code"] = checked["id_code"]
        out["_id_expected"] = checked["id_expected_check"]
    if "name" in out:
        out["name"] = texts(out["name"])
    for column in (
        "employer_name",
        "work_region",
        "business_name",
        "workshop_name",
        "insurance_type",
    ):
        if column in out:
            out[column] = texts(out[column])
    for column in ("employer_code", "business_code", "household_id"):
        if column in out:
            out[column] = texts(out[column]).str.upper()
    if kind == "roster":
        _normalise_roster(out)
    if kind == "employment" and "employment_type" in out:
        out["_raw_employment_type"] = out["employment_type"]
        out["employment_type"] = _lookup(out["employment_type"], EMPLOYMENT_TYPE)
    for column in DATE_COLUMNS.get(kind, ()):
        if column in out:
            out[f"_raw_{column}"] = out[column]
            out[column] = dates.parse_dates(out[column])
    if kind == "insurance" and "period" in out:
        out["_raw_period"] = out["period"]
        out["period"] = dates.parse_periods(out["period"])
    for column in NUMBER_COLUMNS.get(kind, ()):
        if column in out:
            out[f"_raw_{column}"] = out[column]
            out[column] = pd.to_numeric(texts(out[column]).str.replace(",", ""), errors="coerce")
    if "township" in out or kind == "roster":
        _normalise_township(out)
    return out


def _normalise_roster(out: pd.DataFrame) -> None:
    if "category" in out:
        clean = texts(out["category"])
        out["_raw_category"] = out["category"]
        pairs = clean.map(lambda s: CATEGORIES.get(s, (s, "")))
        out["category"] = pairs.map(lambda p: p[0]).astype(object)
        out["category_detail"] = pairs.map(lambda p: p[1]).astype(object)
    if "labor_capacity" in out:
        out["_raw_labor_capacity"] = out["labor_capacity"]
        out["labor_capacity"] = _lookup(out["labor_capacity"], LABOR)
    if "work_status" in out:
        out["_raw_work_status"] = out["work_status"]
        out["work_status"] = _lookup(out["work_status"], WORK_STATUS)
    for column in ("phone", "bank_account"):
        if column in out:
            out[f"_raw_{column}"] = out[column]
            out[column] = texts(out[column]).str.replace(r"[-－—()（）]", "", regex=True)
    for column in ("village", "work_place", "relation"):
        if column in out:
            out[column] = texts(out[column])


def _normalise_township(out: pd.DataFrame) -> None:
    """Canonical township names; an empty township comes from the file's title or name
    when that names exactly one township (DESIGN §6)."""
    if "township" not in out:
        out["township"] = ""
    out["_raw_township"] = out["township"]
    clean = texts(out["township"])
    canon = map_unique(clean, lambda s: canonical_township(s) or s)
    context = out["_file"].map(lambda f: re.split(r"[/\\]", f)[-1]) + " " + out["_title"]
    inferred = map_unique(context, _only_township)
    canon = canon.where(clean.ne(""), inferred)
    out["township"] = canon
    # the township that sent the file: where its return list goes
    known = canon.where(canon.isin(TOWNSHIPS), "")
    out["_sender_township"] = inferred.where(inferred.ne(""), known)


def _only_township(text: str) -> str:
    found = townships_named_in(text)
    return next(iter(found)) if len(found) == 1 else ""


def is_labor_capable(labor: pd.Series) -> pd.Series:
    """Able to work (DESIGN §6): 普通劳动力, 技能劳动力 or 弱劳动力/半劳动力."""
    return labor.isin(LABOR_CAPABLE)
