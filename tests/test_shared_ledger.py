"""A ledger on PostgreSQL that a county office's clerks share: runs at the same time never
pay anyone twice, a run refused says who holds the month, and nothing of it is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from fengdu_cli import store
from fengdu_cli.cli import app
from fengdu_cli.errors import LockError
from fengdu_cli.store import chain, ledger
from fengdu_cli.subsidy import compute_subsidies
from tests import backends
from tests.conftest import pg_server
from tests.makers import valid_id
from tests.test_subsidy import M, payees

FRESH = {"new_db": True, "no_history": True}


def _line(n: int, rule: str = "travel", month: int = 202406) -> dict:
    """A payment line for the n-th person (once a year for travel)."""
    who = valid_id(n)
    return {c: "" for c in ledger.PAYMENT_COLUMNS} | {
        "rule": rule, "key": f"{who}|{month // 100}", "payee_type": "person", "payee_id": who,
        "person_id": who, "amount_fen": 20000, "identities": who,
    }  # fmt: skip


def test_a_run_holding_the_ledger_lock_can_write_to_the_ledger(pg_url):
    """`ledger void` and `ledger import` hold the whole ledger's run lock while they write:
    their own write transaction must not wait on it (it would wait for ever)."""
    store.create(pg_url)
    with store.hold_lock(pg_url):
        conn = store.connect(pg_url)
        try:
            conn.execute("SET lock_timeout = '3s'")  # a wait on itself fails, never hangs
            run = store.start_run(conn, "test", 202406)
            ledger.commit_batch(conn, "2024-06-B1", 202406, run, pd.DataFrame([_line(1)]), "x", {})
            assert ledger.void_batch(conn, "2024-06-B1", "录错") == ("2024-06-B1", 1, -20000)
        finally:
            conn.close()


def test_a_new_shared_ledger_is_made_at_once_never_seen_half_made(pg_url):
    """While one clerk's run makes the tables of a new database, another clerk looking at
    it finds none of them or all: a half-made one would be refused as needing `db migrate`."""
    seen: set[int] = set()
    making = threading.Thread(target=store.create, args=(pg_url,))
    with backends.as_owner(pg_url) as looking:
        making.start()
        while making.is_alive() or not seen or max(seen) < store.SCHEMA_VERSION:
            made = looking.exec_driver_sql("SELECT to_regclass('fengdu_schema')").scalar()
            version = "SELECT COALESCE(MAX(version), 0) FROM fengdu_schema"
            seen.add(int(looking.exec_driver_sql(version).scalar()) if made else 0)
    making.join()
    assert seen <= {0, store.SCHEMA_VERSION}


# ------------------------------------------------------------ clerks committing at once

# a clerk's run: its program loaded first, then started with the others at one moment
_CLERK = """
import os, pathlib, sys, time
import fengdu_cli.subsidy
from fengdu_cli.cli import main
pathlib.Path(sys.argv[1]).touch()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.002)
sys.exit(main(sys.argv[3:]))
"""
_MONTHS = ("2024-06", "2024-07", "2024-06", "2024-08", "2024-07", "2024-06")


def _clerks(root: Path, db: str, tmp_path: Path) -> list[tuple[str, int, str, str, Path]]:
    """Six runs of ``subsidy --commit`` over overlapping months, started together; each
    (month, exit code, stdout, stderr, its output folder)."""
    start = tmp_path / "start"
    runs = []
    for n, month in enumerate(_MONTHS):
        args = ["subsidy", "--month", month, "--data", str(root), "--db", db, "--out",
                str(tmp_path / f"out{n}"), "--commit", "--no-history", "--json", "--quiet"]  # fmt: skip
        ready = tmp_path / f"ready{n}"
        runs.append(subprocess.Popen([sys.executable, "-c", _CLERK, str(ready), str(start), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))  # fmt: skip
    _wait_for(lambda: all((tmp_path / f"ready{n}").exists() for n in range(len(runs))), 60)
    start.touch()  # every run loaded and waiting at the start line: all go at once
    done = []
    for n, (month, run) in enumerate(zip(_MONTHS, runs, strict=True)):
        out, err = run.communicate(timeout=120)
        done.append((month, run.returncode, out, err, tmp_path / f"out{n}"))
    return done


def _twice(db: str) -> dict[str, list]:
    """What the tables themselves say was paid or committed more than once."""
    return {
        "key": backends.rows(db, "SELECT rule, key FROM live_payments GROUP BY rule, key "
                             "HAVING COUNT(*) > 1"),
        "who": backends.rows(db, "SELECT c.rule, c.scope, c.who FROM claims c "
                             "JOIN live_payments p ON p.entry_id = c.entry_id "
                             "GROUP BY c.rule, c.scope, c.who HAVING COUNT(*) > 1"),
        "month": backends.rows(db, "SELECT b.month FROM batches b LEFT JOIN voids v "
                               "ON v.batch_id = b.batch_id WHERE v.batch_id IS NULL "
                               "AND b.kind = 'month' GROUP BY b.month HAVING COUNT(*) > 1"),
        "lines": backends.rows(db, "SELECT b.batch_id FROM batches b LEFT JOIN payments p "
                               "ON p.batch_id = b.batch_id AND p.entry = 'payment' "
                               "GROUP BY b.batch_id, b.lines HAVING COUNT(p.entry_id) <> b.lines"),
    }  # fmt: skip


def _sound(db: str) -> None:
    conn = store.connect(db)
    try:
        assert ledger.check_ledger(conn) == []
        assert chain.check_chain(conn) == []
    finally:
        conn.close()
    assert _twice(db) == {"key": [], "who": [], "month": [], "lines": []}


def test_clerks_committing_overlapping_months_at_once_pay_everyone_once(world, tmp_path, pg_url):
    root, _ = world
    store.create(pg_url)
    done = _clerks(root, pg_url, tmp_path)
    committed = {}
    for month, code, out, err, folder in done:
        assert code in (0, 1, 4), (month, code, err)
        if code == 4:  # refused: the month's lock held, or the ledger written meanwhile
            assert "另一个 fengdu 正在处理" in err or "另一位操作员已向台账写入" in err, err
            assert not list(folder.glob(f"payments-{month}*")), folder  # no list to pay
            continue
        summary = json.loads(out)
        if summary["newly_committed"]:
            assert summary["batch_id"] not in committed
            committed[summary["batch_id"]] = month
    assert committed, "the first run to commit is never refused"
    batches = dict(backends.rows(pg_url, "SELECT batch_id, month FROM batches"))
    # the runs that said they committed account for every batch, and only they
    assert {b: int(m.replace("-", "")) for b, m in committed.items()} == batches
    _sound(pg_url)
    # what a refused run did not pay, its re-run pays: each month once, nobody twice
    for month in sorted(set(_MONTHS)):
        compute_subsidies(root, int(month.replace("-", "")), pg_url, commit=True, no_history=True)
    assert sorted(m for _, m in backends.rows(pg_url, "SELECT batch_id, month FROM batches")) == [
        202406, 202407, 202408,
    ]  # fmt: skip
    _sound(pg_url)


# ------------------------------------------------------------ the database's own key


def _pay_behind_the_lock(db: store.Db, entry_key: str, who: str) -> None:
    """Write a payment of ``who`` and its claim inside a transaction of ``db`` that never
    takes the ledger's lock (a writer that bypassed it), left open."""
    db.conn.begin()
    line = _line(2) | {"key": entry_key, "identities": who, "person_id": who, "payee_id": who}
    entry = db.scalar(
        "INSERT INTO payments (batch_id, month, rule, key, payee_id, person_id, amount_fen, "
        "identities, created) VALUES ('2024-06-B1', 202406, :rule, :key, :payee_id, "
        ":person_id, :amount_fen, :identities, 'now') RETURNING entry_id",
        {k: line[k] for k in ("rule", "key", "payee_id", "person_id", "amount_fen", "identities")},
    )
    ledger.claim(db, pd.DataFrame([line | {"entry_id": entry, "month": 202406}]))


