"""The files ``validate`` and ``ingest`` write: problem report, return lists, clean table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from fengdu_cli import idcard
from fengdu_cli.cells import records
from fengdu_cli.io.columns import ALIASES, SENSITIVE_COLUMNS, display_name
from fengdu_cli.io.write import Sheet, move_aside, write_csv, write_workbook
from fengdu_cli.messages import text
from fengdu_cli.schemas import display_value
from fengdu_cli.validate import Checked

LABELS = {
    "zh": {
        "file": "文件", "sheet": "工作表", "row": "行号", "column": "列", "header": "表头",
        "value": "填写内容", "code": "问题代码", "severity": "处理", "message": "问题说明",
        "suggestion": "建议", "rows_read": "读取人数", "rows_valid": "有效", "rows_rejected": "退回",
        "reason": "原因", "text": "内容", "township": "乡镇", "count": "数量", "item": "项目",
        "summary": "汇总", "problems": "问题清单", "rejected": "退回行", "skipped": "未计入的行",
        "warnings": "提示（已保留）",
    },
    "en": {
        "file": "file", "sheet": "sheet", "row": "row", "column": "column", "header": "header",
        "value": "value", "code": "code", "severity": "severity", "message": "message",
        "suggestion": "suggestion", "rows_read": "rows read", "rows_valid": "valid",
        "rows_rejected": "rejected", "reason": "reason", "text": "text", "township": "township",
        "count": "count", "item": "item", "summary": "summary", "problems": "problems",
        "rejected": "rejected rows", "skipped": "rows not counted", "warnings": "warnings (kept)",
    },
}  # fmt: skip

EXTRA_LABELS = {
    "category_detail": ("类别细分", "category detail"),
    "sex": ("性别", "sex"),
    "birth_date": ("出生日期", "birth date"),
    "age": ("年龄", "age"),
    "id_region": ("户籍地", "ID region"),
    "source_file": ("来源文件", "source file"),
    "source_sheet": ("来源工作表", "source sheet"),
    "source_row": ("来源行号", "source row"),
}


def label(key: str, lang: str) -> str:
    """A fixed label in ``lang``."""
    return LABELS.get(lang, LABELS["zh"]).get(key, key)


def column_label(kind: str, column: str, lang: str) -> str:
    """The header written for a data column: Chinese display name, or the English key."""
    if column in EXTRA_LABELS:
        zh, en = EXTRA_LABELS[column]
        return en if lang == "en" else zh
    if column in ALIASES.get(kind, {}):
        return column if lang == "en" else display_name(kind, column)
    return column


def _file_name(path: str) -> str:
    return re.split(r"[/\\]", str(path))[-1]


def summary_frame(checked: Checked, lang: str) -> pd.DataFrame:
    """Per file: rows read, valid, rejected, and a total line."""
    table = checked.per_file.copy()
    table["file"] = table["file"].map(_file_name)
    total = {
        "file": "合计" if lang == "zh" else "total",
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
            label("message", lang): _code_title(code, lang),
            label("count", lang): n,
        }
        for code, n in counts.items()
    ]
    return pd.DataFrame(rows, columns=[label(k, lang) for k in ("code", "message", "count")])


def _code_title(code: str, lang: str) -> str:
    titles = {
        "id_format": ("身份证号码格式错误", "ID malformed"),
        "id_checksum": ("身份证号码校验位错误", "ID check digit wrong"),
        "id_birthdate": ("身份证号码出生日期错误", "ID birth date impossible"),
        "id_precision_lost": ("身份证号码被存成数字", "ID stored as a number"),
        "id_15_digit": ("15位旧号码已升级", "15-digit ID upgraded"),
        "missing_required": ("缺少必填项", "required field empty"),
        "duplicate_person": ("人员重复", "duplicate person"),
        "id_name_conflict": ("同一号码不同姓名", "one ID, two names"),
        "unknown_township": ("乡镇无法识别", "unknown township"),
        "bad_date": ("日期无法识别", "bad date"),
        "bad_number": ("数值或号码有误", "bad number"),
        "bad_category": ("取值不在范围内", "value not allowed"),
        "id_region": ("身份证号码地区代码未知", "unknown ID region"),
        "missing_column": ("缺少列（相关人员无法判断）", "column missing (persons undetermined)"),
        "ambiguous_column": ("多列可能同义", "columns competing for one meaning"),
    }
    zh, en = titles.get(code, (code, code))
    return en if lang == "en" else zh


HOW_LABELS = {
    "columns.toml": ("columns.toml 指定", "columns.toml"),
    "alias": ("表头名称", "alias"),
    "keywords": ("表头关键词", "keywords"),
    "values": ("按列中取值", "values"),
    "": ("未识别（保留为附加列）", "not recognised (kept as an extra column)"),
}
GAP_LABELS = {
    "missing": ("缺少该列", "missing"),
    "ambiguous": ("多列可能是该列", "ambiguous"),
}


def how_label(how: str, lang: str) -> str:
    zh, en = HOW_LABELS.get(how, (how, how))
    return en if lang == "en" else zh


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
        zh, english = GAP_LABELS[g.cause]
        rows.append(
            {
                "file": _file_name(g.file),
                "sheet": g.sheet,
                "letter": "",
                "header": "、".join(g.headers),
                "column": g.column if en else display_name(checked.kind, g.column),
                "how": english if en else zh,
                "share": "",
            }
        )
    names = {
        "file": ("文件", "file"), "sheet": ("工作表", "sheet"), "letter": ("列", "col"),
        "header": ("表头", "header"), "column": ("识别为", "recognised as"),
        "how": ("识别方式", "how"), "share": ("取值符合比例", "values that fit"),
    }  # fmt: skip
    table = pd.DataFrame(rows, columns=list(names))
    return table.rename(columns={k: v[1] if en else v[0] for k, v in names.items()})


def problems_frame(checked: Checked, lang: str) -> pd.DataFrame:
    """The problem list as written: one row per problem, header text as typed."""
    table = checked.problems.copy()
    table["column"] = table["header"]
    table["severity"] = table["severity"].map(lambda s: text(f"severity_{s}", lang))
    table = table.drop(columns=["header"])
    return table.rename(columns={c: label(c, lang) for c in table.columns})


def rejected_sheet(
    checked: Checked, rows: pd.DataFrame, lang: str, name: str, *, masked: bool = False
) -> Sheet:
    """Rejected rows as typed, with their Excel row numbers, 问题说明, bad cells red;
    ``masked``: IDs, phones and accounts masked (a list that leaves the bureau)."""
    data_columns = [c for c in rows.columns if not c.startswith("_") and c != "问题说明"]
    if masked and len(rows):
        rows = rows.copy()
        for column in SENSITIVE_COLUMNS & set(data_columns):
            rows[column] = rows[column].map(lambda v, c=column: display_value(v, c))
        if "household_id" in data_columns:  # an ID or a phone typed where 户编号 goes
            rows["household_id"] = rows["household_id"].map(idcard.mask_if_personal)
    frame = pd.DataFrame(
        {
            label("file", lang): rows["_file"].map(_file_name) if len(rows) else [],
            label("sheet", lang): rows["_sheet"] if len(rows) else [],
            label("row", lang): rows["_row"] if len(rows) else [],
        }
    )
    for column in data_columns:
        frame[column_label(checked.kind, column, lang)] = rows[column].to_numpy(dtype=object)
    frame[label("message", lang)] = rows["问题说明"].to_numpy(dtype=object) if len(rows) else []
    red = [
        (i, 3 + data_columns.index(column))
        for i, bad in enumerate(rows.get("_bad_columns", pd.Series(dtype=object)))
        for column in (bad or ())
        if column in data_columns
    ]
    return Sheet(
        name, frame, red_cells=red, text_columns=[column_label(checked.kind, "id_number", lang)]
    )


def write_problem_report(checked: Checked, target: Path, lang: str = "zh") -> Path:
    """The problem workbook: summary, every problem, rejected rows as typed, rows not counted."""
    summary = summary_frame(checked, lang)
    notes = _notes_frame(checked, lang)
    sheets = [
        Sheet(label("summary", lang), summary, title=_title(checked, lang)),
        Sheet(f"{label('summary', lang)}-{label('code', lang)}", _code_frame(checked, lang)),
        Sheet(label("problems", lang), problems_frame(checked, lang)),
        Sheet("列识别" if lang == "zh" else "columns", columns_frame(checked, lang)),
        rejected_sheet(checked, checked.rejected, lang, label("rejected", lang)),
        Sheet(label("skipped", lang), _skipped_frame(checked, lang)),
    ]
    if len(notes):
        sheets.insert(2, Sheet("文件说明" if lang == "zh" else "file notes", notes))
    return write_workbook(target, sheets, private=True)  # the rejected rows hold full IDs


def _title(checked: Checked, lang: str) -> str:
    kind = text(f"kind_{checked.kind}", lang)
    if lang == "en":
        return f"Problem report — {kind}: {checked.rows_read} rows read, {checked.rows_rejected} rejected"
    return f"{kind}数据问题报告：读取 {checked.rows_read} 行，有效 {checked.rows_valid} 行，退回 {checked.rows_rejected} 行"


def _notes_frame(checked: Checked, lang: str) -> pd.DataFrame:
    rows = [
        {label("file", lang): _file_name(u.file), label("message", lang): u.message}
        for u in checked.unreadable
    ]
    rows += [
        {label("file", lang): _file_name(n.file), label("message", lang): n.message}
        for n in checked.notices
    ]
    return pd.DataFrame(rows, columns=[label("file", lang), label("message", lang)])


def _skipped_frame(checked: Checked, lang: str) -> pd.DataFrame:
    table = checked.skipped.copy()
    table["_file"] = table["_file"].map(_file_name)
    table = table.rename(columns={"_file": "file", "_sheet": "sheet", "_row": "row"})
    return table.rename(columns={c: label(c, lang) for c in table.columns})


def write_return_lists(checked: Checked, folder: Path, lang: str = "zh") -> list[Path]:
    """One 退回清单 per township that sent files: its rejected rows (to correct) and its
    warnings (to verify), IDs, phones and accounts masked — the Excel row number says
    which row; the township's own file holds the rest.  A row goes to the township its file came from (file name or
    title), so a row typed with a wrong township still goes back to its sender."""
    rejected = checked.rejected
    townships = (
        rejected["_township"].fillna("").replace("", "未知乡镇")
        if len(rejected)
        else pd.Series([], dtype=object)
    )
    warnings = _warnings_by_township(checked)
    written = []
    for township in sorted(set(townships) | set(warnings)):
        rows = rejected[townships.to_numpy() == township] if len(rejected) else rejected
        title = "需更正后重报" if lang == "zh" else "to correct"
        sheets = [rejected_sheet(checked, rows, lang, title, masked=True)]
        if township in warnings:
            sheets.append(Sheet("请核实" if lang == "zh" else "to verify", warnings[township]))
        name = f"退回清单-{township}.xlsx" if lang == "zh" else f"returns-{township}.xlsx"
        written.append(write_workbook(Path(folder) / name, sheets))
    pattern = "退回清单-*.xlsx" if lang == "zh" else "returns-*.xlsx"
    move_aside(Path(folder), pattern, written)
    return written


def _warnings_by_township(checked: Checked) -> dict[str, pd.DataFrame]:
    problems = checked.problems
    warn = problems[problems["severity"] == "warning"]
    if warn.empty or "_sender_township" not in checked.valid:
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
    merged["township"] = merged["township"].fillna("").replace("", "未知乡镇")
    out = {}
    for township, group in merged.groupby("township"):
        table = group[["file", "sheet", "row", "header", "value", "message", "suggestion"]]
        out[str(township)] = table.rename(columns={c: label(c, "zh") for c in table.columns})
    return out


def write_clean(
    frame: pd.DataFrame, kind: str, folder: Path, lang: str = "zh"
) -> tuple[Path, Path]:
    """``<kind>-clean.xlsx`` and ``.csv``: the consolidated valid rows with canonical headers."""
    table = frame.copy()
    table.columns = [column_label(kind, c, lang) for c in table.columns]
    stem = f"{kind}-clean"
    # full IDs, phones and bank accounts: readable by their owner only
    sheets = [Sheet(text(f"kind_{kind}", lang), table)]
    xlsx = write_workbook(Path(folder) / f"{stem}.xlsx", sheets, private=True)
    csv = write_csv(table, Path(folder) / f"{stem}.csv", private=True)
    return xlsx, csv
