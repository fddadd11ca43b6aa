"""培训补贴及生活费 (training) — paid to the trainee, once per trainee and course.

Notice 三(二)1: “实施劳动力职业技能提升工程，加大脱贫人口、农村低收入人口职业技能培训（包括创业培训）
力度，按规定继续给予培训补贴和生活费（含交通费）补贴。”  The amounts are 按规定 (未配置 in the
bundled policy).

A candidate is a row of the training list (training/) that is not 以工代训.  It is paid when
the trainee is on the roster as 脱贫人口 or 农村低收入人口 (the policy's categories), the course
is 职业技能培训 or 创业培训, it ended from ``ended_from`` to the end of m, and the trainee
passed (a 考核结果 of 合格 / a certificate; one that says 不合格 never passes; a blank result
with a certificate number passes).  The amount is the policy's amount for the type of
course plus the living allowance per day attended × days — the list's 出勤天数, else its
学时 at 8 a day (whole days), else the course's days from start to end; never more days
than the course has (本工具的理解).  出勤天数 and 学时 are whole numbers from 1 to 366 days
(2928 学时): anything else is bad_number when read, and the trainee is 无法判断 (the living
allowance cannot be computed) while a living allowance is configured.

Once per trainee and course: the ledger token is ``训:<ID>@<course>@<end date>``, and also
``训:<ID>@证:<certificate>`` when the row gives a certificate number, so a past list keyed by
either is matched (:func:`history_key`).  In the month's list, rows that share any token with
an earlier eligible row (the same course written differently but the same certificate, the
same course and 结业日期 with another certificate, …) are the same training: paid once.
A past line's amount fits the policy when it is a course amount plus a whole number of days
of the living allowance (:func:`history_amount_fits`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pandas as pd

from fengdu_cli import gaps
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.normalise import CERTIFIED, FAILED, PASSED, SKILL, STARTUP
from fengdu_cli.policy.schema import TrainingValues
from fengdu_cli.rules.base import (
    Condition,
    Context,
    HistoryKeyError,
    condition_said,
    finish,
    person_unknowns,
)
from fengdu_cli.rules.on_the_job import bad_number_reasons, person_of_rows, with_blank_gaps

CODE = "training"
NEEDS: tuple[str, ...] = ("training",)
VALUES = TrainingValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("category", "cond_category", ("roster.category",)),
    Condition("course_type", "cond_training_course_type", ("training.training_type",)),
    Condition("ended", "cond_training_ended", ("training.end_date",)),
    Condition("passed", "cond_training_passed", ("training.result",)),
    Condition("attendance", "cond_training_attendance", ("training.days",)),
    Condition("once", "cond_training_once"),
)
KIND = "training"
HOURS_PER_DAY = 8  # 学时 → days attended, whole days only (本工具的理解)
MOST_DAYS = 366  # 出勤天数: a whole number from 1 to this (本工具的理解)
MOST_HOURS = MOST_DAYS * HOURS_PER_DAY  # 学时 likewise
NOT_COURSES = ("以工代训", "鲁渝协作以工代训")


def course_name(course: object) -> str:
    """A course's name as compared: half-width (NFKC), without spaces."""
    return "".join(unicodedata.normalize("NFKC", str(course or "")).split())


def course_token(id_number: str, course: object, end: object) -> str:
    """``训:<ID>@<course>@<end date>`` (the course as :func:`course_name`, the date as
    YYYY-MM-DD)."""
    day = pd.Timestamp(str(end)).strftime("%Y-%m-%d") if not _blank(end) else "?"
    return f"训:{id_number}@{course_name(course)}@{day}"


def certificate_token(id_number: str, certificate: object) -> str:
    """``训:<ID>@证:<certificate number>``."""
    return f"训:{id_number}@证:{''.join(str(certificate).split()).upper()}"


def _blank(value: object) -> bool:
    return (
        value is None
        or value is pd.NaT
        or value is pd.NA
        or (isinstance(value, float) and value != value)  # NaN
        or (isinstance(value, str) and not value.strip())
    )


def history_key(row: Mapping[str, object], person: str, month: int) -> tuple[str, str]:
    """(key_base, identities) of a past 培训补贴 payment: by its course and 结业日期, and by
    its certificate number — whichever the list gives.  A list with neither cannot say
    which course was paid (a trainee may be paid for two): HistoryKeyError, never a guess.
    Our own payments CSV says it in its ``key`` column ('<ID>@<course>@<end date>')."""
    del month  # once per course, whenever it was paid
    course, end, certificate = row.get("course"), row.get("course_end"), row.get("certificate_no")
    tokens = []
    own = str(row.get("key") or "").strip()
    if person and own.startswith(f"{person}@"):
        tokens.append(f"训:{own}")
    if not _blank(course) and not _blank(end):
        tokens.append(course_token(person, course, end))
    if not _blank(certificate):
        tokens.append(certificate_token(person, certificate))
    tokens = list(dict.fromkeys(tokens))
    if not tokens:
        raise HistoryKeyError(Said("import_training_no_course"))
    return tokens[0].removeprefix("训:"), "|".join(tokens)


