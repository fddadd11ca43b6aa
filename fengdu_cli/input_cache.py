"""The checked inputs of a month, kept for the next command that reads the same files.

A clerk runs ``reconcile``, then ``subsidy``, then both again while the townships fix their
files; every one of them reads and checks the same rosters, employment and insurance files
(most of a command's time on a county month).  What :func:`fengdu_cli.validate.check_paths`
returned for a kind is kept in ``.fengdu-cache/`` beside the database, and used again only
when everything it depends on is the same:

- the kind and the date ages are judged on;
- every file under the folders: its path, size and SHA-256 (a file changed, added or removed
  is read again);
- the clerk's columns.toml (its path and SHA-256);
- the tool itself: a digest of its source files, and the versions of Python and of the
  libraries that read and check (an upgrade reads again).

Anything else — a file the cache cannot read, one of another format, owned by someone else
or writable by others — is treated as absent and the files are read.  A kind with a file
that could not be read is never kept.  The entries hold full IDs as the database does: the
folder and its files are readable by their owner only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import pickle
import platform
import tempfile
import time
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from fengdu_cli.io.columns_toml import ColumnsConfig, columns_for
from fengdu_cli.io.read import find_files
from fengdu_cli.progress import Progress
from fengdu_cli.validate import Checked, check_paths

log = logging.getLogger(__name__)

CACHE_DIR = ".fengdu-cache"
FORMAT = 1  # raised when what is kept changes shape
LIBRARIES = ("pandas", "numpy", "pandera", "python-calamine", "pyarrow", "xlrd", "openpyxl")
_CHUNK = 1 << 20
ABANDONED = 6 * 3600  # seconds after which a half-written entry is a killed run's
KEEP = 3  # entries kept per kind (the months or folders used last); older ones are removed


def folder_for(db: Path | str) -> Path:
    """The cache folder of the database ``db``: ``.fengdu-cache/`` in the same folder; for a
    server's database, in this user's state folder (one per database: the clerks' own)."""
    from fengdu_cli.store import target
    from fengdu_cli.store.chain import state_folder

    where = target(db)
    if where.path is None:
        return state_folder() / "cache" / where.digest
    return where.path.resolve().parent / CACHE_DIR


def checked(
    paths: Iterable[Path | str],
    kind: str,
    *,
    on: dt.date,
    columns: ColumnsConfig | None = None,
    progress: Progress | None = None,
    cache: Path | None = None,
) -> Checked:
    """:func:`~fengdu_cli.validate.check_paths` of ``paths`` as ``kind``, taken from
    ``cache`` when the same files were checked the same way before (None: no cache)."""
    found = [Path(p) for p in paths]
    if cache is None:
        return check_paths(found, kind, on=on, columns=columns, progress=progress)
    columns = columns if columns is not None else columns_for(None, found)
    try:
        key = _key(found, kind, on, columns)
    except OSError:  # a file that cannot be read: reported by the check, never kept
        return check_paths(found, kind, on=on, columns=columns, progress=progress)
    entry = Path(cache) / _entry_name(found, kind)
    kept = _load(entry, key)
    if kept is not None:
        with contextlib.suppress(OSError):
            os.utime(entry)  # used now: kept longest
        log.info("%s: the same %d files as checked before, taken from %s", kind,
                 len(kept.files), entry.parent)  # fmt: skip
        return kept
    result = check_paths(found, kind, on=on, columns=columns, progress=progress)
    if not result.unreadable and _unchanged(found, kind, on, columns, key):
        _save(entry, key, result)
        _prune(Path(cache), kind)
    return result


def _unchanged(
    paths: list[Path], kind: str, on: dt.date, columns: ColumnsConfig, key: bytes
) -> bool:
    """Whether the files are still those the key was made of: one replaced while it was
    being read must not be kept under the hash of its earlier content."""
    try:
        return _key(paths, kind, on, columns) == key
    except OSError:
        return False


def _prune(cache: Path, kind: str) -> None:
    """Keep the :data:`KEEP` entries of ``kind`` used last (one per data folder: a county
    keeps each month's folder apart), so the cache does not grow month after month."""
    try:
        entries = sorted(
            cache.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in entries[KEEP:]:
            old.unlink()
        for left in cache.glob(".tmp-*.pickle"):  # a run killed while writing its entry
            if time.time() - left.stat().st_mtime > ABANDONED:
                left.unlink()
    except OSError as exc:
        log.warning("cache %s could not be pruned (%s)", cache, exc)


def _entry_name(paths: list[Path], kind: str) -> str:
    """One entry per kind and set of folders: a newer check replaces the older."""
    where = "\n".join(sorted(str(p.resolve()) for p in paths))
    return f"{kind}-{hashlib.sha256(where.encode()).hexdigest()[:20]}.pickle"


def _key(paths: list[Path], kind: str, on: dt.date, columns: ColumnsConfig) -> bytes:
    """Everything a check depends on, as one line of JSON."""
    files = sorted(find_files(paths), key=lambda p: str(p.resolve()))
    described = {
        "format": FORMAT,
        "kind": kind,
        "on": on.isoformat(),
        "columns": [columns.path and str(Path(columns.path).resolve()), columns.sha256],
        # the paths as the check records them (relative to the folder the command ran in)
        # and where they are: a result is only taken again where its paths mean the same
        "cwd": os.getcwd() if any(not p.is_absolute() for p in paths) else "",
        "files": [[str(p), str(p.resolve()), p.stat().st_size, _sha256(p)] for p in files],
        "code": code_digest(),
    }
    return json.dumps(described, sort_keys=True, ensure_ascii=True).encode()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the tool's source files and of the Python and library versions."""
    digest = hashlib.sha256(platform.python_version().encode())
    for name in LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"\n{name} {metadata.version(name)}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(b"\n" + source.relative_to(package).as_posix().encode() + b"\n")
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _load(entry: Path, key: bytes) -> Checked | None:
    """The checked inputs kept in ``entry`` under ``key``, or None."""
    try:
        with open(entry, "rb") as f:
            if not _private(os.fstat(f.fileno())) or not _private(entry.parent.stat()):
                log.warning("cache %s is not private to this account: not used", entry)
                return None
            if f.readline().rstrip(b"\n") != key:
                return None
            kept = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception as exc:
        log.warning("cache %s could not be read (%s): the files are read", entry, exc)
        return None
    return kept if isinstance(kept, Checked) else None


def _save(entry: Path, key: bytes, result: Checked) -> None:
    """Keep ``result`` in ``entry`` (atomic, owner-only); a cache that cannot be written
    is only said in the log."""
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(key + b"\n")
                pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.warning("cache %s could not be written (%s)", entry, exc)


def _private(info: os.stat_result) -> bool:
    """Owned by this account and writable by nobody else (always true where the system
    has no owners and modes of this kind)."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022
