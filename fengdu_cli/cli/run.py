"""``fengdu run``: validate → reconcile → subsidy, the inputs read once."""

from __future__ import annotations

from rich.console import Console

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import show
from fengdu_cli.cli.options import MonthFolder, Paying
from fengdu_cli.cli.render import render_reconciled, render_subsidy
from fengdu_cli.cli.subsidy import missing_accounts
from fengdu_cli.errors import UsageError
from fengdu_cli.messages import text
from fengdu_cli.progress import report


@command(app, "run")
def run_month(folder: MonthFolder, paying: Paying, *, common: Common) -> int:
    """每月一次跑完：校验 → 比对 → 补贴（供定时任务使用）。validate → reconcile → subsidy, for cron."""
    month = folder.resolve(common)
    from fengdu_cli import store
    from fengdu_cli.io import names
    from fengdu_cli.io.reconcile_report import write_reconcile
    from fengdu_cli.io.reports import write_problem_report
    from fengdu_cli.io.returns import write_return_lists
    from fengdu_cli.reconcile import reconcile_month
    from fengdu_cli.subsidy import read_month

    lang, progress, out = common.lang, common.progress, month.out
    if paying.commit and not paying.new_db and not store.exists(month.db):
        raise UsageError("db_missing", path=store.target(month.db).shown)  # reconcile would make it
    from fengdu_cli.input_cache import folder_for

    # read once, or taken from the checked inputs an earlier run kept
    checked = read_month(month.data, month.month, month.columns, progress, folder_for(month.db))
    reconciled = reconcile_month(
        month.data, month.month, month.db, checked=checked, progress=progress
    )
    roster = reconciled.checked["roster"]
    report(progress, "write", 0, 3)
    written = [write_problem_report(roster, out / names.PROBLEM_REPORT, lang)]
    report(progress, "write", 1, 3)
    written += write_return_lists(roster, out / names.RETURNS_FOLDER, lang, month=month.month)
    report(progress, "write", 2, 3)
    written += write_reconcile(reconciled, out, split_by_township=True, lang=lang)
    report(progress, "write", 3, 3)
    subsidies, files = paying.pay(month, common, checked=checked)
    written += files
    summary = {
        "reconcile": reconciled.summary(),
        "subsidy": subsidies.summary(),
        "written": [str(p) for p in written],
    }

    def render(console: Console) -> None:
        render_reconciled(reconciled, console, lang)
        render_subsidy(subsidies, console, lang)
        console.print(text("screen_files_written", lang, n=len(written), folder=out))

    show(common, summary, render)
    problems = reconciled.has_problems() or len(subsidies.undetermined())
    return 1 if problems or missing_accounts(subsidies) else 0
