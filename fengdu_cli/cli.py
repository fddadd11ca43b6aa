"""The ``fengdu`` command line: parse options, call one library function, render, exit.

No business logic lives here.  Errors from the library carry their exit code
(:mod:`fengdu_cli.errors`) and are caught once, in :func:`_guarded`; anything else is a
bug: the trace goes to a log file and the screen says where (exit 5), unless
``--debug`` asks for the trace.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fengdu_cli import __version__
from fengdu_cli.errors import FengduError, UsageError
from fengdu_cli.io.columns import FOLDERS, KINDS
from fengdu_cli.messages import text
from fengdu_cli.validate import Checked

app = typer.Typer(
    name="fengdu",
    help="丰都县就业帮扶数据工具：花名册校验、数据比对、补贴发放。Fengdu employment-assistance toolkit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

KindOpt = Annotated[str, typer.Option("--kind", "-k", help=f"数据类型 kind: {' / '.join(KINDS)}")]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="只在标准输出打印 JSON 汇总 / print only the JSON summary")
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="不打印汇总表 / print nothing but errors")
]
LangOpt = Annotated[str, typer.Option("--lang", help="界面语言 zh|en")]
DebugOpt = Annotated[
    bool, typer.Option("--debug", help="出错时显示完整调用栈 / show the trace on errors")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="计算年龄的日期 YYYY-MM-DD，默认今天 / date ages are judged on"),
]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="输出文件夹 / output folder")]


def _console(stderr: bool = False) -> Console:
    width = int(os.environ.get("COLUMNS", "0") or 0) or None
    # error lines are never wrapped: one problem, one line (scripts grep them)
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=stderr)


def _guarded(func: Callable[..., int]) -> Callable[..., None]:
    """Run a command body; turn its result and its errors into the exit codes of DESIGN §2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> None:
        lang = kwargs.get("lang", "zh")
        try:
            if lang not in ("zh", "en"):
                raise UsageError("unknown_kind", kind=f"--lang {lang}", choices="zh / en")
            code = func(*args, **kwargs)
        except FengduError as exc:
            _console(stderr=True).print(
                f"[bold red]错误[/]：{exc.message(lang)}"
                if lang == "zh"
                else f"[bold red]Error[/]: {exc.message(lang)}"
            )
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if kwargs.get("debug"):
                raise
            log = _write_crash_log(exc)
            _console(stderr=True).print(text("internal", lang, error=type(exc).__name__, log=log))
            raise typer.Exit(5) from None
        raise typer.Exit(code)

    return wrapper


def _write_crash_log(exc: BaseException) -> Path:
    folder = Path(os.environ.get("FENGDU_LOG_DIR", "."))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"fengdu-error-{stamp}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"fengdu {__version__}\nargv: {sys.argv[1:]}\n\n"
            + "".join(traceback.format_exception(exc)),
            encoding="utf-8",
        )
    except OSError:
        path = Path("(日志无法写入)")
    return path


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise UsageError("unknown_kind", kind=kind, choices=" / ".join(KINDS))
    return kind


