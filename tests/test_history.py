"""Payments made before the tool (``fengdu ledger import``): the first month pays none twice.

The history is a set of 花名册 in the shape the county's own lists have: a title row that
names the program and the month, a header, township subtotals, a 合计 row and the signature
footer.  It covers 2021–2024 for the hand-built people of ``tests/test_subsidy.py``.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from fengdu_cli import dates, store
from fengdu_cli.cli import app
from fengdu_cli.errors import InputError, UsageError
from fengdu_cli.explain import explain
from fengdu_cli.history import commit_import, plan_import, program_of
from fengdu_cli.policy import load_policy
from fengdu_cli.store import ledger
from fengdu_cli.subsidy import compute_subsidies
from tests.makers import csv_file, employer, valid_id, wrong_check, xlsx
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
    # 35 months in the workshop: every month of the policy before June, and two after it
    months = [*dates.months_range(202109, 202405), 202408, 202409]
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


def test_a_dry_run_says_what_it_would_record_and_what_it_cannot_place(history, db_url):
    _root, ids, folder = history
    plan = plan_import([folder], load_policy(None), db_url)
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
    assert "150.00" in mismatch.message.text() and "50.00、200.00" in mismatch.message.text()
    keys = dict(
        zip(plan.entries["rule"] + plan.entries["person_id"], plan.entries["key"], strict=True)
    )
    assert keys["travel" + ids["guangdong"]] == f"{ids['guangdong']}|2024"
    assert keys["startup_household" + ids["owner_ok"]] == "H15"
    assert not store.exists(db_url)  # a dry run creates nothing


def test_the_first_month_pays_nothing_imported_and_the_cap_counts_both(history, tmp_path, db_url):
    root, ids, folder = history
    db = db_url
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


def test_the_same_file_is_not_imported_twice_and_an_import_can_be_voided(history, tmp_path, db_url):
    root, ids, folder = history
    db = db_url
    policy = load_policy(None)
    first = commit_import(plan_import([folder], policy, db), db, new_db=True)
    again = plan_import([folder], policy, db)
    assert len(again.to_record) == 0
    assert set(again.problems["code"]) >= {"already_imported"}
    conn = store.connect(db)
    assert ledger.void_batch(conn, first.batch_id, "导入了错误的年份")[1] == len(first.to_record)
    conn.close()
    trial = compute_subsidies(root, M, db)
    assert ids["guangdong"] in payees(trial, "travel")  # the import no longer counts
    assert trial.history_missing


def test_a_commit_without_history_is_refused_unless_said_on_purpose(world, tmp_path, db_url):
    root, _ = world
    db = db_url
    with pytest.raises(UsageError) as refused:
        compute_subsidies(root, M, db, commit=True)
    assert refused.value.key == "db_missing" and not store.exists(db)
    with pytest.raises(UsageError) as refused:
        compute_subsidies(root, M, db, commit=True, new_db=True)
    assert refused.value.exit_code == 2 and refused.value.key == "no_history"
    assert not store.exists(db)  # refused before the ledger was made
    assert compute_subsidies(root, M, db, commit=True, new_db=True, no_history=True).newly_committed


def test_the_cli_imports_with_accept_amounts_and_says_what_it_did(history, tmp_path, db_url):
    _root, _ids, folder = history
    db = db_url
    runner = CliRunner()
    dry = runner.invoke(app, ["ledger", "import", str(folder), "--db", str(db), "--json"])
    assert dry.exit_code == 1 and not store.exists(db)
    assert json.loads(dry.output)["entries"] == 41
    refused = runner.invoke(app, ["ledger", "import", str(folder), "--db", str(db), "--commit"])
    assert refused.exit_code == 2 and "--new-db" in refused.output
    done = runner.invoke(
        app, ["ledger", "import", str(folder), "--db", str(db), "--commit", "--new-db",
              "--accept-amounts", "--json"],
    )  # fmt: skip
    summary = json.loads(done.output)
    assert summary["committed"] and summary["entries"] == 42
    shown = runner.invoke(app, ["ledger", "show", "--db", str(db)], env={"COLUMNS": "160"})
    assert summary["batch_id"] in shown.output
    # the net per rule as a table in the policy's order, named; times without the ISO 'T'
    assert "各项补贴净额" in shown.output and "一次性吸纳就业补贴（hire_once）" in shown.output
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:", shown.output)
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
        ("困难家庭高校毕业生求职创业补贴", "student_job_seeking"),
        ("失业保险稳岗补贴", None),  # 稳岗 alone is another program
        ("返乡创业补助", None),
        ("一次性创业补助、交通补助", None),  # two programs: none
        ("一次性交通补助", "travel"),
        ("吸纳就业补贴", "hire_once"),
    ],
)
def test_program_names(text, code):
    assert program_of(text, load_policy(None)) == code


# ---------------------------------------------------------------- lists that try to pay twice

PERSON = ["乡镇", "姓名", "身份证号码", "补贴项目", "发放月份", "金额"]


def plain_list(path, rows, header=PERSON):
    return csv_file(path, [",".join(header), *(",".join(map(str, r)) for r in rows)])


def codes_by_row(plan):
    return {(p.file, p.row): p.code for p in plan.problems.itertuples(index=False)}


def test_a_month_that_cannot_be_read_is_a_problem_never_the_titles(world, tmp_path):
    _root, ids = world
    plain_list(
        tmp_path / "丰都县2022年交通补助名册.csv",
        [
            ["虎威镇", "甲", ids["guangdong"], "交通补助", "2024年3月份", 200],  # read: 2024-03
            ["虎威镇", "乙", ids["age16"], "交通补助", "2024年第一季度", 200],
            ["虎威镇", "丙", ids["shandong"], "交通补助", "2024年1-3月", 200],
            ["虎威镇", "丁", ids["hire12"], "交通补助", "24.03", 200],
        ],
    )
    plan = plan_import(
        [tmp_path / "丰都县2022年交通补助名册.csv"], load_policy(None), tmp_path / "x.db"
    )
    assert plan.entries[["person_id", "month"]].values.tolist() == [[ids["guangdong"], 202403]]
    problems = plan.problems.set_index("row")
    assert set(problems["code"]) == {"no_month"}
    assert (
        "2024年第一季度" in problems.loc[3, "message"].text()
        and "按月分行" in problems.loc[4, "message"].text()
    )


def test_an_import_of_the_month_being_run_is_paid_already(world, tmp_path, db_url):
    root, ids = world
    db = db_url
    plain_list(
        tmp_path / "六月.csv",
        [
            ["虎威镇", "测试11", ids["guangdong"], "跨区域交通补助", "2024-06", 200],
            ["虎威镇", "测试15", ids["owner_ok"], "一次性创业补助", "2024-06", 8000],  # no 户编号
        ],
    )
    commit_import(plan_import([tmp_path / "六月.csv"], load_policy(None), db), db, new_db=True)
    trial = compute_subsidies(root, M, db)
    assert ids["guangdong"] not in payees(trial, "travel")
    assert payees(trial, "startup_household") == {}  # the household, whatever the key says
    june = compute_subsidies(root, M, db, commit=True)
    assert june.newly_committed and payees(june, "startup_household") == {}
    conn = store.connect(db)
    assert ledger.check_ledger(conn) == []
    conn.close()


def test_the_ledger_refuses_a_line_for_someone_it_pays_already(world, tmp_path, db_url):
    from fengdu_cli.errors import InternalError

    root, ids = world
    db = db_url
    june = compute_subsidies(root, M, db, commit=True, new_db=True, no_history=True)
    line = june.lines[june.lines["rule"].eq("startup_household")].drop(columns="batch_id")
    again = line.assign(key="H15", payee_id="H15")  # the same household, keyed otherwise
    conn = store.connect(db)
    with pytest.raises(InternalError) as refused:
        ledger.commit_batch(conn, "2024-07-R99", 202407, 99, again, "", {})
    assert refused.value.exit_code == 5 and ids["owner_ok"] not in refused.value.message()
    assert ledger.live_batch(conn, 202407) is None
    conn.close()


def test_repeated_rows_resaved_copies_and_households_are_recorded_once(world, tmp_path, db_url):
    _root, ids = world
    db = db_url
    policy = load_policy(None)
    rows = [
        ["虎威镇", "测试11", ids["guangdong"], "交通补助", "2023-03", 200],
        ["虎威镇", "测试11", ids["guangdong"], "交通补助", "2023-07", 200],  # the same year
    ]
    plain_list(tmp_path / "a" / "交通补助（2023年）.csv", rows) if (
        tmp_path / "a"
    ).mkdir() is None else None
    first = plan_import([tmp_path / "a"], policy, db)
    assert codes_by_row(first) == {("交通补助（2023年）.csv", 3): "duplicate"}
    commit_import(first, db, new_db=True)
    again = plan_import([tmp_path / "a"], policy, db)  # a name with （ is still known
    assert set(again.problems["code"]) == {"already_imported"} and again.entries.empty
    (tmp_path / "b").mkdir()
    plain_list(
        tmp_path / "b" / "另存.csv",
        [*rows, ["虎威镇", "x", ids["age16"], "交通补助", "2023-01", 200]],
    )
    copy = plan_import([tmp_path / "b"], policy, db)  # another file: the same payments
    assert codes_by_row(copy) == {
        ("另存.csv", 2): "already_recorded",
        ("另存.csv", 3): "already_recorded",
    }
    assert list(copy.entries["person_id"]) == [ids["age16"]]
    # a household with its 户编号, then without: the same household
    (tmp_path / "c").mkdir()
    header = ["乡镇", "户编号", "户主姓名", "身份证号码", "补贴项目", "发放月份", "金额"]
    plain_list(
        tmp_path / "c" / "a.csv",
        [["虎威镇", "H15", "测试15", ids["owner_ok"], "一次性创业补助", "2023-12", 8000]],
        header,
    )
    commit_import(plan_import([tmp_path / "c" / "a.csv"], policy, db), db)
    plain_list(
        tmp_path / "c" / "b.csv",
        [["虎威镇", "测试15", ids["owner_ok"], "一次性创业补助", "2024-01", 8000]],
    )
    later = plan_import([tmp_path / "c" / "b.csv"], policy, db)
    assert set(later.problems["code"]) == {"already_recorded"}


def test_two_imports_planned_together_record_each_payment_once(world, tmp_path, db_url):
    _root, ids = world
    db = db_url
    policy = load_policy(None)
    rows = [["虎威镇", "测试11", ids["guangdong"], "交通补助", "2023-03", 200]]
    plain_list(tmp_path / "one.csv", rows)
    plain_list(
        tmp_path / "two.csv", [*rows, ["虎威镇", "x", ids["age16"], "交通补助", "2023-01", 200]]
    )
    a = plan_import([tmp_path / "one.csv"], policy, db)
    b = plan_import([tmp_path / "two.csv"], policy, db)  # before a is committed
    commit_import(a, db, new_db=True)
    done = commit_import(b, db)
    assert list(done.entries["person_id"]) == [ids["age16"]]
    assert codes_by_row(done) == {("two.csv", 2): "already_recorded"}
    conn = store.connect(db)
    assert ledger.check_ledger(conn) == []
    conn.close()


def test_cells_shown_in_messages_are_masked_and_absurd_amounts_refused(world, tmp_path):
    _root, ids = world
    stray = valid_id(555)
    plain_list(
        tmp_path / "shift.csv",
        [
            ["虎威镇", "甲", ids["guangdong"], stray, "2023-03", 200],  # an ID in 补贴项目
            ["虎威镇", "乙", ids["age16"], "交通补助", "2023-03", stray],  # an ID in 金额
            ["虎威镇", "丙", ids["shandong"], "交通补助", "2023-03", "13912345678"],  # a phone
            ["虎威镇", "丁", ids["hire12"], "交通补助", "2023-03", "99999.99"],
            ["虎威镇", "戊", ids["hire11"], "一次性创业补助、交通补助", "2023-03", 200],
            ["虎威镇", "己", ids["age15"], "交通补助", "2099-07", 200],
            ["虎威镇", "庚", ids["weak_labor"], "交通补助", "2021-08", 200],  # before the policy
        ],
    )
    plan = plan_import(
        [tmp_path / "shift.csv"], load_policy(None), tmp_path / "x.db", accept_amounts=True
    )
    text = json.dumps(plan.summary(), ensure_ascii=False)
    assert stray not in text and "13912345678" not in text
    assert plan.entries.empty
    codes = dict(zip(plan.problems["row"], plan.problems["code"], strict=True))
    assert codes == {2: "unknown_program", 3: "bad_amount", 4: "bad_amount", 5: "bad_amount",
                     6: "unknown_program", 7: "bad_month", 8: "bad_month"}  # fmt: skip
    over = plan.problems.set_index("row").loc[5, "message"].text()
    assert "最高标准" in over and "200.00" in over
    said_in_english = plan.problems.set_index("row").loc[7, "message"].text("en")
    assert "before the subsidy began" in said_in_english


def test_our_own_payment_list_imported_again_keeps_its_month(world, tmp_path):
    root, _ids = world
    db = tmp_path / "f.db"
    june = compute_subsidies(root, M, tmp_path / "paid.db", commit=True, new_db=True,
                             no_history=True)  # fmt: skip
    from fengdu_cli.io.subsidy_files import write_subsidy_files

    written = write_subsidy_files(june, tmp_path / "out")
    plan = plan_import([p for p in written if p.name.startswith("payments-") and p.suffix == ".xlsx"],
                       load_policy(None), db)  # fmt: skip
    travel = plan.entries[plan.entries["rule"].eq("travel")]
    assert len(travel) == len(payees(june, "travel")) and set(travel["month"]) == {M}
    assert not set(plan.problems["code"]) - {"amount_mismatch"}  # subtotals and 合计 are not people


def test_our_own_payments_csv_imports_every_line_with_its_month(world, tmp_path):
    """A restored ledger is made whole from the lists paid since the backup: the payments
    CSV of a committed batch (rule codes, the month in its name) gives back every line."""
    root, _ids = world
    june = compute_subsidies(root, M, tmp_path / "paid.db", commit=True, new_db=True,
                             no_history=True)  # fmt: skip
    from fengdu_cli.io.subsidy_files import write_subsidy_files

    written = write_subsidy_files(june, tmp_path / "out")
    csv = next(p for p in written if p.name == "payments-2024-06.csv")
    plan = plan_import([csv], load_policy(None), tmp_path / "restored.db")
    assert plan.problems.empty, plan.problem_list()
    assert len(plan.entries) == len(june.lines) and set(plan.entries["month"]) == {M}
    assert int(plan.entries["amount_fen"].sum()) == int(june.lines["amount_fen"].sum())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_trial_list_is_never_taken_for_payments_made(world, tmp_path, lang):
    """A trial's lists paid nobody: imported as history, the month would then pay no one."""
    root, _ids = world
    trial = compute_subsidies(root, M, tmp_path / "trial.db")
    from fengdu_cli.io.subsidy_files import write_subsidy_files

    written = write_subsidy_files(trial, tmp_path / "out", lang=lang)
    lists = [p for p in written if p.name.startswith("payments-")]
    renamed = []  # the 试算 in the name taken out: the lists still say so inside
    for path in lists:
        renamed.append(path.with_name(f"paid{path.suffix}"))
        renamed[-1].write_bytes(path.read_bytes())
    for files in (lists, renamed):
        plan = plan_import(files, load_policy(None), tmp_path / "x.db", rule="travel")
        assert plan.entries.empty and set(plan.problems["code"]) == {"trial_list"}, files


