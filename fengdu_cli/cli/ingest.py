"""``fengdu ingest``: the clean county table of one kind."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import print_json, screen
from fengdu_cli.cli.options import (
    AsOfOpt,
    ColumnsOpt,
    KindOpt,
    OutOpt,
    parse_as_of,
    parse_kind,
)
from fengdu_cli.cli.render import (
    checked_exit_code,
    render_checked,
)
from fengdu_cli.messages import text
from fengdu_cli.messages.problems import summary_words


@command(app)
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    kind: KindOpt = "roster",
    out: OutOpt = Path("out"),
    as_of: AsOfOpt = None,
    columns: ColumnsOpt = None,
    *,
    common: Common,
) -> int:
    """校验后汇总成一张干净的总表。Check, then write the clean consolidated table."""
    json_, quiet, lang = common.json, common.quiet, common.lang
    from fengdu_cli.ingest import ingest as run_ingest
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.reports import write_ingested

    config = columns_for(columns, list(paths))
    result = run_ingest(paths, parse_kind(kind), on=parse_as_of(as_of), columns=config)
    result = write_ingested(result, out, lang)
    if json_:
        print_json(summary_words(result.summary(), lang))
    elif not quiet:
        console = screen()
        render_checked(result.checked, console, lang)
        for path in result.written:
            console.print(text("screen_written", lang, path=path))
    return checked_exit_code(result.checked)
