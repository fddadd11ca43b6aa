"""What each column of each kind means, and the words and values that reveal it.

Internal names are English snake_case; what a clerk sees is the column's first alias
(the canonical Chinese header).  A header is recognised, in this order (see
:mod:`fengdu_cli.io.recognise`):

1. the clerk's ``columns.toml`` (:mod:`fengdu_cli.io.columns_toml`);
2. an **alias**: the header equals one of the known wordings once spaces, line breaks,
   full-width forms, ``*`` marks and a trailing note such as ``（必填）`` are removed;
3. **keywords**: the header holds one word of each of the column's keyword groups and
   none of its excluding words (a start date has 日期/时间 and 开始/入职/登记…, but not
   终止/结束/离职…);
4. **the values**: a column whose cells mostly have the column's shape (resident IDs,
   credit codes, 脱贫户/监测对象…, 普通劳动力/弱劳动力…, months such as 202406) is that
   column even under a header that says nothing (``列1``, ``类型``, blank).

Each column also has a role: ``required`` (a file without it cannot be read),
``needed`` (some warning or rule needs it: see :mod:`fengdu_cli.needs`) or optional.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "roster", "employment", "insurance", "workshops", "posts",
    "businesses", "loans", "students", "travel", "agencies", "bases", "training", "accounts",
    "payments",
)  # fmt: skip

# The kinds of a month folder (all but past payment lists), and those beyond the three every
# month needs: each only enables the subsidies that read it.
MONTH_KINDS: tuple[str, ...] = tuple(kind for kind in KINDS if kind != "payments")
EXTRA_KINDS: tuple[str, ...] = MONTH_KINDS[3:]

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
    "bases": "bases",
    "training": "training",
    "accounts": "accounts",  # 单位收款账户: organisations' bank accounts (optional)
    "payments": "history",  # past payment lists, read by `fengdu ledger import`
}


@dataclass(frozen=True)
class Spec:
    """One canonical column of one kind: how its header and its values look.

    ``groups``: keyword groups; a header matches when it holds a word of every group.
    ``excludes``: words that rule the column out (a 户主身份证号码 is not the person's ID).
    ``shape``: the name of a value shape in :mod:`fengdu_cli.io.shapes`.
    ``by_values``: the shape is distinctive enough to recognise the column from its
    values alone, under a header that says nothing.
    """

    column: str
    aliases: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...] = ()
    excludes: tuple[str, ...] = ()
    shape: str | None = None
    by_values: bool = False

    @property
    def display(self) -> str:
        """The Chinese header written for this column."""
        return self.aliases[0]


# ---------------------------------------------------------------- shared specs

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

_ID_WORDS = ("身份证", "证件号", "身份号", "公民身份", "证号")
_NOT_OWN_ID = (
    "户主", "类型", "类别", "有效期", "签发", "监护人", "家长", "父亲", "母亲", "配偶",
    "联系人", "经办", "代理", "担保",
)  # fmt: skip
_DATE_WORDS = ("日期", "时间", "年月", "日")
_END_WORDS = ("结束", "终止", "离职", "解除", "到期", "截止", "退出", "离岗", "止")
_START_WORDS = ("开始", "起始", "入职", "登记", "聘用", "参加工作", "就业", "上岗", "录用", "起")
_ORG_WORDS = ("单位", "企业", "公司", "雇主", "用人")
_NOT_NAME = (
    "户主", "单位", "企业", "机构", "联系人", "监护人", "家长", "经办", "填表", "法定代表人",
    "负责人", "经营者", "开户", "账户", "持卡", "收款", "学校", "车间", "公司", "父", "母",
)  # fmt: skip


def _id(*aliases: str, excludes: tuple[str, ...] = _NOT_OWN_ID) -> Spec:
    return Spec(
        "id_number", (*aliases, *ID_ALIASES), (_ID_WORDS,), excludes, "id_number", by_values=True
    )


def _name(
    *aliases: str, words: tuple[str, ...] = ("姓名", "名字"), excludes: tuple[str, ...] = _NOT_NAME
) -> Spec:
    return Spec("name", (*aliases, *NAME_ALIASES), (words,), excludes, "name")


_NOT_OWNER_NAME = (
    "户主", "单位", "企业", "机构", "联系人", "监护人", "经办", "填表", "开户", "账户",
    "身份证", "证件", "名称", "电话",
)  # fmt: skip


TOWNSHIP = Spec(
    "township",
    TOWNSHIP_ALIASES,
    (("乡镇", "镇街", "街道", "乡（镇", "镇（乡", "乡镇街"),),
    ("代码", "编码", "编号", "村", "社区"),
    "township",
    by_values=True,
)
EMPLOYER_CODE = Spec(
    "employer_code",
    CREDIT_ALIASES,
    (("信用代码", "社会信用", "单位编码", "单位代码", "单位编号", "纳税人识别号", "机构代码"),),
    (),
    "credit_code",
    by_values=True,
)


# A payee's bank account (代发): the account number, its bank (开户行) and holder (户名).
# Kept apart from one another and from a loan's lending bank (loans/ ``bank``).
# (开户行账号, 账号（开户行）: the account, its bank named as a note — BANK excludes 账号)
_ACCOUNT_NOT = ("户名", "姓名", "类型", "名称", "银行名称", "网点", "持卡人")
BANK = Spec(
    "bank",
    (
        "开户行",
        "开户银行",
        "银行名称",
        "开户网点",
        "开户银行名称",
        "开户行名称",
        "开户机构",
        "收款银行",
    ),
    (("开户行", "开户银行", "银行名称", "开户网点", "开户机构", "收款银行", "开户行名称"),),
    ("账号", "卡号", "账户", "户名", "贷款", "放款", "承贷", "经办", "代码", "行号"),
)
ACCOUNT_NAME = Spec(
    "account_name",
    (
        "户名",
        "账户名称",
        "账户名",
        "持卡人",
        "持卡人姓名",
        "开户人",
        "开户名",
        "开户名称",
        "收款户名",
        "收款人户名",
        "收款人",
        "收款人姓名",
    ),
    (("户名", "持卡人", "开户人", "账户名", "开户名", "收款人"),),
    ("户主", "账号", "卡号", "银行", "行", "号码", "身份证"),
)


def _account(*aliases: str, org: bool = False) -> Spec:
    """The account number: a person's 银行账号 (roster), an organisation's 收款账号/对公账户.

    Never recognised from its values alone: a column of long numbers under no header (or
    备注) may as well be 户编号 or 社保卡号, and money would go to it."""
    return Spec(
        "bank_account",
        aliases,
        (("账号", "卡号", "账户") if not org else ("账号", "卡号", "账户", "对公账户"),),
        _ACCOUNT_NOT + (("单位",) if not org else ()),
        "bank_account",
    )


ORG_ACCOUNT = (
    _account(
        "收款账号", "银行账号", "对公账户", "对公账号", "账号", "银行账户", "收款账户", org=True
    ),
    BANK,
    ACCOUNT_NAME,
)


def _date(column: str, aliases: tuple[str, ...], words: tuple[str, ...], excludes=()) -> Spec:
    return Spec(column, aliases, (_DATE_WORDS, words), ("出生", "起止", *excludes), "date")


# ---------------------------------------------------------------- per kind

SPECS: dict[str, tuple[Spec, ...]] = {
    "roster": (
        TOWNSHIP,
        Spec(
            "village",
            ("村（社区）", "村", "村社区", "所在村", "村（居）", "行政村", "村名"),
            (("村", "社区", "居委"),),
            ("代码", "编码", "编号", "干部", "驻村", "书记", "小组", "组长"),
            "village",
            by_values=True,
        ),
        Spec(
            "household_id",
            ("户编号", "户号", "户主编号", "家庭编号"),
            (("户编号", "户号", "户编码", "家庭编号", "户主编号", "农户编号", "户代码", "户码"),),
        ),
        _name(),
        _id(),
        Spec(
            "head_id_number",
            ("户主身份证号码", "户主身份证号", "户主证件号码"),
            (("户主",), _ID_WORDS),
            (),
            "id_number",
        ),
        Spec(
            "relation",
            ("与户主关系", "家庭关系"),
            (("关系",),),
            ("劳动", "社会", "隶属"),
            "relation",
            by_values=True,
        ),
        Spec(
            "category",
            ("人员类别", "户类型", "对象类别", "人员属性", "脱贫属性"),
            (("类别", "类型", "属性", "身份", "户别", "对象", "户类"),),
            (
                "险种",
                "用工",
                "就业",
                "劳动",
                "劳力",
                "证件",
                "单位",
                "企业",
                "学校",
                "岗位",
                "贷款",
                "务工",
                "关系",
                "车间",
                "账户",
                "银行",
                "残疾",
                "户籍",
                "学历",
                "民族",
                "政治",
                "文化",
                "健康",
                "日期",
                "时间",
                "年度",
                "年份",
                "编号",
                "代码",
                "是否",
                "姓名",
                "电话",
                "证",
                "号",
                "监测",  # 监测对象类别 is the monitoring kind (its facts join the category's)
            ),
            "category",
            by_values=True,
        ),
        Spec(
            "monitor_kind",
            ("监测对象类别", "监测类型", "监测对象类型", "监测户类型", "监测类别", "监测对象属性"),
            (("监测",), ("类别", "类型", "属性", "情况")),
            ("时间", "日期", "年度", "是否"),
            "category",
        ),
        Spec(
            "labor_capacity",
            ("劳动技能", "劳动能力", "劳动力类型", "劳动力状况"),
            (("劳动", "劳力"), ("能力", "技能", "状况", "类型", "情况", "类别", "力")),
            (
                "合同",
                "关系",
                "报酬",
                "保障",
                "就业",
                "是否",
                "时间",
                "日期",
                "监察",
                "争议",
                "姓名",
            ),
            "labor_capacity",
            by_values=True,
        ),
        Spec(
            "work_status",
            ("务工状态", "就业状态", "务工情况", "是否务工"),
            (("务工", "就业"), ("状态", "情况", "状况", "是否")),
            (
                "地点",
                "地址",
                "地区",
                "所在",
                "单位",
                "时间",
                "日期",
                "形式",
                "类型",
                "收入",
                "登记",
            ),
            "work_status",
            by_values=True,
        ),
        Spec(
            "work_place",
            ("务工地点", "务工所在地", "就业地点", "务工地址"),
            (
                ("务工", "就业", "工作"),
                ("地点", "地址", "地区", "所在地", "区域", "省份", "去向", "地"),
            ),
            ("单位", "企业", "公司", "时间", "日期"),
            "region",
            by_values=True,
        ),
        Spec(
            "employer_name",
            ("务工单位", "就业单位", "工作单位"),
            (("务工", "就业", "工作"), ("单位", "企业", "公司")),
            ("地址", "地点", "代码", "编码", "电话", "性质", "类型"),
            "organisation",
        ),
        Spec(
            "phone",
            ("联系电话", "电话", "手机号码", "手机号", "联系方式"),
            (("电话", "手机", "联系方式"),),
            ("单位", "村", "紧急", "备用", "家属", "其他"),
            "phone",
            by_values=True,
        ),
        _account("银行账号", "银行卡号", "社保卡号", "账号", "一卡通账号"),
        BANK,
        ACCOUNT_NAME,
        Spec(
            "hukou",
            ("户籍地", "户籍所在地", "户口所在地", "户籍地址", "户籍"),
            (("户籍", "户口"),),
            ("类型", "性质", "号", "编号", "类别"),
            "region",
        ),
        _date(
            "registered_date",
            ("登记日期", "登记时间", "采集日期", "外出务工时间", "务工开始时间"),
            ("登记", "采集", "外出", "务工开始", "录入"),
        ),
    ),
    "employment": (
        _id(),
        _name(),
        Spec(
            "employer_name",
            ("用人单位名称", "单位名称", "用人单位", "就业单位"),
            (_ORG_WORDS,),
            (
                "代码",
                "编码",
                "编号",
                "信用",
                "地址",
                "地点",
                "性质",
                "类型",
                "电话",
                "联系人",
                "所在地",
                "地区",
            ),
            "organisation",
            by_values=True,
        ),
        EMPLOYER_CODE,
        _date(
            "start_date",
            ("就业开始日期", "开始日期", "就业日期", "入职日期", "合同开始日期", "登记日期"),
            _START_WORDS,
            _END_WORDS,
        ),
        _date(
            "end_date",
            ("就业结束日期", "结束日期", "离职日期", "终止日期", "合同终止日期"),
            _END_WORDS,
            ("开始", "起始", "入职"),
        ),
        Spec(
            "employment_type",
            ("就业形式", "用工形式", "全日制标识", "用工类型"),
            (
                ("就业", "用工", "全日制", "劳动", "工作", "聘用"),
                ("形式", "类型", "性质", "全日制", "方式", "标识"),
            ),
            ("地区", "地点", "单位", "日期", "时间", "状态"),
            "employment_type",
            by_values=True,
        ),
        Spec(
            "work_region",
            ("就业地区", "就业地", "工作地点", "就业区域", "务工地点"),
            (
                ("就业", "工作", "务工"),
                ("地区", "地点", "区域", "所在地", "地域", "省份", "地址", "地"),
            ),
            ("单位", "企业", "时间", "日期"),
            "region",
            by_values=True,
        ),
    ),
    "insurance": (
        _id(),
        _name(),
        EMPLOYER_CODE,
        Spec(
            "employer_name",
            ("单位名称", "参保单位", "缴费单位"),
            (_ORG_WORDS,),
            (
                "代码",
                "编码",
                "编号",
                "信用",
                "缴费",
                "缴纳",
                "应缴",
                "金额",
                "基数",
                "部分",
                "比例",
            ),
            "organisation",
            by_values=True,
        ),
        Spec(
            "period",
            ("费款所属期", "缴费年月", "所属期", "缴费期", "对应费款所属期"),
            (("所属期", "年月", "月份", "缴费期", "费款", "所属年", "结算期", "期间"),),
            ("出生", "开始", "终止", "参保日期", "到账"),
            "period",
            by_values=True,
        ),
        Spec(
            "insurance_type",
            ("险种", "险种类型", "险种名称"),
            (("险种", "保险类型", "保险种类", "险别"),),
            (),
            "insurance_type",
            by_values=True,
        ),
        Spec(
            "insured_region",
            ("参保地", "参保地区", "参保所在地", "参保统筹区", "统筹区"),
            (("参保地", "统筹区", "参保区县"),),
            ("单位名称", "编码", "代码"),
            "region",
        ),
        Spec("base", ("缴费基数",), (("基数", "缴费工资"),), (), "amount"),
        Spec(
            "employer_amount",
            ("单位缴费", "单位缴费金额", "单位应缴"),
            (("单位",), ("缴费", "缴纳", "应缴", "金额", "部分", "缴额")),
            ("名称", "编码", "代码", "编号", "基数", "比例", "费率", "地址"),
            "amount",
        ),
        Spec(
            "personal_amount",
            ("个人缴费", "个人缴费金额", "个人应缴"),
            (("个人",), ("缴费", "缴纳", "应缴", "金额", "部分", "缴额")),
            ("比例", "费率", "账户", "编号", "基数"),
            "amount",
        ),
    ),
    "workshops": (
        Spec(
            "workshop_name",
            ("车间名称", "就业帮扶车间名称", "帮扶车间名称", "名称"),
            (("车间", "工坊"), ("名称", "名字")),
            ("代码", "编码"),
            "organisation",
        ),
        EMPLOYER_CODE,
        TOWNSHIP,
        _date(
            "recognised_date",
            ("认定日期", "认定时间", "挂牌时间"),
            ("认定", "挂牌", "命名", "授牌"),
        ),
        Spec(
            "valid_until",
            ("有效期至", "认定有效期至", "到期日期"),
            (("有效期", "到期", "截止", "有效至"),),
            ("起", "开始"),
            "date",
        ),
    ),
    "businesses": (
        _id(
            "经营者身份证号码",
            "负责人身份证号码",
            "法定代表人身份证号码",
            excludes=("户主", "类型"),
        ),
        _name(
            "经营者姓名",
            "负责人姓名",
            "法定代表人",
            words=("姓名", "经营者", "负责人", "法定代表人", "法人代表", "业主"),
            excludes=_NOT_OWNER_NAME,
        ),
        Spec(
            "business_name",
            ("市场主体名称", "企业名称", "个体工商户名称", "字号名称"),
            (("名称", "字号"),),
            ("姓名", "代码", "编码", "行业"),
            "organisation",
            by_values=True,
        ),
        Spec(
            "business_code",
            ("统一社会信用代码", "信用代码", "注册号"),
            (("信用代码", "社会信用", "注册号", "营业执照号"),),
            (),
            "credit_code",
            by_values=True,
        ),
        Spec(
            "rural_entrepreneur",
            ("农村自主创业农民", "是否农村自主创业农民", "自主创业农民"),
            (("自主创业农民", "返乡创业农民", "农民自主创业"),),
        ),
        _date(
            "registration_date",
            ("成立日期", "注册日期", "登记日期", "工商登记日期"),
            ("成立", "注册", "登记", "开业", "核准", "设立", "营业执照"),
            ("注销", "吊销", "到期"),
        ),
        TOWNSHIP,
    ),
    "posts": (
        _id(),
        _name(),
        TOWNSHIP,
        Spec(
            "post_name",
            ("岗位名称", "公益性岗位名称", "岗位", "公益岗位名称", "所在岗位", "岗位类别"),
            (("岗位",), ("名称", "类别", "类型", "名")),
            ("补贴", "标准", "金额", "日期", "时间", "单位", "职责"),
        ),
        # 用工单位 / 管理单位 (谁用人、谁负责): the holder's own employer on a post, when given
        Spec(
            "employer_name",
            ("用工单位", "管理单位", "用人单位", "用工单位名称", "岗位管理单位", "聘用单位"),
            (("用工", "管理", "用人", "聘用", "设岗"), ("单位",)),
            ("代码", "编码", "编号", "信用", "电话", "地址", "联系人"),
            "organisation",
        ),
        Spec(
            "employer_code",
            (
                "用工单位统一社会信用代码",
                "统一社会信用代码",
                "信用代码",
                "单位统一社会信用代码",
                "用工单位信用代码",
            ),
            (("信用代码", "社会信用", "单位编码", "单位代码"),),
            (),
            "credit_code",
            by_values=True,
        ),
        # 劳动合同或劳务协议起止 (期限不得超过1年)
        _date(
            "contract_start",
            (
                "合同开始日期",
                "合同起始日期",
                "劳动合同开始日期",
                "协议开始日期",
                "劳务协议开始日期",
                "聘用开始日期",
                "合同开始时间",
                "聘期开始日期",
            ),
            ("合同", "协议", "聘用", "聘期"),
            (*_END_WORDS, "上岗", "离岗"),
        ),
        Spec(  # an end word too: 合同签订日期 is the start
            "contract_end",
            (
                "合同结束日期",
                "合同终止日期",
                "合同到期日期",
                "劳动合同终止日期",
                "协议结束日期",
                "劳务协议终止日期",
                "聘用结束日期",
                "合同结束时间",
                "聘期结束日期",
            ),
            (_DATE_WORDS, ("合同", "协议", "聘用", "聘期"), _END_WORDS),
            ("出生", "起止", "开始", "起始", "上岗", "离岗"),
            "date",
        ),
        Spec(
            "accident_insurance",
            (
                "是否购买人身意外伤害保险",
                "人身意外伤害保险",
                "意外伤害保险",
                "是否购买意外险",
                "意外险",
                "购买意外险",
                "是否参加意外伤害保险",
            ),
            (("意外",),),
            ("日期", "时间", "金额", "保费", "单号", "公司", "期限"),
        ),
        Spec(
            "subsidy_amount",
            (
                "岗位补贴标准",
                "岗位补贴（元/月）",
                "月补贴标准",
                "补贴标准",
                "岗位补贴",
                "月补贴金额",
                "补贴标准（元/月）",
                "每月补贴",
            ),
            (("补贴", "补助", "报酬", "工资"), ("标准", "金额", "元", "月")),
            ("社保", "保险", "合计", "大写", "日期", "累计", "账号"),
            "amount",
        ),
    ),
    "loans": (
        _id("借款人身份证号码", "借款人身份证号", "身份证号码/统一社会信用代码"),
        _name(
            "借款人姓名",
            "借款人",
            "借款人名称",
            "借款人姓名/企业名称",
            "借款主体",
            words=("姓名", "借款人", "借款主体"),
            excludes=(*_NOT_NAME, "身份证", "证件", "代码", "类型", "类别", "电话"),
        ),
        # a 小微企业 borrows with its credit code (it may also stand in the ID column)
        Spec(
            "employer_code",
            ("统一社会信用代码", "借款企业统一社会信用代码", "企业信用代码", "信用代码"),
            (("信用代码", "社会信用"),),
            (),
            "credit_code",
            by_values=True,
        ),
        Spec(
            "borrower_type",
            ("贷款类型", "借款人类型", "贷款对象类型", "借款主体类型", "贷款类别", "贷款种类"),
            (("贷款", "借款", "主体"), ("类型", "类别", "种类", "对象")),
            ("利率", "日期", "金额", "银行", "期限", "合同", "编号"),
        ),
        Spec(
            "partners",
            ("合伙人数", "合伙人数量", "合伙人个数", "合伙创业人数"),
            (("合伙",), ("人数", "数量", "个数")),
        ),
        Spec(
            "new_hires",
            ("当年新招用符合条件人员数", "新招用符合条件人员数", "当年新招用人数", "新招用人数"),
            (("新招", "招用"), ("人数", "人员数", "数量")),
        ),
        Spec(
            "principal",
            ("贷款金额", "贷款本金", "借款金额", "放款金额", "贷款额度", "贷款金额（元）"),
            (("贷款", "借款", "放款"), ("金额", "额度", "本金")),
            ("利率", "利息", "贴息", "日期", "期限", "万元"),
        ),
        Spec(
            "rate",
            ("合同利率", "贷款利率", "年利率", "执行利率", "借款利率", "合同年利率"),
            (("利率",),),
            ("贴息", "LPR", "基准", "浮动", "报价"),
        ),
        _date(
            "start_date",
            ("放款日期", "放款日", "贷款发放日期", "贷款起始日期", "借款起始日", "开始日期"),
            ("放款", "发放", "开始", "起"),
            ("到期", "结束", "截止"),
        ),
        _date(
            "end_date",
            ("到期日期", "到期日", "贷款到期日", "贷款到期日期", "借款到期日", "结束日期"),
            ("到期", "结束", "止"),
            ("放款", "发放", "开始", "起始"),
        ),
        # 逾期月份 (2024-03、2024-05) or 是否逾期 (是 / 否: overdue in the list's month)
        Spec(
            "overdue",
            ("逾期月份", "是否逾期", "逾期情况", "逾期记录", "逾期"),
            (("逾期",),),
            ("利息", "罚息", "金额", "天数", "本金"),
        ),
        Spec(
            "bank",
            ("贷款银行", "经办银行", "放款银行", "承贷银行", "贷款机构", "经办金融机构"),
            (("银行", "金融机构", "贷款机构"),),
            ("账号", "卡号", "账户", "开户", "户名"),
            "organisation",
        ),
        Spec(
            "loan_no",
            ("借款合同号", "借款合同编号", "贷款合同号", "贷款合同编号", "合同编号", "合同号"),
            (("合同", "借据", "贷款编号"), ("号", "编号", "编码")),
            ("日期", "金额", "利率", "期限"),
        ),
        TOWNSHIP,
    ),
    "students": (
        _id(),
        _name(),
        Spec(
            "school",
            ("学校名称", "就读学校", "学校", "就读院校", "毕业学校", "毕业院校"),
            (("学校", "院校"),),
            ("类型", "层次", "代码", "编码", "地址", "地点", "电话"),
        ),
        # 中职 / 高职 (雨露计划), normalised: the spellings clerks use are in normalise.LEVELS
        Spec(
            "level",
            ("就读层次", "学历层次", "学段", "层次", "教育层次", "学校类型", "学生类型", "学历"),
            (("层次", "学段", "学历", "学校类型", "学生类型", "就读类型", "教育类型"),),
            ("家长", "监护人", "户主", "父", "母"),
            "school_level",
            by_values=True,
        ),
        # the school year the student is listed for: 2024-2025 / 2024年秋季学期 / a date
        Spec(
            "school_year",
            ("学年", "就读学年", "资助学年", "所属学年", "申报学年", "学年度", "学期", "资助学期"),
            (("学年", "学期"),),
            ("入学", "毕业", "学制"),
        ),
        _date("enrolled_date", ("入学时间", "入学日期", "入学年月"), ("入学",), ("毕业",)),
        Spec(
            "household_id",
            ("户编号", "户号", "家庭编号", "户主编号"),
            (("户编号", "户号", "户编码", "家庭编号", "户主编号", "农户编号", "户代码", "户码"),),
        ),
        # the guardian (监护人/家长; a 户主 column says the same): finds the household on the roster
        Spec(
            "guardian_id",
            (
                "监护人身份证号码",
                "家长身份证号码",
                "监护人身份证号",
                "家长身份证号",
                "户主身份证号码",
                "户主身份证号",
                "父（母）身份证号码",
            ),
            (("监护人", "家长", "户主", "父", "母"), _ID_WORDS),
            (),
            "id_number",
        ),
        Spec(
            "guardian_name",
            ("监护人姓名", "家长姓名", "监护人", "家长", "户主姓名", "父（母）姓名"),
            (("监护人", "家长", "户主", "父", "母"), ("姓名", "名字", "监护人", "家长")),
            ("身份证", "证件", "电话", "关系", "编号", "号码"),
            "name",
        ),
        # 困难家庭学生求职创业补贴: the graduation year and 在校 / 离校未就业
        Spec(
            "graduation_year",
            ("毕业年度", "毕业时间", "毕业年份", "毕业日期", "预计毕业时间", "届别"),
            (("毕业", "届别"), ("年度", "时间", "年份", "日期", "年月", "届别")),
            ("学校", "院校", "专业", "证书"),
        ),
        Spec(
            "student_status",
            (
                "学生类别",
                "申报类别",
                "毕业生类别",
                "在校或离校",
                "申报类型",
                "补贴类别",
                "就业状态",
            ),
            (("在校", "离校", "毕业生类", "申报类", "学生类", "就业状态"),),
            ("时间", "日期", "年度", "学校", "院校"),
            "student_status",
            by_values=True,
        ),
        TOWNSHIP,
    ),
    "travel": (
        _id(),
        _name(),
        _date(
            "travel_date",
            ("出行日期", "乘车日期", "外出日期", "出发日期", "出发时间", "输送日期"),
            ("出行", "乘车", "外出", "出发", "输送", "启程"),
        ),
        Spec(
            "destination",
            ("务工地点", "目的地", "务工地", "输出地", "前往地", "到达地", "务工省市"),
            (("目的地", "务工地", "前往", "到达", "输出地", "去向"),),
            ("单位", "企业", "公司", "日期", "时间"),
            "region",
        ),
        TOWNSHIP,
    ),
    # placements claimed by 人力资源服务机构 and 劳务经纪人 (职业介绍补贴, 招聘补贴): one row per
    # person placed; the agency's own code / the broker's ID are not the person's
    "agencies": (
        Spec(
            "agency_name",
            (
                "机构名称",
                "人力资源服务机构名称",
                "劳务经纪人姓名",
                "服务机构名称",
                "申报机构",
                "机构（经纪人）名称",
                "申报单位",
            ),
            (("机构", "经纪人", "申报单位"),),
            ("代码", "编码", "身份证", "证件", "号码", "类型", "是否"),
        ),
        Spec(
            "agency_code",
            ("机构统一社会信用代码", "机构信用代码", "服务机构统一社会信用代码", "机构代码"),
            (("机构", "申报单位"), ("信用代码", "代码", "编码")),
            ("用人", "就业单位", "招聘单位"),
            "credit_code",
        ),
        Spec(
            "broker_id",
            ("劳务经纪人身份证号码", "经纪人身份证号码", "劳务经纪人身份证号", "经纪人身份证号"),
            (("经纪人",), _ID_WORDS),
            (),
            "id_number",
        ),
        _id(
            "被介绍人员身份证号码",
            "人员身份证号码",
            "求职者身份证号码",
            "招聘人员身份证号码",
            excludes=(*_NOT_OWN_ID, "经纪人", "机构"),
        ),
        _name("被介绍人员姓名", "求职者姓名", "招聘人员姓名", excludes=(*_NOT_NAME, "经纪人")),
        Spec(
            "employer_code",
            (
                "用人单位统一社会信用代码",
                "用人单位信用代码",
                "就业单位统一社会信用代码",
                "招聘单位统一社会信用代码",
                "单位统一社会信用代码",
            ),
            (("用人", "就业单位", "招聘单位", "单位"), ("信用代码", "代码", "编码")),
            ("机构",),
            "credit_code",
        ),
        Spec(
            "employer_name",
            ("用人单位名称", "用人单位", "就业单位", "招聘单位", "就业单位名称"),
            (("用人", "就业单位", "招聘单位", "入职单位"),),
            ("代码", "编码", "信用", "地址", "性质", "类型", "日期", "时间"),
            "organisation",
        ),
        _date(
            "placement_date",
            ("介绍日期", "入职日期", "推荐日期", "招聘日期", "介绍就业日期", "就业日期"),
            ("介绍", "入职", "推荐", "招聘", "就业", "上岗"),
            _END_WORDS,
        ),
        Spec(
            "service_type",
            ("服务类型", "补贴类型", "申报类型", "服务项目"),
            (("服务", "申报", "补贴"), ("类型", "类别", "项目")),
            ("人员", "机构", "单位", "日期", "是否", "免费"),
        ),
        Spec(
            "free_service",
            ("是否免费", "是否免费介绍", "免费服务", "是否免费服务", "免费职业介绍"),
            (("免费", "收费"),),
        ),
        Spec(
            "dispatch",
            ("是否劳务派遣", "劳务派遣", "是否派遣", "派遣"),
            (("派遣",),),
        ),
        Spec(
            "registered_unemployed",
            ("是否登记失业人员", "登记失业人员", "是否登记失业", "城乡登记失业人员"),
            (("失业",),),
            ("类型", "类别", "日期", "时间", "证号", "编号"),
        ),
        Spec(
            "person_type",
            ("人员类型", "人员类别", "对象类型", "介绍对象类型"),
            (("人员", "对象"), ("类型", "类别", "属性")),
            ("机构", "单位", "服务", "用工", "就业"),
        ),
    ),
    # recognised 就业帮扶基地, 创业孵化基地（园区） and 就业服务超市, one row per base
    "bases": (
        Spec(
            "base_name",
            (
                "基地名称",
                "就业帮扶基地名称",
                "孵化基地名称",
                "名称",
                "超市名称",
                "就业服务超市名称",
                "园区名称",
                "载体名称",
            ),
            (("基地", "园区", "超市", "载体"), ("名称",)),
            ("代码", "编码"),
            "organisation",
        ),
        EMPLOYER_CODE,
        Spec(
            "base_type",
            ("类型", "基地类型", "载体类型", "类别", "认定类型"),
            (("基地", "载体", "认定", "园区", "超市"), ("类型", "类别")),
            ("等级", "评估", "结果"),
        ),
        TOWNSHIP,
        Spec(
            "village",
            ("村（社区）", "村", "所在村", "村社区"),
            (("村", "社区"),),
            ("代码", "编码", "编号"),
            "village",
        ),
        _date(
            "recognised_date",
            ("认定日期", "认定时间", "挂牌时间", "挂牌日期"),
            ("认定", "挂牌", "命名", "授牌"),
        ),
        Spec(
            "valid_until",
            ("有效期至", "认定有效期至", "到期日期"),
            (("有效期", "到期", "截止", "有效至"),),
            ("起", "开始"),
            "date",
        ),
        Spec(
            "grade",
            ("绩效评估等级", "评估结果", "评估等级", "绩效评估结果", "考核等次", "评估等次"),
            (("评估", "考核", "绩效"), ("等级", "结果", "等次", "档次")),
        ),
    ),
    "training": (
        _id(),
        _name(),
        TOWNSHIP,
        Spec(
            "course",
            (
                "培训项目",
                "培训专业",
                "培训工种",
                "培训职业",
                "培训内容",
                "培训课程",
                "专业（工种）",
            ),
            (("专业", "工种", "课程", "项目", "职业（工种）"),),
            ("类型", "类别", "代码", "编号", "单位", "企业", "金额", "日期", "时间", "结果"),
        ),
        Spec(
            "training_type",
            ("培训类型", "培训类别", "培训种类", "补贴类型", "项目类别"),
            (("培训", "补贴", "项目"), ("类型", "类别", "种类")),
            ("日期", "时间", "金额", "证书"),
            "training_type",
            by_values=True,
        ),
        _date(
            "start_date",
            ("培训开始日期", "开班日期", "开始日期", "开训日期", "培训起始日期"),
            ("开始", "开班", "起始", "开训", "起"),
            ("结束", "结业", "终止", "止"),
        ),
        _date(
            "end_date",
            ("培训结束日期", "结业日期", "结束日期", "结训日期", "培训截止日期"),
            ("结束", "结业", "结训", "截止", "止"),
            ("开始", "开班", "起始"),
        ),
        Spec(
            "days",
            ("出勤天数", "培训天数", "实际培训天数", "参训天数", "天数"),
            (("天数",),),
            ("金额", "标准"),
            "amount",
        ),
        Spec(
            "hours",
            ("培训学时", "学时", "课时", "出勤学时"),
            (("学时", "课时"),),
            ("金额",),
            "amount",
        ),
        Spec(
            "result",
            ("考核结果", "培训结果", "结业情况", "鉴定结果", "是否合格", "考核情况", "取证情况"),
            (("结果", "合格", "结业情况", "考核情况", "取证", "鉴定"),),
            ("日期", "时间", "编号", "证书号"),
            "training_result",
            by_values=True,
        ),
        Spec(
            "certificate_no",
            ("证书编号", "证书号码", "证书号", "合格证编号", "职业资格证书编号"),
            (("证书", "合格证"), ("编号", "号码", "号")),
            ("日期", "时间", "类型", "类别"),
        ),
        Spec(
            "employer_code",
            ("统一社会信用代码", "企业信用代码", "单位统一社会信用代码", "信用代码"),
            (("信用代码", "社会信用", "单位编码", "单位代码"),),
            (),
            "credit_code",
            by_values=True,
        ),
        Spec(
            "employer_name",
            (
                "企业名称",
                "用工单位",
                "单位名称",
                "以工代训企业",
                "经营主体名称",
                "企业（合作社、车间）名称",
            ),
            (("企业", "单位", "合作社", "车间", "经营主体"), ("名称", "单位")),
            ("代码", "编码", "编号", "信用"),
            "organisation",
        ),
        Spec(
            "period",
            ("所属月份", "以工代训月份", "补贴月份", "培训月份", "所属期", "所属年月"),
            (("月份", "年月", "所属期"),),
            ("出生", "开始", "结束", "结业", "开班"),
            "period",
        ),
        Spec(
            "amount",
            ("申请金额", "申请补贴金额", "补贴金额", "申报金额"),
            (("金额", "补贴额"),),
            ("标准", "大写"),
            "amount",
        ),
    ),
}

# Past payment lists (花名册 of payments made by hand, or our own payments workbooks):
# ``id_number``/``name`` are whoever the list names first — a person, or an employer for
# hire_once — and ``person_id``/``person_name`` the person when the payee is not one;
# the import tells resident IDs and credit codes apart by their shape.
SPECS["payments"] = (
    Spec(
        "id_number",
        ("身份证号码", "身份证号码/统一社会信用代码", "公民身份号码", "身份证号", "证件号码",
         "收款人身份证号码", "身份证件号码"),
        (_ID_WORDS,),
        ("户主", "人员", "职工", "员工", "开户", "账户", "户名"),
        "id_number",
    ),
    # the payee's name; 人员姓名 / 职工姓名 are the person's (person_name) in these lists
    Spec(
        "name",
        ("姓名/单位名称", "收款人", "收款人姓名", "享受人员姓名", "申请人", "申请人姓名", "姓名",
         "户主或成员姓名", "成员姓名", "参保人姓名"),
        (("姓名", "收款人", "申请人"),),
        (*_NOT_NAME, "人员", "职工", "员工"),
        "name",
    ),
    # a household's list names its owner (一次性创业补助): the household's ID, not the person's
    Spec(
        "head_id_number",
        ("户主身份证号码", "户主身份证号", "户主证件号码"),
        (("户主",), _ID_WORDS),
        (),
        "id_number",
    ),
    Spec("head_name", ("户主姓名", "户主"), (("户主",), ("姓名",))),
    Spec(
        "person_id",
        ("人员身份证号码", "职工身份证号码", "员工身份证号码", "吸纳人员身份证号码"),
        (("人员", "职工", "员工"), _ID_WORDS),
        ("户主",),
        "id_number",
    ),
    Spec(
        "person_name",
        ("人员姓名", "职工姓名", "员工姓名", "吸纳人员姓名"),
        (("人员", "职工", "员工"), ("姓名",)),
    ),
    Spec(
        "payee_id",
        ("统一社会信用代码", "单位统一社会信用代码", "信用代码", "收款单位信用代码", "单位代码"),
        (("信用代码", "单位代码", "单位编码"),),
        (),
        "credit_code",
    ),
    Spec(
        "payee_name",
        ("单位名称", "收款单位", "用人单位名称", "用人单位", "车间名称", "企业名称"),
        (("单位", "企业", "车间"), ("名称",)),
        ("代码", "编码"),
        "organisation",
    ),
    Spec("household_id", ("户编号", "户号", "家庭编号"), (("户编号", "户号", "家庭编号"),)),
    Spec(
        "program",
        ("补贴项目", "补贴名称", "项目名称", "补贴类别", "补贴类型", "发放项目", "项目", "rule"),
        (("补贴", "补助", "奖补", "项目"), ("项目", "名称", "类别", "类型")),
        ("金额", "标准", "日期", "期间"),
    ),
    Spec(
        "period",
        ("发放期间", "发放月份", "所属期", "发放年月", "补贴月份", "享受月份", "所属年月", "年度",
         "发放年度"),
        (("月份", "年月", "期间", "所属期", "年度"),),
        ("出生", "入职", "开始", "结束"),
        "period",
    ),
    # 雨露计划: the school year (and semester) a payment was for
    Spec("school_year", ("学年", "资助学年", "所属学年", "学年度", "学期", "资助学期"),
         (("学年", "学期"),), ("入学", "毕业")),
    _date("paid_date", ("发放日期", "拨付日期", "支付日期"), ("发放", "拨付", "支付", "到账"),
          ("贷款", "放款", "借款")),
    # a 贴息 list names the loan: its contract number, or the loan's start date
    Spec("loan_no", ("借款合同号", "借款合同编号", "贷款合同号", "贷款合同编号", "合同编号", "合同号"),
         (("合同", "借据"), ("号", "编号", "编码")), ("日期", "金额")),
    _date("loan_start_date", ("放款日期", "放款日", "贷款发放日期", "贷款起始日期", "借款起始日"),
          ("放款", "贷款发放", "贷款起始", "借款起始"), ("到期", "结束")),
    # our own payments files: the ledger's key (CSV) and the basis (CSV and workbook), which
    # name the loan a 贴息 line paid for (loan_interest.history_key)
    Spec("key", ("key",), ()),
    Spec("basis", ("依据", "basis"), ()),
    Spec(
        "amount",
        ("金额（元）", "金额", "发放金额", "补贴金额", "补助金额", "实发金额", "金额(元)"),
        (("金额", "补贴额", "补助额"),),
        ("标准", "大写", "应发", "合计"),
        "amount",
    ),
    Spec("batch", ("批次号", "批次", "发放批次", "文号", "发放文号", "审批文号", "batch_id", "batch"),
         (("批次", "文号", "凭证号"),)),
    # a past 培训补贴 list: the course paid for (a trainee may be paid for two courses)
    Spec("course", ("培训项目", "培训专业", "培训工种", "培训职业"), (("培训",), ("专业", "工种", "项目", "职业")),
         ("类型", "类别", "金额", "日期")),
    _date("course_end", ("结业日期", "培训结束日期", "结训日期"), ("结业", "结训", "培训结束")),
    Spec("certificate_no", ("证书编号", "证书号码", "合格证编号"), (("证书", "合格证"), ("编号", "号码"))),
    TOWNSHIP,
    Spec("village", ("村（社区）", "村", "所在村"), (("村", "社区"),), ("代码",), "village"),
)  # fmt: skip

# Organisations paid by a list of their own carry their account there (optional columns);
# any organisation payee's account may also come from accounts/ (单位收款账户), which takes
# precedence over the lists.
for _kind in ("workshops", "businesses", "agencies", "bases"):
    SPECS[_kind] = (*SPECS[_kind], *ORG_ACCOUNT)
SPECS["accounts"] = (
    EMPLOYER_CODE,
    Spec(
        "org_name",
        ("单位名称", "收款单位", "收款单位名称", "单位全称", "企业名称", "机构名称", "名称"),
        (("单位", "企业", "机构", "公司"), ("名称", "全称")),
        ("代码", "编码", "账号", "账户", "开户", "户名", "银行"),
        "organisation",
    ),
    *ORG_ACCOUNT,
)

SPEC_BY_COLUMN: dict[str, dict[str, Spec]] = {
    kind: {spec.column: spec for spec in specs} for kind, specs in SPECS.items()
}

# canonical column → aliases; the first alias is the Chinese header we write.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    kind: {spec.column: spec.aliases for spec in specs} for kind, specs in SPECS.items()
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
    "loans": ("name",),  # and an ID or a credit code per row (schemas)
    "students": ("id_number", "name"),
    "travel": ("id_number", "name"),
    "agencies": ("agency_name", "id_number"),
    "bases": ("base_name",),
    "training": ("id_number", "name"),
    "accounts": ("employer_code", "bank_account"),
    "payments": ("amount",),
}

# Columns that hold dates, per kind (parsed; bad_date when a value cannot be parsed).
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": ("registered_date",),
    "employment": ("start_date", "end_date"),
    "workshops": ("recognised_date", "valid_until"),
    "businesses": ("registration_date",),
    "posts": ("contract_start", "contract_end"),
    "loans": ("start_date", "end_date"),
    "travel": ("travel_date",),
    "students": ("enrolled_date",),
    "agencies": ("placement_date",),
    "bases": ("recognised_date", "valid_until"),
    "payments": ("paid_date", "loan_start_date", "course_end"),
    "training": ("start_date", "end_date"),
}

# Columns that hold amounts (bad_number when not a number).
NUMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "insurance": ("base", "employer_amount", "personal_amount"),
    "loans": ("principal", "partners", "new_hires"),
    "posts": ("subsidy_amount",),
    "training": ("days", "hours", "amount"),
    "payments": ("amount",),
}

# Columns whose values are personal identifiers: masked on screen, in logs and in JSON.
SENSITIVE_COLUMNS: frozenset[str] = frozenset(
    {"id_number", "head_id_number", "guardian_id", "phone", "bank_account", "broker_id"}
)

_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def clean_header(text: object) -> str:
    """Header text as compared: NFKC, no whitespace, no '*'/'★' marks, no colons."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"[\s*★※:：]+", "", s)


def strip_note(key: str) -> str:
    """A cleaned header without its trailing bracketed note ('身份证号码(必填)' → '身份证号码')."""
    return _NOTE.sub("", key)


def _lookup_table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for spec in SPECS[kind]:
        for alias in (*spec.aliases, spec.column):  # a header may be the column's own name
            table.setdefault(clean_header(alias), spec.column)
    return table


_TABLES: dict[str, dict[str, str]] = {kind: _lookup_table(kind) for kind in SPECS}


def resolve_header(kind: str, text: object) -> str | None:
    """The canonical column whose alias header ``text`` is, for ``kind``, or None."""
    table = _TABLES[kind]
    key = clean_header(text)
    if not key:
        return None
    if key in table:
        return table[key]
    return table.get(strip_note(key))


def display_name(kind: str, column: str) -> str:
    """The Chinese header written for a canonical column (its first alias)."""
    spec = SPEC_BY_COLUMN.get(kind, {}).get(column)
    return spec.display if spec else column


def required_columns(kind: str) -> tuple[str, ...]:
    """The columns a file of ``kind`` must have."""
    return REQUIRED.get(kind, ())


def column_of_display(kind: str, text: str) -> str | None:
    """A canonical column named by its English name or by any of its aliases."""
    if text in SPEC_BY_COLUMN.get(kind, {}):
        return text
    return resolve_header(kind, text)
