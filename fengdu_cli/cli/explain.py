"""``fengdu explain``: why one person or employer is paid, or not."""

from __future__ import annotations

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
    data_folder,
    month_paths,
)
from fengdu_cli.cli.render import words
from fengdu_cli.errors import UsageError
from fengdu_cli.messages import text


@command(app, common=("json",))
def explain(
    id_number: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="身份证号码或统一社会信用代码 / ID number or credit code"
        ),
    ],
    month: MonthOpt,
    data: DataOpt = None,
    db: DbOpt = "fengdu.db",
    policy: PolicyOpt = None,
    columns: ColumnsOpt = None,
    *,
    common: Common,
) -> int:
    """说明某人（或某单位）每项补贴发或不发的原因。Why this person got, or did not get, each subsidy."""
    json_, lang = common.json, common.lang
    if not id_number.strip():
        raise UsageError("explain_no_number")
    data = data_folder(data)
    ledger_at, _ = month_paths(db, None, data, common)
    from fengdu_cli.explain import explain as run_explain
    from fengdu_cli.io.columns_toml import columns_for

    config = columns_for(columns, [data])
    result = run_explain(
        id_number,
        month,
        data,
        ledger_at,
        policy_path=policy,
        columns=config,
        progress=common.progress,
    )
    common.steps_done()
    if json_:
        print_json(result.to_dict(lang))
        return 0 if result.provenance.get("found_in") else 1
    console = screen()
    data_ = result.to_dict(lang)
    say = words(lang)
    if not data_.get("found_in"):
        console.print(say("explain_not_found", subject=data_["subject"]))
        return 1
    person = data_["person"]
    if person:
        console.print(
            say("explain_person", name=person["name"], subject=data_["subject"],
                township=person["township"], village=person["village"],
                category=person["category"], labor=person["labor_capacity"], age=person["age"],
                row=person["roster_row"])
        )  # fmt: skip
    else:
        console.print(say("explain_no_roster", subject=data_["subject"]))
    for reason in (person or {}).get("unknown", []):
        console.print(f"[bold red]{escape(say('explain_unknown', reason=reason))}[/]")
    sources = data_.get("sources", {})
    if sources.get("employment"):
        console.print(say("explain_jobs", jobs=say("list_sep2").join(sources["employment"])))
    if sources.get("insurance_months"):
        months = sources["insurance_months"]
        console.print(say("explain_months", first=months[0], last=months[-1], n=len(months)))
    for rule in data_["rules"]:
        employee = rule.get("person")
        whose = (
            say("explain_employee", name=employee["name"], id=employee["id"]) if employee else ""
        )
        outcome = text(f"outcome_{rule['outcome']}", lang)
        reason = text(rule["reason_key"], lang, **rule["reason_params"])
        head = say(
            "explain_rule", name=rule["name"], code=rule["code"], whose=whose, outcome=outcome
        )
        console.print(f"[bold]{escape(head)}[/] — {escape(reason)}")
        for cond in rule.get("conditions", []):
            mark = "?" if cond["ok"] is None else ("✓" if cond["ok"] else "✗")
            console.print(f"    {mark} {cond['condition']}{say('colon')}{cond['value']}")
        if rule.get("conditions"):
            console.print(say("explain_basis", source=rule["source"]))
    return 0
