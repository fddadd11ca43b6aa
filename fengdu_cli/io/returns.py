"""The 退回清单 a township gets back: its rows to correct and its rows to verify.

One workbook per township and month (``退回清单-YYYY-MM-<乡镇>.xlsx``): a title with the
township, the month, the rows to send back and the deadline; one instruction paragraph;
the rows as the township typed them (its own phone numbers shown: it is their data; IDs
and bank accounts masked, the row number says which row) with 问题说明 and a concrete
建议 per row (the right check digit, the impossible birth date, the row the same ID is
already on).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.io import names
from fengdu_cli.io.columns import ALIASES, SENSITIVE_COLUMNS, display_name
from fengdu_cli.io.papers import Paper, Table, write_papers
from fengdu_cli.io.write import move_aside
from fengdu_cli.messages import has, month_words, text
from fengdu_cli.messages.problems import place, problem_words
from fengdu_cli.schemas import display_value
from fengdu_cli.validate import Checked

SHOWN_AS_TYPED = frozenset({"phone"})  # the township's own data, shown to the township in full


def default_deadline(month: int) -> dt.date:
    """整改期限 unless the caller sets one: the 10th of the month after ``month``."""
    return dates.first_day(dates.add_months(month, 1)) + dt.timedelta(days=9)


def _file_name(path: object) -> str:
    return idcard.mask_in_text(re.split(r"[/\\]", str(path))[-1])


def advice(worded: pd.DataFrame, checked: Checked, lang: str) -> pd.Series:
    """Per problem: what to do, concretely ("校验位应为4", "出生日期19900230不存在", "同一身份证号
    在本表第12行已出现（姓名不同）"); the problem's own suggestion where the code has no
    return-list advice of its own."""
    if worded.empty:
        return pd.Series(dtype=object)
    first_names = _names_at(checked)
    rejected = checked.rejected
    own_names = (
        dict(zip(rejected["_index"], rejected["name"].astype(str), strict=True))
        if "name" in rejected and "_index" in rejected
        else {}
    )
    out = []
    for code, column, params, suggestion, file, sheet, column_name, at in zip(
        worded["code"],
        worded["column"],
        worded["params"],
        worded["suggestion"],
        worded["file"],
        worded["sheet"],
        worded["header"],
        worded["_index"],
        strict=True,
    ):
        p = dict(params)
        said = ""
        if code == "id_checksum" and p.get("expected", "?") != "?":
            said = text("ret_advice_id_checksum", lang, expected=p["expected"])
        elif code == "id_birthdate" and p.get("birth"):
            said = text("ret_advice_id_birthdate", lang, birth=p["birth"])
        elif code == "id_format" and "length" in p:
            said = text("ret_advice_id_format", lang, length=p["length"])
        elif code == "missing_required":
            said = text("ret_advice_missing_required", lang, column=column_name)
        elif code == "id_name_conflict":
            sep = text("list_sep", lang)
            said = text("ret_advice_id_name_conflict", lang, names=sep.join(p.get("names", ())))
        elif code == "bad_date":
            said = text("ret_advice_bad_date", lang)
        elif code == "bad_number":
            said = text(
                "ret_advice_bad_phone" if column == "phone" else "ret_advice_bad_number", lang
            )
        elif code == "duplicate_person" and p.get("first"):
            said = _duplicate_advice(p["first"], file, sheet, own_names.get(at), first_names, lang)
        out.append(said or suggestion)
    return pd.Series(out, index=worded.index, dtype=object)


def phones_as_typed(checked: Checked) -> pd.DataFrame:
    """The problems with a phone's value as the township typed it (their own data, shown to
    them in full: the problem list masks it for everyone else)."""
    problems = checked.problems
    at = problems["column"].isin(SHOWN_AS_TYPED) if "column" in problems else None
    if at is None or not at.any():
        return problems
    typed: dict[object, str] = {}
    valid = checked.valid
    for column in SHOWN_AS_TYPED:
        raw = f"_raw_{column}" if f"_raw_{column}" in valid else column
        if raw in valid and len(valid):
            keys = zip(valid["_file"].map(_file_name), valid["_sheet"].astype(str),
                       valid["_row"].astype(int), strict=True)  # fmt: skip
            typed.update({(*k, column): _as_text(v) for k, v in zip(keys, valid[raw], strict=True)})
        rejected = checked.rejected
        if column in rejected and len(rejected):
            keys = zip(rejected["_file"].map(_file_name), rejected["_sheet"].astype(str),
                       rejected["_row"].astype(int), strict=True)  # fmt: skip
            typed.update(
                {(*k, column): _as_text(v) for k, v in zip(keys, rejected[column], strict=True)}
            )
    problems = problems.copy()
    found = [
        typed.get((f, str(sh), int(r), c)) if hit and not pd.isna(r) else None
        for f, sh, r, c, hit in zip(problems["file"], problems["sheet"], problems["row"],
                                    problems["column"], at, strict=True)
    ]  # fmt: skip
    problems["value"] = [
        v if t is None or t == "" else t for v, t in zip(problems["value"], found, strict=True)
    ]
    return problems


def _names_at(checked: Checked) -> dict[tuple[str, str, int], str]:
    """The name on each kept row, by (file as shown, sheet, row)."""
    valid = checked.valid
    if valid.empty or "name" not in valid:
        return {}
    files = valid["_file"].map(_file_name)
    return dict(
        zip(
            zip(files, valid["_sheet"].astype(str), valid["_row"].astype(int), strict=True),
            valid["name"].astype(str),
            strict=True,
        )
    )


def _duplicate_advice(
    first: tuple, file: str, sheet: object, name: str | None, first_names: dict, lang: str
) -> str:
    """Where the same ID is already, and whether the name there is the same."""
    f_file, f_sheet, f_row = first
    same_place = f_file == file and str(f_sheet) == str(sheet)
    where = text("ret_advice_here", lang, row=f_row) if same_place else place(tuple(first), lang)
    there = first_names.get((str(f_file), str(f_sheet), int(f_row)))
    if name is None or there is None:
        return text("ret_advice_duplicate", lang, where=where)
    same = "ret_advice_same_name" if there == name else "ret_advice_other_name"
    return text("ret_advice_duplicate_named", lang, where=where, names=text(same, lang))


def _row_text(worded: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """Per rejected row (``_index``): its problems' ``column`` joined, each once."""
    sep = text("note_sep", lang)
    said = worded[worded[column].astype(str) != ""]
    return said.groupby("_index")[column].agg(lambda m: sep.join(dict.fromkeys(m)))


