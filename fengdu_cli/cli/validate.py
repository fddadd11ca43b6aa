"""``fengdu validate``: read and check files, report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import show
from fengdu_cli.cli.options import Files, month_option
from fengdu_cli.cli.render import checked_exit_code, render_checked
from fengdu_cli.messages.problems import summary_words


@command(app)
def validate(
    files: Files,
    report: Annotated[
        Path | None, typer.Option("--report", help="问题报告 .xlsx / write the problem workbook")
    ] = None,
    return_dir: Annotated[
        Path | None,
        typer.Option("--return-dir", help="按乡镇写退回清单 / one return list per township"),
    ] = None,
    month: Annotated[
        int | None,
        month_option(
            "退回清单所属月份 YYYY-MM（默认：--as-of 日期所在月，即今天所在月）"
            " / the month of the return lists (default: the month of --as-of, i.e. today's)"
        ),
    ] = None,
    *,
    common: Common,
) -> int:
    """读取并校验表格，列出所有问题。Read files, normalise, check; report every problem."""
    from fengdu_cli.io.reports import write_problem_report
    from fengdu_cli.io.returns import write_return_lists
    from fengdu_cli.validate import check_paths

    lang = common.lang
    checked = check_paths(
        files.paths, files.kind, on=files.on(), columns=files.config(), progress=common.progress
    )
    written = []
    if report is not None:
        written.append(write_problem_report(checked, report, lang))
    if return_dir is not None:
        from fengdu_cli.dates import month_of

        shown_month = month if month is not None else month_of(files.on())
        written.extend(write_return_lists(checked, return_dir, lang, month=shown_month))
    show(
        common,
        summary_words(checked.summary(), lang),
        lambda console: render_checked(checked, console, lang),
        written,
    )
    return checked_exit_code(checked)
