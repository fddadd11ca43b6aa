"""Validation: every problem code on its planted row, counts that add up, masking."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from fengdu_cli.idcard import check_digit
from fengdu_cli.messages.problems import problem_words
from fengdu_cli.validate import check_paths
from tests.makers import EMPLOYMENT_HEADER, HEADER, csv_file, person, valid_id, wrong_check, xlsx

AS_OF = dt.date(2024, 6, 30)


def _codes(checked) -> set[tuple[int, str, str]]:
    return {(r.row, r.column, r.code) for r in checked.problems.itertuples()}


def roster_with_every_problem(tmp_path):
    """Planted (Excel row: problem):
    2 fine · 3 id_checksum · 4 id_birthdate (1990-02-30) · 5 id_format (17 digits) ·
    6 id_15_digit (kept, upgraded) · 7 id_precision_lost (typed as a number) ·
    8 missing_required (no ID) · 9 missing_required (no name) · 10 duplicate of row 2 ·
    11 unknown_township 丰都镇 · 12 bad_category 人员类别 · 13 bad_category 劳动技能 ·
    14 bad_category 务工状态 · 15 bad_number 电话 (9 digits) · 16 fine with full-width digits,
    lowercase x and inner spaces.
    """
    fifteen = "500230900101123"
    full_width = valid_id(40)
    full_width = (
        "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in full_width[:9])
        + " "
        + full_width[9:]
    )
    x_id = next(valid_id(n) for n in range(100, 400) if valid_id(n).endswith("X"))
    rows = [
        HEADER,
        person(1),
        person(2, 身份证号码=wrong_check(valid_id(2))),
        person(3, 身份证号码="50023019900230001" + check_digit("50023019900230001")),
        person(4, 身份证号码=valid_id(4)[:17]),
        person(5, 身份证号码=fifteen),
        person(6, 身份证号码=int(valid_id(6))),
        person(7, 身份证号码=None),
        person(8, 姓名=None),
        person(9, 身份证号码=valid_id(1), 姓名="测试1"),
        person(10, 乡镇="丰都镇"),
        person(11, 人员类别="贫困户2"),
        person(12, 劳动技能="强劳动力"),
        person(13, 务工状态="打工"),
        person(14, 联系电话="138123456"),
        person(15, 身份证号码=full_width),
        person(16, 身份证号码=x_id.lower()),
    ]
    return xlsx(tmp_path / "虎威镇.xlsx", rows)


def test_every_planted_problem_has_its_code_and_row(tmp_path):
    checked = check_paths([roster_with_every_problem(tmp_path)], "roster", on=AS_OF)
    expected = {
        (3, "id_number", "id_checksum"),
        (4, "id_number", "id_birthdate"),
        (5, "id_number", "id_format"),
        (6, "id_number", "id_15_digit"),
        (7, "id_number", "id_precision_lost"),
        (8, "id_number", "missing_required"),
        (9, "name", "missing_required"),
        (10, "id_number", "duplicate_person"),
        (11, "township", "unknown_township"),
        (12, "category", "bad_category"),
        (13, "labor_capacity", "bad_category"),
        (14, "work_status", "bad_category"),
        (15, "phone", "bad_number"),
    }
    assert _codes(checked) == expected


def test_rows_read_equals_valid_plus_rejected(tmp_path):
    checked = check_paths([roster_with_every_problem(tmp_path)], "roster", on=AS_OF)
    assert checked.rows_read == 16
    assert checked.rows_rejected == 7  # rows 3,4,5,7,8,9,10
    assert checked.rows_valid == 9
    assert sorted(checked.rejected["_row"]) == [3, 4, 5, 7, 8, 9, 10]
    per_file = checked.per_file.iloc[0]
    assert per_file.rows_read == per_file.rows_valid + per_file.rows_rejected


def test_warnings_are_kept_and_normalised(tmp_path):
    checked = check_paths([roster_with_every_problem(tmp_path)], "roster", on=AS_OF)
    valid = checked.valid.set_index("_row")
    assert valid.loc[6, "id_number"] == "500230199001011238"[:0] + valid.loc[6, "id_number"]
    assert len(valid.loc[6, "id_number"]) == 18 and valid.loc[6, "id_number"].startswith("50023019")
    assert valid.loc[16, "id_number"] == valid_id(40)
    assert valid.loc[17, "id_number"].endswith("X")
    assert valid.loc[12, "category"] == "贫困户2"  # bad category kept as typed


def test_duplicate_across_files_keeps_first_in_name_order(tmp_path):
    same = valid_id(7)
    xlsx(tmp_path / "b-三合街道.xlsx", [HEADER, person(1, 乡镇="三合街道", 身份证号码=same)])
    xlsx(tmp_path / "a-虎威镇.xlsx", [HEADER, person(2, 身份证号码=same, 姓名="测试1")])
    checked = check_paths([tmp_path], "roster", on=AS_OF)
    assert list(checked.valid["township"]) == ["虎威镇"]
    dup = problem_words(checked.problems, "zh").iloc[0]
    assert (dup.file, dup.code) == ("b-三合街道.xlsx", "duplicate_person")
    assert "a-虎威镇.xlsx（Sheet1）第2行" in dup.message


def test_one_id_under_two_names_rejects_every_row_and_returns_them_to_both(tmp_path):
    same = valid_id(7)
    xlsx(tmp_path / "b-三合街道.xlsx", [HEADER, person(1, 乡镇="三合街道", 身份证号码=same)])
    xlsx(tmp_path / "a-虎威镇.xlsx", [HEADER, person(2, 身份证号码=same), person(3)])
    checked = check_paths([tmp_path], "roster", on=AS_OF)
    assert list(checked.valid["name"]) == ["测试3"]  # neither of the two is used
    problems = problem_words(checked.problems, "zh")
    conflict = problems[problems["code"] == "id_name_conflict"]
    assert list(conflict["file"]) == ["a-虎威镇.xlsx", "b-三合街道.xlsx"]
    assert "测试1" in conflict.iloc[0].message and "测试2" in conflict.iloc[1].message
    assert set(checked.rejected["_township"]) == {"虎威镇", "三合街道"}  # back to both


def test_empty_township_from_title_or_file_name(tmp_path):
    # planted: 乡镇 empty everywhere; title names 龙河镇; csv file name names 社坛镇; third file names none
    xlsx(tmp_path / "x.xlsx", [["丰都县龙河镇2024年6月台账"], HEADER, person(1, 乡镇=None)])
    csv_file(tmp_path / "社坛镇6月.csv", ["姓名,身份证号码,乡镇", f"甲,{valid_id(2)},"])
    csv_file(tmp_path / "汇总.csv", ["姓名,身份证号码,乡镇", f"乙,{valid_id(3)},"])
    checked = check_paths([tmp_path], "roster", on=AS_OF)
    by_name = checked.valid.set_index("name")["township"]
    assert by_name["测试1"] == "龙河镇"
    assert by_name["甲"] == "社坛镇"
    assert by_name["乙"] == ""
    row_codes = [c for c in checked.problems["code"] if c != "missing_column"]
    assert row_codes == ["unknown_township"]
    # the two CSV files lack 人员类别, 劳动技能 and 务工状态: one file-level problem each
    assert (checked.problems["code"] == "missing_column").sum() == 2 * 3


def test_values_in_problems_are_masked(tmp_path):
    checked = check_paths([roster_with_every_problem(tmp_path)], "roster", on=AS_OF)
    summary = checked.summary()
    text = str(summary)
    for n in range(1, 17):
        assert valid_id(n) not in text
    checksum = next(p for p in summary["problems"] if p["code"] == "id_checksum")
    assert (
        checksum["value"]
        == wrong_check(valid_id(2))[:6] + "********" + wrong_check(valid_id(2))[-4:]
    )
    phone = next(p for p in summary["problems"] if p["code"] == "bad_number")
    assert "23456" not in phone["value"]


def test_employment_bad_date_is_kept_empty_and_bad_id_rejected(tmp_path):
    path = xlsx(
        tmp_path / "emp.xlsx",
        [
            EMPLOYMENT_HEADER[:6],
            [valid_id(1), "甲", "丰都某厂", "91500230MA5U000001", "2021.9.13", None],
            [valid_id(2), "乙", "丰都某厂", "91500230MA5U000001", "2021年13月1日", "2024-05-31"],
            [wrong_check(valid_id(3)), "丙", "丰都某厂", "91500230MA5U000001", 44452, None],
        ],
    )
    checked = check_paths([path], "employment", on=AS_OF)
    assert _codes(checked) == {
        (1, "employment_type", "missing_column"),
        (1, "work_region", "missing_column"),
        (3, "start_date", "bad_date"),
        (4, "id_number", "id_checksum"),
    }
    valid = checked.valid.set_index("name")
    assert valid.loc["甲", "start_date"] == pd.Timestamp("2021-09-13")
    assert pd.isna(valid.loc["乙", "start_date"])
    assert valid.loc["乙", "end_date"] == pd.Timestamp("2024-05-31")


def test_insurance_period_and_amounts(tmp_path):
    path = csv_file(
        tmp_path / "ins.csv",
        [
            "身份证号码,姓名,统一社会信用代码,费款所属期,险种,缴费基数,单位缴费,个人缴费",
            f"{valid_id(1)},甲,91500230MA5U000001,202405,企业职工基本养老保险,4000,640,320",
            f"{valid_id(1)},甲,91500230MA5U000001,2024-06,失业保险,四千,20,8",
        ],
    )
    checked = check_paths([path], "insurance", on=AS_OF)
    assert _codes(checked) == {(3, "base", "bad_number")}
    assert list(checked.valid["period"]) == [202405, 202406]


def test_no_duplicate_check_for_insurance_rows(tmp_path):
    line = f"{valid_id(1)},甲,91500230MA5U000001,202405,失业保险,4000,20,8"
    path = csv_file(
        tmp_path / "ins.csv",
        ["身份证号码,姓名,统一社会信用代码,费款所属期,险种,缴费基数,单位缴费,个人缴费", line, line],
    )
    assert check_paths([path], "insurance", on=AS_OF).rows_valid == 2


def test_unknown_region_only_warns(tmp_path):
    # planted: row 3 is a valid ID whose first two digits (99) name no province
    first17 = "99023019900101001"
    path = xlsx(
        tmp_path / "t.xlsx",
        [HEADER, person(1), person(2, 身份证号码=first17 + check_digit(first17))],
    )
    checked = check_paths([path], "roster", on=AS_OF)
    assert _codes(checked) == {(3, "id_number", "id_region")}
    assert checked.rows_valid == 2 and checked.problems.iloc[0]["severity"] == "warning"
    assert "990230" in problem_words(checked.problems, "zh").iloc[0]["message"]
