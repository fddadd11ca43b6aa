"""``fengdu db migrate`` and ``fengdu db copy``: a county's database brought to this version,
the clerks' PostgreSQL role that can only read and add to the ledger, and a county's whole
history moved between SQLite and PostgreSQL — every row kept, the chain unchanged, the next
commit numbered after the copied ones; a copy refused or failed leaves the target empty."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy
from typer.testing import CliRunner

from fengdu_cli import store
from fengdu_cli.cli import app
from fengdu_cli.errors import InputError, UsageError
from fengdu_cli.store import ledger
from fengdu_cli.store.copy import copy_database
from fengdu_cli.store.schema import TABLES
from tests import backends
from tests.test_history import roster_list

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def fengdu(*args: object) -> tuple[int, str]:
    """Run a command in this process: (exit code, what it printed)."""
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def _without_account(roster: Path, person_id: str) -> None:
    """The roster with one person's bank account left blank (given later: a supplement)."""
    book = openpyxl.load_workbook(roster)
    sheet = book.active
    head = [c.value for c in sheet[1]]
    id_col, account_col = head.index("身份证号码") + 1, head.index("银行账号") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, id_col).value == person_id:
            sheet.cell(row, account_col).value = None
    book.save(roster)


def make_history(root: Path, ids: dict, db: Path, out: Path) -> None:
    """A county's history in ``db``: June reconciled and committed, voided and committed
    again with a payee still without an account, who is then paid on a supplement; past
    payments imported; July reconciled and committed."""
    roster = root / "rosters" / "roster.xlsx"
    kept = roster.read_bytes()
    month = ["--data", root, "--db", db, "--out", out]
    assert fengdu("reconcile", "--month", "2024-06", *month)[0] in (0, 1)
    code, said = fengdu("subsidy", "--month", "2024-06", *month, "--commit", "--new-db",
                        "--no-history")  # fmt: skip
    assert code in (0, 1), said
    assert fengdu("ledger", "void", "--month", "2024-06", "--reason", "名单有误", "--db", db,
                  "--out", out)[0] == 0  # fmt: skip
    _without_account(roster, ids["guangdong"])
    code, said = fengdu("subsidy", "--month", "2024-06", *month, "--commit", "--no-history")
    assert code == 1, said
    roster.write_bytes(kept)  # the account given: ledger files writes the supplement
    code, said = fengdu("ledger", "files", "--month", "2024-06", "--data", root, "--db", db,
                        "--out", out)  # fmt: skip
    assert code == 0, said
    past = root.parent / "past"
    past.mkdir()
    roster_list(
        past / "2023年交通补助.xlsx",
        "丰都县2023年12月跨区域交通补助发放花名册",
        ["乡镇", "村（社区）", "姓名", "身份证号码", "补助金额（元）"],
        [["虎威镇", "新华村", "测试9", ids["age16"], 50]],
    )
    code, said = fengdu("ledger", "import", past, "--db", db, "--commit")
    assert code == 0, said
    assert fengdu("reconcile", "--month", "2024-07", *month)[0] in (0, 1)
    assert fengdu("subsidy", "--month", "2024-07", *month, "--commit")[0] in (0, 1)


def tables_of(db: str | Path) -> dict[str, pd.DataFrame]:
    """Every table's rows, in the order of its key, as plain frames."""
    conn = store.connect(db, create=False, inspect=True)
    try:
        found = {}
        for name, table in TABLES.items():
            order = ", ".join(c.name for c in table.primary_key.columns) or "1"
            frame = conn.frame(f"SELECT * FROM {name} ORDER BY {order}")
            found[name] = frame.astype(object).where(frame.notna(), None)
        return found
    finally:
        conn.close()


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> tuple[Path, Path]:
    """A SQLite ledger holding a county's history, and the month folder it was paid from
    (built once for this file's tests, which only read it)."""
    from tests.test_subsidy import build_world

    folder = tmp_path_factory.mktemp("county")
    root, ids = build_world(folder)
    db = folder / "fengdu.db"
    make_history(root, ids, db, folder / "out")
    return db, root


