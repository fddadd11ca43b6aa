"""``fengdu reconcile``: roster × employment × insurance, and the warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import print_json, screen
from fengdu_cli.cli.options import (
    ColumnsOpt,
    DataOpt,
    DbOpt,
    MonthOpt,
    OutOpt,
    month_paths,
    parse_month,
)
from fengdu_cli.cli.render import (
    render_reconciled,
)
from fengdu_cli.messages import text


@command(app)
def reconcile(
    month: MonthOpt,
    data: DataOpt,
    out: OutOpt = Path("out"),
    db: DbOpt = Path("fengdu.db"),
    split_by_township: Annotated[
        bool,
        typer.Option(
            "--split-by-township", help="每个乡镇一个预警名单 / one workbook per township"
        ),
    ] = False,
    columns: ColumnsOpt = None,
    *,
    common: Common,
) -> int:
    """每月数据比对：就业、参保与预警。Cross-match roster, employment and insurance; raise warnings."""
    json_, quiet, lang = common.json, common.quiet, common.lang
    db, out = month_paths(db, out, data, common)
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.reconcile_report import write_reconcile
    from fengdu_cli.reconcile import reconcile_month

    config = columns_for(columns, [data])
    result = reconcile_month(data, parse_month(month), db, columns=config)
    written = write_reconcile(result, out, split_by_township=split_by_township, lang=lang)
    if json_:
        print_json(result.summary())
    elif not quiet:
        console = screen()
        render_reconciled(result, console, lang)
        for path in written[:2]:
            console.print(text("screen_written", lang, path=path))
        if len(written) > 2:
            console.print(
                text(
                    "screen_township_lists",
                    lang,
                    n=len(written) - 2,
                    folder=Path(out) / "townships",
                )
            )
    return 1 if result.has_problems() else 0
