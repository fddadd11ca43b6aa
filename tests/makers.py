"""Tiny input files built by the tests themselves, each with its planted problems listed.

IDs: ``valid_id(n)`` gives the n-th valid Fengdu ID (region 500230, born 1980-1999).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from fengdu_cli.idcard import check_digit


def valid_id(n: int, region: str = "500230") -> str:
    year = 1980 + n % 20
    first17 = f"{region}{year}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return first17 + check_digit(first17)


def wrong_check(id18: str) -> str:
    last = id18[-1]
    return id18[:-1] + ("0" if last != "0" else "1")


def xlsx(
    path: Path,
    rows: list[list[object]],
    *,
    sheet: str = "Sheet1",
    merges: tuple[str, ...] = (),
    more: dict[str, list[list[object]]] | None = None,
) -> Path:
    """A workbook whose first sheet holds ``rows`` from A1 (None = empty cell)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    for name, extra in (more or {}).items():
        other = book.create_sheet(name)
        for row in extra:
            other.append(row)
    book.save(path)
    return path


def xls(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An old-format .xls with one sheet per entry (xlwt)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = book.add_sheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is not None:
                    ws.write(i, j, value)
    book.save(str(path))
    return path


def csv_file(path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def encrypted_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(plain)
    plain.seek(0)
    with open(path, "wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    return path


HEADER = [
    "乡镇",
    "村（社区）",
    "户编号",
    "姓名",
    "身份证号码",
    "人员类别",
    "劳动技能",
    "务工状态",
    "联系电话",
]


def person(n: int, **overrides: object) -> list[object]:
    """A valid roster row in HEADER order."""
    row = {
        "乡镇": "虎威镇",
        "村（社区）": "新华村",
        "户编号": f"500230101{n:05d}",
        "姓名": f"测试{n}",
        "身份证号码": valid_id(n),
        "人员类别": "脱贫人口",
        "劳动技能": "普通劳动力",
        "务工状态": "县内务工",
        "联系电话": f"138{n:08d}",
    }
    row.update(overrides)
    return [row[h] for h in HEADER]


EMPLOYMENT_HEADER = [
    "身份证号码",
    "姓名",
    "用人单位名称",
    "统一社会信用代码",
    "就业开始日期",
    "就业结束日期",
    "就业形式",
    "就业地区",
]
INSURANCE_HEADER = [
    "身份证号码",
    "姓名",
    "统一社会信用代码",
    "费款所属期",
    "险种",
    "缴费基数",
    "单位缴费",
    "个人缴费",
]


def employer(n: int) -> str:
    return f"91500230MA5U{n:06d}"


def month_folder(
    root: Path,
    people: list[list[object]],
    jobs: list[list[object]],
    contributions: list[tuple[str, str, str, int, str]],
) -> Path:
    """A --data folder: rosters/ (xlsx, HEADER rows), employment/ (xlsx), insurance/ (csv).

    ``jobs`` rows follow EMPLOYMENT_HEADER; ``contributions`` are (id, name, employer code,
    period YYYYMM, insurance type)."""
    (root / "rosters").mkdir(parents=True, exist_ok=True)
    (root / "employment").mkdir(exist_ok=True)
    (root / "insurance").mkdir(exist_ok=True)
    xlsx(root / "rosters" / "roster.xlsx", [HEADER, *people])
    xlsx(root / "employment" / "employment.xlsx", [EMPLOYMENT_HEADER, *jobs])
    lines = [",".join(INSURANCE_HEADER)]
    lines += [f"{i},{n},{c},{p},{t},4000,640,320" for i, n, c, p, t in contributions]
    csv_file(root / "insurance" / "insurance.csv", lines)
    return root


def paid(
    id_number: str, name: str, code: str, months: list[int], kind: str = "企业职工基本养老保险"
):
    """Contribution rows for ``months``."""
    return [(id_number, name, code, m, kind) for m in months]
