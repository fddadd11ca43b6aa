"""Every way found to pay someone twice, each reproduced first (the ledger under attack)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from fengdu_cli import dates, store
from fengdu_cli.cli import app
from fengdu_cli.errors import InputError, OutputError
from fengdu_cli.policy import check_policy
from fengdu_cli.store import ledger
from fengdu_cli.subsidy import compute_subsidies
from fengdu_cli.validate import check_paths
from tests import backends
from tests.makers import INSURANCE_HEADER, csv_file, employer
from tests.test_subsidy import M, World, months, payees, pid

FRESH = {"new_db": True, "no_history": True}


def _business_month(tmp_path, household: str, owner_row_extra=None):
    """An owner with a spouse; a business with 3 employees insured 2024-01..06."""
    w = World()
    owner = w.add(15, 户编号=household, **(owner_row_extra or {}))
    spouse = w.add(16, 户编号=household or "")
    staff = [pid("19900101", 200 + k) for k in range(3)]
    for k, sid in enumerate(staff):
        w.contrib.extend([(sid, f"员工{k}", employer(71), p, "企业职工基本养老保险")
                          for p in months(202401, 202407)])  # fmt: skip
    return w, owner, spouse


def test_a_blank_then_filled_household_number_is_one_household(tmp_path, db_url):
    db = db_url
    w, owner, _ = _business_month(tmp_path, household="")
    root = w.write(
        tmp_path / "june", businesses=[["甲商店", employer(71), "测试15", owner, "2023-01-01"]]
    )
    june = compute_subsidies(root, M, db, commit=True, **FRESH)
    assert payees(june, "startup_household") == {owner: 800000}
    w, owner, _ = _business_month(tmp_path, household="H15")  # the 户编号 filled in July
    root = w.write(
        tmp_path / "july", businesses=[["甲商店", employer(71), "测试15", owner, "2023-01-01"]]
    )
    july = compute_subsidies(root, 202407, db, commit=True)
    assert payees(july, "startup_household") == {}
    frame = july.evaluations["startup_household"].frame
    assert frame["paid_before"].iloc[0] == june.batch_id


def test_a_second_business_of_the_same_household_under_the_spouse_is_not_paid(tmp_path, db_url):
    db = db_url
    w, owner, spouse = _business_month(tmp_path, household="H15")
    root = w.write(
        tmp_path / "june", businesses=[["甲商店", employer(71), "测试15", owner, "2023-01-01"]]
    )
    compute_subsidies(root, M, db, commit=True, **FRESH)
    w, owner, spouse = _business_month(tmp_path, household="H15")
    root = w.write(
        tmp_path / "july", businesses=[["乙商店", employer(71), "测试16", spouse, "2023-01-01"]]
    )
    assert payees(compute_subsidies(root, 202407, db), "startup_household") == {}


def test_a_payment_without_a_payee_is_never_written(db_url):
    conn = store.connect(db_url)
    line = {c: "" for c in ledger.PAYMENT_COLUMNS} | {
        "rule": "travel", "key": "x|2024", "amount_fen": 5000, "person_id": "x",
    }  # fmt: skip
    with pytest.raises(ValueError, match="without a payee"):
        ledger.commit_batch(conn, "2024-06-T", M, 1, pd.DataFrame([line]), "x", {})
    assert conn.scalar("SELECT COUNT(*) FROM payments") == 0
    conn.close()


def test_a_policy_file_cannot_change_how_often_a_rule_pays(tmp_path):
    from importlib import resources

    text = resources.files("fengdu_cli").joinpath("data/policy.toml").read_text(encoding="utf-8")
    changed = text.replace('frequency = "once"', 'frequency = "yearly"', 1)  # hire_once
    path = tmp_path / "p.toml"
    path.write_text(changed, encoding="utf-8")
    assert [(p.code, p.rule) for p in check_policy(path)] == [
        ("policy_fixed_frequency", "hire_once")
    ]


def test_once_ever_holds_whatever_form_an_old_key_has(world, db_url):
    root, ids = world
    db = db_url
    conn = store.connect(db)
    run = store.start_run(conn, "test", None)
    line = {c: "" for c in ledger.PAYMENT_COLUMNS} | {
        "rule": "job_seeking_once", "key": f"owner:{ids['guangdong']}|2023", "payee_id": "x",
        "amount_fen": 50000,
    }  # fmt: skip
    ledger.commit_batch(conn, "2023-05-T", 202305, run, pd.DataFrame([line]), "x", {})
    conn.close()
    assert ids["guangdong"] not in payees(compute_subsidies(root, M, db), "job_seeking_once")


def _insurance(root, rows):
    lines = [",".join(INSURANCE_HEADER)] + [
        f"{i},{n},{c},{p},{t},{b},{e},{q}" for i, n, c, p, t, b, e, q in rows
    ]
    csv_file(root / "insurance" / "insurance.csv", lines)


def test_a_refund_row_nets_out_its_month(tmp_path):
    w = World()
    person = w.add(1, job=(1, "2022-01-01", None, "重庆市丰都县"))
    root = w.write(tmp_path / "data")
    rows = [
        (person, "测试1", employer(1), p, "养老", 4000, 640, 320) for p in months(202307, 202406)
    ]
    rows.append((person, "测试1", employer(1), 202312, "养老", 4000, -640, -320))  # 退费
    _insurance(root, rows)
    result = compute_subsidies(root, M, tmp_path / "f.db")
    frame = result.evaluations["hire_once"].frame.set_index("person_id")
    assert (
        frame.loc[person, "v_insured"] == "6"
    )  # worded as 6个月 at the edge  # 2024-01..06 after the refunded month
    assert person not in payees(result, "hire_once")


@pytest.mark.parametrize(("period", "amount"), [(203001, 640), (202405, "1e308"), (198001, 640)])
def test_absurd_months_and_amounts_are_rejected_rows(tmp_path, period, amount):
    path = csv_file(
        tmp_path / "i.csv",
        [",".join(INSURANCE_HEADER), f"{pid('19800101', 1)},甲,{employer(1)},{period},养老,4000,{amount},320"],
    )  # fmt: skip
    checked = check_paths([path], "insurance", on=dates.last_day(M))
    assert checked.rows_rejected == 1 and checked.rows_valid == 0
    assert (checked.problems["severity"] == "rejected").all()


def test_a_cap_counts_later_months_too(world, db_url):
    root, ids = world
    db = db_url
    conn = store.connect(db)
    run = store.start_run(conn, "test", None)
    for month in dates.months_range(202407, 202706):  # 36 months committed after June
        line = {c: "" for c in ledger.PAYMENT_COLUMNS} | {
            "rule": "workshop_monthly", "key": f"{ids['shop_ok']}|{month}", "payee_id": "w",
            "person_id": ids["shop_ok"], "amount_fen": 50000, "identities": ids["shop_ok"],
        }  # fmt: skip
        ledger.commit_batch(conn, f"{month}-T", month, run, pd.DataFrame([line]), "x", {})
    conn.close()
    june = compute_subsidies(root, M, db)
    assert ids["shop_ok"] not in payees(june, "workshop_monthly")
    assert (
        june.evaluations["workshop_monthly"]
        .frame.set_index("person_id")
        .loc[ids["shop_ok"], "months_paid"]
        == 36
    )


def _rewrites(db: str, entry_id: int, batch_id: str) -> list[str]:
    """Statements that would change what the ledger says was paid, as its owner could type
    them: a payment or a void replaced over its key, a void edited, the chain emptied."""
    if not backends.is_server(db):
        return [
            f"INSERT OR REPLACE INTO payments (entry_id, batch_id, month, rule, key, amount_fen,"
            f" created) VALUES ({entry_id}, '{batch_id}', 202406, 'travel', 'x', 1, 'now')",
            "INSERT OR REPLACE INTO voids (void_id, batch_id, month, reason, created) "
            f"VALUES (1, '{batch_id}', 202406, 'x', 'now')",
            "UPDATE voids SET reason = 'x'",
            "DELETE FROM chain",
        ]
    return [
        "INSERT INTO payments (entry_id, batch_id, month, rule, key, amount_fen, created) "
        f"VALUES ({entry_id}, '{batch_id}', 202406, 'travel', 'x', 1, 'now') "
        "ON CONFLICT (entry_id) DO UPDATE SET amount_fen = 1",
        "INSERT INTO voids (void_id, batch_id, month, reason, created) "
        f"VALUES (1, '{batch_id}', 202406, 'x', 'now') "
        "ON CONFLICT (void_id) DO UPDATE SET reason = 'x'",
        "UPDATE voids SET reason = 'x'",
        "DELETE FROM chain",
        "TRUNCATE chain",
        "TRUNCATE payments CASCADE",
    ]


def test_the_database_refuses_to_rewrite_the_ledger_and_the_chain_tells_what_slips_in(
    world, db_url
):
    root, _ = world
    db = db_url
    june = compute_subsidies(root, M, db, commit=True, **FRESH)
    conn = store.connect(db)
    ledger.void_batch(conn, june.batch_id, "名单有误")
    conn.close()
    first = backends.scalar(db, "SELECT MIN(entry_id) FROM payments")
    for sql in _rewrites(db, first, june.batch_id):
        with pytest.raises(DBAPIError, match="append-only"):
            backends.owner_sql(db, sql)
    conn = store.connect(db)
    assert ledger.check_ledger(conn) == []
    conn.close()
    # what SQL still lets through, the chain tells
    backends.owner_sql(db, "INSERT INTO batches (batch_id, month, run_id, committed, "
                       "policy_sha256, inputs, lines, total_fen) "
                       "VALUES ('2024-05-X', 202405, 1, 'now', '', '{}', 0, 0)")  # fmt: skip
    conn = store.connect(db)
    assert any("不在台账链中" in p.text() for p in ledger.check_ledger(conn))
    conn.close()


_CHANGE = "UPDATE payments SET amount_fen = 999999 WHERE entry_id = 3"


def test_ledger_check_finds_a_row_changed_behind_its_back(world, db_url):
    root, _ = world
    db = db_url
    compute_subsidies(root, M, db, commit=True, **FRESH)
    name = backends.drop_guard(db, "payments", "update")  # someone with the owner's rights
    backends.owner_sql(db, _CHANGE)
    conn = store.connect(db, inspect=True)
    problems = [p.text() for p in ledger.check_ledger(conn)]
    conn.close()
    assert any("payments 3 的内容与入账时不同" in p for p in problems)
    assert f"触发器 {name} 被删除" in problems
    with pytest.raises(InputError) as refused:  # nothing is paid from such a ledger
        compute_subsidies(root, 202407, db, commit=True)
    assert refused.value.key == "db_tampered" and refused.value.exit_code == 3


def test_a_change_made_with_the_guard_put_back_is_found_by_the_chain(world, db_url):
    root, _ = world
    db = db_url
    compute_subsidies(root, M, db, commit=True, **FRESH)
    backends.behind_guards(db, "payments", _CHANGE)
    conn = store.connect(db, inspect=True)
    problems = [p.text() for p in ledger.check_ledger(conn)]
    conn.close()
    assert [p for p in problems if "被删除" in p or "被改写" in p] == []  # the guards as made
    assert any("payments 3 的内容与入账时不同" in p for p in problems)


def test_a_guard_turned_off_is_refused_before_anything_is_paid(world, pg_url):
    """PostgreSQL: a trigger kept but disabled (or firing on replicas only) guards nothing."""
    root, _ = world
    compute_subsidies(root, M, pg_url, commit=True, **FRESH)
    for how in ("DISABLE", "ENABLE REPLICA"):
        backends.owner_sql(pg_url, f"ALTER TABLE payments {how} TRIGGER payments_append_only")
        with pytest.raises(InputError) as refused:
            compute_subsidies(root, 202407, pg_url, commit=True)
        assert refused.value.key == "db_tampered"
        assert "触发器 payments_append_only 被改写" in refused.value.message()
    backends.owner_sql(pg_url, "ALTER TABLE payments ENABLE TRIGGER payments_append_only")
    assert compute_subsidies(root, 202407, pg_url, commit=True).newly_committed


def test_a_guard_made_to_let_changes_through_is_refused(world, pg_url):
    """PostgreSQL: the guards' function rewritten to let every change through."""
    root, _ = world
    compute_subsidies(root, M, pg_url, commit=True, **FRESH)
    backends.owner_sql(pg_url, "CREATE OR REPLACE FUNCTION fengdu_append_only() RETURNS trigger "
                       "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")  # fmt: skip
    with pytest.raises(InputError) as refused:
        compute_subsidies(root, 202407, pg_url, commit=True)
    assert refused.value.key == "db_tampered" and "被改写" in refused.value.message()


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (["CREATE RULE swallow AS ON INSERT TO payments DO INSTEAD NOTHING"], "规则 swallow"),
        (["ALTER TABLE payments ENABLE ROW LEVEL SECURITY",
          "CREATE POLICY hide ON payments USING (rule <> 'hire_once')"], "行级安全策略 hide"),
        (["ALTER TABLE claims ENABLE ROW LEVEL SECURITY"], "表 claims 的行级安全"),
    ],
    ids=["rule", "policy", "row_security"],
)  # fmt: skip
def test_a_rule_or_row_security_that_could_hide_a_payment_is_refused(world, pg_url, tamper, named):
    """PostgreSQL: what a view rewritten does on SQLite, a rule (payments swallowed as they
    are written) or row security (payments hidden from the clerks) could do: refused."""
    root, _ = world
    compute_subsidies(root, M, pg_url, commit=True, **FRESH)
    backends.owner_sql(pg_url, *tamper)
    with pytest.raises(InputError) as refused:
        compute_subsidies(root, 202407, pg_url, commit=True)
    assert refused.value.key == "db_tampered"
    assert f"{named} 不是本工具建立的" in refused.value.message()


