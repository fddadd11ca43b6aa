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
import logging
import os
import secrets
import sqlite3
import sys
import traceback
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_type_hints

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import DBAPIError

from fengdu_cli import __version__, idcard
from fengdu_cli.cli import logs
from fengdu_cli.cli.console import screen
from fengdu_cli.config import PATH_KEYS, Settings, read_settings, settings_file
from fengdu_cli.errors import FengduError, LockError, UsageError
from fengdu_cli.messages import text
from fengdu_cli.progress import Progress

HELP = {"help_option_names": ["-h", "--help"]}
log = logging.getLogger(__name__)

app = typer.Typer(
    name="fengdu",
    help="丰都县就业帮扶数据工具：花名册校验、数据比对、补贴发放。Fengdu employment-assistance toolkit.",
    no_args_is_help=True,
    add_completion=True,
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
db_app = typer.Typer(
    help="数据库：升级表结构、复制历史 / the database: migrate its schema, copy a history",
    no_args_is_help=True,
    context_settings=HELP,
)
app.add_typer(policy_app, name="policy")
app.add_typer(ledger_app, name="ledger")
app.add_typer(db_app, name="db")

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = get_args(Lang)
LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="界面语言（也可写在子命令前）/ messages' language, before or after the command",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="设置文件（默认：当前文件夹的 fengdu.toml；环境变量 FENGDU_CONFIG）"
        " / settings file (default ./fengdu.toml, env FENGDU_CONFIG)",
    ),
]
VerboseOpt = Annotated[
    int,
    typer.Option(
        "--verbose",
        "-v",
        count=True,
        help="-v 说明处理过程（读取的文件、列的识别、各项规则的人数金额、所用数据库），-vv 更详细"
        " / -v says what the tool decided, -vv debug lines",
    ),
]


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
    lang: LangOpt = None,
    verbose: VerboseOpt = 0,
    config: ConfigOpt = None,
) -> None:
    """丰都县就业帮扶数据工具：花名册校验、数据比对、补贴发放。Fengdu employment-assistance toolkit."""


# ---------------------------------------------------------------- the options every command shares


@dataclass(frozen=True)
class Common:
    """What every command is told besides its own options."""

    json: bool = False  # print only the JSON summary on stdout
    quiet: bool = False
    lang: str = "zh"
    debug: bool = False  # let an unexpected error show its trace
    verbose: int = 0  # -v INFO lines on stderr, -vv DEBUG
    progress: Progress | None = None  # the progress display while the command runs, if any
    settings: Settings = field(
        default_factory=Settings
    )  # the county folder's fengdu.toml in force (maybe none)

    def steps_done(self) -> None:
        """The long steps are over: the progress display leaves the terminal before the
        command prints its result."""
        if isinstance(self.progress, logs.ProgressDisplay):
            self.progress.done()


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
    "lang": inspect.Parameter("lang", _KW, default=None, annotation=LangOpt),
    "verbose": inspect.Parameter("verbose", _KW, default=0, annotation=VerboseOpt),
    "config": inspect.Parameter("config", _KW, default=None, annotation=ConfigOpt),
    "debug": inspect.Parameter(
        "debug",
        _KW,
        default=False,
        annotation=Annotated[
            bool, typer.Option("--debug", help="出错时显示完整调用栈 / show the trace on errors")
        ],
    ),
}
ALWAYS = ("lang", "verbose", "debug", "config")
_CONTEXT = inspect.Parameter(
    "context", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
)


class OptionGroup:
    """Options that several commands share, declared once: a frozen dataclass (subclassing
    this) whose fields are annotated like a command's parameters.  A command's parameter
    annotated with such a class is shown as the class's options and handed over as one
    instance of it."""


def _group_fields(group: type[OptionGroup]) -> list[inspect.Parameter]:
    hints = get_type_hints(group, include_extras=True)
    return [
        inspect.Parameter(
            f.name,
            _KW,
            default=inspect.Parameter.empty if f.default is MISSING else f.default,
            annotation=hints[f.name],
        )
        for f in fields(group)  # type: ignore[arg-type]
    ]


