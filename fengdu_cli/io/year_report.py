"""``report-YYYY.xlsx``: the year's figures on printable sheets and native Excel charts.

The charts are XlsxWriter's own (``add_chart``): each series refers to the cells of a data
sheet, so a chart stays editable in Excel and WPS and follows a corrected cell.  A month
that was not reconciled is an empty cell (the line has a gap), never a 0; a change against
a year earlier is empty where that month is not stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from fengdu_cli import dates
from fengdu_cli.io.write import atomic_path, display_width, print_setup
from fengdu_cli.messages import month_words, rule_title, text
from fengdu_cli.policy import Policy
from fengdu_cli.report import WARNING_CODES, YearReport

# (column code, what it holds: "n" persons, "fen" yuan from fen, "chg" a change, "chg_fen")
COUNTY_COLUMNS = (
    ("persons", "n"), ("labor_capable", "n"), ("employed_county", "n"),
    ("employed_chongqing", "n"), ("employed_outside", "n"), ("working", "n"), ("insured", "n"),
    ("warnings", "n"), ("paid_lines", "n"), ("paid_fen", "fen"), ("working_change", "chg"),
    ("insured_change", "chg"), ("warnings_change", "chg"), ("paid_fen_change", "chg_fen"),
)  # fmt: skip
TOP = 3  # rows above a table's header: title, units, a blank line
CHART_COLUMNS = 13  # the charts sheet: the charts' width in columns of 64 pixels
# a landscape A4 page holds two charts of CHART_ROWS rows of ROW_PIXELS under the title
CHART_ROWS, ROW_PIXELS = 14, 21
BARS_ROW = 3 + 2 * CHART_ROWS  # the townships' chart: the second page of the charts sheet


@dataclass(frozen=True)
class _Table:
    """Where a table landed on its sheet (0-based), for the charts that refer to it."""

    sheet: str
    header: int  # the header row
    first: int  # the first data row
    last: int  # the last data row a chart shows
    columns: dict[str, int]  # column code → column

    def range(self, code: str) -> list:
        j = self.columns[code]
        return [self.sheet, self.first, j, self.last, j]


def _int(value: object) -> int:
    """A whole number from a frame's row (typed loosely by pandas)."""
    return int(value)  # type: ignore[call-overload]


def report_name(year: int) -> str:
    return f"report-{year}.xlsx"


def write_year_report(
    report: YearReport,
    policy: Policy,
    out: Path,
    lang: str = "zh",
    *,
    created: dt.datetime | None = None,
) -> Path:
    """Write ``report-YYYY.xlsx`` under ``out`` (atomically) and return its path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / report_name(report.year)

    def say(key: str, **params: object) -> str:
        return text(key, lang, **params)

    with atomic_path(target) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_numbers": False, "strings_to_formulas": False, "nan_inf_to_errors": True},
        )
        book.set_properties(
            {"title": _title(report, lang), "created": created or dt.datetime.now()}
        )
        fmt = _formats(book)
        charts_sheet = book.add_worksheet(say("rp_sheet_charts"))
        county = _county_sheet(book, fmt, report, say, lang)
        towns = _township_sheet(book, fmt, report, say, lang)
        _township_months_sheet(book, fmt, report, say, lang)
        _warnings_sheet(book, fmt, report, say, lang)
        _paid_sheet(book, fmt, report, policy, say, lang)
        hires = _target_sheet(book, fmt, report, say, lang)
        _charts(book, charts_sheet, fmt, report, county, towns, hires, say, lang)
        book.close()
    return target


def _title(report: YearReport, lang: str) -> str:
    last = report.months[-1] % 100
    return text("rp_title", lang, year=report.year, first=1, last=last)


def _formats(book: xlsxwriter.Workbook) -> dict:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    cell = {**base, "border": 1}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "note": book.add_format(
            {**base, "font_size": 10, "font_color": "#444444", "text_wrap": True, "valign": "top"}
        ),
        "header": book.add_format(
            {**cell, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "align": "center"}
        ),
        "text": book.add_format({**cell, "num_format": "@"}),
        "n": book.add_format({**cell, "num_format": "#,##0"}),
        "fen": book.add_format({**cell, "num_format": "#,##0.00"}),
        "chg": book.add_format({**cell, "num_format": "+#,##0;-#,##0;0"}),
        "chg_fen": book.add_format({**cell, "num_format": "+#,##0.00;-#,##0.00;0.00"}),
        "pct": book.add_format({**cell, "num_format": "0.0%"}),
        "blank": book.add_format({**cell, "bg_color": "#F2F2F2"}),
        "total_text": book.add_format({**cell, "bold": True, "num_format": "@"}),
        "total_n": book.add_format({**cell, "bold": True, "num_format": "#,##0"}),
        "total_fen": book.add_format({**cell, "bold": True, "num_format": "#,##0.00"}),
        "total_chg": book.add_format({**cell, "bold": True, "num_format": "+#,##0;-#,##0;0"}),
        "total_chg_fen": book.add_format(
            {**cell, "bold": True, "num_format": "+#,##0.00;-#,##0.00;0.00"}
        ),
    }


def _value(value: object, kind: str) -> float | None:
    """A cell's number (yuan for fen), None when not known."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    number = float(value)  # type: ignore[arg-type]
    return number / 100 if kind in ("fen", "chg_fen") else number


