"""The printable payment lists of a month: 发放花名册 (to sign and pay), 公示名单, bank CSV.

A finance office prints these lists, has every payee sign, publishes the 公示 list in the
villages and pays from the CSV.  So: a first sheet 汇总 (each rule, each township, the
grand total in figures and capitals, the batch, the policy file's hash, the rules not
computed and why, a signature block), then one sheet per rule with the county's usual
title, subtotals (per township for people, per payee for employers, workshops and
agencies), a grand total in figures *and* in capitals (大写), a signature line, and a page
set-up that prints on A4 landscape one page wide with the header repeated and manual page
breaks that never part a group's lines from its subtotal.

Money is integer fen throughout (``fengdu_cli.money``).  Subtotals and totals are Excel
formulas over the lines (=SUM(H5:H9)), so an edited sheet stays right, each written with
its value computed here in fen and cached in the file, so a viewer that does not calculate
shows the same figure.  IDs and credit codes are text cells.  The 公示 list never carries
a full resident ID: they are masked with ``idcard.mask``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from fengdu_cli.idcard import mask
from fengdu_cli.io import write
from fengdu_cli.io.write import Staging, atomic_path, display_width, print_setup
from fengdu_cli.messages import month_words, rule_title, text
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
MONEY_FORMAT = "#,##0.00_ "  # a space after the figures: never touching the next column
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
    Column("period", "period", "center", min_width=11),
    Column("basis", "basis", "wrap", max_width=34, min_width=12),
    Column("signed", "", "blank", max_width=14, min_width=14),
)


# ---------------------------------------------------------------- public API


@dataclass(frozen=True)
class BatchFacts:
    """What the 汇总 sheet says beyond the lines: the policy file (name and SHA-256) and the
    rules not computed this month with their reasons, worded in the list's language:
    (code, name, reason), in the policy's order."""

    policy_name: str = ""
    policy_sha256: str = ""
    skipped: tuple[tuple[str, str, str], ...] = ()


HASH_SHOWN = 12  # hex digits of the policy file's SHA-256 on the 汇总 sheet


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
    facts: BatchFacts | None = None,
) -> Path:
    """Write the 发放花名册: a 汇总 sheet, then one sheet per rule of ``rules`` (in that
    order), atomically (readable by its owner only: it holds full IDs).  A ``trial`` list
    says so in the title of every sheet (试算，未入账，不得张贴) and in every page header, as
    its batch line does, so a trial can never be taken for the list to pay.

    ``rules`` lists (code, Chinese name) of every rule computed this month, so a rule
    nobody qualified for still gets its sheet (saying 本月无符合条件人员) — the signed
    file shows it was computed.  A line whose rule is not in ``rules`` is an error
    (ValueError), never silently left out of the list that is paid.  In English a rule is
    named by its code (the policy names it in Chinese); ``county`` defaults to the
    catalogue's.  ``facts``: the policy file and the skipped rules for the 汇总 sheet.
    """
    frame = _prepared(lines)
    _check_rules(frame, rules)
    words = _words(lang, month=month_title(month, lang), county=county or text("wb_county", lang))
    named = _named(rules, lang)
    parts = _sheet_parts(frame, named, lang)
    summary_name = text("wb_pay_sum_sheet", lang)
    shown = [("_summary", summary_name)] + [(key, sheet) for key, sheet, _, _ in parts]
    mark = text("wb_pay_trial_mark", lang) if trial else ""
    header = _page_header(words("batch", batch=batch_id), trial, lang)
    with atomic_path(target, private=True, staging=staging) as tmp:
        book = _new_book(tmp, created, words("book_title"))
        styles = _Styles(book, lang)
        all_names = sheet_names(shown)
        summary_ws = book.add_worksheet(all_names[0])
        totals: list[tuple[str, str, _Total]] = []
        for (key, _, name, part), sheet_name in zip(parts, all_names[1:], strict=True):
            code = key.split("#")[0]
            mode = _group_mode(part)
            part = _sorted_for_print(part, mode)
            page = _Page(book.add_worksheet(sheet_name), styles, _payment_columns(part, mode, code),
                         lang)  # fmt: skip
            page.title(words("title", rule=name) + mark)
            page.subline(words("batch", batch=batch_id), words("made_on"))
            total = _write_payment_body(page, part, mode)
            write.fits(sheet_name, page.row)  # never a list cut short without a word
            page.finish(header=header, breaks=True)
            totals.append((code, sheet_name, total))
        _write_summary(
            _Page(summary_ws, styles, SUMMARY_COLUMNS, lang), frame, named, totals,
            title=words("sum_title") + mark, batch=batch_id, month=month,
            facts=facts or BatchFacts(), header=header,
        )  # fmt: skip
        book.close()
    return Path(target)


