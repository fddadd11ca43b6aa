"""The files ``reconcile`` writes: the month workbook, the warnings CSV, township workbooks.

The month workbook is the county's own working file: its person sheets show full IDs and
it is readable by its owner only.  The township lists (预警名单, one row per person, in
two lists: 需核查 and 需就业服务) mask IDs: they travel to townships by e-mail and paper; they
show the township's own phone numbers, so they are written owner-only too.  The warnings
CSV masks IDs as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.io import names, warning_lists
from fengdu_cli.io.papers import Paper, Table, write_papers
from fengdu_cli.io.reports import problems_frame
from fengdu_cli.io.write import Sheet, move_aside, write_csv
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
# 人员状态 as printed: who, the roster's word and the job; then 参保与匹配: who, insurance and
# how the records were matched (21 columns on one sheet printed at 3 pt)
STATE_WHO = ["township", "village", "name", "id_number"]
STATE_PAPERS = {
    "state": [*STATE_WHO, "household_id", "category", "labor_capacity", "work_status",
              "active_jobs", "employer_name", "employment_type", "region_zh", "start_date",
              "tenure_months"],
    "state_insurance": [*STATE_WHO, "employer_code", "insured_months_current", "insured_m",
                        "last_insured_month", "employers_12m", "match_employment",
                        "match_insurance"],
}  # fmt: skip
# The person state (one row per person, two sheets) stays in the workbook while it opens in
# seconds in Excel or WPS and a clerk can page through it: a township, a small county.  Above
# this it is written to persons-YYYY-MM.csv instead (a 100,000-person county is 2.5 million
# cells, most of the workbook's size and writing time; a province's does not fit a sheet).
PERSON_SHEET_ROWS = 50_000
WORK_REGIONS = ("county", "chongqing", "outside", "shandong", "unknown")


def label(key: str, lang: str) -> str:
    """A header of the reconcile files in ``lang``."""
    return text(f"wb_rc_{key}", lang)


def labels(columns, lang: str) -> dict[str, str]:
    """Headers for ``columns`` (those of the catalogue; others keep their names)."""
    return {c: label(c, lang) for c in columns if has(f"wb_rc_{c}")}


def compared_label(result: Reconciled, key: str, lang: str) -> str:
    """The header of a comparison column (``key``: ``status`` or ``change``): 较上月 only when
    the earlier month stored is the month before; else the month it is compared with is
    named (与2023-06比).  '' when there is no earlier month."""
    previous = result.previous_month
    if not previous:
        return ""
    if previous == dates.add_months(result.month, -1):
        return label(key, lang)
    return text(f"wb_rc_{key}_vs", lang, previous=dates.month_text(previous))


def compared_note(result: Reconciled, lang: str) -> str:
    """What new, resolved and the change are counted against, the month named."""
    previous = result.previous_month
    if not previous:
        return text("wb_rc_first_month", lang)
    last = previous == dates.add_months(result.month, -1)
    key = "wb_rc_compared_last" if last else "wb_rc_compared_gap"
    return text(key, lang, previous=dates.month_text(previous))


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
    heads = labels(table.columns, lang)
    heads["status"] = compared_label(result, "status", lang) or heads["status"]
    return table.rename(columns=heads)


def state_frame(result: Reconciled, lang: str = "zh", *, masked: bool = True) -> pd.DataFrame:
    state = _masked(result.state) if masked else result.state.copy()
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
    table = state[columns].astype(object)
    return table.where(table.notna(), None).rename(columns=labels(columns, lang))


def state_in_book(result: Reconciled) -> bool:
    """Whether the person state is written as sheets of the workbook (else as a CSV)."""
    return len(result.state) <= PERSON_SHEET_ROWS


def state_papers(result: Reconciled, lang: str, title: str) -> list[Paper]:
    """The person state as two printable sheets (人员状态, 参保与匹配), each naming the
    person; IDs in full (the county's copy).  Too many persons for a sheet: one sheet
    saying where they are (:func:`write_state_csv`)."""
    if not state_in_book(result):
        where = text(
            "wb_state_in_csv", lang, n=len(result.state), limit=PERSON_SHEET_ROWS,
            file=names.persons_csv(result.month),
        )  # fmt: skip
        return [Paper(text("wb_sheet_state", lang), [], title=title, lines=[where])]
    frame = state_frame(result, lang, masked=False)
    ids = [label(c, lang) for c in ("id_number", "household_id", "employer_code")]
    papers = []
    for key, columns in STATE_PAPERS.items():
        shown = [label(c, lang) for c in columns if label(c, lang) in frame]
        papers.append(
            Paper(
                text(f"wb_sheet_{key}", lang),
                [Table(frame[shown], text_columns=[c for c in ids if c in shown], cap=12,
                       caps={label("employer_name", lang): 18})],
                page_header=title + text("wb_rc_title_sep", lang) + text(f"wb_sheet_{key}", lang),
            )
        )  # fmt: skip
    return papers


def warnings_paper(result: Reconciled, lang: str, worded: pd.DataFrame, title: str) -> Paper:
    """The county's 预警名单, one row per warning: its name, not its code; the reason wrapped,
    each row as high as its reason."""
    frame = warnings_frame(result, lang, masked=False, worded=worded)
    frame = frame.drop(columns=[label("code", lang)])
    ids = [label(c, lang) for c in ("id_number", "household_id")]
    table = Table(frame, text_columns=ids, cap=12,
                  caps={label("detail", lang): 44, label("check", lang): 14})  # fmt: skip
    return Paper(text("wb_sheet_warnings", lang), [table], title=title, page_header=title)


def undetermined_frame(
    result: Reconciled, lang: str = "zh", *, masked: bool = True
) -> pd.DataFrame:
    """Persons a warning could not be judged for, with why in ``lang`` (IDs masked unless
    ``masked`` is False: the county's own copy)."""
    table = _titled(_masked(result.undetermined) if masked else result.undetermined.copy(), lang)
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


PEOPLE_COLUMNS = ["township", "persons", "labor_capable", "employed_county", "employed_chongqing",
                  "employed_outside", "insured", "matched_employment", "matched_insurance"]  # fmt: skip
CHANGE_COLUMNS = ["new", "resolved", "change"]


def summary_tables(
    result: Reconciled, lang: str, people: dict[str, pd.DataFrame] | None = None
) -> list[Table]:
    """The 汇总 sheet as two tables, numbers as numbers and totals as formulas: persons,
    employment and insurance per township; then warnings per township (by code, persons
    to check and to serve, and — when an earlier month is stored — new, resolved and the
    change; a first month says it has nothing to compare with)."""
    table = township_table(result, lang)
    if people is None:
        people = warning_lists.person_lists(
            result, lang, worded_warnings(result, lang), masked=False
        )
    unknown = text("township_unknown", lang)
    for which in warning_lists.LISTS:
        towns = people[which]["township"].fillna("").replace("", unknown)
        table[f"persons_{which}"] = table["township"].map(towns.value_counts()).fillna(0)
        table[f"persons_{which}"] = table[f"persons_{which}"].astype(int)
    first = table[PEOPLE_COLUMNS].rename(columns=labels(PEOPLE_COLUMNS, lang))
    codes = [c for c in WARNING_CODES if c in table]
    warned = ["township", *codes, "warnings", "persons_check", "persons_service"]
    if result.previous_month:
        warned += CHANGE_COLUMNS
    second = table[warned].rename(
        columns={
            **labels(warned, lang),
            **{code: warning_title(code, lang) for code in codes},
            "persons_check": text("wb_rc_persons_check", lang),
            "persons_service": text("wb_rc_persons_service", lang),
            **({"change": compared_label(result, "change", lang)} if result.previous_month else {}),
        }
    )
    total = text("total", lang)
    note = compared_note(result, lang)
    return [
        Table(first, heading=text("wb_rc_sum_people", lang), total=total, cap=12),
        Table(second, heading=text("wb_rc_sum_warnings", lang), total=total, cap=12, note=note),
    ]


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
        {
            item: compared_label(result, "status", lang) or label("status", lang),
            note: text("wb_rc_note_compared", lang, previous=previous),
        },
        {item: label("id_number", lang), note: text("wb_rc_note_full_ids", lang)},
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

    def title(key: str) -> str:
        return text(f"wb_rc_title_{key}", lang, county=county, month=month)

    def sheet(key: str) -> str:
        return text(f"wb_sheet_{key}", lang)

    county_people = warning_lists.person_lists(result, lang, worded, masked=False)
    compared = compared_label(result, "status", lang)
    papers: list[Paper | Sheet] = [
        Paper(sheet("summary"), summary_tables(result, lang, county_people), title=title("summary")),
        warnings_paper(result, lang, worded, title("warnings")),
        *_list_papers(county_people, county, month, lang, with_township=True, compared=compared),
        *state_papers(result, lang, title("summary")),
        Sheet(sheet("undetermined"), undetermined_frame(result, lang, masked=False),
              title=title("undetermined")),
        Sheet(sheet("bad_data"), problems_all(result, lang)),
        Sheet(sheet("notes_rc"), notes_frame(result, lang)),
    ]  # fmt: skip
    book = out / names.reconcile_book(result.month)
    # the county's working file: full IDs, readable by its owner only
    written = [write_papers(book, papers, created=created, lang=lang, private=True)]
    csv = _masked(worded)
    written.append(write_csv(csv[OUTPUT_COLUMNS], out / names.warnings_csv(result.month)))
    persons = out / names.persons_csv(result.month)
    if not state_in_book(result):
        written.append(write_state_csv(result, persons, lang))
    else:  # an earlier run's list of this month would contradict the workbook
        move_aside(out, persons.name, [])
    if split_by_township:
        towns: list[Path] = []
        lists = warning_lists.person_lists(result, lang, worded, masked=True)
        unknown = text("township_unknown", "zh")
        every = sorted(set(lists["check"]["township"]) | set(lists["service"]["township"]))
        for township in every:
            name = str(township) or unknown  # a file name: as DESIGN says
            shown = str(township) or text("township_unknown", lang)
            own = {k: v[v["township"] == township] for k, v in lists.items()}
            written.append(
                write_papers(
                    out / "townships" / names.township_warnings(result.month, name),
                    _list_papers(own, shown, month, lang, with_township=False, compared=compared),
                    created=created,
                    lang=lang,
                    private=True,  # the township's phone numbers in full
                )
            )
            towns.append(written[-1])
        move_aside(out / "townships", names.township_warnings(result.month, "*"), towns)
    return written


def write_state_csv(result: Reconciled, target: Path, lang: str = "zh") -> Path:
    """The person state, one row per person with the columns of both state sheets, as
    ``target`` (UTF-8 with BOM, headers in ``lang``, IDs in full: readable by its owner
    only, as the county's workbook)."""
    frame = state_frame(result, lang, masked=False)
    columns = dict.fromkeys(label(c, lang) for cols in STATE_PAPERS.values() for c in cols)
    frame = frame[[c for c in columns if c in frame]].copy()
    for name in frame.columns:  # dates as the workbook shows them, without a time of day
        if pd.api.types.infer_dtype(frame[name], skipna=True) in ("date", "datetime"):
            frame[name] = pd.to_datetime(frame[name]).dt.strftime("%Y-%m-%d")
    return write_csv(frame, target, private=True)


def _list_papers(
    lists: dict[str, pd.DataFrame],
    where: str,
    month: str,
    lang: str,
    *,
    with_township: bool,
    compared: str,
) -> list[Paper]:
    """The two person lists of ``where`` (a township, or the county): 需核查 and 需就业服务,
    each titled with its count, with a line on what to do."""
    papers = []
    for which in warning_lists.LISTS:
        table = lists[which]
        frame = warning_lists.shown(
            table, which, lang, with_township=with_township, compared=compared
        )
        papers.append(
            Paper(
                text(f"wl_sheet_{which}", lang),
                [
                    Table(
                        frame,
                        text_columns=warning_lists.text_columns(lang),
                        caps=warning_lists.caps(lang),
                        cap=12,
                    )
                ],
                title=text(f"wl_title_{which}", lang, where=where, month=month, n=len(table)),
                paragraph=text(f"wl_note_{which}", lang),
                page_header=text(f"wl_title_{which}", lang, where=where, month=month, n=len(table)),
            )
        )
    return papers
