"""What the two student programs share (雨露计划, 困难家庭学生求职创业补贴): the rows of the
students/ list, and the household each student belongs to on the roster.

A student's household is looked for, in this order: the list's 户编号 among the roster's;
else the guardian's ID (监护人 / 家长 / 户主身份证号) as a roster person's, whose household it
is; else the student's own ID on the roster.  The household's category is every fact its
roster members have (a household is 脱贫 when its members are); a person the roster gives no
户编号 is a household of one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli import dates
from fengdu_cli.normalise import CATEGORY_CHOICES, category_label
from fengdu_cli.rules.facts import text_column

# how a household was found (the fact's catalogue key says it in words)
BY_HOUSEHOLD, BY_GUARDIAN, BY_SELF, NOT_FOUND = "hh", "guardian", "self", "none"
FOUND_KEYS = {
    BY_HOUSEHOLD: "fact_student_household_hh",
    BY_GUARDIAN: "fact_student_household_guardian",
    BY_SELF: "fact_student_household_self",
    NOT_FOUND: "fact_student_household_none",
}


def list_text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column of the list ('' where blank or where the list has no such column)."""
    return text_column(frame, column).astype(str).str.strip()


def households(students: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """Per row of ``students`` (same index): ``how`` (BY_HOUSEHOLD …), ``household_id`` (the
    roster's, '' for a household of one or none found), ``anchor`` (the roster person it was
    found through: the head for a 户编号, the guardian, the student), ``facts`` (the
    household's category facts, '|'-joined like ``category_facts``), ``category`` (as
    shown), ``head_id`` / ``head_name`` (the roster's 户主 of the household, '' when the
    roster names none) and ``listed_household`` (the list's 户编号, as typed)."""
    roster = pd.DataFrame(
        {
            "id_number": state["id_number"].astype(str).to_numpy(),
            "name": text_column(state, "name").astype(str).to_numpy(),
            "household_id": text_column(state, "household_id").astype(str).str.upper().to_numpy(),
            "facts": text_column(state, "category_facts").astype(str).to_numpy(),
            "relation": text_column(state, "relation").astype(str).to_numpy(),
        }
    )
    listed = roster[roster["household_id"].ne("")]
    member_facts = listed.groupby("household_id")["facts"].agg(_union)
    heads = listed[listed["relation"].eq("户主")].drop_duplicates("household_id")
    head_id = heads.set_index("household_id")["id_number"]
    head_name = heads.set_index("household_id")["name"]
    first_member = listed.drop_duplicates("household_id").set_index("household_id")["id_number"]
    person_household = roster.drop_duplicates("id_number").set_index("id_number")["household_id"]
    person_facts = roster.drop_duplicates("id_number").set_index("id_number")["facts"]

    given = list_text(students, "household_id").str.upper()
    guardian = list_text(students, "guardian_id")
    own = students["id_number"].astype(str)
    by_household = given.ne("") & given.isin(member_facts.index)
    by_guardian = ~by_household & guardian.ne("") & guardian.isin(person_household.index)
    by_self = ~by_household & ~by_guardian & own.isin(person_household.index)
    how = pd.Series(
        np.select(
            [by_household, by_guardian, by_self],
            [BY_HOUSEHOLD, BY_GUARDIAN, BY_SELF],
            NOT_FOUND,
        ),
        index=students.index,
        dtype=object,
    )
    anchor = pd.Series("", index=students.index, dtype=object)
    anchor[by_guardian] = guardian[by_guardian]
    anchor[by_self] = own[by_self]
    household = given.where(by_household, anchor.map(person_household).fillna(""))
    household = household.where(how.ne(NOT_FOUND), "")
    in_household = household.ne("")
    anchor[by_household] = (
        household[by_household].map(head_id).fillna(household[by_household].map(first_member))
    )
    facts = household.map(member_facts).where(in_household, anchor.map(person_facts))
    facts = facts.fillna("").astype(str)
    return pd.DataFrame(
        {
            "how": how,
            "household_id": household,
            "anchor": anchor.fillna(""),
            "facts": facts,
            "category": facts.map(_label).where(how.ne(NOT_FOUND), ""),
            "head_id": household.map(head_id).fillna("").astype(str),
            "head_name": household.map(head_name).fillna("").astype(str),
            "listed_household": given,
        },
        index=students.index,
    )


def in_categories(facts: pd.Series, categories: tuple[str, ...]) -> pd.Series:
    """The household has one of the category facts ``categories``."""
    found = pd.Series(False, index=facts.index)
    for category in categories:
        found |= facts.str.contains(f"|{category}|", regex=False)
    return found


def _union(facts: pd.Series) -> str:
    found = {f for text in facts for f in text.split("|") if f}
    ordered = [f for f in CATEGORY_CHOICES if f in found]
    return "|" + "|".join(ordered) + "|" if ordered else ""


def _label(facts: str) -> str:
    return category_label(tuple(f for f in facts.split("|") if f))


def first_listing(keys: pd.Series, eligible: pd.Series) -> pd.Series:
    """Rows that repeat an earlier eligible row's key (the same student listed twice for
    what is paid once): True for the repeats, in the list's order."""
    earlier = eligible.groupby(keys).transform(lambda s: s.shift(fill_value=False).cummax())
    return eligible & earlier.astype(bool)


def raw_given(frame: pd.DataFrame, column: str) -> pd.Series:
    """Something was typed in ``column`` (as typed, before normalising)."""
    source = f"_raw_{column}" if f"_raw_{column}" in frame else column
    if source not in frame:
        return pd.Series(False, index=frame.index)
    return ~frame[source].map(dates.is_blank).astype(bool)


def job_seeking_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows of the job-seeking list: a graduation year or 在校 / 离校未就业 is typed."""
    return raw_given(frame, "graduation_year") | raw_given(frame, "student_status")


def job_seeking_only(frame: pd.DataFrame) -> pd.Series:
    """Rows of the job-seeking list that name no school year (nor an 入学日期): not 雨露 rows."""
    return (
        job_seeking_rows(frame)
        & ~raw_given(frame, "school_year")
        & ~raw_given(frame, "enrolled_date")
    )
