"""The payment ledger: batches of payments (a month's, or an import of payments made before
the tool), reversals and voids — append-only, each row a link of the hash chain — and
who each entry is for, so that no one is ever live twice for a rule in one scope."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pandas as pd

from fengdu_cli import dates, idcard
from fengdu_cli.errors import InternalError
from fengdu_cli.messages import Said, said
from fengdu_cli.policy.schema import RULE_FREQUENCY
from fengdu_cli.store.chain import (
    append,
    check_chain,
    check_head,
    links,
    missing_heads,
    record_head,
)
from fengdu_cli.store.schema import check_schema
from fengdu_cli.store.sql import now, records, select_rows, transaction

PAYMENT_COLUMNS = [
    "rule", "key", "payee_type", "payee_id", "payee_name", "township", "village", "household_id",
    "person_id", "person_name", "amount_fen", "period", "basis", "identities",
]  # fmt: skip


# the ledger as seen without a database: nothing paid
NO_PAYMENTS = pd.DataFrame(
    columns=["entry_id", "batch_id", *PAYMENT_COLUMNS, "month", "source", "batch_kind"]
)


def live_payments(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every committed payment that has not been reversed."""
    return pd.read_sql_query("SELECT * FROM live_payments ORDER BY entry_id", conn)


def live_batch(conn: sqlite3.Connection, month: int) -> str | None:
    """The committed, not voided batch of ``month`` (imports are not a month's batch)."""
    row = conn.execute(
        "SELECT b.batch_id FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE b.month = ? AND b.kind = 'month' AND v.batch_id IS NULL "
        "ORDER BY b.committed DESC LIMIT 1",
        (month,),
    ).fetchone()
    return row[0] if row else None


def next_batch_id(conn: sqlite3.Connection, month: int) -> str:
    """The id of ``month``'s next batch: '2024-06-B1' for its first, one more for each batch
    of the month committed before (a voided one included), whatever else ran in between —
    so the number a clerk reads on the signed list counts the month's batches only."""
    text = dates.month_text(month)
    taken = {
        row[0]
        for row in conn.execute(
            "SELECT batch_id FROM batches WHERE batch_id LIKE ?", (f"{text}-%",)
        )
    }
    number = len(taken) + 1
    while f"{text}-B{number}" in taken:  # never reuse an id, whatever the ledger holds
        number += 1
    return f"{text}-B{number}"


def has_history(conn: sqlite3.Connection, month: int) -> bool:
    """Does the ledger know what was paid before ``month``: a live import, or a live batch
    of an earlier month?"""
    row = conn.execute(
        "SELECT 1 FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE v.batch_id IS NULL AND (b.kind = 'import' OR b.month < ?) LIMIT 1",
        (month,),
    ).fetchone()
    return row is not None


def imported_files(conn: sqlite3.Connection) -> dict[str, str]:
    """sha256 → batch of every file a live import read."""
    found: dict[str, str] = {}
    for batch_id, inputs in conn.execute(
        "SELECT b.batch_id, b.inputs FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE b.kind = 'import' AND v.batch_id IS NULL"
    ):
        for sha in json.loads(inputs).values():
            found[sha] = batch_id
    return found


def commit_import(
    conn: sqlite3.Connection, run_id: int, entries: pd.DataFrame, inputs: dict[str, str]
) -> str:
    """Record payments made before the tool as one batch of kind 'import', in one
    transaction; each entry keeps its month, period and source."""
    batch_id = f"IMPORT-R{run_id}"
    first = int(entries["month"].min()) if len(entries) else 0
    _record_batch(conn, batch_id, first, run_id, entries, "", inputs, "import")
    return batch_id


def batch_run_summary(conn: sqlite3.Connection, batch_id: str) -> dict:
    """The summary the run that committed ``batch_id`` stored (rules computed, skipped)."""
    row = conn.execute(
        "SELECT r.summary FROM batches b JOIN runs r ON r.run_id = b.run_id WHERE b.batch_id = ?",
        (batch_id,),
    ).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def batch_lines(conn: sqlite3.Connection, batch_id: str) -> pd.DataFrame:
    """The payment lines of a batch, in the order they were committed."""
    return pd.read_sql_query(
        f"SELECT batch_id, month, {', '.join(PAYMENT_COLUMNS)} FROM payments "
        "WHERE batch_id = ? AND entry = 'payment' ORDER BY entry_id",
        conn,
        params=(batch_id,),
    )


