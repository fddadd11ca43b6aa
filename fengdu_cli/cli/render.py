"""What the commands print: tables and lines for the clerk, built from library results, in
the clerk's language (every word from :mod:`fengdu_cli.messages`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fengdu_cli import dates, idcard
from fengdu_cli.cells import records
from fengdu_cli.cli.app import Common
from fengdu_cli.cli.console import screen
from fengdu_cli.messages import CATALOGUES, rule_title, text
from fengdu_cli.messages.problems import problem_words
from fengdu_cli.validate import Checked


def words(lang: str) -> Callable[..., str]:
    """``say(key, **params)``: the catalogue sentence ``screen_<key>`` in ``lang``."""
    return lambda key, **params: text(f"screen_{key}", lang, **params)


def headed(title: str, heads: list[str], right: tuple[str, ...] = (), **options: Any) -> Table:
    """A table with these column heads (the ones in ``right`` right-aligned)."""
    view = Table(title=title)
    for head in heads:
        view.add_column(head, justify="right" if head in right else "left", **options)
    return view


def place_of(file: str, sheet: str, lang: str) -> str:
    """A file and its sheet as a screen names them."""
    return text("place_sheet", lang, file=file, sheet=sheet) if sheet else file


def print_error(message: str, lang: str) -> None:
    say = words(lang)
    screen(stderr=True).print(f"[bold red]{say('error')}[/]{say('colon')}" + escape(message))


def render_checked(checked: Checked, console: Console, lang: str, limit: int = 20) -> None:
    """Rows read / valid / rejected per file, problems by code, and the first problems."""
    from fengdu_cli.io.reports import code_title

    say = words(lang)
    if checked.unreadable and not checked.files:
        for bad in checked.unreadable:
            print_error(bad.message(lang), lang)
        return
    heads = [say("file"), say("read"), say("valid"), say("rejected")]
    table = headed(say("read_title", kind=checked.kind), heads, tuple(heads[1:]))
    for rec in records(checked.per_file):
        table.add_row(
            Path(rec.file).name, str(rec.rows_read), str(rec.rows_valid), str(rec.rows_rejected)
        )
    table.add_row(
        say("total"),
        str(checked.rows_read),
        str(checked.rows_valid),
        str(checked.rows_rejected),
        style="bold",
    )
    console.print(table)
    counts = checked.problem_counts()
    if counts:
        heads = [say("meaning"), say("count")]
        by_code = headed(say("problems_by_code"), heads, (heads[1],))
        for code, n in counts.items():
            by_code.add_row(code_title(code, lang), str(n))
        console.print(by_code)
        heads = [say("file"), say("row"), say("column"), say("value"), say("problem")]
        first = headed(say("first_problems", limit=limit), heads, overflow="fold")
        for rec in records(problem_words(checked.problems.head(limit), lang)):
            where = place_of(Path(rec.file).name, rec.sheet, lang)
            first.add_row(where, str(rec.row), rec.header, rec.value, rec.message)
        console.print(first)
    render_gaps(checked.problems, console, lang)
    for notice in checked.notices:
        line = Path(notice.file).name + say("colon") + notice.message(lang)
        console.print(f"[yellow]{escape(line)}[/]")
    for bad in checked.unreadable:
        print_error(bad.message(lang), lang)
    if len(checked.skipped):
        console.print(say("rows_not_counted", n=len(checked.skipped)))


def render_gaps(
    problems: pd.DataFrame,
    console: Console,
    lang: str,
    file: str | None = None,
    sheet: str | None = None,
) -> None:
    """Each column a file lacks or holds twice, in red: the persons and codes it leaves
    unjudged (of one file and sheet when given)."""
    file_level = problems[problems["code"].isin(("missing_column", "ambiguous_column"))]
    if file is not None:
        file_level = file_level[file_level["file"].eq(file) & file_level["sheet"].eq(sheet or "")]
    for rec in records(problem_words(file_level, lang)):
        where = place_of(rec.file, rec.sheet, lang)
        line = text("screen_gap", lang, where=where, row=rec.row, message=rec.message)
        console.print(f"[bold red]{escape(line)}[/]")


def say_ledger(db: str | Path, common: Common) -> None:
    """Which ledger this command works on, on stderr (a mistyped --db is seen at once);
    nothing with --json or --quiet."""
    if common.json or common.quiet:
        return
    from fengdu_cli import store

    say = words(common.lang)
    info = store.describe(db)
    if not info["exists"]:
        line = say("ledger_missing", path=info["path"])
    elif info["unread"]:
        line = say("ledger_unread", path=info["path"])
    elif not info["batches"] and not info["imports"]:
        line = say("ledger_empty", path=info["path"])
    else:
        span = (
            say("ledger_span", first=dates.month_text(info["first_month"]),
                last=dates.month_text(info["last_month"]))
            if info["batches"]
            else ""
        )  # fmt: skip
        line = say("ledger_holds", path=info["path"], batches=info["batches"], span=span,
                   imports=info["imports"])  # fmt: skip
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

    say = words(lang)
    if toml:
        console.print(say("column_settings", path=toml))
    for kind, checked in found.items():
        columns = checked.columns
        sheets = columns[["file", "sheet"]].drop_duplicates().itertuples(index=False, name=None)
        for file, sheet in sheets:
            rows = columns[columns["file"].eq(file) & columns["sheet"].eq(sheet)]
            where = text("place_sheet", lang, file=file, sheet=sheet) if sheet else file
            heads = [say("col"), say("header"), say("taken_as"), say("how"), say("values_fit")]
            view = headed(escape(say("columns_title", where=where, kind=kind)), heads,
                          overflow="fold")  # fmt: skip
            for rec in records(rows):
                named = f"{rec.column_zh}（{rec.column}）" if lang == "zh" else rec.column
                shown = named if rec.column else "—"
                share = "" if pd.isna(rec.share) else f"{rec.share:.0%}"
                style = None if rec.column else "dim"
                view.add_row(
                    rec.letter,
                    escape(rec.header) or say("blank_header"),
                    shown,
                    how_label(rec.how, lang),
                    share,
                    style=style,
                )
            console.print(view)
            render_gaps(checked.problems, console, lang, file, sheet)
        for bad in checked.unreadable:
            print_error(bad.message(lang), lang)


RECONCILE_COLUMNS = ["township", "persons", "labor_capable", "employed_county",
                     "employed_chongqing", "employed_outside", "insured", "warnings", "new",
                     "resolved"]  # fmt: skip
RECONCILE_HEADS = ("township", "persons", "able", "in_county", "in_chongqing", "outside",
                   "insured", "warnings", "new", "resolved")  # fmt: skip


def render_reconciled(result, console: Console, lang: str) -> None:
    """Per township: persons, able to work, employed, insured, warnings; then the totals."""
    from fengdu_cli.io.reconcile_report import township_summary

    say = words(lang)
    table = township_summary(result, lang)
    summary = result.summary()
    view = Table(title=say("reconcile_title", month=summary["month"]))
    for i, head in enumerate(RECONCILE_HEADS):
        view.add_column(say(f"rc_{head}"), justify="left" if i == 0 else "right", no_wrap=True)
    for i, row in enumerate(table[RECONCILE_COLUMNS].itertuples(index=False)):
        view.add_row(*[str(v) for v in row], style="bold" if i == len(table) - 1 else None)
    console.print(view)
    heads = [say("warning_kind"), say("count")]
    flags = headed(say("warnings_by_code"), heads, (say("count"),))
    for code, n in result.flags().items():
        flags.add_row(warning_name(code, lang), str(n))
    console.print(flags)
    rows = summary["rows"]
    console.print(
        say("reconcile_counts", read=rows["read"], valid=rows["valid"], rejected=rows["rejected"],
            persons=summary["persons"], employment=summary["matched"]["employment"],
            insurance=summary["matched"]["insurance"])
    )  # fmt: skip
    for kind, counts in summary["inputs"].items():
        console.print(say("input_counts", kind=kind, **counts))
    if summary["previous_month"]:
        console.print(
            say("compared", previous=summary["previous_month"], new=summary["warnings_new"],
                continuing=summary["warnings_continuing"], resolved=summary["warnings_resolved"])
        )  # fmt: skip
    render_undetermined(
        result.checked,
        result.undetermined_counts(),
        console,
        lang,
        "warnings",
        lambda code: warning_name(code, lang),
    )


def warning_name(code: str, lang: str) -> str:
    """A warning's name (无就业无参保), the code where the catalogue has none."""
    key = f"wb_warn_title_{code}"
    return text(key, lang) if key in CATALOGUES[lang] else code


