"""The printable payment lists of a month: 发放花名册 (to sign and pay), 公示名单, bank CSV.

A finance office prints these lists, has every payee sign, publishes the 公示 list in the
villages and pays from the CSV.  So: one sheet per rule with the county's usual title,
township subtotals, a grand total in figures *and* in capitals (大写), a signature block,
and a page set-up that prints on A4 landscape one page wide with the header repeated.

Money is integer fen throughout (``fengdu_cli.money``): every subtotal and total is an int
sum of fen, written once as a number; there are no Excel formulas, so the printed totals
do not depend on the program that opens the file.  IDs and credit codes are text cells.
The 公示 list never carries a full resident ID: they are masked with ``idcard.mask``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from fengdu_cli.idcard import mask
from fengdu_cli.io.write import Staging, atomic_path, display_width, print_setup
from fengdu_cli.messages import month_words, text
from fengdu_cli.money import capital, fen_array, in_words, sum_fen, yuan_texts
from fengdu_cli.townships import TOWNSHIPS

PAYMENT_CSV_COLUMNS = [
    "rule", "payee_type", "payee_id", "payee_name", "township",
    "person_id", "person_name", "amount", "period", "basis",
]  # fmt: skip
ACCOUNT_CSV_COLUMNS = ["account_no", "bank", "account_name"]  # after basis, before batch_id
_REQUIRED = [c for c in PAYMENT_CSV_COLUMNS if c != "amount"] + ["amount_fen"]
_OPTIONAL_TEXT = ["rule_name", "village", "batch_id"]

NO_LINES = text("wb_pay_no_lines", "zh")
SIGNATURE = text("wb_pay_signature", "zh")
MONEY_FORMAT = "#,##0.00"
FONT = "宋体"
PAD = 3  # characters of room beside the widest value of a column
_PERSON_PAYEES = frozenset({"person"})
_ID_LIKE = re.compile(r"[0-9]{15}|[0-9]{17}[0-9X]")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
_TOWN_RANK = {name: i for i, name in enumerate(TOWNSHIPS)}
# A 贴息 line whose list has a 贷款银行 column begins its basis with the bank (the ledger keeps
# the basis, so a batch written again from it still splits by bank): one sheet per bank.
BANK_MARK = "贷款银行："
_BANK_SPLIT = frozenset({"loan_interest"})
_BANK_IN_BASIS = re.compile("^" + BANK_MARK + "([^；]*)；")


@dataclass(frozen=True)
class Column:
    """One printed column: its header (catalogue key ``wb_pay_<title>``), the frame field it
    shows, and how it is written."""

    title: str
    field: str  # column of the prepared frame; "" for a column left blank (signatures)
    kind: str = "text"  # text | id | money | seq | wrap | blank
    max_width: float = 40
    min_width: float = 6


BASE_COLUMNS = (
    Column("seq", "_seq", "seq", max_width=6, min_width=5),
    Column("township", "township", min_width=10),
    Column("payee_name", "payee_name", max_width=36, min_width=10),
    Column("payee_id", "payee_id", "id", min_width=20),
)
PERSON_COLUMNS = (
    Column("person_name", "person_name", min_width=8),
    Column("person_id", "person_id", "id", min_width=20),
)
TAIL_COLUMNS = (
    Column("amount", "amount_fen", "money", min_width=12),
    Column("period", "period", min_width=9),
    Column("basis", "basis", "wrap", max_width=30, min_width=12),
    Column("signed", "", "blank", max_width=14, min_width=14),
)


# ---------------------------------------------------------------- public API


def write_payments_workbook(
    lines: pd.DataFrame,
    target: Path,
    *,
    month: int,
    batch_id: str,
    rules: Sequence[tuple[str, str]],
    county: str | None = None,
    created: dt.datetime | None = None,
    staging: Staging | None = None,
    lang: str = "zh",
    trial: bool = False,
) -> Path:
    """Write the 发放花名册: one sheet per rule of ``rules`` (in that order), atomically
    (readable by its owner only: it holds full IDs).  A ``trial`` list says so in the title
    of every sheet (试算，未入账，不得张贴), as its batch line and page header do, so a trial
    can never be taken for the list to pay.

    ``rules`` lists (code, Chinese name) of every rule computed this month, so a rule
    nobody qualified for still gets its sheet (saying 本月无符合条件人员) — the signed
    file shows it was computed.  A line whose rule is not in ``rules`` is an error
    (ValueError), never silently left out of the list that is paid.  In English a rule is
    named by its code (the policy names it in Chinese); ``county`` defaults to the
    catalogue's.
    """
    frame = _sorted_for_print(_prepared(lines))
    _check_rules(frame, rules)
    words = _words(lang, month=month_title(month, lang), county=county or text("wb_county", lang))
    parts = _sheet_parts(frame, _named(rules, lang), lang)
    shown = [(key, sheet) for key, sheet, _, _ in parts]
    with atomic_path(target, private=True, staging=staging) as tmp:
        book = _new_book(tmp, created, words("book_title"))
        styles = _Styles(book, lang)
        for (_, _, name, part), sheet_name in zip(parts, sheet_names(shown), strict=True):
            page = _Page(book.add_worksheet(sheet_name), styles, _payment_columns(part), lang)
            mark = text("wb_pay_trial_mark", lang) if trial else ""
            page.title(words("title", rule=name) + mark)
            page.subline(words("batch", batch=batch_id), words("made_on"))
            _write_payment_body(page, part)
            page.finish(header="&R" + _escape_hf(words("batch", batch=batch_id)))
        book.close()
    return Path(target)


def write_publicity_workbook(
    lines: pd.DataFrame,
    target: Path,
    *,
    month: int,
    rules: Sequence[tuple[str, str]],
    county: str | None = None,
    created: dt.datetime | None = None,
    staging: Staging | None = None,
    trial: bool = False,
    lang: str = "zh",
) -> Path:
    """Write the 公示名单 (one sheet), safe to post on a village notice board.

    A ``trial`` list says so in its title and on every printed page (试算，未入账，不得张贴):
    a list nobody has committed must not be posted as if it would be paid.  Resident IDs are masked (500230********1234), also for household payees; codes of
    employers, workshops and agencies are shown in full (they are public) unless they
    look like a resident ID.  No phone, bank account or full ID appears anywhere.
    """
    frame = _publicity_frame(_prepared(lines), _named(rules, lang), lang)
    columns = _publicity_columns(frame)
    county = county or text("wb_county", lang)
    mark = text("wb_pay_trial_mark", lang) if trial else ""
    with atomic_path(target, staging=staging) as tmp:
        title = text(
            "wb_pub_title", lang, county=county, month=month_title(month, lang), trial=mark
        )
        book = _new_book(tmp, created, title)
        page = _Page(book.add_worksheet(text("wb_pub_sheet", lang)), _Styles(book, lang), columns,
                     lang)  # fmt: skip
        page.title(title)
        page.subline(text("wb_pub_by", lang, county=county), text("wb_pub_date", lang))
        page.header()
        _write_publicity_body(page, frame)
        page.blank_rows(1)
        page.paragraph(text("wb_pub_notice", lang, county=county))
        page.paragraph(text("wb_pub_signed", lang, county=county), align="right")
        page.finish(header=f"&R{_escape_hf(mark)}" if trial else "")
        book.close()
    return Path(target)


def payments_csv(lines: pd.DataFrame) -> pd.DataFrame:
    """The payment CSV (DESIGN §2 columns, in order, then the payee's account
    ``account_no, bank, account_name`` when ``lines`` carry them — '' otherwise — then the
    batch and the ledger key), amounts as yuan text '6000.00'.

    Rows stay in the order of ``lines``.  Every column is text, so IDs keep all their
    digits; the caller writes it with ``io.write.write_csv`` (UTF-8 with BOM).
    """
    frame = _prepared(lines)
    out = frame[[c for c in PAYMENT_CSV_COLUMNS if c != "amount"]].copy()
    out["amount"] = yuan_texts(frame["amount_fen"])
    columns = list(PAYMENT_CSV_COLUMNS)
    for column in ACCOUNT_CSV_COLUMNS:  # the payee's account (DESIGN §2), '' where unknown
        out[column] = _text(lines[column]).to_numpy() if column in lines else ""
        columns.append(column)
    if "batch_id" in frame:  # after DESIGN's columns: the batch, or 试算 on every line
        out["batch_id"] = frame["batch_id"].astype(str)
        columns.append("batch_id")
    if "key" in lines:  # the ledger's key: what ``ledger import`` of this file keys a line by
        out["key"] = _text(lines["key"]).to_numpy()
        columns.append("key")
    return out[columns].reset_index(drop=True)


def month_title(month: int, lang: str = "zh") -> str:
    """202406 → '2024年6月' (the form a title row uses; '2024-06' in English)."""
    return month_words(month, lang)


def _words(lang: str, **common: object):
    """``words(key, **params)``: the catalogue's ``wb_pay_<key>`` with ``common`` filled in."""
    return lambda key, **params: text(f"wb_pay_{key}", lang, **common, **params)


