"""Public posts (公益性岗位): the list's wordings, the one-year limit, the exit list (有序退岗).

The rule's boundaries are in ``tests/rules/public_post.toml``; here: how a post list in a
clerk's own words is read, the contract limit as a property, and the exit list — who is on
it, why, what to do, and the workbook the townships get (IDs masked, names kept).
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fengdu_cli import dates
from fengdu_cli.io import names
from fengdu_cli.io.post_exits import write_post_exits
from fengdu_cli.io.recognise import Recogniser
from fengdu_cli.messages import in_words
from fengdu_cli.needs import needed_columns
from fengdu_cli.rules import public_post
from fengdu_cli.validate import check_paths
from tests.makers import valid_id, xlsx
from tests.test_rule_cases import DEMO_POLICY, build

# ---------------------------------------------------------------- reading a post list


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("岗位名称", "post_name"),
        ("公益性岗位名称", "post_name"),
        ("用工单位", "employer_name"),
        ("管理单位", "employer_name"),
        ("合同起始日期", "contract_start"),
        ("劳务协议开始日期", "contract_start"),
        ("合同签订日期", "contract_start"),
        ("合同终止日期", "contract_end"),
        ("劳动合同到期日期", "contract_end"),
        ("是否购买人身意外伤害保险", "accident_insurance"),
        ("意外险购买情况", "accident_insurance"),
        ("岗位补贴标准（元/月）", "subsidy_amount"),
        ("月补贴标准", "subsidy_amount"),
    ],
)
def test_post_list_wordings(header, column):
    assert set(Recogniser("posts").text_matches(header)) == {column}


@pytest.mark.parametrize("header", ["合同起止日期", "社保补贴金额", "意外险保费缴纳日期"])
def test_post_list_words_that_rule_a_column_out(header):
    matches = Recogniser("posts").text_matches(header)
    assert not {"contract_start", "contract_end", "subsidy_amount", "accident_insurance"} & set(
        matches
    )


def test_the_rule_needs_only_what_a_post_list_can_hold():
    assert needed_columns("posts") >= {
        "contract_start", "contract_end", "accident_insurance", "subsidy_amount",
    }  # fmt: skip


def test_a_post_list_in_a_clerks_words(tmp_path):
    one, two, three, four = (valid_id(k) for k in range(1, 5))
    (tmp_path / "posts").mkdir()
    path = xlsx(
        tmp_path / "posts" / "虎威镇公益性岗位.xlsx",
        [
            ["虎威镇公益性岗位在岗人员花名册"],
            ["序号", "姓名", "身份证号", "岗位", "管理单位", "合同签订日期", "合同到期日期",
             "意外险", "月补贴标准"],
            [1, "张三", one, "护林员", "虎威镇人民政府", "2024.1.1", "2024.12.31", "已购买", "600"],
            [2, "李四", two, "保洁员", "虎威镇人民政府", "2024年1月1日", "2024-12-31", "未购买", ""],
            [3, "王五", three, "护林员", "虎威镇人民政府", "2024-01-01", "2024-12-31", "✓", "六百"],
            [4, "赵六", four, "护林员", "虎威镇人民政府", "2024-01-01", "2024-12-31", "办理中", "600"],
        ],
    )  # fmt: skip
    checked = check_paths([path.parent], "posts", on=dt.date(2024, 6, 30))
    rows = checked.valid.set_index("id_number")
    assert rows.loc[one, "accident_insurance"] is True
    assert rows.loc[two, "accident_insurance"] is False
    assert rows.loc[three, "accident_insurance"] is True
    assert rows.loc[one, "contract_start"] == pd.Timestamp(2024, 1, 1)
    assert rows.loc[two, "contract_start"] == pd.Timestamp(2024, 1, 1)
    assert rows.loc[one, "subsidy_amount"] == 600
    codes = set(zip(checked.problems["column"], checked.problems["code"], strict=True))
    assert ("accident_insurance", "bad_category") in codes  # 办理中: kept, unknown
    assert ("subsidy_amount", "bad_number") in codes  # 六百
    assert rows.loc[four, "_gap_accident_insurance"] == "bad_value"
    assert rows.loc[three, "_gap_subsidy_amount"] == "bad_value"


@pytest.mark.parametrize("standard", ["-600", "0", "0.00", -600, 0])
def test_a_standard_of_zero_or_less_is_a_bad_number(tmp_path, standard):
    """A 岗位补贴标准 of 0 or less is no standard: a bad_number on the row, the value left
    unknown (the holder is then 无法判断, never paid 0 or less, never the policy's amount)."""
    one = valid_id(1)
    (tmp_path / "posts").mkdir()
    path = xlsx(
        tmp_path / "posts" / "posts.xlsx",
        [
            ["姓名", "身份证号", "岗位名称", "合同起始日期", "合同终止日期", "是否购买人身意外伤害保险",
             "岗位补贴标准（元/月）"],
            ["张三", one, "保洁员", "2024-01-01", "2024-12-31", "是", standard],
        ],
    )  # fmt: skip
    checked = check_paths([path.parent], "posts", on=dt.date(2024, 6, 30))
    row = checked.valid.set_index("id_number").loc[one]
    assert pd.isna(row["subsidy_amount"])
    assert row["_gap_subsidy_amount"] == "bad_value"
    problems = checked.problems
    assert problems[problems["column"].eq("subsidy_amount")]["code"].tolist() == ["bad_number"]


# ---------------------------------------------------------------- 期限不得超过1年


@pytest.mark.parametrize(
    ("start", "limit"),
    [
        ("2024-01-01", "2024-12-31"),
        ("2023-07-01", "2024-06-30"),
        ("2024-02-29", "2025-02-28"),  # no 29 February next year
        ("2023-03-31", "2024-03-30"),
        ("2024-12-31", "2025-12-30"),
    ],
)
def test_contract_limit_examples(start, limit):
    got = public_post.contract_limit(pd.Series(pd.to_datetime([start])), 12)
    assert got.iloc[0] == pd.Timestamp(limit)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_contract_limit_is_the_day_before_the_anniversary(start):
    limit = public_post.contract_limit(pd.Series([pd.Timestamp(start)]), 12).iloc[0].date()
    anniversary = limit + dt.timedelta(days=1)
    if (start.month, start.day) == (2, 29):
        assert anniversary == dt.date(start.year + 1, 3, 1)
    else:
        assert anniversary == start.replace(year=start.year + 1)
    assert 365 <= (limit - start).days + 1 <= 366  # both days counted: one year


def test_a_missing_start_gives_no_limit():
    got = public_post.contract_limit(pd.Series([pd.NaT], dtype="datetime64[ns]"), 12)
    assert got.isna().all()


# ---------------------------------------------------------------- the exit list


def _exit_case() -> dict:
    year = {"contract_start": dt.date(2024, 1, 1), "contract_end": dt.date(2024, 12, 31)}
    return {
        "month": "2024-06",
        "policy": "demo",
        "people": [
            {"id": "ok", "township": "虎威镇", "labor": "弱劳动力"},
            {"id": "long", "township": "虎威镇"},
            {"id": "no_insurance", "township": "社坛镇"},
            {"id": "lost", "township": "社坛镇", "labor": "丧失劳动力"},
            {"id": "working", "township": "虎威镇"},
            {"id": "two_wrongs", "township": "虎威镇"},
            {"id": "unknown", "township": "虎威镇"},
            {"id": "two_months", "township": "虎威镇"},
        ],
        "contributions": [
            {"person": "working", "employer": "firm", "from": "2024-04", "to": "2024-06"},
            {"person": "two_months", "employer": "firm", "from": "2024-05", "to": "2024-06"},
        ],
        "lists": {
            "posts": [
                {"person": "ok", "township": "虎威镇", "accident_insurance": "是", **year},
                {"person": "long", "township": "虎威镇", "accident_insurance": "是",
                 "contract_start": dt.date(2024, 1, 1), "contract_end": dt.date(2025, 1, 1)},
                {"person": "no_insurance", "township": "社坛镇", "accident_insurance": "否",
                 **year},
                {"person": "lost", "township": "社坛镇", "accident_insurance": "是", **year},
                {"person": "working", "township": "虎威镇", "accident_insurance": "是", **year},
                {"person": "outsider", "name": "外人", "township": "社坛镇",
                 "accident_insurance": "是", **year},
                {"person": "two_wrongs", "township": "虎威镇", "accident_insurance": "否",
                 "contract_start": dt.date(2024, 1, 1), "contract_end": dt.date(2025, 6, 30)},
                {"person": "unknown", "township": "虎威镇", "accident_insurance": "办理中",
                 **year},
                {"person": "two_months", "township": "虎威镇", "accident_insurance": "是",
                 **year},
            ]
        },
    }  # fmt: skip


@pytest.fixture(scope="module")
def exit_list():
    case = _exit_case()
    ctx, _, ids = build(case)
    period = DEMO_POLICY.rule("public_post").values_for(dates.last_day(ctx.month))
    frame = public_post.evaluate(ctx, period.typed)
    return public_post.exits(frame), ids


def _row(exits: pd.DataFrame, ids, label: str) -> pd.Series:
    rows = exits[exits["person_id"].eq(ids.person(label))]
    assert len(rows) == 1, label
    return rows.iloc[0]


def test_the_exit_list_names_whoever_breaks_a_rule(exit_list):
    exits, ids = exit_list
    listed = set(exits["person_id"])
    for label in ("long", "no_insurance", "lost", "working", "outsider", "two_wrongs"):
        assert ids.person(label) in listed, label
    # eligible, 2 months insured elsewhere, or 无法判断 (on the undetermined list instead)
    for label in ("ok", "two_months", "unknown"):
        assert ids.person(label) not in listed, label
    assert len(exits) == 6


def test_each_reason_in_chinese_and_what_to_do(exit_list):
    exits, ids = exit_list
    long = _row(exits, ids, "long")
    assert in_words(long["reasons"]) == "合同2024-01-01 – 2025-01-01超过1年（最晚应止于2024-12-31）"
    assert in_words(long["advice"]).startswith("限期整改")
    assert in_words(_row(exits, ids, "no_insurance")["reasons"]).startswith(
        "未购买人身意外伤害保险"
    )
    assert in_words(_row(exits, ids, "lost")["reasons"]) == "劳动能力为“丧失劳动力”"
    assert in_words(_row(exits, ids, "lost")["advice"]).startswith("按“有序退岗”要求退出岗位")
    working = in_words(_row(exits, ids, "working")["reasons"])
    assert working == f"已在其他单位稳定就业（{ids.employer('firm')}连续缴纳社保3个月）"
    outsider = _row(exits, ids, "outsider")
    assert in_words(outsider["reasons"]) == "不在花名册（非安置对象）"  # not "unable" too
    assert outsider["person_name"] == "外人"
    both = _row(exits, ids, "two_wrongs")["reasons"]
    assert [s.key for s in both] == ["exit_reason_term", "exit_reason_accident"]
    assert in_words(_row(exits, ids, "two_wrongs")["advice"]).startswith("限期整改")


def test_the_exit_list_is_sorted_by_township(exit_list):
    exits, _ = exit_list
    assert list(exits["township"]) == sorted(exits["township"])


def test_the_exit_workbook_masks_ids_and_keeps_names(exit_list, tmp_path):
    exits, ids = exit_list
    target = tmp_path / names.posts_exit_book(202406, committed=False)
    assert target.name == "posts-exit-2024-06-试算.xlsx"
    assert names.posts_exit_book(202406, committed=True) == "posts-exit-2024-06.xlsx"
    write_post_exits(exits, target, month=202406, trial=True)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["全县", "虎威镇", "社坛镇"]
    cells = [
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    text = "\n".join(cells)
    assert all(ids.person(label) not in text for label in ("long", "working", "outsider"))
    assert "外人" in text
    first = book["全县"]
    assert "试算" in str(first["A1"].value) and "有序退岗" in str(first["A1"].value)
    assert first.print_title_rows == "$2:$2"  # the header on every page
    assert first.page_setup.orientation == "landscape"
    # a trial says so on every printed page of every sheet, not only in its title
    assert all("试算" in ws.oddHeader.center.text for ws in book.worksheets)
    # the reasons are written in their printed lines: a closing bracket never starts one
    reasons = [
        str(v) for ws in book.worksheets for v in next(ws.iter_cols(9, 9, 3, values_only=True))
    ]
    lines = [line for v in reasons for line in v.split("\n")]
    assert any("\n" in v for v in reasons) and not [x for x in lines if x[:1] in "）)，。；"]


def test_a_committed_exit_list_has_no_trial_header(exit_list, tmp_path):
    exits, _ = exit_list
    target = tmp_path / "posts-exit-2024-06.xlsx"
    write_post_exits(exits, target, month=202406, trial=False)
    assert not openpyxl.load_workbook(target)["全县"].oddHeader.center.text


def test_an_empty_exit_list_is_still_written(tmp_path):
    target = tmp_path / "posts-exit-2024-06.xlsx"
    empty = pd.DataFrame(columns=public_post.EXIT_COLUMNS)
    write_post_exits(empty, target, month=202406, trial=False)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["全县"]
    assert "0人" in str(book["全县"]["A1"].value)


@pytest.mark.parametrize("standard", ["-600", "0"])
def test_the_sample_month_never_pays_a_standard_of_zero_or_less(tmp_path, standard):
    """The sample's posts list replaced by one holder with a 岗位补贴标准 of ``standard``: no
    public_post line, the holder 无法判断 (and validate reports a bad_number)."""
    import shutil
    from pathlib import Path

    from fengdu_cli.subsidy import compute_subsidies

    root = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent.parent / "sample_data", root)
    for old in (root / "posts").iterdir():
        old.unlink()
    xlsx(
        root / "posts" / "posts.xlsx",
        [
            ["乡镇（街道）", "岗位名称", "姓名", "身份证号", "用工单位", "合同起始日期", "合同终止日期",
             "是否购买人身意外伤害保险", "岗位补贴标准（元/月）"],
            ["虎威镇", "保洁员", "张俊富", "500230198110042353", "丰都县虎威镇人民政府",
             "2024-01-01", "2024-12-31", "是", standard],
        ],
    )  # fmt: skip
    result = compute_subsidies(
        root, 202406, tmp_path / "none.db", policy_path=root / "policy-demo.toml"
    )
    assert result.counts()["public_post"] == 0
    assert result.undetermined_counts().get("public_post") == 1
    problems = result.checked["posts"].problems
    assert ("subsidy_amount", "bad_number") in set(
        zip(problems["column"], problems["code"], strict=True)
    )
