"""The invented world of one month: people, households, employers, jobs, contributions.

It holds the vocabulary the world is drawn from (names, villages, statuses, employers,
workshops), the records the rosters and exports are made of (``Person``, ``RosterRow``,
``Employer``, ``Record``), ``_World`` with all the state of one generation, and the
ordinary population: households spread over the villages and the records that match what
their roster says, with the gaps real exports have, and the people only the exports know
(two of their employment rows carry a bad ID and a bad date, marked where they are made).
The hand-made scenario people and the roster problems are in ``planted``; how the world
is written out is in ``layouts``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from fengdu_cli.dates import add_months, first_day, last_day, month_of, months_range
from fengdu_cli.idcard import completed_years
from fengdu_cli.sample.codes import bank_for, credit_code, has_account, make_id
from fengdu_cli.townships import TOWNSHIPS

Cell = str | int | float | dt.date | None  # what a written cell holds

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
    cells: dict[str, Cell] = field(default_factory=dict)
    marks: list[tuple[str, str, str, str]] = field(default_factory=list)

    def cell(self, key: str) -> Cell:
        """The value written under canonical column ``key``."""
        if key in self.cells:
            return self.cells[key]
        p = self.person
        return {
            "township": p.township, "village": p.village, "household_id": p.household_id,
            "name": p.name, "id_number": p.id_number, "relation": p.relation,
            "category": p.category, "labor_capacity": p.labor, "work_status": p.status,
            "work_place": p.place, "employer_name": p.employer_name, "phone": p.phone,
            "bank_account": p.bank if _has_account(p) else "",
            "bank": bank_for(p.id_number) if _has_account(p) else "",
        }.get(key, "")  # fmt: skip


ACCOUNT_GAP = 12  # about one roster person in 12 has no account on the roster


def _has_account(p: Person) -> bool:
    """Most roster persons have an account; a few have none (缺少账户信息).  南天湖镇's CSV
    pads its cells with the world's generator, which skips empty cells: its persons all keep
    theirs, so that no other value of the sample moves."""
    return p.township == "南天湖镇" or has_account(p.id_number, ACCOUNT_GAP)


@dataclass
class Record:
    """An employment or insurance row (canonical keys) plus marks like a roster row."""

    values: dict[str, Cell]
    marks: list[tuple[str, str, str]] = field(default_factory=list)  # (column, code, note)


# ---------------------------------------------------------------------------- the builder


class _World:
    """All the state of one generation: people, employers, records. Built in a fixed order."""

    def __init__(self, month: int, seed: int) -> None:
        self.m = month
        self.seed = seed
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
        return months_range(first, self.m if end_month is None else end_month)

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
    age = completed_years(born, last_day(w.m))
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


def _make_workshop_employees(w: _World) -> None:
    """Workshops always have a few local people on their books besides the roster ones."""
    for e in w.workshops:
        for _ in range(2):
            _steady_job(w, w.outsider(), e, full_time=False, insured=False)
