"""``fengdu ledger show / void / files / import / check``: the payment ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich import box
from rich.table import Table

from fengdu_cli import dates, idcard
from fengdu_cli.cells import records
from fengdu_cli.cli.app import Common, command, ledger_app
from fengdu_cli.cli.console import print_json, say_written, screen
from fengdu_cli.cli.options import (
    AccountsDataOpt,
    ColumnsOpt,
    DbOpt,
    EncodingOpt,
    MonthOpt,
    NewDbOpt,
    OutOpt,
    PlainCsvOpt,
    PolicyOpt,
    month_option,
    use_ledger,
)
from fengdu_cli.cli.render import render_bank, render_import, words
from fengdu_cli.errors import InputError, UsageError
from fengdu_cli.io.subsidy_files import batch_file_patterns
from fengdu_cli.io.write import SUPERSEDED
from fengdu_cli.messages import rule_title, text
from fengdu_cli.store.sql import Db


@contextmanager
def existing_ledger(db: str | Path, common: Common, **how: bool) -> Iterator[Db]:
    """The ledger ``db`` (named on stderr), which must exist, open while the block runs."""
    use_ledger(db, common)
    from fengdu_cli import store

    if not store.exists(db):
        raise InputError("path_missing", path=store.target(db).shown)
    conn = store.connect(db, create=False, **how)
    try:
        yield conn
    finally:
        conn.close()


@command(ledger_app, "show", common=("json",))
def ledger_show(
    month: Annotated[int | None, month_option("月份 YYYY-MM（默认全部）")] = None,
    db: DbOpt = "fengdu.db",
    *,
    common: Common,
) -> int:
    """已入账的批次和发放记录（含冲销）。"""
    json_, lang = common.json, common.lang
    from fengdu_cli.money import yuan_text
    from fengdu_cli.store import ledger

    with existing_ledger(db, common) as conn:
        batches = ledger.batches(conn)
        if month:
            batches = batches[batches["month"] == month]
        entries = ledger.ledger_entries(conn, month)
    if json_:
        print_json(
            {
                "batches": batches.to_dict("records"),
                "entries": len(entries),
                "total": int(entries["amount_fen"].sum()) / 100 if len(entries) else 0,
            }
        )
        return 0
    say = words(lang)
    heads = ["batch", "kind", "month", "committed_at", "lines", "amount", "void"]
    view = Table(title=say("ledger_title"), box=box.SIMPLE_HEAD, pad_edge=False)  # 80 columns
    for head in heads:
        # a batch id, a month, a time and a sum are read whole (two batches must not look
        # alike, a sum never broken over two lines); a void is a mark, its reason below
        view.add_column(
            say(f"lg_{head}"), no_wrap=True,
            justify="right" if head in ("lines", "amount") else "left",
        )  # fmt: skip
    notes: list[str] = []
    for b in records(batches):
        voided = isinstance(b.void_reason, str)
        if voided:
            notes.append(
                f"{b.batch_id} " + say("lg_voided", reason=b.void_reason, when=_when(b.voided))
            )
        shown = dates.month_text(int(b.month))
        kind, shown = (
            (say("lg_import"), say("lg_from", month=shown))
            if b.kind == "import"
            else (say("lg_monthly"), shown)
        )
        view.add_row(
            b.batch_id, kind, shown, _when(b.committed)[:16], str(b.lines),
            yuan_text(int(b.total_fen)), say("lg_void") if voided else "",
        )  # fmt: skip
    console = screen()
    if not len(batches):
        console.print(say("lg_empty"))
        return 0
    console.print(view)
    for note in notes:
        console.print(note, markup=False)
    if len(entries):
        console.print(_net_table(entries, say, lang))
    return 0


def _when(stamp: object) -> str:
    """A stored local time as a clerk reads it: '2024-07-05 09:30:00' (no 'T')."""
    return str(stamp).replace("T", " ") if isinstance(stamp, str) else ""


def _net_table(entries: pd.DataFrame, say: Callable[..., str], lang: str) -> Table:
    """Paid less reversed, per rule in the policy's order, named as the lists name it."""
    from fengdu_cli.money import yuan_text
    from fengdu_cli.policy import RULE_CODES, load_policy

    names = load_policy().rules
    net = entries.groupby("rule")["amount_fen"].sum()
    view = Table(title=say("lg_net_title"))
    view.add_column(say("subsidy"), overflow="fold")
    view.add_column(say("lg_amount"), justify="right", no_wrap=True)
    order = [c for c in RULE_CODES if c in net.index] + [
        c for c in net.index if c not in RULE_CODES
    ]
    for code in order:
        named = rule_title(str(code), lang, names[code].name if code in names else None)
        named += text("paren_code", lang, code=code)
        view.add_row(named, yuan_text(int(net[code])))
    view.add_row(say("total"), yuan_text(int(net.sum())))
    return view