def command(
    group: typer.Typer,
    name: str | None = None,
    *,
    common: Iterable[str] = ("json", "quiet"),
    settings: bool = True,
) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Register ``func(…own options…, *, common: Common) -> int`` as a command of ``group``:
    the shared options (--lang, -v, --debug, and those of ``common``: --json and --quiet unless
    fewer are named) are declared here once and handed over as one :class:`Common`; a
    parameter annotated with an :class:`OptionGroup` is shown as the group's options and
    handed over as one group; the exit code comes from :func:`run_guarded`.

    The county folder's fengdu.toml (:func:`settings_for`) fills in the paths (--data --out
    --db --policy --columns) an option does not give, unless ``settings`` is False (a command
    that makes folders rather than reads them)."""
    shared = (*common, *ALWAYS)

    def register(func: Callable[..., int]) -> Callable[..., int]:
        signature = inspect.signature(func, eval_str=True)
        own: list[inspect.Parameter] = []
        groups: dict[str, type[OptionGroup]] = {}
        for p in signature.parameters.values():
            if p.name == "common":
                continue
            if isinstance(p.annotation, type) and issubclass(p.annotation, OptionGroup):
                groups[p.name] = p.annotation
                own += _group_fields(p.annotation)
            else:
                own.append(p.replace(kind=_KW))
        shown = [_CONTEXT, *own, *(COMMON_OPTIONS[c] for c in shared)]

        def invoke(context: typer.Context, **kwargs: object) -> None:
            chosen: dict[str, Any] = {c: kwargs.pop(COMMON_OPTIONS[c].name) for c in shared}
            root = context.find_root().params
            # --lang after the command, else before it (fengdu --lang en validate …), else
            # FENGDU_LANG, else fengdu.toml's, else zh
            chosen["lang"] = chosen["lang"] or root.get("lang")
            chosen["verbose"] += root.get("verbose") or 0
            config = chosen.pop("config") or root.get("config")
            try:
                chosen["lang"] = chosen["lang"] or env_lang()
                chosen["settings"] = settings_for(context, kwargs, config, settings)
            except FengduError as exc:
                said = exc.message(chosen["lang"] or "zh")
                screen(stderr=True).print(said, markup=False)
                raise typer.Exit(exc.exit_code) from None
            chosen["lang"] = chosen["lang"] or chosen["settings"].values.get("lang", "zh")
            options = dict(kwargs)
            for pname, cls in groups.items():
                names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
                kwargs[pname] = cls(**{n: kwargs.pop(n) for n in names})
            called = "-".join(context.command_path.split()[1:]) or "fengdu"
            run_guarded(func, kwargs, Common(**chosen), options, called)

        invoke.__signature__ = signature.replace(parameters=shown)  # type: ignore[attr-defined]
        invoke.__annotations__ = {p.name: p.annotation for p in shown}
        invoke.__name__, invoke.__qualname__ = func.__name__, func.__qualname__
        invoke.__doc__, invoke.__module__ = func.__doc__, func.__module__
        group.command(name)(invoke)
        return func

    return register


def env_lang() -> str | None:
    """FENGDU_LANG, when set (zh or en; anything else is a usage error)."""
    value = os.environ.get("FENGDU_LANG", "").strip()
    if value and value not in LANGS:
        raise UsageError("lang_bad", value=value)
    return value or None


def settings_for(
    context: typer.Context, kwargs: dict[str, Any], config: Path | None, apply: bool
) -> Settings:
    """The county folder's fengdu.toml (``--config``, FENGDU_CONFIG, ./fengdu.toml), and, when
    ``apply``, its paths put into ``kwargs`` for each of --data --out --db --policy --columns
    the command has and was not given (on the command line or by its environment variable):
    option > environment > fengdu.toml > default."""
    settings = read_settings(settings_file(config, os.environ))
    if settings.file is not None:
        log.debug("settings %s", settings.file)
    if not apply:
        return settings
    month = kwargs.get("month")
    for key in PATH_KEYS:
        source = context.get_parameter_source(key) if key in kwargs else None
        if source is not None and source.name != "DEFAULT":  # given, or by its env variable
            continue
        if key in kwargs and (found := settings.where(key, month)) is not None:
            kwargs[key] = found
    return settings


def run_guarded(
    func: Callable[..., int],
    kwargs: dict,
    common: Common,
    options: dict | None = None,
    command: str = "fengdu",
) -> None:
    """Run a command body; turn its result and its errors into the exit codes of DESIGN §2.

    While it runs, the log lines go to stderr (and, for a command that writes outputs or
    uses the database, to its run log: see :func:`output_folder`), and its long steps may
    show a progress display (a terminal, neither --json nor --quiet)."""
    options = kwargs if options is None else options
    lang = common.lang
    console = Console(stderr=True)  # the log lines' and the progress display's
    folder: Path | None = None
    with ExitStack() as stack:
        try:
            folder = output_folder(options)
            logs_in = run_log_folder(folder)
            stack.enter_context(
                logs.logging_for(command, common.verbose, common.quiet, logs_in, lang, console)
            )
            log.info("fengdu %s %s, pid %d", __version__, command, os.getpid())
            with logs.progress_for(not (common.json or common.quiet), lang, console) as shown:
                code = func(**kwargs, common=replace(common, progress=shown))
        except FengduError as exc:
            message = exc.message(lang)
            word, colon = text("screen_error", lang), text("screen_colon", lang)
            screen(stderr=True).print(f"[bold red]{word}[/]{colon}{escape(message)}")
            _ended(exc.exit_code, message)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except (sqlite3.DatabaseError, DBAPIError) as exc:
            if common.debug:
                raise
            from fengdu_cli.store import target
            from fengdu_cli.store.database import server_said, unusable

            database = target(str(options.get("db", "fengdu.db")))
            # busy past the wait: another run holds it (4); a full disk, a read-only or damaged
            # file, a server gone: the database cannot be used (3) — a message naming it, never
            # a trace, nor the statement and its values (they may hold IDs)
            error: FengduError = (
                LockError("locked", path=database.shown)
                if "locked" in server_said(exc)
                else unusable(database, exc)
            )
            screen(stderr=True).print(escape(error.message(lang)))
            _ended(error.exit_code, error.message(lang))
            raise typer.Exit(error.exit_code) from None
        except Exception as exc:
            if common.debug:
                raise
            crash = write_crash_log(exc, crash_log_folder(folder))
            where = str(crash) if crash is not None else text("screen_log_unwritable", lang)
            said = text("internal", lang, error=type(exc).__name__, log=where)
            screen(stderr=True).print(escape(said))
            _ended(5, said)
            raise typer.Exit(5) from None
        _ended(code)
    raise typer.Exit(code)


def _ended(code: int, message: str = "") -> None:
    """The run's last line in its log (the screen has said it already)."""
    log.info("exit %d%s", code, f": {message}" if message else "", extra={"run_log_only": True})


