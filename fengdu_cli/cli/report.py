"""``fengdu report --year YYYY [--month M]``: the year from the stored months, with charts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich import box
from rich.cells import cell_len
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
    db: DbOpt = "fengdu.db",
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


# the screen's figures in three groups, each kept in one table where the terminal allows:
# (column, in yuan, a change)
SCREEN_GROUPS = (
    (
        ("persons", False, False), ("labor_capable", False, False), ("working", False, False),
        ("employed_county", False, False), ("employed_chongqing", False, False),
        ("employed_outside", False, False), ("insured", False, False),
    ),
    (("warnings", False, False), ("paid_lines", False, False), ("paid_fen", True, False)),
    (
        ("working_change", False, True), ("insured_change", False, True),
        ("warnings_change", False, True), ("paid_fen_change", True, True),
    ),
)  # fmt: skip


def _table(title: str, first: str, width: int) -> Table:
    view = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    view.add_column(first, no_wrap=True, min_width=width)
    return view


def _tables(
    title: str,
    first: str,
    labels: list[str],
    records: list[dict],
    say: Callable[..., str],
    width: int,
) -> list[Table]:
    """The figures of ``records`` (one per label) as tables no wider than ``width``: as few
    as fit, a group of figures split only when it cannot fit whole.  A figure is never cut
    or wrapped (its column is as wide as the widest figure); a head wraps only at the line
    breaks of its short form (``rp_scr_*``)."""

    label_width = max([cell_len(first), *(cell_len(label) for label in labels)])
    columns = []  # per group: (head, its width, the figures)
    for group in SCREEN_GROUPS:
        part = []
        for code, yuan, sign in group:
            head = say(f"rp_scr_{code}")
            cells = [_cell(r[code], yuan, sign) for r in records]
            widest = max([*(cell_len(line) for line in head.split("\n")),
                          *(len(c) for c in cells)])  # fmt: skip
            part.append((head, widest, cells))
        columns.append(part)

    def fits(used: int, extra: int) -> bool:
        # each further column: its width, a space each side of it, and one between
        return used + extra + 3 <= width

    packed: list[list[tuple[str, int, list[str]]]] = [[]]
    used = label_width + 2  # the table's edges
    for part in columns:
        whole = sum(w + 3 for _, w, _ in part)
        if packed[-1] and used + whole > width:
            packed.append([])
            used = label_width + 2
        for column in part:
            if packed[-1] and not fits(used, column[1]):
                packed.append([])
                used = label_width + 2
            packed[-1].append(column)
            used += column[1] + 3
    tables = []
    for k, part in enumerate(packed):
        named = title if k == 0 else say("rp_screen_cont", title=title)
        view = _table(named, first, label_width)
        for head, widest, _ in part:
            view.add_column(head, justify="right", min_width=widest, no_wrap=True)
        for i, label in enumerate(labels):
            view.add_row(label, *(cells[i] for _, _, cells in part))
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
    for view in _tables(title, say("rp_col_month"), labels, county, say, console.width):
        console.print(view)
    towns = result.township_month().to_dict("records")
    labels = [str(r["township"]) or say("screen_unknown_township") for r in towns]
    title = say("rp_screen_townships", month=month_words(result.latest, lang))
    for view in _tables(title, say("rp_col_township"), labels, towns, say, console.width):
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
