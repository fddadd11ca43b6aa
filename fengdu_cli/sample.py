"""A realistic sample month for ``fengdu demo``: six messy township rosters and the exports.

Why: the toolkit has to be shown, tested and explained on data that looks like what a
Fengdu clerk receives — title rows, two-row merged headers, an old .xls with several
sheets, GBK CSV, IDs typed as numbers, full-width digits — without anybody's real data.
Every deliberate problem and every reconcile/subsidy scenario is recorded with its exact
file, sheet, row and column in a manifest (``planted.json``), so tests can check that
each one is found, and that the edge cases next to it are *not* flagged.

Everything comes from ``random.Random(seed)`` and the month (no clock, no global random):
a given seed always writes the same files, byte for byte. Scenario dates are relative to
the month, so ``make_sample(out, 202412)`` plants the same situations six months later.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import random
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import xlsxwriter
import xlwt

from fengdu_cli.idcard import check_digit
from fengdu_cli.townships import TOWNSHIPS

__all__ = ["Planted", "SampleManifest", "make_sample"]


# ---------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Planted:
    """One deliberately planted problem or scenario, with where it sits in the files.

    ``row`` is the 1-based row as Excel shows it (for CSV the line number, header line
    counted); ``column`` a canonical column name, the raw header for a column that has no
    canonical name, or '' for a whole row. ``value`` is the cell as written (numbers in
    digits), or for a whole-row scenario the ID on that row — so a test can read it back.
    """

    kind: str
    file: str
    sheet: str
    row: int
    column: str
    code: str
    note: str
    value: str = ""


@dataclass(frozen=True)
class SampleManifest:
    """What ``make_sample`` wrote: the month, every planted item, persons and files."""

    month: int
    planted: tuple[Planted, ...]
    people: int
    files: tuple[str, ...]


# ---------------------------------------------------------------------------- months


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


# ---------------------------------------------------------------------------- invented world

_SURNAMES = "陈刘李张王杨黄周吴秦冉谭向何罗唐熊况付蒋余邓彭曾徐袁胡万程文"
_MALE = "伟强军明勇国建平华林涛斌兵洪波俊杰祥贵福德成刚坤鹏富海江兴元"
_FEMALE = "芳丽英敏静秀兰琴霞燕红梅玉萍凤莲娟婷雪慧春桂群艳"
_YOUNG_MALE = "浩宇轩熙博睿泽航宸子"
_YOUNG_FEMALE = "欣怡涵萱诗雨馨悦妍琪"

# Invented villages; in the 龙河镇 file the first two form sheet 一组, the last two 二组.
_VILLAGES: dict[str, tuple[str, ...]] = {
    "虎威镇": ("长龙村", "金竹村", "双河村", "大田村"),
    "三合街道": ("桂山社区", "湾塘村", "青杠村", "新城社区"),
    "龙河镇": ("太平村", "新桥村", "石板村", "鹿鸣村"),
    "社坛镇": ("白沙村", "燕子村", "雷家坝村", "银杏村"),
    "南天湖镇": ("三坝村", "梨园村", "观音村", "松林村"),
    "三建乡": ("岩门村", "夜坪村", "广福村", "双石村"),
}
ROSTER_TOWNSHIPS = tuple(_VILLAGES)

_MONITOR_SPELLINGS = ("监测对象", "边缘易致贫户", "脱贫不稳定户", "突发严重困难户")
WORKING_STATUSES = (
    "县内务工",
    "县外市内务工",
    "市外务工",
    "省外务工",
    "就业帮扶车间",
    "公益性岗位",
    "自主创业",
    "灵活就业",
)
NOT_WORKING_STATUSES = ("未务工", "无劳动能力", "在校生")
LABOR_VALUES = ("普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力")
CATEGORY_VALUES = ("脱贫人口", "农村低收入人口", *_MONITOR_SPELLINGS)

PENSION, UNEMPLOYMENT, INJURY = "企业职工基本养老保险", "失业保险", "工伤保险"
_ALL_TYPES = (PENSION, UNEMPLOYMENT, INJURY)
# (employer rate, personal rate) per insurance type
_RATES = {PENSION: (0.16, 0.08), UNEMPLOYMENT: (0.005, 0.005), INJURY: (0.006, 0.0)}

# (name, work region, region code, township in the county, insurance types paid in Chongqing)
_COMPANIES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("重庆丰都鑫茂食品有限公司", "重庆市丰都县", "500230", "三合街道", _ALL_TYPES),
    ("丰都县宏达建筑劳务有限公司", "重庆市丰都县", "500230", "名山街道", _ALL_TYPES),
    ("重庆市丰都县锦绣服装厂", "重庆市丰都县", "500230", "虎威镇", (PENSION, INJURY)),
    ("丰都县南天湖旅游开发有限公司", "重庆市丰都县", "500230", "南天湖镇", _ALL_TYPES),
    ("重庆丰都山林肉牛养殖有限公司", "重庆市丰都县", "500230", "高家镇", _ALL_TYPES),
    ("丰都县顺通物流有限公司", "重庆市丰都县", "500230", "三合街道", _ALL_TYPES),
    ("重庆丰都智联电子科技有限公司", "重庆市丰都县", "500230", "三合街道", _ALL_TYPES),
    ("丰都县绿源农业开发有限公司", "重庆市丰都县", "500230", "龙河镇", (PENSION, INJURY)),
    ("重庆渝北华信电子有限公司", "重庆市渝北区", "500112", "", _ALL_TYPES),
    ("重庆渝创汽车零部件有限公司", "重庆市渝北区", "500112", "", _ALL_TYPES),
    ("重庆涪陵润丰食品有限公司", "重庆市涪陵区", "500102", "", _ALL_TYPES),
    ("重庆江北嘉禾物业服务有限公司", "重庆市江北区", "500105", "", (PENSION, INJURY)),
    ("济南华鲁机械制造有限公司", "山东省济南市", "370112", "", ()),
    ("山东鲁联食品有限公司", "山东省济南市", "370181", "", ()),
    ("东莞市长鸿电子有限公司", "广东省东莞市", "441900", "", ()),
    ("东莞市嘉达鞋业有限公司", "广东省东莞市", "441900", "", ()),
    ("宁波甬兴模具有限公司", "浙江省宁波市", "330212", "", ()),
    ("厦门海联电子有限公司", "福建省厦门市", "350211", "", ()),
    ("苏州吴中精密机械有限公司", "江苏省苏州市", "320506", "", ()),
)
# (workshop name, operating entity, credit-code prefix, township, recognised on)
_WORKSHOPS = (
    ("虎威镇竹编就业帮扶车间", "丰都县虎威竹艺编织专业合作社", "93", "虎威镇", dt.date(2021, 11, 18)),
    ("龙河镇服装加工就业帮扶车间", "重庆龙河锦程服饰有限公司", "91", "龙河镇", dt.date(2022, 3, 25)),
    ("三建乡农产品加工就业帮扶车间", "丰都县三建乡广福农产品加工厂", "92", "三建乡", dt.date(2022, 7, 6)),
)  # fmt: skip
# Regions of IDs of people who married in from elsewhere.
_OTHER_REGIONS = ("500101", "500102", "510521", "422822", "522125")
_COUNTY_REGION = "500230"

# ---------------------------------------------------------------------------- codes


_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def credit_code(rng: random.Random, prefix: str, region: str) -> str:
    """An invented 18-character unified social credit code with valid GB 32100 checks.

    ``prefix`` is the registering authority and type ('91' company, '92' individual
    business, '93' cooperative, '11' government office); ``region`` the 6-digit area code.
    """
    if prefix == "11":
        body = "".join(rng.choice("0123456789") for _ in range(8))
    else:
        body = "MA" + "".join(rng.choice(_CC_CHARS) for _ in range(6))
    first17 = prefix + region + body + _org_check(body)
    total = sum(_CC_CHARS.index(ch) * w for ch, w in zip(first17, _CC_WEIGHTS, strict=True))
    return first17 + _CC_CHARS[(31 - total % 31) % 31]


def make_id(region: str, born: dt.date, seq: int) -> str:
    """The 18-digit ID for a region, birth date and 3-digit sequence (odd = male)."""
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def _fullwidth(text: str) -> str:
    """ASCII digits and letters → their full-width forms, as a Chinese IME types them."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def _excel_truncated(id_number: str) -> int:
    """What Excel keeps of an ID typed into a General cell: 15 digits, then zeros."""
    return int(id_number[:15] + "000")


# ---------------------------------------------------------------------------- people & records


@dataclass
class Employer:
    """An employer as the exports know it; ``township`` is set only inside the county."""

    name: str
    code: str
    region: str
    township: str
    types: tuple[str, ...]


@dataclass
class Person:
    """One invented person; ``on_roster`` False for people only the exports know."""

    id_number: str
    name: str
    born: dt.date
    male: bool
    township: str = ""
    village: str = ""
    household_id: str = ""
    relation: str = ""
    category: str = ""
    labor: str = ""
    status: str = ""
    place: str = ""
    employer_name: str = ""
    phone: str = ""
    bank: str = ""
    group: int = 0
    order: int = 0
    on_roster: bool = True
    busy: bool = False  # already a scenario person or carries a planted problem
    row: RosterRow | None = None


