"""A canonical dump of what ``fengdu reconcile`` and ``fengdu subsidy`` write, for the
tests that prove a faster version writes the same lists (tests/test_identical.py).

Every output file becomes a set of *sheets* (a CSV is one sheet named ``csv``), each a
map ``(row, column) → text`` plus a few lines about the sheet's layout:

* a workbook cell: its value, typed (``s:`` text — shared, inline or a formula's string
  result alike; ``n:`` number, integers without ``.0``; ``b:`` boolean; ``e:`` error), its
  formula text (``f=``) with the cached value beside it, and its number format (``fmt=``,
  left out when General); cells with neither value nor formula (styling only) are left out;
* a sheet's layout: the sheet names in workbook order, merged ranges (sorted), the
  printed header and footer text;
* a CSV cell: its text exactly as ``csv`` reads it (trailing tabs kept), and whether the
  file starts with a BOM.

Styling (fonts, borders, widths, print scaling) is not compared: the rendered-page check
covers it. What legitimately varies from run to run is left out or replaced: the log
folder (``logs/``, time-stamped file names), the workbook's document properties (creation
time), and the absolute paths of the data folder, the output folder and the database,
which become ``<DATA>``, ``<OUT>``, ``<DB>`` wherever they appear in a cell.

Run as a script to write a readable dump of every output of one month, e.g. before and
after a change, then ``diff -r`` the two folders::

    python -m tests.identical dump OUTDIR [--data DIR] [--persons 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import posixpath
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
POLICY = SAMPLE / "policy-demo.toml"
MONTH = "2024-06"
BIG = {"persons": 20_000, "insurance_rows": 200_000, "seed": 1}
BLOCK = 50  # rows per digest block in the big month's golden file
SKIPPED_DIRS = {"logs"}  # time-stamped log files

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_M = "{" + _NS["m"] + "}"
_R_ID = "{" + _NS["r"] + "}id"
# ECMA-376 built-in number formats (the ones a writer may refer to by id only)
_BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss",
    46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # fmt: skip


@dataclass
class Sheet:
    """One sheet (or CSV): cells by (row, column), 1-based, and its layout lines."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    layout: list[str] = field(default_factory=list)

    def lines(self) -> Iterator[str]:
        yield from self.layout
        for (row, col), text in sorted(self.cells.items()):
            yield f"{cell_ref(row, col)}\t{text}"


# ---------------------------------------------------------------------------- names


