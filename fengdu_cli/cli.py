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
import re
import secrets
import sqlite3
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fengdu_cli import __version__, dates, idcard
from fengdu_cli.errors import FengduError, InputError, LockError, UsageError
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
NoHistoryOpt = Annotated[
    bool,
    typer.Option(
        "--no-history",
        help="确认以往没有手工发放记录，允许在台账无历史时入账 / commit with no past payments on purpose",
    ),
]
NewDbOpt = Annotated[
    bool,
    typer.Option(
        "--new-db", help="数据库不存在时新建（入账默认不新建）/ create the database on purpose"
    ),
]
ColumnsOpt = Annotated[
    Path | None,
    typer.Option(
        "--columns",
        help="列识别设置 columns.toml（默认：数据文件夹中的 columns.toml）/ column settings file",
    ),
]


# Control characters a cell may hold (an escape sequence would drive the clerk's terminal).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class SafeConsole(Console):
    """A console that never prints a control character from the data: text and table cells
    are cleaned, and table cells are shown literally (a cell is data, not markup)."""

    def print(self, *objects, **kwargs) -> None:  # type: ignore[override]
        super().print(*(_screen_safe(o) for o in objects), **kwargs)


def _screen_safe(obj: object) -> object:
    if isinstance(obj, str):
        return _CONTROL.sub("", obj)
    if isinstance(obj, Table):
        for column in obj.columns:
            column._cells = [  # rich keeps the cells here; they are ours to clean
                escape(_CONTROL.sub("", c)) if isinstance(c, str) else c for c in column._cells
            ]
    return obj


def _console(stderr: bool = False) -> Console:
    width = int(os.environ.get("COLUMNS", "0") or 0) or None
    # error lines are never wrapped: one problem, one line (scripts grep them)
    return SafeConsole(stderr=stderr, width=width, highlight=False, soft_wrap=stderr)


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
            message = escape(exc.message(lang))
            _console(stderr=True).print(
                f"[bold red]错误[/]：{message}"
                if lang == "zh"
                else f"[bold red]Error[/]: {message}"
            )
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except sqlite3.DatabaseError as exc:
            if kwargs.get("debug"):
                raise
            db = str(kwargs.get("db", "fengdu.db"))
            # busy past the wait: another run holds it (4); a full disk, a read-only or damaged
            # file: the database cannot be used (3) — a message naming it, never a trace
            error: FengduError = (
                LockError("locked", path=db)
                if "locked" in str(exc)
                else InputError("db_unusable", path=db, detail=str(exc))
            )
            _console(stderr=True).print(escape(error.message(lang)))
            raise typer.Exit(error.exit_code) from None
        except Exception as exc:
            if kwargs.get("debug"):
                raise
            log = _write_crash_log(exc, _log_folder(kwargs))
            _console(stderr=True).print(text("internal", lang, error=type(exc).__name__, log=log))
            raise typer.Exit(5) from None
        raise typer.Exit(code)

    return wrapper


def _log_folder(options: dict) -> Path:
    """Where a crash log goes: FENGDU_LOG_DIR, else the output folder, else the database's."""
    if os.environ.get("FENGDU_LOG_DIR"):
        return Path(os.environ["FENGDU_LOG_DIR"])
    if options.get("out"):
        return Path(options["out"])
    return Path(options["db"]).parent if options.get("db") else Path(".")


def _write_crash_log(exc: BaseException, folder: Path) -> Path:
    """The trace for the maintainers: IDs masked, readable by its owner only, a unique name."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"fengdu-error-{stamp}-{os.getpid()}-{secrets.token_hex(2)}.log"
    body = f"fengdu {__version__}\nargv: {sys.argv[1:]}\n\n" + "".join(
        traceback.format_exception(exc)
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as log:
            log.write(idcard.mask_in_text(body))
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
    render_gaps(checked.problems, console)
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


def _config_paths(db: Path, out: Path | None, data: Path) -> tuple[Path, Path]:
    """--db and --out as given, else as the month folder's fengdu.toml says."""
    from fengdu_cli.config import resolve

    resolved_db, resolved_out = resolve(db, out, data, "FENGDU_DB" in os.environ)
    return resolved_db, resolved_out if resolved_out is not None else Path("out")


