"""The printed payment lists: 发放花名册 workbook, 公示 workbook and the payments CSV."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from fengdu_cli.idcard import check_digit, mask
from fengdu_cli.io.payments_report import (
    NO_LINES,
    PAYMENT_CSV_COLUMNS,
    SIGNATURE,
    month_title,
    payments_csv,
    sheet_names,
    write_payments_workbook,
    write_publicity_workbook,
)
from fengdu_cli.io.write import write_csv
from fengdu_cli.money import capital, sum_fen, to_fen

RULES = [
    ("hire_once", "一次性吸纳就业补贴"),
    ("workshop_monthly", "就业帮扶车间带动就业奖补"),
    ("travel", "跨区域交通补助"),
]
BATCH = "2024-06-R3"
CREATED = dt.datetime(2024, 6, 30)
EMPLOYER = "91500230MA5U8XYZ1K"
EMPLOYER_2 = "91500230MA60ABCD2P"
HEADER_ROW, FIRST_DATA = 3, 4  # 1-based rows in Excel: title, batch line, header, data


def _id(body: str) -> str:
    """A valid 18-digit ID from its first 17 digits."""
    return body + check_digit(body)


ZHANG, LI, WANG, ZHAO, LIU = (
    _id("50023019900101123"),
    _id("50023019850202345"),
    _id("50023019920303456"),
    _id("50023020000404567"),
    _id("50023019781231001"),
)


def _line(rule: str, payee_type: str, payee: tuple[str, str], person: tuple[str, str], **kw):
    names = dict(RULES)
    return {
        "rule": rule,
        "rule_name": names[rule],
        "payee_type": payee_type,
        "payee_id": payee[0],
        "payee_name": payee[1],
        "township": kw.get("township", "虎威镇"),
        "village": kw.get("village", "红岩村"),
        "person_id": person[0],
        "person_name": person[1],
        "amount_fen": kw.get("fen", 600000),
        "period": kw.get("period", ""),
        "basis": kw.get("basis", "吸纳脱贫人口，连续参保12个月"),
        "batch_id": BATCH,
    }


@pytest.fixture
def lines() -> pd.DataFrame:
    return sample_lines()


def sample_lines() -> pd.DataFrame:
    """Three employer lines of two firms and three travel lines, over two townships."""
    firm, firm2 = (EMPLOYER, "重庆丰都某某食品有限公司"), (EMPLOYER_2, "丰都县江池建材厂")
    travel = {"period": "2024", "basis": "市外务工"}
    sanhe = {"township": "三合街道", "village": "双桂村"}
    rows = [
        _line("hire_once", "employer", firm, (ZHANG, "张三")),
        _line("hire_once", "employer", firm2, (LI, "李四"), **sanhe),
        _line("hire_once", "employer", firm, (ZHAO, "赵六")),
        _line("travel", "person", (WANG, "王五"), (WANG, "王五"), fen=20000, **travel),
        _line("travel", "person", (LIU, "刘七"), (LIU, "刘七"), fen=5050, **sanhe, **travel),
        _line("travel", "person", (ZHAO, "赵六"), (ZHAO, "赵六"), fen=5000, **travel),
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def book_path(lines: pd.DataFrame, tmp_path: Path) -> Path:
    return write_payments_workbook(
        lines, tmp_path / "payments-2024-06.xlsx", month=202406, batch_id=BATCH, rules=RULES,
        created=CREATED,
    )  # fmt: skip


@pytest.fixture
def book(book_path: Path) -> openpyxl.Workbook:
    """The workbook as a viewer that does not calculate shows it: the cached values."""
    return openpyxl.load_workbook(book_path, data_only=True)


@pytest.fixture
def formulas(book_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(book_path)


def _rows(ws) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(min_row=FIRST_DATA, values_only=True)]


def _header(ws) -> list[str]:
    return [c.value for c in ws[HEADER_ROW]]


def _grand_total_row(ws) -> list[object]:
    return next(r for r in _rows(ws) if r[1] == "合计")


# ---------------------------------------------------------------- payments workbook


def test_sheets_one_per_rule_in_order(book) -> None:
    assert book.sheetnames == [
        "汇总",
        "一次性吸纳就业补贴",
        "就业帮扶车间带动就业奖补",
        "跨区域交通补助",
    ]


def test_title_batch_line_and_headers(book) -> None:
    ws = book["一次性吸纳就业补贴"]
    assert ws["A1"].value == "丰都县2024年6月一次性吸纳就业补贴发放花名册"
    line2 = [c.value for c in ws[2] if c.value]
    assert line2[0] == f"批次号：{BATCH}"
    assert line2[1].startswith("制表日期：") and not re.search(r"\d", line2[1])
    assert _header(ws) == [  # paid to employers: the lines under their payee
        "序号", "单位名称", "统一社会信用代码", "乡镇（街道）",
        "人员姓名", "人员身份证号码", "金额（元）", "发放期间", "依据", "签字（盖章）",
    ]  # fmt: skip
    assert _header(book["跨区域交通补助"]) == [
        "序号", "乡镇（街道）", "姓名/单位名称", "身份证号码/统一社会信用代码",
        "金额（元）", "发放期间", "依据", "签字（盖章）",
    ]  # fmt: skip


def test_employer_lines_grouped_under_their_payee(book) -> None:
    ws = book["一次性吸纳就业补贴"]
    rows = _rows(ws)
    # payees by name, each with its subtotal wherever its workers live
    # 小计 in the 序号 cell; the count under 乡镇 (never in the credit-code column)
    assert [r[0] for r in rows[:5]] == [1, "小计", 2, 3, "小计"]
    assert rows[0][1:4] == ["丰都县江池建材厂", EMPLOYER_2, "三合街道"]
    assert rows[1][1:4] == ["丰都县江池建材厂 小计", None, 1] and rows[1][6] == 6000
    assert [r[5] for r in rows[2:4]] == [ZHANG, ZHAO]
    assert rows[4][1:4] == ["重庆丰都某某食品有限公司 小计", None, 2] and rows[4][6] == 12000
    assert rows[5][1] == "合计" and rows[5][3] == 3 and rows[5][6] == 18000


def test_person_lines_grouped_by_township(book) -> None:
    rows = _rows(book["跨区域交通补助"])
    # official township order: 三合街道 before 虎威镇; names sorted inside a township
    assert [r[0] for r in rows[:5]] == [1, "小计", 2, 3, "小计"]
    assert rows[0][1:3] == ["三合街道", "刘七"]
    assert rows[1][1:3] == ["三合街道 小计", 1] and rows[1][4] == pytest.approx(50.5)
    assert rows[4][1:3] == ["虎威镇 小计", 2] and rows[4][4] == 250


def test_subtotals_and_totals_are_formulas_with_cached_values(formulas, book) -> None:
    ws, cached = formulas["一次性吸纳就业补贴"], book["一次性吸纳就业补贴"]
    # rows 5 and 8 are the subtotals, 9 the total (lines in 4, 6, 7); amounts in column G
    assert ws["D5"].value == "=COUNT(A4:A4)" and ws["G5"].value == "=SUM(G4:G4)"
    assert ws["D8"].value == "=COUNT(A6:A7)" and ws["G8"].value == "=SUM(G6:G7)"
    assert ws["D9"].value == "=SUM(D5,D8)" and ws["G9"].value == "=SUM(G5,G8)"
    assert [cached[c].value for c in ("D5", "G5", "D8", "G8", "D9", "G9")] == [
        1,
        6000,
        2,
        12000,
        3,
        18000,
    ]
    travel = formulas["跨区域交通补助"]
    assert travel["E9"].value == "=SUM(E5,E8)" and book["跨区域交通补助"]["E9"].value == 300.5


def test_grand_total_and_capitals(book, lines: pd.DataFrame) -> None:
    for code, name in RULES:
        ws = book[name]
        part = lines[lines["rule"] == code]
        total = _grand_total_row(ws)
        money = _header(ws).index("金额（元）")
        assert next(v for v in total[2:] if v is not None) == len(part)
        assert to_fen(f"{total[money]:.2f}") == sum_fen(part["amount_fen"])
        assert total[money + 1] == f"大写：{capital(sum_fen(part['amount_fen']))}"
    assert _grand_total_row(book["跨区域交通补助"])[5] == "大写：叁佰元零伍角整"


def test_subtotals_add_up_to_the_total(book) -> None:
    ws = book["跨区域交通补助"]
    money = _header(ws).index("金额（元）")
    rows = _rows(ws)
    data = [r for r in rows if isinstance(r[0], int)]
    subtotals = [r for r in rows if str(r[1]).endswith(" 小计")]
    fen = [to_fen(f"{r[money]:.2f}") for r in data]
    assert sum(to_fen(f"{r[money]:.2f}") for r in subtotals) == sum(fen) == 30050
    assert sum(r[2] for r in subtotals) == len(data) == 3


def test_signature_line_after_two_blank_rows(book) -> None:
    ws = book["一次性吸纳就业补贴"]
    rows = _rows(ws)
    at = next(i for i, r in enumerate(rows) if r[1] == "合计")
    assert rows[at + 1][0] is None and rows[at + 2][0] is None
    assert rows[at + 3][0] == SIGNATURE


def test_ids_are_text_cells(book) -> None:
    ws = book["一次性吸纳就业补贴"]
    ids = {ws.cell(r, c).value: ws.cell(r, c) for r in range(FIRST_DATA, ws.max_row + 1)
           for c in (3, 6) if isinstance(ws.cell(r, 1).value, int)}  # fmt: skip
    assert set(ids) == {EMPLOYER, EMPLOYER_2, ZHANG, LI, ZHAO}
    for cell in ids.values():
        assert cell.data_type == "s"
        assert cell.number_format == "@"


def test_amounts_are_numbers_with_money_format(book) -> None:
    ws = book["跨区域交通补助"]
    cell = ws.cell(FIRST_DATA, 5)
    assert cell.data_type == "n" and cell.value == pytest.approx(50.5)
    assert cell.number_format == "#,##0.00_ "  # a space: never touching 发放期间
    assert ws.cell(FIRST_DATA, 6).alignment.horizontal == "center"


def test_print_setup(book) -> None:
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9
        assert ws.print_title_rows == "$1:$3"
        # a scale of its own, not fit-to-page: Excel ignores manual page breaks under it
        assert 10 <= int(ws.page_setup.scale or 100) <= 100  # 100 is not written
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_options.horizontalCentered
        footer = ws.oddFooter.center.text
        assert "&P" in footer and "&N" in footer
        assert BATCH in ws.oddHeader.right.text
        assert ws.freeze_panes == "A4"
        assert ws["A4"].font.name == "宋体"


def test_empty_rule_sheet(book) -> None:
    ws = book["就业帮扶车间带动就业奖补"]
    rows = _rows(ws)
    assert rows[0][0] == NO_LINES
    assert rows[1][1:3] == ["合计", 0] and rows[1][4] == 0 and rows[1][5] == "大写：零元整"
    assert _rows(book["汇总"])[4][1:5] == ["就业帮扶车间带动就业奖补", 0, 0, 0]
    assert ws["A1"].value == "丰都县2024年6月就业帮扶车间带动就业奖补发放花名册"


def test_same_inputs_same_bytes(lines: pd.DataFrame, tmp_path: Path, book_path: Path) -> None:
    again = write_payments_workbook(
        lines.sample(frac=1, random_state=1), tmp_path / "again.xlsx", month=202406,
        batch_id=BATCH, rules=RULES, created=CREATED,
    )  # fmt: skip
    assert again.read_bytes() == book_path.read_bytes()
    pub = [
        write_publicity_workbook(lines, tmp_path / f"pub{i}.xlsx", month=202406, rules=RULES,
                                 created=CREATED).read_bytes()
        for i in (1, 2)
    ]  # fmt: skip
    assert pub[0] == pub[1]


def test_unknown_rule_is_an_error_and_leaves_no_file(lines: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="travel"):
        write_payments_workbook(lines, tmp_path / "p.xlsx", month=202406, batch_id=BATCH,
                                rules=RULES[:2])  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_float_amounts_are_refused(lines: pd.DataFrame, tmp_path: Path) -> None:
    lines["amount_fen"] = lines["amount_fen"] / 1.0
    with pytest.raises(TypeError):
        write_payments_workbook(lines, tmp_path / "p.xlsx", month=202406, batch_id=BATCH,
                                rules=RULES)  # fmt: skip


def test_no_lines_at_all(tmp_path: Path) -> None:
    empty = pd.DataFrame(columns=[*PAYMENT_CSV_COLUMNS[:7], "amount_fen", "period", "basis"])
    empty["amount_fen"] = empty["amount_fen"].astype("int64")
    path = write_payments_workbook(empty, tmp_path / "p.xlsx", month=202412, batch_id="B",
                                   rules=RULES)  # fmt: skip
    book = openpyxl.load_workbook(path)
    assert all(_rows(ws)[0][0] == NO_LINES for ws in book.worksheets[1:])
    assert book.worksheets[1]["A1"].value == "丰都县2024年12月一次性吸纳就业补贴发放花名册"
    assert payments_csv(empty).columns.tolist()[: len(PAYMENT_CSV_COLUMNS)] == PAYMENT_CSV_COLUMNS


def test_sheet_names_are_excel_safe() -> None:
    long = "很长的补贴名称" * 6
    names = sheet_names([("a", "甲/乙[丙]"), ("b", long), ("c", long), ("d", "")])
    assert names[0] == "甲_乙_丙_"
    assert names[1] == long[:31] and names[2].endswith("(2)") and len(names[2]) == 31
    assert names[3] == "d"
    with pytest.raises(ValueError):
        sheet_names([("a", "x"), ("a", "y")])


@pytest.mark.parametrize(("month", "text"), [(202406, "2024年6月"), (202112, "2021年12月")])
def test_month_title(month: int, text: str) -> None:
    assert month_title(month) == text


def test_month_title_rejects_bad_months() -> None:
    with pytest.raises(ValueError):
        month_title(202413)


# ---------------------------------------------------------------- publicity workbook


@pytest.fixture
def publicity(lines: pd.DataFrame, tmp_path: Path) -> openpyxl.Workbook:
    path = write_publicity_workbook(lines, tmp_path / "publicity-2024-06.xlsx", month=202406,
                                    rules=RULES, created=CREATED)  # fmt: skip
    return openpyxl.load_workbook(path, data_only=True)


def test_publicity_layout(publicity) -> None:
    assert publicity.sheetnames == ["公示名单"]
    ws = publicity["公示名单"]
    assert ws["A1"].value == "丰都县2024年6月就业帮扶补贴发放公示"
    assert _header(ws) == [
        "序号", "乡镇（街道）", "村（社区）", "姓名/单位名称",
        "身份证号码/统一社会信用代码", "补贴项目", "金额（元）",
    ]  # fmt: skip
    rows = _rows(ws)
    assert rows[0][1:4] == ["三合街道", "双桂村", "丰都县江池建材厂（李四）"]
    assert rows[0][4] == EMPLOYER_2 and rows[0][5] == "一次性吸纳就业补贴"
    person_row = next(r for r in rows if r[3] == "王五")
    assert person_row[4] == mask(WANG) == WANG[:6] + "********" + WANG[-4:]
    assert _grand_total_row(ws)[6] == pytest.approx(12000 + 6000 + 300.5)
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any(t.startswith("公示期：自公示之日起5个工作日。如有异议，请向丰都县人力资源和社会保障局反映。")
               and "联系电话" in t for t in texts)  # fmt: skip
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$3"


def test_publicity_has_no_full_id_phone_or_bank(publicity, lines: pd.DataFrame) -> None:
    full_ids = set(lines["person_id"]) | set(lines.loc[lines["payee_type"] == "person", "payee_id"])
    ws = publicity["公示名单"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    texts += [str(v) for v in vars(publicity.properties).values() if v]
    for text in texts:
        assert not any(i in text for i in full_ids), text
        assert not re.search(r"\d{15,}", text.replace(EMPLOYER, "").replace(EMPLOYER_2, ""))
    header = "".join(_header(ws))
    for word in ("电话", "手机", "银行", "账号", "卡号", "开户"):
        assert word not in header


def test_publicity_persons_only_header(lines: pd.DataFrame, tmp_path: Path) -> None:
    persons = lines[lines["payee_type"] == "person"]
    path = write_publicity_workbook(persons, tmp_path / "p.xlsx", month=202406, rules=RULES)
    assert "身份证号码" in _header(openpyxl.load_workbook(path)["公示名单"])


# ---------------------------------------------------------------- payments CSV


def test_payments_csv(lines: pd.DataFrame, book, tmp_path: Path) -> None:
    csv = payments_csv(lines)
    # DESIGN's, the payee's account, then the batch
    assert csv.columns.tolist() == [
        *PAYMENT_CSV_COLUMNS, "account_no", "bank", "account_name", "batch_id",
    ]  # fmt: skip
    assert PAYMENT_CSV_COLUMNS == [
        "rule", "payee_type", "payee_id", "payee_name", "township",
        "person_id", "person_name", "amount", "period", "basis",
    ]  # fmt: skip
    assert csv["amount"].tolist() == ["6000.00", "6000.00", "6000.00", "200.00", "50.50", "50.00"]
    assert csv["payee_id"].tolist() == lines["payee_id"].tolist()

    path = write_csv(csv, tmp_path / "payments-2024-06.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    csv_total = sum_fen(to_fen(a) for a in back["amount"])
    book_total = sum(to_fen(f"{_grand_total_row(ws)[_header(ws).index('金额（元）')]:.2f}")
                     for ws in book.worksheets[1:])  # fmt: skip
    assert csv_total == book_total == sum_fen(lines["amount_fen"]) == 1830050
    # an all-digit ID carries the trailing tab that keeps it text in a spreadsheet
    assert back["person_id"].str.rstrip("\t").tolist() == lines["person_id"].tolist()


def test_payments_csv_missing_column(lines: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="basis"):
        payments_csv(lines.drop(columns="basis"))
