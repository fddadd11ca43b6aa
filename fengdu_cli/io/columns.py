"""Header aliases: the names townships and systems use → canonical column names, per kind.

Internal names are English snake_case; what a clerk sees is the first alias (the
canonical Chinese header).  Matching ignores spaces, line breaks, full-width
brackets and a trailing "(必填)"-style note, so "身份证号码\n（必填）" still matches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "roster", "employment", "insurance", "workshops", "posts",
    "businesses", "loans", "students", "travel", "agencies",
)  # fmt: skip

# Folder name under --data for each kind (DESIGN §2).
FOLDERS: dict[str, str] = {
    "roster": "rosters",
    "employment": "employment",
    "insurance": "insurance",
    "workshops": "workshops",
    "posts": "posts",
    "businesses": "businesses",
    "loans": "loans",
    "students": "students",
    "travel": "travel",
    "agencies": "agencies",
}

ID_ALIASES = (
    "身份证号码",
    "身份证号",
    "公民身份号码",
    "公民身份证号码",
    "证件号码",
    "身份证",
    "身份证件号码",
)
NAME_ALIASES = ("姓名", "户主或成员姓名", "成员姓名", "人员姓名", "职工姓名", "参保人姓名")
TOWNSHIP_ALIASES = ("乡镇", "乡镇（街道）", "所在乡镇", "镇街", "乡镇街道", "乡镇名称", "所属乡镇")
CREDIT_ALIASES = ("统一社会信用代码", "单位统一社会信用代码", "信用代码", "单位编码", "单位代码")

# canonical column → aliases; the first alias is the Chinese header we write.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {
        "township": TOWNSHIP_ALIASES,
        "village": ("村（社区）", "村", "村社区", "所在村", "村（居）", "行政村", "村名"),
        "household_id": ("户编号", "户号", "户主编号", "家庭编号"),
        "name": NAME_ALIASES,
        "id_number": ID_ALIASES,
        "relation": ("与户主关系", "家庭关系"),
        "category": ("人员类别", "户类型", "对象类别", "人员属性", "脱贫属性"),
        "labor_capacity": ("劳动技能", "劳动能力", "劳动力类型", "劳动力状况"),
        "work_status": ("务工状态", "就业状态", "务工情况", "是否务工"),
        "work_place": ("务工地点", "务工所在地", "就业地点", "务工地址"),
        "employer_name": ("务工单位", "就业单位", "工作单位"),
        "phone": ("联系电话", "电话", "手机号码", "手机号", "联系方式"),
        "bank_account": ("银行账号", "银行卡号", "社保卡号", "账号", "一卡通账号"),
        "registered_date": ("登记日期", "登记时间", "采集日期", "外出务工时间", "务工开始时间"),
    },
    "employment": {
        "id_number": ID_ALIASES,
        "name": NAME_ALIASES,
        "employer_name": ("用人单位名称", "单位名称", "用人单位", "就业单位"),
        "employer_code": CREDIT_ALIASES,
        "start_date": (
            "就业开始日期",
            "开始日期",
            "就业日期",
            "入职日期",
            "合同开始日期",
            "登记日期",
        ),
        "end_date": ("就业结束日期", "结束日期", "离职日期", "终止日期", "合同终止日期"),
        "employment_type": ("就业形式", "用工形式", "全日制标识", "用工类型"),
        "work_region": ("就业地区", "就业地", "工作地点", "就业区域", "务工地点"),
    },
    "insurance": {
        "id_number": ID_ALIASES,
        "name": NAME_ALIASES,
        "employer_code": CREDIT_ALIASES,
        "employer_name": ("单位名称", "参保单位", "缴费单位"),
        "period": ("费款所属期", "缴费年月", "所属期", "缴费期", "对应费款所属期"),
        "insurance_type": ("险种", "险种类型", "险种名称"),
        "base": ("缴费基数",),
        "employer_amount": ("单位缴费", "单位缴费金额", "单位应缴"),
        "personal_amount": ("个人缴费", "个人缴费金额", "个人应缴"),
    },
    "workshops": {
        "workshop_name": ("车间名称", "就业帮扶车间名称", "帮扶车间名称", "名称"),
        "employer_code": CREDIT_ALIASES,
        "township": TOWNSHIP_ALIASES,
        "recognised_date": ("认定日期", "认定时间", "挂牌时间"),
        "valid_until": ("有效期至", "认定有效期至", "到期日期"),
    },
    "businesses": {
        "id_number": ("经营者身份证号码", "负责人身份证号码", "法定代表人身份证号码", *ID_ALIASES),
        "name": ("经营者姓名", "负责人姓名", "法定代表人", *NAME_ALIASES),
        "business_name": ("市场主体名称", "企业名称", "个体工商户名称", "字号名称"),
        "business_code": ("统一社会信用代码", "信用代码", "注册号"),
        "registration_date": ("成立日期", "注册日期", "登记日期", "工商登记日期"),
        "township": TOWNSHIP_ALIASES,
    },
    "posts": {
        "id_number": ID_ALIASES,
        "name": NAME_ALIASES,
        "township": TOWNSHIP_ALIASES,
        "post_name": ("岗位名称", "公益性岗位名称"),
        "start_date": ("上岗日期", "开始日期", "聘用开始日期"),
        "end_date": ("离岗日期", "结束日期", "聘用结束日期"),
    },
    "loans": {
        "id_number": ID_ALIASES,
        "name": NAME_ALIASES,
        "amount": ("贷款金额", "贷款额度"),
        "start_date": ("放款日期", "贷款发放日期", "开始日期"),
        "end_date": ("到期日期", "贷款到期日", "结束日期"),
    },
    "students": {
        "id_number": ID_ALIASES,
        "name": NAME_ALIASES,
        "school": ("学校名称", "就读学校", "学校"),
        "school_type": ("学校类型", "学历层次", "学段"),
        "township": TOWNSHIP_ALIASES,
    },
    "travel": {
        "id_number": ID_ALIASES,
        "name": NAME_ALIASES,
        "travel_date": ("出行日期", "乘车日期", "外出日期"),
        "destination": ("务工地点", "目的地"),
    },
    "agencies": {
        "agency_name": ("机构名称", "人力资源服务机构名称", "劳务经纪人姓名"),
        "employer_code": CREDIT_ALIASES,
        "id_number": ("劳务经纪人身份证号码", *ID_ALIASES),
    },
}

# Columns a row of each kind must have (missing_required otherwise); a file whose
# header lacks one of them cannot be read.
REQUIRED: dict[str, tuple[str, ...]] = {
    "roster": ("name", "id_number"),
    "employment": ("id_number", "employer_code", "start_date"),
    "insurance": ("id_number", "employer_code", "period"),
    "workshops": ("workshop_name", "employer_code"),
    "businesses": ("id_number", "business_code", "registration_date"),
    "posts": ("id_number", "name"),
    "loans": ("id_number", "name"),
    "students": ("id_number", "name"),
    "travel": ("id_number", "name"),
    "agencies": ("agency_name",),
}

# Columns that hold dates, per kind (parsed; bad_date when a value cannot be parsed).
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": ("registered_date",),
    "employment": ("start_date", "end_date"),
    "workshops": ("recognised_date", "valid_until"),
    "businesses": ("registration_date",),
    "posts": ("start_date", "end_date"),
    "loans": ("start_date", "end_date"),
    "travel": ("travel_date",),
}

# Columns that hold amounts (bad_number when not a number).
NUMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "insurance": ("base", "employer_amount", "personal_amount"),
    "loans": ("amount",),
}

# Columns whose values are personal identifiers: masked on screen, in logs and in JSON.
SENSITIVE_COLUMNS: frozenset[str] = frozenset({"id_number", "phone", "bank_account"})


@dataclass(frozen=True)
class ColumnMatch:
    """How one header text resolved: the canonical column, or None for an extra column."""

    header: str
    column: str | None


_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def clean_header(text: object) -> str:
    """Header text as compared: NFKC, no whitespace, no '*' marks, no trailing '(必填)' note."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"[\s*★※:：]+", "", s)
    return s


def _lookup_table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for column, aliases in ALIASES[kind].items():
        for alias in aliases:
            table.setdefault(clean_header(alias), column)
    return table


_TABLES: dict[str, dict[str, str]] = {kind: _lookup_table(kind) for kind in ALIASES}


def resolve_header(kind: str, text: object) -> str | None:
    """The canonical column that header ``text`` names for ``kind``, or None."""
    table = _TABLES[kind]
    key = clean_header(text)
    if not key:
        return None
    if key in table:
        return table[key]
    stripped = _NOTE.sub("", key)
    return table.get(stripped)


def display_name(kind: str, column: str) -> str:
    """The Chinese header written for a canonical column (its first alias)."""
    aliases = ALIASES.get(kind, {}).get(column)
    return aliases[0] if aliases else column


def required_columns(kind: str) -> tuple[str, ...]:
    """The columns a file of ``kind`` must have."""
    return REQUIRED.get(kind, ())
