"""``fengdu policy show / check``: the policy in force."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fengdu_cli.cli.app import Common, command, policy_app
from fengdu_cli.cli.console import print_json, screen, show_file_check
from fengdu_cli.cli.options import PolicyOpt, month_option
from fengdu_cli.cli.render import words
from fengdu_cli.errors import InputError
from fengdu_cli.messages import text


@command(policy_app, "show", common=("json",))
def policy_show(
    month: Annotated[int | None, month_option("月份 YYYY-MM（默认本月）")] = None,
    policy: PolicyOpt = None,
    *,
    common: Common,
) -> int:
    """列出每项补贴的状态（有效/已到期/未配置）、金额和依据。"""
    json_, lang = common.json, common.lang
    from fengdu_cli.policy import load_policy, policy_table

    m = month or dt.date.today().year * 100 + dt.date.today().month
    table = policy_table(load_policy(policy), m)
    if json_:
        print_json(table)
        return 0
    say = words(lang)
    view = Table(title=say("policy_title", month=table["month"], path=table["policy"]["path"]))
    for head in ("code", "name", "status", "values", "basis"):
        view.add_column(say(f"pl_{head}"), overflow="fold")
    for rule in table["rules"]:
        values = say("list_sep2").join(
            f"{k}={'/'.join(map(str, v)) if isinstance(v, list | tuple) else v}"
            for k, v in rule["values"].items()
        )
        status = text(f"status_{rule['status']}", lang)
        view.add_row(rule["code"], rule["name"], status, values, rule["source"])
    screen().print(view)
    return 0


@command(policy_app, "check", common=("json",))
def policy_check(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="政策文件 TOML")],
    *,
    common: Common,
) -> int:
    """检查政策文件：类型、重叠期间、未知项。"""
    from fengdu_cli.policy import check_policy

    if not file.exists():
        raise InputError("path_missing", path=str(file))
    problems = check_policy(file)
    said = [p.message_en if common.lang == "en" and p.message_en else p.message for p in problems]
    return show_file_check(common, file, [p.__dict__ for p in problems], said, "screen_policy_ok")
