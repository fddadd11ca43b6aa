"""A fact the tool could not read makes a person 无法判断, never "no" (DESIGN §6).

Two townships send the same month; 虎威镇's roster has every column, 三合街道's has no 劳动技能
column.  The people of both are alike: who would be flagged or paid in 虎威镇 is 无法判断 in
三合街道, with the file and the column named — on screen, in the JSON, in the workbooks and in
``explain`` — and is neither flagged, nor paid, nor called ineligible.
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from fengdu_cli.cli import app
from fengdu_cli.explain import explain
from fengdu_cli.messages import in_words
from fengdu_cli.messages.problems import problem_words
from fengdu_cli.reconcile import reconcile_month
from fengdu_cli.subsidy import compute_subsidies
from fengdu_cli.validate import check_paths
from tests.conftest import AS_OF
from tests.makers import (
    EMPLOYMENT_HEADER,
    HEADER,
    INSURANCE_HEADER,
    csv_file,
    employer,
    paid,
    person,
    valid_id,
    xlsx,
)

M = 202406
NO_LABOUR = [h for h in HEADER if h != "劳动技能"]


def _without_labour(row: list[object]) -> list[object]:
    return [v for h, v in zip(HEADER, row, strict=True) if h != "劳动技能"]


@pytest.fixture
def month(tmp_path):
    """1/11 work in Guangdong since 2023 (travel 200), 2/12 have no job and no contribution
    (no_record), 3/13 work in the county; 1-3 on the full roster, 11-13 on the one without
    劳动技能.  14 has a category nobody can read."""
    root = tmp_path / "data"
    for folder in ("rosters", "employment", "insurance"):
        (root / folder).mkdir(parents=True)
    people = {n: valid_id(n) for n in (1, 2, 3, 11, 12, 13, 14)}
    xlsx(
        root / "rosters" / "虎威镇.xlsx",
        [HEADER, *(person(n, 身份证号码=people[n], 务工状态="") for n in (1, 2, 3, 14))],
    )
    rows = [person(n, 乡镇="三合街道", 身份证号码=people[n], 务工状态="") for n in (11, 12, 13)]
    xlsx(root / "rosters" / "三合街道.xlsx", [NO_LABOUR, *map(_without_labour, rows)])
    wb = openpyxl.load_workbook(root / "rosters" / "虎威镇.xlsx")
    ws = wb.active
    ws.cell(row=5, column=HEADER.index("人员类别") + 1, value="脱贫人囗")  # person 14: a typo
    wb.save(root / "rosters" / "虎威镇.xlsx")
    jobs = []
    contrib = []
    for n in (1, 11, 14):
        jobs.append(
            [
                people[n],
                f"测试{n}",
                "某电子厂",
                employer(7),
                "2023-03-01",
                None,
                "全日制",
                "广东省东莞市",
            ]
        )
        contrib += paid(people[n], f"测试{n}", employer(7), [202405, 202406])
    for n in (3, 13):
        jobs.append(
            [
                people[n],
                f"测试{n}",
                "某食品厂",
                employer(8),
                "2023-03-01",
                None,
                "全日制",
                "重庆市丰都县",
            ]
        )
        contrib += paid(people[n], f"测试{n}", employer(8), [202405, 202406])
    xlsx(root / "employment" / "就业.xlsx", [EMPLOYMENT_HEADER, *jobs])
    lines = [",".join(INSURANCE_HEADER)]
    lines += [f"{i},{n},{c},{p},{t},4000,640,320" for i, n, c, p, t in contrib]
    csv_file(root / "insurance" / "缴费.csv", lines)
    return root, people


def test_validate_reports_the_missing_column_with_the_persons_and_codes(month):
    root, _ = month
    checked = check_paths([root / "rosters"], "roster", on=AS_OF)
    (gap,) = checked.gaps
    assert (gap.column, gap.cause, gap.persons) == ("labor_capacity", "missing", 3)
    assert {"no_record", "travel", "job_seeking_once"} <= set(gap.needed_by)
    problems = problem_words(checked.problems, "zh")
    problem = problems[problems["code"] == "missing_column"].iloc[0]
    assert (problem.file, problem.row, problem.column) == ("三合街道.xlsx", 1, "labor_capacity")
    assert "3 人" in problem.message and "no_record" in problem.message
    assert checked.problem_counts()["missing_column"] == 1
    assert set(checked.valid["_gap_labor_capacity"]) == {"", "no_column"}


def test_reconcile_lists_them_as_undetermined_not_as_no(month, tmp_path):
    root, people = month
    result = reconcile_month(root, M, tmp_path / "f.db")
    flagged = set(result.warnings.loc[result.warnings["code"] == "no_record", "id_number"])
    assert people[2] in flagged and people[12] not in flagged
    pending = result.undetermined.set_index(["id_number", "code"])["reason"]
    reason = in_words(pending[(people[12], "no_record")])  # a key and parameters until worded
    assert "三合街道.xlsx" in reason and "劳动技能" in reason
    english = in_words(pending[(people[12], "no_record")], "en")
    assert english == "roster 三合街道.xlsx (Sheet1) has no column 'labor_capacity'"
    # someone with a job is not no_record whatever their labour capacity: nothing to list
    assert (people[13], "no_record") not in pending.index
    summary = result.summary()
    assert summary["undetermined"]["no_record"] == 1
    assert summary["labor_unknown"] == 3
    assert summary["missing_columns"][0]["column"] == "labor_capacity"
    assert result.has_problems()


def test_subsidy_does_not_pay_and_does_not_refuse_them(month, tmp_path):
    root, people = month
    result = compute_subsidies(root, M, tmp_path / "f.db")
    travel = set(result.lines.loc[result.lines["rule"] == "travel", "person_id"])
    assert people[1] in travel and people[11] not in travel and people[14] not in travel
    pending = result.undetermined()
    by_person = pending[pending["rule"] == "travel"].set_index("person_id")["reason"].map(in_words)
    assert "花名册 三合街道.xlsx（Sheet1）缺少“劳动技能”列" in by_person[people[11]]
    assert "“人员类别”填写的“脱贫人囗”无法识别" in by_person[people[14]]
    assert result.summary()["undetermined"]["travel"] == 2
    frame = result.evaluations["travel"].frame.set_index("person_id")
    assert frame.loc[people[11], "failed"] == ""  # not "not eligible"
    assert not frame.loc[people[11], "eligible"]


def test_explain_names_the_file_and_the_column(month, tmp_path):
    root, people = month
    trace = explain(people[11], M, root, tmp_path / "none.db").to_dict()
    travel = next(r for r in trace["rules"] if r["code"] == "travel")
    assert travel["outcome"] == "undetermined"
    able = next(c for c in travel["conditions"] if c["condition"] == "有劳动能力")
    assert able["ok"] is None and "三合街道.xlsx" in able["value"]


def test_the_cli_says_it_in_red_and_exits_1(month, tmp_path):
    root, _ = month
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["subsidy", "--month", "2024-06", "--data", str(root), "--out", str(out),
              "--db", str(tmp_path / "f.db")],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "无法判断" in result.output and "跨区域交通补助 2 人" in result.output
    book = openpyxl.load_workbook(out / "undetermined-2024-06.xlsx")
    text = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)
    assert "三合街道.xlsx" in text and valid_id(11) not in text  # IDs masked
    result = runner.invoke(
        app, ["reconcile", "--month", "2024-06", "--data", str(root), "--out", str(out),
              "--db", str(tmp_path / "f.db"), "--json"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert json.loads(result.output)["undetermined"] == {"no_record": 1}
    assert "无法判断" in openpyxl.load_workbook(out / "reconcile-2024-06.xlsx").sheetnames


def test_explain_lists_the_facts_it_could_not_read(month, tmp_path):
    root, people = month
    person = explain(people[14], M, root, tmp_path / "none.db").to_dict()["person"]
    assert person["unknown"] == [
        "花名册 虎威镇.xlsx（Sheet1）第5行“人员类别”填写的“脱贫人囗”无法识别"
    ]
    assert explain(people[1], M, root, tmp_path / "none.db").to_dict()["person"]["unknown"] == []


def _drop(path, header: list[str], rows: list[list[object]], column: str) -> None:
    keep = [j for j, h in enumerate(header) if h != column]
    xlsx(path, [[header[j] for j in keep], *[[r[j] for j in keep] for r in rows]])


@pytest.mark.parametrize(
    ("kind", "column"),
    [("rosters", h) for h in HEADER if h not in ("姓名", "身份证号码")]
    + [("employment", h) for h in EMPLOYMENT_HEADER[4:] if h != "就业开始日期"]
    + [("employment", "用人单位名称"), ("employment", "姓名")],
)
def test_any_column_that_is_not_required_may_be_missing(tmp_path, kind, column):
    """Every command still runs (never exit 5); what the column was needed for is 无法判断."""
    root = tmp_path / "data"
    for folder in ("rosters", "employment", "insurance"):
        (root / folder).mkdir(parents=True)
    people = [person(n, 务工状态="市外务工") for n in (1, 2, 3)]
    jobs = [[valid_id(n), f"测试{n}", "某厂", employer(n), "2023-01-02", None, "全日制", "广东东莞"]
            for n in (1, 2)]  # fmt: skip
    if kind == "rosters":
        _drop(root / "rosters" / "r.xlsx", HEADER, people, column)
        xlsx(root / "employment" / "e.xlsx", [EMPLOYMENT_HEADER, *jobs])
    else:
        xlsx(root / "rosters" / "r.xlsx", [HEADER, *people])
        _drop(root / "employment" / "e.xlsx", EMPLOYMENT_HEADER, jobs, column)
    contrib = paid(valid_id(1), "测试1", employer(1), [*list(range(202301, 202313)), 202406])
    lines = [",".join(INSURANCE_HEADER)] + [
        f"{i},{n},{c},{p},{t},4000,640,320" for i, n, c, p, t in contrib
    ]
    csv_file(root / "insurance" / "i.csv", lines)
    runner = CliRunner()
    db = str(tmp_path / "f.db")
    for args in (
        [
            "reconcile",
            "--month",
            "2024-06",
            "--data",
            str(root),
            "--out",
            str(tmp_path),
            "--db",
            db,
        ],
        ["subsidy", "--month", "2024-06", "--data", str(root), "--out", str(tmp_path), "--db", db],
        ["explain", valid_id(1), "--month", "2024-06", "--data", str(root), "--db", db],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (args[0], result.output)


@pytest.mark.parametrize("kind", ["rosters", "employment", "insurance"])
def test_a_kind_whose_files_hold_a_header_and_no_rows(month, tmp_path, kind):
    root, _ = month
    for f in (root / kind).iterdir():
        f.unlink()
    header = {"rosters": "姓名,身份证号码", "employment": "身份证号码,姓名,统一社会信用代码,就业开始日期",
              "insurance": "身份证号码,姓名,统一社会信用代码,费款所属期,险种"}[kind]  # fmt: skip
    csv_file(root / kind / "empty.csv", [header])
    runner = CliRunner()
    for command in ("reconcile", "subsidy"):
        result = runner.invoke(
            app, [command, "--month", "2024-06", "--data", str(root), "--out", str(tmp_path),
                  "--db", str(tmp_path / "f.db")],
        )  # fmt: skip
        assert result.exit_code in (0, 1), (command, result.output)