@dataclass
class RosterRow:
    """One roster line: a person, cells written differently from the truth, and marks.

    A mark is (kind, column, code, note); ``column`` '' means the whole row.
    """

    person: Person
    cells: dict[str, object] = field(default_factory=dict)
    marks: list[tuple[str, str, str, str]] = field(default_factory=list)

    def cell(self, key: str) -> object:
        """The value written under canonical column ``key``."""
        if key in self.cells:
            return self.cells[key]
        p = self.person
        return {
            "township": p.township, "village": p.village, "household_id": p.household_id,
            "name": p.name, "id_number": p.id_number, "relation": p.relation,
            "category": p.category, "labor_capacity": p.labor, "work_status": p.status,
            "work_place": p.place, "employer_name": p.employer_name, "phone": p.phone,
            "bank_account": p.bank,
        }.get(key, "")  # fmt: skip


@dataclass
class Record:
    """An employment or insurance row (canonical keys) plus marks like a roster row."""

    values: dict[str, object]
    marks: list[tuple[str, str, str]] = field(default_factory=list)  # (column, code, note)


# ---------------------------------------------------------------------------- the builder


class _World:
    """All the state of one generation: people, employers, records. Built in a fixed order."""

    def __init__(self, month: int, seed: int) -> None:
        self.m = month
        self.rng = random.Random(seed)
        self.data_start = (month // 100 - 1) * 100 + 1  # January of the previous year
        self.used_ids: set[str] = set()
        self.people: list[Person] = []
        self.outsiders: list[Person] = []
        self.jobs: list[Record] = []
        self.contributions: list[Record] = []
        self.bases: dict[tuple[str, str], int] = {}
        self.tail_rows: dict[tuple[str, int], list[RosterRow]] = {}
        self.businesses: list[tuple[Employer, Person, dt.date]] = []
        self._make_employers()

    # -- dates relative to the month
    def mo(self, k: int) -> int:
        """Month m−k."""
        return add_months(self.m, -k)

    def day(self, k: int, day: int) -> dt.date:
        """Day ``day`` of month m−k (clamped to the month's length)."""
        last = last_day(self.mo(k))
        return last.replace(day=min(day, last.day))

    def span(self, start: dt.date, end_month: int | None = None) -> list[int]:
        """Months from ``start`` (not before the data window) to ``end_month`` (default m)."""
        first = max(self.data_start, month_of(start))
        return months_from(first, self.m if end_month is None else end_month)

    # -- employers
    def _make_employers(self) -> None:
        rng = self.rng
        self.companies = [
            Employer(name, credit_code(rng, "91", code), region, town, types)
            for name, region, code, town, types in _COMPANIES
        ]
        self.county = [e for e in self.companies if e.township]
        self.chongqing = [e for e in self.companies if not e.township and "重庆" in e.region]
        self.away = [e for e in self.companies if "重庆" not in e.region]
        self.workshops = [
            Employer(
                entity, credit_code(rng, prefix, _COUNTY_REGION), "重庆市丰都县", town, (INJURY,)
            )
            for _, entity, prefix, town, _ in _WORKSHOPS
        ]
        self.governments = {
            t: Employer(
                f"丰都县{t}{'办事处' if t.endswith('街道') else '人民政府'}",
                credit_code(rng, "11", _COUNTY_REGION),
                "重庆市丰都县",
                t,
                (),
            )
            for t in ROSTER_TOWNSHIPS
        }

    def employer_in(self, region: str) -> Employer:
        """A company whose work region is ``region`` (e.g. '山东省济南市')."""
        return self.rng.choice([e for e in self.companies if e.region == region])

    # -- people
    def new_id(self, region: str, born: dt.date, male: bool) -> str:
        """A fresh, unused valid ID."""
        while True:
            seq = self.rng.randrange(100) * 10 + self.rng.choice(
                (1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8)
            )
            id_number = make_id(region, born, seq)
            if id_number not in self.used_ids:
                self.used_ids.add(id_number)
                return id_number

    def name_for(self, surname: str, male: bool, born: dt.date) -> str:
        """An invented given name in the style of the birth years."""
        young = born.year >= 1995
        pool = (_YOUNG_MALE if young else _MALE) if male else (_YOUNG_FEMALE if young else _FEMALE)
        size = 2 if self.rng.random() < 0.7 else 1
        return surname + "".join(self.rng.choice(pool) for _ in range(size))

    def birth(self, first_year: int, last_year: int) -> dt.date:
        """A random date between 1 January of one year and 31 December of another."""
        start = dt.date(first_year, 1, 1)
        return start + dt.timedelta(
            days=self.rng.randrange((dt.date(last_year, 12, 31) - start).days + 1)
        )

    def outsider(self, region: str = _COUNTY_REGION) -> Person:
        """A working-age person the exports know but no roster lists."""
        male = self.rng.random() < 0.6
        born = self.birth(1970, 2002)
        p = Person(
            self.new_id(region, born, male),
            self.name_for(self.rng.choice(_SURNAMES), male, born),
            born,
            male,
            on_roster=False,
        )
        self.outsiders.append(p)
        return p

    # -- records
    def job(
        self,
        p: Person,
        e: Employer,
        start: dt.date,
        end: dt.date | None = None,
        full_time: bool = True,
    ) -> Record:
        """Register an employment of ``p`` at ``e``."""
        record = Record({
            "id_number": p.id_number, "name": p.name, "employer_name": e.name,
            "employer_code": e.code, "start_date": start, "end_date": end,
            "employment_type": "全日制" if full_time else "非全日制", "work_region": e.region,
        })  # fmt: skip
        self.jobs.append(record)
        return record

    def pay(
        self, p: Person, e: Employer, months: Iterable[int], types: tuple[str, ...] | None = None
    ) -> None:
        """Contributions of ``e`` for ``p``: one row per month and insurance type."""
        base = self.bases.setdefault((p.id_number, e.code), self.rng.randrange(80, 141) * 50)
        for month in months:
            for kind in types if types is not None else e.types:
                employer_rate, personal_rate = _RATES[kind]
                self.contributions.append(Record({
                    "id_number": p.id_number, "name": p.name, "employer_code": e.code,
                    "employer_name": e.name, "period": f"{month}", "insurance_type": kind,
                    "base": base, "employer_amount": round(base * employer_rate, 2),
                    "personal_amount": round(base * personal_rate, 2),
                }))  # fmt: skip

    def works_at(self, p: Person, e: Employer) -> None:
        """Fill the roster's work columns as the township would for a job at ``e``."""
        p.place = f"丰都县{e.township}" if e.township else e.region
        p.employer_name = e.name


# ---------------------------------------------------------------------------- households


def _household_members(w: _World, size: int) -> list[tuple[str, bool, dt.date]]:
    """(relation, male, born) for a household of about ``size`` people, all born ≤ 2008."""
    head_male = w.rng.random() < 0.8
    head_born = w.birth(1950, 1990)
    members = [("户主", head_male, head_born)]
    if size >= 2:
        spouse = head_born + dt.timedelta(days=w.rng.randrange(-5 * 365, 5 * 365))
        spouse = min(max(spouse, dt.date(1950, 1, 1)), dt.date(1992, 12, 31))
        members.append(("配偶", not head_male, spouse))
    for _ in range(size - len(members)):
        older = head_born.year < 1962 and w.rng.random() < 0.5
        gap = w.rng.randrange(45, 55) if older else w.rng.randrange(22, 33)
        born = w.birth(head_born.year + gap, head_born.year + gap)
        if born.year > 2008:
            continue
        male = w.rng.random() < 0.5
        relation = ("之孙子" if male else "之孙女") if older else ("之子" if male else "之女")
        members.append((relation, male, born))
    return members


def _labor_and_status(w: _World, born: dt.date) -> tuple[str, str]:
    """劳动技能 and 务工状态 plausible for someone born on ``born``."""
    age = _age(born, last_day(w.m))
    rng = w.rng
    if age < 16 or (age <= 22 and rng.random() < 0.4):
        return "无劳动力", "在校生"
    if age >= 60:
        labor = rng.choices(LABOR_VALUES[2:], weights=(40, 30, 30))[0]
    else:
        labor = rng.choices(LABOR_VALUES[:4], weights=(65, 15, 12, 8))[0]
    if labor in ("丧失劳动力", "无劳动力"):
        return labor, "无劳动能力"
    weights = (
        (22, 15, 6, 22, 4, 5, 3, 8, 15)
        if labor != "弱劳动力或半劳动力"
        else (10, 3, 1, 3, 12, 20, 1, 15, 35)
    )
    return labor, rng.choices((*WORKING_STATUSES, "未务工"), weights=weights)[0]


def _new_household(w: _World, township: str, village_index: int, size: int) -> list[Person]:
    """Invent a household in a village of ``township`` and add its members to the world."""
    rng = w.rng
    town_no = TOWNSHIPS.index(township) + 1
    seq = 1 + sum(
        1
        for p in w.people
        if p.township == township
        and p.relation == "户主"
        and _VILLAGES[township].index(p.village) == village_index
    )
    household_id = f"{_COUNTY_REGION}2{town_no:02d}{village_index + 1:03d}{seq:04d}"
    kind = rng.choices(("脱贫人口", "监测对象", "农村低收入人口"), weights=(70, 15, 15))[0]
    written = rng.choice(_MONITOR_SPELLINGS) if kind == "监测对象" else kind
    surname = rng.choice(_SURNAMES)
    people = []
    for order, (relation, male, born) in enumerate(_household_members(w, size)):
        spouse_from_outside = relation == "配偶" and rng.random() < 0.25
        region = rng.choice(_OTHER_REGIONS) if spouse_from_outside else _COUNTY_REGION
        family = rng.choice(_SURNAMES) if relation == "配偶" else surname
        labor, status = _labor_and_status(w, born)
        p = Person(
            w.new_id(region, born, male), w.name_for(family, male, born), born, male,
            township, _VILLAGES[township][village_index], household_id, relation, written,
            labor, status, phone=_phone(rng), bank=_bank(rng), group=village_index // 2,
            order=order,
        )  # fmt: skip
        p.row = RosterRow(p)
        people.append(p)
    w.people.extend(people)
    return people


def _phone(rng: random.Random) -> str:
    """An invented 11-digit mobile number."""
    return rng.choice(("138", "139", "152", "158", "177", "183", "187", "199")) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )


