"""Tables longer than a sheet holds, and the person state of a large month.

XlsxWriter ignores a cell below row 1,048,576 without a word: a table longer than a sheet goes
on in further sheets, every line in exactly one; and a month with more persons than
``PERSON_SHEET_ROWS`` writes its person state to ``persons-YYYY-MM.csv`` beside the workbook,
the workbook's 人员状态 sheet saying where.
"""

from __future__ import annotations

import csv
import json
import stat

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from fengdu_cli.cli import app
from fengdu_cli.io import papers, reconcile_report, write
from fengdu_cli.io.papers import Paper, Table, write_papers
from fengdu_cli.io.write import Sheet, continued, write_workbook
from tests.test_reconcile import build

runner = CliRunner()


@pytest.mark.parametrize(
    ("rows", "size", "expected"),
    [
        (0, 3, [("名单", 0, 0)]),
        (3, 3, [("名单", 0, 3)]),  # exactly full: one sheet
        (4, 3, [("名单", 0, 3), ("名单（2）", 3, 1)]),  # one more line: a second
        (7, 3, [("名单", 0, 3), ("名单（2）", 3, 3), ("名单（3）", 6, 1)]),
    ],
)
def test_continued_cuts_every_line_into_one_part(rows, size, expected):
    frame = pd.DataFrame({"a": range(rows)})
    parts = continued("名单", frame, size)
    assert [(name, start, len(part)) for name, start, part in parts] == expected
    assert pd.concat([p for _, _, p in parts])["a"].tolist() == list(range(rows))


def test_continued_names_fit_excel():
    name = "很" * 31
    parts = continued(name, pd.DataFrame({"a": range(25)}), 2)
    names = [n for n, _, _ in parts]
    assert all(len(n) <= 31 for n in names)
    assert len(set(names)) == len(names) == 13
    assert names[-1].endswith("（13）")


def _sheet_values(path, name):
    return [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


def test_workbook_goes_on_in_further_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "SHEET_LINES", 4)
    frame = pd.DataFrame(
        {"身份证号码": [f"50023019900101{i:04d}" for i in range(10)], "n": range(10)}
    )
    target = write_workbook(tmp_path / "w.xlsx", [Sheet("名单", frame, red_cells=[(5, 1)])])
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["名单", "名单（2）", "名单（3）"]
    ids = [r[0] for name in book.sheetnames for r in _sheet_values(target, name)[1:]]
    assert ids == frame["身份证号码"].tolist()  # every line once, in order
    red = book["名单（2）"].cell(row=3, column=2)  # line 5 is the second of the second part
    assert red.value == 5 and red.fill.fgColor.rgb.endswith("FFC7CE")


def test_papers_go_on_in_further_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "SHEET_LINES", 3)
    frame = pd.DataFrame({"姓名": [f"人{i}" for i in range(7)]})
    target = write_papers(tmp_path / "p.xlsx", [Paper("名单", [Table(frame)], title="标题")])
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["名单", "名单（2）", "名单（3）"]
    names = []
    for sheet in book.sheetnames:
        rows = _sheet_values(target, sheet)
        assert rows[0][0] == "标题" and rows[1][0] == "姓名"  # every part titled and headed
        names += [r[0] for r in rows[2:]]
    assert names == frame["姓名"].tolist()


def test_a_long_table_with_a_total_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "SHEET_LINES", 3)
    frame = pd.DataFrame({"乡镇": list("abcde"), "人数": [1, 2, 3, 4, 5]})
    with pytest.raises(ValueError, match="total"):
        write_papers(tmp_path / "t.xlsx", [Paper("汇总", [Table(frame, total="合计")])])
    assert not (tmp_path / "t.xlsx").exists()  # nothing half-written


def test_a_sheet_longer_than_excel_is_refused():
    write.fits("名单", 1_048_576)
    with pytest.raises(ValueError, match="1,048,577"):
        write.fits("名单", 1_048_577)


def _reconcile(data, out, db):
    return runner.invoke(
        app,
        ["reconcile", "--month", "2024-06", "--data", str(data), "--out", str(out),
         "--db", str(db), "--json"],
    )  # fmt: skip