def test_a_title_names_what_was_paid_for_not_when_the_bank_paid(world, tmp_path):
    _root, ids = world
    (tmp_path / "h").mkdir()
    header = ["姓名", "身份证号码", "发放日期", "金额"]
    roster_list(tmp_path / "h" / "t2023.xlsx", "丰都县2023年跨区域交通补助发放花名册", header,
                [["甲", ids["guangdong"], "2024-01-15", 200]])  # fmt: skip
    roster_list(tmp_path / "h" / "ws.xlsx", "丰都县2024年1月至3月就业帮扶车间奖补发放花名册",
                ["姓名", "身份证号码", "金额"], [["乙", ids["shop_ok"], 500]])  # fmt: skip
    roster_list(tmp_path / "h" / "tr.xlsx", "丰都县2023年12月至2024年2月跨区域交通补助发放花名册",
                ["姓名", "身份证号码", "金额"], [["丙", ids["age16"], 200]])  # fmt: skip
    plan = plan_import([tmp_path / "h"], load_policy(None), tmp_path / "x.db")
    travel = plan.entries.set_index("person_id")
    assert travel.loc[ids["guangdong"], "period"] == "2023"  # the title's year, paid in 2024
    codes = dict(zip(plan.problems["file"], plan.problems["code"], strict=True))
    assert codes == {"ws.xlsx": "no_month", "tr.xlsx": "no_month"}  # several months: no guess