def _page_header(batch: str, trial: bool, lang: str) -> str:
    """The printed page header: the batch at the right; a trial's warning in the centre."""
    right = "&R" + _escape_hf(batch)
    return "&C" + _escape_hf(text("wb_pay_trial_header", lang)) + right if trial else right


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
        write.fits(text("wb_pub_sheet", lang), page.row + 2)
        page.blank_rows(1)
        page.paragraph(text("wb_pub_notice", lang, county=county))
        page.paragraph(text("wb_pub_signed", lang, county=county), align="right")
        trial_header = "&C" + _escape_hf(text("wb_pay_trial_header", lang))
        page.finish(header=trial_header if trial else "")
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
    return [(code, rule_title(code, lang, name)) for code, name in rules]


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
            sheet = text("wb_pay_bank_sheet", lang, bank=shown)
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
        base = _cut(_BAD_SHEET_CHARS.sub("_", str(name).strip() or code).strip("'"))
        candidate, n = base or "sheet", 2
        while candidate.lower() in used:
            suffix = f"({n})"
            candidate, n = base[: _SHEET_MAX - len(suffix)] + suffix, n + 1
        used.add(candidate.lower())
        names.append(candidate)
    return names


def _cut(name: str) -> str:
    """A sheet name within Excel's 31 characters: words (English) cut whole, with '…' saying
    so, not 'Shandong-Chongqing job retentio'; other names cut at 31."""
    if len(name) <= _SHEET_MAX:
        return name
    words = name[: _SHEET_MAX - 1]
    if " " in words and name[_SHEET_MAX - 1] != " ":
        words = words.rsplit(" ", 1)[0]
    return words.rstrip() + "…" if " " in name else name[:_SHEET_MAX]


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


def _sorted_for_print(frame: pd.DataFrame, mode: str = "township") -> pd.DataFrame:
    """Townships in the county's official order (unknown ones after, empty last), then names;
    in ``payee`` mode (employers, workshops, agencies) payees first, by name and code."""
    ranked = frame.assign(_rank=_township_rank(frame["township"]))
    keys = ["_rank", "township", "payee_name", "person_name", "person_id", "payee_id"]
    if mode == "payee":
        keys = ["payee_name", "payee_id", "_rank", "township", "person_name", "person_id"]
    return ranked.sort_values(keys, kind="stable").drop(columns="_rank")


def _group_mode(part: pd.DataFrame) -> str:
    """How a sheet's lines are grouped: ``payee`` when every line pays an employer, workshop
    or agency (its money under it, wherever its workers live), else ``township``."""
    payees = part["payee_type"]
    others = ~payees.isin(_PERSON_PAYEES | {"household"})
    return "payee" if len(part) and bool(others.all()) else "township"


def _township_rank(township: pd.Series) -> pd.Series:
    """Official order of the 30 townships; others after them; an empty township last."""
    rank = township.map(_TOWN_RANK).astype(float).fillna(len(TOWNSHIPS))
    return rank.where(township.ne(""), len(TOWNSHIPS) + 1)


def _check_rules(frame: pd.DataFrame, rules: Sequence[tuple[str, str]]) -> None:
    """Every line's rule must have a sheet: a payment is never dropped from the list."""
    unknown = sorted(set(frame["rule"]) - {code for code, _ in rules})
    if unknown:
        raise ValueError(f"lines of rules not in `rules` (no sheet to put them on): {unknown}")


PAYEE_COLUMNS = (  # employers, workshops, agencies: the lines under their payee
    Column("seq", "_seq", "seq", max_width=6, min_width=5),
    Column("org_name", "payee_name", max_width=30, min_width=14),
    Column("org_code", "payee_id", "id", min_width=20),
    Column("township", "township", min_width=10),
    Column("person_name", "person_name", min_width=8),
    Column("person_id", "person_id", "id", min_width=20),
)
# a household's payment: who it is for (the business owner, the student) and the household
_PERSON_TITLES = {"startup_household": ("owner", "owner_id"), "yulu": ("student", "student_id")}


def _payment_columns(part: pd.DataFrame, mode: str = "township", code: str = "") -> list[Column]:
    """The printed columns of a rule's sheet: per payee (organisations), per household
    (the person it is for and the household described, not a 户编号 as an ID), or per
    person (plus who it is for when someone other than a person is paid)."""
    if mode == "payee":
        return [*PAYEE_COLUMNS, *TAIL_COLUMNS]
    if len(part) and bool(part["payee_type"].eq("household").all()):
        name, number = _PERSON_TITLES.get(code, ("person_name", "person_id"))
        return [
            Column("seq", "_seq", "seq", max_width=6, min_width=5),
            Column("township", "township", min_width=10),
            Column("village", "village", max_width=16, min_width=10),
            Column(name, "person_name", min_width=8),
            Column(number, "person_id", "id", min_width=20),
            Column("household", "_household", max_width=28, min_width=14),
            *TAIL_COLUMNS,
        ]
    other_payee = ~part["payee_type"].isin(_PERSON_PAYEES)
    for_someone = part["person_id"].ne("") & (other_payee | part["person_id"].ne(part["payee_id"]))
    extra = PERSON_COLUMNS if bool(for_someone.any()) else ()
    return [*BASE_COLUMNS, *extra, *TAIL_COLUMNS]


def _households(part: pd.DataFrame, lang: str) -> pd.Series:
    """A household payee described: '刘静户（户编号5002302300010001）'."""
    names = part["payee_name"].astype(str)
    if lang == "zh":
        names = names.where(names.str.endswith("户") | names.eq(""), names + "户")
    numbered = part["payee_id"].ne("") & part["payee_id"].ne(part["person_id"])
    described = [
        text("wb_pay_household_text", lang, name=n, household=h) if has_number else n
        for n, h, has_number in zip(names, part["payee_id"], numbered, strict=True)
    ]
    return pd.Series(described, index=part.index, dtype=object)


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


