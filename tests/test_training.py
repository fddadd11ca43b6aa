"""培训补贴 (training): a past list keyed the way the rule keys its own payments, and the
helpers of the 以工代训 rules."""

from __future__ import annotations

import dataclasses
from datetime import date as dt_date
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fengdu_cli.history import plan_import
from fengdu_cli.normalise import training_result, training_type
from fengdu_cli.policy import load_policy
from fengdu_cli.rules import training
from fengdu_cli.rules.base import HistoryKeyError
from fengdu_cli.rules.on_the_job import first_of_each
from fengdu_cli.subsidy import NO_PAYMENTS, _against_ledger
from tests.makers import csv_file, valid_id, xlsx
from tests.test_rule_cases import DEMO_POLICY, build

ID = valid_id(5)


def test_history_key_by_course_and_end_date_or_certificate():
    end = pd.Timestamp("2024-05-10")
    base, who = training.history_key({"course": "电 工", "course_end": end}, ID, 202405)
    assert base == f"{ID}@电工@2024-05-10"
    assert who == f"训:{ID}@电工@2024-05-10"
    _, who = training.history_key({"certificate_no": "s245 0001"}, ID, 202405)
    assert who == f"训:{ID}@证:S2450001"
    _, who = training.history_key(
        {"course": "电工", "course_end": end, "certificate_no": "S1"}, ID, 202405
    )
    assert who.split("|") == [f"训:{ID}@电工@2024-05-10", f"训:{ID}@证:S1"]


def test_history_key_refuses_a_row_that_does_not_say_which_course():
    with pytest.raises(HistoryKeyError) as raised:
        training.history_key({"course": "电工"}, ID, 202405)  # no 结业日期, no certificate
    assert raised.value.said.key == "import_training_no_course"


def test_an_imported_course_is_paid_a_second_course_is_not():
    case = {
        "month": "2024-06",
        "people": [{"id": "a"}],
        "lists": {
            "training": [
                {"person": "a", "course": "电工", "training_type": "职业技能培训",
                 "start_date": "2024-05-06", "end_date": "2024-05-10", "result": "合格",
                 "certificate_no": "S1"},
                {"person": "a", "course": "焊工", "training_type": "职业技能培训",
                 "start_date": "2024-06-03", "end_date": "2024-06-07", "result": "合格"},
            ]
        },
    }  # fmt: skip
    ctx, _, ids = build(case)
    person = ids.person("a")
    _, who = training.history_key({"certificate_no": "S1"}, person, 202405)  # keyed otherwise
    paid = pd.DataFrame(
        [{"entry_id": 1, "batch_id": "I1", "rule": "training", "key": who.removeprefix("训:"),
          "payee_id": person, "person_id": person, "amount_fen": 120000, "identities": who,
          "month": 202405, "source": "导入", "batch_kind": "import"}]
    ).reindex(columns=NO_PAYMENTS.columns)  # fmt: skip
    rule = DEMO_POLICY.rule("training")
    values = rule.values_for(pd.Timestamp("2024-06-30").date()).typed
    frame = training.evaluate(ctx, values)
    frame = _against_ledger(frame, "training", rule.frequency, 202406, values, paid)
    by_course = frame.set_index("course")
    assert by_course.loc["电工", "paid_before"] == "I1"
    assert bool(by_course.loc["焊工", "payable"])


def test_ledger_import_keys_a_training_list_and_refuses_a_row_without_its_course(tmp_path):
    header = "乡镇,姓名,身份证号码,补贴项目,培训项目,结业日期,证书编号,发放月份,金额"
    path = csv_file(
        tmp_path / "培训补贴.csv",
        [
            header,
            f"虎威镇,张三,{valid_id(1)},培训补贴,电工,2023-05-10,,2023-06,1200",
            f"虎威镇,李四,{valid_id(2)},培训补贴,,,S2450009,2023-06,1200",
            f"虎威镇,王五,{valid_id(3)},培训补贴,焊工,,,2023-06,1200",
        ],
    )
    plan = plan_import([path], load_policy(None), tmp_path / "none.db")
    keyed = dict(zip(plan.entries["person_id"], plan.entries["identities"], strict=True))
    assert keyed[valid_id(1)] == f"训:{valid_id(1)}@电工@2023-05-10"
    assert keyed[valid_id(2)] == f"训:{valid_id(2)}@证:S2450009"
    assert list(plan.problems["code"]) == ["no_item"]
    assert "培训项目" in plan.problem_list()[0]["message"]


