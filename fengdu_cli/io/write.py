"""Styled, printable Excel workbooks and Excel-friendly CSV, written atomically.

Every file is written to a temporary name in the target folder and renamed into place
only when complete, so a crash never leaves a half-written file where a clerk would
open it.  Workbooks are written with XlsxWriter: header row frozen, filters on, column
widths fitted, IDs and account numbers as text cells (never numbers).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import glob
import math
import os
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fengdu_cli.errors import OutputError
from fengdu_cli.messages import text

TEXT_HINTS = (
    "身份证",
    "号码",
    "账号",
    "卡号",
    "电话",
    "代码",
    "编号",
    "户号",
    "id_number",
    "phone",
)


STALE_SECONDS = 3600  # a temporary file this old is left over from a run that was killed


@dataclass
class Staging:
    """Files written to temporary names, put in place together later (or thrown away).

    A payment batch writes its files here first, is committed, and only then are the files
    moved into place: money is never recorded for files that could not be written.
    """

    pending: list[tuple[Path, Path, int]] = field(default_factory=list)  # (tmp, target, mode)

    def reserve(self, target: Path, mode: int) -> Path:
        tmp = _temporary(target)
        self.pending.append((tmp, target, mode))
        return tmp

    def publish(self) -> list[Path]:
        """Move every staged file onto its name; returns the names."""
        for tmp, target, mode in self.pending:
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        done = [target for _, target, _ in self.pending]
        self.pending = []
        return done

    def discard(self) -> None:
        for tmp, _, _ in self.pending:
            tmp.unlink(missing_ok=True)
        self.pending = []


def _temporary(target: Path) -> Path:
    """A temporary file beside ``target`` (its folder made if need be); OutputError (exit 5,
    naming the folder) when the folder cannot be made or written: a file in its place, no
    permission, a full disk."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(target)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
        )
    except OSError as exc:
        raise OutputError(
            "output_unwritable", path=str(target.parent), detail=exc.strerror or str(exc)
        ) from exc
    os.close(fd)
    return Path(tmp)


def _clean_stale(target: Path) -> None:
    """Remove temporary files of ``target`` that a killed run left behind."""
    now = time.time()
    for old in target.parent.glob(f".{glob.escape(target.stem)}-*{target.suffix}"):
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > STALE_SECONDS:
                old.unlink()


SUPERSEDED = "已过期"  # where lists an earlier run wrote, and this one did not, are moved


def move_aside(folder: Path, pattern: str, written: list[Path]) -> list[Path]:
    """Move files of ``folder`` matching ``pattern`` that this run did not write into
    ``folder/已过期/``: a township must not act on a list from an earlier run."""
    folder = Path(folder)
    keep = {Path(p).resolve() for p in written}
    moved = []
    for old in sorted(folder.glob(pattern)) if folder.is_dir() else []:
        if old.is_file() and old.resolve() not in keep:
            target = _free_name(folder / SUPERSEDED / old.name)
            target.parent.mkdir(exist_ok=True)
            os.replace(old, target)
            moved.append(target)
    return moved


def _free_name(target: Path) -> Path:
    """``target``, or the first of ``name-2.ext``, ``name-3.ext`` … not taken: a file moved
    aside never replaces one moved there before (an earlier batch's list stays)."""
    number = 2
    found = target
    while found.exists():
        found = target.with_name(f"{target.stem}-{number}{target.suffix}")
        number += 1
    return found


