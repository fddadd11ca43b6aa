"""The township's papers and the county's summary, opened as the clerks open them:
退回清单 per township and month, 预警名单 one row per person in two lists, the 汇总 sheet."""

from __future__ import annotations

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
    phones = dict(zip(result.checked["roster"].valid["id_number"],
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
