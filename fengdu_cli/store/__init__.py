"""The database the tool keeps: one SQLite file holding the run log, the monthly snapshots
and the payment ledger with its hash chain.

- :mod:`~fengdu_cli.store.database` opens it safely, refuses one that could pay twice, and
  holds the run lock;
- :mod:`~fengdu_cli.store.schema` creates and migrates the tables and knows their guards;
- :mod:`~fengdu_cli.store.runs` records runs and replaces a month's snapshot as a whole;
- :mod:`~fengdu_cli.store.ledger` records, voids and checks payments;
- :mod:`~fengdu_cli.store.chain` is the hash chain over the ledger and its head.
"""

from __future__ import annotations

from fengdu_cli.store import chain, ledger, schema
from fengdu_cli.store.database import connect, create, describe, hold_lock
from fengdu_cli.store.runs import (
    STATE_COLUMNS,
    WARNING_COLUMNS,
    finish_run,
    previous_month,
    replace_month,
    start_run,
    stored_warnings,
)
from fengdu_cli.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STATE_COLUMNS",
    "WARNING_COLUMNS",
    "chain",
    "connect",
    "create",
    "describe",
    "finish_run",
    "hold_lock",
    "ledger",
    "previous_month",
    "replace_month",
    "schema",
    "start_run",
    "stored_warnings",
]