@dataclass(frozen=True)
class _Total:
    """Where a rule sheet's grand total is (0-based row, count and money columns) and what
    it holds."""

    row: int
    count_col: int
    money_col: int
    count: int
    fen: int


def _write_payment_body(page: _Page, part: pd.DataFrame, mode: str = "township") -> _Total:
    """Header, rows grouped by township (or payee) with subtotals, grand total, signature."""
    page.header()
    if part.empty:
        page.note(page.say("no_lines"))
    if "_household" in {c.field for c in page.columns}:
        part = part.assign(_household=_households(part, page.lang))
    seq = 1
    subtotals = []
    keys = ["payee_name", "payee_id"] if mode == "payee" else ["township"]
    for key, group in part.groupby(keys, sort=False):
        first, last = page.rows(group, first_seq=seq)
        seq += len(group)
        named = str(key[0]) or page.say("no_township")
        label = page.say("subtotal", township=named)
        subtotals.append(
            page.subtotal(label, first, last, len(group), sum_fen(group["amount_fen"]))
        )
        page.keep(first, page.row - 1)
    fen = sum_fen(part["amount_fen"])
    total_row = page.row
    page.total(len(part), fen, subtotals)
    page.blank_rows(2)
    page.paragraph(page.say("signature"))
    page.keep(total_row, page.row - 1)
    page.with_previous = bool(subtotals)  # the total goes with the last group where it fits
    return _Total(total_row, page.count_col, page.money_col, len(part), fen)


def _write_publicity_body(page: _Page, frame: pd.DataFrame) -> None:
    """Rows of the 公示 list (or the no-one note) and the total."""
    if frame.empty:
        page.note(page.say("no_lines"))
    page.rows(frame, first_seq=1)
    page.total(len(frame), sum_fen(frame["amount_fen"]))


# ---------------------------------------------------------------- the 汇总 sheet

SUMMARY_HEIGHT = 20  # points: a row of the 汇总 tables (nobody signs on them)
SUMMARY_COLUMNS = (
    Column("seq", "", "seq", max_width=6, min_width=6),
    Column("sum_item", "", max_width=40, min_width=40),
    Column("sum_lines", "", min_width=10),
    Column("sum_persons", "", min_width=10),
    Column("sum_amount", "", "money", min_width=16),
    Column("sum_sheets", "", max_width=34, min_width=34),
)


def _who(frame: pd.DataFrame) -> pd.Series:
    """Whom a line is for: the person's ID, else the payee's (a count of persons)."""
    return frame["person_id"].where(frame["person_id"].ne(""), frame["payee_id"])


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!"


