"""What the commands print: tables and lines for the clerk, built from library results."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fengdu_cli import dates
from fengdu_cli.cli.app import Common
from fengdu_cli.cli.console import screen
from fengdu_cli.messages import text
from fengdu_cli.validate import Checked


def render_checked(checked: Checked, console: Console, lang: str, limit: int = 20) -> None:
    """Rows read / valid / rejected per file, problems by code, and the first problems."""
    from fengdu_cli.io.reports import _code_title

    zh = lang == "zh"
    if checked.unreadable and not checked.files:
        err = screen(stderr=True)
        for bad in checked.unreadable:
            err.print(
                ("[bold red]错误[/]：" if zh else "[bold red]Error[/]: ") + escape(bad.message)
            )
        return
    table = Table(title=("读取结果 — " if zh else "Read — ") + text(f"kind_{checked.kind}", lang))
    for head in (("文件", "file"), ("读取", "read"), ("有效", "valid"), ("退回", "rejected")):
        table.add_column(
            head[0] if zh else head[1], justify="left" if head[1] == "file" else "right"
        )
    for rec in checked.per_file.itertuples(index=False):
        table.add_row(
            Path(rec.file).name, str(rec.rows_read), str(rec.rows_valid), str(rec.rows_rejected)
        )
    table.add_row(
        "合计" if zh else "total",
        str(checked.rows_read),
        str(checked.rows_valid),
        str(checked.rows_rejected),
        style="bold",
    )
    console.print(table)
    counts = checked.problem_counts()
    if counts:
        by_code = Table(title="问题分类" if zh else "Problems by code")
        by_code.add_column("代码" if zh else "code")
        by_code.add_column("说明" if zh else "meaning")
        by_code.add_column("数量" if zh else "count", justify="right")
        for code, n in counts.items():
            by_code.add_row(code, _code_title(code, lang), str(n))
        console.print(by_code)
        first = Table(title=(f"前 {limit} 个问题" if zh else f"First {limit} problems"))
        for head in ("文件/file", "行/row", "列/column", "值/value", "问题/problem"):
            first.add_column(head.split("/")[0 if zh else 1], overflow="fold")
        for rec in checked.problems.head(limit).itertuples(index=False):
            where = Path(rec.file).name + (f"（{rec.sheet}）" if rec.sheet else "")
            first.add_row(where, str(rec.row), rec.header, rec.value, rec.message)
        console.print(first)
    render_gaps(checked.problems, console)
    for notice in checked.notices:
        console.print(f"[yellow]{escape(f'{Path(notice.file).name}：{notice.message}')}[/]")
    for bad in checked.unreadable:
        screen(stderr=True).print(
            ("[bold red]错误[/]：" if zh else "[bold red]Error[/]: ") + escape(bad.message)
        )
    if len(checked.skipped):
        console.print(
            f"未计入人员的行（合计、表尾、重复表头等）：{len(checked.skipped)} 行，详见问题报告"
            if zh
            else f"Rows not counted as persons (subtotals, footers, repeated headers): {len(checked.skipped)}"
        )


def render_gaps(
    problems: pd.DataFrame, console: Console, file: str | None = None, sheet: str | None = None
) -> None:
    """Each column a file lacks or holds twice, in red: the persons and codes it leaves
    unjudged (of one file and sheet when given)."""
    file_level = problems[problems["code"].isin(("missing_column", "ambiguous_column"))]
    if file is not None:
        file_level = file_level[file_level["file"].eq(file) & file_level["sheet"].eq(sheet)]
    for rec in file_level.itertuples(index=False):
        where = rec.file + (f"（{rec.sheet}）" if rec.sheet else "")
        console.print(f"[bold red]{escape(f'{where} 第{rec.row}行表头：{rec.message}')}[/]")


def say_ledger(db: Path, common: Common) -> None:
    """Which ledger this command works on, on stderr (a mistyped --db is seen at once);
    nothing with --json or --quiet."""
    if common.json or common.quiet:
        return
    from fengdu_cli import ledger

    info = ledger.describe(db)
    if not info["exists"]:
        line = f"台账：{info['path']}（尚不存在）"
    elif info["unread"]:
        line = f"台账：{info['path']}（无法读取其内容）"
    elif not info["batches"] and not info["imports"]:
        line = f"台账：{info['path']}（还没有入账批次或导入）"
    else:
        span = (
            f"，{dates.month_text(info['first_month'])} 至 {dates.month_text(info['last_month'])}"
            if info["batches"]
            else ""
        )
        line = f"台账：{info['path']}（{info['batches']} 个月度批次{span}，{info['imports']} 个导入批次）"
    screen(stderr=True).print(line, markup=False)


def checked_exit_code(checked: Checked) -> int:
    if checked.unreadable:
        return 3
    return 1 if checked.has_problems() else 0


def render_columns(
    found: dict[str, Checked], console: Console, lang: str, toml: str | None
) -> None:
    """Per file and sheet: header → column, how, share of values that fit; what is lacking."""
    from fengdu_cli.io.reports import how_label

    zh = lang == "zh"
    if toml:
        console.print(("使用列识别设置：" if zh else "Column settings: ") + toml)
    for kind, checked in found.items():
        table_of = (
            checked.columns.groupby(["file", "sheet"], sort=False) if len(checked.columns) else []
        )
        for (file, sheet), rows in table_of:
            where = file + (f"（{sheet}）" if sheet else "")
            view = Table(title=escape(f"{where} — {text(f'kind_{kind}', lang)}"))
            for head in (
                "列/col",
                "表头/header",
                "识别为/column",
                "方式/how",
                "取值符合/values fit",
            ):
                view.add_column(head.split("/")[0 if zh else 1], overflow="fold")
            for rec in rows.itertuples(index=False):
                shown = f"{rec.column_zh}（{rec.column}）" if rec.column else "—"
                share = "" if pd.isna(rec.share) else f"{rec.share:.0%}"
                style = None if rec.column else "dim"
                view.add_row(
                    rec.letter,
                    escape(rec.header) or "（空）",
                    shown,
                    how_label(rec.how, lang),
                    share,
                    style=style,
                )
            console.print(view)
            render_gaps(checked.problems, console, file, sheet)
        for bad in checked.unreadable:
            screen(stderr=True).print(
                ("[bold red]错误[/]：" if zh else "[bold red]Error[/]: ") + escape(bad.message)
            )


def display_column(kind: str, column: str) -> str:
    from fengdu_cli.io.columns import display_name

    return display_name(kind, column)


def render_reconciled(result, console: Console, lang: str) -> None:
    """Per township: persons, able to work, employed, insured, warnings; then the totals."""
    from fengdu_cli.io.reconcile_report import summary_frame

    table = summary_frame(result)
    zh_month = result.summary()["month"]
    view = Table(title=f"{zh_month} 数据比对" if lang == "zh" else f"{zh_month} reconcile")
    shown = [
        "乡镇（街道）",
        "人数",
        "有劳动能力",
        "县内就业",
        "县外市内就业",
        "市外就业",
        "本月参保",
        "预警合计",
        "新增预警",
        "已消除预警",
    ]
    short = ["乡镇", "人数", "能劳动", "县内", "市内县外", "市外", "参保", "预警", "新增", "消除"]
    for column in short:
        view.add_column(column, justify="left" if column == "乡镇" else "right", no_wrap=True)
    for i, row in enumerate(table[shown].itertuples(index=False)):
        view.add_row(*[str(v) for v in row], style="bold" if i == len(table) - 1 else None)
    console.print(view)
    flags = Table(title="预警分类" if lang == "zh" else "Warnings by code")
    flags.add_column("代码" if lang == "zh" else "code")
    flags.add_column("数量" if lang == "zh" else "count", justify="right")
    for code, n in result.flags().items():
        flags.add_row(code, str(n))
    console.print(flags)
    summary = result.summary()
    rows = summary["rows"]
    console.print(
        f"读取 {rows['read']} 行 = 有效 {rows['valid']} + 退回 {rows['rejected']}；"
        f"人员 {summary['persons']}，匹配就业 {summary['matched']['employment']}，"
        f"匹配参保 {summary['matched']['insurance']}"
    )
    for kind, counts in summary["inputs"].items():
        console.print(
            f"  {text(f'kind_{kind}', lang)}：读取 {counts['read']} = 匹配 {counts['matched']} + "
            f"未匹配 {counts['unmatched']} + 退回 {counts['rejected']}"
        )
    if summary["previous_month"]:
        console.print(
            f"与 {summary['previous_month']} 比较：新增 {summary['warnings_new']}，"
            f"持续 {summary['warnings_continuing']}，已消除 {summary['warnings_resolved']}"
        )
    render_undetermined(result.checked, result.undetermined_counts(), console, "预警")


def render_undetermined(checked, counts: dict[str, int], console: Console, what: str) -> None:
    """The columns files lacked, and per code how many persons could not be judged (red)."""
    for kind, c in checked.items():
        if c.gaps:
            console.print(f"[bold red]{text(f'kind_{kind}', 'zh')}：[/]")
            render_gaps(c.problems, console)
    if counts:
        console.print(
            f"[bold red]无法判断（数据缺失或无法识别，未计入{what}，请补齐后重算）："
            + "，".join(f"{code} {n} 人" for code, n in counts.items())
            + "，名单见输出文件“无法判断”表[/]"
        )


def render_subsidy(result, console: Console, lang: str) -> None:
    """Totals per rule and per township, skipped rules with their reasons, the batch."""
    from fengdu_cli.money import yuan_text

    table = Table(title=f"{result.summary()['month']} 补贴计算（批次 {result.batch_id}）")
    table.add_column("补贴项目")
    table.add_column("代码")
    table.add_column("人数/户数", justify="right")
    table.add_column("金额（元）", justify="right")
    totals, counts = result.totals_fen(), result.counts()
    for code in result.computed:
        table.add_row(
            result.policy.rule(code).name, code, str(counts[code]), yuan_text(totals[code])
        )
    table.add_row(
        "合计", "", str(sum(counts.values())), yuan_text(result.grand_total_fen()), style="bold"
    )
    console.print(table)
    if len(result.lines):
        by_town = result.lines.groupby("township")["amount_fen"].agg(["size", "sum"])
        towns = Table(title="按乡镇（街道）")
        towns.add_column("乡镇（街道）")
        towns.add_column("笔数", justify="right")
        towns.add_column("金额（元）", justify="right")
        for town, row in by_town.iterrows():
            towns.add_row(
                str(town) or "未知乡镇", str(int(row["size"])), yuan_text(int(row["sum"]))
            )
        console.print(towns)
    if result.skipped:
        skipped = Table(title="本月未计算的项目")
        skipped.add_column("补贴项目")
        skipped.add_column("原因", overflow="fold")
        for code, reason in result.skipped.items():
            skipped.add_row(f"{result.policy.rule(code).name}（{code}）", reason)
        console.print(skipped)
    render_undetermined(result.checked, result.undetermined_counts(), console, "发放名单")
    if result.history_missing:
        console.print(f"[bold yellow]{text('no_history_warning', lang)}[/]")
    if result.newly_committed:
        console.print(f"[bold green]已入账：批次 {result.batch_id}，{len(result.lines)} 笔[/]")
    elif result.committed:
        console.print(
            f"本月已于批次 {result.batch_id} 入账，以下为已入账名单（未重复入账）"
            + (
                f"；注意：按当前数据重算有 {result.differences} 处不同"
                if result.differences
                else ""
            )
        )
    else:
        console.print("[yellow]试算结果，未入账；确认无误后加 --commit 入账[/]")


def render_import(plan, console: Console, commit: bool) -> None:
    """Per rule and month what is (or would be) recorded; then every row not placed."""
    from fengdu_cli.money import yuan_text

    title = f"导入批次 {plan.batch_id}" if plan.batch_id else "导入预览（未记入台账）"
    view = Table(title=title)
    for head in ("补贴代码", "月份", "笔数", "金额（元）"):
        view.add_column(head, justify="right" if head in ("笔数", "金额（元）") else "left")
    table = plan.by_rule_and_month()
    for r in table.itertuples(index=False):
        view.add_row(r.rule, dates.month_text(int(r.month)), str(r.lines),
                     yuan_text(int(r.amount_fen)))  # fmt: skip
    view.add_row("合计", "", str(int(table["lines"].sum()) if len(table) else 0),
                 yuan_text(int(table["amount_fen"].sum()) if len(table) else 0), style="bold")  # fmt: skip
    console.print(view)
    if len(plan.problems):
        problems = Table(title=f"未导入的行：{len(plan.problems)} 行")
        for head in ("文件", "行", "原因"):
            problems.add_column(head, overflow="fold")
        for p in plan.problems.head(50).itertuples(index=False):
            where = p.file + (f"（{p.sheet}）" if p.sheet else "")
            problems.add_row(where, str(p.row), p.message)
        console.print(problems)
    if plan.batch_id:
        console.print(f"[bold green]已记入台账：批次 {plan.batch_id}，{len(plan.to_record)} 笔[/]")
    elif commit:
        console.print("[yellow]没有可以导入的行，台账未改变[/]")
    else:
        console.print("[yellow]预览，未记入台账；核对无误后加 --commit 导入[/]")
