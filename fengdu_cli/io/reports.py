"""The files ``validate`` and ``ingest`` write: problem report, return lists, clean table."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from fengdu_cli import idcard
from fengdu_cli.cells import records
from fengdu_cli.ingest import Ingested
from fengdu_cli.io import names
from fengdu_cli.io.columns import ALIASES, SENSITIVE_COLUMNS, display_name
from fengdu_cli.io.write import Sheet, write_csv, write_workbook
from fengdu_cli.messages import has, text
from fengdu_cli.messages.problems import problem_words, row_notes
from fengdu_cli.schemas import display_value
from fengdu_cli.validate import Checked

if TYPE_CHECKING:
    from fengdu_cli.demo import DemoResult

# The columns ingest derives from the ID and the file: their headers.
EXTRA_LABELS = frozenset(
    {"category_detail", "sex", "birth_date", "age", "id_region", "source_file", "source_sheet",
     "source_row"}
)  # fmt: skip


def label(key: str, lang: str) -> str:
    """A fixed workbook label (sheet name, header) in ``lang``."""
    return text(f"wb_{key}", lang)


def column_label(kind: str, column: str, lang: str) -> str:
    """The header written for a data column: Chinese display name, or the English key."""
    if column in EXTRA_LABELS:
        return text(f"wb_col_{column}", lang)
    if column in ALIASES.get(kind, {}):
        return column if lang == "en" else display_name(kind, column)
    return column


def _file_name(path: str) -> str:
    """A file's name as shown (an ID or phone in it masked)."""
    return idcard.mask_in_text(re.split(r"[/\\]", str(path))[-1])


def summary_frame(checked: Checked, lang: str) -> pd.DataFrame:
    """Per file: rows read, valid, rejected, and a total line."""
    table = checked.per_file.copy()
    table["file"] = table["file"].map(_file_name)
    total = {
        "file": text("total", lang),
        "rows_read": checked.rows_read,
        "rows_valid": checked.rows_valid,
        "rows_rejected": checked.rows_rejected,
    }
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    return table.rename(columns={c: label(c, lang) for c in table.columns})


def _code_frame(checked: Checked, lang: str) -> pd.DataFrame:
    counts = checked.problem_counts()
    rows = [
        {
            label("code", lang): code,
            label("message", lang): code_title(code, lang),
            label("count", lang): n,
        }
        for code, n in counts.items()
    ]
    return pd.DataFrame(rows, columns=[label(k, lang) for k in ("code", "message", "count")])


def code_title(code: str, lang: str) -> str:
    """A problem code's short title (the code itself for an unknown one)."""
    return text(f"title_{code}", lang) if has(f"title_{code}") else code


def how_label(how: str, lang: str) -> str:
    """How a header was recognised (columns.toml / alias / keywords / values / not)."""
    key = f"how_{how.replace('.', '_') or 'none'}"
    return text(key, lang) if has(key) else how


def columns_frame(checked: Checked, lang: str) -> pd.DataFrame:
    """The 列识别 sheet: each header of each sheet → canonical column, how, share of values
    that fit; then each column a sheet lacks or holds twice."""
    en = lang == "en"
    rows = []
    for rec in records(checked.columns):
        rows.append(
            {
                "file": rec.file,
                "sheet": rec.sheet,
                "letter": rec.letter,
                "header": rec.header,
                "column": (rec.column if en else rec.column_zh) or "",
                "how": how_label(rec.how, lang),
                "share": "" if pd.isna(rec.share) else f"{rec.share:.0%}",
            }
        )
    for g in checked.gaps:
        rows.append(
            {
                "file": _file_name(g.file),
                "sheet": idcard.shown_sheet(g.sheet),
                "letter": "",
                "header": text("list_sep", lang).join(g.headers),
                "column": g.column if en else display_name(checked.kind, g.column),
                "how": text(f"how_gap_{g.cause}", lang),
                "share": "",
            }
        )
    names = ("file", "sheet", "letter", "header", "column", "how", "share")
    table = pd.DataFrame(rows, columns=list(names))
    return table.rename(columns={k: text(f"wb_cols_{k}", lang) for k in names})


def problems_frame(checked: Checked, lang: str) -> pd.DataFrame:
    """The problem list as written: one row per problem, header text as typed."""
    table = problem_words(checked.problems, lang)
    table["column"] = table["header"]
    table["severity"] = table["severity"].map(lambda s: text(f"severity_{s}", lang))
    table = table[[c for c in WRITTEN_PROBLEM if c in table]]
    return table.rename(columns={c: label(c, lang) for c in table.columns})