def commit_batch(
    conn: sqlite3.Connection,
    batch_id: str,
    month: int,
    run_id: int,
    lines: pd.DataFrame,
    policy_sha256: str,
    inputs: dict,
    bank: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
) -> None:
    """Record a month's lines in one transaction — with ``bank``, the lines of its bank list
    (:data:`BANK_LINE_COLUMNS`) as part 0 and ``items`` (:data:`BANK_ITEM_COLUMNS`: which
    payment line each bank line pays), in the same transaction."""
    _record_batch(
        conn, batch_id, month, run_id, lines.assign(month=month), policy_sha256, inputs,
        bank=bank, items=items,
    )  # fmt: skip


# a recorded bank line: what the bank was (or will be) told to pay, to which account
BANK_LINE_COLUMNS = [
    "seq", "payee_key", "account_no", "bank", "account_name", "amount_fen", "persons",
    "payee_id", "summary", "rules", "line_batch",
]  # fmt: skip
# a payment line of the ledger (rule, key) as sent on a bank part's line (payee_key)
BANK_ITEM_COLUMNS = ["rule", "key", "payee_key", "amount_fen"]


def _insert_bank_lines(
    conn: sqlite3.Connection, batch_id: str, part: int, bank: pd.DataFrame, created: str
) -> None:
    columns = ["batch_id", "part", *BANK_LINE_COLUMNS, "created"]
    rows = records(bank.assign(batch_id=batch_id, part=part, created=created), columns)
    conn.executemany(
        f"INSERT INTO bank_lines ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        rows,
    )