def file_mode(private: bool) -> int:
    """0600 for a file holding personal data (full IDs, phones, accounts); else 0666 − umask."""
    return 0o600 if private else 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_path(
    target: Path, *, private: bool = False, staging: Staging | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success (or leave
    it to ``staging``).  A file holding personal data is made readable by its owner only."""
    target = Path(target)
    if staging is not None:
        tmp = staging.reserve(target, file_mode(private))
        try:
            yield tmp
        except BaseException:
            staging.discard()
            raise
        return
    tmp_path = _temporary(target)
    try:
        yield tmp_path
        os.chmod(tmp_path, file_mode(private))
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# A text cell a spreadsheet would run as a formula (OWASP CSV injection): = + - @ tab CR.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralised(value: object) -> object:
    """A CSV cell that cannot run as a formula: text starting with = + - @ tab or CR gets a
    leading ' (a plain negative number stays a number)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


# The columns of our CSVs that hold ID-like text (resident IDs, credit codes, accounts, 户编号,
# ledger keys, phones): by name, or a Chinese header with one of TEXT_HINTS' words.
ID_LIKE_COLUMNS = frozenset(
    {
        "id_number", "person_id", "payee_id", "household_id", "account_no", "bank_account",
        "employer_code", "business_code", "agency_code", "key", "phone", "head_id_number",
    }
)  # fmt: skip
# Digits Excel and WPS would take for a number when the CSV is opened by double-click (an
# 18-digit ID shown as 5.00230197908179E+17 and its last digits lost, a 户编号's leading
# zeros dropped): such a value is written with a trailing tab, which keeps it text in both.
# A *leading* tab would be a formula start (neutralised above); programs reading our CSVs
# strip the trailing tab (``strip_text_mark``).
TEXT_MARK = "\t"
_DIGITS = re.compile(r"[0-9]+")


def is_id_like(column: object) -> bool:
    """Does a CSV column hold ID-like text (written with the trailing tab when all digits)?"""
    name = str(column)
    return name in ID_LIKE_COLUMNS or any(h in name for h in TEXT_HINTS)


def as_text_mark(values: pd.Series) -> pd.Series:
    """A column's all-digit texts with the trailing tab that keeps them text in a spreadsheet."""
    text = values.astype(object)
    digits = _texts_where(text, lambda s: s.str.fullmatch(_DIGITS.pattern))
    return text.where(~digits, text.astype(str) + TEXT_MARK)


def neutralised_column(values: pd.Series) -> pd.Series:
    """:func:`neutralised` of every cell of a column, testing only the texts that start as a
    formula would (a million cells in a fraction of a second)."""
    risky = _texts_where(values.astype(object), lambda s: s.str.startswith(_FORMULA_START))
    if not risky.any():
        return values
    safe = values.astype(object).copy()
    safe[risky] = safe[risky].map(neutralised)
    return safe


def _texts_where(text: pd.Series, test) -> pd.Series:
    """``test`` (a ``.str`` method returning booleans) on the cells that are Python texts,
    False on every other cell (None, NaN, numbers, dates)."""
    kind = pd.api.types.infer_dtype(text, skipna=True)
    if kind == "string":  # every filled cell a text: no test per cell
        is_text = text.notna().to_numpy(dtype=bool)
    else:
        is_text = text.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    found = pd.Series(False, index=text.index)
    if is_text.any():
        found[is_text] = test(text[is_text].astype(str)).to_numpy(dtype=bool)
    return found


def strip_text_mark(value: object) -> object:
    """A cell read from one of our CSVs without the trailing tab of an ID-like value."""
    return value.rstrip("\t") if isinstance(value, str) else value


class EncodingProblem(ValueError):
    """A character of a CSV's cell that the chosen encoding cannot write (GBK and a rare
    name): the row, column and character, so the caller can name the payee."""

    def __init__(self, row: int, column: str, char: str) -> None:
        super().__init__(f"row {row}, column {column}: {char!r}")
        self.row, self.column, self.char = row, column, char


def unencodable(frame: pd.DataFrame, encoding: str) -> EncodingProblem | None:
    """The first cell of ``frame`` (or header) that ``encoding`` cannot write, or None."""
    if encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        return None
    for j, column in enumerate(frame.columns):
        cells = [column, *frame.iloc[:, j].tolist()]
        try:
            "\n".join(v for v in cells if isinstance(v, str)).encode(encoding)
            continue
        except UnicodeEncodeError:
            pass
        for i, value in enumerate(cells):
            if isinstance(value, str) and not value.isascii():
                try:
                    value.encode(encoding)
                except UnicodeEncodeError as exc:
                    return EncodingProblem(i - 1, str(column), value[exc.start])
    return None


def write_csv(
    frame: pd.DataFrame,
    target: Path,
    *,
    private: bool = False,
    staging: Staging | None = None,
    encoding: str = "utf-8-sig",
    text_mark: bool = True,
) -> Path:
    """UTF-8 with BOM (Excel opens it as Chinese text) or ``encoding`` (GBK for a bank's
    import system), atomically, formulas neutralised, all-digit ID-like values with the
    trailing tab that keeps them text (:data:`TEXT_MARK`; not with ``text_mark=False``: a
    plain CSV for a bank's import system or a script).  A character ``encoding``
    cannot write raises :class:`EncodingProblem` before anything is written: never
    replaced silently."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = neutralised_column(safe[column])
            if text_mark and is_id_like(column):
                safe[column] = as_text_mark(safe[column])
    problem = unencodable(safe, encoding)
    if problem is not None:
        raise problem
    with atomic_path(target, private=private, staging=staging) as tmp:
        safe.to_csv(tmp, index=False, encoding=encoding, lineterminator="\r\n")
    return Path(target)


@dataclass
class Sheet:
    """One sheet to write: a frame, and which cells to fill red (row, column) positions."""

    name: str
    frame: pd.DataFrame
    title: str = ""
    red_cells: Sequence[tuple[int, int]] = field(default_factory=tuple)
    widths: dict[int, float] = field(default_factory=dict)
    text_columns: Sequence[str] = field(default_factory=tuple)
    header: str = ""  # the printed page header (Excel codes: &L &C &R), e.g. a trial's warning
    repeat_columns: tuple[int, int] | None = None  # printed on every page of a wide sheet


# Excel and WPS hold 1,048,576 rows in a sheet; XlsxWriter silently ignores a cell below.
# A longer table goes on in a further sheet, never cut (room is kept for titles and headers).
SHEET_LINES = 1_000_000


def continued(
    name: str, frame: pd.DataFrame, lines: int | None = None
) -> list[tuple[str, int, pd.DataFrame]]:
    """``frame`` cut into parts a sheet holds: ``(sheet name, first line, part)``; the first
    part keeps ``name``, the next ones are ``name（2）`` … (shortened to Excel's 31
    characters).  Every line is in exactly one part."""
    size = lines or SHEET_LINES
    if len(frame) <= size:
        return [(name, 0, frame)]
    parts = []
    for k, start in enumerate(range(0, len(frame), size), start=1):
        suffix = "" if k == 1 else f"（{k}）"
        parts.append((name[: 31 - len(suffix)] + suffix, start, frame.iloc[start : start + size]))
    return parts


def red_in_part(
    red_cells: Sequence[tuple[int, int]], start: int, lines: int
) -> list[tuple[int, int]]:
    """The red cells of a part of a table (from line ``start``, ``lines`` long), counted from
    the part's own first line."""
    return [(r - start, c) for r, c in red_cells if start <= r < start + lines]


def fits(name: str, rows: int) -> None:
    """Refuse (a bug: exit 5) a sheet longer than Excel's, which XlsxWriter would cut
    silently; :func:`continued` keeps every table of the tool below it."""
    if rows > 1_048_576:
        raise ValueError(f"sheet {name!r} would need {rows:,} rows")


def _sheet_parts(sheet: Sheet) -> list[Sheet]:
    """``sheet``, or its parts when its table is longer than a sheet holds (red cells with
    them)."""
    parts = continued(sheet.name, sheet.frame)
    if len(parts) == 1:
        return [sheet]
    return [
        replace(sheet, name=name, frame=part,
                red_cells=red_in_part(sheet.red_cells, start, len(part)))
        for name, start, part in parts
    ]  # fmt: skip


def write_workbook(
    target: Path,
    sheets: Sequence[Sheet],
    *,
    created: dt.datetime | None = None,
    private: bool = False,
    staging: Staging | None = None,
    lang: str = "zh",
) -> Path:
    """Write ``sheets`` to one workbook at ``target`` (atomic); ``lang`` words its page footer.

    ``created`` fixes the document's creation time, so that the same inputs give a
    byte-identical file (re-running a month must not change its outputs).
    """
    with atomic_path(target, private=private, staging=staging) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_numbers": False, "strings_to_formulas": False, "nan_inf_to_errors": True},
        )
        if created is not None:
            book.set_properties({"created": created})
        formats = _formats(book)
        for sheet in sheets:
            for part in _sheet_parts(sheet):
                _write_sheet(book, formats, part, lang)
        book.close()
    return Path(target)