def _skips_by_reason(result: Any, lang: str) -> dict[str, list[str]]:
    """The rules not computed, grouped by what the clerk must do about them: the same
    sentence once, with every rule it is said of.  Amounts not configured share one sentence
    (each rule's document is in ``fengdu policy show``); the JSON keeps one reason per rule."""
    grouped: dict[str, list[str]] = {}
    for code, skip in result.skipped.items():
        reason = (
            text("skip_not_configured_group", lang)
            if skip.code == "not_configured"
            else skip.text(lang)
        )
        grouped.setdefault(reason, []).append(code)
    return grouped


def render_undetermined(
    checked,
    counts: dict[str, int],
    console: Console,
    lang: str,
    what: str,
    name: Callable[[str], str] = str,
) -> None:
    """The columns files lacked, and per code (said by its ``name``) how many persons could
    not be judged (red)."""
    say = words(lang)
    for kind, c in checked.items():
        if c.gaps:
            console.print(f"[bold red]{escape(say('kind_line', kind=kind))}[/]")
            render_gaps(c.problems, console, lang)
    if counts:
        listed = say("list_sep").join(
            say("persons_of", code=name(code), n=n) for code, n in counts.items()
        )
        line = say("undetermined_line", what=say(f"what_{what}"), listed=listed)
        console.print(f"[bold red]{escape(line)}[/]")