WRITTEN_PROBLEM = ["file", "sheet", "row", "column", "value", "code", "severity", "message",
                   "suggestion"]  # fmt: skip


def is_ours(kind: str, column: str) -> bool:
    """Is ``column`` one the tool names (canonical or derived), not a header the clerk typed?"""
    return column in EXTRA_LABELS or column in ALIASES.get(kind, {})


def unique_labels(labels: list[str], ours: list[bool], lang: str) -> list[str]:
    """``labels`` made unique: a column the clerk typed (``ours`` False) under a name the
    tool also writes (their own 性别 or 年龄 beside the ones read from the ID, a 来源文件
    column beside the provenance) keeps its place, marked as the file's own."""
    seen = {name for name, own in zip(labels, ours, strict=True) if own}
    out = []
    for name, own in zip(labels, ours, strict=True):
        shown = name
        if not own:
            while shown in seen:
                shown = text("wb_label_as_typed", lang, label=shown)
            seen.add(shown)
        out.append(shown)
    return out


def rejected_sheet(
    checked: Checked,
    rows: pd.DataFrame,
    lang: str,
    name: str,
    *,
    masked: bool = False,
    notes: pd.Series | None = None,
) -> Sheet:
    """Rejected rows as typed, with their Excel row numbers, every problem of the row in one
    cell, bad cells red; ``masked``: IDs, phones and accounts masked (a list that leaves the
    bureau)."""
    data_columns = [c for c in rows.columns if not c.startswith("_")]
    canonical = ALIASES.get(checked.kind, {})  # the others are the clerk's, shown as typed
    if masked and len(rows):
        rows = rows.copy()
        for column in SENSITIVE_COLUMNS & set(data_columns):
            rows[column] = rows[column].map(lambda v, c=column: display_value(v, c))
        if "household_id" in data_columns:  # an ID or a phone typed where 户编号 goes
            rows["household_id"] = rows["household_id"].map(idcard.mask_if_personal)
    sheets = rows["_sheet"].map(idcard.shown_sheet)
    values: list[object] = [
        rows["_file"].map(_file_name).to_numpy(dtype=object) if len(rows) else [],
        sheets.to_numpy(dtype=object) if len(rows) else [],
        rows["_row"].to_numpy(dtype=object) if len(rows) else [],
        *(rows[column].to_numpy(dtype=object) for column in data_columns),
    ]
    if len(rows):
        if notes is None:
            notes = row_notes(problem_words(checked.problems, lang), lang)
        values.append(notes.reindex(rows["_index"]).fillna("").to_numpy(object))
    else:
        values.append([])
    named = unique_labels(
        [label("file", lang), label("sheet", lang), label("row", lang),
         *(column_label(checked.kind, c, lang) if c in canonical else c for c in data_columns),
         label("message", lang)],
        [True, True, True, *(c in canonical for c in data_columns), True],
        lang,
    )  # fmt: skip
    frame = pd.DataFrame(dict(zip(named, values, strict=True)))
    red = [
        (i, 3 + data_columns.index(column))
        for i, bad in enumerate(rows.get("_bad_columns", pd.Series(dtype=object)))
        for column in (bad or ())
        if column in data_columns
    ]
    name_at = [i for i, c in enumerate(data_columns) if c == "name"]
    return Sheet(
        name, frame, red_cells=red, text_columns=[column_label(checked.kind, "id_number", lang)],
        repeat_columns=(2, 3 + name_at[0]) if name_at and name_at[0] <= 4 else (2, 2),
    )  # fmt: skip


def write_problem_report(checked: Checked, target: Path, lang: str = "zh") -> Path:
    """The problem workbook: summary, every problem, rejected rows as typed, rows not counted."""
    summary = summary_frame(checked, lang)
    notes = _notes_frame(checked, lang)
    sheets = [
        Sheet(label("summary", lang), summary, title=_title(checked, lang)),
        Sheet(f"{label('summary', lang)}-{label('code', lang)}", _code_frame(checked, lang)),
        Sheet(label("problems", lang), problems_frame(checked, lang)),
        Sheet(label("sheet_columns", lang), columns_frame(checked, lang)),
        rejected_sheet(checked, checked.rejected, lang, label("rejected", lang)),
        Sheet(label("skipped", lang), _skipped_frame(checked, lang)),
    ]
    if len(notes):
        sheets.insert(2, Sheet(label("sheet_notes", lang), notes))
    return write_workbook(
        target, sheets, private=True, lang=lang
    )  # the rejected rows hold full IDs