def test_large_month_writes_person_state_to_csv(tmp_path, monkeypatch):
    data, _ = build(tmp_path)
    out = tmp_path / "out"
    small = _reconcile(data, tmp_path / "small", tmp_path / "s.db")
    persons = json.loads(small.output)["persons"]
    assert not (tmp_path / "small" / "persons-2024-06.csv").exists()  # fits the workbook
    monkeypatch.setattr(reconcile_report, "PERSON_SHEET_ROWS", persons - 1)
    result = _reconcile(data, out, tmp_path / "f.db")
    assert result.exit_code == 1, result.output
    target = out / "persons-2024-06.csv"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # full IDs: the owner only
    with open(target, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == persons
    book = openpyxl.load_workbook(out / "reconcile-2024-06.xlsx")
    assert "参保与匹配" not in book.sheetnames
    said = [c for r in book["人员状态"].iter_rows(values_only=True) for c in r if c]
    assert any("persons-2024-06.csv" in str(c) and f"{persons:,}" in str(c) for c in said)
    # both sheets' columns, the IDs in full (text-marked for a spreadsheet)
    small_book = openpyxl.load_workbook(tmp_path / "small" / "reconcile-2024-06.xlsx")
    heads = []
    for name in ("人员状态", "参保与匹配"):
        header = next(r for r in small_book[name].iter_rows(values_only=True) if "姓名" in r)
        heads += [h for h in header if h not in heads]
    assert list(rows[0]) == heads
    dates = [r["入职日期"] for r in rows if r.get("入职日期")]
    assert dates and all(len(d) == 10 and d[4] == "-" for d in dates)  # 2021-07-24, no time
    ids = {r["身份证号码"].rstrip("\t") for r in rows}
    shown = {
        r[heads.index("身份证号码")]
        for r in small_book["人员状态"].iter_rows(values_only=True)
        if r and r[heads.index("身份证号码")] and r[heads.index("身份证号码")] != "身份证号码"
    }
    assert ids == shown
    # the month again, now small enough: the CSV would contradict the workbook
    monkeypatch.setattr(reconcile_report, "PERSON_SHEET_ROWS", persons)
    assert _reconcile(data, out, tmp_path / "f.db").exit_code == 1
    assert not target.exists()
    assert (out / "已过期" / "persons-2024-06.csv").exists()
    assert "参保与匹配" in openpyxl.load_workbook(out / "reconcile-2024-06.xlsx").sheetnames


def test_papers_module_uses_the_shared_limit():
    assert papers.write.SHEET_LINES == write.SHEET_LINES <= 1_048_576 - 10


CELLS = [None, float("nan"), pd.NA, 12, 3.5, -7, "", "=1+1", "+86 138", "-5", "-5.5", "-x", "@a",
         "\tx", "\ry", "a=b", "500230199001011234", "0123", "12a", "１２３", "٣٤", True,
         pd.Timestamp("2024-06-01")]  # fmt: skip


@pytest.mark.parametrize("cells", [CELLS, ["=a", "b"], ["x", "y"], [None, None], [1, 2], []])
def test_column_helpers_match_the_cell_by_cell_rules(cells):
    series = pd.Series(cells, dtype=object)
    same = series.map(write.neutralised)
    assert write.neutralised_column(series).tolist() == same.tolist()
    expected = series.map(
        lambda v: v + write.TEXT_MARK if isinstance(v, str) and write._DIGITS.fullmatch(v) else v
    )
    assert write.as_text_mark(series).astype(object).tolist() == expected.astype(object).tolist()


def test_a_payment_list_longer_than_a_sheet_is_refused(tmp_path, monkeypatch):
    """The payment lists are never cut by XlsxWriter: a sheet too long is refused (a bug)
    before anything is written."""
    from fengdu_cli.io import payments_report
    from tests.test_payments_report import RULES, sample_lines

    calls = []
    real = write.fits

    def tiny(name, rows):
        calls.append(rows)
        if rows > 5:
            raise ValueError(f"sheet {name!r} would need {rows:,} rows")
        real(name, rows)

    monkeypatch.setattr(payments_report.write, "fits", tiny)
    with pytest.raises(ValueError, match="rows"):
        payments_report.write_publicity_workbook(
            sample_lines(), tmp_path / "p.xlsx", month=202406, rules=RULES
        )
    assert calls and not (tmp_path / "p.xlsx").exists()
