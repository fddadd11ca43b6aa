"""posts/: the public-post holders (公益性岗位在岗人员花名册) of the month.

About a dozen holders, picked from people the world already holds: roster people with weak
or half labour first (the notice prefers them), in their own townships.  Among them, the
boundaries worth showing: a contract of a year and a day, one holder without accident
insurance, one already insured three months running by a company (stably employed
elsewhere), one person the roster does not list, and a standard above the demo's cap.
No person, job or contribution is added.
"""

from __future__ import annotations

import datetime as dt

from fengdu_cli import dates
from fengdu_cli.sample.layouts import Book, Cell, Sheet, _Layout
from fengdu_cli.sample.programs import Listed, rng_for
from fengdu_cli.sample.world import Person

POSTS = (
    "护林员",
    "保洁员",
    "河道巡查员",
    "公路养护员",
    "村级协管员",
    "水利设施管护员",
    "生态护林员",
)
HEADER = [
    "序号", "乡镇（街道）", "岗位名称", "姓名", "身份证号", "用工单位", "合同起始日期",
    "合同终止日期", "是否购买人身意外伤害保险", "岗位补贴标准（元/月）",
]  # fmt: skip
WEAK = "弱劳动力或半劳动力"
ABLE = ("普通劳动力", "技能劳动力")


def _insured_months(lay: _Layout) -> dict[str, set[int]]:
    """Per person: the months any employer insured them (as the export lists them)."""
    months: dict[str, set[int]] = {}
    for record in lay.w.contributions:
        values = record.values
        months.setdefault(str(values["id_number"]), set()).add(int(str(values["period"])))
    return months


def lay(lay: _Layout) -> list[Listed]:
    w = lay.w
    rng = rng_for(lay, "posts")
    insured = _insured_months(lay)
    recent = {dates.add_months(w.m, -k) for k in range(3)}

    def free(p: Person) -> bool:
        return p.on_roster and not p.busy and p.row is not None

    weak = [p for p in w.people if free(p) and p.labor == WEAK and not insured.get(p.id_number)]
    stable = [
        p
        for p in w.people
        if free(p) and p.labor in ABLE and recent <= insured.get(p.id_number, set())
    ]
    outsiders = [o for o in w.outsiders if not recent & insured.get(o.id_number, set())]
    holders = rng.sample(weak, min(11, len(weak)))
    edges: dict[str, Person] = {}
    if stable:
        edges["elsewhere"] = rng.choice(stable)
    if outsiders or w.outsiders:
        edges["outsider"] = rng.choice(outsiders or w.outsiders)
    year_start = dt.date(w.m // 100, 1, 1)
    rows: list[list[Cell]] = [
        [f"丰都县公益性岗位在岗人员花名册（{w.m // 100}年{w.m % 100}月）"],
        list(HEADER),
    ]

    def add(p: Person, township: str, start: dt.date, end: dt.date, bought: str, pay: str) -> None:
        post = rng.choice(POSTS)
        office = w.governments.get(township)
        rows.append([
            str(len(rows) - 1), township, post, p.name, p.id_number,
            office.name if office else f"丰都县{township}人民政府", start, end, bought, pay,
        ])  # fmt: skip

    end_of_year = year_start.replace(month=12, day=31)
    for n, p in enumerate(holders):
        bought = rng.choice(("是", "已购买", "✓"))
        start, end, pay = year_start, end_of_year, rng.choice(("600", "600", ""))
        if n == 0:  # 合同一年零一天: over the limit of one year, on the exit list
            start, end = dt.date(w.m // 100, 3, 1), dt.date(w.m // 100 + 1, 3, 1)
        elif n == 1:  # 未购买人身意外伤害保险
            bought = "否"
        elif n == 2:  # a contract ending on the month's last day: still on the post
            start = dates.first_day(dates.add_months(w.m, -11))
            end = dates.last_day(w.m)
        elif n == 3:  # a standard above the demo's cap (800): paid the cap
            pay = "900"
        add(p, p.township, start, end, bought, pay)
    if "elsewhere" in edges:  # insured by a company three months running: 稳定就业, exit
        p = edges["elsewhere"]
        add(p, p.township, year_start, end_of_year, "是", "600")
    if "outsider" in edges:  # not on the roster: exit
        p = edges["outsider"]
        township = holders[-1].township if holders else "虎威镇"
        add(p, township, year_start, end_of_year, "是", "600")
    book = Book(
        "posts/公益性岗位在岗人员花名册.xlsx",
        [Sheet("在岗人员", rows, merges=[(0, 0, 0, len(HEADER) - 1)], header_rows=(1,))],
    )
    return [
        Listed(
            book,
            "公益性岗位在岗人员（含合同一年零一天、未购买意外险、已在企业稳定就业、不在花名册各一人）"
            " · public-post holders (one contract of a year and a day, one without accident"
            " insurance, one stably employed elsewhere, one not on the roster)",
        )
    ]
