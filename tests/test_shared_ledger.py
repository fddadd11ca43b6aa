"""A ledger on PostgreSQL that a county office's clerks share: runs at the same time never
pay anyone twice, a run refused says who holds the month, and nothing of it is written."""

from __future__ import annotations

import pandas as pd

from fengdu_cli import store
from fengdu_cli.store import ledger
from tests.makers import valid_id


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