@pytest.mark.parametrize(
    ("typed", "known"),
    [("职业技能培训", "职业技能培训"), ("就业技能培训", "职业技能培训"), ("SYB创业培训", "创业培训"),
     ("企业新型学徒制以工代训", "以工代训"), ("鲁渝协作以工代训", "鲁渝协作以工代训"),
     ("东西部协作以工代训", "鲁渝协作以工代训"), ("兴趣班", "兴趣班")],
)  # fmt: skip
def test_training_types(typed, known):
    assert training_type(typed) == known


@pytest.mark.parametrize(
    ("typed", "known"),
    [("合格", "合格"), ("考核合格", "合格"), ("职业技能等级证书", "取得证书"),
     ("取得初级工证书", "取得证书"), ("不合格", "不合格"), ("考核不合格（补考合格证未发）", "不合格"),
     ("未取得证书", "不合格"), ("待定", "待定")],
)  # fmt: skip
def test_training_results_never_read_a_fail_as_a_pass(typed, known):
    assert training_result(typed) == known


def test_first_of_each_keeps_the_first_eligible_row_per_key():
    keys = pd.Series(["a", "a", "a", "b", "b"])
    eligible = pd.Series([False, True, True, True, False])
    assert list(first_of_each(keys, eligible)) == [True, True, False, True, False]


# ---------------------------------------------------------------- the lists as clerks type them


@pytest.mark.parametrize(
    ("kind", "wording", "column"),
    [("training", "培训专业名称", "course"), ("training", "培训类别", "training_type"),
     ("training", "开班时间", "start_date"), ("training", "结业时间", "end_date"),
     ("training", "实际出勤天数", "days"), ("training", "培训课时数", "hours"),
     ("training", "鉴定结果", "result"), ("training", "职业技能等级证书编号", "certificate_no"),
     ("training", "企业统一社会信用代码", "employer_code"), ("training", "用工单位名称", "employer_name"),
     ("training", "以工代训月份", "period"), ("training", "申请补贴金额（元）", "amount"),
     ("training", "学员身份证号码", "id_number"), ("travel", "出发日期", "travel_date"),
     ("travel", "乘车时间", "travel_date"), ("travel", "外出务工地", "destination"),
     ("payments", "培训工种", "course"), ("payments", "结业日期", "course_end"),
     ("payments", "证书编号", "certificate_no")],
)  # fmt: skip
def test_clerks_wordings(kind, wording, column):
    from fengdu_cli.io.recognise import Recogniser

    assert set(Recogniser(kind).text_matches(wording)) == {column}


def test_a_training_roll_is_read_with_its_values_known(tmp_path):
    import datetime as dt

    from fengdu_cli.validate import check_paths

    path = xlsx(
        tmp_path / "培训名单.xlsx",
        [
            ["丰都县2024年职业技能培训及以工代训花名册"],
            ["序号", "学员姓名", "公民身份号码", "所在乡镇", "培训工种", "培训类别", "开班日期",
             "结业日期", "出勤天数", "考核结果", "证书编号", "企业名称", "统一社会信用代码",
             "所属月份", "申请金额"],
            [1, "张三", valid_id(1), "虎威镇", "电工", "就业技能培训", "2024.6.1", "2024年6月10日",
             8, "职业技能等级证书", "S2450001", None, None, None, None],
            [2, "李四", valid_id(2), "虎威镇", "以工代训", "鲁渝协作以工代训", None, None, None, None,
             None, "某合作社", "93500230MA5U000011", "2024年6月", 501],
            [3, "王五", valid_id(3), "虎威镇", "瑜伽", "兴趣班", "2024-06-01", "2024-06-03", 3,
             "待定", None, None, None, None, None],
        ],
    )  # fmt: skip
    checked = check_paths([path], "training", on=dt.date(2024, 6, 30))
    rows = checked.valid.set_index("name")
    assert rows.loc["张三", "training_type"] == "职业技能培训"
    assert rows.loc["张三", "result"] == "取得证书"
    assert rows.loc["张三", "end_date"] == pd.Timestamp("2024-06-10")
    assert rows.loc["李四", "training_type"] == "鲁渝协作以工代训"
    assert rows.loc["李四", "period"] == 202406
    assert rows.loc["李四", "amount"] == 501
    assert rows.loc["王五", "training_type"] == "兴趣班"  # kept, and said
    bad = checked.problems[checked.problems["code"].eq("bad_category")]
    assert set(bad["column"]) == {"training_type", "result"}


