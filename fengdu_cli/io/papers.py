"""Papers to print and send: sheets made of titled tables that fit the page legibly.

The generic writer (:mod:`fengdu_cli.io.write`) fits a whole sheet to one page wide, which
prints a wide township roster at 4 pt.  A paper here is laid out for A4 landscape instead:
when its columns fit one page wide at 8 pt or more they are scaled to fit; otherwise the
widest columns are narrowed and their text wrapped, so one row prints on two lines rather
than shrinking.  Totals are formulas over the lines with their values cached, so an edited
sheet stays right and every reader sees the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from fengdu_cli.io import write
from fengdu_cli.io.write import Sheet, Staging, atomic_path, display_width
from fengdu_cli.messages import text

FONT = "宋体"
FONT_SIZE = 11
MIN_FONT = 8  # a printed sheet is never scaled below this
# Width units (characters of the default font) one A4 landscape page holds at 100 %
# between 0.3-inch margins, with some room kept for rounding in other programs.
PAGE_UNITS = 132.0
BUDGET = PAGE_UNITS * FONT_SIZE / MIN_FONT  # what fits one page wide at 8 pt
DIGIT_ROOM = 1.15  # a digit is up to a quarter wider than a width unit where 宋体 is missing
SENTENCE_FLOOR = 20.0  # a column of sentences (问题说明, 建议, 预警原因) is never narrower
# points per printed line of an 11-pt row: the CJK fonts that stand in for 宋体 set lines
# wider apart than 宋体 itself, so a row sized for 14.5 pt lines cut its last line in half
LINE_HEIGHT = 16.0


@dataclass(frozen=True)
class Table:
    """One table of a paper: a heading above it, the frame, and a total row if asked.

    ``text_columns`` are written as text cells whatever they hold (IDs, phones, 户编号),
    and ``whole`` (default: the text columns) are kept wide enough not to wrap;
    ``total``: the label of a total row whose numeric cells are SUM formulas over the
    lines; ``widths``: fixed widths by column name; ``caps``: the most a column may take
    before its text wraps (by name; others use ``cap``).
    """

    frame: pd.DataFrame
    heading: str = ""
    text_columns: Sequence[str] = ()
    total: str = ""
    caps: dict[str, float] = field(default_factory=dict)
    cap: float = 16.0
    red_cells: Sequence[tuple[int, int]] = ()
    note: str = ""
    whole: Sequence[str] | None = None  # never wrapped (default: the text columns)


@dataclass(frozen=True)
class Paper:
    """One sheet: a title, a paragraph under it, then its tables one under the other."""

    name: str
    tables: Sequence[Table]
    title: str = ""
    lines: Sequence[str] = ()  # short lines under the title (乡镇、月份、行数、期限 …)
    paragraph: str = ""  # one instruction paragraph, wrapped across the sheet
    page_header: str = ""  # at the top of every printed page (乡镇、月份、名单): pages 2… too


def write_papers(
    target: Path,
    papers: Sequence[Paper | Sheet],
    *,
    lang: str = "zh",
    private: bool = False,
    created: dt.datetime | None = None,
    staging: Staging | None = None,
) -> Path:
    """Write ``papers`` as one workbook at ``target`` (atomic; owner-only when ``private``);
    a plain :class:`~fengdu_cli.io.write.Sheet` among them is written as
    :func:`~fengdu_cli.io.write.write_workbook` writes it."""
    with atomic_path(Path(target), private=private, staging=staging) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_numbers": False, "strings_to_formulas": False, "nan_inf_to_errors": True},
        )
        if created is not None:
            book.set_properties({"created": created})
        formats = _formats(book)
        plain = write._formats(book) if any(isinstance(p, Sheet) for p in papers) else {}
        for paper in papers:
            if isinstance(paper, Sheet):
                for sheet in write._sheet_parts(paper):
                    write._write_sheet(book, plain, sheet, lang)
            else:
                for part in _paper_parts(paper):
                    _write_paper(book, formats, part, lang)
        book.close()
    return Path(target)


def _paper_parts(paper: Paper) -> list[Paper]:
    """``paper``, or its parts when its one table is longer than a sheet holds: each part
    a sheet of its own with the paper's title, lines and header (red cells with them)."""
    if len(paper.tables) != 1:
        return [paper]
    table = paper.tables[0]
    parts = write.continued(paper.name, table.frame)
    if len(parts) == 1:
        return [paper]
    if table.total:  # a total sums one sheet: the summaries that have one are short
        raise ValueError(f"table with a total longer than a sheet: {paper.name}")
    return [
        replace(paper, name=name, tables=[replace(
            table, frame=part, red_cells=write.red_in_part(table.red_cells, start, len(part)),
        )])
        for name, start, part in parts
    ]  # fmt: skip