def test_a_rewritten_view_is_refused_before_it_can_hide_a_payment(world, db_url):
    root, _ = world
    db = db_url
    compute_subsidies(root, M, db, commit=True, **FRESH)
    backends.owner_sql(db, "DROP VIEW live_payments",
                       "CREATE VIEW live_payments AS SELECT p.*, 'month' AS batch_kind "
                       "FROM payments p WHERE p.rule = 'none'")  # fmt: skip
    with pytest.raises(InputError) as refused:
        compute_subsidies(root, 202407, db, commit=True)
    assert "视图 live_payments 被改写" in refused.value.message()
    result = CliRunner().invoke(app, ["ledger", "check", "--db", str(db)])
    assert result.exit_code == 1 and "视图 live_payments 被改写" in result.output


def _cut_after(db: str, batch_id: str) -> None:
    """Remove every link of the chain after ``batch_id``'s, its guard dropped first."""
    backends.drop_guard(db, "chain", "delete")
    backends.owner_sql(
        db,
        "DELETE FROM chain WHERE seq > (SELECT MAX(seq) FROM chain WHERE row_key = :batch)",
        params={"batch": batch_id},
    )


_LEDGER_TABLES = ("runs", "batches", "payments", "voids", "chain", "bank_lines", "bank_parts",
                  "bank_items", "claims")  # fmt: skip


