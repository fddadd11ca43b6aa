"""The bureau's list of approved guaranteed loans (loans/): 创业担保贷款贴息.

About ten loans of roster people (and, when the world has one, a 小微企业 with its credit
code), at several banks, among them one overdue in the month, one past its 3-year term, one
maturing in the middle of the month and one started in the middle of the month before.
"""

from __future__ import annotations

import datetime as dt

from fengdu_cli import dates
from fengdu_cli.sample.layouts import Book, Sheet, _Layout
from fengdu_cli.sample.programs import Listed, rng_for
from fengdu_cli.sample.world import Cell

BANKS = (
    "中国农业银行丰都县支行",
    "重庆农村商业银行丰都支行",
    "中国邮政储蓄银行丰都县支行",
)
HEADER = (
    "序号", "借款人", "身份证号码/统一社会信用代码", "贷款类型", "合伙人数", "当年新招用符合条件人员数",
    "贷款金额（元）", "合同利率", "放款日", "到期日", "逾期月份", "贷款银行", "借款合同号", "所在乡镇",
)  # fmt: skip


def _loan(
    name: str, who: str, kind: str, principal: int, rate: str, start: dt.date, end: dt.date,
    bank: str, number: str, *, partners: int | None = None, hires: int | None = None,
    overdue: str = "", township: str = "",
) -> list[Cell]:  # fmt: skip
    return [name, who, kind, partners if partners is not None else "",
            hires if hires is not None else "", principal, rate, start, end, overdue, bank,
            number, township]  # fmt: skip


def lay(lay: _Layout) -> list[Listed]:
    """One workbook under loans/, with a title row."""
    w = lay.w
    rng = rng_for(lay, "loans")
    month = w.m
    first = dates.first_day(month)
    year = month // 100
    people = [p for p in w.people if p.on_roster and p.row is not None and not p.busy]
    people = [p for p in people if 22 <= (first - p.born).days // 365 <= 55]
    chosen = rng.sample(people, min(9, len(people)))
    if len(chosen) < 9:
        return []
    prev = dates.add_months(month, -1)
    mid_prev = dates.first_day(prev) + dt.timedelta(days=15)  # started mid-month, last month
    mid = first + dt.timedelta(days=14)  # matures mid-month
    rows: list[list[Cell]] = []
    plain = [
        # (start, years, principal, rate, type, extra)
        (dt.date(year - 1, 9, 1), 2, 200000, "4.35%"),
        (dt.date(year - 1, 3, 18), 2, 150000, "4.2"),
        (dt.date(year - 2, 11, 9), 3, 200000, "0.0435"),
        (dt.date(year - 1, 12, 5), 2, 300000, "4.35%"),  # over the 200000 cap
    ]
    for (start, years, principal, rate), p in zip(plain, chosen[:4], strict=True):
        end = start.replace(year=start.year + years)
        bank = BANKS[len(rows) % len(BANKS)]
        rows.append(_loan(p.name, p.id_number, "个人", principal, rate, start, end, bank,
                          f"DB{start.year}{len(rows) + 1:04d}"))  # fmt: skip
    p = chosen[4]  # overdue this month
    start = dt.date(year - 1, 7, 12)
    rows.append(_loan(p.name, p.id_number, "个人", 100000, "4.35%", start,
                      start.replace(year=start.year + 2), BANKS[0], f"DB{year - 1}0005",
                      overdue=f"{year}-03、{dates.month_text(month)}"))  # fmt: skip
    p = chosen[5]  # past its 3-year term: the bank extended it, the subsidy ends
    start = dt.date(year - 4, 4, 20)
    rows.append(_loan(p.name, p.id_number, "个人", 200000, "4.75%", start,
                      dt.date(year, 12, 20), BANKS[1], f"DB{year - 4}0031"))  # fmt: skip
    p = chosen[6]  # matures in the middle of the month
    rows.append(_loan(p.name, p.id_number, "个人", 80000, "4.35%",
                      mid.replace(year=mid.year - 1), mid, BANKS[2], f"DB{year - 1}0107"))  # fmt: skip
    p = chosen[7]  # started in the middle of last month
    rows.append(_loan(p.name, p.id_number, "个人", 200000, "4.35%", mid_prev,
                      mid_prev.replace(year=mid_prev.year + 2), BANKS[0], f"DB{mid_prev.year}0019"))  # fmt: skip
    p = chosen[8]  # a partnership of 3
    rows.append(_loan(p.name, p.id_number, "合伙", 600000, "4.35%", dt.date(year - 1, 10, 16),
                      dt.date(year + 2, 10, 16), BANKS[1], f"DB{year - 1}0088",
                      partners=3))  # fmt: skip
    for row, p in zip(rows, chosen, strict=True):  # the borrower's township, as listed
        row[-1] = p.township
    if w.businesses:
        e, _, _ = w.businesses[0]
        rows.append(_loan(e.name, e.code, "小微企业", 500000, "4.35%", dt.date(year - 1, 8, 28),
                          dt.date(year + 1, 8, 28), BANKS[2], f"DB{year - 1}0063",
                          hires=2, township=e.township))  # fmt: skip
    title = f"丰都县创业担保贷款贴息名单（{year}年{month % 100}月）"
    cells: list[list[Cell]] = [[title], list(HEADER)]
    cells += [[n, *row] for n, row in enumerate(rows, 1)]
    sheet = Sheet("贷款名单", cells, merges=[(0, 0, 0, len(HEADER) - 1)], header_rows=(1,))
    return [
        Listed(
            Book("loans/创业担保贷款名单.xlsx", [sheet]),
            "创业担保贷款名单：个人、合伙、小微企业，多家银行；含本月逾期、超过 3 年期限、月中到期、"
            "上月中旬放款各一笔 · guaranteed loans: persons, a partnership, a small business, several "
            "banks; one overdue this month, one past its 3-year term, one maturing mid-month, one "
            "started mid last month",
        )
    ]
