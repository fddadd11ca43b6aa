"""``fengdu subsidy / explain / policy / ledger`` through the CLI, end to end."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from fengdu_cli.cli import app
from fengdu_cli.explain import explain
from fengdu_cli.policy import RULE_CODES
from tests import backends
from tests.test_subsidy import world  # noqa: F401  (fixture)

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def subsidy(root, db, out, month="2024-06", *extra):
    return run("subsidy", "--month", month, "--data", root, "--db", db, "--out", out, *extra)


# A first commit on a new ledger, with no payments before the tool, on purpose.
FRESH = ("--new-db", "--no-history")


def csv_rows(path):
    """A CSV of ours read as a program reads it: the trailing tab of an ID taken off."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [{k: v.rstrip("\t") for k, v in r.items()} for r in csv.DictReader(f)]


def test_csv_json_and_workbook_totals_agree(world, tmp_path):  # noqa: F811
    root, _ = world
    result = subsidy(root, tmp_path / "f.db", tmp_path / "out", "2024-06", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert {"month", "totals", "counts", "grand_total", "skipped"} <= set(summary)
    rows = csv_rows(tmp_path / "out" / "payments-2024-06-试算.csv")
    assert list(rows[0]) == [
        "rule", "payee_type", "payee_id", "payee_name", "township", "person_id", "person_name",
        "amount", "period", "basis", "account_no", "bank", "account_name", "batch_id", "key",
    ]  # fmt: skip
    assert all("试算" in r["batch_id"] for r in rows)
    csv_total = sum(Decimal(r["amount"]) for r in rows)
    assert csv_total == Decimal(str(summary["grand_total"])) == Decimal("19850.00")
    for code, total in summary["totals"].items():
        assert sum(Decimal(r["amount"]) for r in rows if r["rule"] == code) == Decimal(str(total))
        assert summary["counts"][code] == sum(1 for r in rows if r["rule"] == code)
    book = openpyxl.load_workbook(tmp_path / "out" / "payments-2024-06-试算.xlsx", data_only=True)
    sheet_totals = []
    assert book.sheetnames[0] == "汇总"
    for ws in book.worksheets[1:]:
        rows_ = list(ws.iter_rows(values_only=True))
        amount_col = rows_[2].index("金额（元）")
        total_row = next(r for r in rows_ if r[1] == "合计")
        sheet_totals.append(Decimal(str(total_row[amount_col])).quantize(Decimal("0.01")))
    assert sum(sheet_totals) == csv_total
    for ws in book:  # a trial's payment list says so in every sheet's title and page header
        assert "试算，未入账，不得张贴" in ws["A1"].value and "试算" in ws.oddHeader.right.text, (
            ws.title
        )
    publicity = openpyxl.load_workbook(tmp_path / "out" / "publicity-2024-06-试算.xlsx")
    text = " ".join(
        str(c) for ws in publicity for row in ws.iter_rows(values_only=True) for c in row if c
    )
    for r in rows:
        if r["person_id"]:
            assert r["person_id"] not in text
    assert "试算，未入账，不得张贴" in publicity.active["A1"].value  # a trial is never posted
    assert "试算（未入账）" in publicity.active.oddHeader.center.text


def test_commit_rerun_next_month_through_cli(world, tmp_path, db_url):  # noqa: F811
    root, ids = world
    db = db_url
    first = subsidy(root, db, tmp_path / "a", "2024-06", "--commit", *FRESH)
    assert first.exit_code == 0 and "已入账" in first.output
    again = subsidy(root, db, tmp_path / "b", "2024-06", "--commit")
    assert "未重复入账" in again.output
    for name in ("payments-2024-06.xlsx", "payments-2024-06.csv", "publicity-2024-06.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    posted = openpyxl.load_workbook(tmp_path / "a" / "publicity-2024-06.xlsx").active
    assert "试算" not in posted["A1"].value and not posted.oddHeader.right.text
    for ws in openpyxl.load_workbook(tmp_path / "a" / "payments-2024-06.xlsx"):
        assert "试算" not in ws["A1"].value and "试算" not in ws.oddHeader.right.text
    july = json.loads(subsidy(root, db, tmp_path / "c", "2024-07", "--commit", "--json").output)
    assert july["counts"]["hire_once"] == 0 and july["counts"]["workshop_monthly"] == 2
    once = {"hire_once", "job_seeking_once", "shandong_stable", "startup_household", "travel"}
    june_paid = {
        (r["rule"], r["person_id"])
        for r in csv_rows(tmp_path / "a" / "payments-2024-06.csv")
        if r["rule"] in once
    }
    july_paid = {
        (r["rule"], r["person_id"])
        for r in csv_rows(tmp_path / "c" / "payments-2024-07.csv")
        if r["rule"] in once
    }
    assert june_paid and july_paid and not (june_paid & july_paid)
    # the three who became eligible in July: stable 3 months now, or 16 now
    assert {p for r, p in july_paid if r == "job_seeking_once"} == {
        ids["outside_new"],
        ids["shandong_new"],
        ids["age15"],
    }
    shown = json.loads(run("ledger", "show", "--db", db, "--json").output)
    assert [b["month"] for b in shown["batches"]] == [202406, 202407]
    assert json.loads(run("ledger", "check", "--db", db, "--json").output) == {
        "ok": True,
        "problems": [],
    }


def test_commit_moves_the_months_trial_files_aside(world, tmp_path):  # noqa: F811
    """Beside the list to pay, no trial list of the month is left to print, post or pay."""
    root, _ = world
    out, db = tmp_path / "out", tmp_path / "f.db"
    subsidy(root, db, out, "2024-06", "--new-db")
    subsidy(root, db, out, "2024-07", "--new-db")
    trials = sorted(p.name for p in out.glob("*-2024-06-试算.*"))
    assert {"payments-2024-06-试算.xlsx", "payments-2024-06-试算.csv"} <= set(trials)
    assert subsidy(root, db, out, "2024-06", "--commit", *FRESH).exit_code == 0
    assert not list(out.glob("*-2024-06-试算.*"))
    assert sorted(p.name for p in (out / "已过期").glob("*-2024-06-试算.*")) == trials
    assert (out / "payments-2024-06.xlsx").is_file()
    assert (out / "payments-2024-07-试算.xlsx").is_file()  # another month's trial stays


def test_void_then_pay_again(world, tmp_path, db_url):  # noqa: F811
    root, _ = world
    db = db_url
    subsidy(root, db, tmp_path / "a", "2024-06", "--commit", *FRESH)
    assert run("ledger", "void", "--month", "2024-06", "--db", db).exit_code == 2  # no reason
    voided = run(
        "ledger", "void", "--month", "2024-06", "--reason", "名单有误", "--db", db, "--json"
    )
    assert voided.exit_code == 0
    assert json.loads(voided.output)["amount"] == -19850.0
    assert backends.scalar(db, "SELECT COUNT(*) FROM payments WHERE entry = 'reversal'") == 12
    with pytest.raises(DBAPIError, match="append-only"):  # the ledger refuses deletes
        backends.owner_sql(db, "DELETE FROM payments")
    # after the void the month can be committed again, as a new batch
    redo = subsidy(root, db, tmp_path / "b", "2024-06", "--commit", "--json")
    assert redo.exit_code == 2 and "ledger import" in redo.output  # nothing live before June
    redo = json.loads(
        subsidy(root, db, tmp_path / "b", "2024-06", "--commit", "--no-history", "--json").output
    )
    assert redo["newly_committed"] and redo["grand_total"] == 19850.0
    assert json.loads(run("ledger", "check", "--db", db, "--json").output)["ok"]
    # on an 80-column terminal every batch, month, time and sum is read whole
    shown = CliRunner().invoke(app, ["ledger", "show", "--db", str(db)], env={"COLUMNS": "80"})
    lines = [line for line in shown.output.splitlines() if not line.startswith("台账：")]
    from rich.cells import cell_len

    assert all(cell_len(line) <= 80 for line in lines) and "…" not in shown.output
    assert sum("2024-06-B1" in line and "19850.00" in line for line in lines) == 1
    assert any("2024-06-B1 已冲销：名单有误" in line for line in lines)  # the reason below
    assert sum("2024-06-B2" in line and "19850.00" in line for line in lines) == 1


def test_2026_and_policy_extension(world, tmp_path):  # noqa: F811
    root, _ = world
    result = json.loads(
        subsidy(root, tmp_path / "f.db", tmp_path / "o", "2026-01", "--json").output
    )
    assert result["grand_total"] == 0 and result["totals"] == {}
    assert all("到期" in r for r in result["skipped"].values())
    from importlib.resources import files

    text = files("fengdu_cli").joinpath("data/policy.toml").read_text(encoding="utf-8")
    extended = tmp_path / "p.toml"
    extended.write_text(text.replace("2025-12-31", "2026-12-31"), encoding="utf-8")
    assert run("policy", "check", extended).exit_code == 0
    result = json.loads(
        subsidy(
            root, tmp_path / "g.db", tmp_path / "o", "2026-01", "--json", "--policy", extended
        ).output
    )
    assert result["totals"]["hire_once"] == 0 and "travel" in result["totals"]


def test_policy_show_json(tmp_path):
    data = json.loads(run("policy", "show", "--month", "2024-06", "--json").output)
    assert data["month"] == "2024-06"
    by_code = {r["code"]: r for r in data["rules"]}
    assert list(by_code) == list(RULE_CODES)
    assert (
        by_code["hire_once"]["status"] == "in_force"
        and by_code["hire_once"]["values"]["amount"] == "6000.00"
    )
    assert by_code["work_training"]["status"] == "expired"
    assert by_code["base_award"]["status"] == "not_configured"
    for rule in data["rules"]:
        assert {"code", "name", "status", "source", "values", "computed"} <= set(rule)
        # a rule the tool does not compute never says 有效
        assert rule["computed"] or rule["status"] != "in_force", rule["code"]


def test_policy_check_reports_problems(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[rules.hire_once]\nname = "x"\nsource = "y"\nbogus = 1\n', encoding="utf-8")
    result = run("policy", "check", bad)
    assert result.exit_code == 1 and "bogus" in result.output


def test_explain_outcomes(world, tmp_path, db_url):  # noqa: F811
    root, ids = world
    db = db_url
    subsidy(root, db, tmp_path / "a", "2024-06", "--commit", *FRESH)
    paid = explain(ids["hire12"], 202406, root, db).to_dict()
    hire = next(r for r in paid["rules"] if r["code"] == "hire_once")
    assert hire["outcome"] == "paid" and "2024-06-B1" in hire["reason"]
    assert paid["tool_version"] and len(paid["policy"]["sha256"]) == 64 and paid["inputs"]
    later = explain(ids["hire12"], 202407, root, db).to_dict()
    assert next(r for r in later["rules"] if r["code"] == "hire_once")["outcome"] == "already_paid"
    short = explain(ids["hire11"], 202406, root, db).to_dict()
    rule = next(r for r in short["rules"] if r["code"] == "hire_once")
    assert rule["outcome"] == "not_eligible"
    failed = [c for c in rule["conditions"] if not c["ok"]]
    assert failed[0]["value"] == "11个月" and "12个月" in failed[0]["condition"]
    assert next(r for r in short["rules"] if r["code"] == "work_training")["outcome"] == "expired"
    assert (
        next(r for r in short["rules"] if r["code"] == "base_award")["outcome"] == "not_configured"
    )
    assert short["sources"]["employment"] and short["person"]["roster_row"].startswith(
        "roster.xlsx"
    )


def test_explain_cli_by_credit_code(world, tmp_path):  # noqa: F811
    root, ids = world
    from tests.makers import employer

    result = run(
        "explain",
        employer(1),
        "--month",
        "2024-06",
        "--data",
        root,
        "--db",
        tmp_path / "f.db",
        "--json",
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    hire = [r for r in data["rules"] if r["code"] == "hire_once"]
    assert hire and hire[0]["outcome"] == "to_pay" and hire[0]["payee"]["id"] == employer(1)
    text = run(
        "explain", ids["age16"], "--month", "2024-06", "--data", root, "--db", tmp_path / "f.db"
    )
    assert "跨区域交通补助（travel）：符合条件" in text.output and ids["age16"] not in text.output


def test_run_does_the_whole_month(world, tmp_path, db_url):  # noqa: F811
    root, _ = world
    db = db_url
    result = run(
        "run",
        "--month",
        "2024-06",
        "--data",
        root,
        "--db",
        db,
        "--out",
        tmp_path / "out",
        "--commit",
        *FRESH,
        "--json",
    )
    assert result.exit_code == 1  # warnings were raised
    summary = json.loads(result.output)
    assert summary["reconcile"]["month"] == summary["subsidy"]["month"] == "2024-06"
    assert summary["subsidy"]["newly_committed"] and summary["subsidy"]["grand_total"] == 19850.0
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {
        "roster-problems.xlsx",
        "reconcile-2024-06.xlsx",
        "warnings-2024-06.csv",
        "payments-2024-06.xlsx",
        "payments-2024-06.csv",
        "publicity-2024-06.xlsx",
    } <= names


def test_screens_match_golden(world, tmp_path, monkeypatch):  # noqa: F811
    from tests.snapshot import assert_snapshot

    root, _ = world
    monkeypatch.chdir(tmp_path)
    data = root.relative_to(tmp_path)
    reconciled = run(
        "reconcile", "--month", "2024-06", "--data", data, "--db", "f.db", "--out", "out"
    )
    assert reconciled.exit_code == 1
    here = str(tmp_path.resolve())
    assert_snapshot("reconcile_world.txt", reconciled.output.replace(here, "TMP"))
    paid = run("subsidy", "--month", "2024-06", "--data", data, "--db", "f.db", "--out", "out")
    assert paid.exit_code == 0
    assert_snapshot("subsidy_world.txt", paid.output.replace(here, "TMP"))