def test_two_columns_that_may_name_the_person_stop_the_import(world, tmp_path):
    _root, ids = world
    applicant, owner = ids["guangdong"], ids["owner_ok"]
    rows = [f"余某,{owner},吴某,{applicant},一次性求职创业补贴,2023-05,500"]
    plain = plain_list(tmp_path / "a.csv", [], ["户主姓名", "户主身份证号", "姓名", "身份证号码",
                                                "补贴项目", "发放月份", "金额"])  # fmt: skip
    plain.write_text(plain.read_text(encoding="utf-8-sig") + rows[0] + "\n", encoding="utf-8-sig")
    plan = plan_import([plain], load_policy(None), tmp_path / "x.db")
    assert list(plan.entries["person_id"]) == [applicant]  # the person, not the household head
    doubt = plain_list(tmp_path / "b.csv", [["吴某", applicant, owner, "交通补助", "2023-05", 200]],
                       ["姓名", "身份证号码", "公民身份号码", "补贴项目", "发放月份", "金额"])  # fmt: skip
    with pytest.raises(InputError) as refused:
        plan_import([doubt], load_policy(None), tmp_path / "x.db")
    assert refused.value.key == "import_ambiguous_column" and refused.value.exit_code == 3


def test_ids_in_file_names_and_void_reasons_are_never_shown_in_full(world, tmp_path, db_url):
    _root, ids = world
    db = db_url
    (tmp_path / "h").mkdir()
    name = f"补发_{ids['hire11']}.csv"
    plain_list(
        tmp_path / "h" / name, [["虎威镇", "甲", ids["guangdong"], "交通补助", "2023-03", 200]]
    )
    plan = commit_import(plan_import([tmp_path / "h"], load_policy(None), db), db, new_db=True)
    runner = CliRunner()
    reason = f"银行退回 13912345678 身份证{ids['age16']}"
    voided = runner.invoke(app, ["ledger", "void", "--batch", plan.batch_id, "--reason", reason,
                                 "--db", str(db)])  # fmt: skip
    shown = runner.invoke(app, ["ledger", "show", "--db", str(db), "--json"]).output
    said = json.dumps(plan.summary(), ensure_ascii=False) + voided.output + shown
    for secret in (ids["hire11"], ids["age16"], "13912345678"):
        assert secret not in said


