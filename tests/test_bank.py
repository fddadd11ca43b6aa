"""The bank's list (代发清单): accounts per payee, one line per payee, files that open intact.

A bank pays accounts: each payee's account comes from the roster (persons, households) or
from accounts/ and the organisations' lists; a payee without one is never written with an
empty account.  The CSVs keep 18-digit IDs and accounts as text when a spreadsheet opens
them (a trailing tab), and our own reader and ``ledger import`` read them back unchanged.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from fengdu_cli.accounts import bank_payees, with_accounts
from fengdu_cli.cli import app
from fengdu_cli.errors import UsageError
from fengdu_cli.io.read import read_grids
from fengdu_cli.io.write import TEXT_MARK, write_csv
from fengdu_cli.validate import check_paths
from tests.conftest import pg_schema
from tests.makers import HEADER, person, valid_id, xlsx

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
A1, A2, A3 = "6217000000000000011", "6217000000000000022", "500000000000033"


def _line(rule, payee_type, payee_id, payee_name, person_id, person_name, fen, **extra):
    return {
        "rule": rule, "payee_type": payee_type, "payee_id": payee_id,
        "payee_name": payee_name, "township": "虎威镇", "person_id": person_id,
        "person_name": person_name, "amount_fen": fen, "batch_id": "2024-06-B1", **extra,
    }  # fmt: skip


def test_one_bank_line_per_payee_with_counts_and_fen_sums():
    p1, p2, p3, head = valid_id(1), valid_id(2), valid_id(3), valid_id(4)
    code, lone = "91500230MA5U000071", "91500230MA5U000072"
    roster = pd.DataFrame(
        {
            "id_number": [p1, p2, head, p3],
            "name": ["甲", "乙", "户主丁", "丙"],
            "household_id": ["H1", "H2", "H9", "H3"],
            "bank_account": [A1, "", A2, "6.22848012345678E+18"],  # 丙: digits lost
            "bank": ["农行", "", "建行", "农行"],
            "account_name": ["", "", "", ""],
        }
    )
    accounts = pd.DataFrame(
        {"employer_code": [code], "org_name": ["某公司"], "bank_account": [A3],
         "bank": ["农商行"], "account_name": ["某公司"]}
    )  # fmt: skip
    lines = pd.DataFrame(
        [
            _line("travel", "person", p1, "甲", p1, "甲", 5000),
            _line("job_seeking_once", "person", p1, "甲", p1, "甲", 50000),
            _line("travel", "person", p2, "乙", p2, "乙", 20000),  # no account
            _line("travel", "person", p3, "丙", p3, "丙", 20000),  # a damaged account
            _line("yulu", "household", "H9", "户主丁", valid_id(5), "学生", 300000),
            _line("hire_once", "employer", code, "某公司", p1, "甲", 600000),
            _line("insurance_subsidy", "employer", code, "某公司", p2, "乙", 123456),
            _line("hire_once", "employer", lone, "无账户公司", p3, "丙", 600000),
        ]
    )
    paid = with_accounts(lines, {"roster": roster, "accounts": accounts})
    programs = {"hire_once": "一次性吸纳就业补贴", "travel": "跨区域交通补助",
                "job_seeking_once": "一次性求职创业补贴", "yulu": "雨露计划",
                "insurance_subsidy": "社会保险补贴"}  # fmt: skip
    bank, missing = bank_payees(paid, "2024年6月", programs)
    assert int(bank["amount_fen"].sum()) + int(missing["amount_fen"].sum()) == int(
        lines["amount_fen"].sum()
    )
    by_account = bank.set_index("account_no")
    assert by_account.loc[A1, "amount_fen"] == 55000 and by_account.loc[A1, "persons"] == 1
    assert by_account.loc[A1, "account_name"] == "甲"  # no 户名: the person
    assert by_account.loc[A1, "summary"] == "2024年6月就业帮扶补贴"  # short: banks cut it
    assert by_account.loc[A1, "rules"] == "跨区域交通补助、一次性求职创业补贴"
    # a household is paid to the member its line names, under that member's ID
    assert by_account.loc[A2, "payee_id"] == head and by_account.loc[A2, "amount_fen"] == 300000
    # an employer is paid its total, with the count of persons
    assert by_account.loc[A3, "amount_fen"] == 723456 and by_account.loc[A3, "persons"] == 2
    assert by_account.loc[A3, "payee_id"] == code
    assert bank["seq"].tolist() == list(range(1, len(bank) + 1))
    assert set(missing["payee_id"]) == {p2, p3, lone}  # never an empty or a damaged account
    where = dict(zip(missing["payee_id"], missing["where"], strict=True))
    assert where[p2] == "roster" and where[lone] == "accounts"


def test_an_account_excel_stored_as_a_number_is_bad_number(tmp_path):
    path = xlsx(
        tmp_path / "r.xlsx",
        [[*HEADER, "银行账号", "开户行", "户名"],
         [*person(1), 6.22848012345678e18, "农行", "甲"],
         [*person(2), f"６２１７ {A1[4:]}", "建行", ""]],
    )  # fmt: skip
    checked = check_paths([path], "roster")
    bad = checked.problems[checked.problems["code"].eq("bad_number")]
    assert bad["column"].tolist() == ["bank_account"] and bad["row"].tolist() == [2]
    assert checked.valid["bank_account"].tolist()[1] == "6217" + A1[4:]  # full-width, spaces


def test_our_csv_keeps_ids_as_text_and_reads_back(tmp_path):
    frame = pd.DataFrame(
        {"person_id": [valid_id(1), "50023019800101123X"], "household_id": ["0012", ""],
         "身份证号码": [valid_id(2), ""], "amount": ["6000.00", "-1"], "name": ["甲", "=1+1"]}
    )  # fmt: skip
    path = write_csv(frame, tmp_path / "x.csv")
    raw = path.read_text(encoding="utf-8-sig")
    assert f"{valid_id(1)}{TEXT_MARK}," in raw and f",0012{TEXT_MARK}," in raw
    assert "50023019800101123X," in raw  # not all digits: nothing to protect
    assert "6000.00" in raw and "\t6000" not in raw and "'=1+1" in raw
    cells = read_grids(path)[0].cells.tolist()
    assert [valid_id(1), "0012", valid_id(2)] == [cells[1][0], cells[1][1], cells[1][2]]
    assert cells[2][0] == "50023019800101123X"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def committed(request, tmp_path_factory):
    """The sample month committed through the CLI (JSON summary, exit code, the files, the
    ledger), on a SQLite file and on a PostgreSQL schema."""
    tmp = tmp_path_factory.mktemp("bank")
    out = tmp / "out"
    with contextlib.ExitStack() as stack:
        db = str(tmp / "f.db") if request.param == "sqlite" else stack.enter_context(pg_schema())
        result = CliRunner().invoke(
            app,
            ["subsidy", "--month", "2024-06", "--data", str(SAMPLE), "--policy",
             str(SAMPLE / "policy-demo.toml"), "--db", db, "--new-db",
             "--no-history", "--commit", "--out", str(out), "--json"],
        )  # fmt: skip
        yield result, out, tmp, db


def test_the_sample_month_commit_writes_the_bank_files(committed):
    result, out, _, _ = committed
    assert result.exit_code == 1, result.output  # payees without an account: data problem
    summary = json.loads(result.stdout)
    assert sum(summary["counts"].values()) == 174 and summary["grand_total"] == 192031.11
    bank = summary["bank"]
    assert bank["payees"] > 0 and bank["missing_account"] > 0
    assert round(bank["amount"] + bank["missing_amount"], 2) == 192031.11
    book = openpyxl.load_workbook(out / "bank-2024-06.xlsx")
    ws = book["代发清单"]
    assert [c.value for c in ws[3]] == [
        "序号", "户名", "银行账号", "开户行", "金额（元）", "人数", "证件号码/统一社会信用代码",
        "摘要", "补贴项目", "批次号",
    ]  # fmt: skip
    lines = list(ws.iter_rows(min_row=4, max_row=3 + bank["payees"]))
    assert all(r[2].data_type == "s" and r[2].value.isdigit() for r in lines)
    assert all(r[6].data_type == "s" for r in lines) and all(
        r[9].value == "2024-06-B1" and len(r[7].value) <= 20 for r in lines
    )
    assert all(isinstance(r[4].value, float | int) for r in lines)
    total = ws.cell(4 + bank["payees"], 5)
    assert total.value == f"=SUM(E4:E{3 + bank['payees']})"
    cached = openpyxl.load_workbook(out / "bank-2024-06.xlsx", data_only=True)["代发清单"]
    assert cached.cell(4 + bank["payees"], 5).value == pytest.approx(bank["amount"])
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"
    missing = book["缺少账户信息"]
    assert missing.max_row - 3 == bank["missing_account"]
    assert (out / "bank-2024-06.xlsx").stat().st_mode & 0o777 == 0o600
    assert (out / "bank-2024-06.csv").stat().st_mode & 0o777 == 0o600
    csv = pd.read_csv(out / "bank-2024-06.csv", dtype=str, encoding="utf-8-sig")
    assert len(csv) == bank["payees"] and csv["银行账号"].str.endswith(TEXT_MARK).all()
    assert not csv["银行账号"].str.strip().eq("").any()


def test_the_payments_csv_carries_accounts_and_imports_back_with_its_keys(committed):
    from fengdu_cli.history import plan_import
    from fengdu_cli.policy import load_policy

    _, out, tmp, _ = committed
    path = out / "payments-2024-06.csv"
    csv = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    columns = csv.columns.tolist()
    assert columns[columns.index("basis") + 1 : columns.index("basis") + 4] == [
        "account_no", "bank", "account_name",
    ]  # fmt: skip
    assert csv["account_no"].ne("").sum() > 140 and csv["account_no"].eq("").sum() > 5
    policy = load_policy(SAMPLE / "policy-demo.toml")
    plan = plan_import([path], policy, tmp / "restored.db")
    assert plan.problems.empty, plan.problem_list()
    # (a household is keyed by its owner on import, whatever its key looked like)
    keys = set(zip(plan.entries["rule"], plan.entries["key"].str.removeprefix("owner:"),
                   strict=True))  # fmt: skip
    written = set(zip(csv["rule"], csv["key"].str.rstrip("\t"), strict=True))
    assert keys == written and len(plan.entries) == 174


def test_gbk_writes_chinese_and_stops_on_a_character_it_cannot_write(committed, tmp_path):
    from fengdu_cli.io.subsidy_files import rewrite_batch_files

    _, _, _, db = committed
    policy = SAMPLE / "policy-demo.toml"
    result, _written = rewrite_batch_files(
        202406, db, tmp_path / "gbk", policy, data=SAMPLE, encoding="gbk"
    )
    text = (tmp_path / "gbk" / "bank-2024-06.csv").read_bytes().decode("gbk")
    assert text.startswith("序号,户名,银行账号")
    result.lines.loc[result.lines.index[0], "payee_name"] = "王㛃"
    from fengdu_cli.io.subsidy_files import write_subsidy_files

    with pytest.raises(UsageError) as stop:
        write_subsidy_files(result, tmp_path / "stop", encoding="gbk")
    assert stop.value.params["char"] == "㛃" and "王*" in str(stop.value.params["who"])
    assert not (tmp_path / "stop").exists() or not any((tmp_path / "stop").iterdir())


def test_the_commit_records_each_bank_line_as_sent(committed):
    from fengdu_cli import store
    from fengdu_cli.store import ledger

    _, out, _, db = committed
    conn = store.connect(db, create=False)
    try:
        recorded = ledger.bank_lines(conn, "2024-06-B1")
    finally:
        conn.close()
    csv = pd.read_csv(out / "bank-2024-06.csv", dtype=str, encoding="utf-8-sig")
    assert recorded["part"].eq(0).all() and len(recorded) == len(csv)
    assert recorded["account_no"].tolist() == csv["银行账号"].str.rstrip(TEXT_MARK).tolist()


def _bank_lines(rows):
    frame = pd.DataFrame(rows, columns=["payee_key", "account_no", "account_name", "amount_fen"])
    return frame.assign(
        seq=range(1, len(frame) + 1), bank="农行", persons=1, payee_id=frame["payee_key"],
        summary="2024年6月就业帮扶补贴", rules="跨区域交通补助", batch_id="2024-06-B1",
    )  # fmt: skip


def test_files_written_again_pay_the_recorded_accounts_and_supplements_only_the_new(
    tmp_path, db_url
):
    """The list sent is never rewritten with more payees or other accounts: a payee given
    an account after the commit goes on a supplement (补1) of its own, recorded, never
    repeated; an account changed since is shown, not used."""
    from tests.test_bank_accounts import AP1, AP3, P1, _commit, _roster, _write

    db, out = db_url, tmp_path / "out"
    _commit(db)
    roster = _roster(p3_account=AP3)  # 人3 (no account at commit) has one; 人1's changed
    roster.loc[roster["id_number"].eq(P1), "bank_account"] = A3
    parts = _write(db, out, roster)[0].bank_parts
    assert parts.added == 1 and sorted(parts.parts) == [0, 1]
    assert AP1 in parts.parts[0]["account_no"].tolist()  # as sent
    assert parts.parts[1]["account_no"].tolist() == [AP3]
    assert parts.parts[1]["batch_id"].tolist() == ["2024-06-B1-补1"]
    assert parts.changed["recorded"].tolist() == [AP1] and parts.changed["today"].tolist() == [A3]
    again = _write(db, out, roster)[0].bank_parts  # written a second time: nothing new
    assert again.added is None and sorted(again.parts) == [0, 1]


def test_a_voided_batch_leaves_no_list_to_pay_beside_the_others(tmp_path, db_url):
    from fengdu_cli import store
    from fengdu_cli.store import ledger

    db, out = db_url, tmp_path / "out"
    conn = store.connect(db, create=True)
    run = store.start_run(conn, "subsidy", 202406)
    line = _line("travel", "person", valid_id(1), "人1", valid_id(1), "人1", 10000)
    ledger.commit_batch(conn, "2024-06-B1", 202406, run, pd.DataFrame([line | {"key": "k"}]),
                        "x", {})  # fmt: skip
    conn.close()
    out.mkdir()
    names = ["bank-2024-06.xlsx", "bank-2024-06.csv", "bank-2024-06-补1.csv",
             "payments-2024-06.xlsx", "payments-2024-06.csv", "publicity-2024-06.xlsx"]  # fmt: skip
    for name in [*names, "bank-2024-05.csv", "reconcile-2024-06.xlsx"]:
        (out / name).write_text("x")
    result = CliRunner().invoke(app, ["ledger", "void", "--month", "2024-06", "--reason", "错",
                                      "--db", str(db), "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "已过期").iterdir()) == sorted(names)
    left = {p.name for p in out.iterdir()} - {"logs", "已过期"}
    assert left == {"bank-2024-05.csv", "reconcile-2024-06.xlsx"}
    assert "已过期" in result.output


def test_plain_csv_writes_ids_and_accounts_without_the_tab_mark(tmp_path):
    from fengdu_cli.io.bank_files import write_bank_files

    bank = _bank_lines([("p:1", A1, "人1", 10000)]).assign(payee_id=valid_id(1))
    _book, plain = write_bank_files(bank, bank.iloc[:0], tmp_path / "b.xlsx", tmp_path / "b.csv",
                                   month=202406, batch_id="2024-06-B1", text_mark=False)  # fmt: skip
    raw = plain.read_text(encoding="utf-8-sig")
    assert TEXT_MARK not in raw and f",{A1}," in raw and f",{valid_id(1)}," in raw
    for command in (["subsidy"], ["run"], ["ledger", "files"]):
        shown = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).output
        assert "--plain-csv" in shown, command
