"""The files ``subsidy`` writes: payment workbook, bank CSV, publicity list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.errors import OutputError, UsageError
from fengdu_cli.io import names
from fengdu_cli.io.bank_files import write_bank_files
from fengdu_cli.io.payments_report import (
    BatchFacts,
    payments_csv,
    write_payments_workbook,
    write_publicity_workbook,
)
from fengdu_cli.io.post_exits import write_post_exits
from fengdu_cli.io.write import Sheet, Staging, move_aside, write_csv, write_workbook
from fengdu_cli.messages import in_words, month_words, rule_title, text
from fengdu_cli.subsidy import SubsidyResult


def subsidy_file_names(month: int, committed: bool) -> dict[str, str]:
    """The files of a month's subsidy run: plain names only for a committed batch."""
    return {
        "payments": names.payments_book(month, committed),
        "csv": names.payments_csv(month, committed),
        "publicity": names.publicity_book(month, committed),
        "undetermined": names.undetermined_book(month),
        "posts_exit": names.posts_exit_book(month, committed),
    }


@dataclass(frozen=True)
class BankParts:
    """A committed batch's bank lists as recorded in the ledger: ``parts`` (0 the batch's
    list, 1 … its supplements, BANK_COLUMNS each), the payment lines on none still without
    an account today (``missing``, one row per payee), the recorded accounts today's lists
    give otherwise (``changed``: payee_key, account_name, recorded, today), the part this
    run adds (``added``, recorded with ``pending`` once its files are written), ``sent``:
    each payment line sent (rule, key) with the account it was sent to, ``restored``: the
    recorded parts whose files were missing (written again now), ``next_part``: the number
    a supplement would take next."""

    parts: dict[int, pd.DataFrame]
    missing: pd.DataFrame
    changed: pd.DataFrame
    added: int | None = None
    unrecorded: bool = False  # kept for callers: a batch without parts is refused now
    sent: pd.DataFrame | None = None
    pending: tuple | None = None  # (part, bank lines as recorded, items)
    restored: tuple[int, ...] = ()
    next_part: int = 1


