"""``fengdu policy show / check``: the policy in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fengdu_cli.cli.app import Common, command, policy_app
from fengdu_cli.cli.console import print_json, screen, show_file_check
from fengdu_cli.cli.options import PolicyOpt, month_option
from fengdu_cli.cli.render import words
from fengdu_cli.errors import InputError
from fengdu_cli.messages import CATALOGUES, text


@command(policy_app, "show", common=("json",))
def policy_show(
    month: Annotated[int | None, month_option("月份 YYYY-MM（默认本月）")] = None,
    policy: PolicyOpt = None,
    *,
    common: Common,
) -> int:
    """列出每项补贴的状态（有效/已到期/未配置/未实现）、金额、条件和依据。"""
    json_, lang = common.json, common.lang
    from fengdu_cli.policy import load_policy, policy_table

    m = month or dt.date.today().year * 100 + dt.date.today().month
    table = policy_table(load_policy(policy), m)
    if json_:
        print_json(table)
        return 0
    render_policy(table, screen(), lang)
    return 0


STATUS_STYLE = {"in_force": "green", "expired": "dim", "not_yet": "cyan",
                "not_configured": "yellow", "not_computed": "bold red"}  # fmt: skip
# the unit a value is said in, by its key (the policy schema's names)
UNITS = (
    (("amount", "principal_"), "yuan"),
    (("term_years_", "max_years_after"), "years"),
    (("min_age",), "age"),
    (("min_employees", "min_persons"), "persons"),
    (("installments",), "times"),
    (("lpr_margin_bp",), "bp"),
)


def value_words(key: str, value: object, lang: str) -> str:
    """A policy value as a clerk reads it: 6,000.00 元, 12 个月, 脱贫人口、监测对象, 是."""
    say = words(lang)
    if isinstance(value, bool):
        return say("pv_yes" if value else "pv_no")
    if isinstance(value, list | tuple):  # a dated table (LPR) one line an entry
        sep = "\n" if key == "lpr_1y" else say("pv_list_sep")
        return sep.join(value_words(key, v, lang) for v in value)
    if key == "lpr_1y" and isinstance(value, str) and ":" in value:
        day, rate = value.split(":", 1)
        return say("pv_rate_from", day=day, rate=rate)
    if key == "hukou" or key == "insurance_share":
        found = f"screen_pv_{'hukou' if key == 'hukou' else 'share'}_{value}"
        return text(found, lang) if found in CATALOGUES[lang] else str(value)
    for starts, unit in UNITS:
        if key.startswith(starts):
            if unit == "yuan":
                shown = f"{Decimal(str(value)):,.2f}"
            elif unit == "bp":
                return say("pv_unit_bp", value=value, percent=f"{Decimal(str(value)) / 100:.2f}%")
            else:
                shown = str(value)
            return say(f"pv_unit_{unit}", value=shown)
    if "months" in key and isinstance(value, int):
        return say("pv_unit_months", value=value)
    return str(value)


def render_policy(table: dict, console: Console, lang: str) -> None:
    """One block per rule: its name and status, then one line per value (label, value in
    words), whom it pays and how often, its source.  Reads at 80 columns as at 120."""
    say = words(lang)
    policy = table["policy"]
    console.print(say("policy_title", month=table["month"], path=Path(policy["path"]).name),
                  style="bold", markup=False)  # fmt: skip
    console.print(say("pl_policy_file", path=policy["path"], sha=policy["sha256"][:12],
                      end=policy["period_end"]), markup=False)  # fmt: skip
    for rule in table["rules"]:
        status = rule["status"]
        head = Text(say("pl_rule_head", name=rule["name"], code=rule["code"]), style="bold")
        head.append("  ")
        head.append(text(f"status_{status}", lang), style=STATUS_STYLE.get(status, ""))
        console.print()
        console.print(head)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")
        values = dict(rule["values"])
        span = say("pv_period_span", start=values.pop("from"), end=values.pop("to"))
        grid.add_row("  " + say("pv_period"), span)
        for key, value in values.items():
            label = f"screen_pv_{key}"
            grid.add_row(
                "  " + (text(label, lang) if label in CATALOGUES[lang] else key),
                value_words(key, value, lang),
            )
        grid.add_row("  " + say("pl_payee"), say(f"pl_payee_{rule['payee']}"))
        grid.add_row("  " + say("pl_frequency"), say(f"pl_freq_{rule['frequency']}"))
        # one document a line: a reference is never broken across two
        grid.add_row("  " + say("pl_basis"), "\n".join(str(rule["source"]).split("；")))
        console.print(grid)


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
