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


def _whole_years(*students: str, amount: int = 300000) -> pd.DataFrame:
    keys = [yulu.keyed(s, 2023, None) for s in students]
    return pd.DataFrame(
        {
            "key_base": [k for k, _ in keys],
            "identities": [w for _, w in keys],
            "amount_fen": amount,
            "basis": "2023-2024学年 中职",
        }
    )


def test_yulu_settle_pays_the_semester_left_of_a_whole_year():
    """installments 2 → 1: a whole year's line of which one semester was paid pays the other
    semester's token with the rest of the year's amount; both paid or none paid: unchanged."""
    one, both, none = (valid_id(n) for n in (51, 52, 53))
    paid = pd.DataFrame(
        {
            "who": [yulu.token(one, 2023, 1), yulu.token(both, 2023, 1), yulu.token(both, 2023, 2)],
            "entry": [0, 1, 2],
            "amount_fen": [150000, 150000, 150000],
            "month": [202310, 202310, 202403],
        }
    )
    frame = _whole_years(one, both, none)
    out = yulu.settle(frame, paid)
    assert out.loc[0, "identities"] == yulu.token(one, 2023, 2)
    assert out.loc[0, "key_base"] == f"学:{one}@2023-2024#2"  # as a second semester's line
    assert out.loc[0, "amount_fen"] == 150000
    assert out.loc[0, "basis"].endswith(
        "第一学期已于2023年10月发放1500.00元，本次发放本学年余下的1500.00元（第二学期）"
    )
    assert out.loc[1:].equals(frame.loc[1:])
    assert frame.loc[0, "amount_fen"] == 300000  # the rule's own frame is left as it was


@given(
    year=st.sampled_from([300000, 500000]),
    spent=st.integers(min_value=1, max_value=1_000_000),
    semester=st.sampled_from([1, 2]),
)
def test_yulu_settle_never_pays_more_than_the_year(year, spent, semester):
    sid = valid_id(54)
    paid = pd.DataFrame(
        {"who": [yulu.token(sid, 2023, semester)], "entry": [0], "amount_fen": [spent],
         "month": [202310]}
    )  # fmt: skip
    out = yulu.settle(_whole_years(sid, amount=year), paid).iloc[0]
    if spent < year:
        assert out["amount_fen"] + spent == year
        assert out["identities"] == yulu.token(sid, 2023, 3 - semester)
    else:  # nothing left: the line keeps both tokens and the ledger finds it paid before
        assert out["identities"] == yulu.keyed(sid, 2023, None)[1]


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


def test_yulu_second_half_paid_after_installments_change_from_2_to_1(tmp_path):
    """The sample's students: 2023-10 committed with installments = 2 pays the first halves;
    2024-03 with installments = 1 pays the second halves (never 0, never the whole year
    again), each as its second semester's line, and explain's basis says why."""
    from pathlib import Path

    from fengdu_cli.explain import explain
    from fengdu_cli.subsidy import compute_subsidies

    root = Path(__file__).resolve().parent.parent / "sample_data"
    demo = (root / "policy-demo.toml").read_text(encoding="utf-8")
    assert demo.count("installments = 1") == 1
    two = tmp_path / "two.toml"
    two.write_text(demo.replace("installments = 1", "installments = 2"), encoding="utf-8")
    db = tmp_path / "y.db"
    october = compute_subsidies(
        root, 202310, db, policy_path=two, commit=True, new_db=True, no_history=True
    )
    first = october.lines[october.lines["rule"].eq("yulu")]
    assert len(first) and first["identities"].str.endswith("#1").all()
    assert set(first["period"]) == {"2023-2024学年第一学期"}  # 发放期间 on the lists
    march = compute_subsidies(root, 202403, db, policy_path=root / "policy-demo.toml")
    second = march.lines[march.lines["rule"].eq("yulu")]
    assert march.totals_fen()["yulu"] == october.totals_fen()["yulu"] > 0
    assert sorted(second["identities"]) == sorted(first["identities"].str[:-1] + "2")
    assert second["basis"].str.contains("第一学期已于2023年10月发放").all()
    assert set(second["period"]) == {"2023-2024学年第二学期"}
    student = str(second["person_id"].iloc[0])
    trace = explain(student, 202403, root, db, policy_path=root / "policy-demo.toml")
    said = next(r for r in trace.rules if r["code"] == "yulu")
    assert said["outcome"] == "to_pay" and said["amount"] > 0
    assert "本次发放本学年余下的" in said["basis"]