def _formats(book: xlsxwriter.Workbook) -> dict[str, object]:
    base = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "vcenter"}
    cell = {**base, "border": 1, "text_wrap": True, "valign": "top"}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "line": book.add_format(base),
        "paragraph": book.add_format({**base, "text_wrap": True, "valign": "top"}),
        "heading": book.add_format({**base, "bold": True, "font_size": 12}),
        "note": book.add_format({**base, "italic": True}),
        "header": book.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "align": "center",
            }
        ),
        "cell": book.add_format(cell),
        "text": book.add_format({**cell, "num_format": "@"}),
        "number": book.add_format({**cell, "num_format": "#,##0"}),
        "date": book.add_format({**cell, "num_format": "yyyy-mm-dd"}),
        "red": book.add_format({**cell, "bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "red_text": book.add_format(
            {**cell, "bg_color": "#FFC7CE", "font_color": "#9C0006", "num_format": "@"}
        ),
        "total": book.add_format({**cell, "bold": True}),
        "total_number": book.add_format({**cell, "bold": True, "num_format": "#,##0"}),
    }


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _missing(value: object) -> bool:
    """An empty cell: None, NaN, NaT or pandas' NA (never written as the text "<NA>")."""
    return (
        value is None
        or value is pd.NaT
        or value is pd.NA
        or (isinstance(value, float) and np.isnan(value))
    )


def _shown(value: object) -> str:
    if _missing(value):
        return ""
    if isinstance(value, dt.date):
        return "2024-01-01"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fitted_widths(
    natural: list[float], caps: list[float], floors: list[float], budget: float = BUDGET
) -> list[float]:
    """Column widths that fit ``budget``: each column its natural width up to its cap; if
    the caps still leave the sheet too wide, one common cap lowered until it fits, no column
    going below its floor (an ID or a phone keeps its width: it must not wrap)."""
    widths = [min(n, c) for n, c in zip(natural, caps, strict=True)]
    lows = [min(w, f) for w, f in zip(widths, floors, strict=True)]
    if sum(widths) <= budget:
        return widths
    low, high = 4.0, max(widths)
    while high - low > 0.5:
        mid = (low + high) / 2
        if sum(max(f, min(w, mid)) for w, f in zip(widths, lows, strict=True)) > budget:
            high = mid
        else:
            low = mid
    return [max(f, min(w, low)) for w, f in zip(widths, lows, strict=True)]


def _measure(value: str) -> float:
    """Printed width of a text in width units: CJK double, a Latin letter narrower than a
    digit (what the row heights are estimated from)."""
    return sum(2.0 if ord(ch) > 0x2E80 else 0.9 if ch.isalpha() or ch in " ,.;:'()" else
               DIGIT_ROOM for ch in value)  # fmt: skip