def test_the_claims_key_alone_refuses_a_second_payment_of_one_person(pg_url):
    """Two writers that bypassed the ledger's lock pay one person at the same time under
    keys that differ: each numbers its claim on (rule, year, person) the first, and the
    database refuses the second when the first commits — nothing of the second kept."""
    store.create(pg_url)
    first, second = store.connect(pg_url), store.connect(pg_url)
    try:
        run = store.start_run(first, "test", 202406)
        ledger.commit_batch(first, "2024-06-B1", 202406, run, pd.DataFrame([_line(1)]), "x", {})
        who = valid_id(2)
        _pay_behind_the_lock(first, f"{who}|2024", who)
        pid = second.scalar("SELECT pg_backend_pid()")
        refused: list[BaseException] = []

        def pay_again() -> None:
            try:
                _pay_behind_the_lock(second, f"owner:{who}|2024", who)
            except IntegrityError as exc:
                refused.append(exc)
                second.conn.rollback()

        racer = threading.Thread(target=pay_again)
        racer.start()
        _wait_for(lambda: backends.scalar(pg_url, "SELECT COUNT(*) FROM pg_locks "
                                          "WHERE pid = :pid AND NOT granted", {"pid": pid}))  # fmt: skip
        first.conn.commit()
        racer.join(timeout=30)
        assert not racer.is_alive() and len(refused) == 1
        assert "claims_pkey" in str(refused[0].orig)
    finally:
        first.close()
        second.close()
    paid = backends.rows(pg_url, "SELECT key FROM payments WHERE person_id = :who", {"who": who})
    assert paid == [(f"{who}|2024",)]
    assert backends.scalar(pg_url, "SELECT COUNT(*) FROM claims WHERE who = :who",
                           {"who": who}) == 1  # fmt: skip


