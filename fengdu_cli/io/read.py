"""Any file a township or system sends → raw grids → one raw frame per kind.

One code path for every kind and format:

1. :func:`read_grids` opens a file by what its bytes are (not by its name) and returns
   each sheet as a grid of cells exactly as stored (numbers stay numbers, so an ID typed
   as a number can be told apart), with merged ranges filled from their top-left cell.
2. :func:`locate_header` finds the header row (or two-row merged header) by matching
   the kind's header aliases, and :func:`sheet_frame` turns the rows below it into
   person rows, telling apart blank, subtotal, footer and repeated-header rows.

Every row keeps ``_file``, ``_sheet`` and ``_row`` (the row number Excel shows), which
every message names.  Readers: python-calamine for .xlsx/.xls (fast, keeps cell
types and merged ranges); pandas' C parser for CSV after the encoding is detected; a large
CSV (:data:`LARGE_CSV_BYTES`) goes to :mod:`fengdu_cli.io.large_csv` (pyarrow, text
columns, no grid), which gives the same rows or leaves the file to the path above.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine as calamine

from fengdu_cli.errors import InputError
from fengdu_cli.idcard import mask_in_text, shown_name
from fengdu_cli.io.columns import ALIASES, REQUIRED, clean_header, display_name
from fengdu_cli.io.recognise import Recogniser, Recognition

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")
HEADER_SCAN_ROWS = 30
# a CSV this large is read by io.large_csv (pyarrow, text columns) when it can be read alike
LARGE_CSV_BYTES = 512 * 1024
SUBTOTAL_WORDS = frozenset({"合计", "小计", "总计", "共计", "累计"})
FOOTER_PREFIXES = (
    "填表人", "填报人", "审核人", "审核", "填报日期", "填表日期", "制表", "负责人",
    "单位负责人", "分管领导", "统计人", "经办人", "填报单位", "说明：", "注：", "备注：",
    "本月无符合条件",
)  # fmt: skip

log = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|table|\?xml|meta)", re.IGNORECASE
)
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Grid:
    """One sheet as stored: ``cells[i, j]`` is Excel row i+1, column j+1 ('' when empty)."""

    file: Path
    sheet: str
    cells: np.ndarray

    @property
    def label(self) -> str:
        """How messages name this sheet: the file name, plus the sheet for workbooks."""
        return f"{self.file.name}（{self.sheet}）" if self.sheet else self.file.name


@dataclass(frozen=True)
class Header:
    """Where a sheet's header is and what each column means."""

    first_row: int  # 0-based index of the first header row
    last_row: int  # 0-based index of the last header row (== first_row for one-row headers)
    columns: tuple[str, ...]  # canonical name or kept header text, one per grid column
    texts: tuple[str, ...]  # the header text as typed, one per grid column
    canonical: frozenset[str]
    title: str  # text above the header (title rows), for township inference
    recognition: Recognition | None = None  # how each column was recognised, what is lacking


@dataclass(frozen=True)
class SheetRead:
    """The person rows of one sheet, plus what was not a person row and why."""

    grid: Grid  # read by io.large_csv: only the first rows (the header was found on them)
    header: Header | None
    frame: pd.DataFrame  # person rows: canonical + extra columns, _file/_sheet/_row/_title
    skipped: pd.DataFrame  # non-blank rows that are not person rows: _file/_sheet/_row/reason/text
    content_rows: int = 0  # non-empty rows of a sheet with no header
    table_rows: int = 0  # of those, rows with 3 or more filled cells: it may hold data
    why: str = "sheet_no_header"  # the message key of a sheet that was not read


