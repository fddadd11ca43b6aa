"""雨露计划 (yulu) — paid to the student's household, once per student and school year.

Notice 三(二)2: “继续实施‘雨露计划’，按规定给予相应补助。按照丰乡振发〔2021〕23号文件精神，
中职学生每生每年补助3000元，高职学生每生每年补助5000元。”

A student of the students/ list (name, ID, school, 就读层次, 学年 or 入学日期, and the
household: 户编号, or the guardian's ID) whose household is on the roster with one of the
policy's categories (脱贫人口 / 监测对象), studying at 中职 (3000) or 高职 (5000) level in the
school year of month m (September to August).  Paid to the household (its 户编号; the
roster's 户主 receives it, else the guardian the list names), once per student and school
year, in the first computed month of that school year in which the student is listed;
``installments = 2`` pays half in each semester (September–February, March–August).

The ledger judges "paid twice" on the identities: ``学:<student ID>@2024-2025#1`` and
``…#2`` (a whole school year's line carries both halves), with the rule's frequency
"once" — so the next school year is paid again and the same one never twice.  When the
policy changes ``installments`` within a school year (2 → 1) after one semester was paid,
:func:`settle` makes the whole year's line pay the other semester's token with what the
year's amount leaves (never more than the year in total); a whole year paid (1 → 2) is
paid before for either semester.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps, schoolyear
from fengdu_cli.idcard import mask
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.normalise import HIGHER, SECONDARY
from fengdu_cli.policy.schema import YuluValues
from fengdu_cli.rules.base import Condition, Context, finish, person_unknowns
from fengdu_cli.rules.students import (
    FOUND_KEYS,
    NOT_FOUND,
    first_listing,
    households,
    in_categories,
    job_seeking_only,
    list_text,
)

CODE = "yulu"
NEEDS: tuple[str, ...] = ("students",)
VALUES = YuluValues
CONDITIONS: tuple[Condition, ...] = (
    Condition("household", "cond_yulu_household", ("roster.category",)),
    Condition("level", "cond_yulu_level", ("students.level",)),
    Condition("school_year", "cond_yulu_school_year"),
    Condition("payee", "cond_yulu_payee"),
)
# Not a condition of the notice's but of the ledger's: a student listed twice
LISTED_TWICE = Said("cond_yulu_listed_twice")
SEMESTERS = (1, 2)
_TERMS = {1: "第一学期", 2: "第二学期"}


def token(student: str, start: int, semester: int) -> str:
    """Who a payment is for: one student, one school year, one semester."""
    return f"学:{student}@{schoolyear.text(start)}#{semester}"


def keyed(student: str, start: int, semester: int | None) -> tuple[str, str]:
    """(key_base, identities) of a payment for a whole school year (``semester`` None: both
    halves) or for one semester."""
    base = f"学:{student}@{schoolyear.text(start)}"
    if semester is None:
        return base, "|".join(token(student, start, s) for s in SEMESTERS)
    return f"{base}#{semester}", token(student, start, semester)


def history_key(row: Mapping[str, object], person: str, month: int) -> tuple[str, str]:
    """How ``ledger import`` keys a past 雨露计划 payment: the student (the list's person
    column, else its ID column, else the person the import found) and the school year (a
    学年 column: 2023-2024 / 2024年秋季学期…, else the paid month's school year); a 学年
    cell naming a semester is that semester's half, else the whole school year."""
    student = person
    for column in ("person_id", "id_number"):
        value = "".join(str(row.get(column) or "").split()).upper()
        if len(value) == 18 and value[:17].isdigit():
            student = value
            break
    parsed = schoolyear.parse(row.get("_raw_school_year", row.get("school_year")))
    if parsed is None:
        return keyed(student, schoolyear.of_month(month), None)
    return keyed(student, parsed[0], parsed[1])


def listed_year(students: pd.DataFrame, month: int) -> tuple[pd.Series, pd.Series]:
    """Per row: the school year it is listed for (Int64 start, <NA> when unknown) and how it
    was read ('year': a 学年 column; 'enrolled': an 入学日期 — a student enrolled by the end of
    month m is taken as in school in m's school year, one enrolled later in a later one)."""
    current = schoolyear.of_month(month)
    given = (
        students["school_year"].astype("Int64")
        if "school_year" in students
        else pd.Series(pd.NA, index=students.index, dtype="Int64")
    )
    how = pd.Series(np.where(given.notna(), "year", ""), index=students.index, dtype=object)
    if "enrolled_date" in students:
        enrolled = pd.to_datetime(students["enrolled_date"], errors="coerce")
        months = enrolled.dt.year * 100 + enrolled.dt.month
        start = months.map(lambda m: schoolyear.of_month(int(m)), na_action="ignore")
        from_date = pd.Series(
            np.where(start.notna() & (start <= current), current, start),
            index=students.index,
        ).astype("Int64")
        use = given.isna() & from_date.notna()
        given = given.where(~use, from_date)
        how[use] = "enrolled"
    return given, how


def evaluate(ctx: Context, values: YuluValues) -> pd.DataFrame:
    students = ctx.extra["students"].reset_index(drop=True)
    students = students[~job_seeking_only(students)].reset_index(drop=True)
    month = ctx.month
    current = schoolyear.of_month(month)
    semester = schoolyear.semester_of_month(month)
    found = households(students, ctx.state)
    ids = students["id_number"].astype(str)
    level = list_text(students, "level")
    listed, listed_how = listed_year(students, month)

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
    out["township"] = _first_text(where, "township", list_text(students, "township"))
    out["village"] = _first_text(where, "village", pd.Series("", index=students.index))

    ok_category = in_categories(found["facts"], values.categories) & found["how"].ne(NOT_FOUND)
    out["c_household"] = ok_category.to_numpy()
    out["v_household"] = found["category"].to_numpy()
    out["f_household"] = found["how"].map(FOUND_KEYS).to_numpy()
    out["v_household__household"] = (
        found["household_id"]
        .where(found["household_id"].ne(""), found["anchor"].map(_masked))
        .to_numpy()
    )

    out["c_level"] = level.isin((SECONDARY, HIGHER)).to_numpy()
    out["v_level"] = level.to_numpy()

    out["c_school_year"] = (listed.fillna(-1) == current).to_numpy(dtype=bool)
    out["v_school_year"] = listed.map(
        lambda s: schoolyear.text(int(s)), na_action="ignore"
    ).to_numpy(dtype=object)
    out["f_school_year"] = np.where(listed_how.eq("enrolled"), "fact_yulu_enrolled", "").astype(
        object
    )

    guardian_id = list_text(students, "guardian_id")
    guardian_name = list_text(students, "guardian_name")
    if "guardian_name" not in students:  # a guardian on the roster has a name there
        guardian_name = guardian_id.map(state["name"]).fillna("").astype(str)
    has_head = found["head_id"].ne("")
    has_guardian = guardian_name.ne("") & (guardian_id.ne("") | found["household_id"].ne(""))
    payee_ok = has_head | has_guardian
    out["c_payee"] = payee_ok.to_numpy()
    out["v_payee"] = np.where(has_head, found["head_name"], guardian_name).astype(object)
    out["f_payee"] = np.select(
        [has_head, has_guardian], ["fact_yulu_head", "fact_yulu_guardian"], ""
    ).astype(object)
    payee_person = found["head_id"].where(has_head, guardian_id)

    out["payee_type"] = "household"
    household = found["household_id"]
    out["payee_id"] = household.where(household.ne(""), payee_person).where(payee_ok, "").to_numpy()
    out["payee_name"] = out["v_payee"].where(payee_ok.to_numpy(), "")

    whole = values.installments != 2
    amount = np.where(
        level.eq(HIGHER), to_fen(values.amount_higher), to_fen(values.amount_secondary)
    )
    out["amount_fen"] = (amount if whole else (amount + 1) // 2).astype("int64")
    keys = [keyed(i, current, None if whole else semester) for i in ids]
    out["key_base"] = [k for k, _ in keys]
    out["identities"] = [w for _, w in keys]
    out["school_year"] = schoolyear.text(current)
    # 发放期间 on the lists: the school year (and the semester) paid for
    term = "" if whole else ("第一学期" if semester == 1 else "第二学期")
    out["paid_period"] = f"{schoolyear.text(current)}学年{term}"
    out["basis"] = _basis(out, found, current, None if whole else semester)

    unknown = person_unknowns(ctx.state, CONDITIONS[:1], anchor)
    if "household" in unknown:  # a household found with its category: known enough
        unknown["household"] = np.where(
            out["c_household"].to_numpy(), "", unknown["household"]
        ).astype(object)
    unknown["level"] = gaps.reasons(students, "students", "level").to_numpy()
    unknown["school_year"] = _year_unknown(students, listed).to_numpy()
    payee_gap = pd.Series(Said("gap_yulu_payee"), index=out.index, dtype=object)
    unknown["payee"] = payee_gap.where(~payee_ok.to_numpy(), "").to_numpy()
    out = finish(out, CONDITIONS, values.shown(month), unknown)
    twice = first_listing(out["key_base"], out["eligible"])
    out.loc[twice, "eligible"] = False
    if twice.any():
        out.loc[twice, "failed"] = LISTED_TWICE  # type: ignore[call-overload]  # an object
    return out


def settle(frame: pd.DataFrame, paid: pd.DataFrame) -> pd.DataFrame:
    """What remains of a school year one semester of which was paid (``installments``
    changed from 2 to 1 within the year): a whole year's row (both semesters' tokens) of
    which the ledger paid exactly one semester pays the other one, with what the year's
    amount leaves after what was paid for it — never more than the year in total.  When
    nothing remains the row is left as it is (the ledger then finds it paid before).

    ``paid``: the live entries of the rule in scope, one row per token (subsidy's
    ``_paid_tokens``: who, entry, amount_fen, month)."""
    tokens = frame["identities"].astype(str).str.split("|")
    whole = tokens.map(len).eq(len(SEMESTERS))
    if not whole.any() or paid.empty:
        return frame
    mine = tokens[whole].explode().rename("who").reset_index().rename(columns={"index": "row"})
    hits = mine.merge(paid[["who", "entry", "amount_fen", "month"]], on="who")
    if hits.empty:
        return frame
    frame = frame.copy()
    amounts = frame["amount_fen"].astype("int64")
    keys, bases = frame["key_base"].astype(str), frame["basis"].astype(str)
    for row, found in hits.groupby("row"):
        if found["who"].nunique() != 1:  # both semesters paid: paid before
            continue
        done = str(found["who"].iloc[0])
        spent = int(found.drop_duplicates("entry")["amount_fen"].sum())
        remaining = int(amounts[row]) - spent
        if remaining <= 0:
            continue
        left = next(t for t in tokens[row] if t != done)
        semester, before = (int(t.rsplit("#", 1)[1]) for t in (left, done))
        paid_month = int(found["month"].min())
        frame.at[row, "identities"] = left
        frame.at[row, "key_base"] = f"{keys[row]}#{semester}"
        frame.at[row, "amount_fen"] = remaining
        if "paid_period" in frame:
            frame.at[row, "paid_period"] = str(frame.at[row, "paid_period"]) + _TERMS[semester]
        frame.at[row, "basis"] = (
            f"{bases[row]}；{_TERMS[before]}已于{dates.month_zh(paid_month)}"
            f"发放{spent / 100:.2f}元，本次发放本学年余下的{remaining / 100:.2f}元"
            f"（{_TERMS[semester]}）"
        )
    return frame


def _first_text(frame: pd.DataFrame, column: str, fallback: pd.Series) -> np.ndarray:
    if column not in frame:
        return fallback.to_numpy(dtype=object)
    value = frame[column].fillna("").astype(str).to_numpy(dtype=object)
    return np.where(value != "", value, fallback.to_numpy(dtype=object))


def _masked(person: object) -> str:
    return mask(str(person)) if person else ""


def _year_unknown(students: pd.DataFrame, listed: pd.Series) -> pd.Series:
    """Why a row's school year cannot be judged: neither a 学年 nor an 入学日期 was read (the
    学年 column missing, blank, or not understood)."""
    out = pd.Series("", index=students.index, dtype=object)
    missing = listed.isna()
    if not missing.any():
        return out
    rows = students[missing]
    causes: pd.Series
    if "school_year" not in students and "enrolled_date" not in students:
        causes = pd.Series("no_column", index=rows.index, dtype=object)
    else:
        raw = rows.get("_raw_school_year", pd.Series(None, index=rows.index))
        causes = pd.Series(
            np.where(raw.map(dates.is_blank), "blank", "bad_value"), index=rows.index, dtype=object
        )
    said = [
        gaps.reason("students", "school_year", c, f, s, None if c == "no_column" else r, v)
        for c, f, s, r, v in zip(
            causes, rows["_file"], rows["_sheet"], rows["_row"],
            rows.get("_raw_school_year", pd.Series(None, index=rows.index)), strict=True,
        )
    ]  # fmt: skip
    out[missing] = gaps.objects(said, rows.index)
    return out


def _basis(out: pd.DataFrame, found: pd.DataFrame, start: int, semester: int | None) -> pd.Series:
    """依据: school year (and semester), level and school, how the household was found."""
    how = (
        found["how"]
        .map({"hh": "按户编号", "guardian": "按监护人身份证号", "self": "按学生本人身份证号"})
        .fillna("")
    )
    term = "" if semester is None else _TERMS[semester]
    school = out["school"].astype(str)
    basis: pd.Series = (
        schoolyear.text(start) + "学年" + term + " "
        + out["v_level"].astype(str)
        + school.where(school.eq(""), "（" + school + "）")
        + "，" + how.to_numpy() + "认定为" + found["category"].to_numpy() + "家庭"
    )  # fmt: skip
    return basis