@command(ledger_app, "void", common=("json",))
def ledger_void(
    reason: Annotated[str, typer.Option("--reason", help="冲销原因（必填）")],
    month: Annotated[int | None, month_option("冲销该月的入账批次 / the month's batch")] = None,
    batch: Annotated[
        str | None,
        typer.Option("--batch", help="冲销指定批次（如导入批次 IMPORT-R3）/ a batch by its id"),
    ] = None,
    db: DbOpt = "fengdu.db",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="发放文件所在的输出文件夹（默认 out/ 或 fengdu.toml 的 out）：作废批次的文件移入"
            "其中的 已过期/ / output folder: the voided batch's files move into 已过期/",
        ),
    ] = None,
    *,
    common: Common,
) -> int:
    """冲销某月的入账批次或某个导入批次（记录冲销分录，不修改不删除原记录）；该批次的发放文件移入 已过期/。"""
    json_, lang = common.json, common.lang
    use_ledger(db, common)
    from fengdu_cli import store
    from fengdu_cli.money import yuan_text
    from fengdu_cli.store import ledger

    if not reason.strip():
        raise UsageError("void_reason")
    reason = idcard.mask_in_text(reason.strip())  # as the ledger records it
    if (month is None) == (batch is None):
        raise UsageError("void_what")
    with store.hold_lock(db, month if month else None):
        conn = store.connect(db, create=False)
        try:
            done = (
                ledger.void_batch(conn, batch, reason.strip())
                if batch
                else ledger.void_month(conn, month or 0, reason.strip())
            )
        finally:
            conn.close()
    if done is None:
        shown = dates.month_text(month) if month else batch
        raise UsageError("nothing_to_void", month=shown)
    batch_id, n, fen = done
    folder, moved, paid_month = _retire_voided(db, out, batch_id)
    if json_:
        print_json({"batch_id": batch_id, "reversed": n, "amount": fen / 100, "reason": reason,
                    "moved": [str(p) for p in moved]})  # fmt: skip
    else:
        console = screen()
        console.print(
            text("screen_voided", lang, batch=batch_id, n=n, amount=yuan_text(fen), reason=reason)
        )
        if moved:
            console.print(text("screen_void_moved", lang, batch=batch_id,
                               folder=str(folder / SUPERSEDED), n=len(moved)))  # fmt: skip
            for path in moved:
                console.print(f"  {path.name}")
        elif paid_month:
            console.print(
                "[bold yellow]"
                + text("screen_void_not_found", lang, batch=batch_id, out=str(folder),
                       files="、".join(batch_file_patterns(paid_month)[:3]))
                + "[/]"
            )  # fmt: skip
    return 0


