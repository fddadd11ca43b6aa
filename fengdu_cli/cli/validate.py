"""``fengdu validate``: read and check files, report every problem."""

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
def validate(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    kind: KindOpt = "roster",
    report: Annotated[
        Path | None, typer.Option("--report", help="问题报告 .xlsx / write the problem workbook")
    ] = None,
    return_dir: Annotated[
        Path | None,
        typer.Option("--return-dir", help="按乡镇写退回清单 / one return list per township"),
    ] = None,
    as_of: AsOfOpt = None,
    columns: ColumnsOpt = None,
    *,
    common: Common,
) -> int:
    """读取并校验表格，列出所有问题。Read files, normalise, check; report every problem."""
    json_, quiet, lang = common.json, common.quiet, common.lang
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.reports import write_problem_report, write_return_lists
    from fengdu_cli.validate import check_paths

    config = columns_for(columns, list(paths))
    checked = check_paths(paths, parse_kind(kind), on=parse_as_of(as_of), columns=config)
    written = []
    if report is not None:
        written.append(write_problem_report(checked, report, lang))
    if return_dir is not None:
        written.extend(write_return_lists(checked, return_dir, lang))
    if json_:
        print_json(summary_words(checked.summary(), lang))
    elif not quiet:
        console = screen()
        render_checked(checked, console, lang)
        for path in written:
            console.print(text("screen_written", lang, path=path))
    return checked_exit_code(checked)
