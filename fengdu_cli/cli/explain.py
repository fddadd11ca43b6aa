"""``fengdu explain``: why one person or employer is paid, or not."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import print_json, screen
from fengdu_cli.cli.options import (
    ColumnsOpt,
    DataOpt,
    DbOpt,
    MonthOpt,
    PolicyOpt,
    month_paths,
    parse_month,
)


@command(app, common=("json", "lang", "debug"))
def explain(
    id_number: Annotated[
        str, typer.Argument(help="身份证号码或统一社会信用代码 / ID number or credit code")
    ],
    month: MonthOpt,
    data: DataOpt,
    db: DbOpt = Path("fengdu.db"),
    policy: PolicyOpt = None,
    columns: ColumnsOpt = None,
    *,
    common: Common,
) -> int:
    """说明某人（或某单位）每项补贴发或不发的原因。Why this person got, or did not get, each subsidy."""
    json_, lang = common.json, common.lang
    db, _ = month_paths(db, None, data, common)
    from fengdu_cli.explain import explain as run_explain
    from fengdu_cli.io.columns_toml import columns_for

    config = columns_for(columns, [data])
    result = run_explain(
        id_number, parse_month(month), data, db, policy_path=policy, lang=lang, columns=config
    )
    if json_:
        print_json(result.to_dict())
        return 0 if result.provenance.get("found_in") else 1
    console = screen()
    data_ = result.to_dict()
    if not data_.get("found_in"):
        console.print(
            f"{data_['subject']}：本月的花名册、就业登记、社保缴费和主体名单中都没有这个号码，"
            "请核对号码，或确认数据文件夹和月份"
        )
        return 1
    person = data_["person"]
    if person:
        console.print(
            f"{person['name']}（{data_['subject']}），{person['township']}{person['village']}，"
            f"{person['category']}，{person['labor_capacity']}，{person['age']}岁；花名册：{person['roster_row']}"
        )
    else:
        console.print(f"{data_['subject']}：花名册中无此人（或为单位代码）")
    for reason in (person or {}).get("unknown", []):
        console.print(f"[bold red]无法判断的数据：{escape(reason)}[/]")
    sources = data_.get("sources", {})
    if sources.get("employment"):
        console.print("就业登记：" + "；".join(sources["employment"]))
    if sources.get("insurance_months"):
        months = sources["insurance_months"]
        console.print(f"社保缴费月份：{months[0]} 至 {months[-1]}，共 {len(months)} 个月")
    for rule in data_["rules"]:
        whose = (
            f"（职工：{rule['person']['name']} {rule['person']['id']}）"
            if rule.get("person")
            else ""
        )
        console.print(
            f"[bold]{rule['name']}（{rule['code']}）{whose}：{rule['outcome_zh']}[/] — "
            f"{rule['reason']}"
        )
        for cond in rule.get("conditions", []):
            mark = "?" if cond["ok"] is None else ("✓" if cond["ok"] else "✗")
            console.print(f"    {mark} {cond['condition']}：{cond['value']}")
        if rule.get("conditions"):
            console.print(f"    依据：{rule['source']}")
    return 0