def _retire_voided(db: str | Path, out: Path | None, batch_id: str) -> tuple[Path, list[Path], int]:
    """Move a voided month batch's files out of the way (out/已过期/): the folder looked in,
    the files moved, the batch's month (0 for an import: it has no files)."""
    from fengdu_cli import store
    from fengdu_cli.cli.options import config_paths
    from fengdu_cli.io.subsidy_files import retire_batch_files

    conn = store.connect(db, create=False)
    try:
        row = conn.execute(
            "SELECT month, kind FROM batches WHERE batch_id = :batch", {"batch": batch_id}
        ).first()
    finally:
        conn.close()
    _, folder = config_paths(db, out, Path.cwd())
    if row is None or row[1] != "month":
        return folder, [], 0
    return folder, retire_batch_files(folder, int(row[0])), int(row[0])


@command(ledger_app, "files", common=("json",))
def ledger_files(
    month: MonthOpt,
    out: OutOpt = Path("out"),
    db: DbOpt = "fengdu.db",
    policy: PolicyOpt = None,
    data: AccountsDataOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    plain_csv: PlainCsvOpt = False,
    *,
    common: Common,
) -> int:
    """重新写出某月已入账批次的发放文件（花名册、CSV、公示名单；给出 --data 时连同银行代发清单），内容取自台账。"""
    json_, lang = common.json, common.lang
    use_ledger(db, common)
    from fengdu_cli.io.subsidy_files import rewrite_batch_files

    result, written = rewrite_batch_files(
        month, db, out, policy, lang, data=data, encoding=encoding, plain_csv=plain_csv
    )
    bank = result.bank_summary() if result.accounts_known else None
    if json_:
        print_json(
            {"batch_id": result.batch_id, "written": [str(p) for p in written],
             **({"bank": bank} if bank is not None else {})}
        )  # fmt: skip
    else:
        console = screen()
        console.print(text("screen_batch_lines", lang, batch=result.batch_id, n=len(result.lines)))
        render_bank(result, console, lang)
        say_written(console, written, lang)
    return 1 if bank and bank["missing_account"] else 0


@command(ledger_app, "import", common=("json",))
def ledger_import(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="以往的发放名单（花名册）/ past payment lists"),
    ],
    rule: Annotated[
        str | None,
        typer.Option("--rule", help="这些名单是哪项补贴（表中和标题中没有写明时）/ the rule code"),
    ] = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="记入台账（默认只预览）/ record them (else a dry run)")
    ] = False,
    accept_amounts: Annotated[
        bool,
        typer.Option(
            "--accept-amounts",
            help="金额与政策标准不符的也导入 / import amounts unlike the policy's",
        ),
    ] = False,
    db: DbOpt = "fengdu.db",
    new_db: NewDbOpt = False,
    policy: PolicyOpt = None,
    columns: ColumnsOpt = None,
    *,
    common: Common,
) -> int:
    """导入工具启用前已发放的名单，使一次性、每年一次和封顶的补贴不再重复发放。"""
    json_, lang = common.json, common.lang
    use_ledger(db, common)
    from fengdu_cli.history import commit_import, plan_import
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.policy import load_policy

    plan = plan_import(
        files, load_policy(policy), db, rule=rule, accept_amounts=accept_amounts,
        columns=columns_for(columns, list(files)),
    )  # fmt: skip
    if commit and len(plan.to_record):
        plan = commit_import(plan, db, new_db=new_db)
    if json_:
        print_json(plan.summary(lang))
    else:
        render_import(plan, screen(), lang, commit)
    return 1 if len(plan.problems) else 0


@command(ledger_app, "check", common=("json",))
def ledger_check(
    db: DbOpt = "fengdu.db",
    *,
    common: Common,
) -> int:
    """检查台账完整性：同一补贴未重复发放、冲销与原记录相符、批次合计一致。"""
    json_, lang = common.json, common.lang
    from fengdu_cli.store import ledger

    # a ledger refused elsewhere is looked into here
    with existing_ledger(db, common, inspect=True) as conn:
        problems = [p.text(lang) for p in ledger.check_ledger(conn)]
    if json_:
        print_json({"ok": not problems, "problems": problems})
    else:
        console = screen()
        console.print(text("screen_ledger_ok", lang) if not problems else "\n".join(problems))
    return 1 if problems else 0