def _named(rules: Sequence[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    """The rules as a list names them: the policy's (Chinese) name, or the code in English."""
    return list(rules) if lang == "zh" else [(code, code) for code, _ in rules]


def bank_of(basis: pd.Series) -> pd.Series:
    """The lending bank a line's basis names ('' when blank), None when it names none."""
    found = basis.astype(str).str.extract(_BANK_IN_BASIS, expand=False)
    return found.astype(object).where(found.notna(), None)


def _sheet_parts(
    frame: pd.DataFrame, rules: Sequence[tuple[str, str]], lang: str
) -> list[tuple[str, str, str, pd.DataFrame]]:
    """(sheet key, sheet name, title name, lines) per sheet: one per rule, except a rule
    whose lines name their lending bank (贷款贴息 from a list with a 贷款银行 column): one
    sheet per bank, named by it, the lines without one on a sheet of their own (未填贷款银行)."""
    out = []
    for code, name in rules:
        part = frame[frame["rule"].eq(code)]
        banks = bank_of(part["basis"]) if code in _BANK_SPLIT else None
        if banks is None or banks.isna().all():
            out.append((code, name, name, part))
            continue
        banks = banks.fillna("")
        for n, bank in enumerate(sorted(set(banks), key=lambda b: (b == "", b))):
            shown = bank or text("wb_pay_no_bank", lang)
            sheet = shown if lang == "zh" else f"{code} {shown}"
            out.append((f"{code}#{n}", sheet, f"{name}（{shown}）" if lang == "zh"
                        else f"{name} ({shown})", part[banks.eq(bank)]))  # fmt: skip
    return out


def sheet_names(rules: Sequence[tuple[str, str]]) -> list[str]:
    """Excel-safe, unique sheet names for ``rules``: the Chinese name, ≤31 characters.

    Characters Excel forbids ([]:*?/\\) become '_'; an empty name falls back to the code;
    a repeated name (after cutting to 31) gets '(2)', '(3)'.  A repeated code is an error.
    """
    codes = [code for code, _ in rules]
    if len(set(codes)) != len(codes):
        raise ValueError(f"a rule is listed twice: {codes}")
    used: set[str] = set()
    names = []
    for code, name in rules:
        base = _BAD_SHEET_CHARS.sub("_", str(name).strip() or code).strip("'")[:_SHEET_MAX]
        candidate, n = base or "sheet", 2
        while candidate.lower() in used:
            suffix = f"({n})"
            candidate, n = base[: _SHEET_MAX - len(suffix)] + suffix, n + 1
        used.add(candidate.lower())
        names.append(candidate)
    return names


# ---------------------------------------------------------------- preparing lines


def _prepared(lines: pd.DataFrame) -> pd.DataFrame:
    """``lines`` checked and cleaned: text columns as stripped str ('' for empty), fen as int."""
    missing = [c for c in _REQUIRED if c not in lines.columns]
    if missing:
        raise ValueError(f"payment lines lack columns: {missing}")
    frame = pd.DataFrame(index=lines.index)
    for column in [c for c in _REQUIRED if c != "amount_fen"] + _OPTIONAL_TEXT:
        frame[column] = _text(lines[column]) if column in lines.columns else ""
    frame["amount_fen"] = fen_array(lines["amount_fen"])
    return frame


def _text(values: pd.Series) -> pd.Series:
    """Text of a column: None/NaN → '', everything else ``str`` and stripped."""
    as_object = values.astype(object)
    return as_object.where(as_object.notna(), "").astype(str).str.strip().astype(object)


def _sorted_for_print(frame: pd.DataFrame) -> pd.DataFrame:
    """Townships in the county's official order (unknown ones after, empty last), then names."""
    ranked = frame.assign(_rank=_township_rank(frame["township"]))
    keys = ["_rank", "township", "payee_name", "person_name", "person_id", "payee_id"]
    return ranked.sort_values(keys, kind="stable").drop(columns="_rank")


def _township_rank(township: pd.Series) -> pd.Series:
    """Official order of the 30 townships; others after them; an empty township last."""
    rank = township.map(_TOWN_RANK).astype(float).fillna(len(TOWNSHIPS))
    return rank.where(township.ne(""), len(TOWNSHIPS) + 1)


def _check_rules(frame: pd.DataFrame, rules: Sequence[tuple[str, str]]) -> None:
    """Every line's rule must have a sheet: a payment is never dropped from the list."""
    unknown = sorted(set(frame["rule"]) - {code for code, _ in rules})
    if unknown:
        raise ValueError(f"lines of rules not in `rules` (no sheet to put them on): {unknown}")


def _payment_columns(part: pd.DataFrame) -> list[Column]:
    """Base columns, plus who the payment is for when someone other than a person is paid."""
    other_payee = ~part["payee_type"].isin(_PERSON_PAYEES)
    for_someone = part["person_id"].ne("") & (other_payee | part["person_id"].ne(part["payee_id"]))
    extra = PERSON_COLUMNS if bool(for_someone.any()) else ()
    return [*BASE_COLUMNS, *extra, *TAIL_COLUMNS]


def _publicity_frame(
    frame: pd.DataFrame, rules: Sequence[tuple[str, str]], lang: str
) -> pd.DataFrame:
    """Lines as the public may see them: masked IDs, rule names, sorted by place and name."""
    order = {code: i for i, (code, _) in enumerate(rules)}
    names = dict(rules)
    out = frame.assign(
        _rank=_township_rank(frame["township"]),
        _rule_rank=frame["rule"].map(order).astype(float).fillna(len(order)),
        rule_label=frame["rule"].map(names).fillna(frame["rule_name"]).astype(object),
        public_id=_public_ids(frame),
        public_name=_public_names(frame, lang),
    )
    out["rule_label"] = out["rule_label"].where(out["rule_label"].ne(""), out["rule"])
    if lang != "zh":  # the policy names a rule in Chinese
        out["rule_label"] = out["rule"]
    keys = ["_rank", "township", "village", "public_name", "_rule_rank", "public_id"]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _public_ids(frame: pd.DataFrame) -> pd.Series:
    """Masked resident IDs; organisation codes in full unless they look like an ID."""
    person = frame["payee_type"].isin(_PERSON_PAYEES)
    household = frame["payee_type"].eq("household")
    household_id = frame["person_id"].where(frame["person_id"].ne(""), frame["payee_id"])
    shown = frame["payee_id"].where(~household, household_id)
    id_like = shown.str.upper().str.fullmatch(_ID_LIKE).fillna(False).astype(bool)
    return shown.where(~(person | household | id_like), shown.map(mask)).astype(object)


def _public_names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Payee name; for an employer/workshop/agency line also the person it pays for."""
    names = frame["payee_name"]
    person = frame["person_name"]
    add = ~frame["payee_type"].isin(_PERSON_PAYEES) & person.ne("") & person.ne(names)
    both = [
        text("wb_pay_for_person", lang, payee=n, person=p)
        for n, p in zip(names, person, strict=True)
    ]
    return names.where(~add, pd.Series(both, index=frame.index, dtype=object)).astype(object)


def _publicity_columns(frame: pd.DataFrame) -> list[Column]:
    """The 公示 columns; the ID header names credit codes only when some are shown."""
    codes_shown = bool((~frame["payee_type"].isin({*_PERSON_PAYEES, "household"})).any())
    id_title = "payee_id" if codes_shown else "public_id"
    return [
        Column("seq", "_seq", "seq", max_width=6, min_width=5),
        Column("township", "township", min_width=10),
        Column("village", "village", min_width=10),
        Column("payee_name", "public_name", max_width=40, min_width=10),
        Column(id_title, "public_id", "id", min_width=20),
        Column("rule", "rule_label", max_width=30, min_width=12),
        Column("amount", "amount_fen", "money", min_width=12),
    ]


# ---------------------------------------------------------------- sheet bodies


def _write_payment_body(page: _Page, part: pd.DataFrame) -> None:
    """Header, rows grouped by township with subtotals, grand total, signature line."""
    page.header()
    if part.empty:
        page.note(page.say("no_lines"))
    seq = 1
    for township, group in part.groupby("township", sort=False):
        page.rows(group, first_seq=seq)
        seq += len(group)
        named = str(township) or page.say("no_township")
        page.subtotal(
            page.say("subtotal", township=named), len(group), sum_fen(group["amount_fen"])
        )
    page.total(len(part), sum_fen(part["amount_fen"]))
    page.blank_rows(2)
    page.paragraph(page.say("signature"))


def _write_publicity_body(page: _Page, frame: pd.DataFrame) -> None:
    """Rows of the 公示 list (or the no-one note) and the total."""
    if frame.empty:
        page.note(page.say("no_lines"))
    page.rows(frame, first_seq=1)
    page.total(len(frame), sum_fen(frame["amount_fen"]))


# ---------------------------------------------------------------- xlsxwriter plumbing


def _new_book(path: Path, created: dt.datetime | None, title: str) -> xlsxwriter.Workbook:
    """A workbook in 宋体 that never turns text into numbers; ``created`` fixes its bytes."""
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_format_properties": {"font_name": FONT, "font_size": 11},
        },
    )
    properties: dict[str, object] = {"title": title}
    if created is not None:
        properties["created"] = created
    book.set_properties(properties)
    return book


class _Styles:
    """The cell formats of a printed list (borders draw the grid on paper)."""

    def __init__(self, book: xlsxwriter.Workbook, lang: str) -> None:
        count_format = text("wb_pay_count_format", lang)
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        grid = {**base, "border": 1}
        bold = {**grid, "bold": True}

        def add(**props: object) -> Format:
            return book.add_format(props)

        self.title = add(**{**base, "font_size": 16}, bold=True, align="center", text_wrap=True)
        self.sub_left = add(**base, align="left")
        self.sub_right = add(**base, align="right")
        self.header = add(**bold, align="center", text_wrap=True, bg_color="#D9D9D9")
        self.text = add(**grid, text_wrap=True)  # wraps only past a column's max width
        self.wrap = add(**grid, text_wrap=True)
        self.id = add(**grid, num_format="@")
        self.seq = add(**grid, align="center")
        self.money = add(**grid, num_format=MONEY_FORMAT)
        self.sum_text = add(**bold, bg_color="#F2F2F2")
        self.sum_count = add(**bold, bg_color="#F2F2F2", num_format=count_format, align="left")
        self.sum_money = add(**bold, bg_color="#F2F2F2", num_format=MONEY_FORMAT)
        self.total_text = add(**bold)
        self.total_count = add(**bold, num_format=count_format, align="left")
        self.total_money = add(**bold, num_format=MONEY_FORMAT)
        self.note = add(**grid, align="center")
        self.paragraph = add(**base, text_wrap=True, align="left")
        self.paragraph_right = add(**base, align="right")

    def cell(self, kind: str) -> Format:
        """The data-cell format of a column kind."""
        return {"id": self.id, "seq": self.seq, "money": self.money, "wrap": self.wrap}.get(
            kind, self.text
        )


class _Page:
    """Writes one printed list top to bottom, keeping the row and the column widths."""

    DATA_HEIGHT = 24  # points: room for a handwritten signature
    LINE_HEIGHT = 15  # points per wrapped line of 11-point text
    HEADER_ROWS = 3  # title, batch line, column header — repeated on every page

    def __init__(
        self, ws: Worksheet, styles: _Styles, columns: Sequence[Column], lang: str
    ) -> None:
        self.ws, self.styles, self.columns, self.lang = ws, styles, list(columns), lang
        self.say = _words(lang)
        self.row = 0
        self._title = ""
        self._subline: tuple[int, str, str] | None = None
        self.last = len(self.columns) - 1
        self.widths = [c.min_width for c in self.columns]
        self.money_col = next(i for i, c in enumerate(self.columns) if c.kind == "money")

    TITLE_HEIGHT = 30  # points: one line of the 16-point title
    TITLE_SCALE = 16 / 11  # the title's characters are wider than a column's 11-point ones

    def title(self, text: str) -> None:
        """Row 1: the list's title, merged over all columns (its height is set by
        ``finish``: a title wider than the table wraps onto a second line)."""
        self._merge(0, self.last, text, self.styles.title)
        self._title = text
        self.row += 1

    def subline(self, left: str, right: str) -> None:
        """Row 2: batch id (or publisher) on the left, a date to fill by hand on the right.

        Written by ``finish``, when the column widths are known, so the left text gets
        just the columns it needs.
        """
        self._subline = (self.row, left, right)
        self.row += 1

    def _write_subline(self, widths: Sequence[float]) -> None:
        if self._subline is None:
            return
        row, left, right = self._subline
        split, covered = 1, widths[0]
        while split < self.last and covered < display_width(left) + 2:
            covered += widths[split]
            split += 1
        saved, self.row = self.row, row
        self._merge(0, split - 1, left, self.styles.sub_left)
        self._merge(split, self.last, right, self.styles.sub_right)
        self.row = saved

    def _merge(self, first: int, last: int, text: str, fmt: Format) -> None:
        """Text over columns ``first``..``last`` of the current row (one cell: no merge)."""
        if first == last:
            self.ws.write_string(self.row, first, text, fmt)
        else:
            self.ws.merge_range(self.row, first, self.row, last, text, fmt)

    def header(self) -> None:
        """Row 3: the column titles (wrapped, so long titles do not widen the page)."""
        for j, column in enumerate(self.columns):
            self.ws.write_string(self.row, j, self.say(column.title), self.styles.header)
        self.ws.set_row(self.row, 32)
        self.row += 1

    def note(self, text: str) -> None:
        """A row merged across the table (本月无符合条件人员)."""
        self._merge(0, self.last, text, self.styles.note)
        self.ws.set_row(self.row, self.DATA_HEIGHT)
        self.row += 1

    def rows(self, frame: pd.DataFrame, *, first_seq: int) -> None:
        """One row per line; per-cell writes because xlsxwriter writes cell by cell."""
        fields = [c.field for c in self.columns]
        values = {f: frame[f].tolist() for f in fields if f and f != "_seq"}
        for i in range(len(frame)):
            lines = 1
            for j, (column, field) in enumerate(zip(self.columns, fields, strict=True)):
                value = first_seq + i if field == "_seq" else values[field][i] if field else ""
                lines = max(lines, self._cell(j, column, value))
            self.ws.set_row(self.row, max(self.DATA_HEIGHT, self.LINE_HEIGHT * lines + 4))
            self.row += 1

    def _cell(self, j: int, column: Column, value: Any) -> int:
        """Write one cell; return how many printed lines its text wraps to."""
        fmt = self.styles.cell(column.kind)
        if column.kind == "money":
            shown = f"{int(value) / 100:,.2f}"
            self.ws.write_number(self.row, j, int(value) / 100, fmt)
        elif column.kind == "seq":
            shown = str(value)
            self.ws.write_number(self.row, j, int(value), fmt)
        elif value == "":
            shown = ""
            self.ws.write_blank(self.row, j, None, fmt)
        else:
            shown = str(value)
            self.ws.write_string(self.row, j, shown, fmt)
        self.widths[j] = max(self.widths[j], display_width(shown) + PAD)
        return -(-int(display_width(shown)) // int(column.max_width - PAD + 1))

    def subtotal(self, label: str, count: int, fen: int) -> None:
        """'虎威镇 小计': count of lines and their amount (int sum of fen)."""
        styles = self.styles
        self._sum_row(label, count, fen, styles.sum_text, styles.sum_count, styles.sum_money)
        for j in range(self.money_col + 1, self.last + 1):
            self.ws.write_blank(self.row, j, None, styles.sum_text)
        self.row += 1

    def total(self, count: int, fen: int) -> None:
        """'合计': count, amount, and the amount in capitals across the columns after it."""
        styles = self.styles
        label = text("total", self.lang)
        self._sum_row(label, count, fen, styles.total_text, styles.total_count, styles.total_money)
        words = self.say("in_words", words=capital(fen) if self.lang == "zh" else in_words(fen))
        if self.money_col < self.last:
            self._merge(self.money_col + 1, self.last, words, styles.total_text)
        self.row += 1

    def _sum_row(
        self, label: str, count: int, fen: int, text: Format, count_fmt: Format, money: Format
    ) -> None:
        """Label in column B, count in C, amount in the money column, borders elsewhere."""
        for j in range(self.money_col):
            self.ws.write_blank(self.row, j, None, text)
        self.ws.write_string(self.row, 1, label, text)
        self.ws.write_number(self.row, 2, count, count_fmt)
        self.ws.write_number(self.row, self.money_col, fen / 100, money)
        self.ws.set_row(self.row, self.DATA_HEIGHT)
        self.widths[1] = max(self.widths[1], display_width(label) + PAD)
        self.widths[self.money_col] = max(
            self.widths[self.money_col], display_width(f"{fen / 100:,.2f}") + PAD
        )

    def blank_rows(self, n: int) -> None:
        """Leave ``n`` empty rows."""
        self.row += n

    def paragraph(self, text: str, *, align: str = "left") -> None:
        """A line of text merged over the table's width (signatures, 公示 notice)."""
        fmt = self.styles.paragraph_right if align == "right" else self.styles.paragraph
        self._merge(0, self.last, text, fmt)
        self.ws.set_row(self.row, 30)
        self.row += 1

    def finish(self, *, header: str) -> None:
        """Column widths, frozen header, and the print set-up of every list."""
        widths = [min(w, c.max_width) for c, w in zip(self.columns, self.widths, strict=True)]
        for j, width in enumerate(widths):
            self.ws.set_column(j, j, width)
        needed = display_width(self._title) * self.TITLE_SCALE
        lines = max(1, -(-int(needed) // max(1, int(sum(widths) * 0.95))))
        self.ws.set_row(0, self.TITLE_HEIGHT if lines == 1 else 22 * lines)
        if self._subline:
            self._write_subline(widths)
        self.ws.freeze_panes(self.HEADER_ROWS, 0)
        print_setup(self.ws, self.lang, (0, self.HEADER_ROWS - 1), header=header, framed=True)


def _escape_hf(text: str) -> str:
    """Text for an Excel header/footer: '&' starts a code there, so it is doubled."""
    return text.replace("&", "&&")


__all__ = [
    "BANK_MARK",
    "NO_LINES",
    "PAYMENT_CSV_COLUMNS",
    "SIGNATURE",
    "month_title",
    "payments_csv",
    "sheet_names",
    "write_payments_workbook",
    "write_publicity_workbook",
]
