"""The ledger's hash chain: every batch, payment and void is a link carrying the hash of
the one before, so a row changed, removed or added outside the tool breaks it; and the
chain's head, kept outside the database (beside it and in the user's state folder), so a
ledger cut short or put back from an old copy is found too."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from pathlib import Path

from fengdu_cli import idcard
from fengdu_cli.messages import Said, said
from fengdu_cli.store.sql import select_rows

CHAINED = {"batches": "batch_id", "payments": "entry_id", "voids": "void_id"}


HEAD_SUFFIX = ".head"
_HEAD = re.compile(r"(\d+) (genesis|[0-9a-f]{64})")


def head_path(conn: sqlite3.Connection) -> Path:
    """The file beside the database that holds the chain's last link after every write."""
    return Path(str(db_file(conn)) + HEAD_SUFFIX)


def state_head_path(conn: sqlite3.Connection) -> Path:
    """A second copy of the head, in the user's own state folder (``FENGDU_STATE_DIR``, else
    %LOCALAPPDATA%\\fengdu or ~/.local/state/fengdu), named for the database's full path:
    a ledger folder copied back from a backup brings its own head along, not this one."""
    if os.environ.get("FENGDU_STATE_DIR"):
        base = Path(os.environ["FENGDU_STATE_DIR"])
    elif os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"]) / "fengdu"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "fengdu"
    name = hashlib.sha256(str(Path(db_file(conn)).resolve()).encode()).hexdigest()[:32]
    return base / "heads" / f"{name}{HEAD_SUFFIX}"


def db_file(conn: sqlite3.Connection) -> str:
    return next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")


def record_head(conn: sqlite3.Connection) -> None:
    """Write the chain's last link (seq, digest) beside the database and in the user's state
    folder, atomically, privately.  A head that could not be written stays at an earlier
    link, which is still true."""
    last = conn.execute("SELECT seq, digest FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    seq, digest = last if last else (0, "genesis")
    for target in (head_path(conn), state_head_path(conn)):
        temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(f"{seq} {digest} {Path(db_file(conn)).resolve()}\n")
            os.replace(temp, target)
        except OSError:
            temp.unlink(missing_ok=True)


def _heads(conn: sqlite3.Connection) -> list[tuple[Path, str | None]]:
    """Each head recorded for this ledger: (file, its text), None where there is none."""
    found: list[tuple[Path, str | None]] = []
    for path in (head_path(conn), state_head_path(conn)):
        try:
            found.append((path, path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            found.append((path, None))
        except OSError:
            found.append((path, ""))
    return found


def check_head(conn: sqlite3.Connection) -> Said | None:
    """Why the chain does not reach a head recorded for it (beside the database or in the
    user's state folder), else None."""
    for path, recorded in _heads(conn):
        if recorded is None:
            continue
        head = _HEAD.match(recorded.strip())
        if head is None:
            return said("chain_head_unreadable", path=str(path))
        seq, digest = int(head[1]), head[2]
        if seq == 0:
            continue
        row = conn.execute("SELECT digest FROM chain WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            return said("chain_short", seq=seq)
        if row[0] != digest:
            return said("chain_head_differs", seq=seq)
    return None


def missing_heads(conn: sqlite3.Connection) -> list[Path]:
    """The head records this ledger lacks (made by the next normal use)."""
    return [path for path, recorded in _heads(conn) if recorded is None]


def _canonical(row: dict) -> str:
    """A row as the chain hashes it: its non-empty columns, sorted (a column added by a
    later migration, NULL in old rows, changes nothing)."""
    return json.dumps(
        {k: v for k, v in row.items() if v is not None},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def _digest(prev: str, tbl: str, key: object, row: dict) -> str:
    return hashlib.sha256(f"{prev}|{tbl}|{key}|{_canonical(row)}".encode()).hexdigest()


def _last_digest(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT digest FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else "genesis"


def append(conn: sqlite3.Connection, tbl: str, rows: list[dict]) -> None:
    """Append ``rows`` of ``tbl`` (as stored) to the chain, inside the caller's transaction."""
    prev = _last_digest(conn)
    for row in rows:
        key = row[CHAINED[tbl]]
        digest = _digest(prev, tbl, key, row)
        conn.execute(
            "INSERT INTO chain (tbl, row_key, prev, digest) VALUES (?, ?, ?, ?)",
            (tbl, str(key), prev, digest),
        )
        prev = digest


def chain_existing(conn: sqlite3.Connection) -> None:
    """Chain the rows a database held before the chain existed (migration 4)."""
    for tbl, key in CHAINED.items():
        order = "rowid" if tbl == "batches" else key
        append(conn, tbl, select_rows(conn, f"SELECT * FROM {tbl} ORDER BY {order}"))


def links(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM chain").fetchone()[0]


def check_chain(conn: sqlite3.Connection) -> list[Said]:
    """Where the chain breaks: a row changed, removed or added outside the tool."""
    problems: list[Said] = []
    stored = {
        tbl: {str(r[key]): r for r in select_rows(conn, f"SELECT * FROM {tbl}")}
        for tbl, key in CHAINED.items()
    }
    prev = "genesis"
    chained: dict[str, set[str]] = {tbl: set() for tbl in CHAINED}
    for seq, tbl, key, link, digest in conn.execute(
        "SELECT seq, tbl, row_key, prev, digest FROM chain ORDER BY seq"
    ):
        row = stored.get(tbl, {}).get(key)
        if link != prev:
            problems.append(said("chain_broken", seq=seq))
        if row is None:
            problems.append(said("chain_row_gone", seq=seq, tbl=tbl, key=idcard.mask_in_text(key)))
        elif _digest(link, tbl, key, row) != digest:
            problems.append(
                said("chain_row_changed", seq=seq, tbl=tbl, key=idcard.mask_in_text(key))
            )
        chained[tbl].add(key)
        prev = digest
    for tbl, rows in stored.items():
        for key in rows.keys() - chained[tbl]:
            problems.append(said("chain_row_unchained", tbl=tbl, key=idcard.mask_in_text(key)))
    return problems
