"""The monthly warnings of DESIGN §3, each with a Chinese reason and the dates behind it.

Every rule is a yes/no question over the person-state table of
:func:`fengdu_cli.match.person_state`; :func:`raise_warnings` asks them all and
returns one row per (person, code) with ``detail`` saying why, in words a township clerk
can check on the phone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

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

WARNING_TITLES = {
    "insurance_stopped": "社保断缴",
    "job_ended": "就业终止",
    "short_tenure": "就业不满3个月",
    "frequent_change": "频繁更换单位",
    "no_record": "无就业无参保",
    "status_mismatch": "填报状态与数据不符",
    "possible_id_typo": "身份证号码可能录错",
}

WARNING_MEANINGS = {
    "insurance_stopped": "上月有社保缴费，本月无缴费",
    "job_ended": "本月有就业登记终止，且月末无在岗就业",
    "short_tenure": "月末在岗，但没有一份在岗就业已满3个月",
    "frequent_change": "近12个月内开始的就业涉及3家及以上不同单位",
    "no_record": "有劳动能力，月末无在岗就业且本月无社保缴费",
    "status_mismatch": "花名册填“务工”但无就业无参保，或填“未务工”但有在岗就业",
    "possible_id_typo": "花名册号码未匹配到记录，而同名人员的记录号码仅差一位或相邻两位颠倒",
}

OUTPUT_COLUMNS = ["township", "village", "household_id", "name", "id_number", "code", "detail"]


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") and not pd.isna(value) else "?"


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
    """All warnings at ``month``: OUTPUT_COLUMNS, one row per person and code.

    A warning is raised only where every fact it stands on is known and holds (see
    :func:`undetermined_warnings` for the rest).  Each reason is worded only for the rows
    that get the warning.
    """
    window = Window(month)
    prev_zh, m_zh = dates.month_zh(dates.add_months(month, -1)), dates.month_zh(month)
    jobs = matched.jobs
    facts = warning_facts(state)
    parts: list[pd.DataFrame] = []

    def holds(code: str, variant: int = 0) -> pd.Series:
        return judge(state, facts[code][variant])[0]

    def add(mask: pd.Series, code: str, detail: Callable[[pd.DataFrame], pd.Series]) -> None:
        rows = state[mask]
        if not rows.empty:
            parts.append(rows.assign(code=code, detail=detail(rows).astype(str)))

    def by_id(rows: pd.DataFrame, texts: dict[str, str]) -> pd.Series:
        return rows["id_number"].map(texts).astype(object).fillna("")

    last_employer = _last_employer(matched, dates.add_months(month, -1))
    add(
        holds("insurance_stopped"),
        "insurance_stopped",
        lambda r: f"{prev_zh}有社保缴费（" + by_id(r, last_employer) + f"），{m_zh}无缴费",
    )

    ended = holds("job_ended")
    ended_jobs = jobs[jobs["end_date"].between(window.first, window.last)]
    ended_jobs = ended_jobs[ended_jobs["id_number"].isin(state.loc[ended, "id_number"])]
    ended_text = _job_list(ended_jobs, "end_date", "{name}于{date}结束")
    add(ended, "job_ended", lambda r: by_id(r, ended_text) + f"，{m_zh}末无在岗就业")

    add(
        holds("short_tenure"),
        "short_tenure",
        lambda r: (
            "自"
            + r["start_date"].map(_d)
            + "起在"
            + r["employer_name"].astype(str)
            + f"就业，至{m_zh}末不满3个月（需在{_d(window.first_of(2))}或之前入职）"
        ),
    )

    frequent = holds("frequent_change")
    started = jobs[jobs["start_date"].between(window.first_of(11), window.last)]
    started = started[started["id_number"].isin(state.loc[frequent, "id_number"])]
    start_text = _job_list(started.sort_values("start_date"), "start_date", "{name}（{date}）")
    span = f"{dates.month_zh(dates.add_months(month, -11))}至{m_zh}"
    add(
        frequent,
        "frequent_change",
        lambda r: (
            f"{span}先后入职" + r["employers_12m"].astype(str) + "家单位：" + by_id(r, start_text)
        ),
    )

    add(
        holds("no_record"),
        "no_record",
        lambda r: (
            f"有劳动能力，{m_zh}末无在岗就业登记，当月无社保缴费（最近缴费："
            + r["last_insured_month"].map(
                lambda p: dates.month_zh(int(p)) if not pd.isna(p) else "无"
            )
            + "）"
        ),
    )

    status = state.get("work_status", pd.Series("", index=state.index)).fillna("")
    add(
        holds("status_mismatch", 0),
        "status_mismatch",
        lambda r: "花名册填报“" + status[r.index] + f"”，但{m_zh}末无在岗就业登记，当月无社保缴费",
    )
    add(
        holds("status_mismatch", 1),
        "status_mismatch",
        lambda r: (
            "花名册填报“"
            + status[r.index]
            + "”，但在"
            + r["employer_name"].astype(str)
            + "就业（"
            + r["start_date"].map(_d)
            + "起）"
        ),
    )

    return _stacked(parts, OUTPUT_COLUMNS)


def _stacked(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The parts one under the other, with exactly ``columns`` (blank where a part lacks one)."""
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True).reindex(columns=columns)
    return out.fillna("")


def _job_list(jobs: pd.DataFrame, date_column: str, template: str) -> dict[str, str]:
    """Per person: their jobs as '单位（日期）、单位（日期）' (employer name, else credit code)."""
    if jobs.empty:
        return {}
    names = jobs["employer_name"].where(
        jobs["employer_name"].astype(str) != "", jobs["employer_code"]
    )
    items = [
        template.format(name=n, date=_d(d))
        for n, d in zip(names.astype(str), jobs[date_column], strict=True)
    ]
    joined = pd.Series(items, index=jobs.index).groupby(jobs["id_number"]).agg("、".join)
    return {str(k): str(v) for k, v in joined.items()}


def _last_employer(matched: Matched, month: int) -> dict[str, str]:
    contrib = matched.contrib[matched.contrib["period"] == month]
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
    ``records``: id_number, name, source ('就业登记' / '社保缴费') of IDs not on the roster.
    """
    if unmatched.empty or records.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
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
        where = _difference(rec["id_number"], hit)
        detail = (
            f"花名册号码未匹配到记录；{ids[hit]}中同名人员号码为 {idcard.mask(hit)}，"
            f"与花名册{where}，建议核对：可能为 {idcard.mask(hit)}"
        )
        rows.append(
            {
                **{k: rec.get(k, "") for k in OUTPUT_COLUMNS},
                "code": "possible_id_typo",
                "detail": detail,
            }
        )
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)


def _difference(typed: str, other: str) -> str:
    diff = [i for i in range(18) if typed[i] != other[i]]
    if len(diff) == 1:
        i = diff[0]
        return f"第{i + 1}位不同（花名册为{typed[i]}，记录为{other[i]}）"
    if len(diff) == 2:
        return f"第{diff[0] + 1}、{diff[1] + 1}位前后颠倒"
    return "号码不同"