def same_tables(one: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame]) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(one[name], other[name], check_dtype=False, obj=name)


def copied(source: object, to: object) -> dict:
    """``fengdu db copy --json``, which must succeed."""
    code, said = fengdu("db", "copy", "--from", source, "--to", to, "--json")
    assert code == 0, said
    return json.loads(said)


def pay_another_month(db: object, root: Path, out: Path) -> None:
    """August reconciled, committed and voided on ``db``: every id the database numbers
    (run, entry, void, bank line and item) and the chain go on after the copied ones."""
    before = tables_of(db)
    month = ["--data", root, "--db", db, "--out", out]
    assert fengdu("reconcile", "--month", "2024-08", *month)[0] in (0, 1)
    code, said = fengdu("subsidy", "--month", "2024-08", *month, "--commit")
    assert code == 0, said
    assert fengdu("ledger", "void", "--month", "2024-08", "--reason", "测试", "--db", db,
                  "--out", out)[0] == 0  # fmt: skip
    after = tables_of(db)
    for name, key in (("runs", "run_id"), ("payments", "entry_id"), ("voids", "void_id"),
                      ("bank_lines", "line_id"), ("bank_items", "item_id"), ("chain", "seq")):  # fmt: skip
        new = after[name][key][len(before[name]) :]
        assert len(new) and min(new) > max(before[name][key]), name
    code, said = fengdu("ledger", "check", "--db", db)
    assert code == 0 and "台账检查通过" in said, said


def test_a_history_goes_to_postgresql_and_back_whole(county, pg_url, tmp_path):
    db, root = county
    source = tables_of(db)
    summary = copied(f"sqlite:///{db}", pg_url)
    assert summary["tables"] == {name: len(frame) for name, frame in source.items()}
    assert summary["chain_ok"] and summary["copied"] and summary["problems"] == []
    assert summary["head"]["seq"] == len(source["chain"]) and summary["to"].startswith(
        "postgresql://"
    )
    same_tables(source, tables_of(pg_url))
    back = tmp_path / "back" / "fengdu.db"
    assert copied(pg_url, back)["tables"] == summary["tables"]
    same_tables(source, tables_of(back))
    pay_another_month(pg_url, root, tmp_path / "out")
    pay_another_month(back, root, tmp_path / "out-back")


def test_a_sqlite_history_copied_to_another_file_goes_on(county, tmp_path):
    db, root = county
    to = tmp_path / "copy.db"
    code, said = fengdu("db", "copy", "--from", db, "--to", to)
    assert code == 0, said
    assert "账链末环" in said and "合计" in said and "payments" in said
    same_tables(tables_of(db), tables_of(to))
    assert (tmp_path / "copy.db.head").read_text().split()[0] == str(len(tables_of(db)["chain"]))
    pay_another_month(to, root, tmp_path / "out")


def test_a_target_made_again_empty_takes_the_same_history_but_not_another(county, tmp_path):
    """The database at an address this machine knew (its head in the state folder) dropped
    and made again empty: the same history copies in (it reaches the recorded head); another
    (here an empty ledger) is rolled back, the target left empty, never taken for the one
    known there."""
    db, _ = county
    to = tmp_path / "copy.db"
    assert fengdu("db", "copy", "--from", db, "--to", to)[0] == 0
    to.unlink()
    (tmp_path / "copy.db.head").unlink()  # the state folder's head stays
    again = copied(db, to)
    assert again["copied"] and again["chain_ok"]
    to.unlink()
    (tmp_path / "copy.db.head").unlink()
    other = tmp_path / "other.db"
    store.create(other)
    code, said = fengdu("db", "copy", "--from", other, "--to", to)
    assert code == 5 and "第" in said, said
    assert _counts(to) == EMPTY


def _counts(db: object) -> dict[str, int]:
    return {name: len(frame) for name, frame in tables_of(db).items()}


EMPTY = dict.fromkeys(TABLES, 0)