def say_ledger(db: Path, lang: str = "zh") -> None:
    """Which ledger this command works on, on stderr (a mistyped --db is seen at once)."""
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
    _console(stderr=True).print(line, markup=False)


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
    columns: ColumnsOpt = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """读取并校验表格，列出所有问题。Read files, normalise, check; report every problem."""
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.reports import write_problem_report, write_return_lists
    from fengdu_cli.validate import check_paths

    config = columns_for(columns, list(paths))
    checked = check_paths(paths, _kind(kind), on=_as_of(as_of), lang=lang, columns=config)
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


@app.command("init")
@_guarded
def init(
    folder: Annotated[Path, typer.Argument(help="月度数据文件夹 / the month folder")],
    db: DbOpt = Path("fengdu.db"),
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """建立月度数据文件夹（各类数据的子文件夹、fengdu.toml）和台账数据库。"""
    from fengdu_cli.config import init_folder

    made = init_folder(folder, db)
    console = _console()
    for path in made:
        console.print(("已建立：" if lang == "zh" else "Created: ") + str(path), markup=False)
    if not made:
        console.print(
            "文件夹和台账都已存在，未做改动" if lang == "zh" else "Everything exists already"
        )
    say_ledger(db, lang)
    return 0


@app.command("columns")
@_guarded
def columns_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="文件或文件夹 / files or folders")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", "-k", help=f"数据类型（默认按文件夹或表头判断）: {' / '.join(KINDS)}"
        ),
    ] = None,
    columns: ColumnsOpt = None,
    check: Annotated[
        Path | None, typer.Option("--check", help="检查一个 columns.toml / check a columns.toml")
    ] = None,
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """每一列被识别成什么、怎样识别的。How each header was recognised (alias / keywords / values)."""
    from fengdu_cli.io.columns_toml import check_columns, columns_for
    from fengdu_cli.validate import describe_columns

    if check is not None:
        problems = check_columns(check)
        if problems and problems[0].code == "path_missing":
            from fengdu_cli.errors import InputError

            raise InputError("path_missing", path=str(check))
        if json_:
            _print_json(
                {
                    "file": str(check),
                    "ok": not problems,
                    "problems": [
                        {"code": p.code, "line": p.line, "message": p.message(lang)}
                        for p in problems
                    ],
                }
            )
        else:
            console = _console()
            if not problems:
                console.print(f"{check}：列识别设置无误" if lang == "zh" else f"{check}: OK")
            for p in problems:
                console.print(f"{check}：{p.message(lang)}", soft_wrap=True, markup=False)
        return 1 if problems else 0
    if not paths:
        raise UsageError("columns_no_paths")
    config = columns_for(columns, list(paths))
    found = describe_columns(paths, _kind(kind) if kind else None, columns=config)
    if json_:
        _print_json(
            {
                "columns_file": config.path,
                "kinds": {
                    k: {
                        key: c.summary()[key]
                        for key in ("files", "columns", "missing_columns", "unreadable")
                    }
                    for k, c in found.items()
                },
            }
        )
    else:
        render_columns(found, _console(), lang, config.path)
    if any(c.unreadable for c in found.values()):
        return 3
    return 1 if any(c.gaps for c in found.values()) else 0


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
            _console(stderr=True).print(
                ("[bold red]错误[/]：" if zh else "[bold red]Error[/]: ") + escape(bad.message)
            )


def _display(kind: str, column: str) -> str:
    from fengdu_cli.io.columns import display_name

    return display_name(kind, column)


@app.command()
@_guarded
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹 / files or folders")],
    kind: KindOpt = "roster",
    out: OutOpt = Path("out"),
    as_of: AsOfOpt = None,
    columns: ColumnsOpt = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """校验后汇总成一张干净的总表。Check, then write the clean consolidated table."""
    from fengdu_cli.ingest import ingest as run_ingest
    from fengdu_cli.io.columns_toml import columns_for

    config = columns_for(columns, list(paths))
    result = run_ingest(paths, _kind(kind), out, on=_as_of(as_of), lang=lang, columns=config)
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
        if result.reconciled is not None:
            render_reconciled(result.reconciled, console, lang)
        if result.subsidies is not None:
            render_subsidy(result.subsidies, console, lang)
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
    columns: ColumnsOpt = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """每月数据比对：就业、参保与预警。Cross-match roster, employment and insurance; raise warnings."""
    db, out = _config_paths(db, out, data)
    if not (quiet or json_):
        say_ledger(db, lang)
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.reconcile_report import write_reconcile
    from fengdu_cli.monthly import reconcile_month

    config = columns_for(columns, [data])
    result = reconcile_month(data, _month(month), db, lang=lang, columns=config)
    written = write_reconcile(result, out, split_by_township=split_by_township)
    if json_:
        _print_json(result.summary())
    elif not quiet:
        console = _console()
        render_reconciled(result, console, lang)
        for path in written[:2]:
            console.print(("已写入：" if lang == "zh" else "Written: ") + str(path))
        if len(written) > 2:
            console.print(f"乡镇预警名单 {len(written) - 2} 个，位于 {Path(out) / 'townships'}")
    return 1 if result.has_problems() else 0


PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", help="政策文件 TOML（默认使用内置政策）/ policy file")
]


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


@app.command()
@_guarded
def subsidy(
    month: MonthOpt,
    data: DataOpt,
    out: OutOpt = Path("out"),
    db: DbOpt = Path("fengdu.db"),
    policy: PolicyOpt = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="把本月名单记入台账 / record the lines in the ledger")
    ] = False,
    no_history: NoHistoryOpt = False,
    new_db: NewDbOpt = False,
    columns: ColumnsOpt = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """计算补贴，生成发放花名册、银行文件和公示名单。Compute the month's subsidy lists."""
    db, out = _config_paths(db, out, data)
    if not (quiet or json_):
        say_ledger(db, lang)
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.subsidy_files import compute_and_write

    config = columns_for(columns, [data])
    result, written = compute_and_write(
        data, _month(month), db, out, policy_path=policy, commit=commit, lang=lang,
        columns=config, no_history=no_history, new_db=new_db,
    )  # fmt: skip
    if json_:
        _print_json(result.summary())
    elif not quiet:
        console = _console()
        render_subsidy(result, console, lang)
        for path in written:
            console.print(("已写入：" if lang == "zh" else "Written: ") + str(path))
    rejected = any(c.rows_rejected or c.gaps for c in result.checked.values())
    return 1 if rejected or len(result.undetermined()) else 0


@app.command()
@_guarded
def explain(
    id_number: Annotated[
        str, typer.Argument(help="身份证号码或统一社会信用代码 / ID number or credit code")
    ],
    month: MonthOpt,
    data: DataOpt,
    db: DbOpt = Path("fengdu.db"),
    policy: PolicyOpt = None,
    columns: ColumnsOpt = None,
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """说明某人（或某单位）每项补贴发或不发的原因。Why this person got, or did not get, each subsidy."""
    db, _ = _config_paths(db, None, data)
    if not json_:
        say_ledger(db, lang)
    from fengdu_cli.explain import explain as run_explain
    from fengdu_cli.io.columns_toml import columns_for

    config = columns_for(columns, [data])
    result = run_explain(
        id_number, _month(month), data, db, policy_path=policy, lang=lang, columns=config
    )
    if json_:
        _print_json(result.to_dict())
        return 0 if result.provenance.get("found_in") else 1
    console = _console()
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


policy_app = typer.Typer(help="政策文件：查看与检查 / the policy in force", no_args_is_help=True)
ledger_app = typer.Typer(
    help="发放台账：查看、冲销、检查 / the payment ledger", no_args_is_help=True
)
app.add_typer(policy_app, name="policy")
app.add_typer(ledger_app, name="ledger")


@policy_app.command("show")
@_guarded
def policy_show(
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="月份 YYYY-MM（默认本月）")
    ] = None,
    policy: PolicyOpt = None,
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """列出每项补贴的状态（有效/已到期/未配置）、金额和依据。"""
    from fengdu_cli.policy import load_policy, policy_table

    m = _month(month) if month else dt.date.today().year * 100 + dt.date.today().month
    table = policy_table(load_policy(policy), m)
    if json_:
        _print_json(table)
        return 0
    view = Table(title=f"{table['month']} 政策（{table['policy']['path']}）")
    for head in ("代码", "名称", "状态", "金额与条件", "依据"):
        view.add_column(head, overflow="fold")
    for rule in table["rules"]:
        values = "；".join(
            f"{k}={'/'.join(map(str, v)) if isinstance(v, list | tuple) else v}"
            for k, v in rule["values"].items()
        )
        view.add_row(rule["code"], rule["name"], rule["status"], values, rule["source"])
    _console().print(view)
    return 0


