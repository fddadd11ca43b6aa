"""Raw cells → normalised values, per kind, before any rule looks at them.

Normalising never judges: it trims, converts full-width characters, upgrades 15-digit
IDs, maps the spellings townships use onto the allowed values and parses dates.  What
was typed stays in ``_raw_<column>`` columns so the checks in :mod:`fengdu_cli.schemas`
can tell a blank from a bad value and the report can show the cell as it was typed.
Every function works on whole columns, computing each distinct value once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from fengdu_cli import dates, idcard, schoolyear
from fengdu_cli.cells import text_value
from fengdu_cli.io.columns import DATE_COLUMNS, NUMBER_COLUMNS
from fengdu_cli.regions import region_class
from fengdu_cli.townships import TOWNSHIPS, canonical_township, townships_named_in

# 人员类别 → facts (DESIGN §6: a category is a set of facts, not one label).  A person can
# be 脱贫人口 and 监测对象 at once: a 脱贫不稳定户 is a 脱贫户 under monitoring.  The kind of
# monitoring (边缘易致贫户 / 脱贫不稳定户 / 突发严重困难户) is kept as a fact of its own.
# A value listing several (脱贫户、监测户; 脱贫户（监测对象）) has the facts of each part.
TUOPIN, MONITORED, LOW_INCOME = "脱贫人口", "监测对象", "农村低收入人口"
MONITOR_KINDS = ("边缘易致贫户", "脱贫不稳定户", "突发严重困难户")
CATEGORY_FACTS: dict[str, tuple[str, ...]] = {
    "脱贫人口": (TUOPIN,),
    "脱贫户": (TUOPIN,),
    "已脱贫人口": (TUOPIN,),
    "已脱贫户": (TUOPIN,),
    "脱贫劳动力": (TUOPIN,),
    "脱贫享受政策户": (TUOPIN,),
    "脱贫不享受政策户": (TUOPIN,),
    "建档立卡脱贫户": (TUOPIN,),
    "建档立卡贫困户": (TUOPIN,),
    "贫困户": (TUOPIN,),
    "监测对象": (MONITORED,),
    "防止返贫监测对象": (MONITORED,),
    "监测户": (MONITORED,),
    "监测人口": (MONITORED,),
    "边缘易致贫户": (MONITORED, "边缘易致贫户"),
    "边缘易致贫人口": (MONITORED, "边缘易致贫户"),
    "边缘户": (MONITORED, "边缘易致贫户"),
    "边缘易致贫": (MONITORED, "边缘易致贫户"),
    "脱贫不稳定户": (TUOPIN, MONITORED, "脱贫不稳定户"),
    "脱贫不稳定人口": (TUOPIN, MONITORED, "脱贫不稳定户"),
    "脱贫不稳定": (TUOPIN, MONITORED, "脱贫不稳定户"),
    "突发严重困难户": (MONITORED, "突发严重困难户"),
    "突发严重困难人口": (MONITORED, "突发严重困难户"),
    "突发困难户": (MONITORED, "突发严重困难户"),
    "农村低收入人口": (LOW_INCOME,),
    "低收入人口": (LOW_INCOME,),
    "农村低收入户": (LOW_INCOME,),
    "低收入户": (LOW_INCOME,),
    # known values that name none of the policy's groups
    "一般户": (),
    "一般农户": (),
    "非贫困户": (),
    "普通农户": (),
}
CATEGORY_CHOICES = (TUOPIN, MONITORED, *MONITOR_KINDS, LOW_INCOME)
_CATEGORY_SPLIT = re.compile(r"[、,，/;；+＋|和及与（）()]+")

# 劳动技能: typed value → canonical value
LABOR: dict[str, str] = {
    "普通劳动力": "普通劳动力",
    "普通劳力": "普通劳动力",
    "一般劳动力": "普通劳动力",
    "技能劳动力": "技能劳动力",
    "技能劳力": "技能劳动力",
    "技术劳动力": "技能劳动力",
    "弱劳动力或半劳动力": "弱劳动力或半劳动力",
    "弱劳动力/半劳动力": "弱劳动力或半劳动力",
    "弱劳动力、半劳动力": "弱劳动力或半劳动力",
    "弱劳动力（半劳动力）": "弱劳动力或半劳动力",
    "弱劳动力(半劳动力)": "弱劳动力或半劳动力",
    "弱劳动力": "弱劳动力或半劳动力",
    "半劳动力": "弱劳动力或半劳动力",
    "弱劳力": "弱劳动力或半劳动力",
    "半劳力": "弱劳动力或半劳动力",
    "丧失劳动力": "丧失劳动力",
    "丧失劳动能力": "丧失劳动力",
    "丧失劳力": "丧失劳动力",
    "无劳动力": "无劳动力",
    "无劳动能力": "无劳动力",
    "无劳力": "无劳动力",
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
# Working, but the roster does not say where: enough for status_mismatch.
WORKING_UNPLACED = ("外出务工", "已务工")
WORK_STATUS: dict[str, str] = {v: v for v in WORKING + NOT_WORKING + WORKING_UNPLACED} | {
    "省外务工": "市外务工",
    "市外务工（省外务工）": "市外务工",
    "市外务工(省外务工)": "市外务工",
    "出省务工": "市外务工",
    "市外就业": "市外务工",
    "省外就业": "市外务工",
    "县外市内就业": "县外市内务工",
    "市内县外务工": "县外市内务工",
    "县外市内": "县外市内务工",
    "县内就业": "县内务工",
    "县内就近务工": "县内务工",
    "帮扶车间": "就业帮扶车间",
    "帮扶车间务工": "就业帮扶车间",
    "车间务工": "就业帮扶车间",
    "公益岗位": "公益性岗位",
    "公益岗": "公益性岗位",
    "公益性岗位就业": "公益性岗位",
    "创业": "自主创业",
    "自主创业就业": "自主创业",
    "个体经营": "自主创业",
    "灵活就业人员": "灵活就业",
    "零工": "灵活就业",
    "外出打工": "外出务工",
    "在外务工": "外出务工",
    "务工": "已务工",
    "已就业": "已务工",
    "就业": "已务工",
    "在岗": "已务工",
    "未就业": "未务工",
    "无业": "未务工",
    "待业": "未务工",
    "失业": "未务工",
    "在家": "未务工",
    "丧失劳动能力": "无劳动能力",
    "无劳动力": "无劳动能力",
    "学生": "在校生",
    "在校学生": "在校生",
    "在读": "在校生",
}
WORK_STATUS_CHOICES = WORKING + NOT_WORKING
WORKING_STATES = WORKING + WORKING_UNPLACED

# 就业形式
EMPLOYMENT_TYPE: dict[str, str] = {
    "全日制": "全日制",
    "全日制用工": "全日制",
    "全日制就业": "全日制",
    "全职": "全日制",
    "是": "全日制",
    "非全日制": "非全日制",
    "非全日制用工": "非全日制",
    "非全日制就业": "非全日制",
    "兼职": "非全日制",
    "小时工": "非全日制",
    "否": "非全日制",
    # a public-welfare post is neither: 职业介绍补贴 excludes it (公益性岗位就业除外)
    "公益性岗位": "公益性岗位",
    "公益岗位": "公益性岗位",
    "公益岗": "公益性岗位",
}
EMPLOYMENT_TYPE_CHOICES = ("全日制", "非全日制")

# 就读层次 (雨露计划: 中职 / 高职); the other levels are known values the rule does not pay
SECONDARY, HIGHER = "中职", "高职"
LEVELS: dict[str, str] = {
    **dict.fromkeys(
        ("中职", "中等职业教育", "中等职业学校", "中专", "中等专业学校", "职高", "职业高中",
         "技工学校", "技工学校（中级工）", "技工学校(中级工)", "技工院校（中级工）",
         "技工院校(中级工)", "中级工", "技校", "中职学校", "中职学生", "中等职业"),
        SECONDARY,
    ),
    **dict.fromkeys(
        ("高职", "高等职业教育", "大专", "专科", "高职专科", "高职（专科）", "高职(专科)",
         "高职院校", "高等职业学校", "高等职业院校", "高职学生", "专科（高职）", "专科(高职)",
         "技工院校（高级工）", "技工院校(高级工)", "技工学校（高级工）", "技工学校(高级工)",
         "技师学院（高级工）", "技师学院(高级工)", "高级工", "预备技师", "高等职业"),
        HIGHER,
    ),
    **{v: v for v in ("本科", "普通高中", "高中", "初中", "小学", "研究生", "硕士", "博士",
                      "职业本科", "学前", "幼儿园")},
    "大学本科": "本科",
    "普通本科": "本科",
    "本科院校": "本科",
    "硕士研究生": "研究生",
    "博士研究生": "研究生",
    "普高": "普通高中",
}  # fmt: skip
LEVEL_CHOICES = (SECONDARY, HIGHER, "本科", "普通高中")
# 在校 (graduating this year) / 离校未就业 (困难家庭学生求职创业补贴)
AT_SCHOOL, LEFT_UNEMPLOYED = "在校", "离校未就业"
STUDENT_STATUS: dict[str, str] = {
    **dict.fromkeys(
        ("在校", "在校生", "毕业年度在校生", "毕业年度在校", "应届", "应届毕业生", "应届生",
         "在校求职", "在校求职创业", "毕业学年在校生", "毕业年度内在校生"),
        AT_SCHOOL,
    ),
    **dict.fromkeys(
        ("离校未就业", "离校未就业毕业生", "离校未就业高校毕业生", "离校未就业学生",
         "离校未就业人员", "未就业毕业生", "离校未就业求职"),
        LEFT_UNEMPLOYED,
    ),
}  # fmt: skip
STUDENT_STATUS_CHOICES = (AT_SCHOOL, LEFT_UNEMPLOYED)
# 培训类型 (training/): typed value → one of TRAINING_TYPE_CHOICES.  A value not in the
# table is read by its words (鲁渝 and 以工代训 → 鲁渝协作以工代训; 以工代训; 创业; 技能 …),
# anything else is kept as typed (bad_category).
SKILL, STARTUP, WORK_TRAINING, SHANDONG_WORK_TRAINING = (
    "职业技能培训", "创业培训", "以工代训", "鲁渝协作以工代训",
)  # fmt: skip
TRAINING_TYPE_CHOICES = (SKILL, STARTUP, WORK_TRAINING, SHANDONG_WORK_TRAINING)
TRAINING_TYPE: dict[str, str] = {v: v for v in TRAINING_TYPE_CHOICES} | {
    "技能培训": SKILL,
    "就业技能培训": SKILL,
    "职业培训": SKILL,
    "职业技能提升培训": SKILL,
    "岗位技能提升培训": SKILL,
    "技能提升培训": SKILL,
    "职业技能提升行动": SKILL,
    "SYB": STARTUP,
    "SYB创业培训": STARTUP,
    "创业培训（SYB）": STARTUP,
    "创业培训(SYB)": STARTUP,
    "GYB": STARTUP,
    "网络创业培训": STARTUP,
    "以工代训补贴": WORK_TRAINING,
    "鲁渝以工代训": SHANDONG_WORK_TRAINING,
    "鲁渝劳务协作以工代训": SHANDONG_WORK_TRAINING,
    "东西部协作以工代训": SHANDONG_WORK_TRAINING,
}


def training_type(text: str) -> str:
    """The 培训类型 a cleaned text names (TRAINING_TYPE_CHOICES), or the text itself."""
    if text in TRAINING_TYPE:
        return TRAINING_TYPE[text]
    if "以工代训" in text:
        return SHANDONG_WORK_TRAINING if ("鲁渝" in text or "东西部" in text) else WORK_TRAINING
    if "创业" in text and "培训" in text:
        return STARTUP
    if "技能" in text and "培训" in text:
        return SKILL
    return text


# 考核结果 (training/): passed or not.  A value that says 不合格 / 未通过 is never a pass.
PASSED, CERTIFIED, FAILED = "合格", "取得证书", "不合格"
TRAINING_RESULT_CHOICES = (PASSED, CERTIFIED, FAILED)
TRAINING_RESULT: dict[str, str] = {v: v for v in TRAINING_RESULT_CHOICES} | {
    "考核合格": PASSED,
    "培训合格": PASSED,
    "结业合格": PASSED,
    "通过": PASSED,
    "考核通过": PASSED,
    "是": PASSED,
    "已取证": CERTIFIED,
    "取证": CERTIFIED,
    "已取得证书": CERTIFIED,
    "职业资格证书": CERTIFIED,
    "职业技能等级证书": CERTIFIED,
    "专项职业能力证书": CERTIFIED,
    "培训合格证": CERTIFIED,
    "创业培训合格证": CERTIFIED,
    "考核不合格": FAILED,
    "未通过": FAILED,
    "考核未通过": FAILED,
    "未取证": FAILED,
    "缺考": FAILED,
    "否": FAILED,
}


def training_result(text: str) -> str:
    """The 考核结果 a cleaned text names (TRAINING_RESULT_CHOICES), or the text itself: a
    text that says 不合格 / 未通过 / 未取得 fails whatever else it says."""
    if text in TRAINING_RESULT:
        return TRAINING_RESULT[text]
    if any(word in text for word in ("不合格", "未通过", "未取得", "未取证")):
        return FAILED
    if "证书" in text or "合格证" in text:
        return CERTIFIED
    return text


# The value tables a columns.toml can add spellings to, per kind and column.
VOCABULARIES: dict[tuple[str, str], dict] = {
    ("roster", "category"): CATEGORY_FACTS,
    ("roster", "labor_capacity"): LABOR,
    ("roster", "work_status"): WORK_STATUS,
    ("employment", "employment_type"): EMPLOYMENT_TYPE,
    ("students", "level"): LEVELS,
    ("students", "student_status"): STUDENT_STATUS,
    ("training", "training_type"): TRAINING_TYPE,
    ("training", "result"): TRAINING_RESULT,
}


# What a 监测对象类别 cell says when the person is not monitored.
NOT_MONITORED = frozenset({"否", "无", "非监测对象", "不是", "/", "-", "—", "未纳入"})


def category_facts(text: str, extra: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """The facts a cleaned 人员类别 text states, in a fixed order; None when not understood.

    ``extra`` maps further spellings (a columns.toml) onto known ones.
    """
    if extra and text in extra:
        text = extra[text]
    if text in CATEGORY_FACTS:
        found = set(CATEGORY_FACTS[text])
    else:
        parts = [p for p in _CATEGORY_SPLIT.split(text) if p]
        if len(parts) < 2:
            return None
        found = set()
        for part in parts:
            part = extra.get(part, part) if extra else part
            if part not in CATEGORY_FACTS:
                return None
            found |= set(CATEGORY_FACTS[part])
    return tuple(f for f in (TUOPIN, MONITORED, *MONITOR_KINDS, LOW_INCOME) if f in found)


def category_label(facts: tuple[str, ...]) -> str:
    """How a set of facts is shown: '脱贫人口、监测对象' (the monitor kind goes to 类别细分)."""
    return "、".join(f for f in facts if f not in MONITOR_KINDS) or "一般户"


_SPACES = re.compile(r"\s+")


def texts(series: pd.Series) -> pd.Series:
    """:func:`text_value` over a column, once per distinct value."""
    return map_unique(series, text_value)


def account_text(value: object) -> str:
    """A bank account as text: no spaces, full-width digits half-width, no dashes or brackets.

    An account is ID-like: a cell Excel stores as a number of 1e15 or more has lost digits
    (a double keeps about 15 significant ones), so it comes back as Excel shows it
    ('6.22848012345678E+18'), which no account matches (``bad_number``): never guessed."""
    if (
        isinstance(value, float | int)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) >= 1e15
    ):  # Excel keeps 15 digits of a number: whatever the file says, the rest is lost
        return idcard.excel_number_text(float(value))
    return re.sub(r"[-－—()（）]", "", text_value(value))


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


def _upper_text(value: object) -> str:
    """:func:`text_value` in upper case (codes: 户编号, credit codes)."""
    return text_value(value).upper()


def _number_text(value: object) -> str:
    """:func:`text_value` without thousands separators ('1,234.5' → '1234.5')."""
    return text_value(value).replace(",", "")


def numbers(series: pd.Series) -> pd.Series:
    """A column as numbers (NaN where the text is not one): ``pd.to_numeric`` of the text
    without thousands separators, parsed once per distinct text.

    A million insurance rows hold a few hundred distinct amounts; the result is the one
    ``pd.to_numeric`` gives for the whole column (the same dtype: it depends on which
    values occur, not how often).
    """
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=False)
    if not len(series) or any(type(u) in (int, float, bool) for u in uniques):
        # numbers that hash alike (1, 1.0, True) each keep their own text: the general way
        return pd.to_numeric(map_unique(series, _number_text), errors="coerce")
    clean = np.empty(len(uniques), dtype=object)
    clean[:] = [_number_text(u) for u in uniques]
    parsed = np.asarray(pd.to_numeric(clean, errors="coerce"))
    return pd.Series(parsed[codes], index=series.index)


def _lookup(
    series: pd.Series, table: dict[str, str], extra: dict[str, str] | None = None
) -> pd.Series:
    """Map clean text through ``table`` (and a columns.toml's ``extra`` spellings, which map
    onto spellings of ``table``); unknown text is kept as typed (checked later)."""
    if extra:
        table = {**table, **{k: table.get(v, v) for k, v in extra.items()}}
    return map_unique(texts(series), lambda s: table.get(s, s))


# What an end-date cell says when the job has not ended (a blank says the same).
STILL_GOING = frozenset(
    {"至今", "长期", "无固定期限", "在职", "在岗", "—", "-", "/", "无", "未离职"}
)

Spellings = dict[str, dict[str, str]]  # column → typed spelling → known spelling


def normalise(
    raw: pd.DataFrame, kind: str, on: dt.date, spellings: Spellings | None = None
) -> pd.DataFrame:
    """Normalise a raw frame of ``kind`` (from :mod:`fengdu_cli.io.read`).

    Adds ``_raw_<col>`` for the checked columns, ``_id_code`` / ``_id_expected`` from the
    ID classifier, and typed columns (dates as datetime64, periods as YYYYMM).
    ``spellings`` are the clerk's own value spellings (columns.toml) for this kind.
    """
    spellings = spellings or {}
    out = raw.copy(deep=False)  # copy-on-write: what normalise changes never reaches raw
    if kind == "loans":
        _credit_codes_apart(out)
    if "id_number" in out and kind != "payments":  # a payment list mixes IDs and credit codes
        checked = idcard.classify_series(out["id_number"], on)
        out["_raw_id_number"] = out["id_number"]
        out["id_number"] = checked["id_number"].astype(object)
        out["_id_code"] = checked["id_code"]
        out["_id_expected"] = checked["id_expected_check"]
    if "head_id_number" in out:
        out["head_id_number"] = map_unique(
            texts(out["head_id_number"]), lambda s: idcard.normalise(s) if s else ""
        )
    if "name" in out:
        out["name"] = texts(out["name"])
    for column in (
        "employer_name",
        "work_region",
        "insured_region",
        "business_name",
        "workshop_name",
        "insurance_type",
    ):
        if column in out:
            out[column] = texts(out[column])
    for column in ("employer_code", "business_code", "household_id"):
        if column in out:
            out[column] = map_unique(out[column], _upper_text)
    if "bank_account" in out:  # any kind: a person's or an organisation's account
        out["_raw_bank_account"] = out["bank_account"]
        out["bank_account"] = map_unique(out["bank_account"], account_text)
    for column in ("bank", "account_name", "org_name"):
        if column in out:
            out[column] = texts(out[column])
    if kind == "accounts" and "employer_code" in out:  # the payee's code: checked (schemas)
        out["_raw_employer_code"] = raw["employer_code"]
        out["employer_code"] = map_unique(raw["employer_code"], credit_key)
    if kind == "roster":
        _normalise_roster(out, spellings)
    if kind == "employment" and "employment_type" in out:
        out["_raw_employment_type"] = out["employment_type"]
        out["employment_type"] = _lookup(
            out["employment_type"], EMPLOYMENT_TYPE, spellings.get("employment_type")
        )
    if kind == "employment" and "work_region" in out:
        extra = spellings.get("work_region") or {}
        out["region"] = map_unique(out["work_region"], lambda s: region_class(extra.get(s, s)))
    if kind == "travel" and "destination" in out:
        out["destination"] = texts(out["destination"])
        out["destination_region"] = map_unique(out["destination"], region_class)
    if kind == "training":
        _normalise_training(out, spellings)
    for column in DATE_COLUMNS.get(kind, ()):
        if column in out:
            values = out[column]
            if column == "end_date":  # 至今 / 长期 / 在职: the job has not ended, as if blank
                values = values.where(~texts(values).isin(STILL_GOING), None)
            out[f"_raw_{column}"] = values
            out[column] = dates.parse_dates(values)
    if kind in ("insurance", "training") and "period" in out:
        out["_raw_period"] = out["period"]
        out["period"] = dates.parse_periods(out["period"])
    for column in NUMBER_COLUMNS.get(kind, ()):
        if column in out:
            out[f"_raw_{column}"] = out[column]
            out[column] = numbers(out[column])
    if kind == "insurance":
        _reject_absurd(out, on)
    if kind == "students":
        _normalise_students(out, spellings)
    if kind == "loans":
        _normalise_loans(out)
    if kind == "businesses" and "rural_entrepreneur" in out:
        out["_raw_rural_entrepreneur"] = out["rural_entrepreneur"]
        out["rural_entrepreneur"] = map_unique(texts(out["rural_entrepreneur"]), _flag)
    if kind == "posts" and "accident_insurance" in out:
        out["_raw_accident_insurance"] = out["accident_insurance"]
        out["accident_insurance"] = map_unique(texts(out["accident_insurance"]), _bought)
    if kind == "training":  # 出勤天数 1–366 / 学时 1–2928, whole numbers: else bad_number
        for column, most in (("days", 366), ("hours", 366 * 8)):
            if column in out:
                value = out[column].astype(float)
                whole = np.isfinite(value) & (value >= 1) & (value <= most)
                out[column] = value.where(whole & (value == np.floor(value.where(whole, 0))))
    if kind == "posts" and "subsidy_amount" in out:  # 0 or less is no standard: bad_number
        value = out["subsidy_amount"].astype(float)
        out["subsidy_amount"] = value.where(np.isfinite(value) & (value > 0))
    if kind == "agencies":
        _normalise_agencies(out, raw, on)
    if kind == "bases":
        _normalise_bases(out, raw)
    if "township" in out or kind == "roster":
        _normalise_township(out)
    return out


YES = frozenset({"是", "√", "✓", "✔", "Y", "YES", "TRUE", "1", "有"})
NO = frozenset({"否", "×", "✗", "✘", "X", "N", "NO", "FALSE", "0", "无", "不是", ""})


def _flag(text: str) -> object:
    """A yes/no cell: True, False, or the text when it is neither (checked later)."""
    upper = text.upper()
    if upper in YES:
        return True
    if upper in NO:
        return False
    return text


# 人身意外伤害保险 on a post list: bought or not, in the words clerks use.
BOUGHT = YES | {"已购买", "已买", "购买", "已购", "已投保", "已参保", "已办理", "已缴纳", "有购买"}
NOT_BOUGHT = (NO - {""}) | {"未购买", "未买", "没买", "未购", "未投保", "未参保", "未办理", "没有"}


def _bought(text: str) -> object:
    """An accident-insurance cell: True, False, None when blank (unknown, never "no"), or
    the text when it says neither (bad_category, kept)."""
    if not text:
        return None
    upper = text.upper()
    if upper in BOUGHT:
        return True
    if upper in NOT_BOUGHT:
        return False
    return text


# agencies/: what a placement was (服务类型), and the yes/no columns of the list.
SERVICE_TYPE: dict[str, str] = {
    "职业介绍": "职业介绍",
    "免费职业介绍": "职业介绍",
    "职业介绍服务": "职业介绍",
    "职介": "职业介绍",
    "介绍就业": "职业介绍",
    "招聘": "招聘",
    "招工": "招聘",
    "招聘服务": "招聘",
    "用工保障": "招聘",
    "重点企业招聘": "招聘",
    "市重点电子企业招聘": "招聘",
    "电子企业招聘": "招聘",
}
SERVICE_TYPE_CHOICES = ("职业介绍", "招聘")
AGENCY_FLAGS = ("free_service", "dispatch", "registered_unemployed")

# bases/: the kind of base (an unknown value stays as typed: bad_category) and the grade of
# its yearly evaluation.  本工具的理解：A/B/C/D 即 优秀/良好/合格/不合格.
BASE_TYPE_CHOICES = ("就业帮扶基地", "创业孵化基地", "就业服务超市")
GRADE: dict[str, str] = {
    "优秀": "优秀", "优": "优秀", "A": "优秀", "A级": "优秀", "A等": "优秀",
    "良好": "良好", "良": "良好", "B": "良好", "B级": "良好", "B等": "良好",
    "合格": "合格", "达标": "合格", "C": "合格", "C级": "合格", "C等": "合格",
    "不合格": "不合格", "不达标": "不合格", "D": "不合格", "D级": "不合格", "D等": "不合格",
}  # fmt: skip
GRADE_CHOICES = ("优秀", "良好", "合格", "不合格")


def base_type(text: str) -> str:
    """就业帮扶基地 / 创业孵化基地 / 就业服务超市 from what a list (or a name) says; '' for a
    blank; the text itself when it names none of them."""
    if not text:
        return ""
    if "超市" in text:
        return "就业服务超市"
    if "孵化" in text or "创业园" in text or "创业基地" in text:
        return "创业孵化基地"
    if "帮扶基地" in text or "就业基地" in text:
        return "就业帮扶基地"
    return text


def _normalise_agencies(out: pd.DataFrame, raw: pd.DataFrame, on: dt.date) -> None:
    for column in ("agency_name", "employer_name", "person_type"):
        if column in out:
            out[column] = texts(out[column])
    if "employer_code" in out:
        out["employer_code"] = texts(out["employer_code"]).str.upper()
    if "agency_code" in out:  # the payee: checked (schemas, claims.payees)
        out["_raw_agency_code"] = raw["agency_code"]
        out["agency_code"] = map_unique(raw["agency_code"], credit_key)
    if "broker_id" in out:  # the payee without a credit code: checked as an ID
        out["_raw_broker_id"] = raw["broker_id"]
        checked = idcard.classify_series(raw["broker_id"], on)
        out["broker_id"] = checked["id_number"].astype(object)
        out["_broker_id_code"] = checked["id_code"]
        out["_broker_id_expected"] = checked["id_expected_check"]
    if "service_type" in out:
        out["_raw_service_type"] = out["service_type"]
        out["service_type"] = _lookup(out["service_type"], SERVICE_TYPE)
    if "registered_unemployed" not in out and "person_type" in out:
        # a 人员类型 column instead of the yes/no one: 登记失业人员 in it, or not
        out["registered_unemployed"] = texts(out["person_type"]).map(
            lambda s: ("是" if "失业" in s else "否") if s else ""
        )
    for column in AGENCY_FLAGS:
        if column in out:
            # a blank 是否免费 / 是否劳务派遣 says nothing (None: 无法判断); a blank 登记失业人员
            # mark is no mark
            blank = False if column == "registered_unemployed" else None
            out[f"_raw_{column}"] = out[column]
            out[column] = map_unique(texts(out[column]), lambda s, b=blank: _flag(s) if s else b)


def _normalise_bases(out: pd.DataFrame, raw: pd.DataFrame) -> None:
    if "base_name" in out:
        out["base_name"] = texts(out["base_name"])
    if "employer_code" in out:  # the payee: checked (schemas, base_list.candidates)
        out["_raw_employer_code"] = raw["employer_code"]
        out["employer_code"] = map_unique(raw["employer_code"], credit_key)
    if "village" in out:
        out["village"] = texts(out["village"])
    if "base_type" in out:
        out["_raw_base_type"] = out["base_type"]
        out["base_type"] = map_unique(texts(out["base_type"]), base_type)
    if "grade" in out:
        out["_raw_grade"] = out["grade"]
        out["grade"] = map_unique(texts(out["grade"]), lambda s: GRADE.get(s.upper(), s))


# An insurance row whose month or amount no export can hold is rejected, not guessed with.
MAX_CONTRIBUTION = 1_000_000  # yuan on one row


def _reject_absurd(out: pd.DataFrame, on: dt.date) -> None:
    """Mark (``_absurd``) and blank periods before 1990 or more than a year after ``on``, and
    amounts that are not finite or beyond MAX_CONTRIBUTION: such rows are rejected."""
    absurd = pd.Series(False, index=out.index)
    if "period" in out:
        period = out["period"]
        latest = (on.year + 1) * 100 + on.month
        bad = (period.notna() & ((period < 199001) | (period > latest))).fillna(False)
        out.loc[bad, "period"] = pd.NA
        absurd |= bad.astype(bool)
    for column in NUMBER_COLUMNS["insurance"]:
        if column in out:
            value = out[column].astype(float)
            bad = value.notna() & (~np.isfinite(value) | (value.abs() > MAX_CONTRIBUTION))
            out.loc[bad, column] = np.nan
            absurd |= bad
    out["_absurd"] = absurd


# ---------------------------------------------------------------- loans

# 贷款类型 → the three kinds of guaranteed loan of the notice (一(二)3)
LOAN_PERSON, LOAN_PARTNERSHIP, LOAN_BUSINESS = "个人", "合伙", "小微企业"
LOAN_TYPE_CHOICES = (LOAN_PERSON, LOAN_PARTNERSHIP, LOAN_BUSINESS)
LOAN_TYPES: dict[str, str] = {
    **{w: LOAN_PERSON for w in ("个人", "个人创业", "个人贷款", "个人创业担保贷款", "个人创业贷款",
                                "自然人")},
    **{w: LOAN_PARTNERSHIP for w in ("合伙", "合伙创业", "合伙贷款", "合伙创业担保贷款",
                                     "合伙创业贷款")},
    **{w: LOAN_BUSINESS for w in ("小微企业", "小微", "企业", "小微企业贷款", "小微企业创业担保贷款",
                                  "小微企业创业贷款")},
}  # fmt: skip
_CREDIT_CODE = re.compile(r"[1-9A-HJ-NP-RTUWY][1-9A-HJ-NP-RTUWY0-9]\d{6}[0-9A-HJ-NP-RTUWXY]{10}")
_RESIDENT_ID = re.compile(r"\d{17}[\dX]")
# A contract rate above this is no guaranteed loan's (and above the legal ceiling of lending).
MAX_LOAN_RATE = Decimal("0.24")
# Principal below this (yuan) is taken for a list kept in 万元: refused, never read as yuan.
MIN_PRINCIPAL = 1000
OVERDUE_NOW = "本月"  # a 是否逾期 flag: overdue in the month the list is for
_MONTH_TOKEN = re.compile(r"(\d{4})\s*(?:年|[-./])?\s*(\d{1,2})\s*月?")
_MONTH_SPLIT = re.compile(r"[、,，;；\s]+")
# what a contract number is typed with but does not consist of: spaces and hyphens/dashes
_LOAN_KEY_DROP = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+")


def loan_key(value: object) -> str:
    """A contract number (借款合同号) in the one form every key of a loan uses — the loans
    list, the ledger's tokens and ``ledger import``: half-width, without spaces or hyphens,
    upper case ('ＤＢ－2023 0001' / 'db-20230001' → 'DB20230001'); '' for a blank cell."""
    if dates.is_blank(value):
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _LOAN_KEY_DROP.sub("", text).upper()


def credit_key(value: object) -> str:
    """A credit code in the one form lists are compared in: half-width, without spaces,
    upper case ('９１５００２３０ma7y07hx8l ' → '91500230MA7Y07HX8L'); '' for a blank cell."""
    if dates.is_blank(value):
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def is_credit_code(text: str) -> bool:
    """An 18-character unified social credit code (not an 18-digit resident ID)."""
    return bool(_CREDIT_CODE.fullmatch(text)) and not _RESIDENT_ID.fullmatch(text)


# GB 32100: the 18th character of a unified social credit code checks the first 17
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters of a credit code."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[-total % 31]


def credit_check_ok(code: str) -> bool:
    """Whether the 18th character of a credit code (of :func:`is_credit_code`'s shape) is the
    check character GB 32100 computes from the first 17: a mistyped character is caught."""
    return is_credit_code(code) and credit_check_char(code[:17]) == code[17]


def _credit_codes_apart(out: pd.DataFrame) -> None:
    """A 小微企业 borrows with its credit code, which lists often type in the ID column: such
    a cell moves to ``employer_code`` (when that is blank) instead of failing as an ID."""
    if "id_number" not in out:
        return
    typed = map_unique(texts(out["id_number"]), lambda v: "".join(v.split()).upper())
    code = typed.map(is_credit_code).astype(bool)
    if not code.any():
        return
    current = (
        texts(out["employer_code"]) if "employer_code" in out else pd.Series("", index=out.index)
    )
    out["employer_code"] = current.where(~(code & current.eq("")), typed)
    out["id_number"] = out["id_number"].where(~code, "")


def loan_rate(value: object) -> Decimal | None:
    """A contract rate as an exact fraction: '4.35%' / 4.35 / 0.0435 → Decimal('0.0435').

    With a % sign the number is percent; without, a number of 1 to 24 is percent and one
    below 0.24 a fraction.  Anything else (0.5: 50 % or 0.5 %? 0, 30, text) is None.
    """
    if isinstance(value, float):
        if not np.isfinite(value):
            return None
        typed = repr(value)  # the shortest text of the double: 0.0435, not 0.04349999…
    else:
        typed = unicodedata.normalize("NFKC", text_value(value)).replace(" ", "")
    if not typed:
        return None
    percent = typed.endswith("%")
    try:
        number = Decimal(typed.rstrip("%"))
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0:
        return None
    if percent or number >= 1:
        number = number / 100
    elif number >= MAX_LOAN_RATE:
        return None
    return number.normalize() if 0 < number <= MAX_LOAN_RATE else None


def overdue_months(value: str) -> str | None:
    """逾期 cell → '|202403|202405|' (months listed), '|本月|' (a yes flag), '' (none / no),
    or None when it is neither."""
    if value.upper() in NO or value in ("无逾期", "未逾期", "正常"):
        return ""
    if value.upper() in YES or value in ("逾期", "已逾期"):
        return f"|{OVERDUE_NOW}|"
    months = []
    for part in _MONTH_SPLIT.split(value):
        if not part:
            continue
        found = _MONTH_TOKEN.fullmatch(part)
        if not found or not 1 <= int(found[2]) <= 12:
            return None
        months.append(int(found[1]) * 100 + int(found[2]))
    return "|" + "|".join(str(m) for m in sorted(set(months))) + "|" if months else None


def _normalise_loans(out: pd.DataFrame) -> None:
    """Loan types as 个人 / 合伙 / 小微企业 (unknown kept), the rate as an exact Decimal
    (None when unreadable), overdue months, whole numbers of partners and hires, and a
    principal in yuan (a figure below MIN_PRINCIPAL is taken for 万元: None)."""
    if "borrower_type" in out:
        out["_raw_borrower_type"] = out["borrower_type"]
        out["borrower_type"] = _lookup(out["borrower_type"], LOAN_TYPES)
    if "rate" in out:
        out["_raw_rate"] = out["rate"]
        out["rate"] = map_unique(out["rate"], loan_rate)
    if "overdue" in out:
        out["_raw_overdue"] = out["overdue"]
        out["overdue"] = map_unique(texts(out["overdue"]), overdue_months)
    for column in ("partners", "new_hires"):
        if column in out:
            value = out[column].astype(float)
            whole = value.notna() & (value >= 0) & (value == np.floor(value)) & (value < 10_000)
            out[column] = value.where(whole)
    if "principal" in out:
        value = out["principal"].astype(float)
        out["principal"] = value.where(value.notna() & (value >= MIN_PRINCIPAL) & (value < 1e9))
    if "loan_no" in out:  # a contract number keys the loan: see loan_key
        out["loan_no"] = map_unique(texts(out["loan_no"]), loan_key)
    if "bank" in out:
        out["bank"] = texts(out["bank"])


def _normalise_roster(out: pd.DataFrame, spellings: Spellings) -> None:
    if "monitor_kind" in out:
        # a separate 监测对象类别 column adds its facts to the 人员类别 ones
        monitor = texts(out["monitor_kind"]).where(lambda s: ~s.isin(NOT_MONITORED), "")
        if "category" not in out:
            out["category"] = monitor
        else:
            both = texts(out["category"])
            out["category"] = both.where(
                monitor.eq(""), both.where(both.eq(""), both + "、") + monitor
            )
    if "category" in out:
        clean = texts(out["category"])
        out["_raw_category"] = out["category"]
        extra = spellings.get("category")
        label, detail, joined = _category_columns(clean, extra)
        out["category"] = label
        out["category_detail"] = detail
        out["category_facts"] = joined
    if "labor_capacity" in out:
        out["_raw_labor_capacity"] = out["labor_capacity"]
        out["labor_capacity"] = _lookup(
            out["labor_capacity"], LABOR, spellings.get("labor_capacity")
        )
    if "work_status" in out:
        out["_raw_work_status"] = out["work_status"]
        out["work_status"] = _lookup(out["work_status"], WORK_STATUS, spellings.get("work_status"))
    if "phone" in out:
        out["_raw_phone"] = out["phone"]
        out["phone"] = texts(out["phone"]).str.replace(r"[-－—()（）]", "", regex=True)
    for column in ("village", "work_place", "relation", "hukou"):
        if column in out:
            out[column] = texts(out[column])


def _category_columns(
    clean: pd.Series, extra: dict[str, str] | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """人员类别 as its label (the text as typed when not understood), its monitoring kind
    and its facts ('|a|b|'), from the clean text: worked out once per distinct text, as a
    roster of 100,000 persons holds a few dozen (every value of ``clean`` is a str)."""
    codes, uniques = pd.factorize(clean.to_numpy(dtype=object), use_na_sentinel=False)
    facts = [category_facts(s, extra) if s else () for s in uniques]
    known = np.array([f is not None and s != "" for f, s in zip(facts, uniques, strict=True)])
    label = np.empty(len(uniques), dtype=object)
    label[:] = [
        category_label(f or ()) if k else s for f, k, s in zip(facts, known, uniques, strict=True)
    ]
    detail = np.empty(len(uniques), dtype=object)
    detail[:] = [next((k for k in f or () if k in MONITOR_KINDS), "") for f in facts]
    joined = np.empty(len(uniques), dtype=object)
    joined[:] = ["|" + "|".join(f) + "|" if f else "" for f in facts]
    return (
        pd.Series(label[codes], index=clean.index, dtype=object),
        pd.Series(detail[codes], index=clean.index, dtype=object),
        pd.Series(joined[codes], index=clean.index, dtype=object),
    )


def _normalise_students(out: pd.DataFrame, spellings: Spellings) -> None:
    """Levels and statuses as codes (unknown text kept, checked later), the school year as
    its starting year (``school_year``, Int64; ``semester`` when the cell names one), the
    graduation year as a year, the guardian's ID normalised."""
    for column, table in (("level", LEVELS), ("student_status", STUDENT_STATUS)):
        if column in out:
            out[f"_raw_{column}"] = out[column]
            clean = texts(out[column]).str.replace("(", "（").str.replace(")", "）")
            out[column] = _lookup(clean, table, spellings.get(column))
    if "school_year" in out:
        out["_raw_school_year"] = out["school_year"]
        parsed = schoolyear.parse_series(out["school_year"])
        out["school_year"] = parsed["school_year"]
        out["semester"] = parsed["semester"]
    if "graduation_year" in out:
        out["_raw_graduation_year"] = out["graduation_year"]
        years = map_unique(out["graduation_year"], schoolyear.graduation_year)
        out["graduation_year"] = pd.array(list(years), dtype="Int64")
    if "guardian_id" in out:
        out["guardian_id"] = map_unique(
            texts(out["guardian_id"]), lambda s: idcard.normalise(s) if s else ""
        )
    for column in ("school", "guardian_name"):
        if column in out:
            out[column] = texts(out[column])


def _normalise_training(out: pd.DataFrame, spellings: Spellings) -> None:
    """培训类型 and 考核结果 as their known values; course, certificate and enterprise as text."""
    for column, read in (("training_type", training_type), ("result", training_result)):
        if column in out:
            out[f"_raw_{column}"] = out[column]
            extra = spellings.get(column) or {}
            out[column] = map_unique(texts(out[column]), lambda s, e=extra, r=read: r(e.get(s, s)))
    for column in ("course", "certificate_no"):
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
    context = map_unique(out["_file"], lambda f: re.split(r"[/\\]", f)[-1]) + " " + out["_title"]
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
