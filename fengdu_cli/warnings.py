"""The monthly warnings of DESIGN §3, each with its reason and the dates behind it.

Every rule is a yes/no question over the person-state table of
:func:`fengdu_cli.match.person_state`; :func:`raise_warnings` asks them all and
returns one row per (person, code) with the reason as a catalogue key and its parameters
(``detail_key``, ``detail_params``): the writers word it (a sentence a township clerk can
check on the phone) with :func:`fengdu_cli.messages.warnings.warning_details`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps, idcard
from fengdu_cli.match import Matched, Window
from fengdu_cli.normalise import NOT_WORKING, WORKING_STATES
from fengdu_cli.rules.base import JOB_DATES
from fengdu_cli.rules.facts import is_able_to_work

WARNING_CODES = (
    "insurance_stopped", "job_ended", "short_tenure", "frequent_change", "no_record",
    "status_mismatch", "possible_id_typo",
)  # fmt: skip

OUTPUT_COLUMNS = ["township", "village", "household_id", "name", "id_number", "code", "detail"]
# A warning as the library returns it: the reason as a catalogue key and its parameters (dates
# as ISO text, months as YYYY-MM, employer names as typed), worded by
# :func:`fengdu_cli.messages.warnings.warning_details` in the reader's language.
WARNING_COLUMNS = [*OUTPUT_COLUMNS[:-1], "detail_key", "detail_params"]
# The person-state columns the reasons are worded from.
REASON_COLUMNS = ("start_date", "employer_name", "employers_12m", "last_insured_month")


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") and not pd.isna(value) else "?"


def _days(values: pd.Series) -> list[str]:
    """:func:`_d` of every value, each distinct date worded once (blanks: '?')."""
    codes, distinct = pd.factorize(values)
    words = np.array([*(_d(v) for v in distinct), "?"], dtype=object)
    return list(words[codes])


def has_no_record(state: pd.DataFrame) -> pd.Series:
    """No active job at the end of m and no contribution in m."""
    return (state["active_jobs"] == 0) & ~state["insured_m"]


Fact = tuple[pd.Series, tuple[str, ...]]  # (holds, the facts it is judged on)


def warning_facts(state: pd.DataFrame) -> dict[str, list[list[Fact]]]:
    """Each warning as one or more conjunctions of facts (DESIGN §3), each fact with the
    columns it stands on, so a fact that could not be read is told from a fact that is false.
    """
    none = has_no_record(state)
    active = state["active_jobs"] > 0
    status = state.get("work_status", pd.Series("", index=state.index)).fillna("")
    return {
        "insurance_stopped": [[(state["insured_prev"], ()), (~state["insured_m"], ())]],
        "job_ended": [[(state["ended_in_m"] > 0, JOB_DATES), (~active, JOB_DATES)]],
        "short_tenure": [[(active, JOB_DATES), (state["stable3_jobs"] == 0, JOB_DATES)]],
        "frequent_change": [[(state["employers_12m"] >= 3, ("employment.start_date",))]],
        "no_record": [
            [(is_able_to_work(state), ("roster.labor_capacity",)), (none, JOB_DATES)],
        ],
        "status_mismatch": [
            [(status.isin(WORKING_STATES), ("roster.work_status",)), (none, JOB_DATES)],
            [(status.isin(NOT_WORKING), ("roster.work_status",)), (active, JOB_DATES)],
        ],
    }


# The columns each warning is judged on ('kind.column'): what a missing column leaves unjudged.
WARNING_NEEDS: dict[str, tuple[str, ...]] = {
    "insurance_stopped": (),
    "job_ended": JOB_DATES,
    "short_tenure": JOB_DATES,
    "frequent_change": ("employment.start_date",),
    "no_record": ("roster.labor_capacity", *JOB_DATES),
    "status_mismatch": ("roster.work_status", *JOB_DATES),
    "possible_id_typo": (),
}


def judge(state: pd.DataFrame, facts: list[Fact]) -> tuple[pd.Series, pd.Series, tuple[str, ...]]:
    """Three-valued AND: (true, undetermined, needs of the unknown facts).

    True: every fact holds and is known.  Undetermined: no known fact is false, but one is
    unknown.  Otherwise false.
    """
    true = pd.Series(True, index=state.index)
    known_false = pd.Series(False, index=state.index)
    needs: list[str] = []
    for holds, on in facts:
        unknown = gaps.unknown(state, on)
        holds = holds.fillna(False).astype(bool)
        true &= holds & ~unknown
        known_false |= ~holds & ~unknown
        if unknown.any():
            needs.extend(on)
    return true, ~true & ~known_false, tuple(dict.fromkeys(needs))


def undetermined_warnings(state: pd.DataFrame) -> pd.DataFrame:
    """Persons a warning could not be judged for, with why: UNDETERMINED_COLUMNS."""
    parts = []
    for code, variants in warning_facts(state).items():
        raised = pd.Series(False, index=state.index)
        pending = pd.Series(False, index=state.index)
        needs: list[str] = []
        for facts in variants:
            true, undetermined, on = judge(state, facts)
            raised |= true
            pending |= undetermined
            needs.extend(on)
        pending &= ~raised
        if pending.any():
            rows = state[pending]
            parts.append(rows.assign(code=code, reason=gaps.why(rows, tuple(needs))))
    return _stacked(parts, UNDETERMINED_COLUMNS)


UNDETERMINED_COLUMNS = [
    "township",
    "village",
    "household_id",
    "name",
    "id_number",
    "code",
    "reason",
]


def raise_warnings(state: pd.DataFrame, matched: Matched, month: int) -> pd.DataFrame:
    """All warnings at ``month``: WARNING_COLUMNS, one row per person and code.

    A warning is raised only where every fact it stands on is known and holds (see
    :func:`undetermined_warnings` for the rest).  Each reason is worded only for the rows
    that get the warning.
    """
    window = Window(month)
    m, prev = dates.month_text(month), dates.month_text(dates.add_months(month, -1))
    jobs = matched.jobs
    facts = warning_facts(state)
    parts: list[pd.DataFrame] = []
    # the columns a warning row keeps, and those its reason is worded from
    used = [c for c in (*WARNING_COLUMNS[:5], *REASON_COLUMNS) if c in state]

    def holds(code: str, variant: int = 0) -> pd.Series:
        return judge(state, facts[code][variant])[0]

    def add(
        mask: pd.Series, code: str, key: str, params: Callable[[pd.DataFrame], list[dict]]
    ) -> None:
        rows = state.loc[mask, used]
        if not rows.empty:
            said = pd.Series(params(rows), index=rows.index, dtype=object)
            parts.append(rows.assign(code=code, detail_key=key, detail_params=said))

    def by_id(rows: pd.DataFrame, found: dict[str, Any], empty: Any) -> list[Any]:
        return [found.get(i, empty) for i in rows["id_number"]]

    stopped = holds("insurance_stopped")
    last_employer = _last_employer(
        matched, dates.add_months(month, -1), state.loc[stopped, "id_number"]
    )
    add(
        stopped,
        "insurance_stopped",
        "warn_insurance_stopped",
        lambda r: [
            {"previous": prev, "employer": e, "month": m} for e in by_id(r, last_employer, "")
        ],
    )

    ended = holds("job_ended")
    ended_jobs = jobs[jobs["end_date"].between(window.first, window.last)]
    ended_jobs = ended_jobs[ended_jobs["id_number"].isin(state.loc[ended, "id_number"])]
    ended_list = _job_list(ended_jobs, "end_date")
    add(
        ended,
        "job_ended",
        "warn_job_ended",
        lambda r: [{"jobs": j, "month": m} for j in by_id(r, ended_list, [])],
    )

    deadline = _d(window.first_of(2))
    add(
        holds("short_tenure"),
        "short_tenure",
        "warn_short_tenure",
        lambda r: [
            {"start": s, "employer": str(e), "month": m, "deadline": deadline}
            for s, e in zip(_days(r["start_date"]), r["employer_name"], strict=True)
        ],
    )

    frequent = holds("frequent_change")
    started = jobs[jobs["start_date"].between(window.first_of(11), window.last)]
    started = started[started["id_number"].isin(state.loc[frequent, "id_number"])]
    start_list = _job_list(started.sort_values("start_date"), "start_date")
    first = dates.month_text(dates.add_months(month, -11))
    add(
        frequent,
        "frequent_change",
        "warn_frequent_change",
        lambda r: [
            {"first": first, "month": m, "n": str(n), "jobs": j}
            for n, j in zip(r["employers_12m"], by_id(r, start_list, []), strict=True)
        ],
    )

    add(
        holds("no_record"),
        "no_record",
        "warn_no_record",
        lambda r: [
            {"month": m, "last": dates.month_text(int(p)) if not pd.isna(p) else ""}
            for p in r["last_insured_month"]
        ],
    )

    status = state.get("work_status", pd.Series("", index=state.index)).fillna("")
    add(
        holds("status_mismatch", 0),
        "status_mismatch",
        "warn_status_working",
        lambda r: [{"status": str(s), "month": m} for s in status[r.index]],
    )
    add(
        holds("status_mismatch", 1),
        "status_mismatch",
        "warn_status_not_working",
        lambda r: [
            {"status": str(s), "employer": str(e), "start": d}
            for s, e, d in zip(
                status[r.index], r["employer_name"], _days(r["start_date"]), strict=True
            )
        ],
    )

    return _stacked(parts, WARNING_COLUMNS)


def _stacked(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The parts one under the other, with exactly ``columns`` (blank where a part lacks one)."""
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True).reindex(columns=columns, fill_value="")
    return out.fillna("")