def test_a_past_post_list_with_the_insurance_part_is_imported(tmp_path):
    """公益性岗位: a past line is the post subsidy plus the 社保补贴 of the month, so it may be
    above the policy's amount / amount_max (demo: 600 / 800): up to the standard plus a
    plausible insurance part (2000 yuan) it is what was paid and is recorded; above that it
    is refused as beyond anything the program paid."""
    from tests.test_rule_cases import DEMO_POLICY

    people = [valid_id(n) for n in (61, 62, 63, 64)]
    path = xlsx(
        tmp_path / "2024年5月公益性岗位补贴发放花名册.xlsx",
        [
            ["丰都县2024年5月公益性岗位补贴发放花名册"],
            ["序号", "乡镇", "姓名", "身份证号码", "岗位", "发放金额（元）"],
            [1, "虎威镇", "甲", people[0], "保洁员", 600],
            [2, "虎威镇", "乙", people[1], "护林员", 920],  # 600 + 320 社保补贴
            [3, "虎威镇", "丙", people[2], "护林员", 2800],
            [4, "虎威镇", "丁", people[3], "护林员", 2800.01],
        ],
    )  # fmt: skip
    plan = plan_import([path], DEMO_POLICY, tmp_path / "none.db", on=dates.last_day(M))
    recorded = plan.to_record.set_index("person_id")["amount_fen"].to_dict()
    assert recorded == {people[0]: 60000, people[1]: 92000, people[2]: 280000}
    assert plan.problem_counts() == {"bad_amount": 1}
    over = plan.problems.iloc[0]
    assert over.row == 6 and "2800.01" in over.message.text()


