"""Each file's shape: how the world is laid out as the township rosters and the exports.

Every township submits its roster its own way (title rows, two-row merged headers, an
old .xls with several sheets, GBK or BOM CSV, its own header wording, IDs as numbers);
the employment and insurance exports and the bureau's lists have theirs. The layouts
produce ``Book`` and ``CsvFile`` descriptions (cells only; ``write`` puts them on disk)
and record where each marked row lands as a ``Planted`` entry for the manifest. Two
problems exist only in a file's shape and are planted here: a bad 登记日期 in 三建乡's
extra column and a 缴费基数 of “待核定” in the insurance export.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from fengdu_cli.sample.codes import account_for, bank_for
from fengdu_cli.sample.planted import Planted
from fengdu_cli.sample.world import _ALL_TYPES, _WORKSHOPS, Cell, Record, RosterRow, _World


@dataclass
class Sheet:
    """A worksheet as cell rows (index 0 = Excel row 1), merged ranges and header rows."""

    name: str
    rows: list[list[Cell]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    header_rows: tuple[int, ...] = (0,)
    date_format: str = "yyyy-mm-dd"


@dataclass
class Book:
    """An Excel file to write: .xlsx (xlsxwriter) or .xls (xlwt), by its suffix."""

    path: str
    sheets: list[Sheet]


@dataclass
class CsvFile:
    """A CSV file to write: lines of fields, None for an empty line."""

    path: str
    lines: list[list[str] | None]
    encoding: str
    newline: str = "\r\n"


Output = Book | CsvFile
Header = tuple[tuple[str, str], ...]  # (header text, canonical column or _extra)

_HUWEI: Header = (
    ("序号", "_seq"), ("乡镇", "township"), ("村（社区）", "village"), ("户编号", "household_id"),
    ("姓名", "name"), ("身份证号码", "id_number"), ("与户主关系", "relation"),
    ("人员类别", "category"), ("劳动技能", "labor_capacity"), ("务工状态", "work_status"),
    ("务工地点", "work_place"), ("联系电话", "phone"), ("银行账号", "bank_account"),
    ("开户行", "bank"),
)  # fmt: skip
_SANHE_SINGLE: Header = (("序号", "_seq"), ("乡镇（街道）", "township"), ("村（居）", "village"),
                         ("户号", "household_id"))  # fmt: skip
_SANHE_GROUPS: tuple[tuple[str, Header], ...] = (
    ("基本信息", (("姓名", "name"), ("身份证号", "id_number"), ("与户主关系", "relation"),
                  ("人员属性", "category"), ("劳动能力", "labor_capacity"))),
    ("务工情况", (("务工状态", "work_status"), ("务工地点", "work_place"),
                  ("务工单位", "employer_name"))),
)  # fmt: skip
_SANHE_TAIL: Header = (("手机号", "phone"), ("银行卡号", "bank_account"), ("开户银行", "bank"))
_LONGHE: Header = (
    ("序号", "_seq"), ("所在乡镇", "township"), ("行政村", "village"), ("家庭编号", "household_id"),
    ("姓名", "name"), ("身份证", "id_number"), ("家庭关系", "relation"), ("户类型", "category"),
    ("劳动力类型", "labor_capacity"), ("就业状态", "work_status"), ("就业地点", "work_place"),
    ("手机号码", "phone"), ("一卡通账号", "bank_account"), ("开户银行名称", "bank"),
)  # fmt: skip
_SHETAN: Header = (
    ("序号", "_seq"), ("镇街", "township"), ("村社区", "village"), ("户主编号", "household_id"),
    ("户主或成员姓名", "name"), ("公民身份号码", "id_number"), ("与户主关系", "relation"),
    ("对象类别", "category"), ("劳动技能", "labor_capacity"), ("务工状态", "work_status"),
    ("务工地点", "work_place"), ("联系电话", "phone"), ("银行账号", "bank_account"),
    ("开户行", "bank"),
)  # fmt: skip
_NANTIANHU: Header = (
    ("乡镇名称", "township"), ("村名", "village"), ("户编号", "household_id"),
    ("人员姓名", "name"), ("证件号码", "id_number"), ("家庭关系", "relation"),
    ("户属性", "category"), ("劳力状况", "labor_capacity"), ("当前务工状态", "work_status"),
    ("务工去向", "work_place"), ("联系方式", "phone"), ("银行卡号", "bank_account"),
)  # fmt: skip
_SANJIAN: Header = (
    ("序号", "_seq"), ("乡镇", "township"), ("所在村", "village"), ("户编号", "household_id"),
    ("姓名", "name"), ("身份证件号码", "id_number"), ("与户主关系", "relation"),
    ("人员类别", "category"), ("劳动力状况", "labor_capacity"), ("务工状态", "work_status"),
    ("务工地址", "work_place"), ("工作单位", "employer_name"), ("电话", "phone"),
    ("社保卡号", "bank_account"), ("开户银行", "bank"), ("登记日期", "_regdate"), ("备注", "_remark"),
)  # fmt: skip
_EMPLOYMENT: Header = (
    ("身份证号码", "id_number"), ("姓名", "name"), ("用人单位名称", "employer_name"),
    ("统一社会信用代码", "employer_code"), ("就业开始日期", "start_date"),
    ("就业结束日期", "end_date"), ("就业形式", "employment_type"), ("就业地区", "work_region"),
)  # fmt: skip
_INSURANCE_CSV: Header = (
    ("身份证号码", "id_number"), ("姓名", "name"), ("统一社会信用代码", "employer_code"),
    ("单位名称", "employer_name"), ("费款所属期", "period"), ("险种", "insurance_type"),
    ("缴费基数", "base"), ("单位缴费", "employer_amount"), ("个人缴费", "personal_amount"),
)  # fmt: skip
_INSURANCE_XLSX: Header = (
    ("身份证号码", "id_number"), ("姓名", "name"), ("单位编码", "employer_code"),
    ("参保单位", "employer_name"), ("费款所属期", "period"), ("险种", "insurance_type"),
    ("缴费基数", "base"), ("单位缴费", "employer_amount"), ("个人缴费", "personal_amount"),
)  # fmt: skip


def roster_file_names(month: int) -> dict[str, str]:
    """Township → roster file (relative path); names differ like real submissions do."""
    y, mo = divmod(month, 100)
    return {
        "虎威镇": f"rosters/虎威镇-{y}年{mo}月台账.xlsx",
        "三合街道": f"rosters/三合街道-脱贫劳动力务工台账-{month}.xlsx",
        "龙河镇": f"rosters/龙河镇{y}年{mo}月务工台账.xls",
        "社坛镇": f"rosters/社坛镇{y}年{mo}月台账.csv",
        "南天湖镇": f"rosters/南天湖镇务工台账{month}.csv",
        "三建乡": f"rosters/三建乡台账（{y}年{mo}月）.xlsx",
    }


class _Layout:
    """Turns the world into files, recording where each marked row lands."""

    def __init__(self, w: _World) -> None:
        self.w = w
        self.planted: list[Planted] = []
        self.files = roster_file_names(w.m)

    def rows_of(self, township: str, group: int | None = None) -> list[RosterRow]:
        """Roster rows of a township (one group of villages), households in order, then extras."""
        people = [
            p
            for p in self.w.people
            if p.township == township and (group is None or p.group == group)
        ]
        people.sort(key=lambda p: (p.household_id, p.order))
        rows = [p.row for p in people if p.row is not None]
        return rows + self.w.tail_rows.get((township, group or 0), [])

    def record(
        self, row: RosterRow, file: str, sheet: str, number: int, cells: dict[str, Cell]
    ) -> None:
        """Turn the marks of ``row`` into Planted entries at Excel row / CSV line ``number``."""
        for kind, column, code, note in row.marks:
            value = cells.get(column, "") if column else _text(cells.get("id_number"))
            self.planted.append(
                Planted(kind, file, sheet, number, column, code, note, _text(value))
            )

    def place(
        self,
        rows: list[RosterRow],
        header: Header,
        file: str,
        sheet: str,
        first: int,
        extras: Callable[[RosterRow], dict[str, Cell]] | None = None,
    ) -> list[list[Cell]]:
        """Cells for ``rows`` under ``header``, the first at Excel row ``first``."""
        out = []
        for index, row in enumerate(rows):
            cells: dict[str, Cell] = {key: row.cell(key) for _, key in header}
            cells["_seq"] = index + 1
            cells.update(extras(row) if extras else {})
            cells.update({h: cells[key] for h, key in header if key.startswith("_")})
            self.record(row, file, sheet, first + index, cells)
            out.append([cells[key] for _, key in header])
        return out


def _text(value: object) -> str:
    """A cell as text for the manifest: numbers in digits, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _lay_huwei(lay: _Layout) -> Book:
    """Title row merged across, blank row, header, data, 合计 row, signature footer."""
    w, file = lay.w, lay.files["虎威镇"]
    y, mo = divmod(w.m, 100)
    rows = lay.rows_of("虎威镇")
    width = len(_HUWEI)
    data = lay.place(rows, _HUWEI, file, "务工台账", first=4)
    total: list[Cell] = ["合计", "", "", "", f"{len(data)}人"]
    sheet_rows: list[list[Cell]] = [
        [f"丰都县虎威镇脱贫劳动力务工台账（{y}年{mo}月）"], [], [h for h, _ in _HUWEI], *data,
        total, [], ["填表人：陈秀英        审核人：刘建国"], [f"填报日期：{y}年{mo}月28日"],
    ]  # fmt: skip
    end = len(sheet_rows) - 1
    merges = [(0, 0, 0, width - 1), (end - 1, 0, end - 1, 6), (end, 0, end, 6)]
    return Book(file, [Sheet("务工台账", sheet_rows, merges, header_rows=(0, 2))])


