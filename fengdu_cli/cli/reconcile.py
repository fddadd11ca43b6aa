"""``fengdu reconcile``: roster × employment × insurance, and the warnings."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import say_written, show
from fengdu_cli.cli.options import MonthFolder
from fengdu_cli.cli.render import render_reconciled
from fengdu_cli.messages import text
from fengdu_cli.progress import report


@command(app)
def reconcile(
    folder: MonthFolder,
    split_by_township: Annotated[
        bool,
        typer.Option(
            "--split-by-township", help="每个乡镇一个预警名单 / one workbook per township"
        ),
    ] = False,
    *,
    common: Common,
) -> int:
    """每月数据比对：就业、参保与预警。Cross-match roster, employment and insurance; raise warnings."""
    month = folder.resolve(common)
    from fengdu_cli.input_cache import folder_for
    from fengdu_cli.io.reconcile_report import write_reconcile
    from fengdu_cli.reconcile import reconcile_month

    result = reconcile_month(
        month.data, month.month, month.db, columns=month.columns, progress=common.progress,
        cache=folder_for(month.db),
    )  # fmt: skip
    report(common.progress, "write", 0, 1)
    written = write_reconcile(
        result, month.out, split_by_township=split_by_township, lang=common.lang
    )
    report(common.progress, "write", 1, 1)

    def render(console: Console) -> None:
        render_reconciled(result, console, common.lang)
        say_written(console, written[:2], common.lang)
        if len(written) > 2:
            n, where = len(written) - 2, month.out / "townships"
            console.print(text("screen_township_lists", common.lang, n=n, folder=where))

    show(common, result.summary(), render)
    return 1 if result.has_problems() else 0
