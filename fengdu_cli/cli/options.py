"""Options shared by the commands, declared once and typed (a wrong kind, language, month or
date is a usage error, exit 2, before anything runs), the option groups several commands
share, and the steps they share."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from fengdu_cli.cli.app import Common, OptionGroup
from fengdu_cli.cli.render import say_ledger
from fengdu_cli.io.columns_toml import ColumnsConfig
from fengdu_cli.messages import text

log = logging.getLogger(__name__)

# the kinds of data (fengdu_cli.io.columns.KINDS; a test holds them equal), listed by -h
Kind = Literal[
    "roster", "employment", "insurance", "workshops", "posts",
    "businesses", "loans", "students", "travel", "agencies", "bases", "training", "accounts",
    "payments",
]  # fmt: skip


def _bad(key: str, value: str) -> typer.BadParameter:
    """A value that cannot be read: said in both languages (the option is read before
    --lang may be)."""
    return typer.BadParameter(f"{text(key, 'zh', value=value)} / {text(key, 'en', value=value)}")


def day(value: str) -> dt.date:
    """--as-of: a date YYYY-MM-DD, in the years a roster can be judged on (1900–2999)."""
    from fengdu_cli.dates import MAX_YEAR, MIN_YEAR

    try:
        found = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise _bad("bad_day", value) from None
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        raise _bad("bad_day", value)
    return found


def month_number(value: str) -> int:
    """--month: YYYY-MM (or YYYYMM, YYYY/MM) as YYYYMM."""
    from fengdu_cli.dates import parse_month

    try:
        return parse_month(value)
    except ValueError:
        raise _bad("bad_month", value) from None


KindOpt = Annotated[Kind, typer.Option("--kind", "-k", help="数据类型 / kind of data")]
AsOfOpt = Annotated[
    dt.date | None,
    typer.Option(
        "--as-of",
        parser=day,
        metavar="YYYY-MM-DD",
        help="计算年龄的日期，默认今天 / date ages are judged on (default today)",
    ),
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
MonthOpt = Annotated[
    int, typer.Option("--month", "-m", parser=month_number, metavar="YYYY-MM", help="月份 YYYY-MM")
]


def month_option(help: str) -> Any:
    """--month where it may be left out (``help`` says what that means)."""
    return typer.Option("--month", "-m", parser=month_number, metavar="YYYY-MM", help=help)


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        help="数据文件夹（rosters/ employment/ insurance/ …；默认：fengdu.toml 的 data）"
        " / the month's data folder (default: data in fengdu.toml)",
    ),
]


def data_folder(data: Path | None) -> Path:
    """--data, or the folder fengdu.toml names for the month (already put in its place)."""
    if data is None:
        from fengdu_cli.errors import UsageError

        raise UsageError("data_needed")
    return data


DbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="FENGDU_DB",
        help="数据库：文件路径（SQLite，默认）或 postgresql://用户@服务器/库名（全县共用）"
        " / database: a path (SQLite) or postgresql://user@host/database (env FENGDU_DB)",
    ),
]
Encoding = Literal["utf-8-sig", "gbk"]
EncodingOpt = Annotated[
    Encoding,
    typer.Option(
        "--encoding",
        help="CSV 文件编码：utf-8-sig（默认，Excel 可直接打开）或 gbk（银行导入系统）"
        " / CSV encoding: utf-8-sig (default) or gbk (bank import systems)",
    ),
]
PlainCsvOpt = Annotated[
    bool,
    typer.Option(
        "--plain-csv",
        help="CSV 中的身份证号、银行账号不加末尾制表符（供银行导入系统或程序读取；默认加，双击用 Excel"
        " 打开时号码不变形）/ CSVs without the trailing tab that keeps IDs and accounts intact in"
        " Excel: for a bank's import system or a script",
    ),
]
AccountsDataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        help="数据文件夹：从其名单读取收款账户并写出银行代发清单 / month folder: the payees' "
        "accounts, for the bank's list",
    ),
]
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", help="政策文件 TOML（默认使用内置政策）/ policy file")
]


def config_paths(db: str | Path, out: Path | None, data: Path) -> tuple[str | Path, Path]:
    """--db and --out as given, else as the month folder's fengdu.toml says."""
    from fengdu_cli.config import resolve

    resolved_db, resolved_out = resolve(db, out, data, "FENGDU_DB" in os.environ)
    return resolved_db, resolved_out if resolved_out is not None else Path("out")