def _formats(book: xlsxwriter.Workbook) -> dict[str, object]:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
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
        "cell": book.add_format({**base, "border": 1}),
        "text": book.add_format({**base, "border": 1, "num_format": "@"}),
        "wrap": book.add_format({**base, "border": 1, "text_wrap": True}),
        "date": book.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd"}),
        "red": book.add_format(
            {**base, "border": 1, "bg_color": "#FFC7CE", "font_color": "#9C0006"}
        ),
        "red_text": book.add_format(
            {**base, "border": 1, "bg_color": "#FFC7CE", "font_color": "#9C0006", "num_format": "@"}
        ),
    }


def _is_text_column(name: str, forced: Sequence[str]) -> bool:
    return name in forced or any(h in name for h in TEXT_HINTS)


def _write_sheet(book: xlsxwriter.Workbook, formats: dict, sheet: Sheet, lang: str) -> None:
    ws = book.add_worksheet(sheet.name[:31])
    top = 0
    if sheet.title:
        ws.write_string(0, 0, sheet.title, formats["title"])
        top = 1
    frame = sheet.frame
    fits(sheet.name, top + 1 + len(frame))
    columns = [str(c) for c in frame.columns]
    for j, name in enumerate(columns):
        ws.write_string(top, j, name, formats["header"])
    red = set(sheet.red_cells)
    red_rows = {i for i, _ in red}
    text_cols = [_is_text_column(c, sheet.text_columns) for c in columns]
    values = frame.to_numpy(dtype=object)
    widths = _widths(columns, values[:WIDTH_SAMPLE])
    # each column as wide as its widest value, within MAX_WIDTH or the width the sheet sets;
    # a sentence wider than its column wraps inside it instead of being cut off
    shown = [sheet.widths.get(j, min(max(w + 2, 6), MAX_WIDTH)) for j, w in enumerate(widths)]
    wrapped = [w + 2 > s for w, s in zip(widths, shown, strict=True)]
    string_formats = [
        formats["text"] if t else formats["wrap" if wrap else "cell"]
        for t, wrap in zip(text_cols, wrapped, strict=True)
    ]
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived cells: the collector only slows the loop down
    try:
        for i, row in enumerate(values):
            r = top + 1 + i
            marked = i in red_rows
            for j, value in enumerate(row):
                if type(value) is str and not marked:  # the common case, kept cheap
                    ws.write_string(r, j, value, string_formats[j])
                else:
                    _write_cell(ws, r, j, value, text_cols[j], marked and (i, j) in red, formats)
    finally:
        if collecting:
            gc.enable()
    _fit_wrapped_rows(
        ws, top + 1, values, [s if wrap else 0 for s, wrap in zip(shown, wrapped, strict=True)]
    )
    for j, width in enumerate(shown):
        ws.set_column(j, j, width)
    ws.freeze_panes(top + 1, 0)
    print_setup(ws, lang, (top, top), header=sheet.header)  # printable as it is
    wide = pages_wide(sum(shown))
    if wide > 1:  # one page wide would print below 8 pt: across pages, the key columns repeated
        ws.fit_to_pages(wide, 0)
        if sheet.repeat_columns is not None:
            ws.repeat_columns(*sheet.repeat_columns)
    if len(columns):
        ws.autofilter(top, 0, top + len(values), len(columns) - 1)