def _write_summary(
    page: _Page,
    frame: pd.DataFrame,
    rules: Sequence[tuple[str, str]],
    totals: Sequence[tuple[str, str, _Total]],
    *,
    title: str,
    batch: str,
    month: int,
    facts: BatchFacts,
    header: str,
) -> None:
    """The 汇总 sheet: per rule (formulas over the rule sheets' totals), per township, the
    grand total in figures and capitals, the batch and policy, the rules not computed and
    why, and the signature block — every figure with its value cached."""
    say, styles, ws = page.say, page.styles, page.ws
    page.title(title)
    page.subline(say("batch", batch=batch), say("made_on"))
    page.row = page.HEADER_ROWS
    page.heights[page.HEADER_ROWS - 1] = 6  # the repeated rows end with a thin spacer
    who = _who(frame)

    def section(key: str) -> None:
        page.blank_rows(1)
        page._merge(0, page.last, say(key), styles.section)
        page.height(24)
        page.row += 1

    def head(titles: Sequence[str]) -> None:
        for j, key in enumerate(titles):
            ws.write_string(page.row, j, say(key), styles.header)
        page.height(28)
        page.row += 1

    # 一、按补贴项目
    start = page.row
    section("sum_by_rule")
    head(["seq", "rule", "sum_lines_counted", "sum_persons_counted", "sum_amount", "sum_sheets"])
    first = page.row
    for n, (code, name) in enumerate(rules, start=1):
        mine = [(sheet, t) for c, sheet, t in totals if c == code]
        refs = [(_quoted(sheet), t) for sheet, t in mine]
        count = sum(t.count for _, t in mine)
        fen = sum(t.fen for _, t in mine)
        ws.write_number(page.row, 0, n, styles.seq)
        ws.write_string(page.row, 1, name, styles.text)
        page.wrapped(1, 1, name)
        count_f = "=" + "+".join(q + xl_rowcol_to_cell(t.row, t.count_col) for q, t in refs)
        money_f = "=" + "+".join(q + xl_rowcol_to_cell(t.row, t.money_col) for q, t in refs)
        ws.write_formula(page.row, 2, count_f, styles.count, count)
        ws.write_number(page.row, 3, int(who[frame["rule"].eq(code)].nunique()), styles.count)
        ws.write_formula(page.row, 4, money_f, styles.money, fen / 100)
        sheets = "、".join(sheet for sheet, _ in mine) if page.lang == "zh" else ", ".join(
            sheet for sheet, _ in mine)  # fmt: skip
        ws.write_string(page.row, 5, sheets, styles.text)
        page.wrapped(5, 5, sheets)
        page.height(SUMMARY_HEIGHT)
        page.row += 1
    grand = sum_fen(frame["amount_fen"])
    rule_total = page.row
    _summary_total(page, first, rule_total - 1, len(frame), int(who.nunique()), grand)
    page.keep(start, page.row - 1)

    # 二、按乡镇（街道）
    start = page.row
    section("sum_by_township")
    head(["seq", "township", "sum_lines_counted", "sum_persons_counted", "sum_amount", "sum_note"])
    first = page.row
    towns = _sorted_for_print(frame.assign(_who=who))
    for n, (town, group) in enumerate(towns.groupby("township", sort=False), start=1):
        ws.write_number(page.row, 0, n, styles.seq)
        ws.write_string(page.row, 1, str(town) or say("no_township"), styles.text)
        ws.write_number(page.row, 2, len(group), styles.count)
        ws.write_number(page.row, 3, int(group["_who"].nunique()), styles.count)
        ws.write_number(page.row, 4, sum_fen(group["amount_fen"]) / 100, styles.money)
        ws.write_blank(page.row, 5, None, styles.text)
        page.height(SUMMARY_HEIGHT)
        page.row += 1
    _summary_total(page, first, page.row - 1, len(frame), int(who.nunique()), grand)
    page.keep(start, page.row - 1)

    # 三、合计 and the batch
    start = page.row
    section("sum_total")
    facts_rows: list[tuple[str, str | None]] = [
        ("sum_figures", None),
        ("sum_capitals", capital(grand) if page.lang == "zh" else in_words(grand)),
        ("sum_batch", batch),
        ("sum_month", month_title(month, page.lang)),
        ("sum_policy", facts.policy_name or "—"),
        ("sum_policy_hash", facts.policy_sha256[:HASH_SHOWN] or "—"),
    ]
    for key, value in facts_rows:
        ws.write_blank(page.row, 0, None, styles.label)
        ws.write_string(page.row, 1, say(key, n=HASH_SHOWN), styles.label)
        page.wrapped(1, 1, say(key, n=HASH_SHOWN))
        if value is None:
            ws.merge_range(page.row, 2, page.row, page.last, "", styles.value_money)
            cell = xl_rowcol_to_cell(rule_total, 4)
            ws.write_formula(page.row, 2, "=" + cell, styles.value_money, grand / 100)
        else:
            page._merge(2, page.last, value, styles.value)
            page.wrapped(2, page.last, value)
        page.height(page.DATA_HEIGHT)
        page.row += 1
    page.keep(start, page.row - 1)

    # 四、本月未计算的项目
    start = page.row
    section("sum_skipped")
    ws.write_string(page.row, 0, say("seq"), styles.header)
    ws.write_string(page.row, 1, say("rule"), styles.header)
    page._merge(2, page.last, say("sum_reason"), styles.header)
    page.height(28)
    page.row += 1
    skipped = facts.skipped or (("", say("sum_none"), ""),)
    for n, (code, name, reason) in enumerate(skipped, start=1):
        shown = rule_title(code, page.lang, name) if code else name
        if code:
            ws.write_number(page.row, 0, n, styles.seq)
        else:
            ws.write_blank(page.row, 0, None, styles.seq)
        ws.write_string(page.row, 1, shown, styles.text)
        page.wrapped(1, 1, shown)
        page._merge(2, page.last, reason, styles.value)
        page.wrapped(2, page.last, reason)
        page.height(page.DATA_HEIGHT)
        page.row += 1
    page.keep(start, min(start + 3, page.row - 1))  # its heading never alone

    # signature block
    start = page.row
    page.blank_rows(1)
    for parts in (
        [(0, 1, "sign_handler"), (2, 3, "sign_checker"), (4, 5, "sign_head")],
        [(0, 1, "sign_unit"), (2, 3, ""), (4, 5, "sign_date")],
    ):
        for a, b, key in parts:
            page._merge(a, b, say(key) if key else "", styles.sign)
        page.height(40)
        page.row += 1
    page.keep(start, page.row - 1)
    page.finish(header=header, breaks=True)