def column_letters(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


def parse_ref(ref: str) -> tuple[int, int]:
    col = 0
    i = 0
    while i < len(ref) and ref[i].isalpha():
        col = col * 26 + ord(ref[i].upper()) - 64
        i += 1
    return int(ref[i:]), col


# ---------------------------------------------------------------------------- values


def _number(text: str) -> str:
    value = float(text)
    if value.is_integer() and abs(value) < 1e15:
        return f"n:{int(value)}"
    return f"n:{value!r}"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


class Paths:
    """Absolute paths that differ between runs, and what they are replaced by."""

    def __init__(self, **named: Path) -> None:
        pairs: list[tuple[str, str]] = []
        for label, path in named.items():
            for form in {str(path), str(path.resolve()), path.as_posix()}:
                pairs.append((form, f"<{label.upper()}>"))
        self.pairs = sorted(pairs, key=lambda p: -len(p[0]))  # longest first

    def __call__(self, text: str) -> str:
        for old, new in self.pairs:
            if old in text:
                text = text.replace(old, new)
        return text


# ---------------------------------------------------------------------------- xlsx


def _text_of(element: ET.Element) -> str:
    """A string item's text: the <t> of each run, phonetic hints (<rPh>) left out."""
    parts: list[str] = []
    for child in element:
        if child.tag == _M + "t":
            parts.append(child.text or "")
        elif child.tag == _M + "r":
            parts.extend(t.text or "" for t in child.iter(_M + "t"))
    return "".join(parts)


def _shared_strings(book: zipfile.ZipFile, names: set[str]) -> list[str]:
    if "xl/sharedStrings.xml" not in names:
        return []
    root = ET.fromstring(book.read("xl/sharedStrings.xml"))
    return [_text_of(si) for si in root.iter(_M + "si")]


def _formats(book: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The number format of each cell style (index = the cell's ``s``)."""
    if "xl/styles.xml" not in names:
        return []
    root = ET.fromstring(book.read("xl/styles.xml"))
    custom = {
        int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(_M + "numFmt")
    }
    xfs = root.find(_M + "cellXfs")
    out: list[str] = []
    for xf in xfs if xfs is not None else []:
        fid = int(xf.get("numFmtId", "0"))
        out.append(custom.get(fid, _BUILTIN_FORMATS.get(fid, f"builtin:{fid}")))
    return out


def _sheet_targets(book: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, state, part path) of each sheet, in workbook order."""
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = {}
    for rel in rels.iter("{" + _NS["rel"] + "}Relationship"):
        where = rel.get("Target", "")
        path = where.lstrip("/") if where.startswith("/") else posixpath.join("xl", where)
        target[rel.get("Id")] = posixpath.normpath(path)
    root = ET.fromstring(book.read("xl/workbook.xml"))
    return [
        (s.get("name", ""), s.get("state", "visible"), target[s.get(_R_ID)])
        for s in root.iter(_M + "sheet")
    ]


def read_xlsx(path: Path, clean: Callable[[str], str]) -> list[Sheet]:
    sheets: list[Sheet] = []
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
        strings = _shared_strings(book, names)
        formats = _formats(book, names)
        targets = _sheet_targets(book)
        order = " | ".join(name for name, _, _ in targets)
        for name, state, part in targets:
            sheet = Sheet(name, layout=[f"# sheets: {order}"])
            if state != "visible":
                sheet.layout.append(f"# state: {state}")
            _read_sheet(book.open(part), sheet, strings, formats, clean)
            sheets.append(sheet)
    return sheets


def _read_sheet(
    stream: io.IOBase | object,
    sheet: Sheet,
    strings: list[str],
    formats: list[str],
    clean: Callable[[str], str],
) -> None:
    merged: list[str] = []
    printed: list[str] = []
    for _, el in ET.iterparse(stream, events=("end",)):  # type: ignore[arg-type]
        tag = el.tag
        if tag == _M + "c":
            ref = el.get("r")
            if ref is None:  # a writer may leave out r: the next cell of the row
                raise ValueError(f"{sheet.name}: cell without a reference")
            row, col = parse_ref(ref)
            text = _cell_text(el, strings, formats, clean)
            if text is not None:
                sheet.cells[(row, col)] = text
            el.clear()
        elif tag == _M + "row":
            el.clear()
        elif tag == _M + "mergeCell":
            merged.append(el.get("ref", ""))
        elif tag in {_M + h for h in ("oddHeader", "oddFooter", "evenHeader", "evenFooter",
                                       "firstHeader", "firstFooter")}:  # fmt: skip
            printed.append(f"# {tag[len(_M) :]}: {clean(el.text or '')}")
    if merged:
        key = [parse_ref(r.split(":")[0]) + parse_ref(r.split(":")[-1]) for r in merged]
        ordered = [r for _, r in sorted(zip(key, merged, strict=True))]
        sheet.layout.append("# merged: " + " ".join(ordered))
    sheet.layout.extend(sorted(printed))


def _cell_text(
    el: ET.Element, strings: list[str], formats: list[str], clean: Callable[[str], str]
) -> str | None:
    kind = el.get("t", "n")
    formula = el.find(_M + "f")
    v = el.find(_M + "v")
    raw = v.text if v is not None else None
    value: str | None
    if kind == "inlineStr":
        inline = el.find(_M + "is")
        value = "s:" + _quoted(clean(_text_of(inline))) if inline is not None else None
    elif raw is None:
        value = None
    elif kind == "s":
        value = "s:" + _quoted(clean(strings[int(raw)]))
    elif kind == "str":
        value = "s:" + _quoted(clean(raw))
    elif kind == "b":
        value = f"b:{int(raw)}"
    elif kind == "e":
        value = f"e:{raw}"
    else:
        value = _number(raw)
    if value is None and formula is None:
        return None
    parts = [value or "-"]
    if formula is not None:
        shared = formula.get("t") == "shared" and not (formula.text or "")
        parts.append("f=" + (f"shared:{formula.get('si')}" if shared else (formula.text or "")))
    style = int(el.get("s", "0"))
    fmt = formats[style] if style < len(formats) else "General"
    if fmt != "General":
        parts.append("fmt=" + fmt)
    return "\t".join(parts)


# ---------------------------------------------------------------------------- csv


def read_csv(path: Path, clean: Paths) -> list[Sheet]:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("gbk"), "gbk"
    sheet = Sheet("csv", layout=[f"# encoding: {encoding}"])
    for r, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        for c, value in enumerate(row, start=1):
            sheet.cells[(r, c)] = _quoted(clean(value))
        if not row:
            sheet.cells[(r, 1)] = "<empty line>"
    return [sheet]


# ---------------------------------------------------------------------------- outputs


def output_files(out: Path) -> list[Path]:
    """Every file the commands wrote under ``out``, logs left out, in name order."""
    return sorted(
        p
        for p in out.rglob("*")
        if p.is_file() and not SKIPPED_DIRS.intersection(p.relative_to(out).parts[:-1])
    )


def dump(out: Path, clean: Paths) -> dict[str, list[Sheet]]:
    """Relative file name → its sheets, for every output under ``out``."""
    dumped: dict[str, list[Sheet]] = {}
    for path in output_files(out):
        name = path.relative_to(out).as_posix()
        if path.suffix == ".xlsx":
            dumped[name] = read_xlsx(path, clean)
        elif path.suffix == ".csv":
            dumped[name] = read_csv(path, clean)
        else:  # anything else written is compared byte for byte
            sheet = Sheet(
                "bytes", layout=["# sha256: " + hashlib.sha256(path.read_bytes()).hexdigest()]
            )
            dumped[name] = [sheet]
    return dumped


def as_text(sheets: list[Sheet]) -> str:
    """One output file as readable text: a ``## sheet`` section per sheet."""
    lines: list[str] = []
    for sheet in sheets:
        lines.append(f"## {sheet.name}")
        lines.extend(sheet.lines())
    return "\n".join(lines) + "\n"


def _h(lines: Iterator[str] | list[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def digests(dumped: dict[str, list[Sheet]]) -> dict[str, dict[str, object]]:
    """Per file and sheet: the digest of all its lines, of its layout, of each block of
    ``BLOCK`` rows and of each column (short digests), so a difference can be located."""
    out: dict[str, dict[str, object]] = {}
    for name, sheets in dumped.items():
        per_sheet: dict[str, object] = {}
        for sheet in sheets:
            rows: dict[int, list[str]] = {}
            cols: dict[int, list[str]] = {}
            for (r, c), text in sorted(sheet.cells.items()):
                line = f"{cell_ref(r, c)}\t{text}"
                rows.setdefault((r - 1) // BLOCK, []).append(line)
                cols.setdefault(c, []).append(line)
            last = max(rows, default=-1)
            per_sheet[sheet.name] = {
                "sha256": _h(list(sheet.lines())),
                "cells": len(sheet.cells),
                "layout": _h(sheet.layout)[:12],
                "row_blocks": [_h(rows.get(b, []))[:10] for b in range(last + 1)],
                "columns": {column_letters(c): _h(v)[:10] for c, v in sorted(cols.items())},
            }
        out[name] = per_sheet
    return out


def locate(
    expected: dict[str, dict[str, object]],
    actual: dict[str, dict[str, object]],
    dumped: dict[str, list[Sheet]],
) -> str:
    """Where the digests first differ: file, sheet, rows and columns, with the actual
    cells there (the golden file holds digests only)."""
    lines: list[str] = []
    if list(expected) != list(actual):
        lines.append(f"files differ: expected {list(expected)}, got {list(actual)}")
    for name in (n for n in expected if n in actual):
        exp, act = expected[name], actual[name]
        if list(exp) != list(act):
            lines.append(f"{name}: sheets differ: expected {list(exp)}, got {list(act)}")
        for sheet in (s for s in exp if s in act):
            e, a = exp[sheet], act[sheet]
            assert isinstance(e, dict) and isinstance(a, dict)
            if e["sha256"] == a["sha256"]:
                continue
            where = f"{name} / {sheet}"
            if e["layout"] != a["layout"]:
                lines.append(f"{where}: layout differs (sheet names, merged ranges, header/footer)")
            if e["cells"] != a["cells"]:
                lines.append(f"{where}: {a['cells']} cells, expected {e['cells']}")
            blocks = [
                b for b in range(max(len(e["row_blocks"]), len(a["row_blocks"])))
                if e["row_blocks"][b: b + 1] != a["row_blocks"][b: b + 1]
            ]  # fmt: skip
            cols = sorted(
                (c for c in set(e["columns"]) | set(a["columns"])
                 if e["columns"].get(c) != a["columns"].get(c)),
                key=lambda c: (len(c), c),
            )  # fmt: skip
            if blocks:
                first, last = blocks[0] * BLOCK + 1, blocks[0] * BLOCK + BLOCK
                lines.append(
                    f"{where}: first difference in rows {first}–{last}; "
                    f"columns that differ: {', '.join(cols) or '?'}"
                )
                book = next(s for s in dumped[name] if s.name == sheet)
                shown = [
                    f"    {cell_ref(r, c)}\t{t}"
                    for (r, c), t in sorted(book.cells.items())
                    if first <= r <= last and column_letters(c) in cols[:3]
                ][:8]
                if shown:
                    lines.append("  now there:")
                    lines.extend(shown)
    lines.append(
        "to see every cell: `python -m tests.identical dump DIR --persons 20000` on the "
        "commit before and after the change, then `diff -r`"
    )
    return "\n".join(lines)


# ---------------------------------------------------------------------------- running


def generate_big(target: Path) -> Path:
    """The 20k-person month written by benchmarks/make_county.py (deterministic by seed)."""
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_county.py"), str(target),
         "--persons", str(BIG["persons"]), "--insurance-rows", str(BIG["insurance_rows"]),
         "--seed", str(BIG["seed"])],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    return target


def run_month(data: Path, work: Path) -> tuple[Path, Paths]:
    """``fengdu reconcile`` then ``fengdu subsidy`` (trial, demo policy) on ``data``, as a
    clerk runs them, into ``work/out`` with a fresh database; returns the output folder
    and the paths to neutralise."""
    from typer.testing import CliRunner

    from fengdu_cli.cli import app

    out, db = work / "out", work / "fengdu.db"
    common = ["--month", MONTH, "--data", str(data), "--out", str(out), "--db", str(db),
              "--lang", "zh", "--quiet"]  # fmt: skip
    runner = CliRunner()
    with contextlib.chdir(work):  # no fengdu.toml of the caller's folder
        for args in (["reconcile", *common],
                     ["subsidy", *common, "--policy", str(POLICY)]):  # fmt: skip
            result = runner.invoke(app, args, env={"FENGDU_CONFIG": "", "FENGDU_LANG": ""})
            if result.exit_code not in (0, 1):
                raise RuntimeError(f"{args[0]} exited {result.exit_code}: {result.output}")
    return out, Paths(data=data, out=out, db=db, work=work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="write a readable dump of every output of one month")
    d.add_argument("target", type=Path, help="folder for the dump (*.txt per output)")
    d.add_argument("--data", type=Path, default=SAMPLE, help="the month's data (default: sample)")
    d.add_argument("--persons", type=int, default=0, help="generate the 20k month instead")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="fengdu-identical-") as tmp:
        work = Path(tmp)
        data = args.data
        if args.persons:
            BIG["persons"] = args.persons
            data = generate_big(work / "data")
        out, clean = run_month(data, work)
        args.target.mkdir(parents=True, exist_ok=True)
        for name, sheets in dump(out, clean).items():
            (args.target / (name.replace("/", "__") + ".txt")).write_text(
                as_text(sheets), encoding="utf-8"
            )
    print(f"wrote {args.target}")


if __name__ == "__main__":
    main()