@policy_app.command("check")
@_guarded
def policy_check(
    file: Annotated[Path, typer.Argument(help="政策文件 TOML")],
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """检查政策文件：类型、重叠期间、未知项。"""
    from fengdu_cli.errors import InputError
    from fengdu_cli.policy import check_policy

    if not file.exists():
        raise InputError("path_missing", path=str(file))
    problems = check_policy(file)
    if json_:
        _print_json(
            {"file": str(file), "ok": not problems, "problems": [p.__dict__ for p in problems]}
        )
    else:
        console = _console()
        if not problems:
            console.print(f"{file}：政策文件无误")
        for p in problems:
            console.print(f"{file}：{p.message}", soft_wrap=True, markup=False)
    return 1 if problems else 0


@ledger_app.command("show")
@_guarded
def ledger_show(
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="月份 YYYY-MM（默认全部）")
    ] = None,
    db: DbOpt = Path("fengdu.db"),
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """已入账的批次和发放记录（含冲销）。"""
    if not json_:
        say_ledger(db, lang)
    from fengdu_cli import ledger
    from fengdu_cli.money import yuan_text

    if not Path(db).exists():
        from fengdu_cli.errors import InputError

        raise InputError("path_missing", path=str(db))
    conn = ledger.connect(db)
    try:
        m = _month(month) if month else None
        batches = ledger.batches(conn)
        if m:
            batches = batches[batches["month"] == m]
        entries = ledger.ledger_entries(conn, m)
    finally:
        conn.close()
    if json_:
        _print_json(
            {
                "batches": batches.to_dict("records"),
                "entries": len(entries),
                "total": int(entries["amount_fen"].sum()) / 100 if len(entries) else 0,
            }
        )
        return 0
    view = Table(title="发放台账")
    for head in ("批次", "类型", "月份", "入账时间", "笔数", "金额（元）", "冲销"):
        # a batch id and a month are read whole (two batches must not look alike), others wrap
        view.add_column(head, no_wrap=head in ("批次", "月份"), overflow="fold")
    for b in batches.itertuples(index=False):
        void = f"已冲销：{b.void_reason}（{b.voided}）" if isinstance(b.void_reason, str) else ""
        kind = "导入以往发放" if b.kind == "import" else "月度入账"
        month = dates.month_text(int(b.month)) + ("起" if b.kind == "import" else "")
        view.add_row(
            b.batch_id, kind, month, b.committed, str(b.lines), yuan_text(int(b.total_fen)), void
        )
    console = _console()
    console.print(view)
    if len(entries):
        net = entries.groupby("rule")["amount_fen"].sum()
        console.print(
            "净额（发放减冲销）：" + "，".join(f"{r} {yuan_text(int(v))}" for r, v in net.items())
        )
    return 0


@ledger_app.command("void")
@_guarded
def ledger_void(
    reason: Annotated[str, typer.Option("--reason", help="冲销原因（必填）")],
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="冲销该月的入账批次 / the month's batch")
    ] = None,
    batch: Annotated[
        str | None,
        typer.Option("--batch", help="冲销指定批次（如导入批次 IMPORT-R3）/ a batch by its id"),
    ] = None,
    db: DbOpt = Path("fengdu.db"),
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """冲销某月的入账批次或某个导入批次（记录冲销分录，不修改不删除原记录）。"""
    if not json_:
        say_ledger(db, lang)
    from fengdu_cli import ledger
    from fengdu_cli.money import yuan_text

    if not reason.strip():
        raise UsageError("void_reason")
    if (month is None) == (batch is None):
        raise UsageError("void_what")
    with ledger.hold_lock(db):
        conn = ledger.connect(db, create=False)
        try:
            done = (
                ledger.void_batch(conn, batch, reason.strip())
                if batch
                else ledger.void_month(conn, _month(month or ""), reason.strip())
            )
        finally:
            conn.close()
    if done is None:
        raise UsageError("nothing_to_void", month=month or batch)
    batch_id, n, fen = done
    if json_:
        _print_json({"batch_id": batch_id, "reversed": n, "amount": fen / 100, "reason": reason})
    else:
        _console().print(f"已冲销批次 {batch_id}：{n} 笔，{yuan_text(fen)} 元；原因：{reason}")
    return 0


