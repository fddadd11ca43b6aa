"""bases/: the county's recognised 就业帮扶基地, 创业孵化基地（园区） and 就业服务超市.

The two 就业帮扶基地 are the employers of the world that keep the most roster 脱贫人口 in jobs
stable 3 months at the sample month (the world has none with 10, so neither reaches the
notice's number: the sheet shows the count against it).  The incubators and markets are
organisations the bureau lists (invented codes; no person, job or contribution is added):
one incubator graded 良好 (paid) and one 不合格, one market with a credit code (paid) and
one village market without (listed, not payable).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from fengdu_cli import dates
from fengdu_cli.sample.codes import credit_code
from fengdu_cli.sample.layouts import Book, Sheet, _Layout, org_account
from fengdu_cli.sample.programs import Listed, rng_for
from fengdu_cli.sample.world import Cell

HEADER = (
    "序号", "载体名称", "统一社会信用代码", "类型", "所在乡镇", "所在村", "认定日期", "有效期至",
    "绩效评估等级", "收款账号", "开户行", "户名",
)  # fmt: skip


def lay(lay: _Layout) -> list[Listed]:
    w = lay.w
    rng = rng_for(lay, "bases")
    last = dates.last_day(w.m)
    stable_by = dates.first_day(dates.add_months(w.m, -2))
    lifted = {p.id_number for p in w.people if p.on_roster and "脱贫" in p.category}
    count: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    names: dict[str, tuple[str, str]] = {}
    for r in w.jobs:
        v = r.values
        start, end = v["start_date"], v["end_date"]
        key = (str(v["id_number"]), str(v["employer_code"]))
        if (
            key[0] in lifted
            and key not in seen
            and isinstance(start, dt.date)
            and start <= stable_by
            and (end is None or (isinstance(end, dt.date) and end >= last))
        ):
            seen.add(key)
            count[key[1]] += 1
        names[key[1]] = (str(v["employer_name"]), str(v["work_region"]))
    employers = {e.code: e for e in w.companies}
    most = [code for code, _ in count.most_common() if code in employers][:2]

    y = w.m // 100
    rows: list[list[Cell]] = []
    for code in most:
        e = employers[code]
        rows.append([e.name, code, "就业帮扶基地", e.township, "", dt.date(y - 2, 3, 15),
                     dt.date(y + 1, 3, 14), ""])  # fmt: skip
    towns = sorted({p.township for p in w.people if p.township})
    villages = sorted({(p.township, p.village) for p in w.people if p.village})
    t1, t2 = rng.sample(towns, 2)
    rows.append([f"丰都县{t1}返乡入乡创业园", credit_code(rng, "12", "500230"), "创业孵化基地（园区）",
                 t1, "", dt.date(y - 3, 6, 1), "", "良好"])  # fmt: skip
    rows.append([f"丰都县{t2}创业孵化基地", credit_code(rng, "12", "500230"), "孵化基地", t2, "",
                 dt.date(y - 1, 9, 1), "", "不合格"])  # fmt: skip
    (mt1, mv1), (mt2, mv2) = rng.sample(villages, 2)
    rows.append([f"{mv1}就业服务超市", credit_code(rng, "52", "500230"), "就业服务超市", mt1, mv1,
                 dt.date(y - 1, 5, 20), "", ""])  # fmt: skip
    rows.append([f"{mv2}就业服务超市", "", "就业服务超市", mt2, mv2, dt.date(y, 3, 1), "", ""])
    data = [[n, *row, *org_account(str(row[1]), str(row[0]))] for n, row in enumerate(rows, 1)]
    title = f"丰都县就业帮扶基地、创业孵化基地、就业服务超市认定名单（{y}年度）"
    sheet = Sheet("认定名单", [[title], list(HEADER), *data], [(0, 0, 0, len(HEADER) - 1)],
                  header_rows=(0, 1))  # fmt: skip
    return [
        Listed(
            Book("bases/就业帮扶基地等载体认定名单.xlsx", [sheet]),
            "认定的就业帮扶基地（吸纳脱贫人口最多的两家单位，均不足10人）、创业孵化基地（良好、不合格）、"
            "就业服务超市（一家无信用代码）· recognised bases (the two employers with the most 脱贫人口,"
            " both under 10), incubators (graded 良好 and 不合格) and service markets (one without a"
            " credit code)",
        )
    ]
