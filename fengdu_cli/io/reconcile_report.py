"""The files ``reconcile`` writes: the month workbook, the warnings CSV, township workbooks.

IDs are masked in every one of them: these lists travel to townships by e-mail and
paper.  The database keeps the full IDs for the bureau's own matching.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.io import names
from fengdu_cli.io.reports import problems_frame
from fengdu_cli.io.write import Sheet, move_aside, write_csv, write_workbook
from fengdu_cli.messages import has, in_words, month_words, text
from fengdu_cli.messages.warnings import with_detail
from fengdu_cli.reconcile import Reconciled, township_table
from fengdu_cli.warnings import OUTPUT_COLUMNS, WARNING_CODES

TOWNSHIP_COLUMNS = ["township", "persons", "labor_capable", "employed_county",
                    "employed_chongqing", "employed_outside", "insured", "matched_employment",
                    "matched_insurance", "warnings", "new", "resolved", "change"]  # fmt: skip
STATE_COLUMNS = ["township", "village", "household_id", "name", "id_number", "category",
                 "labor_capacity", "work_status", "active_jobs", "employer_name", "employer_code",
                 "employment_type", "region_zh", "start_date", "tenure_months",
                 "insured_months_current", "insured_m", "last_insured_month", "employers_12m",
                 "match_employment", "match_insurance"]  # fmt: skip
WORK_REGIONS = ("county", "chongqing", "outside", "shandong", "unknown")


def label(key: str, lang: str) -> str:
    """A header of the reconcile files in ``lang``."""
    return text(f"wb_rc_{key}", lang)


def labels(columns, lang: str) -> dict[str, str]:
    """Headers for ``columns`` (those of the catalogue; others keep their names)."""
    return {c: label(c, lang) for c in columns if has(f"wb_rc_{c}")}


def warning_title(code: str, lang: str) -> str:
    return text(f"wb_warn_title_{code}", lang)


def _created(month: int) -> dt.datetime:
    """A fixed creation time, so re-running a month writes identical files."""
    last = dates.last_day(month)
    return dt.datetime(last.year, last.month, last.day)


def _masked(table: pd.DataFrame) -> pd.DataFrame:
    """IDs masked; an ID or a phone typed where 户编号 goes masked too."""
    table = table.copy()
    table["id_number"] = table["id_number"].map(idcard.mask)
    if "household_id" in table:
        table["household_id"] = table["household_id"].map(idcard.mask_if_personal)
    return table


def _titled(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The warning's title in the column after its code."""
    titles = table["code"].map(lambda code: warning_title(code, lang))
    table.insert(list(table.columns).index("code") + 1, "title", titles)
    return table


def worded_warnings(result: Reconciled, lang: str) -> pd.DataFrame:
    """The month's warnings with their reasons in ``lang`` (the library words them in
    Chinese once, for the snapshot)."""
    if lang == "zh" and "detail" in result.warnings:
        return result.warnings
    return with_detail(result.warnings, lang)


