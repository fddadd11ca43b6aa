"""The ``fengdu`` application: its groups, the options every command shares, and the one
place where errors become exit codes.

No business logic lives in the command line.  A command parses its options, calls one
library function and renders the result.  Errors from the library carry their exit code
(:mod:`fengdu_cli.errors`) and are caught once, in :func:`run_guarded`; anything else is a
bug: the trace goes to a log file and the screen says where (exit 5), unless ``--debug``
asks for the trace.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import secrets
import sqlite3
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, NamedTuple

import typer
from rich.markup import escape

from fengdu_cli import __version__, idcard
from fengdu_cli.cli.console import screen
from fengdu_cli.errors import FengduError, InputError, LockError, UsageError
from fengdu_cli.messages import text

HELP = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="fengdu",
    help="丰都县就业帮扶数据工具：花名册校验、数据比对、补贴发放。Fengdu employment-assistance toolkit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=HELP,
)
policy_app = typer.Typer(
    help="政策文件：查看与检查 / the policy in force", no_args_is_help=True, context_settings=HELP
)
ledger_app = typer.Typer(
    help="发放台账：查看、冲销、检查 / the payment ledger",
    no_args_is_help=True,
    context_settings=HELP,
)
app.add_typer(policy_app, name="policy")
app.add_typer(ledger_app, name="ledger")

LANGS = ("zh", "en")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"fengdu {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="显示版本 / the version"
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="界面语言 zh|en（也可写在子命令后）/ before or after the command"
        ),
    ] = None,
) -> None:
    """丰都县就业帮扶数据工具：花名册校验、数据比对、补贴发放。Fengdu employment-assistance toolkit."""


# ---------------------------------------------------------------- the options every command shares


class Common(NamedTuple):
    """What every command is told besides its own options."""

    json: bool = False  # print only the JSON summary on stdout
    quiet: bool = False
    lang: str = "zh"
    debug: bool = False  # let an unexpected error show its trace


_KW = inspect.Parameter.KEYWORD_ONLY
COMMON_OPTIONS: dict[str, inspect.Parameter] = {
    "json": inspect.Parameter(
        "json_",
        _KW,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option("--json", help="只在标准输出打印 JSON 汇总 / print only the JSON summary"),
        ],
    ),
    "quiet": inspect.Parameter(
        "quiet",
        _KW,
        default=False,
        annotation=Annotated[
            bool, typer.Option("--quiet", "-q", help="不打印汇总表 / print nothing but errors")
        ],
    ),
    "lang": inspect.Parameter(
        "lang",
        _KW,
        default=None,
        annotation=Annotated[str | None, typer.Option("--lang", help="界面语言 zh|en")],
    ),
    "debug": inspect.Parameter(
        "debug",
        _KW,
        default=False,
        annotation=Annotated[
            bool, typer.Option("--debug", help="出错时显示完整调用栈 / show the trace on errors")
        ],
    ),
}
ALL_COMMON = ("json", "quiet", "lang", "debug")
_CONTEXT = inspect.Parameter(
    "context", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
)


def command(
    group: typer.Typer, name: str | None = None, *, common: Iterable[str] = ALL_COMMON
) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Register ``func(…own options…, *, common: Common) -> int`` as a command of ``group``:
    the shared options (``common``, all four unless fewer are named) are declared here once
    and handed over as one :class:`Common`; the exit code comes from :func:`run_guarded`."""
    shared = tuple(common)

    def register(func: Callable[..., int]) -> Callable[..., int]:
        signature = inspect.signature(func, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "common"]
        shown = [_CONTEXT, *own, *(COMMON_OPTIONS[c] for c in shared)]

        def invoke(context: typer.Context, **kwargs: object) -> None:
            chosen = {c: kwargs.pop(COMMON_OPTIONS[c].name) for c in shared}
            # --lang after the command, else before it (fengdu --lang en validate …), else zh
            chosen["lang"] = chosen.get("lang") or context.find_root().params.get("lang") or "zh"
            run_guarded(func, kwargs, Common(**chosen))  # type: ignore[arg-type]

        invoke.__signature__ = signature.replace(parameters=shown)  # type: ignore[attr-defined]
        invoke.__annotations__ = {p.name: p.annotation for p in shown}
        invoke.__name__, invoke.__qualname__ = func.__name__, func.__qualname__
        invoke.__doc__, invoke.__module__ = func.__doc__, func.__module__
        group.command(name)(invoke)
        return func

    return register


def run_guarded(func: Callable[..., int], kwargs: dict, common: Common) -> None:
    """Run a command body; turn its result and its errors into the exit codes of DESIGN §2."""
    lang = common.lang
    try:
        if lang not in LANGS:
            lang = "zh"
            raise UsageError("unknown_kind", kind=f"--lang {common.lang}", choices="zh / en")
        code = func(**kwargs, common=common)
    except FengduError as exc:
        message = escape(exc.message(lang))
        word, colon = text("screen_error", lang), text("screen_colon", lang)
        screen(stderr=True).print(f"[bold red]{word}[/]{colon}{message}")
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except sqlite3.DatabaseError as exc:
        if common.debug:
            raise
        db = str(kwargs.get("db", "fengdu.db"))
        # busy past the wait: another run holds it (4); a full disk, a read-only or damaged
        # file: the database cannot be used (3) — a message naming it, never a trace
        error: FengduError = (
            LockError("locked", path=db)
            if "locked" in str(exc)
            else InputError("db_unusable", path=db, detail=str(exc))
        )
        screen(stderr=True).print(escape(error.message(lang)))
        raise typer.Exit(error.exit_code) from None
    except Exception as exc:
        if common.debug:
            raise
        log = write_crash_log(exc, log_folder(kwargs))
        where = str(log) if log is not None else text("screen_log_unwritable", lang)
        said = text("internal", lang, error=type(exc).__name__, log=where)
        screen(stderr=True).print(escape(said))
        raise typer.Exit(5) from None
    raise typer.Exit(code)


def log_folder(options: dict) -> Path:
    """Where a crash log goes: FENGDU_LOG_DIR, else the output folder, else the database's."""
    if os.environ.get("FENGDU_LOG_DIR"):
        return Path(os.environ["FENGDU_LOG_DIR"])
    if options.get("out"):
        return Path(options["out"])
    return Path(options["db"]).parent if options.get("db") else Path(".")


def write_crash_log(exc: BaseException, folder: Path) -> Path | None:
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
        return None  # said on screen: the log could not be written
    return path


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
