"""The SQLite scripts the tool ran before its schema was defined once for SQLite and
PostgreSQL (versions 1–7, as ledgers in the counties were made): a ledger of an earlier
version is built from them, to prove that it opens, keeps its guards and migrates."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        command TEXT NOT NULL,
        month INTEGER,
        started TEXT NOT NULL,
        finished TEXT,
        version TEXT NOT NULL,
        summary TEXT
    );
    CREATE TABLE month_state (
        month INTEGER NOT NULL,
        id_number TEXT NOT NULL,
        township TEXT, village TEXT, household_id TEXT, name TEXT,
        category TEXT, labor_capacity TEXT, work_status TEXT,
        active_jobs INTEGER, employer_code TEXT, employer_name TEXT, region TEXT,
        tenure_months INTEGER, insured_m INTEGER, insured_months_current INTEGER,
        last_insured_month INTEGER, employers_12m INTEGER,
        PRIMARY KEY (month, id_number)
    );
    CREATE TABLE month_warnings (
        month INTEGER NOT NULL,
        id_number TEXT NOT NULL,
        code TEXT NOT NULL,
        township TEXT, village TEXT, household_id TEXT, name TEXT,
        detail TEXT, status TEXT,
        PRIMARY KEY (month, id_number, code)
    );
    CREATE TABLE month_summary (
        month INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(run_id),
        summary TEXT NOT NULL
    );
    """,
    2: """
    CREATE TABLE batches (
        batch_id TEXT PRIMARY KEY,
        month INTEGER NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(run_id),
        committed TEXT NOT NULL,
        policy_sha256 TEXT NOT NULL,
        inputs TEXT NOT NULL,
        lines INTEGER NOT NULL,
        total_fen INTEGER NOT NULL
    );
    CREATE TABLE payments (
        entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL REFERENCES batches(batch_id),
        month INTEGER NOT NULL,
        rule TEXT NOT NULL,
        key TEXT NOT NULL,
        payee_type TEXT, payee_id TEXT, payee_name TEXT,
        township TEXT, village TEXT, household_id TEXT,
        person_id TEXT, person_name TEXT,
        amount_fen INTEGER NOT NULL,
        period TEXT, basis TEXT,
        entry TEXT NOT NULL DEFAULT 'payment' CHECK (entry IN ('payment', 'reversal')),
        reverses INTEGER REFERENCES payments(entry_id),
        reason TEXT,
        created TEXT NOT NULL
    );
    CREATE UNIQUE INDEX payments_one_reversal ON payments(reverses) WHERE reverses IS NOT NULL;
    CREATE INDEX payments_rule_key ON payments(rule, key);
    CREATE TABLE voids (
        void_id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL UNIQUE REFERENCES batches(batch_id),
        month INTEGER NOT NULL,
        reason TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TRIGGER payments_append_only_u BEFORE UPDATE ON payments
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER payments_append_only_d BEFORE DELETE ON payments
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER batches_append_only_u BEFORE UPDATE ON batches
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER batches_append_only_d BEFORE DELETE ON batches
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE VIEW live_payments AS
        SELECT p.* FROM payments p
        WHERE p.entry = 'payment'
          AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.entry_id);
    """,
    # payments made before the tool (`fengdu ledger import`): a batch of kind 'import',
    # each entry with the file and row it came from
    3: """
    ALTER TABLE batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'month'
        CHECK (kind IN ('month', 'import'));
    ALTER TABLE payments ADD COLUMN source TEXT;
    DROP VIEW live_payments;
    CREATE VIEW live_payments AS
        SELECT p.*, b.kind AS batch_kind FROM payments p JOIN batches b ON b.batch_id = p.batch_id
        WHERE p.entry = 'payment'
          AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.entry_id);
    """,
    # who a payment is for, whatever its key looks like (a household by its members' IDs),
    # and the tamper-evident chain over every batch, payment and void
    4: """
    ALTER TABLE payments ADD COLUMN identities TEXT;
    CREATE TABLE chain (
        seq INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL CHECK (tbl IN ('batches', 'payments', 'voids')),
        row_key TEXT NOT NULL,
        prev TEXT NOT NULL,
        digest TEXT NOT NULL,
        UNIQUE (tbl, row_key)
    );
    CREATE TRIGGER chain_append_only_u BEFORE UPDATE ON chain
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER chain_append_only_d BEFORE DELETE ON chain
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER voids_append_only_u BEFORE UPDATE ON voids
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER voids_append_only_d BEFORE DELETE ON voids
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    -- INSERT OR REPLACE deletes the row it replaces without firing delete triggers
    CREATE TRIGGER payments_no_replace BEFORE INSERT ON payments
        WHEN EXISTS (SELECT 1 FROM payments WHERE entry_id = NEW.entry_id)
          OR (NEW.reverses IS NOT NULL
              AND EXISTS (SELECT 1 FROM payments WHERE reverses = NEW.reverses))
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER batches_no_replace BEFORE INSERT ON batches
        WHEN EXISTS (SELECT 1 FROM batches WHERE batch_id = NEW.batch_id)
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER voids_no_replace BEFORE INSERT ON voids
        WHEN EXISTS (SELECT 1 FROM voids WHERE void_id = NEW.void_id OR batch_id = NEW.batch_id)
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER chain_no_replace BEFORE INSERT ON chain
        WHEN EXISTS (SELECT 1 FROM chain WHERE seq = NEW.seq
                     OR (tbl = NEW.tbl AND row_key = NEW.row_key))
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    """,
    # the start of each person's current job (ISO date), for the yearly report's hires at
    # the key employers; months stored before keep it NULL (未存储, never 0)
    5: """
    ALTER TABLE month_state ADD COLUMN start_date TEXT;
    """,
    # each line of a batch's bank list (代发清单) as committed — the account paid — and of its
    # supplements (part 1, 2 …: payees given an account later), so that a list written again
    # is the list sent, and no payee is ever on two
    6: """
    CREATE TABLE bank_lines (
        line_id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL REFERENCES batches(batch_id),
        part INTEGER NOT NULL CHECK (part >= 0),
        seq INTEGER NOT NULL,
        payee_key TEXT NOT NULL,
        account_no TEXT NOT NULL,
        bank TEXT,
        account_name TEXT,
        amount_fen INTEGER NOT NULL,
        persons INTEGER NOT NULL,
        payee_id TEXT,
        summary TEXT,
        rules TEXT,
        line_batch TEXT NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (batch_id, payee_key)
    );
    CREATE TRIGGER bank_lines_append_only_u BEFORE UPDATE ON bank_lines
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER bank_lines_append_only_d BEFORE DELETE ON bank_lines
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER bank_lines_no_replace BEFORE INSERT ON bank_lines
        WHEN EXISTS (SELECT 1 FROM bank_lines WHERE line_id = NEW.line_id
                     OR (batch_id = NEW.batch_id AND payee_key = NEW.payee_key))
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    """,
    # what each bank part sent, per payment line of the ledger (batch, rule, key): a line is
    # on one part only, to the account of that part's bank line (payee_key); and each part
    # recorded (also a batch's part 0 with no line: nobody had an account)
    7: """
    CREATE TABLE bank_parts (
        batch_id TEXT NOT NULL REFERENCES batches(batch_id),
        part INTEGER NOT NULL CHECK (part >= 0),
        lines INTEGER NOT NULL,
        total_fen INTEGER NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (batch_id, part)
    );
    CREATE TABLE bank_items (
        item_id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL REFERENCES batches(batch_id),
        part INTEGER NOT NULL CHECK (part >= 0),
        rule TEXT NOT NULL,
        key TEXT NOT NULL,
        payee_key TEXT NOT NULL,
        amount_fen INTEGER NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (batch_id, rule, key)
    );
    CREATE TRIGGER bank_parts_append_only_u BEFORE UPDATE ON bank_parts
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER bank_parts_append_only_d BEFORE DELETE ON bank_parts
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER bank_items_append_only_u BEFORE UPDATE ON bank_items
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER bank_items_append_only_d BEFORE DELETE ON bank_items
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER bank_parts_no_replace BEFORE INSERT ON bank_parts
        WHEN EXISTS (SELECT 1 FROM bank_parts WHERE batch_id = NEW.batch_id AND part = NEW.part)
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER bank_items_no_replace BEFORE INSERT ON bank_items
        WHEN EXISTS (SELECT 1 FROM bank_items WHERE item_id = NEW.item_id
                     OR (batch_id = NEW.batch_id AND rule = NEW.rule AND key = NEW.key))
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    """,
}


def statements(script: str) -> Iterator[str]:
    """The SQL statements of a script (trigger bodies hold ';' of their own)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not pending.strip():
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""


def legacy_ledger(path: Path, version: int) -> sqlite3.Connection:
    """A SQLite ledger at ``path`` as version ``version`` (1–7) of the tool made it, open."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in range(1, version + 1):
        for statement in statements(MIGRATIONS[step]):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    return conn
