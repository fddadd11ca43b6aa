"""``fengdu subsidy``: the month's payment lists, trial or committed."""

from __future__ import annotations

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import show
from fengdu_cli.cli.options import MonthFolder, Paying
from fengdu_cli.cli.render import render_subsidy


@command(app)
def subsidy(folder: MonthFolder, paying: Paying, *, common: Common) -> int:
    """计算补贴，生成发放花名册、银行文件和公示名单。Compute the month's subsidy lists."""
    month = folder.resolve(common)
    result, written = paying.pay(month, common, columns=month.columns)
    show(common, result.summary(), lambda c: render_subsidy(result, c, common.lang), written)
    rejected = any(c.rows_rejected or c.gaps for c in result.checked.values())
    return 1 if rejected or len(result.undetermined()) or missing_accounts(result) else 0


def missing_accounts(result) -> int:
    """How many payees of a committed batch have no account (a data problem: exit 1); a
    trial only says how many (it pays nobody)."""
    known = result.accounts_known and result.committed and len(result.lines)
    return len(result.bank()[1]) if known else 0
