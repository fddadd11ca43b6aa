"""The month's warnings as the townships act on them: one row per person, in two lists.

需核查 (to check): the data contradict the roster or changed — a stopped contribution, an
ended job, a short tenure, frequent changes, a status that contradicts the data, a
possibly mistyped ID, or no record where the roster does not say 未务工.  需就业服务
(employment services): able to work, no job and no contribution, and the roster agrees
(未务工) — the people the notice wants offered 职业指导 and 岗位推送.  A person with any
warning to check is on the first list.  The warning codes and their counts are unchanged:
this only groups them by person for the papers.
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.messages import text
from fengdu_cli.reconcile import Reconciled
from fengdu_cli.warnings import WARNING_CODES

SERVICE_STATUS = ("未务工",)  # the roster agrees the person is not working
LISTS = ("check", "service")

PERSON_COLUMNS = ["township", "village", "household_id", "name", "id_number", "phone",
                  "work_status", "warnings", "detail", "action", "status", "check"]  # fmt: skip


def _phones(result: Reconciled) -> pd.Series:
    """The roster's phone per ID, as the township typed it (normalised to text)."""
    roster = result.checked.get("roster")
    if roster is None or "phone" not in roster.valid:
        return pd.Series(dtype=object)
    valid = roster.valid
    phones = valid["phone"].where(valid["phone"].notna(), "").astype(str)
    phones = phones.str.replace(r"\.0$", "", regex=True)
    return (
        pd.Series(phones.to_numpy(), index=valid["id_number"].astype(str)).groupby(level=0).first()
    )


def _rejected_rows(result: Reconciled) -> pd.DataFrame:
    """Phone and work status per ID (normalised as typed) from the roster rows that were
    rejected: a possibly mistyped ID (possible_id_typo) is about such a row, and the
    township needs its phone and status to check it."""
    roster = result.checked.get("roster")
    columns = ["phone", "work_status"]
    if roster is None or roster.rejected.empty or "id_number" not in roster.rejected:
        return pd.DataFrame(columns=columns)
    rejected = roster.rejected
    table = pd.DataFrame(
        {
            c: (
                rejected[c].map(_typed)
                if c in rejected
                else pd.Series("", index=rejected.index, dtype=object)
            )
            for c in columns
        }
    )
    table.index = rejected["id_number"].map(lambda v: idcard.normalise(str(v)))
    return table[~table.index.duplicated()]


def _typed(value: object) -> str:
    if dates.is_blank(value):
        return ""
    if isinstance(value, float):
        return idcard.excel_number_text(value)
    return str(value).strip()


def person_lists(
    result: Reconciled, lang: str, worded: pd.DataFrame, *, masked: bool
) -> dict[str, pd.DataFrame]:
    """``{'check': …, 'service': …}``: one row per person (PERSON_COLUMNS, internal names),
    their warnings joined, the reasons one per line, what to do per warning; IDs masked
    when ``masked`` (the townships' copies)."""
    warn = worded.copy()
    if warn.empty:
        empty = pd.DataFrame(columns=PERSON_COLUMNS)
        return {"check": empty, "service": empty.copy()}
    order = {code: i for i, code in enumerate(WARNING_CODES)}
    warn["_order"] = warn["code"].map(order)
    warn = warn.sort_values(["id_number", "_order"], kind="stable")
    state = result.state
    status_of = (
        pd.Series(state["work_status"].fillna("").to_numpy(), index=state["id_number"])
        if "work_status" in state
        else pd.Series(dtype=object)
    )
    status_of = status_of[~status_of.index.duplicated()]
    # a person whose roster row was rejected (a possibly mistyped ID): that row's own status
    rejected = _rejected_rows(result)
    warn["work_status"] = (
        warn["id_number"].map(status_of).fillna("").replace("", pd.NA)
        .fillna(warn["id_number"].map(rejected["work_status"])).fillna("")
    )  # fmt: skip
    titles = {c: text(f"wb_warn_title_{c}", lang) for c in WARNING_CODES}
    actions = {c: text(f"wl_action_{c}", lang) for c in WARNING_CODES}
    warn["_title"] = warn["code"].map(titles)
    warn["_action"] = warn["code"].map(actions)
    warn["_line"] = warn["_title"] + text("wl_title_sep", lang) + warn["detail"].astype(str)
    sep, action_sep = text("note_sep", lang), text("wl_action_sep", lang)
    # where the roster's status contradicts the data, that check covers no_record's
    contradicted = warn.loc[warn["code"] == "status_mismatch", "id_number"]
    covered = (warn["code"] == "no_record") & warn["id_number"].isin(contradicted)
    warn.loc[covered, "_action"] = actions["status_mismatch"]
    people = _per_person(warn, sep, action_sep)
    service = people["only_no_record"] & people["work_status"].isin(SERVICE_STATUS)
    people.loc[service, "action"] = text("wl_action_service", lang)
    ids = people["id_number"].astype(str)
    people["phone"] = (
        ids.map(_phones(result)).replace("", pd.NA).fillna(ids.map(rejected["phone"])).fillna("")
    )
    statuses = {True: text("status_new", lang), False: text("status_continuing", lang)}
    people["status"] = people["new"].map(statuses) if result.previous_month else ""
    people["check"] = ""
    if masked:
        people["id_number"] = people["id_number"].map(idcard.mask)
        people["household_id"] = people["household_id"].map(idcard.mask_if_personal)
    people = people.sort_values(["township", "village", "household_id", "name"], kind="stable")
    out = people[PERSON_COLUMNS]
    return {
        "check": out[~service.loc[out.index]].reset_index(drop=True),
        "service": out[service.loc[out.index]].reset_index(drop=True),
    }