def _insert_bank_part(
    conn: sqlite3.Connection,
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
    conn.execute(
        "INSERT INTO bank_parts (batch_id, part, lines, total_fen, created) VALUES (?, ?, ?, ?, ?)",
        (batch_id, part, len(bank), total, created),
    )
    if len(bank):
        _insert_bank_lines(conn, batch_id, part, bank, created)
    if items is not None and len(items):
        columns = ["batch_id", "part", *BANK_ITEM_COLUMNS, "created"]
        rows = records(items.assign(batch_id=batch_id, part=part, created=created), columns)
        conn.executemany(
            f"INSERT INTO bank_items ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            rows,
        )


def bank_lines(conn: sqlite3.Connection, batch_id: str) -> pd.DataFrame:
    """The recorded bank lines of a batch, every part (``part``: 0 the batch's list, 1 … its
    supplements), in the order written."""
    return pd.read_sql_query(
        f"SELECT part, {', '.join(BANK_LINE_COLUMNS)} FROM bank_lines WHERE batch_id = ? "
        "ORDER BY part, seq",
        conn,
        params=(batch_id,),
    )


def bank_items(conn: sqlite3.Connection, batch_id: str) -> pd.DataFrame:
    """The batch's payment lines sent on a bank part: ``part`` and :data:`BANK_ITEM_COLUMNS`."""
    return pd.read_sql_query(
        f"SELECT part, {', '.join(BANK_ITEM_COLUMNS)} FROM bank_items WHERE batch_id = ? "
        "ORDER BY item_id",
        conn,
        params=(batch_id,),
    )


def bank_part_numbers(conn: sqlite3.Connection, batch_id: str) -> list[int]:
    """Every part recorded for the batch (a part with its head, or with lines only: recorded
    before parts had heads), in order."""
    rows = conn.execute(
        "SELECT part FROM bank_parts WHERE batch_id = ? UNION "
        "SELECT part FROM bank_lines WHERE batch_id = ? ORDER BY part",
        (batch_id, batch_id),
    ).fetchall()
    return [int(r[0]) for r in rows]


def record_bank_part(
    conn: sqlite3.Connection,
    batch_id: str,
    part: int,
    bank: pd.DataFrame,
    items: pd.DataFrame,
) -> int:
    """Record ``bank`` and its ``items`` as the batch's part ``part``, in one transaction.
    Refused (InternalError, nothing written) when ``part`` is not the batch's next part or a
    payment line is on a part already — a line is never sent twice."""
    with transaction(conn):
        taken = bank_part_numbers(conn, batch_id)
        if part != (max(taken) + 1 if taken else 0):
            raise InternalError("bank_part_mismatch", batch=batch_id, part=part)
        sent = bank_items(conn, batch_id)
        both = items.merge(sent[["rule", "key"]], on=["rule", "key"])
        if len(both):
            raise InternalError("bank_part_mismatch", batch=batch_id, part=part)
        _insert_bank_part(conn, batch_id, part, bank, items, now())
    return part


def _record_batch(
    conn: sqlite3.Connection,
    batch_id: str,
    month: int,
    run_id: int,
    lines: pd.DataFrame,
    policy_sha256: str,
    inputs: dict,
    kind: str = "month",
    bank: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
) -> None:
    """Insert a batch, its lines and their links in the chain, in one transaction.

    Refused, nothing written: a line without a key or a payment without a payee
    (ValueError), and a line for someone the rule already pays live in the same scope, or
    twice in the lines (InternalError) — never paid twice, whatever the caller computed."""
    columns = [*PAYMENT_COLUMNS, "month", "source"]
    rows = records(lines.reindex(columns=columns), columns)
    # a payment is never made to nobody (a past one may not name its payee: it is history)
    payee = PAYMENT_COLUMNS.index("payee_id")
    blank = [r for r in rows if not r[1] or (kind == "month" and not r[payee])]
    if blank:
        raise ValueError(f"{len(blank)} line(s) without a payee or a key: never written")
    created = now()
    with transaction(conn):
        clash = _live_clash(conn, lines)
        if clash:  # the computation upstream missed it: a bug, and nothing is written
            raise InternalError("ledger_refused_twice", batch=batch_id, who=clash)
        conn.execute(
            "INSERT INTO batches (batch_id, month, run_id, committed, policy_sha256, inputs, lines, "
            "total_fen, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (batch_id, month, run_id, created, policy_sha256, json.dumps(inputs, ensure_ascii=False),
             len(rows), int(lines["amount_fen"].sum()) if len(lines) else 0, kind),
        )  # fmt: skip
        append(
            conn,
            "batches",
            select_rows(conn, "SELECT * FROM batches WHERE batch_id = ?", (batch_id,)),
        )
        conn.executemany(
            f"INSERT INTO payments (batch_id, {', '.join(columns)}, created) "
            f"VALUES (?{', ?' * len(columns)}, ?)",
            [(batch_id, *row, created) for row in rows],
        )
        append(conn, "payments", select_rows(
            conn, "SELECT * FROM payments WHERE batch_id = ? ORDER BY entry_id", (batch_id,)
        ))  # fmt: skip
        if bank is not None:
            _insert_bank_part(conn, batch_id, 0, bank, items, created)
    record_head(conn)


def _live_clash(conn: sqlite3.Connection, lines: pd.DataFrame) -> Said | None:
    """The first person these lines would pay again: live already for the rule in the same
    scope, or twice among the lines — matched on who each line is for, not on its key."""
    if lines.empty:
        return None
    new = who_scope(lines)
    paid = who_scope(live_payments(conn))
    both = pd.concat([paid, new]).duplicated(["rule", "scope", "who"], keep=False)
    clash = new[both.iloc[len(paid) :].to_numpy()]
    if clash.empty:
        return None
    rule, scope, who = clash.iloc[0][["rule", "scope", "who"]]
    return _whom(rule, scope, who)


def void_month(conn: sqlite3.Connection, month: int, reason: str) -> tuple[str, int, int] | None:
    """Reverse every live payment of ``month``'s batch with ``reason`` (see :func:`void_batch`)."""
    batch_id = live_batch(conn, month)
    return None if batch_id is None else void_batch(conn, batch_id, reason)


