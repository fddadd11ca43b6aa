"""A large plain CSV read with pyarrow into string columns, never as a grid of Python objects.

:func:`fengdu_cli.io.read.read_file` reads a CSV by decoding it whole into text, parsing it
with pandas and turning it into a grid of cells: fine for a township's list, but a
province's insurance export (2 GB, 17 million rows) took 15 GB that way.  This module
reads such a file with pyarrow's CSV reader, every column as text, and gives exactly what
the grid path gives: the same header (found and recognised on the first rows), the same
person rows with the same cells and row numbers, the same skipped rows.

It only reads what it is sure to read alike: a file of at least ``min_bytes``, UTF-8
(with or without a byte-order mark), comma-separated, every record with the same number
of fields, with a header of the kind.  Anything else — GBK, tabs, ragged rows, a blank
line in a file with quoted fields, a line break only the text path knows (\\v, \\f, U+2028
…), a parse error, no header — returns None, and the caller reads the file the usual way.

The rows are sorted as :func:`fengdu_cli.io.read.sort_rows` sorts them.  A row is plainly
a person's when it names a person by two different, filled name and ID cells and does not
repeat the header: that is decided on the columns at once.  Every other row — blank
cells in a key column, titles, subtotals, footers, repeated headers, the first two rows
below the header — goes through ``sort_rows`` itself, cell by cell.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from fengdu_cli.io.columns import ALIASES, REQUIRED
from fengdu_cli.io.read import (
    _MARK_TAB,
    _OLE_MAGIC,
    HEADER_SCAN_ROWS,
    FileRead,
    Grid,
    Header,
    SheetRead,
    _log_sheet,
    _looks_binary,
    _require_columns,
    kept_columns,
    locate_header,
    person_frame,
    person_keys,
    skipped_frame,
    sort_rows,
)
from fengdu_cli.io.recognise import Recogniser
from fengdu_cli.io.shapes import SAMPLE_ROWS

log = logging.getLogger(__name__)

HEAD_BYTES = 256 * 1024  # decoded to choose the delimiter and to look for binary junk
HEAD_ROWS = HEADER_SCAN_ROWS + 2 + SAMPLE_ROWS + 64  # rows the header is found and recognised on
_BLOCK = 16 * 1024 * 1024  # bytes scanned at a time for line breaks and commas
_BOM = b"\xef\xbb\xbf"
_EMPTY = pa.array(["", " ", "\u3000"])  # what read._is_empty_fast counts as empty
# line breaks str.splitlines knows and the CSV parsers do not: the text path's width differs
_OTHER_CONTROLS = np.array([0x0B, 0x0C, 0x1C, 0x1D, 0x1E], dtype=np.uint8)  # \v \f and the like
_TRAILING_TABS = re.compile(r"\t+$")


@dataclass(frozen=True)
class _Lines:
    """What the text path sees of a file's lines: how many, the widest, which are empty."""

    count: int
    width: int  # commas on the line with most of them, plus one
    blank: np.ndarray  # 0-based numbers of the empty lines


def read_large_csv(
    path: Path, kind: str, recogniser: Recogniser, min_bytes: int = 0
) -> FileRead | None:
    """``path`` read for ``kind`` with pyarrow, or None when it is not a file this reader
    is sure to read exactly as :func:`fengdu_cli.io.read.read_file` does (the caller then
    reads it that way, which also raises whatever error the file deserves)."""
    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size < max(min_bytes, 1):
            return None
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    start = len(_BOM) if data.startswith(_BOM) else 0
    if not _plain_text(data, start):
        return None
    lines = _scan_lines(data, start)
    if lines is None:
        return None
    parsed = _parse(data, start, lines)
    del data  # the columns hold the text now
    if parsed is None:
        return None
    try:
        return _sheet(path, kind, recogniser, *parsed)
    except pa.ArrowException as exc:  # never seen; the text path then reads the file
        log.debug("large CSV read the usual way: %s", type(exc).__name__)
        return None


