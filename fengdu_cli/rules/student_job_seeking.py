"""困难家庭学生求职创业补贴 (student_job_seeking) — paid to the student, once ever.

Notice 三(一)4: “继续执行困难家庭学生一次性在校求职创业补贴和离校未就业求职创业补贴政策，
具体按渝人社发〔2018〕174号和渝就发〔2021〕26号文件执行。”  The notice gives no amount (未配置
in the bundled policy).

本工具的理解: a student of the students/ list with a graduation year (毕业年度 / 毕业时间) and a
kind — 在校 (in school, graduating in the year of month m) or 离校未就业 (left school, not yet
employed: graduated within the policy's ``max_years_after`` years up to m's year, and no
employment registration active at the end of m) — whose family is on the roster with one of
the policy's categories (脱贫人口 / 监测对象 / 农村低收入人口; the household is found as for
雨露计划: 户编号, the guardian's ID, the student's own ID).  Once per person, ever; paid to the
student.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli import gaps
from fengdu_cli.idcard import mask
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.normalise import AT_SCHOOL, LEFT_UNEMPLOYED, STUDENT_STATUS_CHOICES
from fengdu_cli.policy.schema import StudentJobSeekingValues
from fengdu_cli.rules.base import JOB_DATES, Condition, Context, finish, person_unknowns
from fengdu_cli.rules.facts import active_jobs, describe_job, first_per_person
from fengdu_cli.rules.students import (
    FOUND_KEYS,
    NOT_FOUND,
    first_listing,
    households,
    in_categories,
    job_seeking_rows,
    list_text,
    raw_given,
)

CODE = "student_job_seeking"
NEEDS: tuple[str, ...] = ("students",)
VALUES = StudentJobSeekingValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("household", "cond_student_job_seeking_household", ("roster.category",)),
    Condition("listed", "cond_student_job_seeking_listed"),
    Condition("graduation", "cond_student_job_seeking_graduation"),
    Condition("not_employed", "cond_student_job_seeking_not_employed", JOB_DATES, "fact_job"),
)
LISTED_TWICE = Said("cond_student_job_seeking_listed_twice")


def evaluate(ctx: Context, values: StudentJobSeekingValues) -> pd.DataFrame:
    students = ctx.extra["students"]
    students = students[job_seeking_rows(students)].reset_index(drop=True)
    year = ctx.month // 100
    found = households(students, ctx.state)
    ids = students["id_number"].astype(str)
    status = list_text(students, "student_status")
    graduated = (
        students["graduation_year"].astype("Int64")
        if "graduation_year" in students
        else pd.Series(pd.NA, index=students.index, dtype="Int64")
    )

    out = pd.DataFrame(
        {
            "person_id": ids.to_numpy(),
            "person_name": list_text(students, "name").to_numpy(),
            "household_id": found["household_id"].to_numpy(),
            "school": list_text(students, "school").to_numpy(),
        }
    )
    state = ctx.state.set_index("id_number")
    anchor = found["anchor"]
    where = state.reindex(anchor.where(anchor.ne(""), ids))
    for column in ("township", "village"):
        fallback = list_text(students, column).to_numpy(dtype=object)
        shown = (
            where[column].fillna("").astype(str).to_numpy(dtype=object)
            if column in where
            else fallback
        )
        out[column] = np.where(shown != "", shown, fallback)

    ok_category = in_categories(found["facts"], values.categories) & found["how"].ne(NOT_FOUND)
    out["c_household"] = ok_category.to_numpy()
    out["v_household"] = found["category"].to_numpy()
    out["f_household"] = found["how"].map(FOUND_KEYS).to_numpy()
    out["v_household__household"] = (
        found["household_id"]
        .where(found["household_id"].ne(""), found["anchor"].map(lambda p: mask(p) if p else ""))
        .to_numpy()
    )

    known_status = status.isin(STUDENT_STATUS_CHOICES)
    out["c_listed"] = (known_status & graduated.notna()).to_numpy()
    out["v_listed"] = (
        status + graduated.map(lambda g: f"，{g}年毕业", na_action="ignore").fillna("")
    ).to_numpy()

    at_school = status.eq(AT_SCHOOL)
    left = status.eq(LEFT_UNEMPLOYED)
    g = graduated.fillna(-1).astype(int)
    window = (at_school & g.eq(year)) | (left & g.between(year - values.max_years_after, year))
    out["c_graduation"] = window.to_numpy()
    out["v_graduation"] = graduated.map(lambda v: f"{v}年", na_action="ignore").to_numpy(
        dtype=object
    )

    jobs = first_per_person(active_jobs(ctx.matched.jobs, ctx.window))
    employed = ids.isin(jobs.index)
    out["c_not_employed"] = (~(left & employed)).to_numpy()
    shown_job = (
        describe_job(jobs) if len(jobs) else pd.DataFrame(columns=["value", "region", "start"])
    )
    out["v_not_employed"] = ids.map(shown_job["value"]).where(employed).to_numpy(dtype=object)
    out["v_not_employed__region"] = ids.map(shown_job["region"]).fillna("").to_numpy()
    out["v_not_employed__start"] = ids.map(shown_job["start"]).fillna("").to_numpy()

    out["payee_type"] = "person"
    out["payee_id"] = ids.to_numpy()
    out["payee_name"] = out["person_name"]
    out["amount_fen"] = to_fen(values.amount)
    out["key_base"] = ids.to_numpy()
    out["identities"] = ids.to_numpy()
    how = (
        found["how"]
        .map({"hh": "按户编号", "guardian": "按监护人身份证号", "self": "按本人身份证号"})
        .fillna("")
    )
    school = out["school"].astype(str)
    out["basis"] = (
        out["v_listed"].astype(str)
        + school.where(school.eq(""), "（" + school + "）")
        + "，" + how.to_numpy() + "认定为" + found["category"].to_numpy() + "家庭"
    )  # fmt: skip

    unknown = person_unknowns(ctx.state, CONDITIONS[:1], anchor)
    if "household" in unknown:
        unknown["household"] = np.where(
            out["c_household"].to_numpy(), "", unknown["household"]
        ).astype(object)
    unknown["listed"] = _listed_unknown(students, known_status, graduated).to_numpy()
    # the window depends on the kind and the year: as unknown as they are
    unknown["graduation"] = np.where(window.to_numpy(), "", unknown["listed"]).astype(object)
    jobs_unknown = person_unknowns(ctx.state, CONDITIONS[3:], ids)
    if "not_employed" in jobs_unknown:  # only a 离校未就业 student's job matters
        unknown["not_employed"] = np.where(
            left.to_numpy(), jobs_unknown["not_employed"], ""
        ).astype(object)
    out = finish(out, CONDITIONS, values.shown(ctx.month), unknown)
    twice = first_listing(out["key_base"], out["eligible"])
    out.loc[twice, "eligible"] = False
    if twice.any():
        out.loc[twice, "failed"] = LISTED_TWICE  # type: ignore[call-overload]  # an object
    return out


def _listed_unknown(
    students: pd.DataFrame, known_status: pd.Series, graduated: pd.Series
) -> pd.Series:
    """Why 在校 / 离校未就业 or the graduation year cannot be judged: the column is missing, or
    what was typed there is not understood (a blank cell is not listed: the condition fails)."""
    out = pd.Series("", index=students.index, dtype=object)
    reasons: list[tuple[str, pd.Series]] = [
        ("student_status", ~known_status),
        ("graduation_year", graduated.isna()),
    ]
    for column, unread in reasons:
        cause: pd.Series
        if column not in students:
            cause = pd.Series("no_column", index=students.index, dtype=object)
        else:
            cause = pd.Series(
                np.where(raw_given(students, column), "bad_value", ""),
                index=students.index,
                dtype=object,
            )
        rows = students[unread & cause.ne("") & out.eq("")]
        if not len(rows):
            continue
        raw = rows.get(f"_raw_{column}", pd.Series(None, index=rows.index))
        said = [
            gaps.reason("students", column, c, f, s, None if c == "no_column" else r, v)
            for c, f, s, r, v in zip(
                cause[rows.index], rows["_file"], rows["_sheet"], rows["_row"], raw, strict=True
            )
        ]
        out[rows.index] = gaps.objects(said, rows.index)
    return out