def _pg_backup(db: str) -> None:
    """A copy of the ledger's tables, as a dump taken by the county's backup would hold
    (kept beside them, in the database's own schema)."""
    backends.owner_sql(db, *(f"CREATE TABLE backup_{t} AS TABLE {t}" for t in _LEDGER_TABLES))


def _pg_restore(db: str) -> None:
    """The ledger's tables put back from :func:`_pg_backup` (as a restore does: its owner
    empties the tables, guards off, and loads the dump), the guards as they were."""
    backends.owner_sql(
        db,
        *(f"ALTER TABLE {t} DISABLE TRIGGER USER" for t in _LEDGER_TABLES),
        f"TRUNCATE {', '.join(_LEDGER_TABLES)}, month_summary",
        *(f"INSERT INTO {t} SELECT * FROM backup_{t}" for t in _LEDGER_TABLES),
        *(f"ALTER TABLE {t} ENABLE TRIGGER USER" for t in _LEDGER_TABLES),
        *(f"DROP TABLE backup_{t}" for t in _LEDGER_TABLES),
    )


def test_a_ledger_that_lost_its_last_batch_is_refused(world, tmp_path, db_url):
    from fengdu_cli.history import commit_import, plan_import
    from fengdu_cli.io.subsidy_files import write_subsidy_files
    from fengdu_cli.policy import load_policy

    root, _ = world
    folder = tmp_path / "台账"
    folder.mkdir()
    db = db_url if backends.is_server(db_url) else str(folder / "f.db")
    june = compute_subsidies(root, M, db, commit=True, **FRESH)
    if backends.is_server(db):
        _pg_backup(db)
    else:  # the ledger folder, head and all: before July
        shutil.copytree(folder, tmp_path / "backup")
    july = compute_subsidies(root, 202407, db, commit=True)
    paid_in_july = write_subsidy_files(july, tmp_path / "out")[0]
    if backends.is_server(db):
        _pg_restore(db)  # the database put back: July would be paid again
    else:
        for table in ("payments", "batches"):
            backends.drop_guard(db, table, "delete")
        _cut_after(db, june.batch_id)
        with pytest.raises(InputError):
            compute_subsidies(root, 202407, db, commit=True)
        shutil.rmtree(folder)
        shutil.copytree(tmp_path / "backup", folder)  # the folder put back
    with pytest.raises(InputError) as refused:
        compute_subsidies(root, 202407, db, commit=True)
    assert refused.value.key == "db_behind" and "ledger import" in refused.value.message()
    conn = store.connect(db, inspect=True)
    found = ledger.check_ledger(conn)
    conn.close()
    assert "无法确认" not in "".join(p.text() for p in found)
    # made whole the way the message says: what July paid is imported from its list
    commit_import(plan_import([paid_in_july], load_policy(None), db), db)
    again = compute_subsidies(root, 202407, db)
    assert again.lines.empty  # nothing of July is paid again
    conn = store.connect(db, inspect=True)
    assert ledger.check_ledger(conn) == []
    conn.close()