def render_subsidy(result, console: Console, lang: str) -> None:
    """Totals per rule and per township, skipped rules with their reasons, the batch."""
    from fengdu_cli.money import yuan_text

    say = words(lang)
    # a rule by its name (the policy's name is Chinese: in English, its code)
    heads = [say("subsidy"), say("persons_households"), say("amount")]
    title = say("subsidy_title", month=result.summary()["month"], batch=result.batch_id)
    table = headed(title, heads, tuple(heads[1:]))
    totals, counts = result.totals_fen(), result.counts()
    for code in result.computed:
        name = rule_title(code, lang, result.policy.rule(code).name)
        table.add_row(name, str(counts[code]), yuan_text(totals[code]))
    table.add_row(
        say("total"), str(sum(counts.values())), yuan_text(result.grand_total_fen()),
        style="bold",
    )  # fmt: skip
    console.print(table)
    if len(result.lines):
        by_town = result.lines.groupby("township")["amount_fen"].agg(["size", "sum"])
        heads = [say("rc_township_long"), say("lines"), say("amount")]
        towns = headed(say("by_township"), heads, tuple(heads[1:]))
        for town, row in by_town.iterrows():
            towns.add_row(
                str(town) or say("unknown_township"), str(int(row["size"])),
                yuan_text(int(row["sum"])),
            )  # fmt: skip
        console.print(towns)
    if result.skipped:
        skipped = headed(say("not_computed_title"), [say("subsidy"), say("reason")],
                         overflow="fold")  # fmt: skip
        for reason, codes in _skips_by_reason(result, lang).items():
            names = [
                f"{rule_title(c, lang, result.policy.rule(c).name)}{text('paren_code', lang, code=c)}"
                for c in codes
            ]
            skipped.add_row("\n".join(names), reason)
        console.print(skipped)
    render_undetermined(
        result.checked,
        result.undetermined_counts(),
        console,
        lang,
        "lists",
        lambda code: rule_title(code, lang, result.policy.rule(code).name),
    )
    render_bank(result, console, lang)
    if result.history_missing:
        console.print(f"[bold yellow]{text('no_history_warning', lang)}[/]")
    if result.newly_committed:
        console.print(
            f"[bold green]{say('committed', batch=result.batch_id, n=len(result.lines))}[/]"
        )
    elif result.committed:
        differ = say("committed_differs", n=result.differences) if result.differences else ""
        console.print(say("committed_before", batch=result.batch_id, differ=differ))
    else:
        console.print(f"[yellow]{say('trial')}[/]")


