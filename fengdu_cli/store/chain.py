"""The ledger's hash chain: every batch, payment and void is a link carrying the hash of
the one before, so a row changed, removed or added outside the tool breaks it; and the
chain's head, kept outside the database (beside it and in the user's state folder), so a
ledger cut short or put back from an old copy is found too."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from fengdu_cli import idcard
from fengdu_cli.messages import Said, said
from fengdu_cli.store.schema import TABLES
from fengdu_cli.store.sql import Db, select_rows

CHAINED = {"batches": "batch_id", "payments": "entry_id", "voids": "void_id"}


HEAD_SUFFIX = ".head"
_HEAD = re.compile(r"(\d+) (genesis|[0-9a-f]{64})")


def head_path(db: Db) -> Path | None:
    """The file beside a SQLite database that holds the chain's last link after every write
    (a server's database has none: its head is kept in each user's state folder)."""
    path = db.target.path if db.target is not None else None
    return None if path is None else Path(str(path) + HEAD_SUFFIX)


def state_head_path(db: Db) -> Path:
    """A second copy of the head, in the user's own state folder (``FENGDU_STATE_DIR``, else
    %LOCALAPPDATA%\\fengdu or ~/.local/state/fengdu), named for the database's full path or
    server: a ledger folder copied back from a backup brings its own head along, not this one."""
    return state_folder() / "heads" / f"{db.target.digest}{HEAD_SUFFIX}"


def state_folder() -> Path:
    """This user's state folder: ``FENGDU_STATE_DIR``, else %LOCALAPPDATA%\\fengdu or
    ~/.local/state/fengdu."""
    if os.environ.get("FENGDU_STATE_DIR"):
        return Path(os.environ["FENGDU_STATE_DIR"])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "fengdu"
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "fengdu"


def _head_files(db: Db) -> list[Path]:
    beside = head_path(db)
    return [*([beside] if beside is not None else []), state_head_path(db)]


def last_link(db: Db) -> tuple[int, str]:
    """The chain's last link: (seq, digest), (0, 'genesis') for an empty chain."""
    row = db.execute("SELECT seq, digest FROM chain ORDER BY seq DESC LIMIT 1").first()
    return (int(row[0]), str(row[1])) if row else (0, "genesis")


def last_seq(db: Db) -> int:
    """The number of the chain's last link (0: empty): what the ledger was when it was read."""
    return last_link(db)[0]


def record_head(db: Db) -> None:
    """Write the chain's last link (seq, digest) beside the database and in the user's state
    folder, atomically, privately.  A head that could not be written stays at an earlier
    link, which is still true."""
    seq, digest = last_link(db)
    for target in _head_files(db):
        temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(f"{seq} {digest} {db.target.key}\n")
            os.replace(temp, target)
        except OSError:
            temp.unlink(missing_ok=True)


def _heads(db: Db) -> list[tuple[Path, str | None]]:
    """Each head recorded for this ledger: (file, its text), None where there is none."""
    found: list[tuple[Path, str | None]] = []
    for path in _head_files(db):
        try:
            found.append((path, path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            found.append((path, None))
        except OSError:
            found.append((path, ""))
    return found


def check_head(db: Db) -> Said | None:
    """Why the chain does not reach a head recorded for it (beside the database or in the
    user's state folder), else None."""
    for path, recorded in _heads(db):
        if recorded is None:
            continue
        head = _HEAD.match(recorded.strip())
        if head is None:
            return said("chain_head_unreadable", path=str(path))
        seq, digest = int(head[1]), head[2]
        if seq == 0:
            continue
        row = db.execute("SELECT digest FROM chain WHERE seq = :seq", {"seq": seq}).first()
        if row is None:
            return said("chain_short", seq=seq)
        if row[0] != digest:
            return said("chain_head_differs", seq=seq)
    return None


def missing_heads(db: Db) -> list[Path]:
    """The head records this ledger lacks (made by the next normal use)."""
    return [path for path, recorded in _heads(db) if recorded is None]


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


def append(db: Db, tbl: str, rows: list[dict]) -> None:
    """Append ``rows`` of ``tbl`` (as stored) to the chain, inside the caller's transaction;
    each link numbered one after the last, so two writers never both extend one link."""
    seq, prev = last_link(db)
    links = []
    for row in rows:
        key = row[CHAINED[tbl]]
        digest = _digest(prev, tbl, key, row)
        seq += 1
        links.append({"seq": seq, "tbl": tbl, "row_key": str(key), "prev": prev, "digest": digest})
        prev = digest
    db.insert(TABLES["chain"], links)


def chain_existing(db: Db) -> None:
    """Chain the rows a database held before the chain existed (migration 4)."""
    for tbl, key in CHAINED.items():
        order = "rowid" if tbl == "batches" and db.dialect == "sqlite" else key
        append(db, tbl, select_rows(db, f"SELECT * FROM {tbl} ORDER BY {order}"))


def links(db: Db) -> int:
    return int(db.scalar("SELECT COUNT(*) FROM chain"))


def check_chain(db: Db) -> list[Said]:
    """Where the chain breaks: a row changed, removed or added outside the tool."""
    problems: list[Said] = []
    stored = {
        tbl: {str(r[key]): r for r in select_rows(db, f"SELECT * FROM {tbl}")}
        for tbl, key in CHAINED.items()
    }
    prev = "genesis"
    chained: dict[str, set[str]] = {tbl: set() for tbl in CHAINED}
    for seq, tbl, key, link, digest in db.execute(
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
