"""The payment workbook as the signer gets it: the 汇总 sheet, household sheets, trial
marks in titles and page headers, page breaks that keep a group with its subtotal, and
an English workbook without Chinese words of its own."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from fengdu_cli.io.payments_report import (
    BatchFacts,
    page_breaks,
    page_room,
    wrap_text,
    wrapped_lines,
    write_payments_workbook,
    write_publicity_workbook,
)
from fengdu_cli.money import capital, sum_fen
from tests.test_payments_report import BATCH, CREATED, RULES, _id, _line, _rows, sample_lines

CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
FACTS = BatchFacts(
    policy_name="policy-demo.toml",
    policy_sha256="3efef1472240" + "0" * 52,
    skipped=(("work_training", "以工代训补贴", "政策已于2021-12-31到期，本月不计算"),),
)


@pytest.fixture
def lines() -> pd.DataFrame:
    return sample_lines()


def _cells(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def _labelled(ws) -> dict[str, object]:
    """Column B label → column C value (the 汇总 sheet's 合计与批次 table)."""
    return {r[1]: r[2] for r in _rows(ws) if isinstance(r[1], str)}


@pytest.fixture
def summary_book(lines: pd.DataFrame, tmp_path: Path) -> Path:
    return write_payments_workbook(
        lines, tmp_path / "p.xlsx", month=202406, batch_id=BATCH, rules=RULES,
        created=CREATED, facts=FACTS,
    )  # fmt: skip


def test_summary_sheet(summary_book: Path, lines: pd.DataFrame) -> None:
    cached = openpyxl.load_workbook(summary_book, data_only=True)
    formulas = openpyxl.load_workbook(summary_book)["汇总"]
    ws = cached["汇总"]
    assert cached.sheetnames[0] == "汇总"
    rows = _rows(ws)
    by_rule = {r[1]: r[2:5] for r in rows if r[1] in dict(RULES).values()}
    for code, name in RULES:
        part = lines[lines["rule"] == code]
        assert by_rule[name][0] == len(part)
        assert by_rule[name][1] == part["person_id"].nunique()
        assert round(by_rule[name][2] * 100) == sum_fen(part["amount_fen"])
    # rule rows refer to the rule sheets' totals; the total sums its own table
    at = next(i for i, r in enumerate(rows) if r[1] == "一次性吸纳就业补贴") + 4  # 1-based row
    assert formulas[f"C{at}"].value == "='一次性吸纳就业补贴'!D9"
    assert formulas[f"E{at}"].value == "='一次性吸纳就业补贴'!G9"
    total_at = next(i for i, r in enumerate(rows) if r[1] == "合计") + 4
    assert formulas[f"E{total_at}"].value == f"=SUM(E{at}:E{at + 2})"
    assert ws[f"E{total_at}"].value == pytest.approx(18300.5)
    assert ws[f"C{total_at}"].value == len(lines)
    towns = {r[1]: r[2:5] for r in rows if r[1] in ("三合街道", "虎威镇")}
    assert towns["三合街道"] == [2, 2, pytest.approx(6050.5)]
    assert towns["虎威镇"] == [4, 3, pytest.approx(12250)]
    facts = _labelled(ws)
    assert facts["合计金额（小写，元）"] == pytest.approx(18300.5)
    assert facts["合计金额（大写）"] == capital(1830050) == "壹万捌仟叁佰元零伍角整"
    assert facts["批次号"] == BATCH and facts["发放月份"] == "2024年6月"
    assert facts["政策文件"] == "policy-demo.toml"
    assert facts["政策文件SHA-256（前12位）"] == "3efef1472240"
    assert facts["以工代训补贴"] == "政策已于2021-12-31到期，本月不计算"
    text = " ".join(_cells(ws))
    for word in ("经办人", "审核人", "负责人", "单位（盖章）", "日期"):
        assert word in text


def test_trial_marks_in_every_title_and_page_header(lines: pd.DataFrame, tmp_path: Path) -> None:
    for trial in (True, False):
        pay = write_payments_workbook(lines, tmp_path / f"p{trial}.xlsx", month=202406,
                                      batch_id=BATCH, rules=RULES, trial=trial)  # fmt: skip
        pub = write_publicity_workbook(lines, tmp_path / f"q{trial}.xlsx", month=202406,
                                       rules=RULES, trial=trial)  # fmt: skip
        sheets = [*openpyxl.load_workbook(pay).worksheets, *openpyxl.load_workbook(pub).worksheets]
        assert len(sheets) == 5
        for ws in sheets:
            header = ws.oddHeader.center.text or ""
            assert ("试算" in ws["A1"].value) is trial, ws.title
            assert ("试算（未入账）" in header) is trial, ws.title


def test_household_sheets_name_the_person_and_the_household(tmp_path: Path) -> None:
    owner, student = _id("50023019780101123"), _id("50023020060101456")
    rules = [("startup_household", "一次性创业补助"), ("yulu", "雨露计划")]
    names = dict(rules)
    rows = [
        {**_line("hire_once", "household", ("5002302300010001", "刘静户"), (owner, "刘静"),
                 fen=800000, basis="丰都县三建刘氏农家乐（2023-12-01登记），带动3人参保满6个月"),
         "rule": "startup_household", "rule_name": names["startup_household"]},
        {**_line("hire_once", "household", ("5002302010020001", "彭伟江"), (student, "彭子宸"),
                 fen=300000, period="2023-2024学年"),
         "rule": "yulu", "rule_name": names["yulu"]},
    ]  # fmt: skip
    path = write_payments_workbook(pd.DataFrame(rows), tmp_path / "p.xlsx", month=202406,
                                   batch_id=BATCH, rules=rules)  # fmt: skip
    book = openpyxl.load_workbook(path)
    ws = book["一次性创业补助"]
    header = [c.value for c in ws[3]]
    assert header[:6] == [
        "序号",
        "乡镇（街道）",
        "村（社区）",
        "经营者（户主）",
        "经营者身份证号码",
        "家庭（户）",
    ]
    assert [c.value for c in ws[4]][3:6] == ["刘静", owner, "刘静户（户编号5002302300010001）"]
    yulu = book["雨露计划"]
    assert [c.value for c in yulu[3]][3:6] == ["学生姓名", "学生身份证号码", "家庭（户）"]
    assert [c.value for c in yulu[4]][3:6] == [
        "彭子宸",
        student,
        "彭伟江户（户编号5002302010020001）",
    ]


def test_english_workbooks_have_no_chinese_words_of_their_own(tmp_path: Path) -> None:
    def line(rule: str, payee_type: str, payee: tuple[str, str], person: tuple[str, str], **kw):
        row = _line("hire_once", payee_type, payee, person, **kw)
        return {**row, "rule": rule, "rule_name": rule}

    firm = ("91500230MA5U8XYZ1K", "Fengdu Food Co.")
    wang = _id("50023019920303456")
    ascii_rows = [
        line("hire_once", "employer", firm, (_id("50023019900101123"), "Zhang San"),
             township="Huwei", village="Hongyan", basis="hired 2022-01-26, insured 18 months"),
        line("travel", "person", (wang, "Wang Wu"), (wang, "Wang Wu"), fen=20000,
             township="Sanhe", village="Shuanggui", period="2024", basis="works outside"),
        line("yulu", "household", ("5002302010020001", "Peng"), (_id("50023020060101456"), "Peng Zi"),
             township="Sanhe", village="Shuanggui", basis="2023-2024 school year"),
    ]  # fmt: skip
    rules = [
        ("hire_once", "一次性吸纳就业补贴"),
        ("travel", "跨区域交通补助"),
        ("yulu", "雨露计划"),
    ]
    facts = BatchFacts("policy.toml", "ab" * 32, (("work_training", "以工代训补贴", "expired"),))
    frame = pd.DataFrame(ascii_rows)
    pay = write_payments_workbook(frame, tmp_path / "p.xlsx", month=202406, batch_id="2024-06-B1",
                                  rules=rules, lang="en", trial=True, facts=facts)  # fmt: skip
    pub = write_publicity_workbook(frame, tmp_path / "q.xlsx", month=202406, rules=rules,
                                   lang="en", trial=True)  # fmt: skip
    for path in (pay, pub):
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            words = [ws.title, *_cells(ws)]
            words += [str(part.text) for hf in (ws.oddHeader, ws.oddFooter)
                      for part in (hf.left, hf.center, hf.right) if part.text]  # fmt: skip
            assert not [w for w in words if CJK.search(w)], ws.title
        assert book.sheetnames[0] in ("Summary", "publicity")


# ---------------------------------------------------------------- page breaks


def test_page_breaks_keep_groups_whole() -> None:
    heights = [30, 15, 32] + [20] * 10  # three repeated rows, then rows 3..12
    # groups: 3-6 (4 rows), 7-9, 10-12; a page holds 100 points (five rows)
    assert page_breaks(heights, 3, [(3, 6), (7, 9), (10, 12)], 100) == [7, 10]
    # a group longer than a page breaks inside, but its subtotal (last row) never alone
    assert page_breaks(heights, 3, [(3, 8)], 100) == [7, 12]  # not [8]: 8 is its subtotal
    assert page_breaks(heights, 3, [(3, 12)], 100) == [8]
    assert page_breaks([*heights, 20], 3, [(3, 13)], 100) == [8, 12]


def test_wrapped_lines_counts_the_third_line() -> None:
    basis = (
        "脱贫人口何慧婷，2022-04-01入职重庆丰都鑫茂食品有限公司（全日制），该单位连续缴纳社保18个月"
    )
    assert wrapped_lines(basis, 30) in (3, 4)  # counted generously: never cut
    assert wrapped_lines("short", 30) == 1
    assert wrapped_lines("", 30) == 1


def test_no_printed_page_parts_a_group_from_its_subtotal(tmp_path: Path) -> None:
    sizes = {"三合街道": 7, "虎威镇": 23, "社坛镇": 3, "龙河镇": 41, "南天湖镇": 12, "三建乡": 9}
    rows = []
    for town, n in sizes.items():
        for i in range(n):
            pid = _id(f"5002301990{i:07d}"[:17])
            basis = "市外务工：" + "重庆市外某某公司" * (1 + i % 3)
            rows.append(_line("travel", "person", (pid, f"人员{i}"), (pid, f"人员{i}"), fen=20000,
                              township=town, period="2024", basis=basis))  # fmt: skip
    path = write_payments_workbook(pd.DataFrame(rows), tmp_path / "p.xlsx", month=202406,
                                   batch_id=BATCH, rules=RULES)  # fmt: skip
    ws = openpyxl.load_workbook(path)["跨区域交通补助"]
    firsts = [b.id + 1 for b in ws.row_breaks.brk]  # 1-based first row of each new page
    assert len(firsts) >= 4
    height = {r: ws.row_dimensions[r].ht or 15 for r in range(1, ws.max_row + 1)}
    room = page_room(int(ws.page_setup.scale or 100)) - sum(height[r] for r in (1, 2, 3))
    labels = {r: ws.cell(r, 2).value for r in range(4, ws.max_row + 1)}
    subtotal_rows = [r for r, v in labels.items() if str(v).endswith(" 小计")]
    groups, start = [], 4
    for end in subtotal_rows:
        groups.append((start, end))
        start = end + 1
    for first in firsts:
        assert not str(labels[first]).endswith("小计"), first
        if labels[first] == "合计":  # the total and signature, whole, after a whole group
            assert str(labels[first - 1]).endswith(" 小计")
            continue
        group = next(g for g in groups if g[0] <= first <= g[1])
        if sum(height[r] for r in range(group[0], group[1] + 1)) <= room:
            assert first == group[0], (first, group)
    assert sum(1 for g in groups if g[0] in firsts) >= 2  # whole groups moved to a new page


def test_a_long_group_does_not_leave_a_line_or_two_at_the_foot_of_a_page() -> None:
    heights = [30, 15, 32] + [20] * 10
    # 3-5 fill 60 of 100 points; 6-12 is longer than a page and only two of its rows would
    # fit under it: it starts on the next page
    assert page_breaks(heights, 3, [(3, 5), (6, 12)], 100) == [6, 11]


CLOSING = "）)，。、；：”》】"


def test_basis_is_wrapped_so_no_line_starts_with_a_closing_mark() -> None:
    basis = "在三建乡农产品加工就业帮扶车间稳定就业（2017-08-20起，至2024-06末满82个月）"
    for width in range(12, 41):
        lines = wrap_text(basis, width).split("\n")
        assert "".join(lines) == basis
        assert not [line for line in lines if line[:1] in CLOSING or line.endswith("（")], width
        assert len(lines) == wrapped_lines(basis, width)


def _long_lines(town_sizes: dict[str, int], basis: str, rule: str = "travel") -> pd.DataFrame:
    rows = []
    for town, n in town_sizes.items():
        for i in range(n):
            pid = _id(f"5002301990{len(rows):07d}"[:17])
            rows.append(_line(rule, "person", (pid, f"人员{i}"), (pid, f"人员{i}"), fen=20000,
                              township=town, period="2024", basis=basis))  # fmt: skip
    return pd.DataFrame(rows)


def test_rows_are_as_tall_as_the_lines_written_in_their_basis(tmp_path: Path) -> None:
    basis = "市外务工：厦门海联电子有限公司（福建省厦门市，2018-05-20起）"
    path = write_payments_workbook(_long_lines({"三合街道": 6, "虎威镇": 8}, basis),
                                   tmp_path / "p.xlsx", month=202406, batch_id=BATCH,
                                   rules=RULES)  # fmt: skip
    ws = openpyxl.load_workbook(path)["跨区域交通补助"]
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == "依据")
    cells = [ws.cell(r, column).value for r in range(4, 18) if ws.cell(r, 1).value != "小计"]
    assert all(str(v).replace("\n", "") == basis for v in cells)
    lines = str(cells[0]).split("\n")
    assert len(lines) == 2 and lines[1][:1] not in CLOSING
    assert ws.row_dimensions[4].ht == 15 * len(lines) + 6
    # both groups fit on a page each: 虎威镇 (rows 11-19) starts the second page, whole
    assert [b.id + 1 for b in ws.row_breaks.brk] == [11]


