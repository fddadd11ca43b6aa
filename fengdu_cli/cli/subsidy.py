"""``fengdu subsidy``: the month's payment lists, trial or committed."""

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
    render_subsidy,
)
from fengdu_cli.messages import text


@command(app)
def subsidy(
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
    """计算补贴，生成发放花名册、银行文件和公示名单。Compute the month's subsidy lists."""
    json_, quiet, lang = common.json, common.quiet, common.lang
    db, out = month_paths(db, out, data, common)
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.subsidy_files import compute_and_write

    config = columns_for(columns, [data])
    result, written = compute_and_write(
        data, parse_month(month), db, out, lang, policy_path=policy, commit=commit,
        columns=config, no_history=no_history, new_db=new_db,
    )  # fmt: skip
    if json_:
        print_json(result.summary())
    elif not quiet:
        console = screen()
        render_subsidy(result, console, lang)
        for path in written:
            console.print(text("screen_written", lang, path=path))
    rejected = any(c.rows_rejected or c.gaps for c in result.checked.values())
    return 1 if rejected or len(result.undetermined()) else 0
