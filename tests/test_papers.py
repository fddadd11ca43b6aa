"""The township's papers and the county's summary, opened as the clerks open them:
退回清单 per township and month, 预警名单 one row per person in two lists, the 汇总 sheet."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path

import openpyxl
import pytest

from fengdu_cli import idcard
from fengdu_cli.io.reconcile_report import write_reconcile
from fengdu_cli.io.returns import write_return_lists
from fengdu_cli.reconcile import reconcile_month
from tests.test_english import chinese_in, file_texts

SAMPLE = Path(__file__).parents[1] / "sample_data"
MONTH = 202406
MASKED = re.compile(r"\d{6}\*{8}\d{3}[\dX]")


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """The sample month reconciled once, its papers written in Chinese and in English."""
    tmp = tmp_path_factory.mktemp("papers")
    result = reconcile_month(SAMPLE, MONTH, tmp / "f.db")
    roster = result.checked["roster"]
    for lang in ("zh", "en"):
        write_reconcile(result, tmp / lang, split_by_township=True, lang=lang)
        write_return_lists(roster, tmp / lang / "returns", lang, month=MONTH)
    return result, tmp


def rows_of(ws) -> tuple[list[str], list[tuple]]:
    """A paper's header (the row holding 姓名 / name) and the rows under it."""
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if "姓名" in r or "name" in r)
    return list(rows[at]), [r for r in rows[at + 1 :] if any(v is not None for v in r)]


def column(ws, name: str) -> list:
    head, rows = rows_of(ws)
    j = head.index(name)
    return [r[j] for r in rows]


def expected_lists(result) -> tuple[set[str], set[str]]:
    """IDs to check and IDs for employment services, from the warnings themselves."""
    warn = result.warnings
    codes = warn.groupby("id_number")["code"].agg(frozenset)
    status = dict(zip(result.state["id_number"], result.state["work_status"], strict=True))
    service = {i for i, c in codes.items() if c == {"no_record"} and status.get(i) == "未务工"}
    return set(codes.index) - service, service


def test_county_lists_split_every_warned_person_once(month):
    result, tmp = month
    book = openpyxl.load_workbook(tmp / "zh" / "reconcile-2024-06.xlsx")
    check, service = expected_lists(result)
    assert len(service) == 52  # the sample's consistently 未务工 people
    shown_check = column(book["需核查"], "身份证号码")
    shown_service = column(book["需就业服务"], "身份证号码")
    assert len(shown_check) == len(set(shown_check)) and len(shown_service) == len(
        set(shown_service)
    )
    assert set(shown_check) == check and set(shown_service) == service
    assert "（52人）" in book["需就业服务"]["A1"].value
    # the county's working file: full IDs, readable by its owner only
    assert all(idcard.is_valid_checksum(i) for i in shown_service)
    assert stat.S_IMODE(os.stat(tmp / "zh" / "reconcile-2024-06.xlsx").st_mode) == 0o600
    assert all("*" not in str(i) for i in column(book["预警名单"], "身份证号码"))


def test_township_list_one_row_per_person_with_phone_and_advice(month):
    result, tmp = month
    files = sorted((tmp / "zh" / "townships").glob("预警名单-2024-06-*.xlsx"))
    assert len(files) == 6
    check, service = expected_lists(result)
    names = dict(zip(result.warnings["id_number"], result.warnings["name"], strict=True))
    masked = {(names[i], idcard.mask(i)): i for i in check | service}  # a mask may repeat
    rejected = result.checked["roster"].rejected
    phones = {idcard.normalise(str(i)): p for i, p in zip(rejected["id_number"], rejected["phone"],
                                                          strict=True)}  # fmt: skip
    phones |= dict(zip(result.checked["roster"].valid["id_number"],
                       result.checked["roster"].valid["phone"], strict=True))  # fmt: skip
    mismatch = set(result.warnings.loc[result.warnings["code"] == "status_mismatch", "id_number"])
    seen = 0
    to_check: set[str] = set()
    for path in files:
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["需核查", "需就业服务"]
        for name, expected in (("需核查", check), ("需就业服务", service)):
            ws = book[name]
            head, rows = rows_of(ws)
            assert {"联系电话", "处理建议", "预警", "预警原因"} <= set(head)
            shown_ids = column(ws, "身份证号码")
            assert all(MASKED.fullmatch(i) for i in shown_ids)
            ids = list(zip(column(ws, "姓名"), shown_ids, strict=True))
            assert len(ids) == len(set(ids))
            assert {masked[i] for i in ids} <= expected
            for shown, phone, advice in zip(
                ids, column(ws, "联系电话"), column(ws, "处理建议"), strict=True
            ):
                assert phone == str(phones.get(masked[shown]) or "") or phone is None
                assert advice
            seen += len(ids)
            if name == "需核查":
                to_check |= {masked[i] for i in ids}
            reason = head.index("预警原因")
            assert all(ws.cell(r, reason + 1).alignment.wrap_text for r in range(4, 4 + len(rows)))
    assert seen == len(check) + len(service)  # nobody twice, nobody lost
    assert mismatch and mismatch <= to_check  # a status that contradicts the data: to check
    # a person with two warnings: both named in one cell
    joined = [
        w
        for path in files
        for w in column(openpyxl.load_workbook(path)["需核查"], "预警")
        if "；" in w
    ]
    assert joined