def use_ledger(db: str | Path, common: Common) -> None:
    """The ledger this command works on: named on stderr, and in the log (a server's
    without its password)."""
    from fengdu_cli import store

    log.info("database %s", store.target(db).shown)
    say_ledger(db, common)


def month_paths(
    db: str | Path, out: Path | None, data: Path, common: Common
) -> tuple[str | Path, Path]:
    """--db and --out as given, else as the month folder's fengdu.toml says; the ledger is
    named on stderr."""
    db, resolved = config_paths(db, out, data)
    use_ledger(db, common)
    return db, resolved


# ---------------------------------------------------------------- option groups


@dataclass(frozen=True)
class Files(OptionGroup):
    """PATH... --kind --as-of --columns: the files ``validate`` and ``ingest`` read."""

    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH", help="文件或文件夹 / files or folders")
    ]
    kind: KindOpt = "roster"
    as_of: AsOfOpt = None
    columns: ColumnsOpt = None

    def on(self) -> dt.date:
        return self.as_of or dt.date.today()

    def config(self) -> ColumnsConfig:
        from fengdu_cli.io.columns_toml import columns_for

        return columns_for(self.columns, list(self.paths))


@dataclass(frozen=True)
class Month:
    """A month folder's options resolved: the month, where the ledger and outputs are, the
    columns.toml in force."""

    month: int
    data: Path
    out: Path
    db: str | Path  # a path, or a server's URL
    columns: ColumnsConfig


@dataclass(frozen=True)
class MonthFolder(OptionGroup):
    """--month --data --out --db --columns: the month ``reconcile``, ``subsidy`` and ``run``
    work on."""

    month: MonthOpt
    data: DataOpt = None
    out: OutOpt = Path("out")
    db: DbOpt = "fengdu.db"
    columns: ColumnsOpt = None

    def resolve(self, common: Common) -> Month:
        """--db and --out as given, else as the folder's fengdu.toml says (the ledger named
        on stderr), and the columns.toml in force."""
        from fengdu_cli.io.columns_toml import columns_for

        data = data_folder(self.data)
        db, out = month_paths(self.db, self.out, data, common)
        return Month(self.month, data, out, db, columns_for(self.columns, [data]))


@dataclass(frozen=True)
class Paying(OptionGroup):
    """--policy --commit --no-history --new-db: how ``subsidy`` and ``run`` pay."""

    policy: PolicyOpt = None
    commit: CommitOpt = False
    no_history: NoHistoryOpt = False
    new_db: NewDbOpt = False
    encoding: EncodingOpt = "utf-8-sig"
    plain_csv: PlainCsvOpt = False

    def pay(self, month: Month, common: Common, **given: object) -> tuple:
        """The month's subsidies and their files (``given``: the checked inputs, if read)."""
        from fengdu_cli import store
        from fengdu_cli.input_cache import folder_for
        from fengdu_cli.io.subsidy_files import compute_and_write

        if "checked" not in given and (self.new_db or store.exists(month.db)):
            # read here: the checked inputs an earlier run kept beside the database (a trial
            # without a database leaves nothing behind, not even a cache)
            given["cache"] = folder_for(month.db)
        return compute_and_write(
            month.data, month.month, month.db, month.out, common.lang, self.encoding,
            plain_csv=self.plain_csv, policy_path=self.policy,
            commit=self.commit, no_history=self.no_history, new_db=self.new_db,
            progress=common.progress, **given,
        )  # fmt: skip
