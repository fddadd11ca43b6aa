"""``fengdu db migrate / copy``: the administrator's commands for the database itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from fengdu_cli.cli.app import Common, command, db_app
from fengdu_cli.cli.console import print_json, screen
from fengdu_cli.cli.options import DbOpt, use_ledger
from fengdu_cli.cli.render import headed, words
from fengdu_cli.messages import text

if TYPE_CHECKING:
    from fengdu_cli.store.admin import Migrated
    from fengdu_cli.store.copy import Copied


@command(db_app, "migrate", common=("json", "quiet"))
def db_migrate(
    db: DbOpt = "fengdu.db",
    grant: Annotated[
        str | None,
        typer.Option(
            "--grant",
            metavar="ROLE",
            help="（仅 PostgreSQL）授予操作员角色所需的权限：台账只可新增和查询，月度快照可增删改"
            " / PostgreSQL only: give the clerks' role its rights (the ledger: insert and read)",
        ),
    ] = None,
    *,
    common: Common,
) -> int:
    """把数据库升级到本程序的表结构（共用的 PostgreSQL 数据库只由管理员用此命令升级），可同时为操作员角色授权。
    Bring the database to this version's schema; --grant gives the clerks' role its rights."""
    from fengdu_cli.store.admin import migrate_database

    use_ledger(db, common)
    done = migrate_database(db, grant)
    if common.json:
        print_json(done.summary())
    elif not common.quiet:
        say = words(common.lang)
        console = screen()
        console.print(say(_migrated_key(done), path=done.where, before=done.before, after=done.after),
                      markup=False)  # fmt: skip
        if done.role is not None:
            console.print(say("db_granted", role=done.role), markup=False)
    return 0


def _migrated_key(done: Migrated) -> str:
    """What ``db migrate`` did, as the screen says it: tables made, upgraded, or nothing."""
    if not done.before:
        return "db_made"
    return "db_migrated" if done.after != done.before else "db_current"


@command(db_app, "copy", common=("json", "quiet"))
def db_copy(
    source: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="URL",
            help="原数据库：文件路径、sqlite:///路径 或 postgresql://… / the database copied from",
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="URL",
            help="目标数据库（须为空，表结构自动建立）/ the empty database copied into",
        ),
    ],
    *,
    common: Common,
) -> int:
    """把一个县的全部历史（运行记录、月度快照、发放台账及其账链）复制到一个空数据库，复制后逐表核对行数并校验账链。
    Copy a county's whole history into an empty database, then check it."""
    from fengdu_cli.store.copy import copy_database

    done = copy_database(source, to, progress=common.progress)
    common.steps_done()
    if common.json:
        print_json(done.summary(common.lang))
    elif not common.quiet or not done.committed:
        render_copied(done, screen(), common.lang)
    return 0 if done.committed else 5


def render_copied(done: Copied, console: Console, lang: str) -> None:
    """The rows of each table, the time taken and the check: kept, or rolled back and why."""
    say = words(lang)
    heads = [say("db_table"), say("db_rows")]
    console.print(say("db_copy_title", source=done.source, to=done.target), markup=False)
    view = headed("", heads, (heads[1],))
    for name, rows in done.tables.items():
        view.add_row(name, f"{rows:,}")
    view.add_row(say("total"), f"{sum(done.tables.values()):,}", style="bold")
    console.print(view)
    seq, digest = done.head
    if done.committed:
        line = say("db_copied", seconds=f"{done.seconds:.1f}", seq=seq, digest=digest[:12])
        console.print(f"[bold green]{line}[/]")
        return
    console.print(f"[bold red]{say('db_copy_rolled_back', seconds=f'{done.seconds:.1f}')}[/]")
    for problem in done.problems:
        console.print(f"  {problem.text(lang)}", markup=False)
    console.print(text("screen_db_copy_empty", lang, to=done.target), markup=False)
