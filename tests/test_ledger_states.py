"""Random sequences of commit / void / trial re-run / policy change / late month never pay
anyone twice, never pass a cap, and leave `ledger check` clean after every step
(hypothesis stateful testing over the hand-built month)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import pandas as pd
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fengdu_cli import store
from fengdu_cli.errors import UsageError
from fengdu_cli.store import ledger
from fengdu_cli.subsidy import compute_subsidies
from tests.conftest import pg_schema, pg_server
from tests.test_subsidy import World, months

MONTHS = (202404, 202405, 202406, 202407)
CAP = 2  # workshop months per person, small enough to reach


def _month_data(root: Path) -> Path:
    w = World()
    county = "重庆市丰都县"
    w.add(1, job=(1, "2022-01-01", None, county), pay=months(202301, 202407))  # hire_once
    w.add(6, job=(50, "2023-04-01", None, county), pay=months(202304, 202407), emp_type="非全日制")
    w.add(7, job=(50, "2023-04-01", None, county), emp_type="非全日制")  # workshop
    w.add(11, job=(11, "2024-01-01", None, "广东省东莞市"))  # travel, job seeking
    w.add(13, job=(13, "2023-01-01", None, "山东省济南市"))  # shandong
    return w.write(root)


def _policies(folder: Path) -> dict[str, Path]:
    text = resources.files("fengdu_cli").joinpath("data/policy.toml").read_text(encoding="utf-8")
    capped = text.replace("max_months = 36", f"max_months = {CAP}")
    other = capped.replace("amount_outside = 200", "amount_outside = 300")
    paths = {"a": folder / "a.toml", "b": folder / "b.toml"}
    paths["a"].write_text(capped, encoding="utf-8")
    paths["b"].write_text(other, encoding="utf-8")
    return paths


class LedgerStates(RuleBasedStateMachine):
    server = False  # the ledger on a SQLite file; on a PostgreSQL schema of its own if True

    @initialize()
    def start(self):
        self.folder = Path(tempfile.mkdtemp(prefix="fengdu-states-"))
        self.data = _month_data(self.folder / "data")
        self.policies = _policies(self.folder)
        self.policy = "a"
        self.schemas = contextlib.ExitStack()
        self.db = self.schemas.enter_context(pg_schema()) if self.server else self.folder / "f.db"

    def teardown(self):
        if hasattr(self, "schemas"):
            self.schemas.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(month=st.sampled_from(MONTHS))
    def commit(self, month):
        try:
            compute_subsidies(self.data, month, self.db, policy_path=self.policies[self.policy],
                              commit=True, new_db=True, no_history=True)  # fmt: skip
        except UsageError:  # never happens with --new-db --no-history
            raise

    @rule(month=st.sampled_from(MONTHS))
    def void(self, month):
        if store.exists(self.db):
            conn = store.connect(self.db)
            ledger.void_month(conn, month, "测试冲销")
            conn.close()

    @rule(month=st.sampled_from(MONTHS))
    def trial(self, month):
        before = self._entries()
        compute_subsidies(self.data, month, self.db, policy_path=self.policies[self.policy])
        assert self._entries() == before  # a trial records nothing

    @rule()
    def change_policy(self):
        self.policy = "b" if self.policy == "a" else "a"

    def _entries(self) -> int:
        if not store.exists(self.db):
            return 0
        conn = store.connect(self.db)
        try:
            return int(conn.scalar("SELECT COUNT(*) FROM payments"))
        finally:
            conn.close()

    @invariant()
    def nobody_twice_and_the_chain_holds(self):
        if getattr(self, "db", None) is None or not store.exists(self.db):
            return
        conn = store.connect(self.db)
        assert ledger.check_ledger(conn) == []
        live = ledger.live_payments(conn)
        shop = live[live["rule"] == "workshop_monthly"]
        assert (shop.groupby("person_id")["month"].nunique() <= CAP).all()
        once = live[live["rule"].isin(["hire_once", "job_seeking_once", "shandong_stable"])]
        assert not once.duplicated(["rule", "person_id"]).any()
        travel = live[live["rule"] == "travel"]
        years = pd.Series(travel["month"] // 100, index=travel.index)
        assert not travel.assign(year=years).duplicated(["person_id", "year"]).any()
        conn.close()


LedgerStates.TestCase.settings = settings(
    max_examples=int(os.environ.get("FENGDU_STATE_EXAMPLES", "6")),
    stateful_step_count=8,
    deadline=None,
)
TestLedgerStates = LedgerStates.TestCase


class LedgerStatesOnPostgreSQL(LedgerStates):
    """The same on PostgreSQL, in fewer examples, each from a month committed already."""

    server = True

    @initialize()
    def start(self):
        super().start()
        self.commit(202406)


LedgerStatesOnPostgreSQL.TestCase.settings = settings(
    max_examples=max(1, int(os.environ.get("FENGDU_STATE_EXAMPLES", "6")) // 3),
    stateful_step_count=8,
    deadline=None,
)


class TestLedgerStatesOnPostgreSQL(LedgerStatesOnPostgreSQL.TestCase):
    def setUp(self):
        pg_server()  # skipped without a server (failed where one is required)
