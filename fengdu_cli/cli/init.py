"""``fengdu init``: a county folder, its fengdu.toml, the ledger, a month's folders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import screen
from fengdu_cli.cli.options import month_option, use_ledger
from fengdu_cli.messages import text


@command(app, "init", common=(), settings=False)
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="县级工作文件夹 / the county's working folder")
    ] = Path("."),
    month: Annotated[
        int | None,
        month_option(
            "同时建立该月的数据文件夹 data/YYYY-MM/（各类数据一个子文件夹）"
            " / also make this month's data folders"
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="台账数据库：文件路径（默认 DIR/fengdu.db）或 postgresql://… 共用数据库"
            " / the ledger: a path (default DIR/fengdu.db) or a postgresql:// URL",
        ),
    ] = None,
    *,
    common: Common,
) -> int:
    """建立工作文件夹：fengdu.toml（数据、输出、台账、政策的位置）、data/ 和台账数据库；
    加 --month 再建该月的数据文件夹。Make the county folder, its settings and the ledger."""
    lang = common.lang
    from fengdu_cli.config import CONFIG, init_county, read_settings

    made = init_county(folder, db, month, lang)
    console = screen()
    for path in made:
        console.print(text("screen_created", lang, path=path), markup=False)
    if not made:
        console.print(text("screen_nothing_created", lang))
    console.print(text("screen_init_next", lang, folder=folder), markup=False)
    ledger = (
        db or read_settings(Path(folder) / CONFIG).where("db", month) or Path(folder) / "fengdu.db"
    )
    use_ledger(ledger, common)
    return 0
