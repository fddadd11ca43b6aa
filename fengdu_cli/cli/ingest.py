"""``fengdu ingest``: the clean county table of one kind."""

from __future__ import annotations

from pathlib import Path

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import show
from fengdu_cli.cli.options import Files, OutOpt
from fengdu_cli.cli.render import checked_exit_code, render_checked
from fengdu_cli.messages.problems import summary_words


@command(app)
def ingest(files: Files, out: OutOpt = Path("out"), *, common: Common) -> int:
    """校验后汇总成一张干净的总表。Check, then write the clean consolidated table."""
    from fengdu_cli.ingest import ingest as run_ingest
    from fengdu_cli.io.reports import write_ingested

    result = run_ingest(
        files.paths, files.kind, on=files.on(), columns=files.config(), progress=common.progress
    )
    result = write_ingested(result, out, common.lang)
    checked = result.checked
    show(
        common,
        summary_words(result.summary(), common.lang),
        lambda console: render_checked(checked, console, common.lang),
        result.written,
    )
    return checked_exit_code(checked)