def test_the_total_never_prints_without_a_line_of_its_group(tmp_path: Path) -> None:
    basis = "贷款银行：某某银行；合同DB20230063，本金500000元，计息本金400000元；" * 5
    path = write_payments_workbook(_long_lines({"三建乡": 3}, basis), tmp_path / "p.xlsx",
                                   month=202406, batch_id=BATCH, rules=RULES)  # fmt: skip
    ws = openpyxl.load_workbook(path)["跨区域交通补助"]
    firsts = [b.id + 1 for b in ws.row_breaks.brk]
    assert firsts == [6]  # lines 1-2 on the first page; line 3, 小计 and 合计 on the second
    assert [ws.cell(r, 2).value for r in (7, 8)] == ["三建乡 小计", "合计"]


def test_english_sheets_name_subsidies_and_banks_in_words(tmp_path: Path) -> None:
    """Loan sheets by bank are 'loan interest <bank>', not the rule's code; a long title is
    cut between words; a rule not computed is named, not coded; headers and subtotal marks
    are never cut mid-word."""
    pid = _id("50023019920303456")
    rows = [
        {**_line("travel", "person", (pid, "Wang Wu"), (pid, "Wang Wu"), township="三合街道"),
         "rule": rule, "basis": basis}
        for rule, basis in (("loan_interest", "贷款银行：中国农业银行丰都县支行；合同1"),
                            ("shandong_stable", "稳岗"))
    ]  # fmt: skip
    rules = [("loan_interest", "创业担保贷款贴息"), ("shandong_stable", "鲁渝劳务协作稳岗补贴")]
    facts = BatchFacts("policy.toml", "ab" * 32, (("work_training", "以工代训补贴", "expired"),))
    path = write_payments_workbook(pd.DataFrame(rows), tmp_path / "p.xlsx", month=202406,
                                   batch_id=BATCH, rules=rules, lang="en", facts=facts)  # fmt: skip
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Summary", "loan interest 中国农业银行丰都县支行", "Shandong-Chongqing job…",
    ]  # fmt: skip
    summary = _cells(book["Summary"])
    assert "work-for-training subsidy" in summary and "work_training" not in summary
    assert "persons\n(each once)" in summary and "lines\n(payments)" in summary
    assert any(c.startswith("persons are counted once by ID") for c in summary)
    ws = book["loan interest 中国农业银行丰都县支行"]
    widths = {c: ws.column_dimensions[c].width for c in "AC"}
    assert ws["A5"].value == "subtotal" and widths["A"] >= len("subtotal") + 1
    assert ws["C3"].value == "name / organisation" and widths["C"] >= len("organisation") + 1
