"""``fengdu demo``: write the sample month and run it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import print_json, screen, show
from fengdu_cli.cli.options import OutOpt
from fengdu_cli.cli.render import render_checked, render_reconciled, render_subsidy
from fengdu_cli.messages import text


@command(app, settings=False)
def demo(
    data: Annotated[
        Path, typer.Option("--data", help="示例数据文件夹 / sample data folder")
    ] = Path("sample_data"),
    out: OutOpt = Path("out"),
    make_data: Annotated[
        Path | None,
        typer.Option("--make-data", help="只生成示例数据到该文件夹 / only write sample data here"),
    ] = None,
    *,
    common: Common,
) -> int:
    """生成示例数据并跑一个月。Write a realistic sample month and run it."""
    json_, quiet, lang = common.json, common.quiet, common.lang
    from fengdu_cli.demo import run_demo
    from fengdu_cli.io.reports import write_demo_lists
    from fengdu_cli.messages.problems import summary_words
    from fengdu_cli.sample import make_sample

    if make_data is not None:
        manifest = make_sample(make_data)
        if json_:
            print_json(
                {
                    "data": str(make_data),
                    "files": list(manifest.files),
                    "planted": len(manifest.planted),
                }
            )
        elif not quiet:
            screen().print(
                text("screen_sample_written", lang, folder=make_data, files=len(manifest.files),
                     people=manifest.people, planted=len(manifest.planted))
            )  # fmt: skip
        return 0
    result = write_demo_lists(run_demo(data, out, progress=common.progress), out, lang)

    def render(console: Console) -> None:
        for checked in result.checked.values():
            render_checked(checked, console, lang, limit=5)
        if result.reconciled is not None:
            render_reconciled(result.reconciled, console, lang)
        if result.subsidies is not None:
            render_subsidy(result.subsidies, console, lang)

    summary = result.summary()
    summary["kinds"] = {k: summary_words(v, lang) for k, v in summary["kinds"].items()}
    show(common, summary, render, result.written)
    return 0