def _job_list(jobs: pd.DataFrame, date_column: str) -> dict[str, list[dict[str, str]]]:
    """Per person: their jobs as [{employer, date}] (employer name, else credit code)."""
    if jobs.empty:
        return {}
    names = jobs["employer_name"].where(
        jobs["employer_name"].astype(str) != "", jobs["employer_code"]
    )
    out: dict[str, list[dict[str, str]]] = {}
    for person, name, day in zip(
        jobs["id_number"].astype(str), names.astype(str), _days(jobs[date_column]), strict=True
    ):
        out.setdefault(person, []).append({"employer": name, "date": day})
    return out


def _last_employer(matched: Matched, month: int, ids: pd.Series) -> dict[str, str]:
    """Per person of ``ids``: the employer of their last contribution row of ``month`` (its
    name, else its code)."""
    contrib = matched.contrib[matched.contrib["period"] == month]
    contrib = contrib[contrib["id_number"].isin(ids)]
    names = contrib.get("employer_name", contrib["employer_code"]).fillna("")
    label = names.where(names.astype(str) != "", contrib["employer_code"])
    return dict(zip(contrib["id_number"], label.astype(str), strict=False))


def typo_suggestions(
    unmatched: pd.DataFrame,
    records: pd.DataFrame,
    on: dt.date,
) -> pd.DataFrame:
    """``possible_id_typo``: for roster rows whose ID failed its check digit or found no
    record, the one employment/insurance ID with the same name that is a single digit or
    one adjacent swap away.  Suggestions only: nothing is linked.

    ``unmatched``: township, village, household_id, name, id_number (normalised text).
    ``records``: id_number, name, source (the kind of record: 'employment' / 'insurance') of
    IDs not on the roster.
    """
    if unmatched.empty or records.empty:
        return pd.DataFrame(columns=WARNING_COLUMNS)
    by_name = records.drop_duplicates(["name", "id_number"]).groupby("name")
    pool = {name: dict(zip(g["id_number"], g["source"], strict=False)) for name, g in by_name}
    rows = []
    for rec in unmatched.to_dict("records"):
        ids = pool.get(rec["name"])
        if not ids or len(rec["id_number"]) != 18:
            continue
        hits = [c for c in idcard.typo_candidates(rec["id_number"], on) if c in ids]
        if len(hits) != 1:
            continue
        hit = hits[0]
        rows.append(
            {
                **{k: rec.get(k, "") for k in WARNING_COLUMNS},
                "code": "possible_id_typo",
                "detail_key": "warn_id_typo",
                "detail_params": {"kind": ids[hit], "found": idcard.mask(hit),
                                  **_difference(rec["id_number"], hit)},
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=WARNING_COLUMNS)


def _difference(typed: str, other: str) -> dict[str, Any]:
    """Where two IDs differ: the 1-based positions, and the digits when only one differs."""
    diff = [i for i in range(18) if typed[i] != other[i]]
    one = {"typed": typed[diff[0]], "recorded": other[diff[0]]} if len(diff) == 1 else {}
    return {"positions": [i + 1 for i in diff], **one}
