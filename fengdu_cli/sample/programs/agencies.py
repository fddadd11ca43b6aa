"""agencies/: placements claimed by two 人力资源服务机构 and a 劳务经纪人 (职业介绍补贴, 招聘补贴).

Every row is a person the world already employs, placed with the employer of one of their
jobs a few days before it began: roster 脱贫人口 in full-time jobs stable 3 months (paid),
one whose job began after 2024-04-01 (3 months short), one placed through 劳务派遣, one
claimed by both agencies (the earlier placement is paid), people off the roster marked
登记失业人员 whose employer has insured them 6 months (情形一), and recruits to the demo
policy's 市重点电子企业 (and one to an employer not on that list).  The broker is a roster
person; the agencies' codes are invented (organisations, not people).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from fengdu_cli import dates
from fengdu_cli.sample.codes import credit_code
from fengdu_cli.sample.layouts import Book, Sheet, _Layout, org_account
from fengdu_cli.sample.programs import Listed, rng_for
from fengdu_cli.sample.world import Cell, Person, Record

# the demo policy's key employers (policy-demo.toml, recruit_award.key_employers), by name:
# the world gives them their credit codes
KEY_EMPLOYERS = ("重庆丰都智联电子科技有限公司", "重庆渝北华信电子有限公司")
HEADER = (
    "序号", "申报机构", "机构统一社会信用代码", "劳务经纪人身份证号", "被介绍人员姓名",
    "身份证号码", "用人单位名称", "用人单位统一社会信用代码", "入职日期", "服务类型", "是否免费",
    "是否劳务派遣", "是否登记失业人员", "备注", "收款账号", "开户行", "户名",
)  # fmt: skip


def _clean(p: Person) -> bool:
    """A person whose roster row (if any) carries no planted problem."""
    return p.row is None or not any(kind == "roster" for kind, *_ in p.row.marks)


def lay(lay: _Layout) -> list[Listed]:
    w = lay.w
    rng = rng_for(lay, "agencies")
    last = dates.last_day(w.m)
    three = dates.first_day(dates.add_months(w.m, -2))  # stable 3 months: began by this day
    people = {p.id_number: p for p in (*w.people, *w.outsiders)}
    insured: dict[tuple[str, str], set[int]] = defaultdict(set)
    for r in w.contributions:
        insured[(str(r.values["id_number"]), str(r.values["employer_code"]))].add(
            int(str(r.values["period"]))
        )

    def active(r: Record) -> bool:
        start, end = r.values["start_date"], r.values["end_date"]
        return (
            isinstance(start, dt.date)
            and start <= last
            and (end is None or (isinstance(end, dt.date) and end >= last))
        )

    jobs = [
        (r, people[str(r.values["id_number"])])
        for r in w.jobs
        if not r.marks
        and str(r.values["id_number"]) in people
        and _clean(people[str(r.values["id_number"])])
        and r.values["employment_type"] == "全日制"
        and active(r)
        and isinstance(r.values["start_date"], dt.date)
        and r.values["start_date"] >= dt.date(w.m // 100 - 1, 1, 1)
    ]
    jobs.sort(key=lambda j: (j[0].values["start_date"], j[1].id_number))
    used: set[str] = set()

    def pick(test, n: int) -> list[tuple[Record, Person]]:
        found = [j for j in jobs if j[1].id_number not in used and test(*j)][:n]
        used.update(p.id_number for _, p in found)
        return found

    def lifted(p: Person) -> bool:
        return p.on_roster and "脱贫" in p.category

    def months(r: Record, p: Person) -> int:
        start = r.values["start_date"]
        assert isinstance(start, dt.date)
        first = start.year * 100 + start.month
        got = insured[(p.id_number, str(r.values["employer_code"]))]
        return len([m for m in got if first <= m <= w.m])

    recruits = pick(lambda r, p: r.values["employer_name"] in KEY_EMPLOYERS, 2)
    other_recruit = pick(lambda r, p: not p.on_roster and r.values["employer_name"] == "重庆渝创汽车零部件有限公司", 1)  # fmt: skip
    stable = pick(lambda r, p: lifted(p) and r.values["start_date"] <= three, 4)
    short = pick(lambda r, p: lifted(p) and r.values["start_date"] > three, 1)
    unemployed = pick(lambda r, p: not p.on_roster and months(r, p) >= 6, 2)
    broker = next(
        p for p in w.people if p.on_roster and not p.busy and _clean(p) and p.id_number not in used
    )

    jiaxin = ("丰都县嘉信人力资源服务有限公司", credit_code(rng, "91", "500230"), "")
    zhongcheng = ("重庆众诚人力资源管理有限公司", credit_code(rng, "91", "500101"), "")
    broker_agency = (f"劳务经纪人{broker.name}", "", broker.id_number)
    rows: list[list[Cell]] = []

    def add(agency, job, person, kind, free="是", dispatch="否", unemployed="", note="", days=None):
        start = job.values["start_date"]
        placed = start - dt.timedelta(days=rng.randint(1, 12) if days is None else days)
        rows.append([
            len(rows) + 1, agency[0], agency[1], agency[2], person.name, person.id_number,
            job.values["employer_name"], job.values["employer_code"], placed, kind, free,
            dispatch, unemployed, note, *org_account(str(agency[1] or ""), str(agency[0])),
        ])  # fmt: skip

    for (job, person), agency in zip(stable[:2], (jiaxin, broker_agency), strict=False):
        add(agency, job, person, "职业介绍", note="脱贫人口，稳定就业满3个月")
    if len(stable) > 2:
        job, person = stable[2]
        add(jiaxin, job, person, "职业介绍", dispatch="是", note="劳务派遣，不予补贴")
    if len(stable) > 3:
        job, person = stable[3]
        add(zhongcheng, job, person, "职业介绍", note="两家机构申报同一人（先介绍者补贴）", days=3)
        add(jiaxin, job, person, "职业介绍", note="两家机构申报同一人（先介绍者补贴）", days=1)
    for job, person in short:
        add(zhongcheng, job, person, "职业介绍", note="入职不满3个月")
    for job, person in unemployed:
        add(jiaxin, job, person, "职业介绍", unemployed="√", note="城乡登记失业人员")
    for job, person in recruits:
        add(zhongcheng, job, person, "招聘", free="", dispatch="否", note="市重点电子企业招聘")
    for job, person in other_recruit:
        add(zhongcheng, job, person, "招聘", free="", dispatch="否", note="非市重点电子企业")

    y, mo = divmod(w.m, 100)
    title = f"丰都县职业介绍补贴及重点企业招聘补贴申报汇总表（{y}年{mo}月）"
    sheet = Sheet("申报汇总", [[title], list(HEADER), *rows], [(0, 0, 0, len(HEADER) - 1)],
                  header_rows=(0, 1))  # fmt: skip
    return [
        Listed(
            Book("agencies/职业介绍及招聘补贴申报表.xlsx", [sheet]),
            "人力资源服务机构和劳务经纪人申报的职业介绍、招聘人员（含劳务派遣、不满3个月、两家申报同一人）"
            " · placements claimed by agencies and a broker (with dispatch, short tenure and a"
            " person claimed twice)",
        )
    ]
