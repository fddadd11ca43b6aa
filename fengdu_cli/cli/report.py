"""``fengdu report --year YYYY [--month M]``: the year from the stored months, with charts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from fengdu_cli import dates
from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import show
from fengdu_cli.cli.options import DbOpt, OutOpt, PolicyOpt, month_option, use_ledger
from fengdu_cli.messages import month_words, text

YearOpt = Annotated[
    int,
    typer.Option("--year", "-y", min=1900, max=2999, metavar="YYYY", help="年度 / the year"),
]


@command(app)
def report(
    year: YearOpt,
    month: Annotated[
        int | None,
        month_option("统计到该月（1 月至该月）；默认到已存储的最后一个月 / January to this month"),
    ] = None,
    out: OutOpt = Path("out"),
    db: DbOpt = Path("fengdu.db"),
    policy: PolicyOpt = None,
    *,
    common: Common,
) -> int:
    """年度报告：逐月、分乡镇的务工、参保、预警、补贴和招工任务，含图表。The year from the stored months, with charts."""
    from fengdu_cli.io.year_report import write_year_report
    from fengdu_cli.policy import load_policy
    from fengdu_cli.report import year_report

    use_ledger(db, common)
    result = year_report(db, year, through=month, policy_path=policy)
    written = write_year_report(result, load_policy(policy), out, common.lang)
    summary = {**result.summary(), "written": [str(written)]}

    def render(console: Console) -> None:
        render_year(result, console, common.lang)

    show(common, summary, render, [written])
    return 0


def _cell(value: object, yuan: bool = False, sign: bool = False) -> str:
    """A figure as the screen shows it: blank where not known, yuan from fen."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    number = float(value)  # type: ignore[arg-type]
    if yuan:
        number /= 100
        shown = f"{number:+,.2f}" if sign else f"{number:,.2f}"
    else:
        shown = f"{number:+,.0f}" if sign else f"{number:,.0f}"
    return "0" if sign and number == 0 else shown


# two tables of seven figures each, so that a terminal of 80 columns shows them whole:
# (column, in yuan, a change)
SCREEN_PARTS = (
    (
        ("persons", False, False), ("labor_capable", False, False), ("working", False, False),
        ("employed_county", False, False), ("employed_chongqing", False, False),
        ("employed_outside", False, False), ("insured", False, False),
    ),
    (
        ("warnings", False, False), ("paid_lines", False, False), ("paid_fen", True, False),
        ("working_change", False, True), ("insured_change", False, True),
        ("warnings_change", False, True), ("paid_fen_change", True, True),
    ),
)  # fmt: skip


def _tables(
    title: str, first: str, labels: list[str], records: list[dict], say: Callable[..., str]
) -> list[Table]:
    """The figures of ``records`` (one per label) as two tables: numbers never broken, the
    heads wrapped above them."""
    tables = []
    for part in SCREEN_PARTS:
        view = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
        view.add_column(first, no_wrap=True)
        rows = [
            [label, *(_cell(r[c], y, s) for c, y, s in part)]
            for label, r in zip(labels, records, strict=True)
        ]
        for j, (code, _, _) in enumerate(part, 1):
            widest = max((len(r[j]) for r in rows), default=1)
            view.add_column(
                say(f"rp_col_{code}"), justify="right", min_width=max(widest, 6), overflow="fold"
            )
        for row in rows:
            view.add_row(*row)
        tables.append(view)
    return tables


def render_year(result: object, console: Console, lang: str) -> None:
    """The county by month, the townships of the latest month, and the target."""
    from fengdu_cli.report import YearReport

    assert isinstance(result, YearReport)

    def say(key: str, **params: object) -> str:
        return text(key, lang, **params)

    county = result.county.to_dict("records")
    labels = [dates.month_text(int(r["month"])) for r in county]
    title = say("rp_screen_county", year=result.year)
    for view in _tables(title, say("rp_col_month"), labels, county, say):
        console.print(view)
    towns = result.township_month().to_dict("records")
    labels = [str(r["township"]) or say("township_unknown") for r in towns]
    title = say("rp_screen_townships", month=month_words(result.latest, lang))
    for view in _tables(title, say("rp_col_township"), labels, towns, say):
        console.print(view)

    missing = [dates.month_text(m) for m in result.months if m not in result.stored]
    sep = text("list_sep", lang)
    if missing:
        console.print(say("rp_screen_not_stored", months=sep.join(missing)))
    if result.earlier:
        earlier = sep.join(dates.month_text(m) for m in result.earlier)
        console.print(say("rp_screen_earlier", months=earlier))
    else:
        console.print(say("rp_screen_earlier_none"))
    target = result.target
    if target is None:
        console.print(say("rp_screen_no_target"))
        return
    last = result.county.iloc[-1]
    if np.isnan(last["hires_cumulative"]):
        why = say("rp_why_no_employers" if not target.employers else "rp_why_not_stored")
        console.print(say("rp_screen_target_unknown", target=f"{target.target:,}", why=why))
    else:
        console.print(
            say("rp_screen_target", hires=f"{int(last['hires_cumulative']):,}",
                target=f"{target.target:,}", share=f"{last['share']:.1%}")
        )  # fmt: skip
    if result.not_stored.get("hires"):
        months = sep.join(dates.month_text(m) for m in result.not_stored["hires"])
        console.print(say("rp_hires_not_stored", months=months))