def _per_person(warn: pd.DataFrame, sep: str, action_sep: str) -> pd.DataFrame:
    """One row per ID of ``warn`` (sorted by ID, then warning order), in ID order.

    Most people have one warning: their row is taken as it is.  Only the rows of people
    with several are grouped, and their texts joined in Python (titles and actions once
    each, in order; the reasons one per line)."""
    ids = warn["id_number"]
    n = ids.map(ids.value_counts(sort=False))
    one = warn[n == 1]
    single = pd.DataFrame(
        {
            "id_number": one["id_number"],
            "township": one["township"],
            "village": one["village"],
            "household_id": one["household_id"],
            "name": one["name"],
            "work_status": one["work_status"],
            "warnings": one["_title"],
            "detail": one["detail"],
            "action": one["_action"],
            "only_no_record": one["code"] == "no_record",
            "new": one["status"] == "新增",
        }
    )
    several = warn[n > 1]
    grouped = several.groupby("id_number", sort=False)
    multi = grouped.agg(
        township=("township", "first"),
        village=("village", "first"),
        household_id=("household_id", "first"),
        name=("name", "first"),
        work_status=("work_status", "first"),
        warnings=("_title", lambda s: sep.join(dict.fromkeys(s))),
        detail=("_line", "\n".join),
        action=("_action", lambda s: action_sep.join(dict.fromkeys(s))),
    ).reset_index()
    multi["only_no_record"] = (
        (several["code"] == "no_record").groupby(several["id_number"], sort=False).all().to_numpy()
    )
    multi["new"] = (
        (several["status"] == "新增").groupby(several["id_number"], sort=False).any().to_numpy()
    )
    people = pd.concat([single, multi], ignore_index=True)
    order = pd.Index(ids.drop_duplicates())
    return people.iloc[order.get_indexer(people["id_number"]).argsort()].reset_index(drop=True)


def shown(
    table: pd.DataFrame, which: str, lang: str, *, with_township: bool, compared: str
) -> pd.DataFrame:
    """A person list with its headers in ``lang``: the township column only in the county's
    copy, the comparison (``compared``: its header, 较上月 or 与2023-06比) only when there is
    an earlier month to compare with."""
    columns = [c for c in PERSON_COLUMNS if with_township or c != "township"]
    if not compared:
        columns.remove("status")
    heads = {c: text(f"wl_col_{c}", lang) for c in columns}
    if compared:
        heads["status"] = compared
    if which == "service":
        heads["check"] = text("wl_col_service_done", lang)
    return table[columns].rename(columns=heads)


def text_columns(lang: str) -> list[str]:
    """The columns written as text cells (IDs, 户编号, phones)."""
    return [text(f"wl_col_{c}", lang) for c in ("household_id", "id_number", "phone")]


def caps(lang: str) -> dict[str, float]:
    """How wide the sentence columns may grow before they wrap."""
    return {
        text("wl_col_detail", lang): 40,
        text("wl_col_action", lang): 28,
        text("wl_col_warnings", lang): 14,
        text("wl_col_check", lang): 16,
        text("wl_col_service_done", lang): 16,
        text("wl_col_id_number", lang): 20,
        text("wl_col_household_id", lang): 18,
    }