def render_bank(result, console: Console, lang: str) -> None:
    """The bank's list of a committed batch (payees, amount) and every payee without an
    account (names and IDs masked); for a trial, how many payees lack an account."""
    from fengdu_cli.io.subsidy_files import mask_name
    from fengdu_cli.money import yuan_text

    if not getattr(result, "accounts_known", False):
        if result.committed and len(result.lines):
            console.print(f"[yellow]{text('screen_bank_needs_data', lang)}[/]")
        return
    bank, missing = result.bank()
    parts = getattr(result, "bank_parts", None)
    if parts is not None:  # the batch's own list; its supplements are said below
        bank = parts.parts.get(0, bank.iloc[:0])
    fen = int(bank["amount_fen"].sum()) if len(bank) else 0
    if result.committed:
        console.print(text("screen_bank_list", lang, n=len(bank), amount=yuan_text(fen)))
    if parts is not None:
        _render_parts(result, parts, console, lang)
    if missing["payee_type"].isin(("employer", "agency", "workshop")).any():
        _render_unused_accounts(result, console, lang)  # a mistyped code there, perhaps
    if not len(missing):
        return
    lacking = int(missing["amount_fen"].sum())
    if not result.committed:
        warn = text("screen_bank_trial_missing", lang, n=len(missing), amount=yuan_text(lacking))
        console.print(f"[bold yellow]{warn}[/]")
    heads = [text(k, lang) for k in ("screen_bank_payee", "screen_bank_id", "screen_bank_amount",
                                     "screen_bank_where")]  # fmt: skip
    title = text("screen_bank_missing_title", lang, n=len(missing), amount=yuan_text(lacking))
    table = headed(title, heads, (heads[2],), overflow="fold")
    for row in records(missing):
        # a person (a labour broker is paid as an agency): name and ID masked
        person = row.payee_type not in ("employer", "agency", "workshop") or bool(
            re.fullmatch(r"\d{17}[\dXx]", str(row.payee_id))
        )
        table.add_row(
            mask_name(str(row.payee_name), person=True) if person else str(row.payee_name),
            idcard.mask_in_text(str(row.payee_id)) if person else str(row.payee_id),
            yuan_text(int(row.amount_fen)),
            _where_folder(str(row.where), lang),
        )
    console.print(table)
    if result.committed:
        part = parts.next_part if parts is not None else 1
        console.print(f"[bold yellow]{text('screen_bank_missing_committed', lang, part=part)}[/]")


def _render_unused_accounts(result, console: Console, lang: str) -> None:
    """While some organisation lacks an account: a notice for the rows of accounts/ that pay
    no organisation of the month (a code mistyped there leaves its organisation without)."""
    from fengdu_cli.accounts import unused_accounts

    accounts = result.checked.get("accounts")
    unused = unused_accounts(result.lines, accounts.valid if accounts is not None else None)
    if len(unused):
        shown = text("list_sep", lang).join(
            r.org_name + text("paren_code", lang, code=r.employer_code)
            for r in records(unused.head(5))
        )
        more = "…" if len(unused) > 5 else ""
        console.print(text("screen_accounts_unused", lang, n=len(unused), rows=shown + more))


