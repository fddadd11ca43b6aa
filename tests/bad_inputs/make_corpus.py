"""The corpus of bad inputs: every file that once broke a reader, made by this script.

``python -m tests.bad_inputs.make_corpus DIR`` writes them; ``tests/test_bad_inputs.py``
makes them in a temporary folder and checks each is refused with its own message (exit 3) or
read as meant — never a trace, never a hang.  Each case: file name → (exit code, a word the
message must hold).
"""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from pathlib import Path

import openpyxl

ID = "500230199001011237"  # a valid ID (check digit 7)


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, change, extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook with its parts changed by ``change(name, bytes) -> bytes``, plus ``extra``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, change(item.filename, source.read(item.filename)))
        for name, part in (extra or {}).items():
            target.writestr(name, part)
    return out.getvalue()


ROSTER = [["姓名", "身份证号码", "乡镇"], ["甲", ID, "虎威镇"]]

CASES: dict[str, tuple[int, str]] = {
    "empty.xlsx": (3, "空的"),
    "pdf-named.xlsx": (3, "PDF"),
    "junk.csv": (3, "二进制"),
    "truncated.xlsx": (3, "损坏"),
    "zip-of-text.xlsx": (3, "损坏"),
    "ole-junk.xls": (3, "损坏"),
    "huge-dimension.xlsx": (3, "大得不合理"),
    "whitespace-bomb.xlsx": (3, "大得不合理"),
    "shared-strings-bomb.xlsx": (3, "大得不合理"),
    "numbers-only.xlsx": (3, "表头"),
    "no-id-column.xlsx": (3, "身份证号码"),
    "nul-bytes.csv": (3, "二进制"),
    "fifo.csv": (3, "不是普通文件"),
    "header-only.csv": (1, ""),  # read: no rows; the columns a rule needs are missing
    "utf16.csv": (1, ""),
    "ten-thousand-columns.csv": (1, ""),
    "control-characters.csv": (1, ""),
}


def make(folder: Path) -> dict[str, tuple[int, str]]:
    """Write every case into ``folder``; returns the cases written (a FIFO needs POSIX)."""
    folder.mkdir(parents=True, exist_ok=True)
    good = _xlsx_bytes(ROSTER)
    files = {
        "empty.xlsx": b"",
        "pdf-named.xlsx": b"%PDF-1.5\n" + b"0" * 64,
        "junk.csv": bytes(range(256)) * 8,
        "truncated.xlsx": good[: len(good) // 2],
        "zip-of-text.xlsx": _zip_of_text(),
        "ole-junk.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "huge-dimension.xlsx": _rezip(good, _declare("A1:XFD1048576")),
        "whitespace-bomb.xlsx": _rezip(good, _pad_sheet(b" " * 3_000_000)),
        "shared-strings-bomb.xlsx": _rezip(
            good, lambda n, d: d, {"xl/sharedStrings.xml": _strings(5_000_000)}
        ),
        "numbers-only.xlsx": _xlsx_bytes([[1, 2, 3], [4, 5, 6]]),
        "no-id-column.xlsx": _xlsx_bytes([["乡镇", "姓名"], ["虎威镇", "甲"]]),
        "nul-bytes.csv": "姓名,身份证号码\r\n".encode() + b"\x00" * 200,
        "header-only.csv": "姓名,身份证号码,乡镇\r\n".encode("utf-8-sig"),
        "utf16.csv": f"姓名\t身份证号码\t乡镇\r\n甲\t{ID}\t虎威镇\r\n".encode("utf-16"),
        "ten-thousand-columns.csv": (
            ",".join(["姓名", "身份证号码", *[f"列{i}" for i in range(10_000)]])
            + f"\r\n甲,{ID}\r\n"
        ).encode("utf-8-sig"),
        "control-characters.csv": f"姓名,身份证号码\r\n\x1b[31m甲\x1b[0m,{ID}\r\n".encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    cases = dict(CASES)
    if hasattr(os, "mkfifo"):
        fifo = folder / "fifo.csv"
        fifo.unlink(missing_ok=True)
        os.mkfifo(fifo)
    else:
        cases.pop("fifo.csv")
    return cases


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def _declare(ref: str):
    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return re.sub(
                rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data
            )
        return data

    return change


def _pad_sheet(padding: bytes):
    def change(name: str, data: bytes) -> bytes:
        return (
            data.replace(b"<sheetData>", b"<sheetData>" + padding)
            if name.endswith("sheet1.xml")
            else data
        )

    return change


def _strings(size: int) -> bytes:
    """A shared-strings part of ``size`` bytes that packs into a few kilobytes."""
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    return head + b"A" * size + b"</t></si></sst>"


if __name__ == "__main__":
    written = make(Path(sys.argv[1] if len(sys.argv) > 1 else "bad_inputs"))
    print(f"{len(written)} files")