def _lay_sanhe(lay: _Layout) -> Book:
    """Two header rows: group titles merged across, single columns merged down."""
    file = lay.files["三合街道"]
    groups = [cols for _, cols in _SANHE_GROUPS]
    header: Header = _SANHE_SINGLE + tuple(c for cols in groups for c in cols) + _SANHE_TAIL
    top: list[Cell] = [h for h, _ in header]
    bottom: list[Cell] = [""] * len(header)
    merges = []
    col = len(_SANHE_SINGLE)
    for title, cols in _SANHE_GROUPS:
        top[col : col + len(cols)] = [title] + [""] * (len(cols) - 1)
        bottom[col : col + len(cols)] = [h for h, _ in cols]
        merges.append((0, col, 0, col + len(cols) - 1))
        col += len(cols)
    merges += [(0, c, 1, c) for c, cell in enumerate(bottom) if cell == ""]
    for c in range(len(header)):
        if bottom[c] == "":
            top[c] = header[c][0]
    data = lay.place(lay.rows_of("三合街道"), header, file, "Sheet1", first=3)
    return Book(file, [Sheet("Sheet1", [top, bottom, *data], merges, header_rows=(0, 1))])


def _lay_longhe(lay: _Layout) -> Book:
    """Old .xls: two sheets with their own header (columns in another order), and notes."""
    file = lay.files["龙河镇"]
    kept = (h for h in _LONGHE if h[1] not in ("phone", "bank_account", "bank"))
    second: Header = (*kept, ("一卡通账号", "bank_account"), ("开户银行名称", "bank"),
                      ("手机号码", "phone"))  # fmt: skip
    sheets = []
    for group, (name, header) in enumerate((("一组", _LONGHE), ("二组", second))):
        data = lay.place(lay.rows_of("龙河镇", group), header, file, name, first=2)
        sheets.append(Sheet(name, [[h for h, _ in header], *data]))
    notes: list[list[Cell]] = [
        ["填表说明："], ["1. 一组为太平村、新桥村，二组为石板村、鹿鸣村。"],
        ["2. 务工状态按县人力社保局口径填写，外出务工须填写到市（州）。"],
        ["3. 本表由村（社区）填报，镇劳动保障所汇总，联系电话 70612345。"],
    ]  # fmt: skip
    sheets.append(Sheet("说明", notes, header_rows=()))
    return Book(file, sheets)


