"""Writing the laid-out files: .xlsx with xlsxwriter, old .xls with xlwt, CSV as encoded.

Kept apart from the layouts so that what a file holds and how its bytes are produced
are separate questions. The .xlsx creation time is passed in (derived from the month)
so the same seed always writes the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import xlsxwriter
import xlwt

from fengdu_cli.sample.layouts import Book, Cell, CsvFile, Output, Sheet, _text


def _display_width(value: Cell) -> int:
    """Columns a value takes on screen (CJK characters count twice)."""
    text = _text(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(sheet: Sheet) -> list[int]:
    """Column widths that fit the first rows (titles in merged cells ignored)."""
    body = [r for r in sheet.rows[:60] if len(r) > 1]
    columns = max((len(r) for r in body), default=0)
    return [
        min(40, max([_display_width(r[c]) for r in body if c < len(r)] + [4]) + 2)
        for c in range(columns)
    ]


def _write_xlsx(book: Book, path: Path, created: dt.datetime) -> None:
    """Write with xlsxwriter: strings stay strings, ints/floats numbers, dates date cells."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": created, "author": "fengdu sample"})
    bold = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True})
    for sheet in book.sheets:
        ws = wb.add_worksheet(sheet.name)
        date = wb.add_format({"num_format": sheet.date_format})
        for c, width in enumerate(_widths(sheet)):
            ws.set_column(c, c, width)
        for r, row in enumerate(sheet.rows):
            style = bold if r in sheet.header_rows else None
            for c, value in enumerate(row):
                _write_cell(ws, r, c, value, style, date)
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_range(
                r1,
                c1,
                r2,
                c2,
                sheet.rows[r1][c1] if c1 < len(sheet.rows[r1]) else "",
                bold if r1 in sheet.header_rows else None,
            )
    wb.close()


def _write_cell(ws, r: int, c: int, value: Cell, style, date) -> None:
    """Write one cell with the right xlsxwriter call (empty cells stay empty)."""
    if value is None or value == "":
        return
    if isinstance(value, dt.date):
        ws.write_datetime(r, c, value, date)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, style)
    else:
        ws.write_string(r, c, value, style)


def _write_xls(book: Book, path: Path) -> None:
    """Write an old Excel 97-2003 file with xlwt (text as text, numbers as numbers)."""
    wb = xlwt.Workbook(encoding="utf-8")
    bold = xlwt.easyxf("font: bold on; align: horiz center")
    for sheet in book.sheets:
        ws = wb.add_sheet(sheet.name)
        for c, width in enumerate(_widths(sheet)):
            ws.col(c).width = 256 * width
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if r in sheet.header_rows:
                    ws.write(r, c, value, bold)
                else:
                    ws.write(r, c, value)
    wb.save(str(path))


def _write_csv(file: CsvFile, path: Path) -> None:
    """Write lines with the file's encoding and line ending (None = empty line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=file.newline)
    for line in file.lines:
        if line is None:
            buffer.write(file.newline)
        else:
            writer.writerow(line)
    path.write_bytes(buffer.getvalue().encode(file.encoding))


def _write(output: Output, out_dir: Path, created: dt.datetime) -> None:
    """Write one output file under ``out_dir`` by its type."""
    path = out_dir / output.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(output, CsvFile):
        _write_csv(output, path)
    elif output.path.endswith(".xls"):
        _write_xls(output, path)
    else:
        _write_xlsx(output, path, created)
