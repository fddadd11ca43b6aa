"""``fengdu columns``: how each header was recognised; ``--check`` a columns.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import print_json, screen, show_file_check
from fengdu_cli.cli.options import ColumnsOpt, Kind
from fengdu_cli.cli.render import render_columns
from fengdu_cli.errors import UsageError
from fengdu_cli.messages.problems import summary_words


@command(app, "columns", common=("json",))
def columns_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar="PATH", help="文件或文件夹 / files or folders")
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option("--kind", "-k", help="数据类型（默认按文件夹或表头判断）/ kind of data"),
    ] = None,
    columns: ColumnsOpt = None,
    check: Annotated[
        Path | None, typer.Option("--check", help="检查一个 columns.toml / check a columns.toml")
    ] = None,
    *,
    common: Common,
) -> int:
    """每一列被识别成什么、怎样识别的。How each header was recognised (alias / keywords / values)."""
    json_, lang = common.json, common.lang
    from fengdu_cli.io.columns_toml import check_columns, columns_for
    from fengdu_cli.validate import describe_columns

    if check is not None:
        problems = check_columns(check)
        if problems and problems[0].code == "path_missing":
            from fengdu_cli.errors import InputError

            raise InputError("path_missing", path=str(check))
        return show_file_check(
            common, check,
            [{"code": p.code, "line": p.line, "message": p.message(lang)} for p in problems],
            [p.message(lang) for p in problems], "screen_columns_ok",
        )  # fmt: skip
    if not paths:
        raise UsageError("columns_no_paths")
    config = columns_for(columns, list(paths))
    found = describe_columns(paths, kind, columns=config)
    if json_:
        print_json(
            {
                "columns_file": config.path,
                "kinds": {
                    k: {
                        key: summary_words(c.summary(), lang)[key]
                        for key in ("files", "columns", "missing_columns", "unreadable")
                    }
                    for k, c in found.items()
                },
            }
        )
    else:
        render_columns(found, screen(), lang, config.path)
    if any(c.unreadable for c in found.values()):
        return 3
    return 1 if any(c.gaps for c in found.values()) else 0