def _summary_total(page: _Page, first: int, last: int, count: int, persons: int, fen: int) -> None:
    """A 合计 row under a table of the 汇总 sheet: formulas over the table, values cached."""
    styles, ws = page.styles, page.ws
    ws.write_blank(page.row, 0, None, styles.total_text)
    ws.write_string(page.row, 1, text("total", page.lang), styles.total_text)
    span = xl_rowcol_to_cell(first, 2) + ":" + xl_rowcol_to_cell(last, 2)
    money = xl_rowcol_to_cell(first, 4) + ":" + xl_rowcol_to_cell(last, 4)
    if last >= first:
        ws.write_formula(page.row, 2, f"=SUM({span})", styles.total_plain, count)
        ws.write_formula(page.row, 4, f"=SUM({money})", styles.total_money, fen / 100)
    else:
        ws.write_number(page.row, 2, count, styles.total_plain)
        ws.write_number(page.row, 4, fen / 100, styles.total_money)
    ws.write_number(page.row, 3, persons, styles.total_plain)  # distinct: not a SUM
    note = page.say("sum_persons_note")
    ws.write_string(page.row, 5, note, styles.note_text)
    page.wrapped(5, 5, note)
    page.height(page.DATA_HEIGHT)
    page.row += 1


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
        self.center = add(**grid, align="center", text_wrap=True)
        self.section = add(**base, bold=True, align="left")
        self.label = add(**grid, bold=True, text_wrap=True)
        self.value = add(**grid, align="left", text_wrap=True)
        self.value_money = add(**bold, num_format=MONEY_FORMAT, align="left")
        self.count = add(**grid, num_format="0")
        self.sign = add(**{**base, "valign": "bottom"}, align="left")
        self.money = add(**grid, num_format=MONEY_FORMAT)
        self.sum_text = add(**bold, bg_color="#F2F2F2", text_wrap=True)
        self.sum_count = add(**bold, bg_color="#F2F2F2", num_format=count_format, align="left")
        self.sum_money = add(**bold, bg_color="#F2F2F2", num_format=MONEY_FORMAT)
        self.total_text = add(**bold, text_wrap=True)
        self.total_words = add(**bold, text_wrap=True, align="left")
        self.total_count = add(**bold, num_format=count_format, align="left")
        self.total_money = add(**bold, num_format=MONEY_FORMAT)
        self.total_plain = add(**bold, num_format="0")
        self.note = add(**grid, align="center")
        self.note_text = add(**{**grid, "font_size": 9}, text_wrap=True)
        self.paragraph = add(**base, text_wrap=True, align="left")
        self.paragraph_right = add(**base, align="right")

    def cell(self, kind: str) -> Format:
        """The data-cell format of a column kind."""
        kinds = {"id": self.id, "seq": self.seq, "money": self.money, "wrap": self.wrap,
                 "center": self.center}  # fmt: skip
        return kinds.get(kind, self.text)