def _as_of(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError("bad_month", value=value) from None


def _print_json(data: dict) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# ---------------------------------------------------------------- rendering


def render_checked(checked: Checked, console: Console, lang: str, limit: int = 20) -> None:
    """Rows read / valid / rejected per file, problems by code, and the first problems."""
    from fengdu_cli.io.reports import _code_title

    zh = lang == "zh"
    if checked.unreadable and not checked.files:
        err = _console(stderr=True)
        for bad in checked.unreadable:
            err.print(("[bold red]错误[/]：" if zh else "[bold red]Error[/]: ") + bad.message)
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
    for notice in checked.notices:
        console.print(f"[yellow]{Path(notice.file).name}：{notice.message}[/]")
    for bad in checked.unreadable:
        _console(stderr=True).print(
            ("[bold red]错误[/]：" if zh else "[bold red]Error[/]: ") + bad.message
        )
    if len(checked.skipped):
        console.print(
            f"未计入人员的行（合计、表尾、重复表头等）：{len(checked.skipped)} 行，详见问题报告"
            if zh
            else f"Rows not counted as persons (subtotals, footers, repeated headers): {len(checked.skipped)}"
        )


def _exit_code(checked: Checked) -> int:
    if checked.unreadable:
        return 3
    return 1 if checked.has_problems() else 0


# ---------------------------------------------------------------- commands


@app.command()
@_guarded
def validate(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    kind: KindOpt = "roster",
    report: Annotated[
        Path | None, typer.Option("--report", help="问题报告 .xlsx / write the problem workbook")
    ] = None,
    return_dir: Annotated[
        Path | None,
        typer.Option("--return-dir", help="按乡镇写退回清单 / one return list per township"),
    ] = None,
    as_of: AsOfOpt = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """读取并校验表格，列出所有问题。Read files, normalise, check; report every problem."""
    from fengdu_cli.io.reports import write_problem_report, write_return_lists
    from fengdu_cli.validate import check_paths

    checked = check_paths(paths, _kind(kind), on=_as_of(as_of), lang=lang)
    written = []
    if report is not None:
        written.append(write_problem_report(checked, report, lang))
    if return_dir is not None:
        written.extend(write_return_lists(checked, return_dir, lang))
    if json_:
        _print_json(checked.summary())
    elif not quiet:
        console = _console()
        render_checked(checked, console, lang)
        for path in written:
            console.print(("已写入：" if lang == "zh" else "Written: ") + str(path))
    return _exit_code(checked)


@app.command()
@_guarded
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    kind: KindOpt = "roster",
    out: OutOpt = Path("out"),
    as_of: AsOfOpt = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """校验后汇总成一张干净的总表。Check, then write the clean consolidated table."""
    from fengdu_cli.ingest import ingest as run_ingest

    result = run_ingest(paths, _kind(kind), out, on=_as_of(as_of), lang=lang)
    if json_:
        _print_json(result.summary())
    elif not quiet:
        console = _console()
        render_checked(result.checked, console, lang)
        for path in result.written:
            console.print(("已写入：" if lang == "zh" else "Written: ") + str(path))
    return _exit_code(result.checked)


@app.command()
@_guarded
def demo(
    data: Annotated[
        Path, typer.Option("--data", help="示例数据文件夹 / sample data folder")
    ] = Path("sample_data"),
    out: OutOpt = Path("out"),
    make_data: Annotated[
        Path | None,
        typer.Option("--make-data", help="只生成示例数据到该文件夹 / only write sample data here"),
    ] = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """生成示例数据并跑一个月。Write a realistic sample month and run it."""
    from fengdu_cli.demo import run_demo
    from fengdu_cli.sample import make_sample

    if make_data is not None:
        manifest = make_sample(make_data)
        if json_:
            _print_json(
                {
                    "data": str(make_data),
                    "files": list(manifest.files),
                    "planted": len(manifest.planted),
                }
            )
        elif not quiet:
            _console().print(
                f"示例数据已写入 {make_data}：{len(manifest.files)} 个文件，{manifest.people} 人，"
                f"预置问题与场景 {len(manifest.planted)} 处（见 planted.json）"
            )
        return 0
    result = run_demo(data, out, lang=lang)
    if json_:
        _print_json(result.summary())
    elif not quiet:
        console = _console()
        for checked in result.checked.values():
            render_checked(checked, console, lang, limit=5)
        for path in result.written:
            console.print(("已写入：" if lang == "zh" else "Written: ") + str(path))
    return 0


MonthOpt = Annotated[str, typer.Option("--month", "-m", help="月份 YYYY-MM")]
DataOpt = Annotated[
    Path, typer.Option("--data", "-d", help="数据文件夹（rosters/ employment/ insurance/ …）")
]
DbOpt = Annotated[
    Path, typer.Option("--db", envvar="FENGDU_DB", help="SQLite 数据库 / database (env FENGDU_DB)")
]


def _month(value: str) -> int:
    from fengdu_cli.dates import parse_month

    try:
        return parse_month(value)
    except ValueError:
        raise UsageError("bad_month", value=value) from None


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
    for column in shown:
        view.add_column(column, justify="left" if column == "乡镇（街道）" else "right")
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


@app.command()
@_guarded
def reconcile(
    month: MonthOpt,
    data: DataOpt,
    out: OutOpt = Path("out"),
    db: DbOpt = Path("fengdu.db"),
    split_by_township: Annotated[
        bool,
        typer.Option(
            "--split-by-township", help="每个乡镇一个预警名单 / one workbook per township"
        ),
    ] = False,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """每月数据比对：就业、参保与预警。Cross-match roster, employment and insurance; raise warnings."""
    from fengdu_cli.io.reconcile_report import write_reconcile
    from fengdu_cli.monthly import reconcile_month

    result = reconcile_month(data, _month(month), db, lang=lang)
    written = write_reconcile(result, out, split_by_township=split_by_township)
    if json_:
        _print_json(result.summary())
    elif not quiet:
        console = _console()
        render_reconciled(result, console, lang)
        for path in written[:3]:
            console.print(("已写入：" if lang == "zh" else "Written: ") + str(path))
        if len(written) > 3:
            console.print(f"另有 {len(written) - 2} 个乡镇预警名单，位于 {Path(out) / 'townships'}")
    return 1 if result.has_problems() else 0


@app.command()
def version() -> None:
    """显示版本 / print the version."""
    typer.echo(f"fengdu {__version__}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and return its exit code (never a traceback on screen)."""
    try:
        app(args=argv, prog_name="fengdu")
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 2
    return 0


__all__ = ["FOLDERS", "app", "main"]