def warnings_frame(
    result: Reconciled,
    lang: str = "zh",
    *,
    masked: bool = True,
    worded: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The warnings list as sent: headers and reasons in ``lang``, IDs masked."""
    table = (worded if worded is not None else worded_warnings(result, lang)).copy()
    if masked:
        table = _masked(table)
    table = table[[*OUTPUT_COLUMNS, "status"]]
    statuses = {"新增": text("status_new", lang), "持续": text("status_continuing", lang)}
    table["status"] = table["status"].map(lambda s: statuses.get(s, s))
    table = _titled(table, lang)
    table["check"] = ""
    return table.rename(columns=labels(table.columns, lang))


def state_frame(result: Reconciled, lang: str = "zh") -> pd.DataFrame:
    state = _masked(result.state)
    regions = {r: text(f"wb_work_region_{r}", lang) for r in WORK_REGIONS}
    state["region_zh"] = state["region"].map(lambda r: regions.get(r, "") if r else "")
    state["insured_m"] = state["insured_m"].map(
        {True: text("wb_yes", lang), False: text("wb_no", lang)}
    )
    state["last_insured_month"] = state["last_insured_month"].map(
        lambda p: dates.month_text(int(p)) if not pd.isna(p) else ""
    )
    how = {
        "exact": text("wb_match_exact", lang),
        "repaired": text("wb_match_repaired", lang),
        "": text("wb_match_none", lang),
    }
    state["match_employment"] = state["match_employment"].map(how)
    state["match_insurance"] = state["match_insurance"].map(how)
    columns = [c for c in STATE_COLUMNS if c in state]
    return state[columns].rename(columns=labels(columns, lang))


def undetermined_frame(result: Reconciled, lang: str = "zh") -> pd.DataFrame:
    """Persons a warning could not be judged for, with why in ``lang`` (IDs masked)."""
    table = _titled(_masked(result.undetermined), lang)
    table["reason"] = table["reason"].map(lambda reasons: in_words(reasons, lang))
    return table.rename(columns=labels(table.columns, lang))


def township_summary(result: Reconciled, lang: str = "zh") -> pd.DataFrame:
    """Per township (and a total row): TOWNSHIP_COLUMNS and the warnings by code."""
    table = township_table(result, lang)
    total = table.drop(columns="township").sum()
    return pd.concat(
        [table, pd.DataFrame([{"township": text("total", lang), **total.to_dict()}])],
        ignore_index=True,
    )


def summary_frame(result: Reconciled, lang: str = "zh") -> pd.DataFrame:
    table = township_summary(result, lang)
    titles = {code: warning_title(code, lang) for code in WARNING_CODES}
    return table.rename(columns={**labels(TOWNSHIP_COLUMNS, lang), **titles})


def problems_all(result: Reconciled, lang: str = "zh") -> pd.DataFrame:
    kind_label = label("kind", lang)
    frames = []
    for kind, checked in result.checked.items():
        if len(checked.problems):
            frames.append(
                problems_frame(checked, lang).assign(**{kind_label: text(f"kind_{kind}", lang)})
            )
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[kind_label, text("wb_file", lang), text("wb_message", lang)])
    )


def notes_frame(result: Reconciled, lang: str = "zh") -> pd.DataFrame:
    item, note = text("wb_item", lang), text("wb_note", lang)
    previous = (
        dates.month_text(result.previous_month)
        if result.previous_month
        else text("wb_rc_note_no_previous", lang)
    )
    rows = [
        {item: f"{code} {warning_title(code, lang)}", note: text(f"wb_warn_meaning_{code}", lang)}
        for code in WARNING_CODES
    ]
    rows += [
        {item: label("status", lang), note: text("wb_rc_note_compared", lang, previous=previous)},
        {item: label("id_number", lang), note: text("wb_rc_note_masked", lang)},
        {item: label("match_employment", lang), note: text("wb_rc_note_matching", lang)},
    ]
    for kind, counts in result.inputs.items():
        rows.append(
            {
                item: text("wb_rc_note_rows_item", lang, kind=kind),
                note: text("wb_rc_note_rows", lang, **counts),
            }
        )
    return pd.DataFrame(rows)


def write_reconcile(
    result: Reconciled, out: Path, *, split_by_township: bool = False, lang: str = "zh"
) -> list[Path]:
    """Write ``reconcile-YYYY-MM.xlsx``, ``warnings-YYYY-MM.csv`` and, if asked, one
    workbook of warnings per township, in ``lang`` (the file names are the same in every
    language)."""
    out = Path(out)
    month = month_words(result.month, lang)
    county = text("wb_county", lang)
    created = _created(result.month)
    worded = worded_warnings(result, lang)
    warnings = warnings_frame(result, lang, worded=worded)

    def title(key: str) -> str:
        return text(f"wb_rc_title_{key}", lang, county=county, month=month)

    def sheet(key: str) -> str:
        return text(f"wb_sheet_{key}", lang)

    sheets = [
        Sheet(sheet("summary"), summary_frame(result, lang), title=title("summary")),
        Sheet(sheet("warnings"), warnings, title=title("warnings")),
        Sheet(sheet("state"), state_frame(result, lang)),
        Sheet(sheet("undetermined"), undetermined_frame(result, lang), title=title("undetermined")),
        Sheet(sheet("bad_data"), problems_all(result, lang)),
        Sheet(sheet("notes_rc"), notes_frame(result, lang)),
    ]
    book = out / names.reconcile_book(result.month)
    written = [write_workbook(book, sheets, created=created, lang=lang)]
    csv = _masked(worded)
    written.append(write_csv(csv[OUTPUT_COLUMNS], out / names.warnings_csv(result.month)))
    if split_by_township:
        towns: list[Path] = []
        for township, group in warnings.groupby(label("township", lang), sort=True):
            name = str(township) or text("township_unknown", "zh")  # a file name: as DESIGN says
            shown = str(township) or text("township_unknown", lang)
            town_title = text("wb_rc_title_township", lang, township=shown, month=month)
            written.append(
                write_workbook(
                    out / "townships" / names.township_warnings(result.month, name),
                    [Sheet(sheet("warnings"), group, title=town_title)],
                    created=created,
                    lang=lang,
                )
            )
            towns.append(written[-1])
        move_aside(out / "townships", names.township_warnings(result.month, "*"), towns)
    return written