def test_a_target_holding_any_row_is_refused_and_left_as_it_was(county, db_url):
    db, _ = county
    conn = store.connect(db_url)
    store.start_run(conn, "reconcile", 202405)  # one run: not empty
    conn.close()
    code, said = fengdu("db", "copy", "--from", db, "--to", db_url)
    assert code == 2 and "不是空的" in said and "runs" in said
    assert _counts(db_url) == {**EMPTY, "runs": 1}
    code, said = fengdu("db", "copy", "--from", db, "--to", db)
    assert code == 2 and "同一个数据库" in said


def _sqlite_copy(county, tmp_path) -> Path:
    db, _ = county
    to = tmp_path / "source.db"
    copy_database(db, to)
    return to


def test_a_source_that_is_not_a_sound_ledger_is_refused_and_nothing_is_written(county, tmp_path):
    import sqlite3

    guards = _sqlite_copy(county, tmp_path)  # a guard dropped
    conn = sqlite3.connect(guards)
    conn.execute("DROP TRIGGER payments_append_only_u")
    conn.commit()
    conn.close()
    changed = _sqlite_copy(county, tmp_path / "b")  # a paid amount changed, guards as made
    conn = sqlite3.connect(changed)
    made = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'payments_append_only_u'")
    trigger = made.fetchone()[0]
    conn.execute("DROP TRIGGER payments_append_only_u")
    conn.execute("UPDATE payments SET amount_fen = amount_fen * 2 WHERE entry_id = 1")
    conn.execute(trigger)
    conn.commit()
    conn.close()
    for source, key in ((guards, "db_tampered"), (changed, "db_copy_source_unsound")):
        to = source.with_name("to.db")
        with pytest.raises(InputError) as refused:
            copy_database(source, to)
        assert refused.value.key == key and refused.value.exit_code == 3
        assert not to.exists()
    code, said = fengdu("db", "copy", "--from", changed, "--to", tmp_path / "to.db")
    assert code == 3 and "台账检查发现" in said and not (tmp_path / "to.db").exists()


def test_a_source_cut_short_is_refused(county, tmp_path):
    """The last commit removed from a copy that had its head recorded: refused as every
    command refuses it (db_behind), never copied as if whole."""
    import sqlite3

    source = _sqlite_copy(county, tmp_path)
    conn = sqlite3.connect(source)
    drops = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_d'"
    ).fetchall()
    for name, _ in drops:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DELETE FROM chain WHERE seq = (SELECT MAX(seq) FROM chain)")
    for _, sql in drops:
        conn.execute(sql)
    conn.commit()
    conn.close()
    with pytest.raises(InputError) as refused:
        copy_database(source, tmp_path / "to.db")
    assert refused.value.key == "db_behind"


def test_a_source_of_an_earlier_version_is_migrated_first(tmp_path):
    from tests.legacy_schema import legacy_ledger

    old = tmp_path / "old.db"
    legacy_ledger(old, 7).close()
    with pytest.raises(UsageError) as refused:
        copy_database(old, tmp_path / "to.db")
    assert refused.value.key == "db_needs_migrate" and "db migrate" in refused.value.message()
    assert store.version_at(old) == 7  # only read
    code, said = fengdu("db", "migrate", "--db", old, "--json")
    assert code == 0, said
    assert json.loads(said) == {"db": str(old), "server": False, "before": 7, "after": 8,
                                "granted": None}  # fmt: skip
    assert copied(old, tmp_path / "to.db")["chain_ok"]


def test_a_copy_that_fails_or_does_not_check_out_leaves_the_target_empty(
    county, db_url, monkeypatch
):
    from fengdu_cli.messages import said
    from fengdu_cli.store import copy

    db, _ = county
    real = copy._copy_table

    def failing(reader, writer, name, *args):
        real(reader, writer, name, *args)
        if name == "payments":
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(copy, "_copy_table", failing)
    with pytest.raises(RuntimeError):
        copy_database(db, db_url)
    assert _counts(db_url) == EMPTY
    monkeypatch.setattr(copy, "_copy_table", real)
    monkeypatch.setattr(copy, "_verify", lambda *a: [said("db_copy_head_differs", seq=7)])
    code, output = fengdu("db", "copy", "--from", db, "--to", db_url)
    assert code == 5 and "已全部撤回" in output and "第 7 环" in output, output
    code, output = fengdu("db", "copy", "--from", db, "--to", db_url, "--json")
    summary = json.loads(output)
    assert code == 5 and not summary["copied"] and not summary["chain_ok"]
    assert summary["problems"] and summary["tables"]["payments"] > 0
    assert _counts(db_url) == EMPTY
    monkeypatch.undo()
    assert copied(db, db_url)["chain_ok"]  # and a copy then goes through