def test_a_ledger_cut_short_with_its_guards_put_back_is_refused(world, db_url):
    root, _ = world
    db = db_url
    june = compute_subsidies(root, M, db, commit=True, **FRESH)
    compute_subsidies(root, 202407, db, commit=True)
    backends.behind_guards(
        db, "chain", "DELETE FROM chain WHERE seq > (SELECT MAX(seq) FROM chain "
        "WHERE row_key = :batch)", params={"batch": june.batch_id},
    )  # fmt: skip
    with pytest.raises(InputError) as refused:
        compute_subsidies(root, 202408, db, commit=True)
    assert refused.value.key == "db_behind"  # the head recorded at July's commit tells


def test_an_edited_head_record_in_the_clerks_state_folder_refuses_the_ledger(world, db_url):
    """The chain's head is kept in the clerk's own state folder too (a server's ledger has
    no file beside it): edited, the ledger is refused, as for a head beside a file."""
    root, _ = world
    db = db_url
    compute_subsidies(root, M, db, commit=True, **FRESH)
    conn = store.connect(db)
    head = store.chain.state_head_path(conn)
    conn.close()
    head.write_text("1 " + "0" * 64 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        compute_subsidies(root, 202407, db, commit=True)
    assert refused.value.key == "db_behind"


def test_ledger_check_masks_ids(world, db_url):
    root, ids = world
    db = db_url
    compute_subsidies(root, M, db, commit=True, **FRESH)
    if not backends.is_server(db):  # SQLite also refuses an insert over a key
        backends.owner_sql(db, "DROP TRIGGER payments_no_replace")
    backends.owner_sql(db, "INSERT INTO payments (batch_id, month, rule, key, amount_fen, entry, "
                       "created) SELECT batch_id, month, rule, key, amount_fen, entry, created "
                       "FROM payments WHERE rule = 'hire_once'")  # fmt: skip
    conn = store.connect(db, inspect=True)
    text = "\n".join(p.text() for p in ledger.check_ledger(conn))
    conn.close()
    assert "hire_once" in text and ids["hire12"] not in text


def test_files_that_cannot_be_written_leave_nothing_committed(world, tmp_path, db_url):
    from fengdu_cli.io.subsidy_files import compute_and_write

    root, _ = world
    db = db_url
    out = tmp_path / "out"
    out.write_text("a file where the output folder should be", encoding="utf-8")
    with pytest.raises(OutputError) as refused:
        compute_and_write(root, M, db, out, commit=True, **FRESH)
    assert str(out) in refused.value.message()  # the folder named, never a trace
    conn = store.connect(db)
    assert conn.scalar("SELECT COUNT(*) FROM batches") == 0
    conn.close()


def test_a_failure_after_the_commit_says_so_and_the_files_can_be_written_again(
    world,
    tmp_path,
    monkeypatch,
    db_url,
):
    from typer.testing import CliRunner

    from fengdu_cli.cli import app
    from fengdu_cli.io import write

    root, _ = world
    db, out = db_url, tmp_path / "out"

    def full_disk(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.Staging, "publish", full_disk)
    args = ["subsidy", "--month", "2024-06", "--data", str(root), "--db", str(db), "--out",
            str(out), "--commit", "--new-db", "--no-history"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 5
    assert "已入账" in result.output and "fengdu ledger files --month 2024-06" in result.output
    assert not (out / "payments-2024-06.csv").exists()
    monkeypatch.undo()
    (out / "undetermined-2024-06.xlsx").write_bytes(b"the run's own list")
    again = CliRunner().invoke(app, ["ledger", "files", "--month", "2024-06", "--db", str(db),
                                     "--out", str(out)])  # fmt: skip
    assert again.exit_code == 0
    assert (out / "payments-2024-06.csv").exists() and (out / "payments-2024-06.xlsx").exists()
    assert not list(out.glob(".*"))  # no temporary file left behind
    assert (out / "undetermined-2024-06.xlsx").exists()  # the ledger knows nothing of it
    july = CliRunner().invoke(app, ["ledger", "files", "--month", "2024-07", "--db", str(db),
                                    "--out", str(out)])  # fmt: skip
    assert july.exit_code == 2 and "没有可重写的文件" in july.output


def test_only_a_committed_batch_writes_the_plain_names(world, tmp_path):
    from fengdu_cli.io.subsidy_files import compute_and_write

    root, _ = world
    db, out = tmp_path / "f.db", tmp_path / "out"
    _trial, files = compute_and_write(root, M, db, out)
    assert {p.name for p in files} >= {"payments-2024-06-试算.csv", "payments-2024-06-试算.xlsx"}
    assert not (out / "payments-2024-06.csv").exists()
    committed, files = compute_and_write(root, M, db, out, commit=True, **FRESH)
    csv = (out / "payments-2024-06.csv").read_text(encoding="utf-8-sig")
    assert committed.batch_id in csv and "试算" not in csv
    retired = out / "已过期" / "payments-2024-06-试算.csv"  # the trial, moved aside
    assert "试算" in retired.read_text(encoding="utf-8-sig")
    assert not (out / "payments-2024-06-试算.csv").exists()


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("amount = 6000 #", "amount = 60000000 #", "policy_absurd_amount"),
        (
            "min_stable_months = 3 # 稳定就业",
            "min_stable_months = 0 # 稳定就业",
            "policy_no_conditions",
        ),
    ],
)
def test_absurd_policies_are_refused(tmp_path, old, new, code):
    from importlib import resources

    text = resources.files("fengdu_cli").joinpath("data/policy.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "p.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert [p.code for p in check_policy(path)] == [code]


def test_database_trouble_is_a_clear_message_never_a_trace(world, tmp_path):
    from typer.testing import CliRunner

    from fengdu_cli.cli import app

    root, _ = world
    runner = CliRunner()

    def subsidy(db):
        return runner.invoke(app, ["subsidy", "--month", "2024-06", "--data", str(root),
                                   "--db", str(db), "--out", str(tmp_path / "o")])  # fmt: skip

    folder = tmp_path / "a-folder"
    folder.mkdir()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database" * 100)
    for db in (folder, corrupt):
        result = subsidy(db)
        assert result.exit_code == 3, result.output
        assert str(db) in result.output and "Traceback" not in result.output
    readonly = tmp_path / "ro.db"
    store.create(readonly)
    readonly.chmod(0o400)
    import os

    if os.geteuid() != 0:  # root reads and writes anything
        result = runner.invoke(app, ["subsidy", "--month", "2024-06", "--data", str(root),
                                     "--db", str(readonly), "--commit", "--no-history"])  # fmt: skip
        assert result.exit_code == 3


def test_a_symlinked_database_shares_its_lock(tmp_path):
    from fengdu_cli.errors import LockError

    real = tmp_path / "real.db"
    store.create(real)
    link = tmp_path / "link.db"
    link.symlink_to(real)
    with store.hold_lock(real), pytest.raises(LockError), store.hold_lock(link):
        pass


def test_a_new_ledger_is_private(tmp_path):
    import stat

    db = tmp_path / "new" / "f.db"
    store.create(db)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