def _wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.02)


# ------------------------------------------------------------ the month's lock

_HOLDER = """
import sys, time
from fengdu_cli import store
with store.hold_lock(sys.argv[1], int(sys.argv[2])):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_month_held_by_another_clerk_is_refused_naming_the_holder(world, tmp_path, pg_url):
    root, _ = world
    store.create(pg_url)
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, pg_url, "202406"],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockError) as refused, store.hold_lock(pg_url, 202406):
            pass
        assert refused.value.key == "locked_by" and refused.value.exit_code == 4
        assert f"pid {holder.pid}" in str(refused.value.params["who"])  # the holder's run
        result = CliRunner().invoke(app, ["subsidy", "--month", "2024-06", "--data", str(root),
                                          "--db", pg_url, "--out", str(tmp_path / "out"),
                                          "--commit", "--no-history"])  # fmt: skip
        assert result.exit_code == 4 and f"pid {holder.pid}" in result.output
        with store.hold_lock(pg_url, 202407):  # another month goes on
            pass
        july = compute_subsidies(root, 202407, pg_url, commit=True, no_history=True)
        assert july.newly_committed
    finally:
        holder.kill()  # the holder dies without letting go: its connection ends, its lock too
        holder.wait()
    _wait_for(lambda: _free(pg_url, 202406))
    assert compute_subsidies(root, M, pg_url, commit=True, no_history=True).newly_committed


def _free(db: str, month: int) -> bool:
    try:
        with store.hold_lock(db, month):
            return True
    except LockError:
        return False


def test_a_commit_waits_for_another_clerks_write_a_bounded_time_then_names_the_holder(
    world, tmp_path, pg_url, monkeypatch
):
    """Another clerk's write that never ends (a machine gone silent inside its transaction)
    holds every other commit back a bounded time only: then exit 4, naming who holds it."""
    from fengdu_cli.store import sql

    root, _ = world
    compute_subsidies(root, M, pg_url, commit=True, **FRESH)
    conn = store.connect(pg_url)
    key = conn.lock_key
    conn.close()
    monkeypatch.setattr(sql, "WRITE_WAIT_SECONDS", 1)
    stalled = subprocess.Popen([sys.executable, "-c", _STALLED, pg_url, str(key)],
                               stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert stalled.stdout is not None and stalled.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = CliRunner().invoke(app, ["subsidy", "--month", "2024-07", "--data", str(root),
                                          "--db", pg_url, "--out", str(tmp_path / "out"),
                                          "--commit"])  # fmt: skip
        assert time.monotonic() - started < 30
        assert result.exit_code == 4 and f"pid {stalled.pid}" in result.output
    finally:
        stalled.kill()
        stalled.wait()
    assert backends.scalar(pg_url, "SELECT COUNT(*) FROM batches WHERE month = 202407") == 0
    _wait_for(lambda: _connections_of(pg_url, stalled.pid) == 0)  # its transaction rolled back
    assert compute_subsidies(root, 202407, pg_url, commit=True).newly_committed


# a write transaction begun, the ledger's write lock taken, and never ended
_STALLED = """
import sys, time
from fengdu_cli.store.database import application_name
import sqlalchemy
url = sqlalchemy.engine.make_url(sys.argv[1]).set(drivername="postgresql+psycopg")
engine = sqlalchemy.create_engine(url, connect_args={"application_name": application_name()})
with engine.connect() as conn:
    conn.execute(sqlalchemy.text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(sys.argv[2])})
    print("held", flush=True)
    time.sleep(120)