def _bank(rng: random.Random) -> str:
    """An invented 19-digit bank card number."""
    return rng.choice(("6224", "6217", "6228", "6230")) + "".join(
        rng.choice("0123456789") for _ in range(15)
    )


def _populate(w: _World) -> None:
    """40-odd persons per roster township, in households of 1-5 spread over 4 villages."""
    for township in ROSTER_TOWNSHIPS:
        target = w.rng.randrange(40, 53)
        count = 0
        while count < target:
            size = w.rng.choices((1, 2, 3, 4, 5), weights=(10, 20, 30, 25, 15))[0]
            count += len(_new_household(w, township, w.rng.randrange(4), size))


# ---------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """A hand-made person: expected codes, roster status, and the records that make it so."""

    codes: tuple[str, ...]
    note: str
    status: str
    build: Callable[[_World, Person], None]
    category: str = "脱贫人口"
    typo: str = ""  # 'digit' or 'swap': the roster carries a mistyped ID


def _county(w: _World, count: int = 1) -> list[Employer]:
    """``count`` different in-county companies."""
    return w.rng.sample(w.county, count)


def _sc_insurance_stopped(w: _World, p: Person) -> None:
    """Still registered, but the employer paid up to m−1 only."""
    (e,) = _county(w)
    w.job(p, e, w.day(27, 1))
    w.pay(p, e, w.span(w.day(27, 1), w.mo(1)))
    w.works_at(p, e)


def _sc_job_ended(w: _World, p: Person) -> None:
    """A job ending on the 15th of m, paid through m."""
    (e,) = _county(w)
    w.job(p, e, w.day(37, 5), w.day(0, 15))
    w.pay(p, e, w.span(w.day(37, 5)))
    w.works_at(p, e)


def _sc_job_ends_last_day(w: _World, p: Person) -> None:
    """A job ending on the last day of m: still active at the end of m."""
    (e,) = _county(w)
    w.job(p, e, w.day(48, 1), w.day(0, 31))
    w.pay(p, e, w.span(w.day(48, 1)))
    w.works_at(p, e)


def _sc_short_tenure(w: _World, p: Person) -> None:
    """An old job ended at the end of m−2; a new one began on the 10th of m−1."""
    old, new = _county(w, 2)
    w.job(p, old, w.day(40, 1), w.day(2, 31))
    w.pay(p, old, w.span(w.day(40, 1), w.mo(2)))
    w.job(p, new, w.day(1, 10))
    w.pay(p, new, [w.mo(1), w.m])
    w.works_at(p, new)


def _sc_start_m_minus_2(w: _World, p: Person) -> None:
    """A job from the first day of m−2: exactly stable for 3 months."""
    (e,) = _county(w)
    w.job(p, e, w.day(2, 1))
    w.pay(p, e, [w.mo(2), w.mo(1), w.m])
    w.works_at(p, e)


def _sc_frequent_change(w: _World, p: Person) -> None:
    """Three employers started in m−10, m−5 and m−1."""
    first, second, third = _county(w, 3)
    w.job(p, first, w.day(10, 7), w.day(6, 31))
    w.pay(p, first, months_from(w.mo(10), w.mo(6)))
    w.job(p, second, w.day(5, 8), w.day(2, 31))
    w.pay(p, second, months_from(w.mo(5), w.mo(2)))
    w.job(p, third, w.day(1, 6))
    w.pay(p, third, [w.mo(1), w.m])
    w.works_at(p, third)


def _sc_no_record(w: _World, p: Person) -> None:
    """An old job that ended in m−9; nothing since."""
    (e,) = _county(w)
    w.job(p, e, w.day(40, 1), w.day(9, 31))
    w.pay(p, e, w.span(w.day(40, 1), w.mo(9)))


def _sc_nothing(w: _World, p: Person) -> None:
    """No record at all although the roster says working in the county."""
    p.place = f"丰都县{p.township}"


def _sc_idle_but_employed(w: _World, p: Person) -> None:
    """Roster says 未务工, yet a job active since m−8."""
    (e,) = _county(w)
    w.job(p, e, w.day(8, 9))
    w.pay(p, e, w.span(w.day(8, 9)))


def _sc_typo(w: _World, p: Person) -> None:
    """Registered and insured under the correct ID (the roster has a typo)."""
    (e,) = _county(w)
    w.job(p, e, w.day(20, 3))
    w.pay(p, e, w.span(w.day(20, 3)))
    w.works_at(p, e)


def _sc_hire_once(w: _World, p: Person) -> None:
    """Full-time in the county since m−26, insured every month."""
    (e,) = _county(w)
    w.job(p, e, w.day(26, 1))
    w.pay(p, e, w.span(w.day(26, 1)))
    w.works_at(p, e)


def _sc_eleven_months(w: _World, p: Person) -> None:
    """Insured m−10 … m only (11 months, one type)."""
    (e,) = _county(w)
    w.job(p, e, w.day(10, 1))
    w.pay(p, e, months_from(w.mo(10), w.m), (PENSION,))
    w.works_at(p, e)


def _sc_gap(w: _World, p: Person) -> None:
    """Insured 12 of the 13 months m−12 … m, with m−6 missing."""
    (e,) = _county(w)
    w.job(p, e, w.day(12, 3))
    w.pay(p, e, [m for m in months_from(w.mo(12), w.m) if m != w.mo(6)])
    w.works_at(p, e)


def _sc_three_types(w: _World, p: Person) -> None:
    """Three insurance types in each of 6 months (18 rows, 6 months)."""
    e = w.rng.choice([x for x in w.county if x.types == _ALL_TYPES])
    w.job(p, e, w.day(5, 1))
    w.pay(p, e, months_from(w.mo(5), w.m))
    w.works_at(p, e)


def _workshop_scenario(
    index: int, start: Callable[[_World], dt.date], pays: bool
) -> Callable[[_World, Person], None]:
    """A 非全日制 job at workshop ``index`` from ``start``; workshops rarely pay insurance."""

    def build(w: _World, p: Person) -> None:
        e = w.workshops[index]
        w.job(p, e, start(w), full_time=False)
        if pays:
            w.pay(p, e, w.span(start(w)))
        w.works_at(p, e)

    return build


def _away_scenario(
    region: str, start: Callable[[_World], dt.date], insured: bool = False
) -> Callable[[_World, Person], None]:
    """A full-time job in ``region`` (outside the county) from ``start``."""

    def build(w: _World, p: Person) -> None:
        e = w.employer_in(region)
        w.job(p, e, start(w))
        if insured:
            w.pay(p, e, w.span(start(w)))
        w.works_at(p, e)

    return build


def _business_scenario(
    kind: str, registered: Callable[[_World], dt.date], insured_months: list[int]
) -> Callable[[_World, Person], None]:
    """A business of ``p``; ``insured_months`` gives, per employee, how many months up to m."""

    def build(w: _World, p: Person) -> None:
        short = p.township.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        names = {
            "92": f"丰都县{short}{p.name[0]}氏农家乐",
            "93": f"丰都县{short}{p.name}种养殖专业合作社",
            "91": f"重庆{short}{p.name[0]}氏建材有限公司",
        }
        e = Employer(
            names[kind],
            credit_code(w.rng, kind, _COUNTY_REGION),
            "重庆市丰都县",
            p.township,
            _ALL_TYPES,
        )
        reg = registered(w)
        w.businesses.append((e, p, reg))
        w.pay(p, e, w.span(reg))
        for months in insured_months:
            worker = w.outsider()
            start = max(reg, w.day(months - 1, 1))
            w.job(worker, e, start)
            w.pay(worker, e, months_from(w.mo(months - 1), w.m))
        p.place = f"丰都县{p.township}"
        p.status = "自主创业"

    return build