@ledger_app.command("files")
@_guarded
def ledger_files(
    month: MonthOpt,
    out: OutOpt = Path("out"),
    db: DbOpt = Path("fengdu.db"),
    policy: PolicyOpt = None,
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """重新写出某月已入账批次的发放文件（花名册、CSV、公示名单），内容取自台账。"""
    if not json_:
        say_ledger(db, lang)
    from fengdu_cli.io.subsidy_files import rewrite_batch_files

    result, written = rewrite_batch_files(_month(month), db, out, policy)
    if json_:
        _print_json({"batch_id": result.batch_id, "written": [str(p) for p in written]})
    else:
        console = _console()
        console.print(f"批次 {result.batch_id}：{len(result.lines)} 笔")
        for path in written:
            console.print(("已写入：" if lang == "zh" else "Written: ") + str(path))
    return 0


@ledger_app.command("import")
@_guarded
def ledger_import(
    files: Annotated[
        list[Path], typer.Argument(help="以往的发放名单（花名册）/ past payment lists")
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
    db: DbOpt = Path("fengdu.db"),
    new_db: NewDbOpt = False,
    policy: PolicyOpt = None,
    columns: ColumnsOpt = None,
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """导入工具启用前已发放的名单，使一次性、每年一次和封顶的补贴不再重复发放。"""
    if not json_:
        say_ledger(db, lang)
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
        _print_json(plan.summary())
    else:
        render_import(plan, _console(), commit)
    return 1 if len(plan.problems) else 0


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


@ledger_app.command("check")
@_guarded
def ledger_check(
    db: DbOpt = Path("fengdu.db"),
    json_: JsonOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """检查台账完整性：同一补贴未重复发放、冲销与原记录相符、批次合计一致。"""
    if not json_:
        say_ledger(db, lang)
    from fengdu_cli import ledger

    if not Path(db).exists():
        raise InputError("path_missing", path=str(db))
    conn = ledger.connect(db, inspect=True)  # a ledger refused elsewhere is looked into here
    try:
        problems = ledger.check_ledger(conn)
    finally:
        conn.close()
    if json_:
        _print_json({"ok": not problems, "problems": problems})
    else:
        console = _console()
        console.print("台账检查通过" if not problems else "\n".join(problems))
    return 1 if problems else 0


@app.command("run")
@_guarded
def run_month(
    month: MonthOpt,
    data: DataOpt,
    out: OutOpt = Path("out"),
    db: DbOpt = Path("fengdu.db"),
    policy: PolicyOpt = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="补贴名单入账 / record the lines in the ledger")
    ] = False,
    no_history: NoHistoryOpt = False,
    new_db: NewDbOpt = False,
    columns: ColumnsOpt = None,
    json_: JsonOpt = False,
    quiet: QuietOpt = False,
    lang: LangOpt = "zh",
    debug: DebugOpt = False,
) -> int:
    """每月一次跑完：校验 → 比对 → 补贴（供定时任务使用）。validate → reconcile → subsidy, for cron."""
    db, out = _config_paths(db, out, data)
    if not (quiet or json_):
        say_ledger(db, lang)
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.io.reconcile_report import write_reconcile
    from fengdu_cli.io.reports import write_problem_report, write_return_lists
    from fengdu_cli.io.subsidy_files import compute_and_write
    from fengdu_cli.monthly import reconcile_month
    from fengdu_cli.subsidy import read_month

    m = _month(month)
    if commit and not new_db and not Path(db).exists():  # reconcile would create it: refuse first
        raise UsageError("db_missing", path=str(db))
    checked = read_month(data, m, lang, columns_for(columns, [data]))  # read once, used twice
    reconciled = reconcile_month(data, m, db, lang=lang, checked=checked)
    roster = reconciled.checked["roster"]
    label = Path(out)
    written = [write_problem_report(roster, label / "roster-problems.xlsx", lang)]
    written += write_return_lists(roster, label / "退回清单", lang)
    written += write_reconcile(reconciled, out, split_by_township=True)
    subsidies, files = compute_and_write(
        data, m, db, out, policy_path=policy, commit=commit, lang=lang, checked=checked,
        no_history=no_history, new_db=new_db,
    )  # fmt: skip
    written += files
    if json_:
        _print_json(
            {
                "reconcile": reconciled.summary(),
                "subsidy": subsidies.summary(),
                "written": [str(p) for p in written],
            }
        )
    elif not quiet:
        console = _console()
        render_reconciled(reconciled, console, lang)
        render_subsidy(subsidies, console, lang)
        console.print(f"已写入 {len(written)} 个文件，位于 {out}")
    return 1 if reconciled.has_problems() or len(subsidies.undetermined()) else 0


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