@dataclass(frozen=True)
class RecordedResult(SubsidyResult):
    """A committed batch with the bank lists the ledger recorded: its bank list (every part)
    and the payees still without an account are those, not today's; a payment line sent is
    shown with the account it was sent to."""

    bank_parts: BankParts | None = None

    def paid_lines(self) -> pd.DataFrame:
        lines = super().paid_lines()
        sent = self.bank_parts.sent if self.bank_parts is not None else None
        if sent is None or not len(sent) or not len(lines):
            return lines
        from fengdu_cli.accounts import ACCOUNT_COLUMNS

        keyed = sent.drop_duplicates(["rule", "key"]).set_index(["rule", "key"])
        where = pd.MultiIndex.from_arrays([lines["rule"].astype(str), lines["key"].astype(str)])
        hit = where.isin(keyed.index)
        for column in ACCOUNT_COLUMNS:
            found = keyed[column].reindex(where).to_numpy(dtype=object)
            lines.loc[hit, column] = found[hit]
        return lines

    def bank(self, lines: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        if self.bank_parts is None:
            return super().bank(lines)
        parts = [p for p in self.bank_parts.parts.values() if len(p)]
        every = pd.concat(parts, ignore_index=True) if parts else super().bank(lines)[0].iloc[:0]
        return every, self.bank_parts.missing


def _legacy_items(lines: pd.DataFrame, recorded: pd.DataFrame, parts: set[int]) -> pd.DataFrame:
    """Which payment lines the parts recorded before lines were (``parts``) sent, as far as
    the ledger tells: a line whose payee — its organisation, person, the holder today's lists
    name or any person the line is for — has a line on such a part counts as sent (rather
    once too often in this list than paid twice)."""
    from fengdu_cli.accounts import payee_key

    old = recorded[recorded["part"].isin(parts)].drop_duplicates("payee_key")
    where = old.set_index("payee_key")["part"]
    ids = (
        lines["identities"].astype(str)
        if "identities" in lines
        else pd.Series("", index=lines.index)
    )
    candidates = [
        payee_key(lines),
        "o:" + lines["payee_id"].astype(str).str.upper(),
        "p:" + lines["person_id"].astype(str),
        "p:" + ids.str.extract(r"(\d{17}[\dXx])", expand=False).fillna(""),
    ]
    key = pd.Series("", index=lines.index, dtype=object)
    for candidate in candidates:
        take = key.eq("") & candidate.isin(where.index)
        key[take] = candidate[take]
    found = lines[key.ne("")]
    return pd.DataFrame(
        {
            "part": where.reindex(key[key.ne("")]).to_numpy(),
            "rule": found["rule"].astype(str).to_numpy(),
            "key": found["key"].astype(str).to_numpy(),
            "payee_key": key[key.ne("")].to_numpy(),
            "amount_fen": found["amount_fen"].astype("int64").to_numpy(),
        }
    )


def settle_bank(result, conn, out: Path | None = None, record: bool = True) -> BankParts | None:
    """The batch's recorded bank lists and, with ``record``, a supplement for the payment
    lines of the batch no part has sent yet that have an account now (each to the account
    found now, through the payee the ledger's line names); a line sent is never sent again.
    The supplement is recorded by the caller (``pending``) once its files are written.

    A batch committed before bank lines were recorded has no part: refused (UsageError,
    exit 2) — what its list sent is not known, so nothing could be added safely; a trial
    (``record`` False) then shows no bank list (None).  Call with the ledger's lock held."""
    from fengdu_cli.accounts import (
        ACCOUNT_COLUMNS,
        bank_from_record,
        bank_items,
        bank_record,
    )
    from fengdu_cli.store import ledger

    batch = result.batch_id
    numbers = ledger.bank_part_numbers(conn, batch)
    if not numbers:
        if not record:
            return None
        raise UsageError("bank_unrecorded", batch=batch, month=dates.month_text(result.month))
    recorded = ledger.bank_lines(conn, batch)
    items = ledger.bank_items(conn, batch)
    lines = SubsidyResult.paid_lines(result).assign(batch_id=batch)
    legacy = set(recorded["part"].astype(int)) - set(items["part"].astype(int))
    if legacy:
        items = pd.concat([items, _legacy_items(lines, recorded, legacy)], ignore_index=True)
    items = items.assign(rule=items["rule"].astype(str), key=items["key"].astype(str))
    sent = items.merge(
        recorded[["part", "payee_key", *ACCOUNT_COLUMNS]], on=["part", "payee_key"], how="left"
    ).fillna({c: "" for c in ACCOUNT_COLUMNS})
    pairs = pd.MultiIndex.from_arrays([lines["rule"].astype(str), lines["key"].astype(str)])
    done = pairs.isin(pd.MultiIndex.from_arrays([sent["rule"], sent["key"]]))
    unsent = lines[~done]
    part = max(numbers) + 1
    label = batch + names.SUPPLEMENT.format(part=part)
    fresh, missing = SubsidyResult.bank(result, unsent.assign(batch_id=label))
    parts = {
        number: bank_from_record(recorded[recorded["part"].eq(number)].drop(columns="part"))
        for number in numbers
    }
    restored = tuple(
        number for number in numbers
        if out is not None and not (Path(out) / names.bank_part(result.month, number, ".csv")).exists()
    )  # fmt: skip
    added = pending = None
    if len(fresh) and record:
        new_items = bank_items(unsent)
        taken = set(recorded["payee_key"])
        clash = fresh["payee_key"].isin(taken)
        if clash.any():  # the same holder on an earlier part: this part's line is its own
            renamed = {k: f"{k}#{part}" for k in fresh.loc[clash, "payee_key"]}
            fresh = fresh.assign(payee_key=fresh["payee_key"].replace(renamed))
            new_items = new_items.assign(payee_key=new_items["payee_key"].replace(renamed))
        parts[part] = fresh.reset_index(drop=True)
        added, pending = part, (part, bank_record(fresh), new_items)
    today = lines.assign(rule=lines["rule"].astype(str), key=lines["key"].astype(str))
    both = sent.merge(today[["rule", "key", "account_no"]], on=["rule", "key"],
                      suffixes=("", "_today"))  # fmt: skip
    differs = both[
        both["account_no_today"].ne("") & both["account_no_today"].ne(both["account_no"])
    ]
    differs = differs.drop_duplicates("payee_key")
    changed = pd.DataFrame(
        {
            "payee_key": differs["payee_key"].to_numpy(),
            "account_name": differs["account_name"].to_numpy(),
            "recorded": differs["account_no"].to_numpy(),
            "today": differs["account_no_today"].to_numpy(),
        }
    )
    return BankParts(
        parts,
        missing.reset_index(drop=True),
        changed,
        added,
        False,
        sent,
        pending,
        restored,
        part + 1 if added is not None else part,
    )


def settle_and_write(
    result,
    db: str | Path,
    out: Path,
    *,
    record: bool,
    lang: str = "zh",
    encoding: str = "utf-8-sig",
    plain_csv: bool = False,
):
    """A committed batch's files written again, under the ledger's lock: the bank parts
    recorded and (``record``: a commit or ``ledger files``) a supplement, its files written to
    temporary names, then recorded, then put in place — a failure before that records
    nothing; a crash after it leaves a part whose files the next run writes again and says
    so.  A trial records nothing and writes no bank list.  Returns (result, files)."""
    from fengdu_cli import store
    from fengdu_cli.store import ledger

    with store.hold_lock(db, result.month):
        conn = store.connect(db, create=False)
        try:
            if ledger.live_batch(conn, result.month) != result.batch_id:  # voided meanwhile
                raise UsageError("no_live_batch", month=dates.month_text(result.month))
            parts = settle_bank(result, conn, out, record=record) if result.accounts_known else None
            result = _with_parts(result, parts)
            staging = Staging()
            try:
                write_subsidy_files(
                    result, out, staging, lang, encoding, bank_parts=parts,
                    plain_csv=plain_csv, bank_files=record,
                )  # fmt: skip
                if parts is not None and parts.pending is not None:
                    ledger.record_bank_part(conn, result.batch_id, *parts.pending)
            except BaseException:
                staging.discard()
                raise
        finally:
            conn.close()
        try:
            written = staging.publish()
        except OSError as exc:
            staging.discard()
            raise OutputError(
                "files_after_commit", batch=result.batch_id,
                month=dates.month_text(result.month), out=str(out),
                detail=exc.strerror or str(exc),
            ) from exc  # fmt: skip
    return result, retire_trials(result, out, written)


def write_subsidy_files(
    result,
    out: Path,
    staging: Staging | None = None,
    lang: str = "zh",
    encoding: str = "utf-8-sig",
    bank_parts: BankParts | None = None,
    plain_csv: bool = False,
    bank_files: bool = True,
) -> list[Path]:
    """``payments-YYYY-MM.xlsx/.csv`` and ``publicity-YYYY-MM.xlsx`` for a committed batch;
    the same with ``-试算`` in the names, and 试算 on every sheet and in the batch column, for
    a trial — so a trial is never taken for the list to pay.  With ``staging`` the files
    are only written to temporary names (see :class:`fengdu_cli.io.write.Staging`).  The
    words are in ``lang``; the names, the CSV's columns and the ledger's texts (basis) are
    the same in every language.

    The payment CSV carries each payee's account when the lists were read; a committed
    batch whose lists were read also writes the bank's list (``bank-YYYY-MM.xlsx/.csv``).
    The CSVs are written in ``encoding`` (GBK for a bank's import system): a character it
    cannot write stops everything before any file is written (UsageError, exit 2, naming
    the payee masked and the character)."""
    out = Path(out)
    files = subsidy_file_names(result.month, result.committed)
    last = dates.last_day(result.month)
    created = dt.datetime(last.year, last.month, last.day)
    rules = [(code, result.policy.rule(code).name) for code in result.computed]
    batch = (
        result.batch_id
        if result.committed
        else text("wb_pay_trial_batch", lang, batch=result.batch_id)
    )
    known = getattr(result, "accounts_known", False)
    lines = (result.paid_lines() if known else result.lines).assign(batch_id=batch)
    facts = batch_facts(result, lang)
    payments = payments_csv(lines)
    bank = result.bank(lines) if known and result.committed and bank_files else None
    _check_encoding(payments, bank[0] if bank else None, lines, encoding)
    written = [
        write_payments_workbook(
            lines, out / files["payments"], month=result.month, batch_id=batch, rules=rules,
            created=created, staging=staging, lang=lang, trial=not result.committed,
            facts=facts,
        ),
        write_csv(payments, out / files["csv"], private=True, staging=staging, encoding=encoding,
                  text_mark=not plain_csv),
        write_publicity_workbook(
            lines, out / files["publicity"], month=result.month, rules=rules, created=created,
            staging=staging, trial=not result.committed, lang=lang,
        ),
    ]  # fmt: skip
    if bank is None:  # no bank list: accounts unknown, a trial
        pass
    elif bank_parts is not None:  # the lists the ledger recorded, each part its own files
        for part, lines_of_part in bank_parts.parts.items():
            label = result.batch_id + (names.SUPPLEMENT.format(part=part) if part else "")
            written += write_bank_files(
                lines_of_part, bank_parts.missing if part == 0 else lines_of_part.iloc[:0],
                out / names.bank_part(result.month, part, ".xlsx"),
                out / names.bank_part(result.month, part, ".csv"),
                month=result.month, batch_id=label, created=created, staging=staging,
                encoding=encoding, part=part, text_mark=not plain_csv,
                next_part=bank_parts.next_part,
            )  # fmt: skip
    elif bank is not None:  # the bank's list of a committed batch (代发清单)
        written += write_bank_files(
            bank[0], bank[1], out / names.bank_book(result.month), out / names.bank_csv(result.month),
            month=result.month, batch_id=result.batch_id, created=created, staging=staging,
            encoding=encoding, text_mark=not plain_csv,
        )  # fmt: skip
    exits = getattr(result, "post_exits", None)
    if exits is not None:  # posts/ was read: the townships' exit list (有序退岗)
        target = out / files["posts_exit"]
        trial = not result.committed
        exit_book = write_post_exits(
            exits,
            target,
            month=result.month,
            trial=trial,
            created=created,
            staging=staging,
            lang=lang,
        )
        written.append(exit_book)
    undetermined = out / files["undetermined"]
    table = result.undetermined()
    if len(table):
        title = text("wb_sund_title", lang, county=text("wb_county", lang),
                     month=month_words(result.month, lang))  # fmt: skip
        sheet = Sheet(text("wb_sheet_undetermined", lang), undetermined_frame(table, lang), title)
        written.append(
            write_workbook(undetermined, [sheet], created=created, staging=staging, lang=lang)
        )
    elif undetermined.exists() and result.evaluations:
        # computed today and nobody undetermined: a list of an earlier run is no longer true
        # (a batch's files written again from the ledger know nothing of it: it stays)
        undetermined.unlink()
    return written


def batch_facts(result, lang: str = "zh") -> BatchFacts:
    """The policy file and the rules not computed (in the policy's order, with their
    reasons in ``lang``) that the payment workbook's 汇总 sheet shows."""
    policy = result.policy
    order = list(policy.rules)
    skipped = sorted(result.skipped.items(), key=lambda kv: order.index(kv[0])
                     if kv[0] in order else len(order))  # fmt: skip
    return BatchFacts(
        policy_name=Path(str(policy.path)).name if policy.path else "",
        policy_sha256=str(policy.sha256 or ""),
        skipped=tuple(
            (code, rule_title(code, lang, policy.rule(code).name), why.text(lang))
            for code, why in skipped
        ),
    )


def _check_encoding(
    payments: pd.DataFrame, bank: pd.DataFrame | None, lines: pd.DataFrame, encoding: str
) -> None:
    """Stop (UsageError, exit 2) before any file is written when ``encoding`` cannot write a
    character of the payment or bank CSV: the payee named (masked), the character shown."""
    from fengdu_cli.io.bank_files import bank_csv_frame
    from fengdu_cli.io.write import unencodable

    frames = [(payments, lines)]
    if bank is not None:
        frames.append((bank_csv_frame(bank), bank))
    for frame, source in frames:
        problem = unencodable(frame, encoding)
        if problem is None:
            continue
        row = source.iloc[max(problem.row, 0)] if len(source) else None
        name = str(row.get("payee_name", row.get("account_name", ""))) if row is not None else ""
        who = str(row.get("payee_id", "")) if row is not None else ""
        raise UsageError(
            "csv_unencodable", encoding=encoding, char=problem.char,
            code=f"U+{ord(problem.char):04X}", column=problem.column,
            who=f"{mask_name(name)}（{idcard.mask_in_text(who)}）" if who else mask_name(name),
        )  # fmt: skip


def mask_name(name: str, person: bool = False) -> str:
    """A person's name as a screen shows it when it must not be read in full: 王*华, 王*.
    A name longer than 6 characters is taken for an organisation's unless ``person``."""
    if len(name) <= 1 or (len(name) > 6 and not person):  # an organisation's is not personal
        return name
    return name[0] + "*" * (len(name) - 2) + name[-1] if len(name) > 2 else name[0] + "*"


UNDETERMINED_LABELS = {  # column → catalogue key of its header
    "rule": "wb_sund_rule",
    "rule_name": "wb_sund_rule_name",
    "township": "wb_rc_township",
    "village": "wb_rc_village",
    "household_id": "wb_rc_household_id",
    "person_id": "wb_rc_id_number",
    "person_name": "wb_rc_name",
    "payee_name": "wb_sund_payee_name",
    "reason": "wb_sund_reason",
}


def undetermined_frame(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The 无法判断 list as written: headers and reasons in ``lang``, resident IDs masked."""
    shown = table.copy()
    shown["reason"] = shown["reason"].map(lambda reasons: in_words(reasons, lang))
    shown["person_id"] = shown["person_id"].astype(str).map(idcard.mask)
    return shown.rename(columns={c: text(k, lang) for c, k in UNDETERMINED_LABELS.items()})


def compute_and_write(
    data: Path,
    month: int,
    db: str | Path,
    out: Path,
    lang: str = "zh",
    encoding: str = "utf-8-sig",
    plain_csv: bool = False,
    **options,
) -> tuple:
    """:func:`fengdu_cli.subsidy.compute_subsidies` and its files (in ``lang``), in the safe
    order: a new batch's files are written (to temporary names) before the commit and put in
    place after it; a failure then says the batch is recorded and how to write its files
    again."""
    from fengdu_cli.subsidy import compute_subsidies

    staged: list[Staging] = []

    def stage(result) -> Staging:
        staging = Staging()
        write_subsidy_files(result, out, staging, lang, encoding, plain_csv=plain_csv)
        staged.append(staging)
        return staging

    result = compute_subsidies(data, month, db, stage=stage, **options)
    if not (staged and result.newly_committed):
        if result.committed:
            # a committed month run again: its bank list is the one recorded, never today's;
            # only a commit adds a supplement, a trial records nothing
            return settle_and_write(
                result, db, out, record=bool(options.get("commit")), lang=lang,
                encoding=encoding, plain_csv=plain_csv,
            )  # fmt: skip
        written = write_subsidy_files(
            result, out, lang=lang, encoding=encoding, plain_csv=plain_csv
        )
        return result, retire_trials(result, out, written)
    try:
        return result, retire_trials(result, out, staged[0].publish())
    except OSError as exc:
        staged[0].discard()
        raise OutputError(
            "files_after_commit", batch=result.batch_id, month=dates.month_text(month),
            out=str(out), detail=exc.strerror or str(exc),
        ) from exc  # fmt: skip


def rewrite_batch_files(
    month: int,
    db: str | Path,
    out: Path,
    policy_path: Path | None = None,
    lang: str = "zh",
    data: Path | None = None,
    encoding: str = "utf-8-sig",
    columns=None,
    plain_csv: bool = False,
):
    """Write a committed batch's files again, from the ledger (``fengdu ledger files``).

    The ledger holds what was paid, not where: with ``data`` (the month folder) the payees'
    accounts are read from its lists (rosters/, accounts/, workshops/ …) and the bank's list
    is written too; without it, the files are written without accounts and no bank list."""
    from fengdu_cli import store
    from fengdu_cli.policy import load_policy
    from fengdu_cli.rules.base import LINE_COLUMNS
    from fengdu_cli.store import ledger
    from fengdu_cli.subsidy import Skip, SubsidyResult, _plain

    policy = load_policy(policy_path)
    with store.hold_lock(db, month):  # the batch read and its files written by one run at a time
        conn = store.connect(db, create=False)
        try:
            batch = ledger.live_batch(conn, month)
            if batch is None:
                raise UsageError("no_live_batch", month=dates.month_text(month))
            lines = ledger.batch_lines(conn, batch)
            summary = ledger.batch_run_summary(conn, batch)
        finally:
            conn.close()
    lines["rule_name"] = lines["rule"].map(lambda c: policy.rule(c).name)
    lines = _plain(lines[[*LINE_COLUMNS, "rule_name", "batch_id"]])
    computed = tuple(summary.get("totals", {})) or tuple(dict.fromkeys(lines["rule"]))
    # why a rule was not computed, as the committing run said it
    recorded = {
        code: Skip("recorded", {"text": why}) for code, why in summary.get("skipped", {}).items()
    }
    checked = account_lists(Path(data), month, columns) if data is not None else {}
    result = SubsidyResult(
        month, policy, lines, computed, recorded, batch, True, False, checked=checked
    )
    return settle_and_write(
        result, db, out, record=True, lang=lang, encoding=encoding, plain_csv=plain_csv
    )


def _with_parts(result, parts: BankParts | None):
    """The result with its recorded bank lists (``bank_parts``), which its screen and
    summary then show instead of today's."""
    if parts is None:
        return result
    return RecordedResult(**{f.name: getattr(result, f.name) for f in fields(result)},
                          bank_parts=parts)  # fmt: skip


def retire_trials(result, out: Path, written: list[Path]) -> list[Path]:
    """Once a month's batch is committed, its trial files (``*-YYYY-MM-试算.*``) move into
    ``已过期/``: beside the list to pay, a trial list could still be printed, posted or sent
    to the bank.  Returns ``written``."""
    if result.committed:
        pattern = f"*-{dates.month_text(result.month)}{names.TRIAL}.*"
        move_aside(Path(out), pattern, written)
    return written


ACCOUNT_KINDS = ("roster", "accounts", "workshops", "businesses", "agencies", "bases")


def account_lists(data: Path, month: int, columns=None) -> dict:
    """The checked lists that carry payees' accounts, read from the month folder ``data``
    (the roster required, the others when their folder has files)."""
    from fengdu_cli.io.columns import FOLDERS
    from fengdu_cli.io.columns_toml import columns_for
    from fengdu_cli.match import as_of
    from fengdu_cli.validate import check_paths

    columns = columns if columns is not None else columns_for(None, [data])
    checked = {}
    for kind in ACCOUNT_KINDS:
        folder = data / FOLDERS[kind]
        if kind != "roster" and not (folder.is_dir() and any(folder.iterdir())):
            continue
        result = check_paths([folder], kind, on=as_of(month), columns=columns)
        if result.unreadable:
            raise result.unreadable[0].error()
        checked[kind] = result
    return checked


def batch_file_patterns(month: int) -> tuple[str, ...]:
    """The names of a committed month batch's payment files: the payment workbook and CSV,
    the publicity list, the bank's lists (and their supplements), the posts' exit list."""
    stem = dates.month_text(month)
    return (
        names.payments_book(month, True), names.payments_csv(month, True),
        names.publicity_book(month, True), f"bank-{stem}.*", f"bank-{stem}{names.SUPPLEMENT.format(part='*')}.*",
        names.posts_exit_book(month, True),
    )  # fmt: skip


def retire_batch_files(out: Path, month: int) -> list[Path]:
    """A voided batch's files found in ``out`` moved into ``out/已过期/`` (a voided list must
    never be paid or posted); the files moved."""
    moved: list[Path] = []
    for pattern in batch_file_patterns(month):
        moved += move_aside(Path(out), pattern, [])
    return moved