def _age16(w: _World, p: Person) -> None:
    """Make ``p`` turn 16 on the last day of m."""
    end = last_day(w.m)
    born = end.replace(year=end.year - 16)
    w.used_ids.discard(p.id_number)
    p.born = born
    p.id_number = w.new_id(_COUNTY_REGION, born, p.male)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(("insurance_stopped",), "{m1}有单位缴费，{m0}没有；就业登记仍在", "县内务工", _sc_insurance_stopped),
    Scenario(("job_ended",), "就业于{m0}15日结束，月末无在职登记（{m0}仍有缴费）", "县内务工", _sc_job_ended),
    Scenario(("edge_job_ends_last_day",), "就业于{m0}最后一天结束：月末仍在职，不是 job_ended", "县内务工",
             _sc_job_ends_last_day, category="农村低收入人口"),
    Scenario(("short_tenure",), "旧工作{m2}末结束，新工作{m1}10日开始", "县内务工", _sc_short_tenure),
    Scenario(("edge_start_first_day_m_minus_2",), "就业开始于{m2}1日：正好稳定 3 个月，不是 short_tenure",
             "县内务工", _sc_start_m_minus_2),
    Scenario(("frequent_change", "short_tenure"), "12 个月内 3 个不同单位入职（{m10}、{m5}、{m1}）；现职不满 3 个月",
             "县内务工", _sc_frequent_change),
    Scenario(("no_record",), "有劳动能力、报未务工，{m0}无在职登记无缴费（旧工作{m9}结束）", "未务工", _sc_no_record),
    Scenario(("no_record", "status_mismatch"), "台账报县内务工，但无任何就业登记和缴费", "县内务工", _sc_nothing),
    Scenario(("status_mismatch",), "台账报未务工，但有在职的就业登记（{m8}起）", "未务工", _sc_idle_but_employed),
    Scenario(("possible_id_typo",), "台账身份证号一位数字录错；就业登记有正确号码、同名", "县内务工", _sc_typo, typo="digit"),
    Scenario(("possible_id_typo",), "台账身份证号相邻两位颠倒；就业登记有正确号码、同名", "县内务工", _sc_typo, typo="swap"),
    Scenario(("hire_once",), "县内全日制就业，同一单位连续缴费 12 个月以上", "县内务工", _sc_hire_once),
    Scenario(("edge_11_insured_months",), "同一单位只连续缴费 11 个月（{m10}至{m0}）", "县内务工", _sc_eleven_months),
    Scenario(("edge_gap_in_12_months",), "13 个月内缴费 12 个月，{m6}断缴：连续不足 12 个月", "县内务工", _sc_gap),
    Scenario(("two_types_one_month",), "每月 3 个险种（18 行），只算 6 个参保月", "县内务工", _sc_three_types),
    Scenario(("workshop_monthly",), "帮扶车间就业 1 年以上（非全日制，工伤保险）", "就业帮扶车间",
             _workshop_scenario(0, lambda w: w.day(16, 1), pays=True)),
    Scenario(("workshop_monthly",), "监测对象（边缘易致贫户）在帮扶车间就业 10 个月", "就业帮扶车间",
             _workshop_scenario(1, lambda w: w.day(10, 15), pays=False), category="边缘易致贫户"),
    Scenario(("edge_workshop_short", "short_tenure"), "{m1}20日进帮扶车间，不满 3 个月", "就业帮扶车间",
             _workshop_scenario(2, lambda w: w.day(1, 20), pays=False)),
    Scenario(("travel", "job_seeking_once"), "重庆市渝北区务工（市内县外）：交通补助 50 元", "县外市内务工",
             _away_scenario("重庆市渝北区", lambda w: w.day(9, 1), insured=True)),
    Scenario(("travel", "job_seeking_once"), "广东省东莞市务工（市外）：交通补助 200 元", "省外务工",
             _away_scenario("广东省东莞市", lambda w: w.day(5, 8))),
    Scenario(("edge_age_16_last_day", "travel", "job_seeking_once"), "{m0}最后一天满 16 岁，浙江省宁波市务工",
             "省外务工", _away_scenario("浙江省宁波市", lambda w: w.day(3, 4))),
    Scenario(("shandong_stable", "job_seeking_once", "travel"), "山东省济南市务工，已稳定 3 个月以上", "省外务工",
             _away_scenario("山东省济南市", lambda w: w.day(4, 19))),
    Scenario(("edge_shandong_short", "travel", "short_tenure"), "{m1}1日起在山东省济南市务工，不满 3 个月",
             "省外务工", _away_scenario("山东省济南市", lambda w: w.day(1, 1))),
    Scenario(("startup_household",), "个体工商户{m6}1日登记，3 名雇员（不含本人）参保 7 个月", "自主创业",
             _business_scenario("92", lambda w: w.day(6, 1), [7, 7, 7])),
    Scenario(("edge_business_too_recent",), "{m4}15日才登记（晚于{m5}1日），3 名雇员参保 5 个月",
             "自主创业", _business_scenario("91", lambda w: w.day(4, 15), [5, 5, 5]), category="边缘易致贫户"),
    Scenario(("edge_business_2_employees",), "登记满 1 年，但只有 2 名雇员参保满 6 个月（第 3 名只 4 个月，本人不算）",
             "自主创业", _business_scenario("93", lambda w: w.day(12, 1), [13, 13, 4])),
)  # fmt: skip


def _category_family(category: str) -> str:
    """The category a written value belongs to (the 监测对象 sub-kinds → 监测对象)."""
    return "监测对象" if category in _MONITOR_SPELLINGS else category


def _pick(w: _World, township: str, test: Callable[[Person], bool]) -> Person | None:
    """A random not-yet-used roster person of ``township`` passing ``test``, marked used."""
    found = [p for p in w.people if p.township == township and not p.busy and test(p)]
    if not found:
        return None
    p = w.rng.choice(found)
    p.busy = True
    return p


def _scenario_person(w: _World, township: str, sc: Scenario) -> Person:
    """A household member fit for ``sc`` (a new household when there is none)."""
    end = last_day(w.m)
    family = _category_family(sc.category)
    if "edge_age_16_last_day" in sc.codes:
        heads = {p.household_id: p.born for p in w.people if p.relation == "户主"}
        test = lambda p: (  # noqa: E731
            p.relation in ("之孙子", "之孙女")
            or (p.relation in ("之子", "之女") and heads[p.household_id].year >= 1970)
        )
    else:
        test = lambda p: 22 <= _age(p.born, end) <= 55  # noqa: E731
    p = _pick(w, township, lambda p: _category_family(p.category) == family and test(p))
    if p is None:
        p = _new_household(w, township, w.rng.randrange(4), 1)[0]
        p.busy = True
    if "edge_age_16_last_day" in sc.codes:
        _age16(w, p)
    p.category, p.labor, p.status = sc.category, "普通劳动力", sc.status
    p.place = p.employer_name = ""
    return p


def _typo_of(id_number: str, how: str, rng: random.Random) -> str:
    """The ID with one sequence digit changed, or two neighbouring differing digits swapped."""
    if how == "digit":
        pos = 14 + rng.randrange(2)
        digit = rng.choice([d for d in "0123456789" if d != id_number[pos]])
        return id_number[:pos] + digit + id_number[pos + 1 :]
    pos = next(i for i in (14, 13, 12, 15, 8, 9) if id_number[i] != id_number[i + 1])
    return id_number[:pos] + id_number[pos + 1] + id_number[pos] + id_number[pos + 2 :]


def _month_labels(w: _World) -> dict[str, str]:
    """{m0}: '2024年6月', {m1}: '2024年5月', … for the scenario notes."""
    return {f"m{k}": f"{w.mo(k) // 100}年{w.mo(k) % 100}月" for k in range(13)}


def _place_scenarios(w: _World) -> None:
    """Put every hand-made person on a roster, round robin over the townships."""
    labels = _month_labels(w)
    for index, sc in enumerate(SCENARIOS):
        township = ROSTER_TOWNSHIPS[index % len(ROSTER_TOWNSHIPS)]
        p = _scenario_person(w, township, sc)
        sc.build(w, p)
        row = p.row
        assert row is not None
        note = sc.note.format(**labels)
        if sc.typo:
            row.cells["id_number"] = _typo_of(p.id_number, sc.typo, w.rng)
            row.marks.append(("roster", "id_number", "id_checksum", f"身份证号录错（{note}）"))
        for code in sc.codes:
            row.marks.append(("scenario", "", code, note))


# ---------------------------------------------------------------------------- planted problems


def _mark(p: Person, column: str, code: str, note: str, value: object = None) -> None:
    """Write ``value`` (when given) in ``column`` of p's row and record the problem there."""
    assert p.row is not None
    if value is not None:
        p.row.cells[column] = value
    p.row.marks.append(("roster", column, code, note))


def _duplicate(w: _World, p: Person, township: str, group: int, note: str) -> None:
    """List ``p`` once more at the end of a township file (or of one of its sheets)."""
    row = RosterRow(p, dict(p.row.cells) if p.row else {})
    row.marks.append(("roster", "id_number", "duplicate_person", note))
    w.tail_rows.setdefault((township, group), []).append(row)


def _reissue(
    w: _World,
    p: Person,
    born: dt.date | None = None,
    wanted: Callable[[str], bool] = lambda _id: True,
) -> None:
    """Give ``p`` a new valid ID (optionally a new birth date) that passes ``wanted``."""
    w.used_ids.discard(p.id_number)
    p.born = born or p.born
    for _ in range(10000):
        candidate = w.new_id(p.id_number[:6], p.born, p.male)
        if wanted(candidate):
            p.id_number = candidate
            return
        w.used_ids.discard(candidate)
    raise RuntimeError("no ID found")  # pragma: no cover - 1 in 11 IDs pass each test


def _reissue_ending_000(w: _World, p: Person) -> None:
    """Give ``p`` (a woman: sequence digit 0 is even) a valid ID ending in 000.

    Such an ID survives being typed as a number, yet is still id_precision_lost. About
    one birth date in ten has one, so nearby birth days are tried in turn.
    """
    w.used_ids.discard(p.id_number)
    for shift in range(400):
        born = p.born + dt.timedelta(days=shift)
        for first in range(10):
            candidate = make_id(p.id_number[:6], born, first * 100)
            if candidate.endswith("000") and candidate not in w.used_ids:
                p.born, p.id_number = born, candidate
                w.used_ids.add(candidate)
                return
    raise RuntimeError("no ID ending in 000")  # pragma: no cover


def _adult(w: _World) -> Callable[[Person], bool]:
    end = last_day(w.m)
    return lambda p: 20 <= _age(p.born, end) <= 60


def _plant_huwei(w: _World) -> None:
    """虎威镇: partly full-width ID, unknown township, missing ID, duplicate in the sheet."""
    t, adult = "虎威镇", _adult(w)
    p = _pick(w, t, adult)
    _mark(
        p,
        "id_number",
        "ok_normalised",
        "身份证号后 4 位为全角数字（规范化后有效）",
        p.id_number[:14] + _fullwidth(p.id_number[14:]),
    )
    p = _pick(w, t, adult)
    _mark(p, "township", "unknown_township", "乡镇填写为不存在的“丰都镇”", "丰都镇")
    p = _pick(w, t, adult)
    _mark(p, "id_number", "missing_required", "有姓名、无身份证号", "")
    p = _pick(w, t, adult)
    _duplicate(w, p, t, 0, "同一表内重复登记（后一行）")