def history_amount_fits(fen: int, values: Mapping[str, object]) -> bool:
    """Whether a past line of ``fen`` is what the policy period ``values`` pays: a course
    amount (职业技能培训 / 创业培训) plus the living allowance × whole days attended (0 or
    more); only a course amount when no living allowance is configured."""
    courses = [
        to_fen(cast_amount(values[k])) for k in ("amount_skill", "amount_startup") if k in values
    ]
    per_day = (
        to_fen(cast_amount(values["amount_living_per_day"]))
        if "amount_living_per_day" in values
        else 0
    )
    for course in courses:
        rest = fen - course
        if rest == 0 or (per_day > 0 and rest > 0 and rest % per_day == 0):
            return True
    return False


def history_amount_allowed(values: Mapping[str, object]) -> Said:
    """What :func:`history_amount_fits` accepts, in words."""
    courses = " / ".join(
        f"{cast_amount(values[k]):.2f}" for k in ("amount_skill", "amount_startup") if k in values
    )
    if "amount_living_per_day" not in values:
        return Said("amount_is", {"amount": courses})
    per_day = f"{cast_amount(values['amount_living_per_day']):.2f}"
    return Said("amount_course_and_days", {"amount": courses, "per_day": per_day})


def cast_amount(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def evaluate(ctx: Context, values: TrainingValues) -> pd.DataFrame:
    rows = ctx.extra[KIND]
    if "training_type" in rows:
        rows = rows[~rows["training_type"].isin(NOT_COURSES)]
    rows = with_blank_gaps(rows, ("training_type", "end_date"))
    rows = rows.sort_values(["_file", "_sheet", "_row"], kind="stable").reset_index(drop=True)
    empty = pd.Series("", index=rows.index, dtype=object)
    kind = rows["training_type"].fillna("") if "training_type" in rows else empty
    course = rows["course"].fillna("").astype(str) if "course" in rows else empty
    certificate = (
        rows["certificate_no"].fillna("").astype(str) if "certificate_no" in rows else empty
    )
    result = rows["result"].fillna("").astype(str) if "result" in rows else empty
    start = rows["start_date"] if "start_date" in rows else pd.Series(pd.NaT, index=rows.index)
    end = rows["end_date"] if "end_date" in rows else pd.Series(pd.NaT, index=rows.index)

    out = person_of_rows(ctx, rows, values.categories)
    out["c_category"] = out["category_ok"]
    out["v_category"] = out["category"]
    out["c_course_type"] = kind.isin((SKILL, STARTUP)).to_numpy()
    out["v_course_type"] = kind.where(kind.ne(""), None).to_numpy()
    out["c_ended"] = (
        ((end >= pd.Timestamp(values.ended_from)) & (end <= ctx.window.last)).fillna(False)
    ).to_numpy(dtype=bool)
    out["v_ended"] = end.dt.strftime("%Y-%m-%d").astype(object).where(end.notna(), None).to_numpy()
    failed = result.eq(FAILED)
    passed = ~failed & (result.isin((PASSED, CERTIFIED)) | certificate.ne(""))
    out["c_passed"] = passed.to_numpy()
    shown = result.where(result.ne(""), "证书 " + certificate).astype(object)
    out["v_passed"] = shown.where(result.ne("") | certificate.ne(""), None).to_numpy()

    # the amount: the course's, plus the living allowance per day attended
    base = np.where(
        kind.eq(SKILL),
        to_fen(values.amount_skill),
        np.where(kind.eq(STARTUP), to_fen(values.amount_startup), 0),
    )
    course_days = (end - start).dt.days + 1
    course_days = course_days.where(course_days > 0)
    days = pd.to_numeric(rows["days"], errors="coerce") if "days" in rows else course_days * np.nan
    hours = (
        pd.to_numeric(rows["hours"], errors="coerce") if "hours" in rows else course_days * np.nan
    )
    # whole numbers in range only (validate says bad_number for anything else)
    days = days.where(_whole_in(days, MOST_DAYS))
    hours = hours.where(_whole_in(hours, MOST_HOURS))
    attended = days.where(days.notna(), np.floor(hours / HOURS_PER_DAY))
    attended = attended.where(attended.notna(), course_days)
    living_days = attended.where(attended <= course_days, course_days)
    living_days = living_days.where(course_days.notna(), attended)
    living_days = living_days.fillna(0).clip(lower=0)
    per_day = to_fen(values.amount_living_per_day) if values.amount_living_per_day else 0
    living = np.floor(living_days * per_day + 0.5).astype("int64")
    out["amount_fen"] = (base + living).astype("int64")

    ids = out["person_id"].astype(str)
    token = [course_token(i, c, e) for i, c, e in zip(ids, course, end, strict=True)]
    out["key_base"] = [t.removeprefix("训:") for t in token]
    out["identities"] = [
        t + ("|" + certificate_token(i, c) if c else "")
        for t, i, c in zip(token, ids, certificate, strict=True)
    ]
    out["payee_type"] = "person"
    out["payee_id"] = out["person_id"]
    out["payee_name"] = out["person_name"]
    start_text = start.dt.strftime("%Y-%m-%d").fillna("?")
    end_text = end.dt.strftime("%Y-%m-%d").fillna("?")
    shown_days = living_days.map(lambda d: f"{d:g}").astype(object)
    out["basis"] = (
        course.where(course.ne(""), "培训")
        + "（"
        + kind
        + "，"
        + start_text
        + "至"
        + end_text
        + "，"
        + result.where(result.ne(""), "证书" + certificate)
        + "）：培训补贴"
        + pd.Series(base / 100, index=rows.index, dtype=float)
        .map(lambda v: f"{v:.2f}")
        .astype(object)
        + "元"
        + (
            "＋生活费" + shown_days + f"天×{per_day / 100:.2f}元"
            if per_day
            else pd.Series("", index=rows.index)
        )
    )
    unknown: dict[str, object] = dict(person_unknowns(ctx.state, CONDITIONS, out["person_id"]))
    unknown["course_type"] = gaps.reasons(rows, KIND, "training_type").to_numpy()
    unknown["ended"] = gaps.reasons(rows, KIND, "end_date").to_numpy()
    # a result that cannot be read, or none, is unknown unless a certificate number shows
    # the pass; a 不合格 is known
    unsure = with_blank_gaps(rows, ("result",))
    why = gaps.reasons(unsure, KIND, "result")
    unknown["passed"] = why.where(~passed & ~failed, "").to_numpy()
    # 出勤天数 / 学时 typed but not a whole number of days or 学时 in range: the living
    # allowance cannot be computed (when one is configured)
    out["c_attendance"] = True
    out["v_attendance"] = shown_days.where(living_days.gt(0), None).to_numpy()
    unreadable = _unreadable_attendance(rows)
    unknown["attendance"] = (unreadable if per_day else empty).to_numpy()
    out["c_once"] = True
    out["v_once"] = (course + "，" + end_text + "结业").to_numpy()
    out = finish(out, CONDITIONS, values.shown(ctx.month), unknown)
    single = first_of_groups(pd.Series(out["identities"]), out["eligible"])
    out["c_once"] = single.to_numpy()
    again = out["eligible"] & ~single
    out.loc[again, "eligible"] = False
    if again.any():
        out.loc[again, "failed"] = condition_said(CONDITIONS[-1], values.shown(ctx.month))  # type: ignore[call-overload]
    out["course"] = course.to_numpy()
    out["certificate_no"] = certificate.to_numpy()
    return out.drop(columns=["on_roster", "category_ok", "category"])


def _whole_in(numbers: pd.Series, most: int) -> pd.Series:
    """True where ``numbers`` is a whole number from 1 to ``most``."""
    finite = numbers.where(np.isfinite(numbers.astype(float)))
    return (finite >= 1) & (finite <= most) & finite.eq(np.floor(finite))


def _unreadable_attendance(rows: pd.DataFrame) -> pd.Series:
    """Per row: why the days attended cannot be read (出勤天数, else 学时, typed but not a
    whole number in range), else ''."""
    days = bad_number_reasons(rows, "days")
    hours = bad_number_reasons(rows, "hours")
    typed_days = (
        rows["_raw_days"].notna() & rows["_raw_days"].astype(str).str.strip().ne("")
        if "_raw_days" in rows
        else pd.Series(False, index=rows.index)
    )
    return days.where(days.ne("") | typed_days, hours)


def first_of_groups(identities: pd.Series, eligible: pd.Series) -> pd.Series:
    """True for a row unless an earlier eligible row is the same training: rows sharing any
    '|'-joined token (directly or through other rows) are one training, paid once (the first
    eligible row of each).  A list holds hundreds of rows: a plain loop is clearest."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.get(i, i) != i:
            i = parent[i]
        return i

    holder: dict[str, int] = {}
    for position, tokens in enumerate(identities.fillna("").astype(str)):
        parent[position] = position
        for token in filter(None, tokens.split("|")):
            if token in holder:
                parent[root(position)] = root(holder[token])
            else:
                holder[token] = position
    groups = pd.Series([root(i) for i in range(len(identities))], index=identities.index)
    earlier = eligible.groupby(groups).transform(lambda s: s.shift(fill_value=False).cummax())
    return ~earlier.astype(bool)