KILLED = """
import os, signal, sys
from fengdu_cli.store import copy

real = copy._copy_table


def dying(reader, writer, name, *args):
    real(reader, writer, name, *args)
    if name == "payments":
        os.kill(os.getpid(), signal.SIGKILL)


copy._copy_table = dying
copy.copy_database(sys.argv[1], sys.argv[2])
"""


def test_a_copy_killed_halfway_leaves_the_target_empty(county, db_url):
    db, _ = county
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", KILLED, str(db), db_url], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _counts(db_url) == EMPTY
    assert copied(db, db_url)["chain_ok"]


# ---------------------------------------------------------------- db migrate, the clerks' role


def test_migrate_says_the_version_before_and_after(tmp_path):
    from tests.legacy_schema import legacy_ledger

    db = tmp_path / "old.db"
    legacy_ledger(db, 4).close()
    code, said = fengdu("db", "migrate", "--db", db)
    assert code == 0 and "第 4 版升级到第 8 版" in said, said
    code, said = fengdu("db", "migrate", "--db", f"sqlite:///{db}", "--lang", "en")
    assert code == 0 and "version 8 already" in said, said
    code, said = fengdu("db", "migrate", "--db", tmp_path / "none.db")
    assert code == 2 and not (tmp_path / "none.db").exists()
    code, said = fengdu("db", "migrate", "--db", db, "--grant", "fengdu_clerk")
    assert code == 2 and "PostgreSQL" in said


