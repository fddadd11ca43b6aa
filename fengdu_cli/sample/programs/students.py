"""students/: the 雨露计划 list of the school year and the list of graduates of difficult
families (困难家庭学生求职创业补贴), both of young people the rosters already list.

The 雨露计划 list (a title row, the household by 户编号 — or only the guardian's ID, or
nothing but the student's own ID —, levels as clerks write them: 中专, 技工学校（中级工）,
大专 …) holds students of 脱贫 / 监测 households, one 本科 student (a level the notice does
not pay) and one student of a 农村低收入人口 household (not among 雨露计划's categories).
The graduates' list holds students in their graduation year (在校) and graduates who
left school unemployed, one of them outside the two-year window and one graduating only
next year.
"""

from __future__ import annotations

from fengdu_cli.dates import last_day
from fengdu_cli.idcard import completed_years
from fengdu_cli.sample.layouts import Book, Sheet, _Layout
from fengdu_cli.sample.programs import Listed, rng_for
from fengdu_cli.sample.world import Cell, Person

_SECONDARY_SCHOOLS = ("丰都县职业教育中心", "重庆市三峡职业技工学校", "丰都县第二职业中学")
_HIGHER_SCHOOLS = ("重庆三峡职业学院", "重庆工程职业技术学院", "重庆城市管理职业学院")
# (level as written, the school it goes with)
_YULU_LEVELS = (
    ("中职", _SECONDARY_SCHOOLS[0]),
    ("高职", _HIGHER_SCHOOLS[0]),
    ("中专", _SECONDARY_SCHOOLS[2]),
    ("大专", _HIGHER_SCHOOLS[1]),
    ("技工学校（中级工）", _SECONDARY_SCHOOLS[1]),
    ("高职专科", _HIGHER_SCHOOLS[2]),
)
_YULU_HEADER = ("序号", "乡镇", "学生姓名", "身份证号码", "户编号", "监护人姓名", "监护人身份证号码",
                "就读学校", "学历层次", "学年")  # fmt: skip
_GRADUATE_HEADER = ("序号", "乡镇", "姓名", "身份证号", "户编号", "毕业院校", "学历", "毕业时间",
                    "类别")  # fmt: skip


def _age(lay: _Layout, p: Person) -> int:
    return completed_years(p.born, last_day(lay.w.m))


def _students(lay: _Layout) -> list[Person]:
    """Roster people in school aged 15–22 (none carrying a planted problem), oldest first."""
    found = [
        p
        for p in lay.w.people
        if p.on_roster and not p.busy and p.status == "在校生" and 15 <= _age(lay, p) <= 22
    ]
    return sorted(found, key=lambda p: (-_age(lay, p), p.id_number))


def _low_income_student(lay: _Layout) -> Person | None:
    """A young person of a 农村低收入人口 household (the roster lists them), if there is one."""
    found = [
        p
        for p in lay.w.people
        if p.on_roster
        and not p.busy
        and p.category == "农村低收入人口"
        and 15 <= _age(lay, p) <= 22
    ]
    return found[0] if found else None


def lay(lay: _Layout) -> list[Listed]:
    w = lay.w
    rng = rng_for(lay, "students")
    heads = {p.household_id: p for p in w.people if p.on_roster and p.relation == "户主"}
    people = _students(lay)
    graduates, pupils = people[:4], people[4:]
    start = w.m // 100 - (0 if w.m % 100 >= 9 else 1)
    school_year = f"{start}-{start + 1}"

    rows: list[list[Cell]] = []
    chosen = pupils[:7]
    low_income = _low_income_student(lay)
    for n, p in enumerate(chosen):
        head = heads.get(p.household_id)
        level, school = _YULU_LEVELS[n % len(_YULU_LEVELS)]
        if n == 1 and _age(lay, p) >= 18:  # edge: 本科 is not 中职 / 高职
            level, school = "本科", "重庆文理学院"
        household, guardian_name, guardian_id = p.household_id, "", ""
        if head is not None and head is not p:
            guardian_name, guardian_id = head.name, head.id_number
        if n == 2:  # only the guardian's ID: the household is found through it
            household = ""
        if n == 3:  # nothing but the student's own ID
            household, guardian_name, guardian_id = "", "", ""
        rows.append([p.township, p.name, p.id_number, household, guardian_name, guardian_id,
                     school, level, rng.choice((school_year, f"{start}—{start + 1}学年"))])  # fmt: skip
    if low_income is not None:  # edge: 农村低收入人口 only is not among 雨露计划's categories
        head = heads.get(low_income.household_id)
        rows.append([low_income.township, low_income.name, low_income.id_number,
                     low_income.household_id, head.name if head else "",
                     head.id_number if head else "", _HIGHER_SCHOOLS[2], "高职", school_year])  # fmt: skip
    yulu: list[list[Cell]] = [
        [f"丰都县{school_year}学年雨露计划中高职学生补助名单"],
        list(_YULU_HEADER),
        *([n + 1, *row] for n, row in enumerate(rows)),
    ]

    year = w.m // 100
    kinds = (  # (graduation time, kind): two paid, two at the window's edges
        (f"{year}年6月", "毕业年度在校生"),
        (f"{year - 1}年6月", "离校未就业"),
        (f"{year - 3}年6月", "离校未就业"),  # edge: left school 3 years ago
        (f"{year + 1}年6月", "在校"),  # edge: graduates only next year
    )
    graduate_rows: list[list[Cell]] = [
        [f"丰都县困难家庭高校毕业生求职创业补贴申报汇总表（{year}年）"],
        list(_GRADUATE_HEADER),
    ]
    for n, (p, (when, kind)) in enumerate(zip(graduates, kinds, strict=False)):
        graduate_rows.append([n + 1, p.township, p.name, p.id_number, p.household_id,
                              _HIGHER_SCHOOLS[n % len(_HIGHER_SCHOOLS)], "大专", when, kind])  # fmt: skip
    return [
        Listed(
            Book(
                f"students/{school_year}学年雨露计划学生名单.xlsx",
                [
                    Sheet(
                        "雨露计划",
                        yulu,
                        merges=[(0, 0, 0, len(_YULU_HEADER) - 1)],
                        header_rows=(0, 1),
                    )
                ],
            ),
            "雨露计划学生名单（中职/高职，按户编号、监护人或本人身份证号找到家庭）"
            " · 雨露计划 students (secondary/higher vocational)",
        ),
        Listed(
            Book(
                "students/困难家庭高校毕业生求职创业补贴申报表.xlsx",
                [
                    Sheet(
                        "申报汇总",
                        graduate_rows,
                        merges=[(0, 0, 0, len(_GRADUATE_HEADER) - 1)],
                        header_rows=(0, 1),
                    )
                ],
            ),
            "困难家庭学生求职创业补贴申报表（在校 / 离校未就业）"
            " · graduates of difficult families (in school / left school unemployed)",
        ),
    ]