def test_a_travel_list_places_its_destinations(tmp_path):
    import datetime as dt

    from fengdu_cli.validate import check_paths

    path = xlsx(
        tmp_path / "出行名单.xlsx",
        [
            ["姓名", "身份证号码", "出发日期", "目的地"],
            ["张三", valid_id(1), "2024-05-10", "山东省济南市"],
            ["李四", valid_id(2), "2024-05-11", "外地"],
        ],
    )
    checked = check_paths([path], "travel", on=dt.date(2024, 6, 30))
    rows = checked.valid.set_index("name")
    assert rows.loc["张三", "destination_region"] == "shandong"
    bad = checked.problems[checked.problems["code"].eq("bad_category")]
    assert list(bad["column"]) == ["destination"]


def test_history_key_reads_our_own_csv_key():
    """A line of our own payments CSV names its course in the ledger key it was paid under."""
    person = "500230199004283094"
    base, identities = training.history_key({"key": f"{person}@育婴员@2024-06-13"}, person, 202406)
    assert (base, identities) == (f"{person}@育婴员@2024-06-13", f"训:{person}@育婴员@2024-06-13")
    with pytest.raises(HistoryKeyError):  # another person's key is not this row's
        training.history_key({"key": "500230198001010010@育婴员@2024-06-13"}, person, 202406)


# ---------------------------------------------------------------- review: money and crashes

DEMO_VALUES = {"amount_skill": Decimal("1200"), "amount_startup": Decimal("800"),
               "amount_living_per_day": Decimal("30")}  # fmt: skip


@settings(max_examples=200)
@given(st.sampled_from([120000, 80000]), st.integers(0, 400), st.integers(1, 999))
def test_a_past_line_fits_a_course_plus_whole_days(course, days, off):
    """A past 培训补贴 line is a course amount plus the living allowance × whole days: any
    such amount fits, whatever the days; one that is not (some fen off a day, less than
    the smallest course) does not; without a living allowance only a course amount fits."""
    assert training.history_amount_fits(course + days * 3000, DEMO_VALUES)
    assert not training.history_amount_fits(course + days * 3000 + off, DEMO_VALUES)
    assert not training.history_amount_fits(80000 - off, DEMO_VALUES)
    alone = {k: v for k, v in DEMO_VALUES.items() if k != "amount_living_per_day"}
    assert training.history_amount_fits(course, alone)
    assert not training.history_amount_fits(course + (days + 1) * 3000, alone)


def test_ledger_import_of_our_training_lines_with_the_living_allowance(tmp_path):
    """Our own lines (course + 生活费) are imported, not refused as over the course amount;
    one that is no course plus whole days is an amount_mismatch, said in words, recorded
    only when accepted."""
    header = "rule,person_id,person_name,amount,period,key"
    a, b = valid_id(11), valid_id(12)
    path = csv_file(
        tmp_path / "payments-2024-06.csv",
        [header, f"training,{a},甲,1470.00,2024-06,{a}@电工@2024-06-10",
         f"training,{b},乙,1471.00,2024-06,{b}@焊工@2024-06-10"],
    )  # fmt: skip
    plan = plan_import([path], DEMO_POLICY, tmp_path / "none.db")
    assert list(plan.to_record["person_id"]) == [a]
    assert plan.problem_counts() == {"amount_mismatch": 1}
    said = plan.problem_list()[0]["message"]
    assert "1471.00" in said and "生活费30.00元/天" in said
    accepted = plan_import([path], DEMO_POLICY, tmp_path / "none.db", accept_amounts=True)
    assert sorted(accepted.to_record["amount_fen"]) == [147000, 147100]