def void_batch(conn: sqlite3.Connection, batch_id: str, reason: str) -> tuple[str, int, int] | None:
    """Reverse every live payment of a batch (a month's or an import) with ``reason``: new
    reversal entries, never an edit or a delete.  Returns (batch id, entries reversed, fen
    reversed), or None when the batch does not exist or is voided already."""
    reason = idcard.mask_in_text(reason)  # a reason may quote a phone or an ID: never in full
    row = conn.execute(
        "SELECT b.month FROM batches b LEFT JOIN voids v ON v.batch_id = b.batch_id "
        "WHERE b.batch_id = ? AND v.batch_id IS NULL",
        (batch_id,),
    ).fetchone()
    if row is None:
        return None
    created = now()
    columns = [*PAYMENT_COLUMNS, "month", "source"]
    with transaction(conn):
        live = select_rows(conn, "SELECT * FROM live_payments WHERE batch_id = ? ORDER BY entry_id",
                     (batch_id,))  # fmt: skip
        added = []
        for entry in live:
            values = {c: entry.get(c) for c in columns}
            values["amount_fen"] = -entry["amount_fen"]
            cur = conn.execute(
                f"INSERT INTO payments (batch_id, {', '.join(columns)}, entry, reverses, reason, "
                f"created) VALUES (?{', ?' * len(columns)}, 'reversal', ?, ?, ?)",
                (batch_id, *values.values(), entry["entry_id"], reason, created),
            )
            added.append(cur.lastrowid)
        if added:
            marks = ", ".join("?" * len(added))
            append(conn, "payments", select_rows(
                conn, f"SELECT * FROM payments WHERE entry_id IN ({marks}) ORDER BY entry_id",
                tuple(added),
            ))  # fmt: skip
        cur = conn.execute(
            "INSERT INTO voids (batch_id, month, reason, created) VALUES (?, ?, ?, ?)",
            (batch_id, row[0], reason, created),
        )
        append(conn, "voids", select_rows(conn, "SELECT * FROM voids WHERE void_id = ?",
                                    (cur.lastrowid,)))  # fmt: skip
    record_head(conn)
    return batch_id, len(live), -sum(int(e["amount_fen"]) for e in live)


def ledger_entries(conn: sqlite3.Connection, month: int | None = None) -> pd.DataFrame:
    """Every entry (payments and reversals), optionally of one month."""
    where, params = ("WHERE month = ?", (month,)) if month else ("", ())
    return pd.read_sql_query(
        f"SELECT * FROM payments {where} ORDER BY entry_id", conn, params=params
    )


def batches(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every batch, with its void (if any)."""
    return pd.read_sql_query(
        "SELECT b.*, v.reason AS void_reason, v.created AS voided FROM batches b "
        "LEFT JOIN voids v ON v.batch_id = b.batch_id ORDER BY b.month, b.committed",
        conn,
    )


def check_ledger(conn: sqlite3.Connection) -> list[Said]:
    """Integrity problems of the ledger (empty when sound): its guards, someone live twice,
    reversals and batch totals that do not add up, the hash chain and its head."""
    problems = check_schema(conn)
    for rule, key, n in conn.execute(
        "SELECT rule, key, COUNT(*) FROM live_payments GROUP BY rule, key HAVING COUNT(*) > 1"
    ):
        problems.append(said("ledger_key_twice", rule=rule, key=idcard.mask_in_text(key), n=n))
    problems += _identities_paid_twice(live_payments(conn))
    for entry_id, amount, original in conn.execute(
        "SELECT r.entry_id, r.amount_fen, p.amount_fen FROM payments r "
        "LEFT JOIN payments p ON p.entry_id = r.reverses WHERE r.entry = 'reversal'"
    ):
        if original is None or amount != -original:
            problems.append(said("ledger_reversal_mismatch", entry_id=entry_id))
    for batch_id, lines, total, n, s in conn.execute(
        "SELECT b.batch_id, b.lines, b.total_fen, COUNT(p.entry_id), COALESCE(SUM(p.amount_fen), 0) "
        "FROM batches b LEFT JOIN payments p ON p.batch_id = b.batch_id AND p.entry = 'payment' "
        "GROUP BY b.batch_id"
    ):
        if lines != n or total != s:
            problems.append(said("ledger_batch_mismatch", batch_id=batch_id, lines=lines,
                                 total=total, n=n, s=s))  # fmt: skip
    problems += check_chain(conn)
    behind = check_head(conn)
    if behind:
        problems.append(behind)
    elif links(conn):
        problems += [said("chain_no_head", path=str(p)) for p in missing_heads(conn)]
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