WIDTH_SAMPLE = 2000  # column widths are fitted to the header and the first rows
MAX_WIDTH = 60


def _fit_wrapped_rows(ws, first: int, values: np.ndarray, wrapped: list[float]) -> None:
    """Give each row whose wrapped text needs several lines the height of those lines
    (spreadsheet programs do not always grow a row for wrapped text on their own);
    ``wrapped`` is the width of each wrapped column (0: not wrapped)."""
    lines: dict[int, int] = {}
    for j in (j for j, w in enumerate(wrapped) if w):
        room = max(wrapped[j] - 12 if wrapped[j] >= MAX_WIDTH else wrapped[j] - 4, 4)
        for i, value in enumerate(values[:, j]):
            if isinstance(value, str) and len(value) * 2 > wrapped[j] - 2:
                # a text written in its lines (payments_report.wrap_text) wraps only there
                needed = sum(
                    1 if display_width(part) <= wrapped[j] - 1.5
                    else -(-int(display_width(part)) // int(room))  # words break late
                    for part in value.split("\n")
                )  # fmt: skip
                lines[i] = max(lines.get(i, 1), needed)
    for i, n in lines.items():
        if n > 1:
            ws.set_row(first + i, 15 * n + 4)  # 11-point lines and a little room: none cut


def _widths(columns: list[str], sample: np.ndarray) -> list[float]:
    """Display width per column: the header and the widest of the first rows."""
    widths = [display_width(c) for c in columns]
    for j in range(len(columns)):
        for value in sample[:, j] if len(sample) else ():
            widths[j] = max(widths[j], display_width(_shown(value)))
    return widths


def _shown(value: object) -> str:
    """Roughly what a cell shows, for fitting its column."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, dt.date):
        return "2024-01-01"
    if isinstance(value, float) and abs(value) >= 1e11:
        return "5.00230199001011E+17"
    return str(value)


def _write_cell(ws, r: int, j: int, value: object, as_text: bool, red: bool, formats: dict) -> None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        ws.write_blank(r, j, None, formats["red" if red else "cell"])
        return
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime | dt.date):
        ws.write_datetime(r, j, value, formats["red" if red else "date"])
        return
    if isinstance(value, bool | np.bool_):
        ws.write_string(r, j, "是" if value else "否", formats["red" if red else "cell"])
        return
    if isinstance(value, int | float | np.integer | np.floating) and not as_text:
        ws.write_number(r, j, float(value), formats["red" if red else "cell"])
        return
    if isinstance(value, float | np.floating):
        # a number in a text column (an ID typed as a number): keep it a number, as typed
        ws.write_number(r, j, float(value), formats["red" if red else "cell"])
        return
    shown = str(value)
    ws.write_string(r, j, shown, formats["red_text" if red else ("text" if as_text else "cell")])


def display_width(text: object) -> float:
    """Display width of a text: CJK and full-width characters count double."""
    return float(sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text)))


PAGE_WIDTH = 140  # column-width units across an A4 landscape page at 100 % (default margins)
LEAST_SCALE = 0.75  # below this a sheet of 11-pt text prints under 8 pt


def pages_wide(total_width: float) -> int:
    """How many pages wide a sheet of columns ``total_width`` wide prints, so that its text
    is never scaled below :data:`LEAST_SCALE` (one page wide while it fits)."""
    return max(1, math.ceil(total_width / (PAGE_WIDTH / LEAST_SCALE)))


def print_setup(
    ws: Worksheet, lang: str, repeat: tuple[int, int], *, header: str = "", framed: bool = False
) -> None:
    """Printable as it is: A4 landscape, one page wide, rows ``repeat`` (first, last) on every
    page, page numbers in the footer.  ``framed`` (the lists printed to sign and post):
    centred, narrow margins, a ``header`` at the top right."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(*repeat)
    options: dict[str, float] = {}
    if framed:
        ws.center_horizontally()
        ws.set_margins(left=0.3, right=0.3, top=0.6, bottom=0.6)
        options = {"margin": 0.25}
    if header:
        ws.set_header(header, options)
    ws.set_footer("&C" + text("wb_page_footer", lang), options)