"""


# ------------------------------------------------------------ the ledger moved meanwhile


def test_a_month_computed_while_another_clerk_committed_is_refused_then_paid_right(
    world, tmp_path, pg_url, monkeypatch
):
    """July is computed from the ledger as it was; August is committed meanwhile (paying
    travel for the year to the one who turns 16 in July): July's lines could pay her again,
    so nothing of July is written (exit 4); run again, July pays her nothing."""
    from fengdu_cli import subsidy

    root, ids = world
    compute_subsidies(root, M, pg_url, commit=True, **FRESH)
    original, meanwhile = subsidy.evaluate_rules, []

    def august_meanwhile(*args, **kwargs):
        if not meanwhile:  # once: August's own run computes as it always does
            meanwhile.append(None)
            meanwhile[0] = compute_subsidies(root, 202408, pg_url, commit=True)
        return original(*args, **kwargs)

    monkeypatch.setattr(subsidy, "evaluate_rules", august_meanwhile)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["subsidy", "--month", "2024-07", "--data", str(root),
                                      "--db", pg_url, "--out", str(out), "--commit"])  # fmt: skip
    assert result.exit_code == 4 and "另一位操作员已向台账写入" in result.output
    assert ids["age15"] in payees(meanwhile[0], "travel")
    assert backends.scalar(pg_url, "SELECT COUNT(*) FROM batches WHERE month = 202407") == 0
    assert not list(out.glob("payments-2024-07*.csv"))  # no list to pay
    monkeypatch.undo()
    again = compute_subsidies(root, 202407, pg_url, commit=True)
    assert again.newly_committed and ids["age15"] not in payees(again, "travel")
    _sound(pg_url)


def test_an_import_while_another_clerk_committed_is_refused_then_records_the_rest(
    world, tmp_path, pg_url, monkeypatch
):
    """A list of past payments is settled against the ledger as it was; June is committed
    meanwhile (paying one of the list's people her travel for the year): the import could
    record her a second time, so it records nothing (exit 4); run again, it records the
    others and says she is recorded already."""
    from tests.test_history import plain_list

    root, ids = world
    store.create(pg_url)
    past = plain_list(tmp_path / "交通补助.csv", [
        ["虎威镇", "测试11", ids["guangdong"], "交通补助", "2024-03", 200],
        ["虎威镇", "测试9", ids["age16"], "交通补助", "2023-03", 50],
    ])  # fmt: skip
    original, meanwhile = ledger.commit_import, []

    def june_meanwhile(*args, **kwargs):  # after the import settled against the ledger
        meanwhile.append(compute_subsidies(root, M, pg_url, commit=True, no_history=True))
        return original(*args, **kwargs)

    monkeypatch.setattr(ledger, "commit_import", june_meanwhile)
    args = ["ledger", "import", str(past), "--db", pg_url, "--commit"]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 4 and "另一位操作员已向台账写入" in refused.output
    assert ids["guangdong"] in payees(meanwhile[0], "travel")
    assert backends.scalar(pg_url, "SELECT COUNT(*) FROM batches WHERE kind = 'import'") == 0
    monkeypatch.undo()
    again = CliRunner().invoke(app, [*args, "--json"])
    assert again.exit_code == 1 and json.loads(again.output)["entries"] == 1
    _sound(pg_url)


# ------------------------------------------------------------ what the clerk is told


def test_a_server_is_named_without_its_password_on_screen_and_in_the_logs(world, tmp_path, pg_url):
    """A URL may carry the password (the server here lets anyone in): it is never shown,
    logged or written beside the ledger's head, whether the server answers or not."""
    root, _ = world
    missing = _with_password(pg_server(), "pgt_nothing_here")
    working = _with_password(pg_url, None)
    args = ["subsidy", "--month", "2024-06", "--data", str(root), "--out", str(tmp_path / "out"),
            "--commit", "--new-db", "--no-history"]  # fmt: skip
    refused = CliRunner().invoke(app, [*args, "--db", missing])
    assert refused.exit_code == 3 and "Traceback" not in refused.output
    assert "postgresql://postgres:***@" in refused.output  # as the clerk wrote it, no driver
    paid = CliRunner().invoke(app, [*args, "--db", working])
    assert paid.exit_code == 0 and "已入账" in paid.output
    said = [refused.output, paid.output]
    said += [p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.log")]
    said += [p.read_text(encoding="utf-8") for p in chain.state_folder().rglob("*.head")]
    assert len(said) > 3 and not any("s3cret" in text for text in said)


def _with_password(server: str, database: str | None) -> str:
    """``server`` (a URL) with a password, and another database if one is named."""
    from sqlalchemy.engine import make_url

    url = make_url(server).set(password="s3cret")
    return (url.set(database=database) if database else url).render_as_string(hide_password=False)


def _connections_of(db: str, pid: int) -> int:
    """How many connections process ``pid`` has open on the server."""
    return int(backends.scalar(db, "SELECT COUNT(*) FROM pg_stat_activity "
                               "WHERE application_name LIKE :me", {"me": f"% pid {pid}"}))  # fmt: skip


def _connections_of_this_process(db: str) -> int:
    return _connections_of(db, os.getpid())


def test_every_command_lets_go_of_its_connections(world, tmp_path, pg_url):
    """A clerk's session runs command after command: none leaves a connection (nor a
    transaction, nor a lock) behind on the server, whether it succeeded or was refused."""
    root, _ = world
    data, out = ["--data", str(root)], ["--out", str(tmp_path / "out")]
    june, july = ["--month", "2024-06"], ["--month", "2024-07"]
    commands = [
        (["subsidy", *june, *data, *out, "--commit", "--new-db", "--no-history"], 0),
        (["reconcile", *june, *data, *out], 1),
        (["ledger", "check"], 0),
        (["ledger", "void", *june, "--reason", "录错"], 0),
        (["subsidy", *july, *data, *out, "--commit"], 2),  # refused: nothing paid before
    ]  # fmt: skip
    runner = CliRunner()
    for command, code in commands:
        assert runner.invoke(app, [*command, "--db", pg_url]).exit_code == code, command
        assert _connections_of_this_process(pg_url) == 0, command
    with store.hold_lock(pg_url, 202407):  # refused: the month held (by this very session)
        held = runner.invoke(app, ["subsidy", *july, *data, *out, "--commit", "--db", pg_url])
        assert held.exit_code == 4 and _connections_of_this_process(pg_url) == 1
    backends.owner_sql(pg_url, "ALTER TABLE payments DISABLE TRIGGER payments_append_only")
    refused = runner.invoke(app, ["subsidy", *july, *data, *out, "--commit", "--db", pg_url])
    assert refused.exit_code == 3 and _connections_of_this_process(pg_url) == 0


def test_a_clerk_machine_gone_silent_is_noticed_in_about_a_minute(pg_url):
    """Keepalives on both sides of every connection: a machine that died or slept holding a
    month's lock lets go of it in about a minute, not after the system's two hours."""
    from fengdu_cli.store.location import target
    from fengdu_cli.store.sql import Db, open_engine

    db = Db(open_engine(target(pg_url)), target(pg_url))
    try:
        shown = {n: db.scalar(f"SHOW tcp_keepalives_{n}") for n in ("idle", "interval", "count")}
        assert shown == {"idle": "30", "interval": "10", "count": "3"}
        assert db.scalar("SELECT 1") == 1  # the connection works on, outside a transaction
    finally:
        db.close()
