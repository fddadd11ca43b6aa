"""The student programs' helpers: school years, the students/ list's columns and values,
and how ``ledger import`` keys a past 雨露计划 list (the same way the rule keys its lines)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fengdu_cli import schoolyear
from fengdu_cli.history import plan_import, program_of
from fengdu_cli.io.recognise import Recogniser
from fengdu_cli.normalise import normalise
from fengdu_cli.policy import load_policy
from fengdu_cli.rules import yulu
from tests.makers import valid_id, xlsx

months = st.integers(2000, 2098).flatmap(lambda y: st.integers(1, 12).map(lambda m: y * 100 + m))


@pytest.mark.parametrize(
    ("month", "start", "semester"),
    [(202408, 2023, 2), (202409, 2024, 1), (202402, 2023, 1), (202403, 2023, 2), (202412, 2024, 1)],
)
def test_school_year_and_semester_of_a_month(month, start, semester):
    assert schoolyear.of_month(month) == start
    assert schoolyear.semester_of_month(month) == semester


@given(months)
def test_a_school_year_is_twelve_months_from_september(month):
    start = schoolyear.of_month(month)
    first = schoolyear.first_month(start)
    assert first <= month < first + 100  # September of start … August of start + 1
    assert schoolyear.parse(schoolyear.text(start)) == (start, None)
    day = dt.date(month // 100, month % 100, 15)
    assert schoolyear.parse(day) == (start, schoolyear.semester_of_month(month))
    second = schoolyear.first_month(start, 2)
    assert (schoolyear.semester_of_month(month) == 2) == (second <= month < first + 100)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-2025", (2024, None)),
        ("2024—2025学年", (2024, None)),
        ("2024 - 2025 学年度", (2024, None)),
        ("2024-25", (2024, None)),
        ("2024至2025学年第二学期", (2024, 2)),
        ("2024年秋季学期", (2024, 1)),
        ("2025年春季学期", (2024, 2)),
        ("2024学年", (2024, None)),
        ("2024年9月", (2024, 1)),
        ("2024-09", (2024, 1)),
        ("2024", None),  # a bare year names no school year
        ("2024-2026", None),
        ("本学年", None),
        ("", None),
    ],
)
def test_school_years_as_clerks_write_them(typed, expected):
    assert schoolyear.parse(typed) == expected


@pytest.mark.parametrize(
    ("typed", "year"),
    [(2024, 2024), ("2024年", 2024), ("2024届", 2024), ("2024-06-30", 2024), ("2024年6月", 2024),
     ("明年", None), (None, None)],
)  # fmt: skip
def test_graduation_years(typed, year):
    assert schoolyear.graduation_year(typed) == year


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("学历层次", "level"),
        ("就读层次", "level"),
        ("学段", "level"),
        ("学年", "school_year"),
        ("资助学期", "school_year"),
        ("入学时间", "enrolled_date"),
        ("监护人身份证号码", "guardian_id"),
        ("家长身份证号", "guardian_id"),
        ("户主身份证号码", "guardian_id"),
        ("监护人姓名", "guardian_name"),
        ("户编号", "household_id"),
        ("毕业时间", "graduation_year"),
        ("毕业年度", "graduation_year"),
        ("预计毕业时间", "graduation_year"),
        ("学生类别", "student_status"),
        ("毕业院校", "school"),
        ("学生身份证号码", "id_number"),
        ("学生姓名", "name"),
    ],
)
def test_students_list_headers(header, column):
    assert set(Recogniser("students").text_matches(header)) == {column}


def test_students_list_values_are_normalised_and_unknown_ones_kept():
    raw = pd.DataFrame(
        {
            "_file": "s.xlsx", "_sheet": "Sheet1", "_row": [2, 3, 4, 5], "_title": "",
            "id_number": [valid_id(n) for n in range(4)],
            "name": ["甲", "乙", "丙", "丁"],
            "level": ["中等职业教育", "技工学校（中级工）", "高职（专科）", "研修班"],
            "school_year": ["2023-2024", "2024年春季学期", "2023/09/01", "本学年"],
            "student_status": ["应届毕业生", "离校未就业高校毕业生", "", "待业"],
            "graduation_year": ["2024届", "2023年6月", "", "明年"],
        }
    )  # fmt: skip
    out = normalise(raw, "students", dt.date(2024, 6, 30))
    assert list(out["level"]) == ["中职", "中职", "高职", "研修班"]
    assert list(out["school_year"].astype(object).fillna(0)) == [2023, 2023, 2023, 0]
    assert list(out["student_status"]) == ["在校", "离校未就业", "", "待业"]
    assert list(out["graduation_year"].astype(object).fillna(0)) == [2024, 2023, 0, 0]
    from fengdu_cli.schemas import failures

    cases = failures("students", out, duplicates=False)
    bad = set(zip(cases["index"], cases["column"], cases["code"], strict=True))
    assert bad == {(3, "level", "bad_category"), (3, "school_year", "bad_date"),
                   (3, "student_status", "bad_category"), (3, "graduation_year", "bad_date")}  # fmt: skip


def test_yulu_keys_a_school_year_and_its_halves():
    sid = valid_id(5)
    assert yulu.keyed(sid, 2023, None) == (
        f"学:{sid}@2023-2024",
        f"学:{sid}@2023-2024#1|学:{sid}@2023-2024#2",
    )
    assert yulu.keyed(sid, 2024, 2) == (f"学:{sid}@2024-2025#2", f"学:{sid}@2024-2025#2")


def test_a_past_yulu_list_is_keyed_like_the_rule(tmp_path):
    """学年 column → that school year (a semester → its half); none → the paid month's."""
    students = [valid_id(n) for n in (31, 32, 33)]
    heads = [valid_id(n) for n in (41, 42, 43)]
    path = xlsx(
        tmp_path / "雨露计划发放花名册.xlsx",
        [
            ["丰都县雨露计划资助资金发放花名册"],
            ["序号", "乡镇", "学生姓名", "学生身份证号码", "户主姓名", "户主身份证号码", "学年",
             "发放日期", "补助金额（元）"],
            [1, "虎威镇", "甲", students[0], "甲父", heads[0], "2023-2024学年", "2024-06-20", 3000],
            [2, "虎威镇", "乙", students[1], "乙父", heads[1], "2024年春季学期", "2024-06-20", 3000],
            [3, "虎威镇", "丙", students[2], "丙父", heads[2], None, "2024-10-08", 5000],
        ],
    )  # fmt: skip
    plan = plan_import([path], load_policy(None), tmp_path / "none.db")
    entries = plan.entries.set_index("payee_name")  # the household head is paid
    assert set(entries["rule"]) == {"yulu"} and not len(plan.problems)
    assert entries.loc["甲父", "identities"] == yulu.keyed(students[0], 2023, None)[1]
    assert entries.loc["甲父", "key"] == f"学:{students[0]}@2023-2024"
    assert entries.loc["乙父", "identities"] == yulu.keyed(students[1], 2023, 2)[1]
    assert entries.loc["丙父", "identities"] == yulu.keyed(students[2], 2024, None)[1]


def test_program_words():
    policy = load_policy(None)
    assert program_of("2023年秋季雨露计划补助发放表", policy) == "yulu"
    assert program_of("困难家庭高校毕业生求职创业补贴", policy) == "student_job_seeking"