def _head(ws: Worksheet, fmt: dict, title: str, note: str, headers: Sequence[str]) -> None:
    ws.write_string(0, 0, title, fmt["title"])
    # the note wraps within the table's width (a long line would shrink the printed page)
    ws.merge_range(1, 0, 1, max(len(headers) - 1, 1), note, fmt["note"])
    ws.set_row(1, 15 * max(1, -(-int(display_width(note)) // (12 * max(len(headers), 2)))))
    for j, name in enumerate(headers):
        ws.write_string(TOP, j, _unit_break(name), fmt["header"])
    ws.set_row(TOP, 44)
    ws.freeze_panes(TOP + 1, 1)


def _finish(ws: Worksheet, lang: str, widths: Sequence[float], header: str) -> None:
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    print_setup(ws, lang, (TOP, TOP), header=header, framed=True)


def _write_rows(
    ws: Worksheet, fmt: dict, rows: pd.DataFrame, columns: Sequence[tuple[str, str]], first: int,
    offset: int,
) -> None:  # fmt: skip
    """Number columns of ``rows`` from column ``offset``, starting at row ``first``."""
    for j, (code, kind) in enumerate(columns, offset):
        values = rows[code].to_numpy(dtype=object) if code in rows else [None] * len(rows)
        for i, raw in enumerate(values):
            value = _value(raw, kind)
            if value is None:
                ws.write_blank(first + i, j, None, fmt["blank"])
            else:
                ws.write_number(first + i, j, value, fmt[kind])


def _county_headers(say: Callable[..., str]) -> list[str]:
    return [say(f"rp_col_{code}") for code, _ in COUNTY_COLUMNS]


def _county_sheet(book, fmt, report: YearReport, say, lang) -> _Table:
    name = say("rp_sheet_county")
    ws = book.add_worksheet(name)
    headers = [say("rp_col_month"), *_county_headers(say), say("rp_col_remark")]
    _head(ws, fmt, _title(report, lang), say("rp_note_county"), headers)
    first = TOP + 1
    county = report.county
    for i, row in enumerate(county.itertuples()):
        ws.write_string(first + i, 0, dates.month_text(_int(row.month)), fmt["text"])
        remark = "" if row.stored else say("rp_not_stored")
        ws.write_string(first + i, len(headers) - 1, remark, fmt["text"])
    _write_rows(ws, fmt, county, COUNTY_COLUMNS, first, 1)
    last = first + len(county) - 1
    widths = [
        _fit(h, county.get(c), k) for h, (c, k) in zip(headers[1:-1], COUNTY_COLUMNS, strict=True)
    ]
    _finish(ws, lang, [10, *widths, 10], _title(report, lang))
    columns = {"month": 0, **{code: j for j, (code, _) in enumerate(COUNTY_COLUMNS, 1)}}
    return _Table(name, TOP, first, last, columns)


def _unit_break(header: str) -> str:
    """A header's unit in brackets on a line of its own ("补贴金额（元）" → "补贴金额\n（元）"):
    a wrapped header never leaves a closing bracket alone on the last line."""
    return re.sub(r"\s*([（(][^（()）]*[）)])$", r"\n\1", header)


def _fit(header: str, values: object = None, kind: str = "n") -> float:
    """A column wide enough for its header on two or three lines (a unit on a line of its
    own) and for the widest of ``values`` (fen for "fen" and "chg_fen") as the cell shows it,
    in bold (never ###)."""
    lines = _unit_break(header).split("\n")
    if len(lines) > 1:
        width = max(9.0, min(16.0, max(display_width(line) for line in lines) + 2))
    elif display_width(header) <= 14:
        width = max(9.0, display_width(header) + 2)  # one line: a word never split
    else:
        width = max(9.0, min(14.0, display_width(header) / 2 + 2))
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").dropna().abs()
    if numbers.empty:
        return width
    biggest = float(numbers.max()) / (100 if kind in ("fen", "chg_fen") else 1)
    shown = f"{biggest:,.2f}" if kind in ("fen", "chg_fen", "pct") else f"{biggest:,.0f}"
    return max(width, len(shown) + (1 if kind.startswith("chg") else 0) + 3)


def _township_label(name: str, say: Callable[..., str]) -> str:
    """A township's name; the lines without one as the payment workbook names them."""
    return name or say("wb_pay_no_township")


def _township_sheet(book, fmt, report: YearReport, say, lang) -> _Table:
    month = report.latest
    name = say("rp_sheet_townships", month=dates.month_text(month))
    ws = book.add_worksheet(name[:31])
    headers = [say("rp_col_township"), *_county_headers(say)]
    title = say("rp_title_townships", month=month_words(month, lang))
    _head(ws, fmt, title, say("rp_note_townships"), headers)
    rows = report.township_month(month)
    first = TOP + 1
    for i, township in enumerate(rows["township"]):
        ws.write_string(first + i, 0, _township_label(str(township), say), fmt["text"])
    _write_rows(ws, fmt, rows, COUNTY_COLUMNS, first, 1)
    last = first + len(rows) - 1
    # the total: formulas over the lines (an edited line stays summed), the value cached
    total = last + 1
    ws.write_string(total, 0, say("total"), fmt["total_text"])
    for j, (code, kind) in enumerate(COUNTY_COLUMNS, 1):
        column = rows[code] if code in rows else pd.Series(dtype=float)
        if kind.startswith("chg") and column.isna().all():
            ws.write_blank(total, j, None, fmt["blank"])
            continue
        cached = float(np.nansum(column.to_numpy(dtype=float)))
        cached = cached / 100 if kind in ("fen", "chg_fen") else cached
        span = f"{xl_rowcol_to_cell(first, j)}:{xl_rowcol_to_cell(last, j)}"
        style = fmt[f"total_{kind}"]
        ws.write_formula(total, j, f"=SUM({span})", style, cached)
    widths = [
        _fit(h, [*rows[c], np.nansum(rows[c].to_numpy(dtype=float))] if c in rows else None, k)
        for h, (c, k) in zip(headers[1:], COUNTY_COLUMNS, strict=True)
    ]
    _finish(ws, lang, [13, *widths], title)
    columns = {"township": 0, **{code: j for j, (code, _) in enumerate(COUNTY_COLUMNS, 1)}}
    # the chart leaves out the lines without a township when they hold no person (payments
    # to employers and the like: an empty bar); they are last in the county's order
    nobody = rows["township"].eq("") & rows["persons"].eq(0)
    charted = last - int(nobody.sum())
    return _Table(name[:31], TOP, first, max(charted, first), columns)


def _township_months_sheet(book, fmt, report: YearReport, say, lang) -> None:
    ws = book.add_worksheet(say("rp_sheet_township_months"))
    headers = [say("rp_col_township"), say("rp_col_month"), *_county_headers(say)]
    title = say("rp_title_township_months", year=report.year)
    _head(ws, fmt, title, say("rp_note_township_months"), headers)
    ws.freeze_panes(TOP + 1, 2)
    rows = report.townships
    first = TOP + 1
    for i, (township, month) in enumerate(zip(rows["township"], rows["month"], strict=True)):
        ws.write_string(first + i, 0, _township_label(str(township), say), fmt["text"])
        ws.write_string(first + i, 1, dates.month_text(int(month)), fmt["text"])
    _write_rows(ws, fmt, rows, COUNTY_COLUMNS, first, 2)
    widths = [
        _fit(h, rows.get(c), k) for h, (c, k) in zip(headers[2:], COUNTY_COLUMNS, strict=True)
    ]
    _finish(ws, lang, [13, 10, *widths], title)


def _warnings_sheet(book, fmt, report: YearReport, say, lang) -> None:
    ws = book.add_worksheet(say("rp_sheet_warnings"))
    codes = [(f"w_{code}", "n") for code in WARNING_CODES] + [("warnings", "n")]
    headers = [
        say("rp_col_month"),
        *(text(f"wb_warn_title_{code}", lang) for code in WARNING_CODES),
        say("rp_col_warnings"),
    ]
    title = say("rp_title_warnings", year=report.year)
    _head(ws, fmt, title, say("rp_note_warnings"), headers)
    first = TOP + 1
    for i, month in enumerate(report.county["month"]):
        ws.write_string(first + i, 0, dates.month_text(int(month)), fmt["text"])
    _write_rows(ws, fmt, report.county, codes, first, 1)
    _finish(ws, lang, [10, *[_fit(h) for h in headers[1:]]], title)


def _paid_sheet(book, fmt, report: YearReport, policy: Policy, say, lang) -> None:
    ws = book.add_worksheet(say("rp_sheet_paid"))
    headers = [say("rp_col_month"), say("rp_col_rule"), say("rp_col_lines"), say("rp_col_yuan")]
    title = say("rp_title_paid", year=report.year)
    _head(ws, fmt, title, say("rp_note_paid"), headers)
    paid = report.paid
    first = TOP + 1
    widest = display_width(say("rp_col_rule"))
    for i, row in enumerate(paid.itertuples()):
        rule = str(row.rule)
        named = rule_title(rule, lang, policy.rules[rule].name if rule in policy.rules else None)
        widest = max(widest, display_width(named))
        ws.write_string(first + i, 0, dates.month_text(_int(row.month)), fmt["text"])
        ws.write_string(first + i, 1, named, fmt["text"])
        ws.write_number(first + i, 2, _int(row.lines), fmt["n"])
        ws.write_number(first + i, 3, _int(row.fen) / 100, fmt["fen"])
    if paid.empty:
        ws.merge_range(first, 0, first, len(headers) - 1, say("rp_nothing_paid"), fmt["note"])
    else:
        total = first + len(paid)
        ws.write_string(total, 0, say("total"), fmt["total_text"])
        ws.write_blank(total, 1, None, fmt["total_text"])
        for j, (kind, cached) in enumerate(
            (("n", float(paid["lines"].sum())), ("fen", int(paid["fen"].sum()) / 100)), 2
        ):
            span = f"{xl_rowcol_to_cell(first, j)}:{xl_rowcol_to_cell(total - 1, j)}"
            ws.write_formula(total, j, f"=SUM({span})", fmt[f"total_{kind}"], cached)
    # the subsidy's name on one line (a row per month and subsidy: nothing cut)
    widths = [10, min(max(widest + 2, 24), 70), 10, 16]
    _finish(ws, lang, widths, title)


def _target_sheet(book, fmt, report: YearReport, say, lang) -> _Table:
    name = say("rp_sheet_target")
    ws = book.add_worksheet(name)
    headers = [say("rp_col_month"), say("rp_col_hires"), say("rp_col_hires_cumulative"),
               say("rp_col_target"), say("rp_col_share")]  # fmt: skip
    title = say("rp_title_target", year=report.year)
    target = report.target
    note = (
        say("rp_note_target", target=target.target, source=target.source)
        if target is not None
        else say("rp_no_target")
    )
    _head(ws, fmt, title, note, headers)
    first = TOP + 1
    county = report.county
    for i, month in enumerate(county["month"]):
        ws.write_string(first + i, 0, dates.month_text(int(month)), fmt["text"])
    columns = (("hires", "n"), ("hires_cumulative", "n"), ("target", "n"), ("share", "pct"))
    _write_rows(ws, fmt, county, columns, first, 1)
    last = first + len(county) - 1
    row = last + 2
    widths = [10, 12, 12, 12, 12]
    for line in _target_notes(report, say):
        # each note wraps within the table's width: nothing cut off, the page not shrunk
        ws.merge_range(row, 0, row, len(widths) - 1, line, fmt["note"])
        ws.set_row(row, 14 * max(1, -(-int(display_width(line)) // (sum(widths) - 4))))
        row += 1
    _finish(ws, lang, widths, title)
    table_columns = {"month": 0, **{code: j for j, (code, _) in enumerate(columns, 1)}}
    return _Table(name, TOP, first, last, table_columns)


def _target_notes(report: YearReport, say: Callable[..., str]) -> list[str]:
    """What the hires count, the employers listed, and what could not be counted."""
    target = report.target
    if target is None:
        return []
    notes = [say("rp_hires_meaning")]
    if target.employers:
        notes.append(say(f"rp_employers_{target.employers_from}"))
        notes += [f"  {i}. {item}" for i, item in enumerate(target.employers, 1)]
    else:
        notes.append(say("rp_employers_none"))
    if report.not_stored.get("hires"):
        months = "、".join(dates.month_text(m) for m in report.not_stored["hires"])
        notes.append(say("rp_hires_not_stored", months=months))
    return notes


def _charts(book, ws, fmt, report: YearReport, county: _Table, towns: _Table, hires: _Table,
            say, lang) -> None:  # fmt: skip
    """The charts sheet, two printed pages: working persons by month and the cumulative hires
    against the target (lines, one above the other), then the townships (columns, the whole
    page: thirty townships).  Every series refers to a data sheet."""
    title = _title(report, lang)
    span = CHART_COLUMNS - 1
    ws.merge_range(0, 0, 0, span, title, fmt["title"])
    note = say("rp_note_charts")
    # the note wraps within the charts' width, never cut at the first column
    ws.merge_range(1, 0, 1, span, note, fmt["note"])
    ws.set_row(0, 20)
    ws.set_row(1, 15 * max(1, -(-int(display_width(note)) // (CHART_COLUMNS * 8 - 4))))
    ws.set_row(2, 6)
    font = {"name": "宋体"} if lang == "zh" else {"name": "Arial"}
    size = {"width": CHART_COLUMNS * 64, "height": CHART_ROWS * ROW_PIXELS - 6}

    line = book.add_chart({"type": "line"})
    for code in ("employed_county", "employed_chongqing", "employed_outside", "working"):
        line.add_series({
            "name": [county.sheet, county.header, county.columns[code]],
            "categories": county.range("month"),
            "values": county.range(code),
            "marker": {"type": "circle", "size": 5},
        })  # fmt: skip
    line.set_title({"name": say("rp_chart_working", year=report.year), "name_font": font})
    line.set_y_axis({"name": say("rp_unit_persons"), "min": 0, "num_font": font})
    line.set_x_axis({"num_font": font})
    line.set_legend({"position": "bottom", "font": font})
    line.show_blanks_as("gap")
    line.set_size(size)
    ws.insert_chart(3, 0, line)

    goal = book.add_chart({"type": "line"})
    for code in ("hires_cumulative", "target"):
        goal.add_series({
            "name": [hires.sheet, hires.header, hires.columns[code]],
            "categories": hires.range("month"),
            "values": hires.range(code),
            "marker": {"type": "circle" if code == "hires_cumulative" else "none", "size": 5},
            **({"line": {"dash_type": "dash"}} if code == "target" else {}),
        })  # fmt: skip
    goal.set_title({"name": say("rp_chart_target", year=report.year), "name_font": font})
    goal.set_y_axis({"name": say("rp_unit_persons"), "min": 0, "num_font": font})
    goal.set_x_axis({"num_font": font})
    goal.set_legend({"position": "bottom", "font": font})
    goal.show_blanks_as("gap")
    goal.set_size(size)
    ws.insert_chart(3 + CHART_ROWS, 0, goal)

    bars = book.add_chart({"type": "column"})
    for code in ("working", "insured"):
        bars.add_series({
            "name": [towns.sheet, towns.header, towns.columns[code]],
            "categories": towns.range("township"),
            "values": towns.range(code),
        })  # fmt: skip
    bars.set_title({
        "name": say("rp_chart_townships", month=month_words(report.latest, lang)),
        "name_font": font,
    })  # fmt: skip
    bars.set_y_axis({"name": say("rp_unit_persons"), "min": 0, "num_font": font})
    bars.set_x_axis({"num_font": {**font, "rotation": -45}})
    bars.set_legend({"position": "bottom", "font": font})
    bars.set_size({"width": size["width"], "height": 2 * CHART_ROWS * ROW_PIXELS})
    ws.insert_chart(BARS_ROW, 0, bars)

    for j in range(CHART_COLUMNS):
        ws.set_column_pixels(j, j, 64)
    # the rows under the charts at a height of their own, written to the file (a chart spans
    # its rows, and a program's default row height differs: LibreOffice's is lower)
    for row in range(3, BARS_ROW + CHART_ROWS * 2):
        ws.set_row_pixels(row, ROW_PIXELS)
    # the title and the note head the second page too
    print_setup(ws, lang, (0, 2), header=title, framed=True)
    ws.set_h_pagebreaks([BARS_ROW])
