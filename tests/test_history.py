"""Payments made before the tool (``fengdu ledger import``): the first month pays none twice.

The history is a set of 花名册 in the shape the county's own lists have: a title row that
names the program and the month, a header, township subtotals, a 合计 row and the signature
footer.  It covers 2021–2024 for the hand-built people of ``tests/test_subsidy.py``.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from fengdu_cli import dates, ledger
from fengdu_cli.cli import app
from fengdu_cli.errors import UsageError
from fengdu_cli.explain import explain
from fengdu_cli.history import commit_import, plan_import, program_of
from fengdu_cli.policy import load_policy
from fengdu_cli.subsidy import compute_subsidies
from tests.makers import employer, valid_id, wrong_check, xlsx
from tests.test_subsidy import M, payees

FOOTER = ["经办人：", None, "审核人：", None, "负责人："]


def roster_list(path, title, header, rows, town="虎威镇"):
    """A 花名册 as townships and the bureau print them."""
    width = len(header)
    body = [[i + 1, *row] for i, row in enumerate(rows)]
    amount = header.index(next(h for h in header if "金额" in h))
    total = sum(float(r[amount]) for r in rows)
    sheet = [
        [title],
        ["填报单位：丰都县人力资源和社会保障局", None, None, "单位：元"],
        ["序号", *header],
        *body,
        [f"{town} 小计", *([None] * amount), total],
        ["合计", *([None] * amount), total],
        FOOTER,
    ]
    return xlsx(path, sheet, merges=(f"A1:{chr(64 + width + 1)}1",))


@pytest.fixture
def history(world, tmp_path):
    root, ids = world
    folder = tmp_path / "history"
    folder.mkdir()
    person = ["乡镇", "村（社区）", "姓名", "身份证号码", "补助金额（元）"]
    roster_list(
        folder / "2024年3月跨区域交通补助发放花名册.xlsx",
        "丰都县2024年3月跨区域交通补助发放花名册",
        person,
        [
            ["虎威镇", "新华村", "测试11", ids["guangdong"], 200],
            ["虎威镇", "新华村", "测试12", ids["outside_new"], 150],  # not the policy's amount
        ],
    )
    roster_list(
        folder / "2023年交通补助.xlsx",
        "丰都县2023年12月跨区域交通补助发放花名册",
        person,
        [["虎威镇", "新华村", "测试9", ids["age16"], 50]],  # another year: June pays again
    )
    roster_list(
        folder / "求职创业补贴-202305.xlsx",
        "丰都县2023年5月一次性求职创业补贴发放花名册",
        person,
        [
            ["虎威镇", "新华村", "测试11", ids["guangdong"], 500],
            ["虎威镇", "新华村", "某某", wrong_check(valid_id(77)), 500],  # an ID that fails
        ],
    )
    roster_list(
        folder / "稳岗补贴.xlsx",
        "丰都县2023年8月鲁渝劳务协作稳岗补贴发放花名册",
        person,
        [["虎威镇", "新华村", "测试13", ids["shandong"], 3000]],
    )
    roster_list(
        folder / "吸纳就业补贴2023年11月.xlsx",
        "丰都县2023年11月一次性吸纳就业补贴发放花名册",
        ["单位名称", "统一社会信用代码", "职工姓名", "身份证号码", "补贴金额"],
        [["单位1", employer(1), "测试1", ids["hire12"], 6000]],
    )
    roster_list(
        folder / "创业补助.xlsx",
        "丰都县2024年2月一次性创业补助发放花名册",
        ["乡镇", "户编号", "户主姓名", "身份证号码", "补助金额"],
        [["虎威镇", "H15", "测试15", ids["owner_ok"], 8000]],
    )
    months = dates.months_range(202107, 202405)  # 35 months in the workshop before June
    roster_list(
        folder / "车间奖补.xlsx",
        "丰都县就业帮扶车间带动就业奖补发放表",
        ["车间名称", "姓名", "身份证号码", "发放月份", "金额"],
        [["某某帮扶车间", "测试6", ids["shop_ok"], dates.month_text(m), 500] for m in months],
    )
    roster_list(
        folder / "慰问金.xlsx",
        "丰都县2023年春节慰问金发放名单",  # not a program of the notice
        person,
        [["虎威镇", "新华村", "测试9", ids["age16"], 300]],
    )
    return root, ids, folder


def test_a_dry_run_says_what_it_would_record_and_what_it_cannot_place(history, tmp_path):
    _root, ids, folder = history
    plan = plan_import([folder], load_policy(None), tmp_path / "none.db")
    recorded = plan.by_rule_and_month()
    counts = recorded.groupby("rule")["lines"].sum().to_dict()
    assert counts == {
        "travel": 2,  # 2024-03 for one person, 2023-12 for another; the 150 is held back
        "job_seeking_once": 1,
        "shandong_stable": 1,
        "hire_once": 1,
        "startup_household": 1,
        "workshop_monthly": 35,
    }
    assert plan.problem_counts() == {"amount_mismatch": 1, "bad_id": 1, "unknown_program": 1}
    mismatch = plan.problems[plan.problems["code"] == "amount_mismatch"].iloc[0]
    assert (mismatch.file, mismatch.row) == ("2024年3月跨区域交通补助发放花名册.xlsx", 5)
    assert "150.00" in mismatch.message and "50.00、200.00" in mismatch.message
    keys = dict(
        zip(plan.entries["rule"] + plan.entries["person_id"], plan.entries["key"], strict=True)
    )
    assert keys["travel" + ids["guangdong"]] == f"{ids['guangdong']}|2024"
    assert keys["startup_household" + ids["owner_ok"]] == "H15"
    assert not (tmp_path / "none.db").exists()  # a dry run creates nothing


def test_the_first_month_pays_nothing_imported_and_the_cap_counts_both(history, tmp_path):
    root, ids, folder = history
    db = tmp_path / "f.db"
    policy = load_policy(None)
    plan = commit_import(plan_import([folder], policy, db), db, new_db=True)
    assert plan.batch_id.startswith("IMPORT-")
    june = compute_subsidies(root, M, db, commit=True)  # the import is the history: no guard
    assert payees(june, "hire_once") == {}
    assert ids["guangdong"] not in payees(june, "travel")  # paid in 2024-03
    assert ids["outside_new"] in payees(june, "travel")  # its 150 was held back: not recorded
    assert ids["age16"] in payees(june, "travel")  # paid in 2023: a new year
    assert ids["guangdong"] not in payees(june, "job_seeking_once")
    assert ids["shandong"] not in payees(june, "shandong_stable")
    assert payees(june, "startup_household") == {}
    assert payees(june, "workshop_monthly") == {ids["shop_ok"]: 50000}  # the 36th month
    july = compute_subsidies(root, 202407, db, commit=True)
    # 35 imported + 1 committed = 36: capped (the colleague hired a day later is paid now)
    assert payees(july, "workshop_monthly") == {ids["shop_late"]: 50000}
    frame = july.evaluations["workshop_monthly"].frame.set_index("person_id")
    assert frame.loc[ids["shop_ok"], "months_paid"] == 36
    trace = explain(ids["guangdong"], M, root, db).to_dict()
    travel = next(r for r in trace["rules"] if r["code"] == "travel")
    assert travel["outcome"] == "already_paid"
    assert "已于2024年3月发放（导入：2024年3月跨区域交通补助发放花名册.xlsx" in travel["reason"]


def test_the_same_file_is_not_imported_twice_and_an_import_can_be_voided(history, tmp_path):
    root, ids, folder = history
    db = tmp_path / "f.db"
    policy = load_policy(None)
    first = commit_import(plan_import([folder], policy, db), db, new_db=True)
    again = plan_import([folder], policy, db)
    assert len(again.to_record) == 0
    assert set(again.problems["code"]) >= {"already_imported"}
    conn = ledger.connect(db)
    assert ledger.void_batch(conn, first.batch_id, "导入了错误的年份")[1] == len(first.to_record)
    conn.close()
    trial = compute_subsidies(root, M, db)
    assert ids["guangdong"] in payees(trial, "travel")  # the import no longer counts
    assert trial.history_missing


def test_a_commit_without_history_is_refused_unless_said_on_purpose(world, tmp_path):
    root, _ = world
    db = tmp_path / "f.db"
    with pytest.raises(UsageError) as refused:
        compute_subsidies(root, M, db, commit=True)
    assert refused.value.key == "db_missing" and not db.exists()
    with pytest.raises(UsageError) as refused:
        compute_subsidies(root, M, db, commit=True, new_db=True)
    assert refused.value.exit_code == 2 and refused.value.key == "no_history"
    assert compute_subsidies(root, M, db, commit=True, no_history=True).newly_committed


def test_the_cli_imports_with_accept_amounts_and_says_what_it_did(history, tmp_path):
    _root, _ids, folder = history
    db = tmp_path / "f.db"
    runner = CliRunner()
    dry = runner.invoke(app, ["ledger", "import", str(folder), "--db", str(db), "--json"])
    assert dry.exit_code == 1 and not db.exists()
    assert json.loads(dry.output)["entries"] == 41
    refused = runner.invoke(app, ["ledger", "import", str(folder), "--db", str(db), "--commit"])
    assert refused.exit_code == 2 and "--new-db" in refused.output
    done = runner.invoke(
        app, ["ledger", "import", str(folder), "--db", str(db), "--commit", "--new-db",
              "--accept-amounts", "--json"],
    )  # fmt: skip
    summary = json.loads(done.output)
    assert summary["committed"] and summary["entries"] == 42
    shown = runner.invoke(app, ["ledger", "show", "--db", str(db)])
    assert summary["batch_id"] in shown.output
    assert json.loads(runner.invoke(app, ["ledger", "check", "--db", str(db), "--json"]).output)[
        "ok"
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("丰都县2022年3月跨区域交通补助发放花名册", "travel"),
        ("一次性求职创业补贴", "job_seeking_once"),
        ("困难家庭学生求职创业补贴", "student_job_seeking"),  # the longer name wins
        ("hire_once", "hire_once"),
        ("车间奖补", "workshop_monthly"),
        ("春节慰问金", None),
    ],
)
def test_program_names(text, code):
    assert program_of(text, load_policy(None)) == code