def _plant_sanhe(w: _World) -> Person:
    """三合街道: wrong check digit, 30 February, bad category, 9-digit phone."""
    t, adult = "三合街道", _adult(w)
    p = _pick(w, t, adult)
    wrong = next(d for d in "0123456789X" if d != p.id_number[17])
    _mark(p, "id_number", "id_checksum", "校验位错误", p.id_number[:17] + wrong)
    p = _pick(w, t, lambda q: 1985 <= q.born.year <= 1995)
    _reissue(w, p, dt.date(1990, 2, 3))
    bad = p.id_number[:6] + "19900230" + p.id_number[14:17]
    _mark(
        p,
        "id_number",
        "id_birthdate",
        "出生日期 19900230 不存在（校验位正确）",
        bad + check_digit(bad),
    )
    p = _pick(w, t, adult)
    _mark(p, "category", "bad_category", "人员类别“贫困户2”不在取值范围", "贫困户2")
    p = _pick(w, t, adult)
    _mark(p, "phone", "bad_number", "联系电话只有 9 位", p.phone[:9])
    p.phone = p.phone[:9]
    return _pick(w, t, adult)  # listed again by 社坛镇


def _plant_longhe(w: _World) -> None:
    """龙河镇: lowercase x, a 17-digit ID, duplicate across sheets, bad 劳动技能."""
    t, adult = "龙河镇", _adult(w)
    p = _pick(w, t, lambda q: adult(q) and q.group == 0)
    _reissue(w, p, wanted=lambda i: i.endswith("X"))
    _mark(p, "id_number", "ok_normalised", "校验位为小写 x（规范化后有效）", p.id_number[:17] + "x")
    p = _pick(w, t, adult)
    _mark(p, "id_number", "id_format", "身份证号只有 17 位（漏了校验位）", p.id_number[:17])
    p = _pick(w, t, lambda q: adult(q) and q.group == 0)
    _duplicate(w, p, t, 1, "“一组”已登记，“二组”又登记一次（后一行）")
    p = _pick(w, t, adult)
    _mark(p, "labor_capacity", "bad_category", "劳动技能“强劳动力”不在取值范围", "强劳动力")


def _plant_shetan(w: _World, from_sanhe: Person) -> None:
    """社坛镇: full-width ID, 15-digit ID, cross-township duplicate, bad 务工状态."""
    t, adult = "社坛镇", _adult(w)
    p = _pick(w, t, adult)
    _mark(
        p,
        "id_number",
        "ok_normalised",
        "身份证号全部为全角数字（规范化后有效）",
        _fullwidth(p.id_number),
    )
    p = _pick(w, t, lambda q: q.born.year < 1980 and q.id_number.startswith(_COUNTY_REGION))
    _mark(
        p,
        "id_number",
        "id_15_digit",
        "15 位旧身份证号（升位后有效）",
        p.id_number[:6] + p.id_number[8:17],
    )
    p = _pick(w, t, adult)
    _mark(p, "work_status", "bad_category", "务工状态“打工”不在取值范围", "打工")
    _duplicate(w, from_sanhe, t, 0, "三合街道已登记的人，社坛镇又登记一次（后一个文件）")


def _plant_nantianhu(w: _World) -> None:
    """南天湖镇: lowercase x, spaces inside IDs, a row without a name."""
    t, adult = "南天湖镇", _adult(w)
    p = _pick(w, t, adult)
    _reissue(w, p, wanted=lambda i: i.endswith("X"))
    _mark(p, "id_number", "ok_normalised", "校验位为小写 x（规范化后有效）", p.id_number[:17] + "x")
    p = _pick(w, t, adult)
    i = p.id_number
    _mark(
        p,
        "id_number",
        "ok_normalised",
        "身份证号中间有空格（规范化后有效）",
        f"{i[:6]} {i[6:14]} {i[14:]}",
    )
    p = _pick(w, t, adult)
    i = p.id_number
    _mark(
        p,
        "id_number",
        "ok_normalised",
        "身份证号前后和中间有空格（规范化后有效）",
        f" {i[:10]} {i[10:]}  ",
    )
    p = _pick(w, t, adult)
    _mark(p, "name", "missing_required", "有身份证号、无姓名", "")


def _plant_sanjian(w: _World) -> None:
    """三建乡: IDs typed as numbers (one of them even passes the check)."""
    t, adult = "三建乡", _adult(w)
    for note in (
        "身份证号为数值单元格，Excel 只保留 15 位有效数字",
        "身份证号为数值单元格（后三位变成 000）",
    ):
        p = _pick(w, t, adult)
        _mark(p, "id_number", "id_precision_lost", note, _excel_truncated(p.id_number))
    p = _pick(w, t, lambda q: adult(q) and not q.male and q.id_number.startswith(_COUNTY_REGION))
    _reissue_ending_000(w, p)
    _mark(
        p,
        "id_number",
        "id_precision_lost",
        "数值单元格；真号码恰好以 000 结尾且能通过校验，仍算精度丢失",
        int(p.id_number),
    )


def _plant_problems(w: _World) -> None:
    """Plant the §3 problems, each in the township file whose format makes it likely."""
    _plant_huwei(w)
    from_sanhe = _plant_sanhe(w)
    _plant_longhe(w)
    _plant_shetan(w, from_sanhe)
    _plant_nantianhu(w)
    _plant_sanjian(w)


# ---------------------------------------------------------------------------- ordinary records


def _ordinary_start(w: _World) -> dt.date:
    """A start date long enough ago to be stable and outside the 12-month change window."""
    earliest, latest = dt.date(2015, 1, 1), last_day(w.mo(13))
    return earliest + dt.timedelta(days=w.rng.randrange((latest - earliest).days + 1))


def _steady_job(
    w: _World, p: Person, e: Employer, full_time: bool = True, insured: bool = True
) -> None:
    """A long-running job, sometimes after an earlier one that ended before it began."""
    start = _ordinary_start(w)
    if w.rng.random() < 0.2:
        before = [x for x in w.county if x is not e]
        old = w.rng.choice(before)
        old_start = start - dt.timedelta(days=w.rng.randrange(400, 1500))
        old_end = start - dt.timedelta(days=w.rng.randrange(1, 60))
        w.job(p, old, old_start, old_end)
        w.pay(p, old, w.span(old_start, month_of(old_end)))
    w.job(p, e, start, full_time=full_time)
    if insured and e.types:
        w.pay(p, e, w.span(start))


def _ordinary_records(w: _World, p: Person) -> None:
    """Records matching what the roster says, with the gaps real exports have."""
    rng, status = w.rng, p.status
    if status == "县内务工" and rng.random() < 0.85:
        e = rng.choice(w.county)
        _steady_job(w, p, e)
    elif status == "县外市内务工" and rng.random() < 0.8:
        e = rng.choice(w.chongqing)
        _steady_job(w, p, e)
    elif status in ("市外务工", "省外务工") and rng.random() < 0.7:
        e = rng.choice(w.away)
        _steady_job(w, p, e)
    elif status == "就业帮扶车间":
        e = rng.choice(w.workshops)
        _steady_job(w, p, e, full_time=False, insured=rng.random() < 0.5)
    elif status == "公益性岗位" and rng.random() < 0.9:
        e = w.governments[p.township]
        _steady_job(w, p, e, full_time=False, insured=False)
    elif status == "灵活就业" and rng.random() < 0.4:
        e = rng.choice(w.county)
        _steady_job(w, p, e, full_time=False, insured=False)
    elif status == "未务工" and rng.random() < 0.2:
        e = rng.choice(w.county)
        start = first_day(w.mo(30)) + dt.timedelta(days=rng.randrange(200))
        end = last_day(w.mo(3 + rng.randrange(12)))
        w.job(p, e, start, end)
        w.pay(p, e, w.span(start, month_of(end)))
        return
    else:
        _roster_place(w, p, status)
        return
    w.works_at(p, e)


def _roster_place(w: _World, p: Person, status: str) -> None:
    """务工地点 for someone working without any record the bureau can see."""
    if status in ("县内务工", "自主创业", "灵活就业", "公益性岗位"):
        p.place = f"丰都县{p.township}"
    elif status == "县外市内务工":
        p.place = w.rng.choice(("重庆市渝北区", "重庆市九龙坡区", "重庆市涪陵区"))
    elif status in ("市外务工", "省外务工"):
        p.place = w.rng.choice(("广东省东莞市", "浙江省宁波市", "福建省泉州市", "山东省济南市"))


def _outsider_records(w: _World) -> None:
    """People on no roster (the exports cover the whole county), two with bad rows."""
    for index in range(36):
        region = _COUNTY_REGION if index % 6 else w.rng.choice(("500101", "500102", "510521"))
        p = w.outsider(region)
        pool = w.county if index % 5 else w.chongqing if index % 10 else w.away
        _steady_job(w, p, w.rng.choice(pool))
    p = w.outsider()
    job = w.job(p, w.rng.choice(w.county), w.day(20, 11))
    wrong = next(d for d in "0123456789X" if d != p.id_number[17])
    job.values["id_number"] = p.id_number[:17] + wrong
    job.marks.append(("id_number", "id_checksum", "就业登记身份证号校验位错误"))
    p = w.outsider()
    job = w.job(p, w.rng.choice(w.county), w.day(30, 2))
    job.values["end_date"] = f"{w.m // 100}-02-30"
    job.marks.append(("end_date", "bad_date", "就业结束日期为不存在的 2 月 30 日"))