class _Page:
    """Writes one printed list top to bottom, keeping the row, the column widths, the rows'
    texts (their heights are set when the widths are known) and the groups of rows that
    must print on one page."""

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
        self.least = [0.0 for _ in self.columns]  # widths over a column's max: a word not cut
        self.money_col = next((i for i, c in enumerate(self.columns) if c.kind == "money"), 0)
        # a subtotal's count: column C, or the first plain column after it when C holds IDs
        # (a count in an ID column would read back as a person's ID)
        self.count_col = next(
            (j for j, c in enumerate(self.columns) if j >= 2 and c.kind == "text"), 2
        )
        self.heights: dict[int, float] = {}  # 0-based row → points
        self._texts: dict[int, list[tuple[int, int, str]]] = {}  # row → (first, last col, text)
        # cells of a wrapping column (依据): rewritten with their line breaks by ``finish``
        self._prewrapped: list[tuple[int, int, str, Format]] = []
        self._data: tuple[int, int] | None = None  # first and last line row
        self.blocks: list[tuple[int, int]] = []  # rows (first, last) kept on one page
        self.breaks: list[int] = []  # rows that begin a printed page (after the first)
        self.with_previous = False  # the last block prints with the one before where it fits

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
        self.heights[self.row] = 15
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

    def wrapped(self, first: int, last: int, text: str) -> None:
        """Let the current row grow to the lines ``text`` wraps to over those columns."""
        self._texts.setdefault(self.row, []).append((first, last, text))

    def height(self, points: float) -> None:
        """The current row's least height (points)."""
        self.heights[self.row] = max(points, self.heights.get(self.row, 0))

    def keep(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` (0-based) print on one page where they fit on one."""
        if last >= first:
            self.blocks.append((first, last))

    def header(self) -> None:
        """Row 3: the column titles (wrapped, so long titles do not widen the page)."""
        for j, column in enumerate(self.columns):
            title = self.say(column.title)
            self.ws.write_string(self.row, j, title, self.styles.header)
            self.wrapped(j, j, title)
            self.least[j] = max(self.least[j], _longest_word(title) + 2)  # not 'organisatio n'
        self.heights[self.row] = 32
        self.row += 1

    def note(self, text: str) -> None:
        """A row merged across the table (本月无符合条件人员)."""
        self._merge(0, self.last, text, self.styles.note)
        self.height(self.DATA_HEIGHT)
        self.row += 1

    def rows(self, frame: pd.DataFrame, *, first_seq: int) -> tuple[int, int]:
        """One row per line.  What each cell gets (its value, its call, its width, its text
        for the row's height) is worked out a column at a time (:meth:`_column`); the cells
        are still written row by row, so the workbook's strings keep the order cell-by-cell
        writing gives them (the same bytes).  Returns the first and last row written (0-based)."""
        first, n = self.row, len(frame)
        wrapped_before = len(self._prewrapped)
        columns = [
            self._column(j, column, frame, first_seq) for j, column in enumerate(self.columns)
        ]
        if sum(c.kind == "wrap" for c in self.columns) > 1:  # kept row by row, as written
            self._prewrapped[wrapped_before:] = sorted(
                self._prewrapped[wrapped_before:], key=lambda cell: (cell[0], cell[1])
            )
        calls = [(j, calls, values, fmt) for j, (calls, values, fmt) in enumerate(columns)]
        heights = self.heights
        for i in range(n):
            row = first + i
            for j, column_calls, values, fmt in calls:
                column_calls[i](row, j, values[i], fmt)
            heights[row] = max(self.DATA_HEIGHT, heights.get(row, 0))
        self.row = first + n
        if n:
            start = first if self._data is None else self._data[0]
            self._data = (start, self.row - 1)
        return first, self.row - 1

    def _column(
        self, j: int, column: Column, frame: pd.DataFrame, first_seq: int
    ) -> tuple[list[Callable[..., Any]], list[Any], Format]:
        """Column ``j`` of the lines ``frame`` (written from the current row on): each cell's
        call and value and the column's format — a number for money and 序号, a blank cell
        for '', else the text — as one cell at a time would write it; the column widened to
        its widest value, its texts (a text or wrapping column) kept for the rows' heights,
        a wrapping column's cells kept to be written again in their lines by ``finish``."""
        n, first, fmt, ws = len(frame), self.row, self.styles.cell(column.kind), self.ws
        field = column.field
        values: list[Any] = (
            list(range(first_seq, first_seq + n)) if field == "_seq"
            else frame[field].tolist() if field else [""] * n
        )  # fmt: skip
        calls: list[Callable[..., Any]]
        if column.kind == "money":
            values = [int(v) / 100 for v in values]
            shown = {f"{v:,.2f} " for v in values}
            calls = [ws.write_number] * n
        elif column.kind == "seq":
            shown = {str(v) for v in values}
            values = [int(v) for v in values]
            calls = [ws.write_number] * n
        else:
            texts = ["" if v == "" else str(v) for v in values]
            shown = set(texts)
            calls = [ws.write_blank if t == "" else ws.write_string for t in texts]
            values = [None if t == "" else t for t in texts]
            if column.kind in ("text", "wrap"):
                for i, t in enumerate(texts):
                    if t != "":
                        self._texts.setdefault(first + i, []).append((j, j, t))
            if column.kind == "wrap":  # written again by ``finish``, broken into its lines
                self._prewrapped.extend(
                    (first + i, j, t, fmt) for i, t in enumerate(texts) if t != ""
                )
        if shown:
            self.widths[j] = max(self.widths[j], max(map(display_width, shown)) + PAD)
        return calls, values, fmt

    def _ref(self, row: int, col: int) -> str:
        return xl_rowcol_to_cell(row, col)

    def _span(self, first: int, last: int, col: int) -> str:
        return f"{self._ref(first, col)}:{self._ref(last, col)}"

    def subtotal(self, label: str, first: int, last: int, count: int, fen: int) -> int:
        """'虎威镇 小计': the count of the lines ``first``..``last`` and their amount, as
        formulas over them with the values (int sum of fen) cached.  Returns its row."""
        styles = self.styles
        row = self.row
        # 小计 alone in the 序号 cell: a reader of this list (ledger import) skips the row
        mark = self.say("subtotal_mark")
        self.ws.write_string(self.row, 0, mark, styles.sum_text)
        self.least[0] = max(self.least[0], display_width(mark) + 2)  # never cut: 'subtot'
        self._sum_row(label, styles.sum_text, styles.sum_count, styles.sum_money,
                      f"=COUNT({self._span(first, last, 0)})", count,
                      f"=SUM({self._span(first, last, self.money_col)})", fen)  # fmt: skip
        for j in range(self.money_col + 1, self.last + 1):
            self.ws.write_blank(self.row, j, None, styles.sum_text)
        self.row += 1
        return row

    def total(self, count: int, fen: int, subtotals: Sequence[int] = ()) -> None:
        """'合计': count, amount (formulas over the subtotals, or over the lines), and the
        amount in capitals across the columns after it."""
        styles = self.styles
        label = text("total", self.lang)
        if subtotals:
            count_formula = _sum_of([self._ref(r, self.count_col) for r in subtotals])
            money_formula = _sum_of([self._ref(r, self.money_col) for r in subtotals])
        elif self._data is not None:
            first, last = self._data
            count_formula = f"=COUNT({self._span(first, last, 0)})"
            money_formula = f"=SUM({self._span(first, last, self.money_col)})"
        else:
            count_formula = money_formula = ""
        self._sum_row(label, styles.total_text, styles.total_count, styles.total_money,
                      count_formula, count, money_formula, fen)  # fmt: skip
        words = self.say("in_words", words=capital(fen) if self.lang == "zh" else in_words(fen))
        if self.money_col < self.last:
            self._merge(self.money_col + 1, self.last, words, styles.total_words)
            self.wrapped(self.money_col + 1, self.last, words)
        self.row += 1

    def _sum_row(
        self, label: str, text: Format, count_fmt: Format, money: Format,
        count_formula: str, count: int, money_formula: str, fen: int,
    ) -> None:  # fmt: skip
        """Label in column B, count in C, amount in the money column, borders elsewhere."""
        for j in range(1, self.money_col):
            self.ws.write_blank(self.row, j, None, text)
        if count_fmt is self.styles.total_count or label == "":
            self.ws.write_blank(self.row, 0, None, text)
        self.ws.write_string(self.row, 1, label, text)
        if count_formula:
            self.ws.write_formula(self.row, self.count_col, count_formula, count_fmt, count)
            self.ws.write_formula(self.row, self.money_col, money_formula, money, fen / 100)
        else:
            self.ws.write_number(self.row, self.count_col, count, count_fmt)
            self.ws.write_number(self.row, self.money_col, fen / 100, money)
        self.height(self.DATA_HEIGHT)
        self.wrapped(1, 1, label)
        self.widths[self.money_col] = max(
            self.widths[self.money_col], display_width(f"{fen / 100:,.2f} ") + PAD
        )

    def blank_rows(self, n: int) -> None:
        """Leave ``n`` empty rows."""
        for _ in range(n):
            self.heights.setdefault(self.row, 15)
            self.row += 1

    def paragraph(self, text: str, *, align: str = "left") -> None:
        """A line of text merged over the table's width (signatures, 公示 notice)."""
        fmt = self.styles.paragraph_right if align == "right" else self.styles.paragraph
        self._merge(0, self.last, text, fmt)
        self.wrapped(0, self.last, text)
        self.height(30)
        self.row += 1

    def finish(self, *, header: str, breaks: bool = False) -> None:
        """Column widths, row heights, frozen header, and the print set-up of every list;
        with ``breaks`` a print scale of its own and manual page breaks that keep each
        group of rows (``keep``) on one page (Excel ignores manual breaks under
        fit-to-page, hence the scale)."""
        widths = [
            max(min(w, c.max_width), least)
            for c, w, least in zip(self.columns, self.widths, self.least, strict=True)
        ]
        for j, width in enumerate(widths):
            self.ws.set_column(j, j, width)
        needed = display_width(self._title) * self.TITLE_SCALE
        lines = max(1, -(-int(needed) // max(1, int(sum(widths) * 0.95))))
        self.heights[0] = self.TITLE_HEIGHT if lines == 1 else 22 * lines
        wrap = _wrapper()
        spans: dict[tuple[int, int], float] = {}
        for row, texts in self._texts.items():
            most = 1
            for a, b, t in texts:
                span = spans.get((a, b))
                if span is None:
                    span = spans[(a, b)] = sum(widths[a : b + 1])
                most = max(most, wrap(t, span).count("\n") + 1)  # wrapped_lines(t, span)
            self.heights[row] = max(self.heights.get(row, 15), self.LINE_HEIGHT * most + 6)
        for row, j, value, fmt in self._prewrapped:
            self.ws.write_string(row, j, wrap(value, widths[j]), fmt)
        for row, points in sorted(self.heights.items()):
            self.ws.set_row(row, points)
        if self._subline:
            self._write_subline(widths)
        self.ws.freeze_panes(self.HEADER_ROWS, 0)
        print_setup(self.ws, self.lang, (0, self.HEADER_ROWS - 1), header=header, framed=True)
        if breaks:
            scale = print_scale(widths)
            self.ws.set_print_scale(scale)
            repeated = sum(self.heights.get(r, 15) for r in range(self.HEADER_ROWS))
            room = page_room(scale) - repeated
            rows = [self.heights.get(r, 15) for r in range(self.row)]
            blocks = list(self.blocks)
            if self.with_previous and len(blocks) >= 2:
                (first, last), (_, end) = blocks[-2:]
                if sum(rows[first : end + 1]) <= room:
                    blocks[-2:] = [(first, end)]
                elif last - first >= 2:  # too long for one page: the group's last line and
                    # its subtotal print with the total, never the total alone on a page
                    blocks[-2:] = [(first, last - 2), (last - 1, end)]
            self.breaks = page_breaks(rows, self.HEADER_ROWS, blocks, room)
            if self.breaks:
                self.ws.set_h_pagebreaks(self.breaks)


def _longest_word(value: str) -> float:
    """The display width of the widest word of ``value`` (a header wraps between words)."""
    return max((display_width(w) for w in _WORD.findall(value) if not w.isspace()), default=0)


def _sum_of(cells: Sequence[str]) -> str:
    """=SUM(C8,C12,…) of many cells (nested by 200: a function takes at most 255)."""
    if len(cells) <= 200:
        return "=SUM(" + ",".join(cells) + ")"
    chunks = ["SUM(" + ",".join(cells[i : i + 200]) + ")" for i in range(0, len(cells), 200)]
    return "=SUM(" + ",".join(chunks) + ")"


# ---------------------------------------------------------------- printed pages

PAGE_WIDTH, PAGE_HEIGHT = 841.9, 595.3  # A4 landscape, points
SIDE_MARGINS, TOP_BOTTOM_MARGINS = 2 * 0.3 * 72, 2 * 0.6 * 72  # print_setup(framed=True)
LEAST_ROWS = 3  # a group longer than a page starts on a fresh one unless this many rows fit
ROOM_SAFETY = 0.93  # the printed rows' room kept below the page's, for fonts and rounding


DIGIT_PIXELS = 9.5  # a column's character: 7–8 pixels in Excel's fonts, 9.3 in LibreOffice's


def column_points(width: float) -> float:
    """The printed width (points) of a column ``width`` characters wide, reckoned with the
    widest font that prints it (a digit of 9.5 pixels plus 5 of padding, 0.75 point each):
    a page scaled for it is one page wide in every program."""
    return (width * DIGIT_PIXELS + 5) * 0.75


def print_scale(widths: Sequence[float]) -> int:
    """The print scale (percent, 10–100) that makes the columns one A4 landscape page wide."""
    needed = sum(column_points(w) for w in widths)
    room = PAGE_WIDTH - SIDE_MARGINS
    return max(10, min(100, int(room * 100 / needed))) if needed else 100


def page_room(scale: int) -> float:
    """The row height (points, unscaled) one printed page holds at ``scale``."""
    return (PAGE_HEIGHT - TOP_BOTTOM_MARGINS) * ROOM_SAFETY * 100 / scale


def page_breaks(
    heights: Sequence[float], start: int, blocks: Sequence[tuple[int, int]], room: float
) -> list[int]:
    """The rows (0-based) that begin a new printed page, for rows ``start``… of
    ``heights`` (points) on pages that hold ``room`` points each.

    A block (first, last) — a group's lines and its subtotal, the total and the signature —
    starts on a new page when it does not fit on the rest of the current one but fits on a
    page; a block longer than a page breaks inside, but never so that its last row (the
    subtotal) is alone at the top of a page.  Rows in no block are blocks of one row.
    """
    kept = {first: last for first, last in blocks}
    breaks: list[int] = []
    used, row = 0.0, start
    while row < len(heights):
        last = kept.get(row, row)
        size = sum(heights[row : last + 1])
        if used + size <= room:
            used += size
        elif size <= room:
            if used > 0:
                breaks.append(row)
            used = size
        else:  # longer than a page: fill, breaking before the row that does not fit
            if used > 0 and _rows_that_fit(heights[row : last + 1], room - used) < LEAST_ROWS:
                breaks.append(row)  # not a line or two of it at the foot of a page
                used = 0.0
            for r in range(row, last + 1):
                if used + heights[r] > room and used > 0:
                    at = r - 1 if r == last and r - 1 > row and r - 1 not in breaks else r
                    breaks.append(at)
                    used = sum(heights[at : r + 1])
                else:
                    used += heights[r]
        row = last + 1
    return breaks


def _rows_that_fit(heights: Sequence[float], room: float) -> int:
    """How many of ``heights`` (from the first) fit in ``room`` points."""
    n, used = 0, 0.0
    for height in heights:
        if used + height > room:
            break
        n, used = n + 1, used + height
    return n


_WORD = re.compile(
    r"[（《「『【“‘(\[]*(?:[A-Za-z0-9.,\-:/%@_+#]+|\S)[，。、；：）》」』】”’,.;:)\]!?！？%]*|\s+"
)
_MARKED_CHAR = re.compile(r"[（《「『【“‘(\[]*.[，。、；：）》」』】”’,.;:)\]!?！？%]*")


def _wrapper() -> Callable[[str, float], str]:
    """:func:`wrap_text` remembering what it wrapped: a sheet measures a text for its row's
    height and writes the same text in its lines, and many cells hold the same text."""
    done: dict[tuple[str, float], str] = {}

    def wrap(value: str, width: float) -> str:
        found = done.get((value, width))
        if found is None:
            found = done[(value, width)] = wrap_text(value, width)
        return found

    return wrap


@functools.lru_cache(maxsize=1 << 16)
def _word_width(word: str) -> float:
    """:func:`display_width` of a word of a wrapped text, remembered: the words are mostly
    the same few thousand characters, marks and numbers."""
    return display_width(word)


def wrapped_lines(value: str, width: float) -> int:
    """How many lines ``value`` wraps to in a column ``width`` characters wide: words of
    Latin letters and digits (dates, amounts, codes) move whole to the next line, Chinese
    breaks between characters but never before a closing mark (，）) — as spreadsheet
    programs wrap, counted a little generously so the last line is never cut."""
    return len(wrap_text(value, width).split("\n"))


def wrap_text(value: str, width: float) -> str:
    """``value`` with a line break wherever it wraps in a column ``width`` characters wide
    (the rules of ``wrapped_lines``): a closing mark （），。） never starts a line, an
    opening one never ends one, a date or a code is not cut.  Each line is a little narrower
    than the column in every program (Excel, WPS, LibreOffice), so a cell written so wraps
    only where it says, and its row height is exact."""
    room = max(width - 1.5, 2.0)
    out: list[str] = []
    for part in str(value).split("\n"):
        line, used = "", 0.0
        for word in _WORD.findall(part):
            size = _word_width(word)
            if used + size <= room:
                line, used = line + word, used + size
            elif word.isspace():
                continue
            elif size <= room:
                out.append(line.rstrip())
                line, used = word, size
            else:  # a word longer than a line: cut between its characters (not its marks)
                for ch in _MARKED_CHAR.findall(word):
                    if used + _word_width(ch) > room and line:
                        out.append(line.rstrip())
                        line, used = "", 0.0
                    line, used = line + ch, used + _word_width(ch)
        out.append(line.rstrip())
    return "\n".join(out)


def _escape_hf(text: str) -> str:
    """Text for an Excel header/footer: '&' starts a code there, so it is doubled."""
    return text.replace("&", "&&")


__all__ = [
    "BANK_MARK",
    "NO_LINES",
    "PAYMENT_CSV_COLUMNS",
    "SIGNATURE",
    "BatchFacts",
    "month_title",
    "payments_csv",
    "sheet_names",
    "write_payments_workbook",
    "write_publicity_workbook",
]
