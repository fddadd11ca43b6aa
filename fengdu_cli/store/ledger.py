"""The payment ledger: batches of payments (a month's, or an import of payments made before
the tool), reversals and voids — append-only, each row a link of the hash chain — and
who each entry is for, so that no one is ever live twice for a rule in one scope."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.errors import InternalError, LockError
from fengdu_cli.messages import Said, said
from fengdu_cli.policy.schema import RULE_FREQUENCY
from fengdu_cli.store.chain import (
    append,
    check_chain,
    check_head,
    last_seq,
    links,
    missing_heads,
    record_head,
)
from fengdu_cli.store.schema import TABLES, check_schema
from fengdu_cli.store.sql import Db, now, records, select_rows, transaction

PAYMENT_COLUMNS = [
    "rule", "key", "payee_type", "payee_id", "payee_name", "township", "village", "household_id",
    "person_id", "person_name", "amount_fen", "period", "basis", "identities",
]  # fmt: skip


# the ledger as seen without a database: nothing paid
NO_PAYMENTS = pd.DataFrame(
    columns=["entry_id", "batch_id", *PAYMENT_COLUMNS, "month", "source", "batch_kind"]
)


def live_payments(db: Db) -> pd.DataFrame:
    """Every committed payment that has not been reversed."""
    return db.frame("SELECT * FROM live_payments ORDER BY entry_id")


def live_batch(db: Db, month: int) -> str | None:
    """The committed, not voided batch of ``month`` (imports are not a month's batch)."""
    return db.scalar(
        "SELECT b.batch_id FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE b.month = :month AND b.kind = 'month' AND v.batch_id IS NULL "
        "ORDER BY b.committed DESC, b.batch_id DESC LIMIT 1",
        {"month": month},
    )


def next_batch_id(db: Db, month: int) -> str:
    """The id of ``month``'s next batch: '2024-06-B1' for its first, one more for each batch
    of the month committed before (a voided one included), whatever else ran in between —
    so the number a clerk reads on the signed list counts the month's batches only."""
    text = dates.month_text(month)
    taken = {
        row[0]
        for row in db.execute(
            "SELECT batch_id FROM batches WHERE batch_id LIKE :like", {"like": f"{text}-%"}
        )
    }
    number = len(taken) + 1
    while f"{text}-B{number}" in taken:  # never reuse an id, whatever the ledger holds
        number += 1
    return f"{text}-B{number}"


def has_history(db: Db, month: int) -> bool:
    """Does the ledger know what was paid before ``month``: a live import, or a live batch
    of an earlier month?"""
    row = db.execute(
        "SELECT 1 FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE v.batch_id IS NULL AND (b.kind = 'import' OR b.month < :month) LIMIT 1",
        {"month": month},
    ).first()
    return row is not None


def imported_files(db: Db) -> dict[str, str]:
    """sha256 → batch of every file a live import read."""
    found: dict[str, str] = {}
    for batch_id, inputs in db.execute(
        "SELECT b.batch_id, b.inputs FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE b.kind = 'import' AND v.batch_id IS NULL"
    ):
        for sha in json.loads(inputs).values():
            found[sha] = batch_id
    return found


def commit_import(
    db: Db,
    run_id: int,
    entries: pd.DataFrame,
    inputs: dict[str, str],
    read_at: int | None = None,
) -> str:
    """Record payments made before the tool as one batch of kind 'import', in one
    transaction; each entry keeps its month, period and source.  ``read_at`` as for
    :func:`commit_batch`: the entries were settled against the ledger as it was then."""
    batch_id = f"IMPORT-R{run_id}"
    first = int(entries["month"].min()) if len(entries) else 0
    _record_batch(db, batch_id, first, run_id, entries, "", inputs, "import", read_at=read_at)
    return batch_id


def batch_run_summary(db: Db, batch_id: str) -> dict:
    """The summary the run that committed ``batch_id`` stored (rules computed, skipped)."""
    summary = db.scalar(
        "SELECT r.summary FROM batches b JOIN runs r ON r.run_id = b.run_id "
        "WHERE b.batch_id = :batch",
        {"batch": batch_id},
    )
    return json.loads(summary) if summary else {}


def batch_lines(db: Db, batch_id: str) -> pd.DataFrame:
    """The payment lines of a batch, in the order they were committed."""
    return db.frame(
        f"SELECT batch_id, month, {', '.join(PAYMENT_COLUMNS)} FROM payments "
        "WHERE batch_id = :batch AND entry = 'payment' ORDER BY entry_id",
        {"batch": batch_id},
    )


def commit_batch(
    db: Db,
    batch_id: str,
    month: int,
    run_id: int,
    lines: pd.DataFrame,
    policy_sha256: str,
    inputs: dict,
    bank: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
    read_at: int | None = None,
) -> None:
    """Record a month's lines in one transaction — with ``bank``, the lines of its bank list
    (:data:`BANK_LINE_COLUMNS`) as part 0 and ``items`` (:data:`BANK_ITEM_COLUMNS`: which
    payment line each bank line pays), in the same transaction.

    ``read_at`` is the ledger's last link (:func:`~fengdu_cli.store.chain.last_seq`) when the
    lines were computed: if another run wrote to the ledger since, the lines may pay what it
    paid, and nothing is written (LockError, exit 4: run the month again)."""
    _record_batch(
        db, batch_id, month, run_id, lines.assign(month=month), policy_sha256, inputs,
        bank=bank, items=items, read_at=read_at,
    )  # fmt: skip


# a recorded bank line: what the bank was (or will be) told to pay, to which account
BANK_LINE_COLUMNS = [
    "seq", "payee_key", "account_no", "bank", "account_name", "amount_fen", "persons",
    "payee_id", "summary", "rules", "line_batch",
]  # fmt: skip
# a payment line of the ledger (rule, key) as sent on a bank part's line (payee_key)
BANK_ITEM_COLUMNS = ["rule", "key", "payee_key", "amount_fen"]


def _insert_bank_lines(db: Db, batch_id: str, part: int, bank: pd.DataFrame, created: str) -> None:
    columns = ["batch_id", "part", *BANK_LINE_COLUMNS, "created"]
    db.insert(
        TABLES["bank_lines"],
        records(bank.assign(batch_id=batch_id, part=part, created=created), columns),
    )


def _insert_bank_part(
    db: Db,
    batch_id: str,
    part: int,
    bank: pd.DataFrame,
    items: pd.DataFrame | None,
    created: str,
) -> None:
    """A part's head, its bank lines and the payment lines they pay (inside a transaction)."""
    total = int(bank["amount_fen"].sum()) if len(bank) else 0
    if items is not None and int(items["amount_fen"].sum() if len(items) else 0) != total:
        raise InternalError("bank_part_mismatch", batch=batch_id, part=part)
    db.insert(TABLES["bank_parts"], [{"batch_id": batch_id, "part": part, "lines": len(bank),
                                       "total_fen": total, "created": created}])  # fmt: skip
    if len(bank):
        _insert_bank_lines(db, batch_id, part, bank, created)
    if items is not None and len(items):
        columns = ["batch_id", "part", *BANK_ITEM_COLUMNS, "created"]
        db.insert(
            TABLES["bank_items"],
            records(items.assign(batch_id=batch_id, part=part, created=created), columns),
        )


def bank_lines(db: Db, batch_id: str) -> pd.DataFrame:
    """The recorded bank lines of a batch, every part (``part``: 0 the batch's list, 1 … its
    supplements), in the order written."""
    return db.frame(
        f"SELECT part, {', '.join(BANK_LINE_COLUMNS)} FROM bank_lines WHERE batch_id = :batch "
        "ORDER BY part, seq",
        {"batch": batch_id},
    )


def bank_items(db: Db, batch_id: str) -> pd.DataFrame:
    """The batch's payment lines sent on a bank part: ``part`` and :data:`BANK_ITEM_COLUMNS`."""
    return db.frame(
        f"SELECT part, {', '.join(BANK_ITEM_COLUMNS)} FROM bank_items WHERE batch_id = :batch "
        "ORDER BY item_id",
        {"batch": batch_id},
    )


def bank_part_numbers(db: Db, batch_id: str) -> list[int]:
    """Every part recorded for the batch (a part with its head, or with lines only: recorded
    before parts had heads), in order."""
    rows = db.execute(
        "SELECT part FROM bank_parts WHERE batch_id = :batch UNION "
        "SELECT part FROM bank_lines WHERE batch_id = :batch ORDER BY part",
        {"batch": batch_id},
    ).all()
    return [int(r[0]) for r in rows]


def record_bank_part(
    db: Db,
    batch_id: str,
    part: int,
    bank: pd.DataFrame,
    items: pd.DataFrame,
) -> int:
    """Record ``bank`` and its ``items`` as the batch's part ``part``, in one transaction.
    Refused (InternalError, nothing written) when ``part`` is not the batch's next part or a
    payment line is on a part already — a line is never sent twice."""
    with transaction(db):
        taken = bank_part_numbers(db, batch_id)
        if part != (max(taken) + 1 if taken else 0):
            raise InternalError("bank_part_mismatch", batch=batch_id, part=part)
        sent = bank_items(db, batch_id)
        both = items.merge(sent[["rule", "key"]], on=["rule", "key"])
        if len(both):
            raise InternalError("bank_part_mismatch", batch=batch_id, part=part)
        _insert_bank_part(db, batch_id, part, bank, items, now())
    return part


def _record_batch(
    db: Db,
    batch_id: str,
    month: int,
    run_id: int,
    lines: pd.DataFrame,
    policy_sha256: str,
    inputs: dict,
    kind: str = "month",
    bank: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
    read_at: int | None = None,
) -> None:
    """Insert a batch, its lines, who they are for (:func:`claim`) and their links in the
    chain, in one transaction.

    Refused, nothing written: a line without a key or a payment without a payee
    (ValueError); the ledger written by another run since ``read_at`` (LockError); and a
    line for someone the rule already pays live in the same scope, or twice in the lines
    (InternalError) — never paid twice, whatever the caller computed."""
    columns = [*PAYMENT_COLUMNS, "month", "source"]
    rows = records(lines.reindex(columns=columns), columns)
    # a payment is never made to nobody (a past one may not name its payee: it is history)
    blank = [r for r in rows if not r["key"] or (kind == "month" and not r["payee_id"])]
    if blank:
        raise ValueError(f"{len(blank)} line(s) without a payee or a key: never written")
    created = now()
    with transaction(db):
        if read_at is not None and last_seq(db) != read_at:
            if kind == "import":
                raise LockError("ledger_moved_import")
            raise LockError("ledger_moved", month=dates.month_text(month))
        clash = _live_clash(db, lines)
        if clash:  # the computation upstream missed it: a bug, and nothing is written
            raise InternalError("ledger_refused_twice", batch=batch_id, who=clash)
        db.insert(TABLES["batches"], [{
            "batch_id": batch_id, "month": month, "run_id": run_id, "committed": created,
            "policy_sha256": policy_sha256, "inputs": json.dumps(inputs, ensure_ascii=False),
            "lines": len(rows), "kind": kind,
            "total_fen": int(lines["amount_fen"].sum()) if len(lines) else 0,
        }])  # fmt: skip
        append(db, "batches", select_rows(
            db, "SELECT * FROM batches WHERE batch_id = :batch", {"batch": batch_id}
        ))  # fmt: skip
        db.insert(
            TABLES["payments"],
            [{"batch_id": batch_id, **row, "created": created} for row in rows],
        )
        stored = select_rows(
            db, "SELECT * FROM payments WHERE batch_id = :batch ORDER BY entry_id",
            {"batch": batch_id},
        )  # fmt: skip
        append(db, "payments", stored)
        claim(db, pd.DataFrame(stored, columns=list(stored[0]) if stored else ["entry_id"]))
        if bank is not None:
            _insert_bank_part(db, batch_id, 0, bank, items, created)
    record_head(db)


def claim(db: Db, entries: pd.DataFrame) -> None:
    """Record who each new payment entry is for (rule, scope, person), each claim numbered
    one after the claims made on it before (all of them reversed since, or the clash check
    had refused): a second writer paying one person at the same time takes the same number,
    and the database's key refuses it — inside the caller's transaction."""
    if entries.empty:
        return
    who = who_scope(entries.assign(month=entries["month"].astype(int)))
    if who.empty:
        return
    who = who.assign(entry_id=entries.loc[who.index, "entry_id"].astype(int).to_numpy())
    earlier = _claims_made(db, who)
    counts = who.merge(earlier, on=["rule", "scope", "who"], how="left")["n"].fillna(0)
    nth = (
        counts.astype(int).to_numpy() + who.groupby(["rule", "scope", "who"]).cumcount().to_numpy()
    )
    db.insert(TABLES["claims"], records(who.assign(nth=nth), ["rule", "scope", "who", "nth",
                                                              "entry_id"]))  # fmt: skip


def _claims_made(db: Db, who: pd.DataFrame) -> pd.DataFrame:
    """How many claims were made before on each (rule, scope, person) of ``who``."""
    found = [
        db.frame(
            "SELECT rule, scope, who, COUNT(*) AS n FROM claims "
            "WHERE rule = :rule AND scope = :scope GROUP BY rule, scope, who",
            {"rule": rule, "scope": scope},
        )
        for rule, scope in who[["rule", "scope"]].drop_duplicates().itertuples(index=False)
    ]
    return pd.concat(found) if found else pd.DataFrame(columns=["rule", "scope", "who", "n"])


def claim_existing(db: Db) -> None:
    """Claim every payment entry a ledger held before claims existed (version 8), in the
    order they were made."""
    claim(db, db.frame("SELECT * FROM payments WHERE entry = 'payment' ORDER BY entry_id"))


def check_claims(db: Db) -> list[Said]:
    """Payment entries whose claims do not match who they are for (a claim missing, added
    or changed outside the tool)."""
    entries = db.frame("SELECT * FROM payments WHERE entry = 'payment' ORDER BY entry_id")
    if entries.empty:
        expected = pd.DataFrame(columns=["rule", "scope", "who", "entry_id"])
    else:
        expected = who_scope(entries)
        expected = expected.assign(entry_id=entries.loc[expected.index, "entry_id"].to_numpy())
    stored = db.frame("SELECT rule, scope, who, entry_id FROM claims")
    keys = ["rule", "scope", "who", "entry_id"]
    sides = pd.concat([expected[keys].astype(str).assign(side=1),
                       stored[keys].astype(str).assign(side=-1)])  # fmt: skip
    balance = sides.groupby(keys)["side"].sum()
    odd = balance[balance != 0].index.to_frame(index=False)
    return [
        said("ledger_claim_differs", entry_id=entry, who=_whom(rule, scope, who))
        for rule, scope, who, entry in odd.itertuples(index=False)
    ][:20]


def _live_clash(db: Db, lines: pd.DataFrame) -> Said | None:
    """The first person these lines would pay again: live already for the rule in the same
    scope, or twice among the lines — matched on who each line is for, not on its key."""
    if lines.empty:
        return None
    new = who_scope(lines)
    paid = who_scope(live_payments(db))
    both = pd.concat([paid, new]).duplicated(["rule", "scope", "who"], keep=False)
    clash = new[both.iloc[len(paid) :].to_numpy()]
    if clash.empty:
        return None
    rule, scope, who = clash.iloc[0][["rule", "scope", "who"]]
    return _whom(rule, scope, who)


def void_month(db: Db, month: int, reason: str) -> tuple[str, int, int] | None:
    """Reverse every live payment of ``month``'s batch with ``reason`` (see :func:`void_batch`)."""
    batch_id = live_batch(db, month)
    return None if batch_id is None else void_batch(db, batch_id, reason)


def void_batch(db: Db, batch_id: str, reason: str) -> tuple[str, int, int] | None:
    """Reverse every live payment of a batch (a month's or an import) with ``reason``: new
    reversal entries, never an edit or a delete.  Returns (batch id, entries reversed, fen
    reversed), or None when the batch does not exist or is voided already."""
    reason = idcard.mask_in_text(reason)  # a reason may quote a phone or an ID: never in full
    created = now()
    columns = [*PAYMENT_COLUMNS, "month", "source"]
    with transaction(db):
        month = db.scalar(
            "SELECT b.month FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
            "WHERE b.batch_id = :batch AND v.batch_id IS NULL",
            {"batch": batch_id},
        )
        if month is None:
            return None
        live = select_rows(db, "SELECT * FROM live_payments WHERE batch_id = :batch "
                               "ORDER BY entry_id", {"batch": batch_id})  # fmt: skip
        db.insert(TABLES["payments"], [
            {"batch_id": batch_id, **{c: entry.get(c) for c in columns},
             "amount_fen": -entry["amount_fen"], "entry": "reversal",
             "reverses": entry["entry_id"], "reason": reason, "created": created}
            for entry in live
        ])  # fmt: skip
        if live:
            append(db, "payments", select_rows(
                db, "SELECT * FROM payments WHERE batch_id = :batch AND entry = 'reversal' "
                "ORDER BY entry_id", {"batch": batch_id},
            ))  # fmt: skip
        db.insert(TABLES["voids"], [{"batch_id": batch_id, "month": month, "reason": reason,
                                     "created": created}])  # fmt: skip
        append(db, "voids", select_rows(db, "SELECT * FROM voids WHERE batch_id = :batch",
                                        {"batch": batch_id}))  # fmt: skip
    record_head(db)
    return batch_id, len(live), -sum(int(e["amount_fen"]) for e in live)


def ledger_entries(db: Db, month: int | None = None) -> pd.DataFrame:
    """Every entry (payments and reversals), optionally of one month."""
    where, params = ("WHERE month = :month", {"month": month}) if month else ("", {})
    return db.frame(f"SELECT * FROM payments {where} ORDER BY entry_id", params)


def batches(db: Db) -> pd.DataFrame:
    """Every batch, with its void (if any)."""
    return db.frame(
        "SELECT b.*, v.reason AS void_reason, v.created AS voided FROM batches b "
        "LEFT JOIN voids v ON v.batch_id = b.batch_id ORDER BY b.month, b.committed"
    )


def check_ledger(db: Db) -> list[Said]:
    """Integrity problems of the ledger (empty when sound): its guards, someone live twice,
    reversals and batch totals that do not add up, the hash chain and its head."""
    problems = check_schema(db)
    for rule, key, n in db.execute(
        "SELECT rule, key, COUNT(*) FROM live_payments GROUP BY rule, key HAVING COUNT(*) > 1"
    ):
        problems.append(said("ledger_key_twice", rule=rule, key=idcard.mask_in_text(key), n=n))
    problems += _identities_paid_twice(live_payments(db))
    for entry_id, amount, original in db.execute(
        "SELECT r.entry_id, r.amount_fen, p.amount_fen FROM payments r "
        "LEFT JOIN payments p ON p.entry_id = r.reverses WHERE r.entry = 'reversal'"
    ):
        if original is None or amount != -original:
            problems.append(said("ledger_reversal_mismatch", entry_id=entry_id))
    for batch_id, lines, total, n, s in db.execute(
        "SELECT b.batch_id, b.lines, b.total_fen, COUNT(p.entry_id), COALESCE(SUM(p.amount_fen), 0) "
        "FROM batches b LEFT JOIN payments p ON p.batch_id = b.batch_id AND p.entry = 'payment' "
        "GROUP BY b.batch_id"
    ):
        if lines != n or total != s:
            problems.append(said("ledger_batch_mismatch", batch_id=batch_id, lines=lines,
                                 total=total, n=n, s=s))  # fmt: skip
    problems += check_claims(db)
    problems += check_chain(db)
    behind = check_head(db)
    if behind:
        problems.append(behind)
    elif links(db):
        problems += [said("chain_no_head", path=str(p)) for p in missing_heads(db)]
    return problems


def identities_of(entries: pd.DataFrame) -> pd.Series:
    """Who each entry is for: its identities ('|'-joined IDs, 户:<户编号>), or, for an entry
    recorded before identities were, the person of its key."""
    stored = entries.get("identities", pd.Series("", index=entries.index)).fillna("").astype(str)
    legacy = entries["key"].astype(str).str.split("|").str[0].str.removeprefix("owner:")
    return stored.where(stored.ne(""), legacy)


def scope_of(entries: pd.DataFrame) -> pd.Series:
    """What a rule pays once in: ever (''), a calendar year ('2024') or a month ('202406'),
    by the rule's frequency."""
    frequency = entries["rule"].map(RULE_FREQUENCY).fillna("once")
    month = entries["month"].astype(int)
    scopes = np.select(
        [frequency.eq("once"), frequency.eq("yearly")],
        ["", (month // 100).astype(str)],
        month.astype(str),
    )
    return pd.Series(scopes, index=entries.index, dtype=object)


def who_scope(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per (entry, person it is for): rule, scope and who, indexed like ``entries``
    — what "paid twice" is judged on, whatever the keys look like."""
    frame = pd.DataFrame(
        {"rule": entries["rule"], "scope": scope_of(entries),
         "who": identities_of(entries).str.split("|")},
        index=entries.index,
    ).explode("who")  # fmt: skip
    frame = frame[frame["who"].fillna("").ne("")]
    # once per entry and person (an owner is also among the household's members)
    return (
        frame.assign(_entry=frame.index).drop_duplicates(["_entry", "who"]).drop(columns="_entry")
    )


def _identities_paid_twice(live: pd.DataFrame) -> list[Said]:
    """Someone live twice for one rule and scope, whatever the keys look like."""
    if live.empty:
        return []
    twice = who_scope(live).groupby(["rule", "scope", "who"]).size()
    many = twice[twice > 1]
    return [
        said("ledger_who_twice", who=_whom(rule, scope, who), n=n)
        for (rule, scope, who), n in zip(many.index, many, strict=True)
    ]


def _whom(rule: str, scope: str, who: str) -> Said:
    """A rule's payee, masked, and the scope it is paid once in ('' for ever)."""
    masked = idcard.mask_in_text(str(who))
    return (
        said("ledger_who_in", rule=rule, who=masked, scope=scope)
        if scope
        else said("ledger_who", rule=rule, who=masked)
    )