def _lay_shetan(lay: _Layout) -> CsvFile:
    """GBK CSV, the township column empty everywhere, blank lines between villages."""
    file = lay.files["社坛镇"]
    rows = lay.rows_of("社坛镇")
    lines: list[list[str] | None] = [[h for h, _ in _SHETAN]]
    previous = rows[0].person.village if rows else ""
    for index, row in enumerate(rows):
        if row.person.village != previous and row.person.township == "社坛镇":
            lines.append(None)
            previous = row.person.village
        cells: dict[str, Cell] = {key: row.cell(key) for _, key in _SHETAN}
        cells.update({"_seq": index + 1, "township": ""})
        lay.record(row, file, "", len(lines) + 1, cells)
        lines.append([_text(cells[key]) for _, key in _SHETAN])
    return CsvFile(file, [*lines, None, None], "gbk")


def _padded(rng: random.Random, value: str) -> str:
    """Spaces around (and, for places, inside) a value, as copy-pasting leaves them."""
    if not value or rng.random() > 0.25:
        return value
    if value[:3].endswith(("省", "市")) and rng.random() < 0.5:
        return value[:3] + " " + value[3:]
    return rng.choice((" " + value, value + " ", " " + value + "  "))


def _lay_nantianhu(lay: _Layout) -> CsvFile:
    """UTF-8 with BOM, three empty trailing columns, spaces inside values."""
    w, file = lay.w, lay.files["南天湖镇"]
    lines: list[list[str] | None] = [[h for h, _ in _NANTIANHU] + ["", "", ""]]
    for row in lay.rows_of("南天湖镇"):
        cells: dict[str, Cell] = {}
        for _, key in _NANTIANHU:
            value = _text(row.cell(key))
            cells[key] = value if key == "id_number" else _padded(w.rng, value)
        lay.record(row, file, "", len(lines) + 1, cells)
        lines.append([_text(cells[key]) for _, key in _NANTIANHU] + ["", "", ""])
    return CsvFile(file, lines, "utf-8-sig")