def _plain_text(data: bytes, start: int) -> bool:
    """UTF-8 text, comma-separated, no binary junk, not a file the text path refuses."""
    if data.startswith((b"%PDF", _OLE_MAGIC, b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff")):
        return False
    if data.startswith(_BOM, start):  # a second mark: the text path keeps it as a character
        return False
    sample = data[:65536]
    if b"\x00" in sample or not sample.strip():
        return False
    whole = len(data) <= HEAD_BYTES
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(data[start:HEAD_BYTES], final=whole)
    except UnicodeDecodeError:
        return False
    if _looks_binary(head):
        return False
    lines = head.splitlines()
    if len(lines) <= 50 and not whole:
        return False
    first_lines = "\n".join(lines[:50])
    tabs = first_lines.count("\t") - len(_MARK_TAB.findall(first_lines))
    if tabs > first_lines.count(","):  # tab-separated: the text path reads it
        return False
    # all of it must be UTF-8, as the text path decodes it (else it tries GB18030)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for at in range(start, len(data), _BLOCK):
            decoder.decode(data[at : at + _BLOCK], final=at + _BLOCK >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def _scan_lines(data: bytes, start: int) -> _Lines | None:
    """The lines as ``str.splitlines`` cuts the decoded text (\\n, \\r\\n or \\r), the most
    commas on one line, and the empty lines; None when a line break only splitlines knows
    is there."""
    view = np.frombuffer(data, dtype=np.uint8)
    size = len(data)
    widest = 0
    blanks: list[np.ndarray] = []
    count = 0  # lines ended so far
    line_start = start  # where the current line starts
    commas_before = 0  # commas between line_start and the current block
    for at in range(start, size, _BLOCK):
        end = min(at + _BLOCK, size)
        block = view[at:end]
        if _other_breaks(view, block, at):
            return None
        low = np.flatnonzero(block < 32)  # line breaks, tabs, other control bytes
        kinds = block[low]
        if np.isin(kinds, _OTHER_CONTROLS).any():
            return None
        newlines = low[kinds == 10] + at
        returns = low[kinds == 13] + at
        # a \r followed by \n ends its line at the \n
        follows = view[np.minimum(returns + 1, size - 1)]
        lone = returns[(returns + 1 >= size) | (follows != 10)]
        ends = np.sort(np.concatenate((newlines, lone)))
        commas = np.flatnonzero(block == 44)  # where the commas are
        if len(ends):
            upto = np.searchsorted(commas, ends - at)  # commas in the block before each end
            per_line = np.diff(upto, prepend=0)
            per_line[0] += commas_before
            widest = max(widest, int(per_line.max()))
            starts = np.concatenate(([line_start], ends[:-1] + 1))
            length = ends - starts
            crlf = (view[ends] == 10) & (length > 0) & (_byte_at(view, ends - 1) == 13)
            length = length - crlf
            empty = np.flatnonzero(length == 0)
            if len(empty):
                blanks.append(empty + count)
            count += len(ends)
            line_start = int(ends[-1]) + 1
            commas_before = len(commas) - int(upto[-1])
        else:
            commas_before += len(commas)
    if line_start < size:  # a last line without a line break
        widest = max(widest, commas_before)
        count += 1
    blank = np.concatenate(blanks) if blanks else np.zeros(0, dtype=np.int64)
    return _Lines(count, widest + 1, blank)


def _other_breaks(view: np.ndarray, block: np.ndarray, at: int) -> bool:
    """Does ``block`` (at ``at`` in ``view``) hold U+0085, U+2028 or U+2029 in UTF-8?"""
    last = len(view) - 1
    c2 = np.flatnonzero(block == 0xC2) + at
    if len(c2) and (view[np.minimum(c2 + 1, last)] == 0x85).any():
        return True
    e2 = np.flatnonzero(block == 0xE2) + at
    if not len(e2):
        return False
    second = view[np.minimum(e2 + 1, last)] == 0x80
    third = view[np.minimum(e2 + 2, last)]
    return bool((second & ((third == 0xA8) | (third == 0xA9))).any())


def _byte_at(view: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The bytes at ``positions`` (0 where a position is before the start)."""
    return np.where(positions >= 0, view[np.maximum(positions, 0)], 0)


def _parse(
    data: bytes, start: int, lines: _Lines
) -> tuple[list[pa.ChunkedArray], np.ndarray, int] | None:
    """Every field as text, one column per field of the widest line (the text path's width),
    empty lines left out; the grid row of each table row; the grid's rows.  None when
    pyarrow cannot read the file alike."""
    quoted = b'"' in data
    if quoted and len(lines.blank):
        return None  # an empty line may be inside a quoted cell: only the text path can tell
    buffer = pa.py_buffer(data)[start:]
    try:
        # the number of fields of the first record (the types guessed here are not used)
        with pacsv.open_csv(
            pa.BufferReader(buffer),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=quoted),
        ) as reader:
            fields = len(reader.schema)
        names = [f"f{j}" for j in range(fields)]
        table = pacsv.read_csv(
            pa.BufferReader(buffer),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(newlines_in_values=quoted, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError, OSError) as exc:
        log.debug("large CSV read the usual way: %s", type(exc).__name__)
        return None
    if fields > lines.width:
        return None
    if not quoted and table.num_rows + len(lines.blank) != lines.count:
        return None
    columns = [table.column(j) for j in range(fields)]
    if quoted and any(pc.any(pc.match_substring(c, "\r")).as_py() for c in columns):
        return None  # a \r inside a quoted cell: the text path's line counts differ
    padding = pa.chunked_array([pa.nulls(table.num_rows, pa.string()).fill_null("")])
    columns += [padding] * (lines.width - fields)
    if b"\t" in data:  # our own CSVs mark an all-digit ID as text with a trailing tab
        columns = [_strip_tabs(c) for c in columns]
    if quoted:  # no empty line: each record is a row of the grid
        return columns, np.arange(table.num_rows, dtype=np.int64), table.num_rows
    # each line is a row of the grid; the table leaves out the empty ones
    return columns, np.delete(np.arange(lines.count, dtype=np.int64), lines.blank), lines.count


def _strip_tabs(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Trailing tabs removed exactly as the text path removes them (Python's re)."""
    marked = pc.match_substring(column, "\t")
    if not pc.any(marked).as_py():
        return column
    values = column.filter(marked).to_pylist()
    stripped = pa.array([_TRAILING_TABS.sub("", v) for v in values], pa.string())
    whole = pc.replace_with_mask(column.combine_chunks(), marked.combine_chunks(), stripped)
    return pa.chunked_array([whole])


def _sheet(
    path: Path,
    kind: str,
    recogniser: Recogniser,
    columns: list[pa.ChunkedArray],
    where: np.ndarray,
    grid_rows: int,
) -> FileRead | None:
    """The sheet of a parsed file: ``where[i]`` is the grid row (0-based line) of the
    table's row i."""
    width = len(columns)
    rows = len(columns[0])
    if not grid_rows or len(where) != rows:
        return None
    head_rows = int(np.searchsorted(where, HEAD_ROWS))
    head_height = min(grid_rows, HEAD_ROWS)
    cells = np.empty((head_height, width), dtype=object)
    cells[:] = ""
    for j, column in enumerate(columns):
        cells[where[:head_rows], j] = column.slice(0, head_rows).to_numpy(zero_copy_only=False)
    grid = Grid(path, "", cells)
    header = locate_header(grid, kind, recogniser)
    if header is None or header.recognition is None:
        return None
    if not header.canonical & set(REQUIRED.get(kind, ())):
        return None
    if header.last_row + 1 >= head_height and head_height < grid_rows:
        return None
    _require_columns(grid, kind, header)

    names = list(header.columns)
    below = where > header.last_row  # table rows below the header
    body_at = int(np.argmax(below)) if below.any() else rows
    body = [c.slice(body_at) for c in columns]
    columns.clear()  # each column goes once it is taken (below)
    body_rows = where[body_at:] - (header.last_row + 1)  # 0-based row below the header
    plain = _plain_person(body, names, kind, header) & (body_rows >= 2)
    other = np.flatnonzero(~plain)
    if len(other):
        picked = pa.array(other)
        odd = np.empty((len(other), width), dtype=object)
        for j, column in enumerate(body):
            odd[:, j] = _objects(column.take(picked))
        odd_rows = sort_rows(odd, kind, header, lead=int((body_rows[other] < 2).sum()))
        odd_empty: np.ndarray = np.all(odd_rows.empty, axis=0)
    else:
        odd_rows = sort_rows(np.empty((0, width), dtype=object), kind, header, lead=0)
        odd_empty = np.ones(width, dtype=bool)
    person = plain.copy()
    person[other] = odd_rows.person
    excel_rows = where[body_at:] + 1

    if len(body_rows):
        plain_at = pa.array(np.flatnonzero(plain))
        all_empty = np.array(  # only a column without header text is looked at
            [
                names[j].startswith("未命名列")
                and bool(odd_empty[j])
                and _all_in(c.take(plain_at), _EMPTY)
                for j, c in enumerate(body)
            ]
        )
        keep = kept_columns(names, all_empty)
    else:
        keep = kept_columns(names, None)
    everyone = bool(person.all())
    taken = None if everyone else pa.array(np.flatnonzero(person))
    taken_columns = {}
    for k, name in enumerate(keep):
        j = names.index(name)
        column = body[j] if everyone else body[j].take(taken)
        taken_columns[k] = _objects(column)
        body[j] = None  # not two copies of a column at once
    people = pd.DataFrame(taken_columns, dtype=object)
    people.columns = keep
    sheet = SheetRead(
        grid,
        header,
        person_frame(people, excel_rows[person], grid, header),
        skipped_frame(grid, excel_rows[other], odd_rows),
    )
    _log_sheet(sheet, kind)
    log.debug("%s read with pyarrow: %d rows", path.name, rows)
    return FileRead(path, (sheet,))


def _objects(column: pa.ChunkedArray) -> np.ndarray:
    """The column as Python strings, one object per distinct text (as pandas' own CSV
    parser shares them: a million rows of a few periods and types stay small)."""
    distinct = pc.unique(column)
    at = pc.index_in(column, value_set=distinct).to_numpy(zero_copy_only=False)
    words = distinct.to_numpy(zero_copy_only=False)
    return np.asarray(words[at], dtype=object)


def _all_in(column: pa.ChunkedArray, values: pa.Array) -> bool:
    return bool(pc.all(pc.is_in(column, value_set=values)).as_py() is not False)


def _plain_person(
    body: list[pa.ChunkedArray], names: list[str], kind: str, header: Header
) -> np.ndarray:
    """Rows sort_rows would find a person's without a closer look: the person's key
    cells all filled, name and ID different, and the header not repeated."""
    rows = len(body[0]) if body else 0
    keys = person_keys(names, kind)
    if not rows or len(keys) < 2:  # one key column: every person row gets the closer look
        return np.zeros(rows, dtype=bool)
    filled = [pc.invert(pc.is_in(body[k], value_set=_EMPTY)) for k in keys]
    plain = filled[0]
    for f in filled[1:]:
        plain = pc.and_(plain, f)
    if len(keys) > 1:
        plain = pc.and_(plain, pc.not_equal(body[keys[0]], body[keys[1]]))
    hits = np.zeros(rows, dtype=np.int64)
    typed = dict(zip(header.columns, header.texts, strict=False))
    for column in sorted(header.canonical):
        spellings = set(ALIASES[kind].get(column, ())) | set(typed.get(column, "").split("/"))
        spellings.discard("")
        if spellings:
            found = pc.is_in(body[names.index(column)], value_set=pa.array(sorted(spellings)))
            hits += np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)
    return np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool) & (hits < 2)