def field_label(kind: str, column: str, lang: str) -> str:
    """A data column's header on the township's papers: the catalogue's label in ``lang``
    (the roster's columns), else the Chinese display name, or the column's words in English."""
    if has(f"wb_field_{column}"):
        return text(f"wb_field_{column}", lang)
    return display_name(kind, column) if lang == "zh" else column.replace("_", " ")


def _as_typed(checked: Checked, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows with their provenance first, IDs and accounts masked, phones as typed, a
    date cell as the date it holds (text, so it never prints as ###)."""
    from fengdu_cli.io.reports import label, unique_labels

    data = [c for c in rows.columns if not c.startswith("_")]
    canonical = ALIASES.get(checked.kind, {})
    shown = {}
    for column in data:
        values = rows[column]
        if column in SENSITIVE_COLUMNS - SHOWN_AS_TYPED:
            values = values.map(lambda v, c=column: display_value(v, c))
        elif column == "household_id":
            values = values.map(idcard.mask_if_personal)
        elif column in SHOWN_AS_TYPED:
            values = values.map(_as_text)
        else:
            values = values.map(_date_as_text)
        shown[column] = values.to_numpy(dtype=object)
    heads = unique_labels(
        [label("file", lang), label("sheet", lang), label("row", lang),
         *(field_label(checked.kind, c, lang) if c in canonical else c for c in data)],
        [True, True, True, *(c in canonical for c in data)],
        lang,
    )  # fmt: skip
    cells = [
        rows["_file"].map(_file_name).to_numpy(dtype=object),
        rows["_sheet"].map(idcard.shown_sheet).to_numpy(dtype=object),
        rows["_row"].to_numpy(dtype=object),
        *(shown[c] for c in data),
    ]
    return pd.DataFrame(dict(zip(heads, cells, strict=True)))


def _date_as_text(value: object) -> object:
    """A date cell as its date, ``YYYY-MM-DD`` (with the time only when it has one)."""
    if isinstance(value, dt.datetime) and not pd.isna(value):
        return value.strftime("%Y-%m-%d %H:%M" if value.time() != dt.time() else "%Y-%m-%d")
    if isinstance(value, dt.date) and not pd.isna(value):
        return value.isoformat()
    return value


def _filled(column: pd.Series) -> bool:
    """Does any row hold something in ``column``?"""
    return bool((~column.map(dates.is_blank)).any())


def _as_text(value: object) -> str:
    """A cell as typed, as text (a number Excel stored shown without its ``.0``)."""
    if dates.is_blank(value):
        return ""
    if isinstance(value, float):
        return idcard.excel_number_text(value)
    return str(value).strip()


# Kept as columns of their own on the 需更正后重报 sheet: where the row is and who it is about
# (with the cells found wrong); the township's other columns are folded into one cell.
OWN_COLUMNS = ("village", "household_id", "name", "id_number", "phone")


def _to_correct(
    checked: Checked, rows: pd.DataFrame, worded: pd.DataFrame, lang: str
) -> tuple[Table, str, str]:
    """The rows to correct, and the file and sheet they all come from ('' when several): a
    single file (sheet) is named above the table instead of in a column of its own.  The
    row number, who the row is about and every cell found wrong keep a column each; the
    township's other columns are shown as typed in one wrapped cell (其他填写内容, "表头：值"),
    so that a roster of twenty columns prints at a legible size with IDs, 户编号 and
    accounts on one line."""
    from fengdu_cli.io.reports import label

    frame = _as_typed(checked, rows, lang)
    index = rows["_index"]
    data = [c for c in rows.columns if not c.startswith("_")]
    origin = ["_file", "_sheet", "_row", *data]
    bad = {c for cols in rows.get("_bad_columns", pd.Series(dtype=object)) for c in (cols or ())}
    files = set(frame.iloc[:, 0]) if len(frame) else set()
    one_file = str(next(iter(files))) if len(files) == 1 else ""
    sheets = set(frame.iloc[:, 1]) if len(frame) else set()
    one_sheet = str(next(iter(sheets))) if len(sheets) == 1 and one_file else ""
    own = [
        (o == "_file" and not one_file)
        or (o == "_sheet" and not one_sheet)
        or o == "_row"
        or o in ("name", "id_number")
        or ((o in OWN_COLUMNS or o in bad) and _filled(frame.iloc[:, k]))
        for k, o in enumerate(origin)
    ]
    folded = [
        k
        for k, o in enumerate(origin)
        if not own[k] and not o.startswith("_") and _filled(frame.iloc[:, k])
    ]
    kept = frame.iloc[:, [k for k, keep in enumerate(own) if keep]].copy()
    if folded:
        kept[text("ret_other_cells", lang)] = _fold(frame.iloc[:, folded], lang)
    kept[label("message", lang)] = (
        _row_text(worded, "message", lang).reindex(index).fillna("").to_numpy(object)
    )
    kept[label("suggestion", lang)] = (
        _row_text(worded, "advice", lang).reindex(index).fillna("").to_numpy(object)
    )
    origin = [o for o, keep in zip(origin, own, strict=True) if keep]
    red = [
        (i, origin.index(column))
        for i, cols in enumerate(rows.get("_bad_columns", pd.Series(dtype=object)))
        for column in (cols or ())
        if column in origin
    ]
    ids = ("id_number", "household_id", "phone", "bank_account")
    shown_ids = [field_label(checked.kind, c, lang) for c in ids]
    whole = [*shown_ids, *(str(c) for c, o in zip(kept.columns, origin, strict=False)
                          if o in bad and o not in ("name",))]  # fmt: skip
    table = Table(
        kept,
        text_columns=shown_ids,
        whole=whole,
        red_cells=red,
        caps={
            label("message", lang): 30,
            label("suggestion", lang): 30,
            text("ret_other_cells", lang): 36,
            label("file", lang): 14,
            label("sheet", lang): 10,
        },
        cap=14,
    )
    return table, one_file, one_sheet


def _fold(cells: pd.DataFrame, lang: str) -> pd.Series:
    """Each row's cells as "表头：值" joined, the empty ones left out."""
    sep = text("note_sep", lang)
    heads = [str(c) for c in cells.columns]
    out = [
        sep.join(
            text("ret_field_value", lang, label=h, value=_as_text(v))
            for h, v in zip(heads, line, strict=True)
            if not dates.is_blank(v) and str(v).strip()
        )
        for line in cells.to_numpy(dtype=object)
    ]
    return pd.Series(out, index=cells.index, dtype=object)


def _to_verify(checked: Checked, warned: pd.DataFrame, lang: str) -> Table:
    """The kept rows with a warning: where, who, which cell, what, and what to do."""
    from fengdu_cli.io.reports import label

    names_at = _names_at(checked)
    keys = zip(warned["file"], warned["sheet"].astype(str), warned["row"].astype(int), strict=True)
    frame = pd.DataFrame(
        {
            label("file", lang): warned["file"].to_numpy(object),
            label("sheet", lang): warned["sheet"].map(idcard.shown_sheet).to_numpy(object),
            label("row", lang): warned["row"].to_numpy(object),
            text("wb_rc_name", lang): [names_at.get(k, "") for k in keys],
            label("header", lang): warned["header"].to_numpy(object),
            label("value", lang): warned["value"].to_numpy(object),
            label("message", lang): warned["message"].to_numpy(object),
            label("suggestion", lang): warned["advice"].to_numpy(object),
        }
    )
    return Table(
        frame,
        text_columns=[label("value", lang)],
        caps={label("message", lang): 36, label("suggestion", lang): 36, label("file", lang): 16},
    )


def write_return_lists(
    checked: Checked,
    folder: Path,
    lang: str = "zh",
    *,
    month: int,
    deadline: dt.date | None = None,
) -> list[Path]:
    """One 退回清单 per township that sent rows to correct or verify, for ``month``:
    ``退回清单-YYYY-MM-<乡镇>.xlsx``.  A row goes to the township its file came from (file
    name or title), so a row typed with a wrong township still goes back to its sender.
    ``deadline`` (整改期限): by default the 10th of the next month."""
    deadline = deadline or default_deadline(month)
    unknown = text("township_unknown", lang)
    rejected = checked.rejected
    towns = (
        rejected["_township"].fillna("").replace("", unknown)
        if len(rejected)
        else pd.Series([], dtype=object)
    )
    worded = problem_words(phones_as_typed(checked), lang)
    if len(worded):
        worded["advice"] = advice(worded, checked, lang)
    warned = _warned_by_township(checked, worded, unknown)
    written = []
    for township in sorted(set(towns) | set(warned)):
        rows = rejected[towns.to_numpy() == township] if len(rejected) else rejected
        verify = warned.get(township)
        papers = [_correct_paper(checked, rows, worded, township, month, deadline, lang)]
        if verify is not None:
            papers.append(_verify_paper(checked, verify, township, month, lang))
        target = Path(folder) / names.return_list(township, month)
        # the township's phone numbers are shown in full: readable by the owner only
        written.append(write_papers(target, papers, lang=lang, private=True))
    move_aside(Path(folder), names.return_list("*", month), written)
    return written


def _correct_paper(
    checked: Checked,
    rows: pd.DataFrame,
    worded: pd.DataFrame,
    township: str,
    month: int,
    deadline: dt.date,
    lang: str,
) -> Paper:
    shown_month = month_words(month, lang)
    table, one_file, one_sheet = _to_correct(checked, rows, worded, lang)
    source = (
        text("ret_file_sheet", lang, file=one_file, sheet=one_sheet)
        if one_sheet
        else text("ret_file", lang, file=one_file)
    )
    title = text("ret_title", lang, township=township, month=shown_month)
    return Paper(
        text("wb_sheet_to_correct", lang),
        [table],
        title=title,
        page_header=title,
        lines=[
            text(
                "ret_facts",
                lang,
                township=township,
                month=shown_month,
                n=len(rows),
                deadline=deadline.isoformat(),
            ),
            *([source] if one_file else []),
        ],
        paragraph=text("ret_instruction", lang, deadline=deadline.isoformat()),
    )


def _verify_paper(
    checked: Checked, warned: pd.DataFrame, township: str, month: int, lang: str
) -> Paper:
    title = text(
        "ret_verify_title", lang, township=township, month=month_words(month, lang), n=len(warned)
    )
    return Paper(
        text("wb_sheet_to_verify", lang),
        [_to_verify(checked, warned, lang)],
        title=title,
        page_header=title,
        paragraph=text("ret_verify_instruction", lang),
    )


def _warned_by_township(
    checked: Checked, worded: pd.DataFrame, unknown: str
) -> dict[str, pd.DataFrame]:
    """The warnings of kept rows (and file-level problems), by the township that sent them."""
    if worded.empty or "_sender_township" not in checked.valid:
        return {}
    warn = worded[worded["severity"] == "warning"]
    if warn.empty:
        return {}
    valid = checked.valid
    key = valid[["_file", "_sheet", "_row", "_sender_township"]].rename(
        columns={"_sender_township": "township"}
    )
    key["_file"] = key["_file"].map(_file_name)
    merged = warn.merge(
        key, left_on=["file", "sheet", "row"], right_on=["_file", "_sheet", "_row"], how="left"
    )
    # a file-level problem (a column the file lacks) goes to the township that sent the file
    sender = key[key["township"].ne("")].groupby("_file")["township"].first()
    file_level = merged["code"].isin(("missing_column", "ambiguous_column"))
    merged.loc[file_level, "township"] = merged.loc[file_level, "file"].map(sender)
    merged["township"] = merged["township"].fillna("").replace("", unknown)
    return {str(t): g for t, g in merged.groupby("township")}
