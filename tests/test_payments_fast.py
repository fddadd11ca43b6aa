"""The printed lists' fast paths give what the cell-by-cell code gave: ``_Page.rows`` (each
column worked out once) writes the same cells, widths, row texts and wrapped cells as one
``_cell`` call per cell did, and ``wrap_text`` with its remembered word widths breaks every
text where it broke before.  The old code is kept here, as the reference."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from fengdu_cli.io.payments_report import (
    _MARKED_CHAR,
    _WORD,
    PAD,
    TAIL_COLUMNS,
    Column,
    _Page,
    _Styles,
    wrap_text,
    wrapped_lines,
    write_payments_workbook,
    write_publicity_workbook,
)
from fengdu_cli.io.write import display_width
from tests.test_payments_report import BATCH, CREATED, RULES, sample_lines


def reference_wrap_text(value: str, width: float) -> str:
    """``wrap_text`` as it was: every word measured afresh."""
    room = max(width - 1.5, 2.0)
    out: list[str] = []
    for part in str(value).split("\n"):
        line, used = "", 0.0
        for word in _WORD.findall(part):
            size = display_width(word)
            if used + size <= room:
                line, used = line + word, used + size
            elif word.isspace():
                continue
            elif size <= room:
                out.append(line.rstrip())
                line, used = word, size
            else:
                for ch in _MARKED_CHAR.findall(word):
                    if used + display_width(ch) > room and line:
                        out.append(line.rstrip())
                        line, used = "", 0.0
                    line, used = line + ch, used + display_width(ch)
        out.append(line.rstrip())
    return "\n".join(out)


class ReferencePage(_Page):
    """A page that writes its lines one ``_cell`` call per cell, as before."""

    def rows(self, frame: pd.DataFrame, *, first_seq: int) -> tuple[int, int]:
        fields = [c.field for c in self.columns]
        values = {f: frame[f].tolist() for f in fields if f and f != "_seq"}
        first = self.row
        for i in range(len(frame)):
            for j, (column, field) in enumerate(zip(self.columns, fields, strict=True)):
                value = first_seq + i if field == "_seq" else values[field][i] if field else ""
                self._cell(j, column, value)
            self.height(self.DATA_HEIGHT)
            self.row += 1
        if len(frame):
            start = first if self._data is None else self._data[0]
            self._data = (start, self.row - 1)
        return first, self.row - 1

    def _cell(self, j: int, column: Column, value: Any) -> None:
        fmt = self.styles.cell(column.kind)
        if column.kind == "money":
            shown = f"{int(value) / 100:,.2f} "
            self.ws.write_number(self.row, j, int(value) / 100, fmt)
        elif column.kind == "seq":
            shown = str(value)
            self.ws.write_number(self.row, j, int(value), fmt)
        elif value == "":
            shown = ""
            self.ws.write_blank(self.row, j, None, fmt)
        else:
            shown = str(value)
            self.ws.write_string(self.row, j, shown, fmt)
            if column.kind == "wrap":
                self._prewrapped.append((self.row, j, shown, fmt))
            if column.kind in ("text", "wrap"):
                self.wrapped(j, j, shown)
        self.widths[j] = max(self.widths[j], display_width(shown) + PAD)


COLUMNS = [
    Column("seq", "_seq", "seq", max_width=6, min_width=5),
    Column("township", "township", min_width=10),
    Column("payee_id", "payee_id", "id", min_width=20),
    Column("village", "village", "text", max_width=8, min_width=6),
    Column("period", "period", "center", min_width=11),
    Column("basis", "basis", "wrap", max_width=34, min_width=12),
    Column("household", "note", "wrap", max_width=20, min_width=6),
    Column("amount", "amount_fen", "money", min_width=12),
    Column("signed", "", "blank", max_width=14, min_width=14),
]
ODD = ["", " ", "a", "虎威镇", "  两边有空格  ", None, math.nan, 0, 12.5, True, "x\ny", "（）。，"]


def _frame(values: list[Any], n: int) -> pd.DataFrame:
    """``n`` lines whose text columns cycle through ``values`` (each column shifted)."""
    take = [values[i % len(values)] for i in range(n)]
    return pd.DataFrame(
        {
            "township": take,
            "payee_id": take[1:] + take[:1],
            "period": take[2:] + take[:2],
            "basis": take[3:] + take[:3],
            "note": take[::-1],
            "village": take[4:] + take[:4],
            "amount_fen": [(i * 12345) % 9_000_000 - 100 for i in range(n)],
        },
        dtype=object,
    ).astype({"amount_fen": "int64"})


def _state(page_class: type[_Page], groups: list[pd.DataFrame], tmp_path: Path) -> tuple:
    """Everything a page holds after writing ``groups`` and finishing."""
    book = xlsxwriter.Workbook(str(tmp_path / f"{page_class.__name__}.xlsx"))
    page = page_class(book.add_worksheet("s"), _Styles(book, "zh"), COLUMNS, "zh")
    page.title("标题")
    page.subline("批次", "日期")
    page.header()
    spans, seq = [], 1
    for group in groups:
        spans.append(page.rows(group, first_seq=seq))
        seq += len(group)
    wrapped = [(r, j, t, book.formats.index(f)) for r, j, t, f in page._prewrapped]
    before = (list(page.widths), dict(page._texts), wrapped, dict(page.heights))
    page.finish(header="", breaks=True)
    table = {
        r: {j: tuple(book.formats.index(v) if v in book.formats else v for v in cell)
            for j, cell in cells.items()}
        for r, cells in page.ws.table.items()
    }  # fmt: skip
    strings = list(book.str_table.string_table)
    book.close()
    return spans, before, table, strings, page.breaks, dict(page.heights)


@pytest.mark.parametrize(
    "sizes", [[0], [1], [3, 0, 5], [12, 7, 1]], ids=["empty", "one", "with-empty", "groups"]
)
def test_rows_write_what_cell_by_cell_wrote(sizes: list[int], tmp_path: Path) -> None:
    frame = _frame(ODD, sum(sizes))
    bounds = [0, *pd.Series(sizes).cumsum().tolist()]
    groups = [frame.iloc[a:b] for a, b in itertools.pairwise(bounds)]
    assert _state(_Page, groups, tmp_path) == _state(ReferencePage, groups, tmp_path)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.text(max_size=40), st.none(), st.integers()), min_size=1, max_size=30
    )
)
def test_rows_equal_for_any_texts(values: list[Any], tmp_path_factory) -> None:
    tmp = tmp_path_factory.mktemp("rows")
    groups = [_frame(values, len(values))]
    assert _state(_Page, groups, tmp) == _state(ReferencePage, groups, tmp)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120), st.floats(0, 60))
def test_wrap_text_breaks_where_it_broke(value: str, width: float) -> None:
    assert wrap_text(value, width) == reference_wrap_text(value, width)
    assert wrapped_lines(value, width) == len(reference_wrap_text(value, width).split("\n"))


@pytest.mark.parametrize(
    "value",
    ["", " ", "\n", "a\n\nb", "   x   ", "（", "）", "2023-03-12入职某某有限公司（全日制），连续缴纳社保15个月",
     "A" * 80, "中" * 80, "\u2e80\u2e81" * 20, "\ud800x"],
)  # fmt: skip
@pytest.mark.parametrize("width", [0, 2, 3.5, 10, 34])
def test_wrap_text_edge_cases(value: str, width: float) -> None:
    assert wrap_text(value, width) == reference_wrap_text(value, width)


def test_workbooks_are_the_same_bytes_as_cell_by_cell(tmp_path: Path, monkeypatch) -> None:
    """The payment and publicity workbooks of the sample lines, byte for byte."""
    lines = sample_lines()

    def write(folder: Path) -> list[bytes]:
        folder.mkdir()
        pay = write_payments_workbook(
            lines, folder / "p.xlsx", month=202406, batch_id=BATCH, rules=RULES, created=CREATED
        )
        pub = write_publicity_workbook(
            lines, folder / "g.xlsx", month=202406, rules=RULES, created=CREATED
        )
        return [pay.read_bytes(), pub.read_bytes()]

    fast = write(tmp_path / "fast")
    monkeypatch.setattr("fengdu_cli.io.payments_report._Page", ReferencePage)
    monkeypatch.setattr("fengdu_cli.io.payments_report.wrap_text", reference_wrap_text)
    assert fast == write(tmp_path / "reference")


def test_tail_columns_are_the_ones_pinned() -> None:
    """The kinds the reference is run with cover every kind a printed list has."""
    assert {c.kind for c in TAIL_COLUMNS} <= {c.kind for c in COLUMNS}