def _render_parts(result, parts, console: Console, lang: str) -> None:
    """What a committed batch's bank lists written again are: the recorded list, a new
    supplement, accounts today's lists give otherwise (masked)."""
    from fengdu_cli.io import names
    from fengdu_cli.io.subsidy_files import mask_name
    from fengdu_cli.money import yuan_text

    if parts.unrecorded:
        console.print(
            f"[bold yellow]{text('screen_bank_unrecorded', lang, batch=result.batch_id)}[/]"
        )
    elif 0 in parts.parts and parts.added != 0:
        console.print(text("screen_bank_recorded", lang, n=len(parts.parts[0])))
    for number in getattr(parts, "restored", ()):  # recorded, its files lost: said, not hidden
        console.print(
            "[bold yellow]"
            + text(
                "screen_bank_restored", lang, file=names.bank_part(result.month, number, ".xlsx"),
                batch=result.batch_id + (names.SUPPLEMENT.format(part=number) if number else ""),
            )
            + "[/]"
        )  # fmt: skip
    if parts.added:
        lines = parts.parts[parts.added]
        console.print(
            "[bold yellow]"
            + text(
                "screen_bank_supplement", lang, n=len(lines),
                amount=yuan_text(int(lines["amount_fen"].sum())),
                file=names.bank_part(result.month, parts.added, ".xlsx"),
                batch=str(lines["batch_id"].iloc[0]),
            )
            + "[/]"
        )  # fmt: skip
    for row in records(parts.changed):
        console.print(
            "[bold yellow]"
            + text(
                "screen_bank_changed", lang, name=mask_name(str(row.account_name)),
                today=idcard.mask_in_text(str(row.today)),
                recorded=idcard.mask_in_text(str(row.recorded)),
            )
            + "[/]"
        )  # fmt: skip


def _where_folder(kind: str, lang: str = "zh") -> str:
    """The folder whose list should carry a missing account, as a screen says it briefly."""
    from fengdu_cli.io.columns import FOLDERS

    if kind == "broker":
        return "rosters/ | agencies/"
    if kind == "conflict":
        return text("screen_bank_conflict", lang)
    folder = FOLDERS.get(kind, kind) + "/"
    return folder if kind in ("roster", "accounts") else f"{folder} | accounts/"


def render_import(plan, console: Console, lang: str, commit: bool) -> None:
    """Per rule and month what is (or would be) recorded; then every row not placed."""
    from fengdu_cli.money import yuan_text

    say = words(lang)
    title = say("import_batch", batch=plan.batch_id) if plan.batch_id else say("import_preview")
    heads = [say("rule_code"), say("month"), say("lines"), say("amount")]
    view = headed(title, heads, tuple(heads[2:]))
    table = plan.by_rule_and_month()
    for r in records(table):
        view.add_row(r.rule, dates.month_text(int(r.month)), str(r.lines),
                     yuan_text(int(r.amount_fen)))  # fmt: skip
    view.add_row(say("total"), "", str(int(table["lines"].sum()) if len(table) else 0),
                 yuan_text(int(table["amount_fen"].sum()) if len(table) else 0), style="bold")  # fmt: skip
    console.print(view)
    if len(plan.problems):
        problems = headed(say("not_imported", n=len(plan.problems)),
                          [say("file"), say("row"), say("reason")], overflow="fold")  # fmt: skip
        for p in records(plan.problems.head(50)):
            where = text("place_sheet", lang, file=p.file, sheet=p.sheet) if p.sheet else p.file
            problems.add_row(where, str(p.row), p.message.text(lang))
        console.print(problems)
    if plan.batch_id:
        console.print(
            f"[bold green]{say('imported', batch=plan.batch_id, n=len(plan.to_record))}[/]"
        )
    elif commit:
        console.print(f"[yellow]{say('nothing_to_import')}[/]")
    else:
        console.print(f"[yellow]{say('import_dry_run')}[/]")
