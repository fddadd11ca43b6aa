"""The bank's list of a committed batch (代发清单): ``bank-YYYY-MM.xlsx`` and ``.csv``.

One line per payee (:func:`fengdu_cli.accounts.bank_payees`): 序号, 户名, 银行账号, 开户行,
金额（元）, 人数, 证件号码/统一社会信用代码 (in full: the file is the bank's), 摘要 (short:
banks keep 20–30 characters), 补贴项目, 批次号.
The headers are Chinese in every language: the file goes to a Chinese bank.  In the
workbook every account and ID is a text cell, amounts are numbers with 2 decimals, the
total is a formula over the lines with its value cached (every reader sees it, an edited
sheet stays right), and it prints on A4 landscape one page wide with the header repeated.
A payee without an account is never written with an empty one: it is on the sheet
缺少账户信息, with the list that should carry its account.  Both files hold accounts and
full IDs: owner-only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import xlsxwriter

from fengdu_cli.io.columns import FOLDERS
from fengdu_cli.io.write import Staging, atomic_path, display_width, print_setup, write_csv
from fengdu_cli.messages import has, month_words, text
from fengdu_cli.money import fen_array, yuan_texts

# (frame column, catalogue key of the header, width, kind): kind text | id | money | count
BANK_LAYOUT = (
    ("seq", "bank_h_seq", 6, "count"),
    ("account_name", "bank_h_account_name", 24, "wrap"),
    ("account_no", "bank_h_account_no", 22, "id"),
    ("bank", "bank_h_bank", 24, "wrap"),
    ("amount_fen", "bank_h_amount", 14, "money"),
    ("persons", "bank_h_persons", 7, "count"),
    ("payee_id", "bank_h_payee_id", 22, "id"),
    ("summary", "bank_h_summary", 25, "wrap"),
    ("rules", "bank_m_rules", 36, "wrap"),
    ("batch_id", "bank_h_batch", 15, "text"),
)
MISSING_LAYOUT = (
    ("seq", "bank_h_seq", 6, "count"),
    ("payee_name", "bank_m_payee", 28, "wrap"),
    ("payee_type", "bank_m_type", 9, "text"),
    ("payee_id", "bank_h_payee_id", 22, "id"),
    ("township", "bank_m_township", 10, "text"),
    ("amount_fen", "bank_h_amount", 13, "money"),
    ("persons", "bank_h_persons", 7, "count"),
    ("rules", "bank_m_rules", 34, "wrap"),
    ("where", "bank_m_where", 40, "wrap"),
)
LANG = "zh"  # the bank's file is Chinese whatever the screen's language


def where_words(kind: str, lang: str = LANG) -> str:
    """Which list should carry a payee's account: 乡镇花名册（rosters/）, 单位收款账户（accounts/）,
    or an organisation's own list 或 单位收款账户（accounts/）."""
    if kind == "roster":
        return text("bank_where_roster", lang)
    if kind == "accounts":
        return text("bank_where_accounts", lang)
    if kind == "broker":
        return text("bank_where_broker", lang)
    if kind == "conflict":
        return text("bank_where_conflict", lang)
    name = text(f"kind_{kind}", lang) if has(f"kind_{kind}") else kind
    listed = text("bank_where_list", lang, name=name, folder=FOLDERS.get(kind, kind))
    return text("bank_where_or_accounts", lang, listed=listed)


def bank_csv_frame(bank: pd.DataFrame) -> pd.DataFrame:
    """The bank CSV: Chinese headers, amounts as yuan text with 2 decimals ('6000.00')."""
    out = pd.DataFrame(
        {text(key, LANG): bank[column] for column, key, _, _ in BANK_LAYOUT}, index=bank.index
    )
    out[text("bank_h_amount", LANG)] = yuan_texts(bank["amount_fen"]).to_numpy()
    for column, key, _, kind in BANK_LAYOUT:
        if kind == "count":
            out[text(key, LANG)] = bank[column].astype("int64").astype(str)
    return out.reset_index(drop=True)


def write_bank_files(
    bank: pd.DataFrame,
    missing: pd.DataFrame,
    book_target: Path,
    csv_target: Path,
    *,
    month: int,
    batch_id: str,
    created: dt.datetime | None = None,
    staging: Staging | None = None,
    encoding: str = "utf-8-sig",
    part: int = 0,
    text_mark: bool = True,
    next_part: int = 1,
) -> list[Path]:
    """Write ``bank-YYYY-MM.xlsx`` (代发清单 and, when some payee lacks one, 缺少账户信息) and
    ``bank-YYYY-MM.csv`` (the lines with an account only), owner-only, atomically; ``part``
    1, 2 …: a supplement (补发) of the batch, titled so; ``next_part``: the number the
    missing sheet says the next supplement takes."""
    written = [
        _write_book(bank, missing, book_target, month, batch_id, created, staging, part,
                    next_part),
        write_csv(bank_csv_frame(bank), csv_target, private=True, staging=staging,
                  encoding=encoding, text_mark=text_mark),
    ]  # fmt: skip
    return written


