"""``fengdu init``: a month folder, its fengdu.toml and the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import screen
from fengdu_cli.cli.options import DbOpt, use_ledger
from fengdu_cli.messages import text


@command(app, "init", common=())
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="月度数据文件夹 / the month folder")
    ],
    db: DbOpt = Path("fengdu.db"),
    *,
    common: Common,
) -> int:
    """建立月度数据文件夹（各类数据的子文件夹、fengdu.toml）和台账数据库。"""
    lang = common.lang
    from fengdu_cli.config import init_folder

    made = init_folder(folder, db)
    console = screen()
    for path in made:
        console.print(text("screen_created", lang, path=path), markup=False)
    if not made:
        console.print(text("screen_nothing_created", lang))
    use_ledger(db, common)
    return 0