def test_a_ledger_rebuilt_from_our_own_csv_pays_nothing_again(tmp_path):
    """Every line of a committed month (demo policy, sample month: every program) comes back
    from its payments CSV — a 培训 line adds the living allowance to the course amount, a 雨露计划
    line's 发放期间 names a school year, not a month — and the rebuilt ledger pays nothing of
    that month again, and the next month as the real one does."""
    from pathlib import Path

    from fengdu_cli.io.subsidy_files import write_subsidy_files

    sample = Path(__file__).parents[1] / "sample_data"
    demo = sample / "policy-demo.toml"
    paid_db, rebuilt = tmp_path / "paid.db", tmp_path / "rebuilt.db"
    june = compute_subsidies(sample, M, paid_db, policy_path=demo, commit=True, new_db=True,
                             no_history=True)  # fmt: skip
    assert set(june.lines["rule"]) >= {"yulu", "loan_interest", "training", "incubator_award"}
    csv = next(p for p in write_subsidy_files(june, tmp_path / "out")
               if p.name == "payments-2024-06.csv")  # fmt: skip
    plan = plan_import([csv], load_policy(demo), rebuilt)
    assert plan.problems.empty, plan.problems.to_dict("records")
    assert len(plan.to_record) == len(june.lines)
    commit_import(plan, rebuilt, new_db=True)
    assert compute_subsidies(sample, M, rebuilt, policy_path=demo).grand_total_fen() == 0
    july = {
        db: compute_subsidies(sample, 202407, db, policy_path=demo) for db in (paid_db, rebuilt)
    }
    assert july[rebuilt].totals_fen() == july[paid_db].totals_fen()


def test_ledger_show_says_when_the_ledger_is_empty(db_url):
    """A ledger with no batch and no import says so in a sentence, not an empty table."""
    db = db_url
    store.connect(db, create=True).close()
    shown = CliRunner().invoke(app, ["ledger", "show", "--db", str(db)])
    assert shown.exit_code == 0 and "台账中还没有入账批次" in shown.output
    assert "发放台账" not in shown.output.splitlines()[-1]
