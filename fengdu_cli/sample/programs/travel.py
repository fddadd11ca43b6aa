"""travel/: the 鲁渝劳务协作 list of organised trips to Shandong.

The trips of the roster people who work in Shandong in the world (the Shandong scenarios
and anyone else with a Shandong job active at the end of m), a few days before their job
began, and two edges: a trip to Shandong of someone who has no Shandong job, and a trip
dated after m.
"""

from __future__ import annotations

import datetime as dt

from fengdu_cli.dates import first_day, last_day
from fengdu_cli.sample.layouts import Book, Sheet, _Layout
from fengdu_cli.sample.programs import Listed, rng_for
from fengdu_cli.sample.world import Cell

HEADER: list[Cell] = ["序号", "姓名", "身份证号码", "乡镇", "出发日期", "目的地", "输出方式"]


def lay(lay: _Layout) -> list[Listed]:
    w = lay.w
    rng = rng_for(lay, "travel")
    end = last_day(w.m)
    by_id = {p.id_number: p for p in w.people if p.on_roster and p.row is not None}
    # a roster row whose ID cell was mistyped on purpose names nobody: not on this list
    clean = {i: p for i, p in by_id.items() if "id_number" not in p.row.cells}  # type: ignore[union-attr]
    rows: list[list[Cell]] = []
    seen: set[str] = set()
    for job in w.jobs:
        v = job.values
        person = clean.get(str(v["id_number"]))
        start, stop = v["start_date"], v["end_date"]
        if (
            person is None
            or person.id_number in seen
            or "山东" not in str(v["work_region"])
            or not isinstance(start, dt.date)
            or start < first_day(w.data_start)  # the list starts with the data window
            or start > end
            or (isinstance(stop, dt.date) and stop < end)
        ):
            continue
        seen.add(person.id_number)
        trip = start - dt.timedelta(days=1 + rng.randrange(5))
        rows.append([len(rows) + 1, person.name, person.id_number, person.township, trip,
                     str(v["work_region"]), "“点对点”专车"])  # fmt: skip
    others = [
        p
        for p in clean.values()
        if p.id_number not in seen and not p.busy and p.category == "脱贫人口"
        and p.labor in ("普通劳动力", "技能劳动力")
    ]  # fmt: skip
    no_job, after = rng.sample(others, 2)
    # edge: went to Shandong, but no Shandong job is registered
    rows.append([len(rows) + 1, no_job.name, no_job.id_number, no_job.township, w.day(1, 8),
                 "山东省青岛市", "自行前往"])  # fmt: skip
    # edge: the trip is after the month
    rows.append([len(rows) + 1, after.name, after.id_number, after.township,
                 end + dt.timedelta(days=3), "山东省枣庄市", "“点对点”专车"])  # fmt: skip
    title = f"丰都县鲁渝劳务协作有组织输出人员名单（截至{w.m // 100}年{w.m % 100}月）"
    book = Book(
        f"travel/鲁渝协作输出人员名单-{w.m}.xlsx",
        [Sheet("输出名单", [[title], list(HEADER), *rows], merges=[(0, 0, 0, len(HEADER) - 1)],
               header_rows=(1,))],
    )  # fmt: skip
    readme = (
        "赴山东务工人员出行名单（含无山东就业、出行晚于本月各一）"
        " · trips to Shandong (one without a Shandong job, one after the month)"
    )
    return [Listed(book, readme)]
