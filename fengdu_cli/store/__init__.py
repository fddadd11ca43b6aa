"""The database the tool keeps: the run log, the monthly snapshots and the payment ledger
with its hash chain — in one SQLite file (one clerk, the default) or in a PostgreSQL
database a county office's clerks share.

- :mod:`~fengdu_cli.store.location` reads ``--db`` (a path, ``sqlite:///…``, ``postgresql://…``);
- :mod:`~fengdu_cli.store.sql` is the one data-access layer (SQLAlchemy Core) both use;
- :mod:`~fengdu_cli.store.database` opens it safely, refuses one that could pay twice, and
  holds the run lock;
- :mod:`~fengdu_cli.store.admin` migrates a database and grants the clerks' role its rights;
- :mod:`~fengdu_cli.store.copy` moves a county's history from one database to another;
- :mod:`~fengdu_cli.store.schema` creates and migrates the tables and knows their guards;
- :mod:`~fengdu_cli.store.runs` records runs and replaces a month's snapshot as a whole;
- :mod:`~fengdu_cli.store.ledger` records, voids and checks payments;
- :mod:`~fengdu_cli.store.chain` is the hash chain over the ledger and its head.
"""

from __future__ import annotations

from fengdu_cli.store import chain, ledger, schema
from fengdu_cli.store.database import (
    connect,
    create,
    describe,
    exists,
    hold_lock,
    open_to_read,
    version_at,
)
from fengdu_cli.store.location import Target, target
from fengdu_cli.store.runs import (
    STATE_COLUMNS,
    WARNING_COLUMNS,
    finish_run,
    previous_month,
    replace_month,
    start_run,
    stored_warnings,
)
from fengdu_cli.store.schema import SCHEMA_VERSION
from fengdu_cli.store.sql import Db

__all__ = [
    "SCHEMA_VERSION",
    "STATE_COLUMNS",
    "WARNING_COLUMNS",
    "Db",
    "Target",
    "chain",
    "connect",
    "create",
    "describe",
    "exists",
    "finish_run",
    "hold_lock",
    "ledger",
    "open_to_read",
    "previous_month",
    "replace_month",
    "schema",
    "start_run",
    "stored_warnings",
    "target",
    "version_at",
]
