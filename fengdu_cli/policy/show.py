"""Showing a policy: the rules in force for a month, as ``fengdu policy show`` prints them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fengdu_cli import dates
from fengdu_cli.messages import text
from fengdu_cli.policy.schema import IN_FORCE, RULE_CODES, LprRate, Policy, Rule, amount_text


def _json_value(value: object) -> object:
    """A policy value for JSON: amounts '6000.00', dates ISO, tuples as lists."""
    if isinstance(value, Decimal):
        return amount_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, LprRate):  # a dated table's line: '2019-08-20:4.25%'
        return str(value)
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


NOT_COMPUTED = "not_computed"  # in force and configured, but no rule module computes it


def _rule_row(rule: Rule, month: int) -> dict[str, object]:
    """One rule of ``policy_table``: status and the values that apply (or last applied).

    ``computed`` says whether the tool computes the rule at all; a rule in force that it
    does not compute is shown as ``not_computed``, never as in force (有效)."""
    from fengdu_cli.rules import IMPLEMENTED  # the rules read the policy's schema

    period = rule.shown_period(dates.last_day(month))
    computed = rule.code in IMPLEMENTED
    status = rule.status(month)
    if status == IN_FORCE and not computed:
        status = NOT_COMPUTED
    values: dict[str, object] = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    values.update({key: _json_value(v) for key, v in period.values.items()})
    return {
        "code": rule.code,
        "name": rule.name,
        "status": status,
        "status_zh": text(f"status_{status}", "zh"),
        "computed": computed,
        "source": period.source or rule.source,
        "payee": rule.payee,
        "frequency": rule.frequency,
        "values": values,
    }


def policy_table(policy: Policy, month: int) -> dict[str, Any]:
    """The JSON of ``fengdu policy show`` for month YYYYMM, rules in RULE_CODES order.

    ``values`` are those in force for the month; for a rule not in force, those of the
    period shown instead (the next one, or the last one for an expired rule).
    """
    return {
        "month": dates.month_text(month),
        "policy": {
            "path": policy.path,
            "sha256": policy.sha256,
            "period_end": policy.period_end.isoformat(),
        },
        "rules": [_rule_row(policy.rule(code), month) for code in RULE_CODES],
    }