@dataclass(frozen=True)
class FileRead:
    """Everything read from one file."""

    path: Path
    sheets: tuple[SheetRead, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------- files → grids


def find_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their spreadsheet files (name order); check every path exists."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError("path_missing", path=str(path))
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
            if not files:
                raise InputError("folder_empty", path=str(path))
            found.extend(files)
        else:
            found.append(path)
    return found


def read_grids(path: Path) -> list[Grid]:
    """Every sheet of ``path`` as a grid, whatever the file really is.

    Raises :class:`InputError` (exit 3) naming the file for an empty file, a PDF, an
    encrypted, truncated or corrupt workbook, or binary junk.
    """
    path = Path(path)
    if not path.is_file():  # a device (/dev/zero), a pipe, a socket: it would read forever
        raise InputError("file_not_regular", path=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("file_corrupt", path=str(path), detail=exc.strerror or "") from exc
    if not data.strip():
        raise InputError("file_empty", path=str(path))
    if data.startswith(b"%PDF"):
        raise InputError("file_pdf", path=str(path))
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise InputError("file_encrypted", path=str(path))
        return _read_workbook(path, data)
    if data.startswith(b"PK\x03\x04"):
        _check_zip(path, data)
        return _read_workbook(path, data)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        if _MARKUP.match(data[:4096]):  # a web page or XML 2003 file named .xls (many systems)
            raise InputError("file_markup", path=str(path), suffix=path.suffix)
        raise InputError("file_corrupt", path=str(path), detail="不是 Excel 文件格式")
    return [_read_csv(path, data)]


# What the largest real export needs; a file claiming more is refused before it is opened.
MAX_UNPACKED = 2 * 1024**3  # bytes, all parts of a workbook together
MAX_RATIO = 200  # unpacked / packed size of one part larger than 1 MB
MAX_CELLS = 1_048_576 * 200  # the cells a sheet may declare (rows × columns)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


def _check_zip(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_claims(path, archive)
            bad = archive.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise InputError("file_corrupt", path=str(path), detail="压缩包不完整") from exc
    if bad is not None:
        raise InputError("file_corrupt", path=str(path), detail=f"内部文件 {bad} 已损坏")


def _check_claims(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts or sheets claim more than any real export holds."""
    members = archive.infolist()
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise InputError("file_too_big", path=str(path), detail="解压后超过 2 GB")
    for member in members:
        if member.file_size > 1024**2 and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise InputError("file_too_big", path=str(path), detail=f"{member.filename} 压缩比异常")
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            with archive.open(member) as sheet:
                head = sheet.read(4096)
            found = _DIMENSION.search(head)
            if found and found[3] and found[4]:
                cells = int(found[4]) * _column_number(found[3].decode())
                if cells > MAX_CELLS:
                    detail = f"工作表声明了 {found[3].decode()}{int(found[4])} 这么大的范围"
                    raise InputError("file_too_big", path=str(path), detail=detail)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _read_workbook(path: Path, data: bytes) -> list[Grid]:
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = []
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            cells = _to_array(rows)
            _fill_merged(cells, sheet.merged_cell_ranges or [])
            grids.append(Grid(path, meta.name, cells))
    except calamine.PasswordError as exc:
        raise InputError("file_encrypted", path=str(path)) from exc
    except calamine.CalamineError as exc:
        raise InputError("file_corrupt", path=str(path), detail=_short(exc)) from exc
    except (ValueError, OSError) as exc:  # calamine reports some damage as plain errors
        raise InputError("file_corrupt", path=str(path), detail=_short(exc)) from exc
    return grids


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__


def _to_array(rows: Sequence[Sequence[object]]) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    cells = np.empty((len(rows), width), dtype=object)
    cells[:] = ""
    for i, row in enumerate(rows):
        cells[i, : len(row)] = row
    return cells


def _fill_merged(cells: np.ndarray, ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Copy each merged range's top-left value into all its cells (readers leave them empty)."""
    height, width = cells.shape
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= height or c0 >= width:
            continue
        cells[r0 : r1 + 1, c0 : c1 + 1] = cells[r0, c0]


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本": UTF-16, tabs
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("file_encoding", path=str(path)) from exc
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError("file_binary", path=str(path))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise InputError("file_binary", path=str(path))
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("file_encoding", path=str(path))
    text = str(best)
    if _looks_binary(text):
        raise InputError("file_binary", path=str(path))
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls > max(2, len(sample) // 200)


# the mark our own CSVs put after an all-digit ID (io.write.TEXT_MARK): a tab right after a
# digit and before a comma or the line's end (or a closing quote then one of them)
_MARK_TAB = re.compile(r'(?<=\d)\t(?=,|\r|\n|$|"(?:,|\r|\n|$))', re.MULTILINE)


def _read_csv(path: Path, data: bytes) -> Grid:
    text = _decode(path, data)
    lines = text.splitlines()
    first_lines = "\n".join(lines[:50])
    # a tab that marks an all-digit ID as text (_MARK_TAB) is not a delimiter
    tabs = first_lines.count("\t") - len(_MARK_TAB.findall(first_lines))
    delimiter = "\t" if tabs > first_lines.count(",") else ","
    width = max((line.count(delimiter) for line in lines), default=0) + 1
    del lines
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            header=None,
            names=list(range(width)),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            sep=delimiter,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError("file_corrupt", path=str(path), detail=_short(exc)) from exc
    if delimiter == "," and "\t" in text:  # our own CSV: IDs carry a trailing tab
        frame = frame.replace(r"\t+$", "", regex=True)
    cells = frame.to_numpy(dtype=object)
    return Grid(path, "", cells)


# ---------------------------------------------------------------- grid → header


def _is_title_row(row: np.ndarray) -> bool:
    """A row whose one text fills most of its cells: a title merged across, not a header."""
    texts = [v for v in row if isinstance(v, str) and v.strip()]
    return bool(texts) and len(texts) >= 0.8 * len(row) and len(set(texts)) == 1 and len(row) > 2


_TITLE_WORDS = ("台账", "花名册", "名单", "统计表", "汇总表", "登记表", "明细表", "一览表")


def _is_title(text: str) -> bool:
    """A sheet title typed above the header (丰都县XX街道脱贫人口务工台账), not a group header."""
    key = clean_header(text)
    return len(key) > 16 or any(w in key for w in _TITLE_WORDS)


def _candidates(upper: np.ndarray | None, lower: np.ndarray) -> list[list[str]]:
    """Per column, the header texts to try: the lower text, upper+lower (务工情况 + 地点 →
    务工地点), upper+lower without 情况/信息/状况, then the upper text alone — but only when
    it heads this column alone (merged down), not a group of columns (merged across)."""
    out: list[list[str]] = []
    if upper is None or _is_title_row(upper):
        for bottom in lower:
            out.append([clean_header(bottom) if isinstance(bottom, str) else ""])
        return out
    tops = [clean_header(t) if isinstance(t, str) and not _is_title(t) else "" for t in upper]
    for j, bottom in enumerate(lower):
        top_s = tops[j]
        bottom_s = clean_header(bottom) if isinstance(bottom, str) else ""
        stem = re.sub(r"(情况|信息|状况)$", "", top_s)
        texts = [bottom_s, top_s + bottom_s, stem + bottom_s] if bottom_s else []
        spans = top_s and (
            (j > 0 and tops[j - 1] == top_s) or (j + 1 < len(tops) and tops[j + 1] == top_s)
        )
        if top_s and top_s != bottom_s and not spans:
            texts.append(top_s)
        out.append([t for t in texts if t] or [""])
    return out


def locate_header(grid: Grid, kind: str, recogniser: Recogniser | None = None) -> Header | None:
    """Find the header of ``grid`` for ``kind`` and recognise its columns: the row (or pair
    of rows) naming the most known columns within the first rows; None when no row names
    at least two."""
    recogniser = recogniser or Recogniser(kind)
    cells = grid.cells
    scan = min(HEADER_SCAN_ROWS, cells.shape[0])
    best_row, best = -1, set[str]()
    for i in range(scan):
        found = recogniser.named(_candidates(None, cells[i]))
        if len(found) > len(best):
            best_row, best = i, found
    if len(best) < 2:
        return None
    first, last = best_row, best_row
    candidates = _candidates(None, cells[best_row])
    named = recogniser.named(candidates)
    for upper, lower in ((best_row - 1, best_row), (best_row, best_row + 1)):
        if upper < 0 or lower >= cells.shape[0]:
            continue
        if recogniser.holds_data(cells[upper]) or recogniser.holds_data(cells[lower]):
            continue  # a row of values is never part of the header
        combined = _candidates(cells[upper], cells[lower])
        combined_named = recogniser.named(combined)
        if len(combined_named) > len(named):
            first, last, candidates, named = upper, lower, combined, combined_named
    header_rows = cells[first : last + 1]
    texts = tuple(_header_text(header_rows[:, j]) for j in range(cells.shape[1]))
    recognition = recogniser.recognise(candidates, texts, cells[last + 1 :])
    names = _column_names(header_rows, recognition.column_names())
    above = dict.fromkeys(
        v.strip() for v in cells[:first].ravel() if isinstance(v, str) and v.strip()
    )
    canonical = frozenset(c for c in recognition.column_names() if c)
    return Header(first, last, tuple(names), texts, canonical, " ".join(above), recognition)


def _header_text(values: np.ndarray) -> str:
    """The header as the clerk sees it in the file ('基本信息/身份证号码' for two rows)."""
    parts: list[str] = []
    for v in values:
        s = re.sub(r"\s+", "", str(v)) if v is not None else ""
        if s and s not in parts:
            parts.append(s)
    return "/".join(parts)


def _column_names(header_rows: np.ndarray, resolved: list[str | None]) -> list[str]:
    """Canonical names where known; otherwise the header text (kept, never dropped)."""
    names: list[str] = []
    seen: set[str] = set(c for c in resolved if c)
    for j, column in enumerate(resolved):
        if column:
            name = column
        else:
            name = _header_text(header_rows[:, j]) or f"未命名列{column_letter(j)}"
            if name.startswith("_"):
                name = "表头" + name  # our own provenance columns start with _
            while name in seen:
                name += "_"
        seen.add(name)
        names.append(name)
    return names


def column_letter(j: int) -> str:
    """Excel's letter for 0-based column ``j`` (0 → A, 26 → AA)."""
    letters = ""
    j += 1
    while j:
        j, rem = divmod(j - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# ---------------------------------------------------------------- header → rows


def _is_empty(values: np.ndarray) -> np.ndarray:
    """Element-wise: the cell holds nothing (empty or whitespace-only text, None, NaN)."""
    flat = values.ravel()
    out = np.fromiter(
        (
            v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)
            for v in flat
        ),
        dtype=bool,
        count=flat.size,
    )
    return out.reshape(values.shape)


def text_op(column: pd.Series, method: str, *args: object) -> pd.Series:
    """``column.str.<method>(*args)`` for a column of mixed cells: NaN where a cell is not
    text (pandas refuses the accessor outright when no cell is)."""
    try:
        return getattr(column.str, method)(*args)
    except AttributeError:
        return pd.Series(np.nan, index=column.index, dtype=object)


def _is_empty_fast(values: np.ndarray) -> np.ndarray:
    """Like :func:`_is_empty`, vectorised; whitespace-only text other than one space or one
    ideographic space counts as filled (rows it affects are re-checked precisely)."""
    if not values.size:
        return np.zeros(values.shape, dtype=bool)
    return (values == "") | (values == " ") | (values == "\u3000") | pd.isna(values)


def _squeeze(v: object) -> str:
    if not isinstance(v, str):
        return ""
    return v if v.isalnum() else re.sub(r"\s+", "", v)


_SUBTOTAL_FORMS = frozenset(
    form
    for word in SUBTOTAL_WORDS
    for form in (
        word,
        *(word[0] + sep + word[1] for sep in (" ", "  ", "\u3000", "\u3000\u3000")),
        word + "：",
        word + ":",
    )
)


# a place's subtotal written in one cell: 三合街道 小计, 虎威镇合计：
_PLACE_SUBTOTAL = re.compile(rf"^\S{{2,12}}?\s*(?:{'|'.join(sorted(SUBTOTAL_WORDS))})[:：]?$")


def _place_subtotals(body: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Which of ``rows`` (the few that are not plainly a person) are a place's subtotal."""
    found = np.zeros(len(body), dtype=bool)
    for i in np.flatnonzero(rows):
        found[i] = any(isinstance(v, str) and _PLACE_SUBTOTAL.match(v.strip()) for v in body[i])
    return found


def sheet_frame(grid: Grid, kind: str, header: Header) -> SheetRead:
    """The person rows below ``header``: a frame of raw cells with their provenance.

    Vectorised over the whole sheet; only the few rows that are not plainly person rows
    get a cell-by-cell look.
    """
    body = grid.cells[header.last_row + 1 :]
    names = list(header.columns)
    excel_rows = np.arange(header.last_row + 2, header.last_row + 2 + len(body))
    sorted_rows = sort_rows(body, kind, header, lead=min(2, len(body)))
    # Drop columns that are empty from top to bottom with no header text (trailing commas).
    empty = sorted_rows.empty
    keep = kept_columns(names, np.all(empty, axis=0) if body.size else None)
    frame = pd.DataFrame(body, columns=names, dtype=object)
    people = frame.loc[sorted_rows.person, keep].copy()
    return SheetRead(
        grid,
        header,
        person_frame(people, excel_rows[sorted_rows.person], grid, header),
        skipped_frame(grid, excel_rows, sorted_rows),
    )


@dataclass(frozen=True)
class SortedRows:
    """What each row below a header is: ``reason`` '' for a person row or a blank row, else
    the message key of why it is not counted; ``empty`` cell by cell (precise where a row is
    not plainly a person's); ``text`` the first filled cell of rows that are not a person's."""

    reason: np.ndarray
    blank: np.ndarray
    empty: np.ndarray
    text: pd.Series

    @property
    def person(self) -> np.ndarray:
        return np.asarray((self.reason == "") & ~self.blank, dtype=bool)


def sort_rows(body: np.ndarray, kind: str, header: Header, lead: int) -> SortedRows:
    """Sort the rows of ``body`` (all below ``header``, in order) into person, blank, subtotal,
    footer and repeated-header rows.  Row by row: any subset of a sheet's rows sorts as it
    would within the whole sheet, except the check for a row of column numbers, made on the
    first ``lead`` rows of ``body`` (those that are the sheet's first two rows below the
    header)."""
    names = list(header.columns)
    frame = pd.DataFrame(body, columns=names, dtype=object)
    empty = _is_empty_fast(body)
    # who a row is for: a person's name or ID; on a payment list also an organisation paid by
    # its credit code and name (an award to a base names no person)
    keys = person_keys(names, kind)
    # np.all, not .all: the method's stubs may return a scalar (they cannot tell the ndim)
    has_person: np.ndarray = (
        ~np.all(empty[:, keys], axis=1) if len(body) else np.zeros(0, dtype=bool)
    )
    unsure: np.ndarray = ~has_person & ~np.all(empty, axis=1) if len(body) else has_person
    if unsure.any():
        empty[unsure] = _is_empty(body[unsure])
    blank: np.ndarray = np.all(empty, axis=1) if len(body) else np.ones(0, dtype=bool)

    subtotal = frame.isin(_SUBTOTAL_FORMS).any(axis=1).to_numpy() if len(frame) else blank
    first_text = pd.Series("", index=range(len(body)), dtype=object)
    if (~has_person).any():  # the few rows that may be titles, footers or notes
        first_text[~has_person] = _first_text(body[~has_person], empty[~has_person]).to_numpy()
    footer = first_text.str.startswith(FOOTER_PREFIXES).to_numpy(copy=True) if len(frame) else blank
    half = has_person
    if len(keys) > 1 and len(body):  # a real person has a name and a different ID
        half = has_person & (empty[:, keys].any(axis=1) | (body[:, keys[0]] == body[:, keys[1]]))
    for j in keys:  # a footer typed (or merged) into the name or ID column
        column = text_op(pd.Series(body[half, j], dtype=object), "lstrip")
        starts = text_op(column, "startswith", FOOTER_PREFIXES).fillna(False).astype(bool)
        footer[np.flatnonzero(half)[starts.to_numpy()]] = True
    if len(body):
        # a row with a name and an ID is a person, whatever its 备注 says (小计, 合计)
        subtotal = (subtotal | _place_subtotals(body, half | ~has_person)) & (half | ~has_person)
    repeat = _repeated_header(frame, kind, header)
    numbers = np.zeros(len(frame), dtype=bool)  # a row of column numbers 1, 2, 3 … under the header
    for i in range(min(lead, len(body))):
        numbers[i] = _column_numbers(body[i])

    reason = np.full(len(frame), "", dtype=object)
    for mask, key in (
        (~has_person, "skip_no_person"),
        (repeat | numbers, "skip_header_repeat"),
        (footer, "skip_footer"),
        (subtotal, "skip_subtotal"),
    ):
        reason[mask] = key
    reason[blank] = ""
    return SortedRows(reason, blank, empty, first_text)


def person_keys(names: Sequence[str], kind: str) -> list[int]:
    """The columns that say who a row is for (all columns when none of them is there)."""
    who = ("name", "id_number", *(("payee_id", "payee_name") if kind == "payments" else ()))
    return [names.index(c) for c in who if c in names] or list(range(len(names)))


def kept_columns(names: Sequence[str], all_empty: np.ndarray | None) -> list[str]:
    """The columns a sheet's rows keep: all but those with no header text that are empty
    from top to bottom (``all_empty`` per column; None when the sheet has no rows)."""
    return [
        n
        for j, n in enumerate(names)
        if not (
            n.startswith("未命名列") and (bool(all_empty[j]) if all_empty is not None else True)
        )
    ]


def person_frame(
    people: pd.DataFrame, rows: np.ndarray, grid: Grid, header: Header
) -> pd.DataFrame:
    """The person rows (kept columns, as read) with their provenance."""
    people.insert(0, "_row", rows)
    people.insert(0, "_sheet", grid.sheet)
    people.insert(0, "_file", str(grid.file))
    people["_title"] = header.title
    return people.reset_index(drop=True)


def skipped_frame(grid: Grid, excel_rows: np.ndarray, rows: SortedRows) -> pd.DataFrame:
    """The rows with content that are not a person's, and why."""
    skipped_mask = (rows.reason != "") & ~rows.blank
    return pd.DataFrame(
        {
            "_file": str(grid.file),
            "_sheet": grid.sheet,
            "_row": excel_rows[skipped_mask],
            "reason": rows.reason[skipped_mask],
            "text": rows.text[skipped_mask].to_numpy(),
        }
    )


def _column_numbers(row: np.ndarray) -> bool:
    """A row that numbers the columns (1, 2, 3 …, as printed under many headers)."""
    filled = [v for v in row if not (v is None or (isinstance(v, str) and not v.strip()))]
    try:
        numbers = [int(float(v)) for v in filled]
    except (TypeError, ValueError, OverflowError):
        return False
    return len(numbers) >= 3 and numbers == list(range(1, len(numbers) + 1))


def _first_text(body: np.ndarray, empty: np.ndarray) -> pd.Series:
    """Each row's first filled cell as text without spaces (footers start there)."""
    if not len(body):
        return pd.Series([], dtype=object)
    idx = np.argmax(~empty, axis=1)  # 0 for an all-empty row
    firsts = body[np.arange(len(body)), idx]
    return pd.Series([_squeeze(v) if isinstance(v, str) else "" for v in firsts], dtype=object)


def _repeated_header(frame: pd.DataFrame, kind: str, header: Header) -> np.ndarray:
    """Rows that repeat the header (printed tables repeat it on every page): two or more
    known columns hold their own header text or one of its aliases."""
    hits = np.zeros(len(frame), dtype=int)
    typed = dict(zip(header.columns, header.texts, strict=False))
    for column in sorted(header.canonical):
        spellings = set(ALIASES[kind].get(column, ())) | set(typed.get(column, "").split("/"))
        spellings.discard("")
        hits += frame[column].isin(spellings).to_numpy()
    return hits >= 2


# ---------------------------------------------------------------- file → frames


def read_file(path: Path, kind: str, recogniser: Recogniser | None = None) -> FileRead:
    """Read one file for ``kind``: every sheet with a header gives person rows.

    A sheet without a recognisable header is kept as a notice (``header`` None); when no
    sheet of the file has one, or a required column is missing or doubtful, the file
    cannot be read.  ``recogniser`` carries the clerk's columns.toml and the columns
    the warnings and rules need.
    """
    recogniser = recogniser or Recogniser(kind)
    fast = _read_large(Path(path), kind, recogniser) if _large_text(Path(path)) else None
    if fast is not None:
        return fast
    grids = read_grids(path)
    sheets: list[SheetRead] = []
    other: tuple[Grid, Header] | None = None  # the first header without the kind's key columns
    for grid in grids:
        header = locate_header(grid, kind, recogniser)
        if header is not None and other is None and header.recognition is not None:
            other = (grid, header)
        if header is None or not header.canonical & set(REQUIRED.get(kind, ())):
            # no header, or one with none of the kind's key columns (a 汇总 or 下拉选项
            # sheet beside the list): not a table of this kind, said in a notice
            filled = (~_is_empty(grid.cells)).sum(axis=1) if grid.cells.size else np.zeros(0)
            content, table = int((filled > 0).sum()), int((filled >= 3).sum())
            why = "sheet_no_header" if header is None else "sheet_not_this_kind"
            sheets.append(
                SheetRead(grid, None, pd.DataFrame(), pd.DataFrame(), content, table, why)
            )
            log.info("%s: not read as %s (%s, %d rows)", _where(grid), kind, why, content)
            continue
        _require_columns(grid, kind, header)
        sheets.append(sheet_frame(grid, kind, header))
        _log_sheet(sheets[-1], kind)
    if not any(s.header is not None for s in sheets):
        if other is not None:  # a header lacking what the kind needs: say which column
            _require_columns(other[0], kind, other[1])
        raise InputError(
            "no_header",
            path=str(path),
            kind=kind,
            scan=HEADER_SCAN_ROWS,
        )
    return FileRead(Path(path), tuple(sheets))


def _read_large(path: Path, kind: str, recogniser: Recogniser) -> FileRead | None:
    """``path`` read by io.large_csv, or None: not a file it reads alike (or no pyarrow)."""
    try:
        from fengdu_cli.io.large_csv import read_large_csv  # pyarrow, for large CSVs only
    except ImportError:  # a dependency, but an old environment may lack it: same rows, slower
        log.debug("pyarrow not installed: %s read the usual way", shown_name(path))
        return None
    return read_large_csv(path, kind, recogniser, LARGE_CSV_BYTES)


def _large_text(path: Path) -> bool:
    """A file big enough, and not named a workbook, to try reading as a large CSV."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return False
    try:
        return path.is_file() and path.stat().st_size >= LARGE_CSV_BYTES
    except OSError:
        return False


def _where(grid: Grid) -> str:
    """A sheet as a log line names it: the file's shown name, and the sheet of a workbook."""
    return f"{shown_name(grid.file)} [{grid.sheet}]" if grid.sheet else shown_name(grid.file)


def _log_sheet(sheet: SheetRead, kind: str) -> None:
    """What was read from a sheet and how each header was recognised (counts, codes and
    header texts only: never a cell of a person row)."""
    assert sheet.header is not None and sheet.header.recognition is not None
    log.info(
        "read %s as %s: header on row %d, %d person rows, %d rows not counted",
        _where(sheet.grid), kind, sheet.header.last_row + 1, len(sheet.frame), len(sheet.skipped),
    )  # fmt: skip
    for c in sheet.header.recognition.columns:
        header = mask_in_text(c.header)[:40]
        if c.column is not None:
            share = "" if c.share is None else f", {c.share:.0%} of values fit"
            log.info(
                "  column %s %r -> %s (by %s%s)",
                column_letter(c.index),
                header,
                c.column,
                c.how,
                share,
            )
        elif c.header:
            log.debug("  column %s %r kept as an extra column", column_letter(c.index), header)
    for gap in sheet.header.recognition.gaps:
        log.info("  column %s %s (%s)", gap.column, gap.cause, gap.role)


def _require_columns(grid: Grid, kind: str, header: Header) -> None:
    """A required column missing, or held by two columns alike, stops the file (exit 3)."""
    assert header.recognition is not None
    for gap in header.recognition.gaps:
        if gap.role != "required":
            continue
        where = {
            "path": mask_in_text(str(grid.file)),
            "sheet": mask_in_text(grid.sheet or grid.file.name),
            "column": display_name(kind, gap.column),
        }
        if gap.cause == "ambiguous":
            raise InputError("required_column_ambiguous", **where, headers="”“".join(gap.headers))
        if gap.cause == "values":
            # a sample value may be a phone or an ID: never in full on screen or in the JSON
            shown = mask_in_text(gap.example)
            example = shown if len(shown) < 15 else shown[:6] + "…"
            raise InputError(
                "required_column_values",
                **where,
                header=gap.headers[0],
                share=f"{(gap.share or 0):.0%}",
                example=example,
            )
        found = _display_found(kind, header.columns)
        if gap.headers:
            raise InputError(
                "required_column_missing_near", **where, closest=gap.headers[0], found=found
            )
        raise InputError("required_column_missing", **where, found=found)


def _display_found(kind: str, columns: Iterable[str]) -> str:
    known = ALIASES[kind]
    return "、".join(display_name(kind, c) if c in known else c for c in columns)