def _title(checked: Checked, lang: str) -> str:
    return text(
        "wb_problem_title",
        lang,
        kind=checked.kind,
        read=checked.rows_read,
        valid=checked.rows_valid,
        rejected=checked.rows_rejected,
    )


def _notes_frame(checked: Checked, lang: str) -> pd.DataFrame:
    rows = [
        {label("file", lang): _file_name(u.file), label("message", lang): u.message(lang)}
        for u in checked.unreadable
    ]
    rows += [
        {label("file", lang): _file_name(n.file), label("message", lang): n.message(lang)}
        for n in checked.notices
    ]
    return pd.DataFrame(rows, columns=[label("file", lang), label("message", lang)])


def _skipped_frame(checked: Checked, lang: str) -> pd.DataFrame:
    table = checked.skipped.copy()
    table["_file"] = table["_file"].map(_file_name)
    table["reason"] = table["reason"].map({k: text(k, lang) for k in set(table["reason"])})
    table = table.rename(columns={"_file": "file", "_sheet": "sheet", "_row": "row"})
    return table.rename(columns={c: label(c, lang) for c in table.columns})


def write_clean(
    frame: pd.DataFrame, kind: str, folder: Path, lang: str = "zh"
) -> tuple[Path, Path]:
    """``<kind>-clean.xlsx`` and ``.csv``: the consolidated valid rows with canonical headers."""
    table = frame.copy()
    for column, prefix in (("sex", "wb_sex_"), ("id_region", "wb_region_")):
        if column in table:
            table[column] = table[column].map(
                {k: text(prefix + k, lang) for k in set(table[column].dropna())}
            )
    table.columns = unique_labels(
        [column_label(kind, c, lang) for c in table.columns],
        [is_ours(kind, c) for c in table.columns],
        lang,
    )
    stem = f"{kind}-clean"
    # full IDs, phones and bank accounts: readable by their owner only
    sheets = [Sheet(text(f"kind_{kind}", lang), table)]
    xlsx = write_workbook(Path(folder) / f"{stem}.xlsx", sheets, private=True, lang=lang)
    csv = write_csv(table, Path(folder) / f"{stem}.csv", private=True)
    return xlsx, csv


def write_ingested(result: Ingested, out: Path, lang: str = "zh") -> Ingested:
    """``<kind>-clean.xlsx`` / ``.csv`` and ``<kind>-problems.xlsx`` of an ingest, in ``lang``."""
    kind = result.checked.kind
    xlsx, csv = write_clean(result.clean, kind, Path(out), lang)
    report = write_problem_report(result.checked, Path(out) / f"{kind}-problems.xlsx", lang)
    return replace(result, written=(xlsx, csv, report))


def write_demo_lists(result: DemoResult, out: Path, lang: str = "zh") -> DemoResult:
    """The demo's files in ``lang``: each kind's clean table and problem report, the
    roster's return lists (under 退回清单/, as a real month keeps them), then the month's
    reconcile workbooks and its trial payment lists."""
    from fengdu_cli import dates
    from fengdu_cli.demo import sample_as_of
    from fengdu_cli.io.reconcile_report import write_reconcile
    from fengdu_cli.io.subsidy_files import write_subsidy_files

    month = (
        result.reconciled.month
        if result.reconciled is not None
        else dates.month_of(sample_as_of(result.data))
    )
    written: list[Path] = []
    for ingested in result.ingested.values():
        written.extend(write_ingested(ingested, out, lang).written)
    if "roster" in result.checked:
        from fengdu_cli.io.returns import write_return_lists

        written.extend(
            write_return_lists(
                result.checked["roster"], Path(out) / names.RETURNS_FOLDER, lang, month=month
            )
        )
    if result.reconciled is not None:
        written.extend(write_reconcile(result.reconciled, out, split_by_township=True, lang=lang))
    if result.subsidies is not None:
        written.extend(write_subsidy_files(result.subsidies, out, lang=lang))
    if result.year is not None and result.subsidies is not None:
        from fengdu_cli.io.year_report import write_year_report

        written.append(write_year_report(result.year, result.subsidies.policy, out, lang))
    return replace(result, written=tuple(written))
