"""``fengdu run``: validate → reconcile → subsidy, the inputs read once."""

from __future__ import annotations

from pathlib import Path

from fengdu_cli.cli.app import Common, app, command
from fengdu_cli.cli.console import print_json, screen
from fengdu_cli.cli.options import (
    ColumnsOpt,
    CommitOpt,
    DataOpt,
    DbOpt,
    MonthOpt,
    NewDbOpt,
    NoHistoryOpt,
    OutOpt,
    PolicyOpt,
    month_paths,
    parse_month,
)
from fengdu_cli.cli.render import (
    render_reconciled,
    render_subsidy,
)
from fengdu_cli.errors import UsageError
from fengdu_cli.messages import text


@command(app, "run")
def run_month(
    month: MonthOpt,
    data: DataOpt,
    out: OutOpt = Path("out"),
    db: DbOpt = Path("fengdu.db"),
    policy: PolicyOpt = None,
    commit: CommitOpt = False,
    no_history: NoHistoryOpt = False,
    new_db: NewDbOpt = False,
    columns: ColumnsOpt = None,
    *,
    common: Common,
) -> int:
    """每月一次跑完：校验 → 比对 → 补贴（供定时任务使用）。validate → reconcile → subsidy, for cron."""
    json_, quiet, lang = common.json, common.quiet, common.lang
    db, out = month_paths(db, out, data, common)
    from fengdu_cli.io import names
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.reconcile_report import write_reconcile
    from fengdu_cli.io.reports import write_problem_report, write_return_lists
    from fengdu_cli.io.subsidy_files import compute_and_write
    from fengdu_cli.reconcile import reconcile_month
    from fengdu_cli.subsidy import read_month

    m = parse_month(month)
    if commit and not new_db and not Path(db).exists():  # reconcile would create it: refuse first
        raise UsageError("db_missing", path=str(db))
    checked = read_month(data, m, columns_for(columns, [data]))  # read once, used twice
    reconciled = reconcile_month(data, m, db, checked=checked)
    roster = reconciled.checked["roster"]
    label = Path(out)
    written = [write_problem_report(roster, label / names.PROBLEM_REPORT, lang)]
    written += write_return_lists(roster, label / names.RETURNS_FOLDER, lang)
    written += write_reconcile(reconciled, out, split_by_township=True, lang=lang)
    subsidies, files = compute_and_write(
        data, m, db, out, lang, policy_path=policy, commit=commit, checked=checked,
        no_history=no_history, new_db=new_db,
    )  # fmt: skip
    written += files
    if json_:
        print_json(
            {
                "reconcile": reconciled.summary(),
                "subsidy": subsidies.summary(),
                "written": [str(p) for p in written],
            }
        )
    elif not quiet:
        console = screen()
        render_reconciled(reconciled, console, lang)
        render_subsidy(subsidies, console, lang)
        console.print(text("screen_files_written", lang, n=len(written), folder=out))
    return 1 if reconciled.has_problems() or len(subsidies.undetermined()) else 0