def output_folder(options: dict) -> Path | None:
    """The folder a command writes into, as fengdu.toml resolves it: ``--out``, else the
    folder of ``--report`` or the one holding ``--return-dir``, else the database's; None for a command that
    writes nothing and uses no database."""
    out, db = options.get("out"), options.get("db")
    if options.get("data") is not None and db is not None:
        from fengdu_cli.config import resolve

        db, out = resolve(db, out, options["data"], "FENGDU_DB" in os.environ)
    if out is not None:
        return Path(out)
    if options.get("report") is not None:
        return Path(options["report"]).parent
    if options.get("return_dir") is not None:  # its lists are sent out: beside it, not in it
        return Path(options["return_dir"]).parent
    if db is None:
        return None
    from fengdu_cli import store

    where = store.target(db)  # a server's database: the run log in the output folder
    return where.path.parent if where.path is not None else Path("out")


def crash_log_folder(folder: Path | None) -> Path:
    """Where a crash log goes: FENGDU_LOG_DIR, else the command's :func:`output_folder`,
    else here."""
    if os.environ.get("FENGDU_LOG_DIR"):
        return Path(os.environ["FENGDU_LOG_DIR"])
    return folder if folder is not None else Path(".")


def run_log_folder(folder: Path | None) -> Path | None:
    """Where a run's log goes: FENGDU_LOG_DIR, else ``logs/`` in the command's
    :func:`output_folder` (beside the crash logs); None for a command that writes nothing."""
    if folder is None:
        return None
    if os.environ.get("FENGDU_LOG_DIR"):
        return Path(os.environ["FENGDU_LOG_DIR"])
    return folder / "logs"


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