def _registration_cell(rng: random.Random, day: dt.date) -> Cell:
    """登记日期 as typed: a date cell, '2021.9.13', '2021年9月13日' or a bare serial number."""
    style = rng.choices(("date", "dots", "zh", "serial"), weights=(55, 15, 15, 15))[0]
    if style == "dots":
        return f"{day.year}.{day.month}.{day.day}"
    if style == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "serial":
        return (day - dt.date(1899, 12, 30)).days
    return day


def _lay_sanjian(lay: _Layout) -> Book:
    """IDs as numbers on planted rows, mixed 登记日期 formats, extra 备注 column."""
    w, file = lay.w, lay.files["三建乡"]
    rows = lay.rows_of("三建乡")
    plain = [r for r in rows if not r.marks]
    bad = plain[w.rng.randrange(len(plain))]
    bad.marks.append(
        ("roster", "登记日期", "bad_date", "登记日期“2021.13.45”不是日期（该列不是标准列）")
    )
    remarks = ("", "", "", "", "已核实", "新增", "外出务工未返乡", "电话已变更", "户主代填")

    def extras(row: RosterRow) -> dict[str, Cell]:
        day = w.birth(2021, 2023) if row is not bad else None
        return {
            "_regdate": _registration_cell(w.rng, day) if day else "2021.13.45",
            "_remark": w.rng.choice(remarks),
        }

    data = lay.place(rows, _SANJIAN, file, "三建乡", first=2, extras=extras)
    return Book(file, [Sheet("三建乡", [[h for h, _ in _SANJIAN], *data], date_format="yyyy/m/d")])


def _record_rows(
    lay: _Layout,
    records: list[Record],
    header: Header,
    file: str,
    sheet: str,
    kind: str,
    first: int = 2,
) -> list[list[Cell]]:
    """Cells of export rows, recording their marks."""
    out = []
    for index, rec in enumerate(records):
        for column, code, note in rec.marks:
            value = _text(rec.values.get(column))
            lay.planted.append(Planted(kind, file, sheet, first + index, column, code, note, value))
        out.append([rec.values.get(key) for _, key in header])
    return out