def test_summary_numbers_are_numbers_totals_are_formulas_first_month_has_no_change(month):
    result, tmp = month
    path = tmp / "zh" / "reconcile-2024-06.xlsx"
    ws = openpyxl.load_workbook(path)["汇总"]
    cached = openpyxl.load_workbook(path, data_only=True)["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    heads = [i for i, r in enumerate(rows) if r[0] == "乡镇（街道）"]
    totals = [i for i, r in enumerate(rows) if r[0] == "合计"]
    assert len(heads) == 2 and len(totals) == 2  # two tables, each with its total
    for head, total in zip(heads, totals, strict=True):
        for r in rows[head + 1 : total]:
            assert all(isinstance(v, int | float) for v in r[1:] if v is not None), r
        formulas = [v for v in rows[total][1:] if v is not None]
        assert formulas and all(str(v).startswith("=SUM(") for v in formulas)
    persons = [r[0] for r in cached.iter_rows(values_only=True)].index("合计") + 1
    assert cached.cell(persons, 2).value == len(result.state)
    words = {str(v) for r in rows for v in r if v is not None}
    assert not words & {"新增预警", "已消除预警", "较上月增减"}
    assert any(w.startswith("首月无对比") for w in words)
    second = rows[heads[1]]
    assert "需核查人数" in second and "需就业服务人数" in second


def test_return_list_per_township_and_month_with_title_and_check_digit(month):
    result, tmp = month
    roster = result.checked["roster"]
    problem = roster.problems[roster.problems["code"] == "id_checksum"].iloc[0]
    row = roster.rejected.set_index("_index").loc[problem["_index"]]
    township = row["_township"]
    typed = idcard.normalise(str(row["id_number"]))
    path = tmp / "zh" / "returns" / f"退回清单-2024-06-{township}.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book["需更正后重报"]
    facts = ws["A2"].value
    n = int((roster.rejected["_township"] == township).sum())
    assert f"乡镇（街道）：{township}" in facts and "月份：2024年6月" in facts
    assert f"应退回行数：{n}" in facts and "整改期限：2024-07-10" in facts
    head, rows = rows_of(ws)
    assert {"姓名", "问题说明", "建议", "行号"} <= set(head)
    at = next(r for r in rows if r[head.index("行号")] == problem["row"])
    assert f"校验位应为{idcard.check_digit(typed[:17])}" in at[head.index("建议")]
    assert "姓名" in rows_of(book["请核实"])[0] if "请核实" in book.sheetnames else True
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows


def test_english_papers_have_no_chinese_outside_data(month):
    _, tmp = month
    papers = [*(tmp / "en" / "townships").glob("*.xlsx"), *(tmp / "en" / "returns").glob("*")]
    assert papers
    for path in [tmp / "en" / "reconcile-2024-06.xlsx", *papers]:
        assert chinese_in(file_texts(path)) == [], path.name


def test_comparison_names_the_month_it_is_made_with(month):
    """较上月 only when the earlier stored month is the month before; else 与YYYY-MM比, and the
    汇总 says what new and resolved are counted against."""
    from dataclasses import replace

    from fengdu_cli.io import warning_lists
    from fengdu_cli.io.reconcile_report import summary_tables, warnings_frame

    result, _ = month
    for previous, change, status in ((202405, "较上月增减", "较上月"),
                                     (202306, "与2023-06比增减", "与2023-06比")):  # fmt: skip
        compared = replace(result, previous_month=previous)
        tables = summary_tables(compared, "zh")
        assert change in tables[1].frame.columns and "2023-06" not in str(tables[0].frame.columns)
        assert (previous == 202306) == ("不是与上月比较" in tables[1].note)
        assert dates_named(tables[1].note, previous)
        assert status in warnings_frame(compared, "zh").columns
    gap = replace(result, previous_month=202306)
    english = summary_tables(gap, "en")[1]
    assert "change on 2023-06" in english.frame.columns and "2023-06" in english.note
    people = warning_lists.person_lists(gap, "zh", gap.warnings, masked=True)
    shown = warning_lists.shown(people["check"], "check", "zh", with_township=False,
                                compared="与2023-06比")  # fmt: skip
    assert "与2023-06比" in shown.columns and "较上月" not in shown.columns


def dates_named(note: str, previous: int) -> bool:
    return f"{previous // 100}-{previous % 100:02d}" in note


def test_return_lists_show_the_townships_own_phone_and_say_what_to_type(month):
    _, tmp = month
    book = openpyxl.load_workbook(tmp / "zh" / "returns" / "退回清单-2024-06-三合街道.xlsx")
    head, rows = rows_of(book["请核实"])
    phone = next(r for r in rows if r[head.index("表头")] == "手机号")
    assert phone[head.index("填写内容")] == "139711676"  # as typed: their own data
    assert "139711676" in phone[head.index("问题说明")] and "11位" in phone[head.index("建议")]
    book = openpyxl.load_workbook(tmp / "zh" / "returns" / "退回清单-2024-06-三建乡.xlsx")
    head, rows = rows_of(book["请核实"])
    assert all(r[head.index("建议")] for r in rows)  # bad_date: what a date looks like
    assert "2021-07-28" in rows[0][head.index("建议")]
    ws = book["需更正后重报"]
    head, rows = rows_of(ws)
    # the rows print legibly: no date cell in a narrow column, IDs and 户编号 on one line
    assert not any(isinstance(v, dt.date) for r in rows for v in r)
    folded = [r[head.index("其他填写内容")] for r in rows]
    assert all("登记日期：" in f and "开户行：" in f for f in folded)
    letter = openpyxl.utils.get_column_letter(head.index("户编号") + 1)
    assert ws.column_dimensions[letter].width >= len(rows[0][head.index("户编号")]) * 1.15
    assert "三建乡" in ws.oddHeader.center.text  # every page says whose list it is


def test_english_return_lists_same_names_english_headers(month):
    _, tmp = month
    names = sorted(p.name for p in (tmp / "en" / "returns").glob("*.xlsx"))
    assert names == sorted(p.name for p in (tmp / "zh" / "returns").glob("*.xlsx"))
    assert all(n.startswith("退回清单-2024-06-") for n in names)
    book = openpyxl.load_workbook(tmp / "en" / "returns" / "退回清单-2024-06-三建乡.xlsx")
    head, _ = rows_of(book.worksheets[0])
    assert "household no." in head and not [h for h in head if h and "_" in h]


def test_mistyped_id_keeps_phone_and_status_of_the_rejected_row(month):
    _, tmp = month
    book = openpyxl.load_workbook(tmp / "zh" / "townships" / "预警名单-2024-06-南天湖镇.xlsx")
    ws = book["需核查"]
    head, rows = rows_of(ws)
    typo = next(r for r in rows if r[head.index("姓名")] == "余婷")
    assert "身份证号码可能录错" in typo[head.index("预警")]
    assert typo[head.index("联系电话")] == "13996828484" and typo[head.index("花名册务工状态")]
    assert "南天湖镇" in ws.oddHeader.center.text and ws.print_title_rows


def test_county_sheets_print_legibly_with_names_not_codes(month):
    """人员状态 in two sheets of at most 14 columns, fitted to the page at 8 pt or more, no
    "<NA>" text; the county's 预警名单 names each warning, without its code."""
    from fengdu_cli.io.papers import BUDGET, paper_widths
    from fengdu_cli.io.reconcile_report import state_papers

    result, tmp = month
    for paper in state_papers(result, "zh", "丰都县"):
        assert sum(paper_widths(paper)) <= BUDGET  # one page wide at 8 pt or more
    book = openpyxl.load_workbook(tmp / "zh" / "reconcile-2024-06.xlsx")
    for name in ("人员状态", "参保与匹配"):
        ws = book[name]
        head, rows = rows_of(ws)
        assert {"姓名", "身份证号码"} <= set(head) and len(head) <= 14
        assert ws.oddHeader.center.text and ws.print_title_rows
        assert not [v for r in rows for v in r if v == "<NA>"]
    months_in_job = column(book["人员状态"], "在岗月数")
    assert None in months_in_job and any(isinstance(v, int | float) for v in months_in_job)
    head, rows = rows_of(book["预警名单"])
    assert "预警代码" not in head and "预警类型" in head
    assert not {"no_record", "status_mismatch"} & {v for r in rows for v in r}


def test_a_wide_sheet_prints_across_pages_at_a_legible_size(tmp_path):
    """A sheet one page wide would print below 8 pt: it goes across pages instead, the row
    number and name repeated on each; a narrow sheet stays one page wide."""
    import openpyxl
    import pandas as pd

    from fengdu_cli.io.write import PAGE_WIDTH, Sheet, pages_wide, write_workbook

    assert pages_wide(PAGE_WIDTH) == 1 and pages_wide(PAGE_WIDTH / 0.75 + 1) == 2
    wide = pd.DataFrame({f"填写内容{i}": ["某某某某某某某某某某某某某某某某"] for i in range(20)})
    narrow = pd.DataFrame({"姓名": ["王小红"], "行号": [3]})
    target = tmp_path / "w.xlsx"
    write_workbook(
        target, [Sheet("宽", wide, repeat_columns=(0, 1)), Sheet("窄", narrow)], lang="zh"
    )
    book = openpyxl.load_workbook(target)
    ws = book["宽"]
    assert ws.page_setup.fitToWidth >= 2 and ws.print_title_cols == "$A:$B"
    assert book["窄"].page_setup.fitToWidth in (None, 1)  # 1 is the default, left out