@pytest.fixture
def clerk(pg_url) -> Iterator[tuple[str, str]]:
    """A login role of this test's own, with a password (dropped after): its name, and the
    URL of the test's schema as that role."""
    from tests.conftest import pg_server

    role, password = f"t_{uuid.uuid4().hex[:12]}_clerk", uuid.uuid4().hex
    engine = sqlalchemy.create_engine(
        sqlalchemy.engine.make_url(pg_server()).set(drivername="postgresql+psycopg"),
        poolclass=sqlalchemy.pool.NullPool,
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    url = sqlalchemy.engine.make_url(pg_url).set(username=role, password=password)
    try:
        yield role, url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        engine.dispose()


REFUSED = [
    "UPDATE {t} SET {c} = {c}",
    "DELETE FROM {t}",
    "TRUNCATE {t}",
    "ALTER TABLE {t} DISABLE TRIGGER {t}_append_only",
    "DROP TRIGGER {t}_append_only ON {t}",
]


def _refused_as(url: str, statement: str) -> str:
    """What the server says when ``statement`` is run as the role of ``url`` (it must refuse)."""
    engine = sqlalchemy.create_engine(store.target(url).sqlalchemy_url(),
                                      poolclass=sqlalchemy.pool.NullPool)  # fmt: skip
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(statement)
    except sqlalchemy.exc.DBAPIError as exc:
        return str(exc.orig.sqlstate)
    finally:
        engine.dispose()
    raise AssertionError(f"the server let the clerk run {statement}")


def test_the_clerks_role_pays_a_month_and_cannot_change_the_ledger(world, pg_url, clerk, tmp_path):
    root, ids = world
    role, as_clerk = clerk
    code, said = fengdu("db", "migrate", "--db", pg_url, "--grant", role)
    assert code == 0 and role in said, said
    out = tmp_path / "out"
    month = ["--data", root, "--db", as_clerk, "--out", out]
    said = [fengdu("reconcile", "--month", "2024-06", *month)]
    said.append(fengdu("subsidy", "--month", "2024-06", *month, "--commit", "--no-history"))
    said.append(fengdu("ledger", "void", "--month", "2024-06", "--reason", "重算", "--db",
                       as_clerk, "--out", out))  # fmt: skip
    said.append(fengdu("subsidy", "--month", "2024-06", *month, "--commit", "--no-history"))
    past = tmp_path / "past"
    past.mkdir()
    roster_list(past / "2023年交通补助.xlsx", "丰都县2023年12月跨区域交通补助发放花名册",
                ["乡镇", "村（社区）", "姓名", "身份证号码", "补助金额（元）"],
                [["虎威镇", "新华村", "测试9", ids["age16"], 50]])  # fmt: skip
    said.append(fengdu("ledger", "import", past, "--db", as_clerk, "--commit"))
    imported = ledger.batches(store.connect(pg_url))["batch_id"].iloc[-1]
    said.append(fengdu("ledger", "void", "--batch", imported, "--reason", "导入有误", "--db",
                       as_clerk))  # fmt: skip
    said.append(fengdu("ledger", "check", "--db", as_clerk))
    assert [code for code, _ in said] == [1, 0, 0, 0, 0, 0, 0], said
    assert "台账检查通过" in said[-1][1]
    password = sqlalchemy.engine.make_url(as_clerk).password
    assert all(password not in words for _, words in said)
    batches = ledger.batches(store.connect(pg_url))
    assert sorted(batches["batch_id"].str[:8]) == ["2024-06-", "2024-06-", "IMPORT-R"]
    for table in store.schema.guarded_tables():
        column = TABLES[table].columns[0].name
        for statement in REFUSED:
            found = _refused_as(as_clerk, statement.format(t=table, c=column))
            assert found == "42501", (statement, table, found)  # insufficient privilege
    function = ("CREATE OR REPLACE FUNCTION fengdu_append_only() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")  # fmt: skip
    assert _refused_as(as_clerk, function) == "42501"
    assert _refused_as(as_clerk, "CREATE TABLE mine (x int)") == "42501"
    assert ledger.check_ledger(store.connect(pg_url)) == []
    # a clerk may keep a copy of the shared ledger (read as that role), never seeing a password
    code, words = fengdu("db", "copy", "--from", as_clerk, "--to", tmp_path / "backup.db")
    assert code == 0 and password not in words and "***" in words, words
    same_tables(tables_of(pg_url), tables_of(tmp_path / "backup.db"))


def test_grant_names_an_existing_ordinary_role(pg_url):
    code, said = fengdu("db", "migrate", "--db", pg_url, "--grant", "no_such_role_here")
    assert code == 2 and "CREATE ROLE no_such_role_here" in said
    user = sqlalchemy.engine.make_url(pg_url).username
    code, said = fengdu("db", "migrate", "--db", pg_url, "--grant", user)
    assert code == 2 and "普通的登录角色" in said


def test_a_lock_held_by_another_user_names_its_run(pg_url, clerk):
    """A clerk told that a month is held learns by whom, even when the holder is another
    database user (whose session details the server hides from an ordinary role)."""
    from fengdu_cli.errors import LockError

    role, as_clerk = clerk
    assert fengdu("db", "migrate", "--db", pg_url, "--grant", role)[0] == 0
    for holder, asking in ((pg_url, as_clerk), (as_clerk, pg_url), (as_clerk, as_clerk)):
        with (
            store.hold_lock(holder, 202406),
            pytest.raises(LockError) as refused,
            store.hold_lock(asking, 202406),
        ):
            pass
        who = refused.value.params["who"]
        user = sqlalchemy.engine.make_url(holder).username
        assert f"pid {os.getpid()}" in who and user in who and "?" not in who, who


def test_a_database_holding_tables_of_the_same_names_is_refused_as_such(county, pg_url):
    """Leftover tables of another program (no fengdu_schema) are named, not blamed on the
    server's address or password; nothing is built on them."""
    db, _ = county
    backends.owner_sql(pg_url, "CREATE TABLE payments (x integer)")
    code, said = fengdu("db", "copy", "--from", db, "--to", pg_url)
    assert code == 2 and "payments" in said and "同名的表" in said and "密码" not in said, said
    code, said = fengdu("ledger", "check", "--db", pg_url)
    assert code in (2, 3) and "fengdu_schema" not in said
