"""The ``fengdu`` command line: an app module, the options it shares, the renderers, and one
short module per command (importing them registers them, in the order of ``fengdu --help``)."""

from fengdu_cli.cli.app import app, main, version, write_crash_log
from fengdu_cli.io.columns import FOLDERS

# isort: off
from fengdu_cli.cli import validate, init, columns, ingest, demo  # noqa: F401
from fengdu_cli.cli import reconcile, subsidy, explain, policy, ledger, run  # noqa: F401
from fengdu_cli.cli import report, db  # noqa: F401
# isort: on

app.command()(version)

__all__ = ["FOLDERS", "app", "main", "write_crash_log"]