def test_a_training_list_without_courses_computes_no_line():
    """Only 以工代训 rows (or only a header): no candidate, no crash."""
    case = {"month": "2024-06", "people": [{"id": "a"}],
            "lists": {"training": [{"person": "a", "training_type": "以工代训", "period": "2024-06"}]}}  # fmt: skip
    ctx, _, _ = build(case)
    values = DEMO_POLICY.rule("training").values_for(pd.Timestamp("2024-06-30").date()).typed
    for rows in (ctx.extra["training"], ctx.extra["training"].iloc[0:0]):
        frame = training.evaluate(dataclasses.replace(ctx, extra={"training": rows}), values)
        assert frame.empty and "basis" in frame


def test_absurd_days_are_bad_number_when_read(tmp_path):
    import datetime as dt

    from fengdu_cli.validate import check_paths

    path = xlsx(
        tmp_path / "培训名单.xlsx",
        [["姓名", "身份证号码", "培训工种", "培训类别", "结业日期", "出勤天数", "学时"],
         ["甲", valid_id(1), "电工", "职业技能培训", "2024-06-10", 1e308, None],
         ["乙", valid_id(2), "电工", "职业技能培训", "2024-06-10", 2.5, None],
         ["丙", valid_id(3), "电工", "职业技能培训", "2024-06-10", None, 2929],
         ["丁", valid_id(4), "电工", "职业技能培训", "2024-06-10", 366, 2928]],
    )  # fmt: skip
    checked = check_paths([path], "training", on=dt.date(2024, 6, 30))
    bad = checked.problems[checked.problems["code"].eq("bad_number")]
    assert sorted(zip(bad["row"], bad["column"], strict=True)) == [
        (2, "days"),
        (3, "days"),
        (4, "hours"),
    ]
    assert checked.valid.set_index("name").loc["丁", "days"] == 366


def test_the_same_training_is_one_group_whatever_links_it():
    """Rows sharing any token with each other, directly or through another row, are one
    training: the first eligible row of the group pays."""
    tokens = pd.Series(["c1|s1", "c2|s1", "c2", "c3", "c3|s9", "c4"])
    eligible = pd.Series([True, True, True, False, True, True])
    assert list(training.first_of_groups(tokens, eligible)) == [
        True,
        False,
        False,
        True,
        True,
        True,
    ]


def test_shandong_leaves_a_person_month_the_county_program_pays():
    """One person's month of 以工代训 is one training: when both programs are in force
    (2021-09…2021-12) the county's work_training pays it and shandong_work_training leaves it
    (its condition other_program), said in words; the month goes on."""
    from fengdu_cli.messages import in_words
    from fengdu_cli.rules import shandong_work_training, work_training

    case = {
        "month": "2021-12", "people": [{"id": "a"}, {"id": "b"}],
        "jobs": [{"person": "a", "employer": "e1", "start": dt_date(2021, 1, 1)},
                 {"person": "b", "employer": "e1", "start": dt_date(2021, 1, 1)}],
        "lists": {"training": [
            {"person": "a", "employer": "e1", "training_type": "以工代训", "period": "2021-12"},
            {"person": "a", "employer": "e1", "training_type": "鲁渝协作以工代训", "period": "2021-12"},
            {"person": "b", "employer": "e1", "training_type": "鲁渝协作以工代训", "period": "2021-12"},
        ]},
    }  # fmt: skip
    ctx, _, ids = build(case)
    day = dt_date(2021, 12, 31)
    county = work_training.evaluate(ctx, DEMO_POLICY.rule("work_training").values_for(day).typed)
    values = DEMO_POLICY.rule("shandong_work_training").values_for(day).typed
    frame = shandong_work_training.evaluate(ctx, values)
    frame = shandong_work_training.beside(frame, {"work_training": county}, values.shown(202112))
    by_person = frame.set_index("person_id")
    assert not by_person.loc[ids.person("a"), "eligible"]
    assert in_words(by_person.loc[ids.person("a"), "failed"]).startswith(
        "同一人同一月未按县级以工代训"
    )
    assert by_person.loc[ids.person("b"), "eligible"]
    untouched = shandong_work_training.beside(frame, {}, values.shown(202112))
    assert untouched is frame  # the county's rule not computed this month: nothing left to it


def test_the_sibling_programs_are_declared_both_ways():
    from fengdu_cli.policy import RULE_CODES
    from fengdu_cli.subsidy import SHARED_SCOPE

    for code, others in SHARED_SCOPE.items():
        assert all(code in SHARED_SCOPE[o] for o in others)
    assert RULE_CODES.index("work_training") < RULE_CODES.index("shandong_work_training")