def _build(month: int, seed: int) -> _World:
    """Invent the whole month in a fixed order (so the seed fixes every value)."""
    w = _World(month, seed)
    _populate(w)
    _place_scenarios(w)
    _plant_problems(w)
    for p in list(w.people):
        if not _is_scenario(p):
            _ordinary_records(w, p)
    _outsider_records(w)
    _make_workshop_employees(w)
    return w


def _is_scenario(p: Person) -> bool:
    """Is ``p`` one of the hand-made people (whose records are made by their scenario)?"""
    return p.row is not None and any(kind == "scenario" for kind, *_ in p.row.marks)


def _make_workshop_employees(w: _World) -> None:
    """Workshops always have a few local people on their books besides the roster ones."""
    for e in w.workshops:
        for _ in range(2):
            _steady_job(w, w.outsider(), e, full_time=False, insured=False)


# ---------------------------------------------------------------------------- layouts

Cell = str | int | float | dt.date | None


@dataclass
class Sheet:
    """A worksheet as cell rows (index 0 = Excel row 1), merged ranges and header rows."""

    name: str
    rows: list[list[Cell]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    header_rows: tuple[int, ...] = (0,)
    date_format: str = "yyyy-mm-dd"


@dataclass
class Book:
    """An Excel file to write: .xlsx (xlsxwriter) or .xls (xlwt), by its suffix."""

    path: str
    sheets: list[Sheet]


@dataclass
class CsvFile:
    """A CSV file to write: lines of fields, None for an empty line."""

    path: str
    lines: list[list[str] | None]
    encoding: str
    newline: str = "\r\n"


Output = Book | CsvFile
Header = tuple[tuple[str, str], ...]  # (header text, canonical column or _extra)

_HUWEI: Header = (
    ("序号", "_seq"), ("乡镇", "township"), ("村（社区）", "village"), ("户编号", "household_id"),
    ("姓名", "name"), ("身份证号码", "id_number"), ("与户主关系", "relation"),
    ("人员类别", "category"), ("劳动技能", "labor_capacity"), ("务工状态", "work_status"),
    ("务工地点", "work_place"), ("联系电话", "phone"), ("银行账号", "bank_account"),
)  # fmt: skip
_SANHE_SINGLE: Header = (("序号", "_seq"), ("乡镇（街道）", "township"), ("村（居）", "village"),
                         ("户号", "household_id"))  # fmt: skip
_SANHE_GROUPS: tuple[tuple[str, Header], ...] = (
    ("基本信息", (("姓名", "name"), ("身份证号", "id_number"), ("与户主关系", "relation"),
                  ("人员属性", "category"), ("劳动能力", "labor_capacity"))),
    ("务工情况", (("务工状态", "work_status"), ("务工地点", "work_place"),
                  ("务工单位", "employer_name"))),
)  # fmt: skip
_SANHE_TAIL: Header = (("手机号", "phone"), ("银行卡号", "bank_account"))
_LONGHE: Header = (
    ("序号", "_seq"), ("所在乡镇", "township"), ("行政村", "village"), ("家庭编号", "household_id"),
    ("姓名", "name"), ("身份证", "id_number"), ("家庭关系", "relation"), ("户类型", "category"),
    ("劳动力类型", "labor_capacity"), ("就业状态", "work_status"), ("就业地点", "work_place"),
    ("手机号码", "phone"), ("一卡通账号", "bank_account"),
)  # fmt: skip
_SHETAN: Header = (
    ("序号", "_seq"), ("镇街", "township"), ("村社区", "village"), ("户主编号", "household_id"),
    ("户主或成员姓名", "name"), ("公民身份号码", "id_number"), ("与户主关系", "relation"),
    ("对象类别", "category"), ("劳动技能", "labor_capacity"), ("务工状态", "work_status"),
    ("务工地点", "work_place"), ("联系电话", "phone"), ("银行账号", "bank_account"),
)  # fmt: skip
_NANTIANHU: Header = (
    ("乡镇名称", "township"), ("村名", "village"), ("户编号", "household_id"),
    ("人员姓名", "name"), ("证件号码", "id_number"), ("家庭关系", "relation"),
    ("户属性", "category"), ("劳力状况", "labor_capacity"), ("当前务工状态", "work_status"),
    ("务工去向", "work_place"), ("联系方式", "phone"), ("银行卡号", "bank_account"),
)  # fmt: skip
_SANJIAN: Header = (
    ("序号", "_seq"), ("乡镇", "township"), ("所在村", "village"), ("户编号", "household_id"),
    ("姓名", "name"), ("身份证件号码", "id_number"), ("与户主关系", "relation"),
    ("人员类别", "category"), ("劳动力状况", "labor_capacity"), ("务工状态", "work_status"),
    ("务工地址", "work_place"), ("工作单位", "employer_name"), ("电话", "phone"),
    ("社保卡号", "bank_account"), ("登记日期", "_regdate"), ("备注", "_remark"),
)  # fmt: skip
_EMPLOYMENT: Header = (
    ("身份证号码", "id_number"), ("姓名", "name"), ("用人单位名称", "employer_name"),
    ("统一社会信用代码", "employer_code"), ("就业开始日期", "start_date"),
    ("就业结束日期", "end_date"), ("就业形式", "employment_type"), ("就业地区", "work_region"),
)  # fmt: skip
_INSURANCE_CSV: Header = (
    ("身份证号码", "id_number"), ("姓名", "name"), ("统一社会信用代码", "employer_code"),
    ("单位名称", "employer_name"), ("费款所属期", "period"), ("险种", "insurance_type"),
    ("缴费基数", "base"), ("单位缴费", "employer_amount"), ("个人缴费", "personal_amount"),
)  # fmt: skip
_INSURANCE_XLSX: Header = (
    ("身份证号码", "id_number"), ("姓名", "name"), ("单位编码", "employer_code"),
    ("参保单位", "employer_name"), ("费款所属期", "period"), ("险种", "insurance_type"),
    ("缴费基数", "base"), ("单位缴费", "employer_amount"), ("个人缴费", "personal_amount"),
)  # fmt: skip


def roster_file_names(month: int) -> dict[str, str]:
    """Township → roster file (relative path); names differ like real submissions do."""
    y, mo = divmod(month, 100)
    return {
        "虎威镇": f"rosters/虎威镇-{y}年{mo}月台账.xlsx",
        "三合街道": f"rosters/三合街道-脱贫劳动力务工台账-{month}.xlsx",
        "龙河镇": f"rosters/龙河镇{y}年{mo}月务工台账.xls",
        "社坛镇": f"rosters/社坛镇{y}年{mo}月台账.csv",
        "南天湖镇": f"rosters/南天湖镇务工台账{month}.csv",
        "三建乡": f"rosters/三建乡台账（{y}年{mo}月）.xlsx",
    }


class _Layout:
    """Turns the world into files, recording where each marked row lands."""

    def __init__(self, w: _World) -> None:
        self.w = w
        self.planted: list[Planted] = []
        self.files = roster_file_names(w.m)

    def rows_of(self, township: str, group: int | None = None) -> list[RosterRow]:
        """Roster rows of a township (one group of villages), households in order, then extras."""
        people = [
            p
            for p in self.w.people
            if p.township == township and (group is None or p.group == group)
        ]
        people.sort(key=lambda p: (p.household_id, p.order))
        rows = [p.row for p in people if p.row is not None]
        return rows + self.w.tail_rows.get((township, group or 0), [])

    def record(
        self, row: RosterRow, file: str, sheet: str, number: int, cells: dict[str, Cell]
    ) -> None:
        """Turn the marks of ``row`` into Planted entries at Excel row / CSV line ``number``."""
        for kind, column, code, note in row.marks:
            value = cells.get(column, "") if column else _text(cells.get("id_number"))
            self.planted.append(
                Planted(kind, file, sheet, number, column, code, note, _text(value))
            )

    def place(
        self,
        rows: list[RosterRow],
        header: Header,
        file: str,
        sheet: str,
        first: int,
        extras: Callable[[RosterRow], dict[str, Cell]] | None = None,
    ) -> list[list[Cell]]:
        """Cells for ``rows`` under ``header``, the first at Excel row ``first``."""
        out = []
        for index, row in enumerate(rows):
            cells: dict[str, Cell] = {key: row.cell(key) for _, key in header}  # type: ignore[misc]
            cells["_seq"] = index + 1
            cells.update(extras(row) if extras else {})
            cells.update({h: cells[key] for h, key in header if key.startswith("_")})
            self.record(row, file, sheet, first + index, cells)
            out.append([cells[key] for _, key in header])
        return out


def _text(value: object) -> str:
    """A cell as text for the manifest: numbers in digits, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _lay_huwei(lay: _Layout) -> Book:
    """Title row merged across, blank row, header, data, 合计 row, signature footer."""
    w, file = lay.w, lay.files["虎威镇"]
    y, mo = divmod(w.m, 100)
    rows = lay.rows_of("虎威镇")
    width = len(_HUWEI)
    data = lay.place(rows, _HUWEI, file, "务工台账", first=4)
    total: list[Cell] = ["合计", "", "", "", f"{len(data)}人"]
    sheet_rows: list[list[Cell]] = [
        [f"丰都县虎威镇脱贫劳动力务工台账（{y}年{mo}月）"], [], [h for h, _ in _HUWEI], *data,
        total, [], ["填表人：陈秀英        审核人：刘建国"], [f"填报日期：{y}年{mo}月28日"],
    ]  # fmt: skip
    end = len(sheet_rows) - 1
    merges = [(0, 0, 0, width - 1), (end - 1, 0, end - 1, 6), (end, 0, end, 6)]
    return Book(file, [Sheet("务工台账", sheet_rows, merges, header_rows=(0, 2))])


def _lay_sanhe(lay: _Layout) -> Book:
    """Two header rows: group titles merged across, single columns merged down."""
    file = lay.files["三合街道"]
    groups = [cols for _, cols in _SANHE_GROUPS]
    header: Header = _SANHE_SINGLE + tuple(c for cols in groups for c in cols) + _SANHE_TAIL
    top: list[Cell] = [h for h, _ in header]
    bottom: list[Cell] = [""] * len(header)
    merges = []
    col = len(_SANHE_SINGLE)
    for title, cols in _SANHE_GROUPS:
        top[col : col + len(cols)] = [title] + [""] * (len(cols) - 1)
        bottom[col : col + len(cols)] = [h for h, _ in cols]
        merges.append((0, col, 0, col + len(cols) - 1))
        col += len(cols)
    merges += [(0, c, 1, c) for c, cell in enumerate(bottom) if cell == ""]
    for c in range(len(header)):
        if bottom[c] == "":
            top[c] = header[c][0]
    data = lay.place(lay.rows_of("三合街道"), header, file, "Sheet1", first=3)
    return Book(file, [Sheet("Sheet1", [top, bottom, *data], merges, header_rows=(0, 1))])


def _lay_longhe(lay: _Layout) -> Book:
    """Old .xls: two sheets with their own header (columns in another order), and notes."""
    file = lay.files["龙河镇"]
    kept = (h for h in _LONGHE if h[1] not in ("phone", "bank_account"))
    second: Header = (*kept, ("一卡通账号", "bank_account"), ("手机号码", "phone"))
    sheets = []
    for group, (name, header) in enumerate((("一组", _LONGHE), ("二组", second))):
        data = lay.place(lay.rows_of("龙河镇", group), header, file, name, first=2)
        sheets.append(Sheet(name, [[h for h, _ in header], *data]))
    notes: list[list[Cell]] = [
        ["填表说明："], ["1. 一组为太平村、新桥村，二组为石板村、鹿鸣村。"],
        ["2. 务工状态按县人力社保局口径填写，外出务工须填写到市（州）。"],
        ["3. 本表由村（社区）填报，镇劳动保障所汇总，联系电话 70612345。"],
    ]  # fmt: skip
    sheets.append(Sheet("说明", notes, header_rows=()))
    return Book(file, sheets)


def _lay_shetan(lay: _Layout) -> CsvFile:
    """GBK CSV, the township column empty everywhere, blank lines between villages."""
    file = lay.files["社坛镇"]
    rows = lay.rows_of("社坛镇")
    lines: list[list[str] | None] = [[h for h, _ in _SHETAN]]
    previous = rows[0].person.village if rows else ""
    for index, row in enumerate(rows):
        if row.person.village != previous and row.person.township == "社坛镇":
            lines.append(None)
            previous = row.person.village
        cells: dict[str, Cell] = {key: row.cell(key) for _, key in _SHETAN}
        cells.update({"_seq": index + 1, "township": ""})
        lay.record(row, file, "", len(lines) + 1, cells)
        lines.append([_text(cells[key]) for _, key in _SHETAN])
    return CsvFile(file, [*lines, None, None], "gbk")


def _padded(rng: random.Random, value: str) -> str:
    """Spaces around (and, for places, inside) a value, as copy-pasting leaves them."""
    if not value or rng.random() > 0.25:
        return value
    if value[:3].endswith(("省", "市")) and rng.random() < 0.5:
        return value[:3] + " " + value[3:]
    return rng.choice((" " + value, value + " ", " " + value + "  "))


def _lay_nantianhu(lay: _Layout) -> CsvFile:
    """UTF-8 with BOM, three empty trailing columns, spaces inside values."""
    w, file = lay.w, lay.files["南天湖镇"]
    lines: list[list[str] | None] = [[h for h, _ in _NANTIANHU] + ["", "", ""]]
    for row in lay.rows_of("南天湖镇"):
        cells: dict[str, Cell] = {}
        for _, key in _NANTIANHU:
            value = _text(row.cell(key))
            cells[key] = value if key == "id_number" else _padded(w.rng, value)
        lay.record(row, file, "", len(lines) + 1, cells)
        lines.append([_text(cells[key]) for _, key in _NANTIANHU] + ["", "", ""])
    return CsvFile(file, lines, "utf-8-sig")


def _registration_cell(rng: random.Random, day: dt.date) -> Cell:
    """登记日期 as typed: a date cell, '2021.9.13', '2021年9月13日' or a bare serial number."""
    style = rng.choices(("date", "dots", "zh", "serial"), weights=(55, 15, 15, 15))[0]
    if style == "dots":
        return f"{day.year}.{day.month}.{day.day}"
    if style == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "serial":
        return (day - dt.date(1899, 12, 30)).days
    return day


def _lay_sanjian(lay: _Layout) -> Book:
    """IDs as numbers on planted rows, mixed 登记日期 formats, extra 备注 column."""
    w, file = lay.w, lay.files["三建乡"]
    rows = lay.rows_of("三建乡")
    plain = [r for r in rows if not r.marks]
    bad = plain[w.rng.randrange(len(plain))]
    bad.marks.append(
        ("roster", "登记日期", "bad_date", "登记日期“2021.13.45”不是日期（该列不是标准列）")
    )
    remarks = ("", "", "", "", "已核实", "新增", "外出务工未返乡", "电话已变更", "户主代填")

    def extras(row: RosterRow) -> dict[str, Cell]:
        day = w.birth(2021, 2023) if row is not bad else None
        return {
            "_regdate": _registration_cell(w.rng, day) if day else "2021.13.45",
            "_remark": w.rng.choice(remarks),
        }

    data = lay.place(rows, _SANJIAN, file, "三建乡", first=2, extras=extras)
    return Book(file, [Sheet("三建乡", [[h for h, _ in _SANJIAN], *data], date_format="yyyy/m/d")])


def _record_rows(
    lay: _Layout,
    records: list[Record],
    header: Header,
    file: str,
    sheet: str,
    kind: str,
    first: int = 2,
) -> list[list[Cell]]:
    """Cells of export rows, recording their marks."""
    out = []
    for index, rec in enumerate(records):
        for column, code, note in rec.marks:
            value = _text(rec.values.get(column))
            lay.planted.append(Planted(kind, file, sheet, first + index, column, code, note, value))
        out.append([rec.values.get(key) for _, key in header])
    return out


def _lay_employment(lay: _Layout) -> Book:
    """The employment-service export, one sheet, sorted by start date."""
    file = f"employment/就业登记导出-{lay.w.m}.xlsx"
    jobs = sorted(lay.w.jobs, key=lambda r: (r.values["start_date"], r.values["id_number"]))
    data = _record_rows(lay, jobs, _EMPLOYMENT, file, "就业登记", "employment")
    return Book(file, [Sheet("就业登记", [[h for h, _ in _EMPLOYMENT], *data])])


def _lay_insurance(lay: _Layout) -> list[Output]:
    """Contributions: earlier years as UTF-8 CSV, the month's year as .xlsx; one bad 基数."""
    w = lay.w
    order = {kind: i for i, kind in enumerate(_ALL_TYPES)}
    rows = sorted(
        w.contributions,
        key=lambda r: (
            r.values["period"],
            r.values["employer_code"],
            r.values["id_number"],
            order[r.values["insurance_type"]],
        ),
    )
    this_year = str(w.m // 100)
    current = [r for r in rows if str(r.values["period"]).startswith(this_year)]
    outsiders = {p.id_number for p in w.outsiders}
    candidates = [r for r in current if r.values["id_number"] in outsiders]
    bad = candidates[w.rng.randrange(len(candidates))]
    bad.values["base"] = "待核定"
    bad.marks.append(("base", "bad_number", "缴费基数填成了“待核定”"))
    outputs: list[Output] = []
    for year in sorted({str(r.values["period"])[:4] for r in rows} - {this_year}):
        part = [r for r in rows if str(r.values["period"]).startswith(year)]
        lines: list[list[str] | None] = [[h for h, _ in _INSURANCE_CSV]]
        lines += [[_money(r.values[key]) for _, key in _INSURANCE_CSV] for r in part]
        outputs.append(CsvFile(f"insurance/{year}.csv", lines, "utf-8", "\n"))
    file = f"insurance/{this_year}-01_{w.m % 100:02d}.xlsx"
    data = _record_rows(lay, current, _INSURANCE_XLSX, file, "缴费明细", "insurance")
    outputs.append(Book(file, [Sheet("缴费明细", [[h for h, _ in _INSURANCE_XLSX], *data])]))
    return outputs


def _money(value: object) -> str:
    """Amounts with two decimals, other values as text."""
    return f"{value:.2f}" if isinstance(value, int | float) else _text(value)


def _lay_lists(lay: _Layout) -> list[Output]:
    """The bureau's own lists: recognised workshops and market entities of roster people."""
    w = lay.w
    workshops: list[list[Cell]] = [["车间名称", "统一社会信用代码", "乡镇", "认定日期"]]
    for (name, _, _, town, day), e in zip(_WORKSHOPS, w.workshops, strict=True):
        workshops.append([name, e.code, town, day])
    businesses: list[list[Cell]] = [
        ["市场主体名称", "统一社会信用代码", "经营者姓名", "经营者身份证号码", "成立日期"]
    ]
    for e, owner, day in w.businesses:
        businesses.append([e.name, e.code, owner.name, owner.id_number, day])
    return [
        Book("workshops/就业帮扶车间名单.xlsx", [Sheet("车间名单", workshops)]),
        Book("businesses/市场主体名单.xlsx", [Sheet("Sheet1", businesses)]),
    ]


def _lay_out(w: _World) -> tuple[list[Output], list[Planted]]:
    """Every output file of the month, and every planted item with its position."""
    lay = _Layout(w)
    outputs: list[Output] = [
        _lay_huwei(lay),
        _lay_sanhe(lay),
        _lay_longhe(lay),
        _lay_shetan(lay),
        _lay_nantianhu(lay),
        _lay_sanjian(lay),
        _lay_employment(lay),
        *_lay_insurance(lay),
        *_lay_lists(lay),
    ]
    return outputs, lay.planted


# ---------------------------------------------------------------------------- writers


def _display_width(value: Cell) -> int:
    """Columns a value takes on screen (CJK characters count twice)."""
    text = _text(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(sheet: Sheet) -> list[int]:
    """Column widths that fit the first rows (titles in merged cells ignored)."""
    body = [r for r in sheet.rows[:60] if len(r) > 1]
    columns = max((len(r) for r in body), default=0)
    return [
        min(40, max([_display_width(r[c]) for r in body if c < len(r)] + [4]) + 2)
        for c in range(columns)
    ]


def _write_xlsx(book: Book, path: Path, created: dt.datetime) -> None:
    """Write with xlsxwriter: strings stay strings, ints/floats numbers, dates date cells."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": created, "author": "fengdu sample"})
    bold = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True})
    for sheet in book.sheets:
        ws = wb.add_worksheet(sheet.name)
        date = wb.add_format({"num_format": sheet.date_format})
        for c, width in enumerate(_widths(sheet)):
            ws.set_column(c, c, width)
        for r, row in enumerate(sheet.rows):
            style = bold if r in sheet.header_rows else None
            for c, value in enumerate(row):
                _write_cell(ws, r, c, value, style, date)
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_range(
                r1,
                c1,
                r2,
                c2,
                sheet.rows[r1][c1] if c1 < len(sheet.rows[r1]) else "",
                bold if r1 in sheet.header_rows else None,
            )
    wb.close()


def _write_cell(ws, r: int, c: int, value: Cell, style, date) -> None:
    """Write one cell with the right xlsxwriter call (empty cells stay empty)."""
    if value is None or value == "":
        return
    if isinstance(value, dt.date):
        ws.write_datetime(r, c, value, date)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, style)
    else:
        ws.write_string(r, c, value, style)


def _write_xls(book: Book, path: Path) -> None:
    """Write an old Excel 97-2003 file with xlwt (text as text, numbers as numbers)."""
    wb = xlwt.Workbook(encoding="utf-8")
    bold = xlwt.easyxf("font: bold on; align: horiz center")
    for sheet in book.sheets:
        ws = wb.add_sheet(sheet.name)
        for c, width in enumerate(_widths(sheet)):
            ws.col(c).width = 256 * width
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if r in sheet.header_rows:
                    ws.write(r, c, value, bold)
                else:
                    ws.write(r, c, value)
    wb.save(str(path))


def _write_csv(file: CsvFile, path: Path) -> None:
    """Write lines with the file's encoding and line ending (None = empty line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=file.newline)
    for line in file.lines:
        if line is None:
            buffer.write(file.newline)
        else:
            writer.writerow(line)
    path.write_bytes(buffer.getvalue().encode(file.encoding))


def _write(output: Output, out_dir: Path, created: dt.datetime) -> None:
    """Write one output file under ``out_dir`` by its type."""
    path = out_dir / output.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(output, CsvFile):
        _write_csv(output, path)
    elif output.path.endswith(".xls"):
        _write_xls(output, path)
    else:
        _write_xlsx(output, path, created)


# ---------------------------------------------------------------------------- entry point


def make_sample(out_dir: Path, month: int = 202406, seed: int = 2024) -> SampleManifest:
    """Write a whole month folder under ``out_dir`` and return what was planted where.

    Writes rosters/, employment/, insurance/, workshops/, businesses/, plus ``planted.json``
    (this manifest) and ``README.md`` at the top. Existing files of the same names are
    replaced; nothing else in ``out_dir`` is touched.
    """
    world = _build(month, seed)
    outputs, planted = _lay_out(world)
    out_dir.mkdir(parents=True, exist_ok=True)
    created = dt.datetime.combine(dt.date(month // 100, month % 100, 28), dt.time(9, 0))
    for output in outputs:
        _write(output, out_dir, created)
    files = sorted([o.path for o in outputs] + ["README.md", "planted.json"])
    order = {"roster": 0, "scenario": 1, "employment": 2, "insurance": 3}
    planted.sort(key=lambda p: (order.get(p.kind, 9), p.file, p.sheet, p.row, p.column, p.code))
    manifest = SampleManifest(
        month, tuple(planted), sum(p.on_roster for p in world.people), tuple(files)
    )
    (out_dir / "README.md").write_text(readme(manifest), encoding="utf-8")
    (out_dir / "planted.json").write_text(manifest_json(manifest), encoding="utf-8")
    return manifest


def manifest_json(manifest: SampleManifest) -> str:
    """The manifest as stable, readable JSON (what ``planted.json`` holds)."""
    data = {
        "month": manifest.month,
        "people": manifest.people,
        "files": list(manifest.files),
        "planted": [asdict(p) for p in manifest.planted],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def load_manifest(path: Path) -> SampleManifest:
    """Read a ``planted.json`` back into a SampleManifest."""
    data = json.loads(path.read_text(encoding="utf-8"))
    planted = tuple(Planted(**item) for item in data["planted"])
    return SampleManifest(data["month"], planted, data["people"], tuple(data["files"]))


# ---------------------------------------------------------------------------- README

_QUIRKS: dict[str, str] = {
    "虎威镇": "标题行跨列合并、空行、表头在第 3 行；末尾“合计”行和“填表人/审核人/填报日期”页脚"
    " · title row merged across, blank row, header on row 3, 合计 subtotal and signature footer",
    "三合街道": "两行表头：“基本信息”“务工情况”横向合并，单列（序号、乡镇…）纵向合并"
    " · two-row header, group titles merged across, single columns merged down",
    "龙河镇": "旧 .xls；“一组”“二组”两个表各有表头且列顺序不同，“说明”表只有文字"
    " · old .xls, sheets 一组/二组 with their own header (columns reordered), 说明 sheet of notes",
    "社坛镇": "GBK 编码 CSV；表头别名 公民身份号码/户主或成员姓名/镇街；镇街列全空（乡镇取自文件名）；有空行"
    " · GBK CSV, alias headers, township column empty (taken from the file name), blank lines",
    "南天湖镇": "UTF-8 BOM CSV；每行末尾多 3 个空列；值前后和中间有空格；表头用自己的说法"
    "（户属性、劳力状况、当前务工状态、务工去向，按关键词识别）"
    " · UTF-8 CSV with BOM, 3 trailing empty columns, spaces inside values, headers in its own"
    " words (recognised by keywords)",
    "三建乡": "部分身份证号是数值单元格（丢精度）；“登记日期”混合格式（日期、2021.9.13、2021年9月13日、序列号、一个坏日期）；多出“备注”列"
    " · some IDs are number cells (precision lost), mixed 登记日期 formats, extra 备注 column",
}


def readme(manifest: SampleManifest) -> str:
    """The folder's README: what it holds, how it was made, each file's quirks."""
    y, mo = divmod(manifest.month, 100)
    names = roster_file_names(manifest.month)
    problems: dict[str, int] = {}
    scenarios: dict[str, int] = {}
    for p in manifest.planted:
        counts = scenarios if p.kind == "scenario" else problems
        counts[p.code] = counts.get(p.code, 0) + 1
    lines = [
        f"# 丰都县 {y} 年 {mo} 月样例数据 · Fengdu sample month {y}-{mo:02d}",
        "",
        "虚构的一个月数据（人名、身份证号、单位均为编造），用于演示和测试。"
        " · An invented month (people, IDs and employers are made up) for demos and tests.",
        "",
        "由 `fengdu demo --make-data DIR`（`fengdu_cli.sample.make_sample`）生成，请勿手工修改。"
        " · Generated by `fengdu demo --make-data DIR` (`fengdu_cli.sample.make_sample`); do not edit by hand.",
        "",
        "`planted.json` 列出每个故意埋入的问题和场景（文件、工作表、行、列、代码）。"
        " · `planted.json` lists every planted problem and scenario (file, sheet, row, column, code).",
        "",
        f"台账人数 · persons on the rosters: {manifest.people}",
        "",
        "## 文件 · Files",
        "",
    ]
    for township, quirk in _QUIRKS.items():
        lines.append(f"- `{names[township]}` — {quirk}")
    lines += [
        f"- `employment/就业登记导出-{manifest.month}.xlsx` — 就业登记导出（含一行校验位错误、一行坏日期）"
        " · employment registrations (one bad ID, one bad date)",
        *[
            f"- `{f}` — 社保缴费明细（每人每月每险种一行） · insurance contributions, one row per person × month × type"
            for f in manifest.files
            if f.startswith("insurance/")
        ],
        "- `workshops/就业帮扶车间名单.xlsx` — 就业帮扶车间名单 · recognised employment-assistance workshops",
        "- `businesses/市场主体名单.xlsx` — 台账人员创办的市场主体 · businesses owned by roster people",
        "",
        "## 埋入的问题 · Planted problems (`ok_normalised`: odd but valid IDs)",
        "",
        *[f"- `{code}`: {n}" for code, n in sorted(problems.items())],
        "",
        "## 场景（手工构造的人员）· Scenarios (hand-made people; `edge_*` must NOT be flagged)",
        "",
        *[f"- `{code}`: {n}" for code, n in sorted(scenarios.items())],
        "",
    ]
    return "\n".join(lines)
