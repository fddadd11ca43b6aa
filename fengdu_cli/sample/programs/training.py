"""training/: the month's training roll — courses of roster people and 以工代训 rows.

About ten roster people with courses that ended in m−1 or m (职业技能培训 and 创业培训),
a 农村低收入人口 among them, and the edges: a course ending on the first day of m+1, one
assessed 不合格, a 监测对象 who is not 脱贫人口.  Then 以工代训 rows for month m at the
employers that employ roster 脱贫人口 at the end of m (鲁渝协作以工代训, one claiming 501
yuan, one listed by an enterprise that does not employ the person) and one county 以工代训
row (that program ended in 2021: its skip line says so).
"""

from __future__ import annotations

import datetime as dt

from fengdu_cli.dates import last_day, month_text
from fengdu_cli.sample.layouts import Book, Sheet, _Layout
from fengdu_cli.sample.programs import Listed, rng_for
from fengdu_cli.sample.world import Cell, Person, Record

HEADER: list[Cell] = [
    "序号", "学员姓名", "公民身份号码", "所在乡镇", "培训工种", "培训类别", "开班日期", "结业日期",
    "出勤天数", "考核结果", "证书编号", "企业名称", "统一社会信用代码", "所属月份", "申请金额",
]  # fmt: skip
COURSES = (
    ("电工", "职业技能培训"), ("中式烹调师", "职业技能培训"), ("育婴员", "职业技能培训"),
    ("焊工", "职业技能培训"), ("家政服务员", "职业技能培训"), ("SYB创业", "创业培训"),
)  # fmt: skip


def _plain(p: Person) -> bool:
    """A roster person whose row carries no planted problem (a usable ID and name)."""
    return p.on_roster and not p.busy and p.row is not None and not p.row.marks


def _active_job(jobs: list[Record], p: Person, end: dt.date) -> Record | None:
    """p's job active at the end of the month, if any (the first found)."""
    for job in jobs:
        v = job.values
        start, stop = v["start_date"], v["end_date"]
        if (
            v["id_number"] == p.id_number
            and isinstance(start, dt.date)
            and start <= end
            and (stop is None or (isinstance(stop, dt.date) and stop >= end))
        ):
            return job
    return None


def lay(lay: _Layout) -> list[Listed]:
    w = lay.w
    rng = rng_for(lay, "training")
    end = last_day(w.m)
    adults = [
        p
        for p in w.people
        if _plain(p)
        and p.labor in ("普通劳动力", "技能劳动力")
        and 18 <= end.year - p.born.year <= 55
    ]
    tuopin = [p for p in adults if p.category == "脱贫人口"]
    low = [p for p in adults if p.category == "农村低收入人口"]
    monitored = [p for p in adults if p.category in ("监测对象", "边缘易致贫户", "突发严重困难户")]
    rows: list[list[Cell]] = []

    def course_row(p: Person, course: str, kind: str, start: dt.date, stop: dt.date,
                   result: str, days: int | None = None) -> None:  # fmt: skip
        certificate = f"S{w.m % 10000:04d}{len(rows) + 1:04d}" if result != "不合格" else None
        attended = days if days is not None else (stop - start).days + 1 - rng.randrange(2)
        rows.append([len(rows) + 1, p.name, p.id_number, p.township, course, kind, start, stop,
                     attended, result, certificate, None, None, None, None])  # fmt: skip

    learners = rng.sample(tuopin, min(7, len(tuopin)))
    for index, p in enumerate(learners):
        course, kind = COURSES[index % len(COURSES)]
        k = 1 if index % 2 else 0  # courses of m−1 and of m
        start = w.day(k, 2 + rng.randrange(8))
        stop = start + dt.timedelta(days=4 + rng.randrange(8))
        result = "合格" if kind == "创业培训" else rng.choice(("合格", "职业技能等级证书"))
        if index == 5:
            result = "不合格"  # edge: assessed, not passed
        course_row(p, course, kind, start, stop, result)
    if low:
        p = rng.choice(low)
        course_row(p, "家政服务员", "就业技能培训", w.day(1, 13), w.day(1, 22), "考核合格")
    if monitored:  # edge: 监测对象 only, not the notice's 脱贫人口、农村低收入人口
        p = rng.choice(monitored)
        course_row(p, "育婴员", "职业技能培训", w.day(0, 3), w.day(0, 12), "合格")
    late = [p for p in tuopin if p not in learners]
    if late:  # edge: the course ends on the first day of the next month
        p = rng.choice(late)
        stop = end + dt.timedelta(days=1)
        course_row(p, "焊工", "职业技能培训", stop - dt.timedelta(days=9), stop, "合格", 10)

    # 以工代训 for month m at the county's enterprises and workshops that employ roster
    # 脱贫人口 at the end of m
    local = {e.code for e in (*w.county, *w.workshops)}
    employed = [
        (p, job)
        for p in tuopin
        if p not in learners
        and (job := _active_job(w.jobs, p, end)) is not None
        and job.values["employer_code"] in local
    ]
    chosen = rng.sample(employed, min(4, len(employed)))
    claims = (500, 501, 380, 500)
    for index, (p, job) in enumerate(chosen):
        v = job.values
        kind = "以工代训" if index == len(chosen) - 1 else "鲁渝协作以工代训"
        code, name = v["employer_code"], v["employer_name"]
        if index == 2 and len(chosen) > 3:  # edge: an enterprise that does not employ them
            other = next(e for e in w.county if e.code != code)
            code, name = other.code, other.name
        rows.append([len(rows) + 1, p.name, p.id_number, p.township, "以工代训", kind, None, None,
                     None, None, None, name, code, month_text(w.m), claims[index]])  # fmt: skip

    title = f"丰都县{w.m // 100}年{w.m % 100}月职业技能培训及以工代训补贴花名册"
    book = Book(
        f"training/培训及以工代训花名册-{w.m}.xlsx",
        [Sheet("花名册", [[title], list(HEADER), *rows], merges=[(0, 0, 0, len(HEADER) - 1)],
               header_rows=(1,))],
    )  # fmt: skip
    readme = (
        "职业技能培训、创业培训学员（含不合格、次月结业、监测对象各一）及以工代训名单"
        " · trainees (one failed, one ending next month, one monitored-only) and on-the-job training rows"
    )
    return [Listed(book, readme)]