def _lines(value: str, width: float) -> int:
    """Printed lines a text needs in a wrapped column of ``width``."""
    room = max(width - 2.5, 2.0)  # a line breaks before the word or bracket that would not fit
    return sum(max(1, -(-int(_measure(part)) // int(room))) for part in value.split("\n"))


def _header_width(name: str) -> float:
    """Room a header needs: it wraps onto lines of about 8, but a word is never broken."""
    words = [display_width(w) for w in name.split()] or [0.0]
    return max(min(display_width(name), 8.0), max(words) + 1)


def paper_widths(paper: Paper) -> list[float]:
    """The column widths of ``paper``: every table's natural widths, capped, then fitted to
    the page together."""
    ncols = max((len(t.frame.columns) for t in paper.tables), default=1)
    natural = [0.0] * ncols
    caps = [0.0] * ncols
    floors = [0.0] * ncols
    for table in paper.tables:
        values = table.frame.to_numpy(dtype=object)
        for j, name in enumerate(str(c) for c in table.frame.columns):
            widest = max(
                [display_width(_shown(v)) for v in values[:2000, j]] if len(values) else [0.0]
            )
            head = _header_width(name)
            whole = table.text_columns if table.whole is None else table.whole
            keep = name in whole and widest <= 21
            if keep:  # digits are wider in some fonts (a 宋体 stand-in): room for them
                widest *= DIGIT_ROOM
            natural[j] = max(natural[j], widest + 2, head + 2, 6.0)
            caps[j] = max(caps[j], table.caps.get(name, table.cap), natural[j] if keep else 0)
            # an ID or phone keeps its width; a sentence column keeps room to be read
            floor = widest + 2 if keep else (SENTENCE_FLOOR if caps[j] >= 24 else 5.0)
            floors[j] = max(floors[j], floor)
    return fitted_widths(natural, caps, floors)


def _write_paper(book: xlsxwriter.Workbook, formats: dict, paper: Paper, lang: str) -> None:
    ws = book.add_worksheet(paper.name[:31])
    ncols = max((len(t.frame.columns) for t in paper.tables), default=1)
    widths = paper_widths(paper)
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    row = 0
    if paper.title:
        ws.write_string(row, 0, paper.title, formats["title"])
        ws.set_row(row, 22)
        row += 1
    for line in paper.lines:
        ws.write_string(row, 0, line, formats["line"])
        row += 1
    if paper.paragraph:
        last = max(ncols - 1, 0)
        if last:
            ws.merge_range(row, 0, row, last, paper.paragraph, formats["paragraph"])
        else:
            ws.write_string(row, 0, paper.paragraph, formats["paragraph"])
        ws.set_row(row, LINE_HEIGHT * _lines(paper.paragraph, sum(widths)))
        row += 1
    header_rows: tuple[int, int] | None = None
    for table in paper.tables:
        if table.heading:
            if row > 0 and table is not paper.tables[0]:
                row += 1  # a blank line between tables
            ws.write_string(row, 0, table.heading, formats["heading"])
            row += 1
        if header_rows is None and len(paper.tables) == 1:
            header_rows = (row, row)
        row = _write_table(ws, formats, table, row, widths)
        if table.note:
            ws.write_string(row, 0, table.note, formats["note"])
            row += 1
    _print_setup(ws, lang, header_rows, paper.page_header)


def _write_table(ws, formats: dict, table: Table, top: int, widths: list[float]) -> int:
    """Write ``table`` with its header at row ``top``; returns the next free row."""
    frame = table.frame
    write.fits(str(ws.name), top + 2 + len(frame))
    columns = [str(c) for c in frame.columns]
    head_lines = 1
    for j, name in enumerate(columns):
        ws.write_string(top, j, name, formats["header"])
        # bold, and broken only between words: room for a line more than plain text
        head_lines = max(head_lines, -(-int(display_width(name) * 1.2) // int(widths[j] - 1.5)))
    ws.set_row(top, LINE_HEIGHT * head_lines)
    forced = [c in table.text_columns for c in columns]
    red: dict[int, set[int]] = {}
    for i, j in table.red_cells:
        red.setdefault(j, set()).add(i)
    first = top + 1
    heights = np.ones(len(frame), dtype=np.int64)
    for j in range(len(columns)):
        values = frame.iloc[:, j].to_numpy(dtype=object)
        lines = _write_column(ws, formats, values, first, j, forced[j], red.get(j, set()),
                              widths[j])  # fmt: skip
        np.maximum(heights, lines, out=heights)
    for k in np.flatnonzero(heights > 1).tolist():
        ws.set_row(first + k, LINE_HEIGHT * int(heights[k]))
    row = first + len(frame)
    if table.total:
        ws.write_string(row, 0, table.total, formats["total"])
        for j in range(1, len(columns)):
            column = frame.iloc[:, j]
            numeric = len(column) and all(_is_number(v) for v in column)
            if numeric and not forced[j]:
                cached = float(pd.to_numeric(column).sum())
                cells = f"{xl_rowcol_to_cell(first, j)}:{xl_rowcol_to_cell(row - 1, j)}"
                ws.write_formula(row, j, f"=SUM({cells})", formats["total_number"], _cached(cached))
            else:
                ws.write_blank(row, j, None, formats["total"])
        row += 1
    return row


# the kinds pandas infers for a column whose every non-empty value is of one sort
_NUMBER_KINDS = frozenset({"integer", "floating", "mixed-integer-float"})
_DATE_KINDS = frozenset({"date", "datetime"})


def _write_column(
    ws, formats: dict, values: np.ndarray, first: int, j: int, forced: bool,
    red: set[int], width: float,
) -> np.ndarray:  # fmt: skip
    """Write column ``j`` of a table (``values``, one per line, from sheet row ``first``);
    returns the printed lines each of its cells needs.

    A column of one sort (all text, all numbers or all dates, besides empty cells) is
    written with one call per cell and no test per cell, any other cell by cell; every cell
    gets what :func:`_write_cell` would give it, and red (marked) cells are written by it."""
    n = len(values)
    lines = np.ones(n, dtype=np.int64)
    if n == 0:
        return lines
    kind = pd.api.types.infer_dtype(values, skipna=True)
    plain = ~pd.isna(values)  # filled and not marked: written in bulk below
    marked = np.zeros(n, dtype=bool)
    marked[[i for i in red if i < n]] = True
    plain &= ~marked
    rows = np.arange(first, first + n)
    if kind == "string":
        style = formats["text" if forced else "cell"]
        write = ws.write_string
        for r, v in zip(rows[plain].tolist(), values[plain].tolist(), strict=True):
            write(r, j, v, style)
        lines[plain] = _line_counts(values[plain], width)
    elif kind in _NUMBER_KINDS and not forced:
        style = formats["number"]
        write = ws.write_number
        for r, v in zip(rows[plain].tolist(), values[plain].astype(float).tolist(), strict=True):
            write(r, j, v, style)
    elif kind in _DATE_KINDS:
        style = formats["date"]
        write = ws.write_datetime
        for r, v in zip(rows[plain].tolist(), values[plain].tolist(), strict=True):
            write(r, j, v, style)
    elif kind != "empty":  # a mixed column: cell by cell
        for i in np.flatnonzero(plain).tolist():
            lines[i] = _write_cell(ws, formats, first + i, j, values[i], forced, False, width)
    blank = formats["cell"]
    for r in rows[~plain & ~marked].tolist():
        ws.write_blank(r, j, None, blank)
    for i in np.flatnonzero(marked).tolist():
        lines[i] = _write_cell(ws, formats, first + i, j, values[i], forced, True, width)
    return lines


def _write_cell(
    ws, formats: dict, r: int, j: int, value: object, forced: bool, marked: bool, width: float
) -> int:
    """Write one cell as its value's sort asks; returns the printed lines it needs."""
    if _missing(value):
        ws.write_blank(r, j, None, formats["red" if marked else "cell"])
    elif isinstance(value, dt.date):
        ws.write_datetime(r, j, value, formats["red" if marked else "date"])
    elif _is_number(value) and not forced:
        ws.write_number(r, j, float(value), formats["red" if marked else "number"])  # type: ignore[arg-type]
    else:
        shown = _shown(value)
        style = ("red_text" if marked else "text") if forced else "cell"
        ws.write_string(r, j, shown, formats["red" if marked and not forced else style])
        return _lines(shown, width)
    return 1


def _line_counts(shown: np.ndarray, width: float) -> np.ndarray:
    """:func:`_lines` of every text in ``shown``: 1 without measuring for a text too short
    to fill a line even if every character were double width; each other distinct text
    measured once."""
    texts = pd.Series(shown, dtype=object)
    room = int(max(width - 2.5, 2.0))
    short = (texts.str.len() * 2 <= room) & ~texts.str.contains("\n", regex=False)
    counts = np.ones(len(texts), dtype=np.int64)
    rest = texts[~short.to_numpy(dtype=bool)]
    if len(rest):
        counts[~short.to_numpy(dtype=bool)] = rest.map(
            {v: _lines(v, width) for v in rest.unique()}
        ).to_numpy(dtype=np.int64)
    return counts


def _cached(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _print_setup(ws, lang: str, header_rows: tuple[int, int] | None, page_header: str = "") -> None:
    """A4 landscape, one page wide (the widths keep the scale at 8 pt or more), the table's
    header on every page, ``page_header`` at the top of every page, page numbers in the
    footer."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.3, right=0.3, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    if header_rows is not None:
        ws.repeat_rows(*header_rows)
        ws.freeze_panes(header_rows[1] + 1, 0)
    if page_header:
        ws.set_header("&C" + page_header.replace("&", "&&"), {"margin": 0.25})
    ws.set_footer("&C" + text("wb_page_footer", lang), {"margin": 0.25})
