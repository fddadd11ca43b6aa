"""Options shared by the commands, declared once, and the parsing of their values."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from fengdu_cli.cli.app import Common
from fengdu_cli.cli.render import say_ledger
from fengdu_cli.errors import UsageError
from fengdu_cli.io.columns import KINDS

KindOpt = Annotated[str, typer.Option("--kind", "-k", help=f"数据类型 kind: {' / '.join(KINDS)}")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="计算年龄的日期 YYYY-MM-DD，默认今天 / date ages are judged on"),
]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="输出文件夹 / output folder")]
NoHistoryOpt = Annotated[
    bool,
    typer.Option(
        "--no-history",
        help="确认以往没有手工发放记录，允许在台账无历史时入账 / commit with no past payments on purpose",
    ),
]
NewDbOpt = Annotated[
    bool,
    typer.Option(
        "--new-db", help="数据库不存在时新建（入账默认不新建）/ create the database on purpose"
    ),
]
CommitOpt = Annotated[
    bool, typer.Option("--commit", help="把本月名单记入台账 / record the lines in the ledger")
]
ColumnsOpt = Annotated[
    Path | None,
    typer.Option(
        "--columns",
        help="列识别设置 columns.toml（默认：数据文件夹中的 columns.toml）/ column settings file",
    ),
]
MonthOpt = Annotated[str, typer.Option("--month", "-m", help="月份 YYYY-MM")]
DataOpt = Annotated[
    Path, typer.Option("--data", "-d", help="数据文件夹（rosters/ employment/ insurance/ …）")
]
DbOpt = Annotated[
    Path, typer.Option("--db", envvar="FENGDU_DB", help="SQLite 数据库 / database (env FENGDU_DB)")
]
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", help="政策文件 TOML（默认使用内置政策）/ policy file")
]


def parse_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UsageError("unknown_kind", kind=kind, choices=" / ".join(KINDS))
    return kind


def parse_as_of(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError("bad_month", value=value) from None


def parse_month(value: str) -> int:
    from fengdu_cli.dates import parse_month

    try:
        return parse_month(value)
    except ValueError:
        raise UsageError("bad_month", value=value) from None


def config_paths(db: Path, out: Path | None, data: Path) -> tuple[Path, Path]:
    """--db and --out as given, else as the month folder's fengdu.toml says."""
    from fengdu_cli.config import resolve

    resolved_db, resolved_out = resolve(db, out, data, "FENGDU_DB" in os.environ)
    return resolved_db, resolved_out if resolved_out is not None else Path("out")


def month_paths(db: Path, out: Path | None, data: Path, common: Common) -> tuple[Path, Path]:
    """--db and --out as given, else as the month folder's fengdu.toml says; the ledger is
    named on stderr."""
    db, resolved = config_paths(db, out, data)
    say_ledger(db, common)
    return db, resolved