def _write_book(
    bank: pd.DataFrame,
    missing: pd.DataFrame,
    target: Path,
    month: int,
    batch_id: str,
    created: dt.datetime | None,
    staging: Staging | None,
    part: int = 0,
    next_part: int = 1,
) -> Path:
    when = month_words(month, LANG) + (text("bank_part_title", LANG, part=part) if part else "")
    county = text("wb_county", LANG)
    with atomic_path(target, private=True, staging=staging) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
        )
        props: dict[str, object] = {"title": text("bank_title", LANG, county=county, month=when)}
        if created is not None:
            props["created"] = created
        book.set_properties(props)
        styles = _styles(book)
        title = text("bank_title", LANG, county=county, month=when)
        total = int(fen_array(bank["amount_fen"]).sum()) if len(bank) else 0
        sub = text("bank_subline", LANG, batch=batch_id, n=len(bank), amount=f"{total / 100:,.2f}")
        _sheet(book, styles, text("bank_sheet", LANG), title, sub, bank, BANK_LAYOUT, True, sub)
        if len(missing):
            rows = missing.assign(
                seq=range(1, len(missing) + 1),
                payee_type=missing["payee_type"].map(
                    lambda t: text(f"bank_type_{t}", LANG) if has(f"bank_type_{t}") else t
                ),
                where=missing["where"].map(where_words),
            )
            note = text("bank_missing_note", LANG, n=len(missing), batch=batch_id, part=next_part)
            _sheet(
                book, styles, text("bank_missing_sheet", LANG),
                text("bank_missing_title", LANG, county=county, month=when), note, rows,
                MISSING_LAYOUT, False, text("bank_missing_header", LANG, batch=batch_id),
            )  # fmt: skip
        book.close()
    return Path(target)


def _styles(book: xlsxwriter.Workbook) -> dict[str, object]:
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter", "border": 1}
    add = book.add_format
    return {
        "title": add({"font_name": "宋体", "font_size": 16, "bold": True, "align": "center",
                      "valign": "vcenter"}),
        "sub": add({"font_name": "宋体", "font_size": 11, "valign": "vcenter", "text_wrap": True}),
        "header": add({**base, "bold": True, "align": "center", "text_wrap": True,
                       "bg_color": "#DDEBF7"}),
        "text": add({**base, "num_format": "@"}),
        "wrap": add({**base, "num_format": "@", "text_wrap": True}),
        "id": add({**base, "num_format": "@"}),
        "money": add({**base, "num_format": "#,##0.00"}),
        "count": add({**base, "num_format": "0", "align": "center"}),
        "total_label": add({**base, "bold": True, "align": "center"}),
        "total_money": add({**base, "bold": True, "num_format": "#,##0.00"}),
        "total_count": add({**base, "bold": True, "num_format": "0", "align": "center"}),
    }  # fmt: skip


def _sheet(
    book: xlsxwriter.Workbook,
    styles: dict,
    name: str,
    title: str,
    sub: str,
    frame: pd.DataFrame,
    layout: tuple,
    totals: bool,
    page_header: str,
) -> None:
    ws = book.add_worksheet(name)
    last_col = len(layout) - 1
    ws.merge_range(0, 0, 0, last_col, title, styles["title"])
    ws.set_row(0, 28)
    ws.merge_range(1, 0, 1, last_col, sub, styles["sub"])
    ws.set_row(1, 18 * max(1, -(-int(display_width(sub)) // int(sum(c[2] for c in layout)))))
    header_row = 2
    for j, (_, key, width, _) in enumerate(layout):
        ws.write_string(header_row, j, text(key, LANG), styles["header"])
        ws.set_column(j, j, width)
    ws.set_row(header_row, 30)
    first = header_row + 1
    for i, row in enumerate(frame.to_dict("records")):
        r = first + i
        lines = 1
        for j, (column, _, width, kind) in enumerate(layout):
            value = row.get(column, "")
            if kind == "money":
                ws.write_number(r, j, int(value) / 100, styles["money"])
            elif kind == "count":
                ws.write_number(r, j, int(value), styles["count"])
            else:
                shown = (
                    ""
                    if value is None or (isinstance(value, float) and value != value)
                    else str(value)
                )
                ws.write_string(r, j, shown, styles[kind])
                if kind == "wrap":
                    lines = max(lines, -(-int(display_width(shown)) // max(int(width), 4)))
        ws.set_row(r, 18 * lines)  # every line as high as its wrapped text, none squeezed
    end = first + len(frame)
    if totals:
        money_col = next(j for j, c in enumerate(layout) if c[3] == "money")
        count_col = next(j for j, c in enumerate(layout) if c[0] == "persons")
        ws.merge_range(end, 0, end, money_col - 1, text("bank_total", LANG), styles["total_label"])
        fen = int(fen_array(frame["amount_fen"]).sum()) if len(frame) else 0
        persons = int(frame["persons"].sum()) if len(frame) else 0
        ws.write_formula(end, money_col, _sum(money_col, first, end), styles["total_money"],
                         round(fen / 100, 2))  # fmt: skip
        ws.write_formula(end, count_col, _sum(count_col, first, end), styles["total_count"],
                         persons)  # fmt: skip
        for j in range(money_col + 1, len(layout)):
            if j != count_col:
                ws.write_blank(end, j, None, styles["text"])
    ws.freeze_panes(first, 0)
    ws.set_row(end, 20)
    print_setup(ws, LANG, (header_row, header_row), header="&R" + _escape(page_header), framed=True)


def _sum(col: int, first: int, end: int) -> str:
    """=SUM over the lines of column ``col`` (rows first..end-1, 0-based); =0 without lines."""
    if end <= first:
        return "=0"
    letter = xlsxwriter.utility.xl_col_to_name(col)
    return f"=SUM({letter}{first + 1}:{letter}{end})"


def _escape(words: str) -> str:
    """Text for a page header: '&' doubled."""
    return words.replace("&", "&&")