def _lay_employment(lay: _Layout) -> Book:
    """The employment-service export, one sheet, sorted by start date."""
    file = f"employment/就业登记导出-{lay.w.m}.xlsx"
    jobs = sorted(lay.w.jobs, key=lambda r: (r.values["start_date"], r.values["id_number"]))
    data = _record_rows(lay, jobs, _EMPLOYMENT, file, "就业登记", "employment")
    return Book(file, [Sheet("就业登记", [[h for h, _ in _EMPLOYMENT], *data])])


def _lay_insurance(lay: _Layout) -> list[Output]:
    """Contributions: earlier years as UTF-8 CSV, the month's year as .xlsx; one bad 基数."""
    w = lay.w
    order = {kind: i for i, kind in enumerate(_ALL_TYPES)}
    rows = sorted(
        w.contributions,
        key=lambda r: (
            r.values["period"],
            r.values["employer_code"],
            r.values["id_number"],
            order[str(r.values["insurance_type"])],
        ),
    )
    this_year = str(w.m // 100)
    current = [r for r in rows if str(r.values["period"]).startswith(this_year)]
    outsiders = {p.id_number for p in w.outsiders}
    candidates = [r for r in current if r.values["id_number"] in outsiders]
    bad = candidates[w.rng.randrange(len(candidates))]
    bad.values["base"] = "待核定"
    bad.marks.append(("base", "bad_number", "缴费基数填成了“待核定”"))
    outputs: list[Output] = []
    for year in sorted({str(r.values["period"])[:4] for r in rows} - {this_year}):
        part = [r for r in rows if str(r.values["period"]).startswith(year)]
        lines: list[list[str] | None] = [[h for h, _ in _INSURANCE_CSV]]
        lines += [[_money(r.values[key]) for _, key in _INSURANCE_CSV] for r in part]
        outputs.append(CsvFile(f"insurance/{year}.csv", lines, "utf-8", "\n"))
    file = f"insurance/{this_year}-01_{w.m % 100:02d}.xlsx"
    data = _record_rows(lay, current, _INSURANCE_XLSX, file, "缴费明细", "insurance")
    outputs.append(Book(file, [Sheet("缴费明细", [[h for h, _ in _INSURANCE_XLSX], *data])]))
    return outputs


def _money(value: object) -> str:
    """Amounts with two decimals, other values as text."""
    return f"{value:.2f}" if isinstance(value, int | float) else _text(value)


def org_account(code: str, name: str) -> list[Cell]:
    """An organisation's 收款账号, 开户行 and 户名 (itself), fixed by its credit code."""
    if not code:
        return ["", "", ""]
    return [account_for(code, 15), bank_for(code), name]


def _lay_lists(lay: _Layout) -> list[Output]:
    """The bureau's own lists: recognised workshops and market entities of roster people."""
    w = lay.w
    workshops: list[list[Cell]] = [
        ["车间名称", "统一社会信用代码", "乡镇", "认定日期", "收款账号", "开户行", "户名"]
    ]
    for (name, _, _, town, day), e in zip(_WORKSHOPS, w.workshops, strict=True):
        workshops.append([name, e.code, town, day, *org_account(e.code, name)])
    businesses: list[list[Cell]] = [
        ["市场主体名称", "统一社会信用代码", "经营者姓名", "经营者身份证号码", "成立日期",
         "对公账户", "开户银行", "账户名称"]
    ]  # fmt: skip
    for e, owner, day in w.businesses:
        businesses.append(
            [e.name, e.code, owner.name, owner.id_number, day, *org_account(e.code, e.name)]
        )
    return [
        Book("workshops/就业帮扶车间名单.xlsx", [Sheet("车间名单", workshops)]),
        Book("businesses/市场主体名单.xlsx", [Sheet("Sheet1", businesses)]),
    ]


def _lay_out(w: _World) -> tuple[list[Output], list[Planted]]:
    """Every output file of the month, and every planted item with its position."""
    lay = _Layout(w)
    outputs: list[Output] = [
        _lay_huwei(lay),
        _lay_sanhe(lay),
        _lay_longhe(lay),
        _lay_shetan(lay),
        _lay_nantianhu(lay),
        _lay_sanjian(lay),
        _lay_employment(lay),
        *_lay_insurance(lay),
        *_lay_lists(lay),
    ]
    return outputs, lay.planted
