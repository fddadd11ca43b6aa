"""The county folder and its ``fengdu.toml`` (``fengdu init``): where the months' data, the
ledger and the outputs live.

A county office keeps one ledger for every month.  ``fengdu init DIR`` writes
``DIR/fengdu.toml`` (data = "data/{month}", out, db, policy, columns, all commented), the
``data/`` folder and the ledger; ``--month`` adds that month's folder, one sub-folder per kind
of input.  Every command run in DIR (or given ``--config`` / FENGDU_CONFIG) reads the file;
options and environment variables win over it (:class:`Settings`).

Older month folders may hold a fengdu.toml of their own (db, out, relative to the folder): a
command given ``--data`` such a folder still uses it when neither an option, FENGDU_DB nor the
county file names the ledger or the output folder (:func:`resolve`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter

from fengdu_cli import store
from fengdu_cli.dates import month_text
from fengdu_cli.errors import InputError, OutputError, UsageError
from fengdu_cli.io.columns import FOLDERS, MONTH_KINDS
from fengdu_cli.messages import text

CONFIG = "fengdu.toml"
DEFAULT_DB = Path("fengdu.db")
DEFAULT_OUT = Path("out")
FOLDER_KINDS = MONTH_KINDS


def read_config(data: Path | None) -> dict[str, str | Path]:
    """The paths a month folder's fengdu.toml names ({} without one), relative to it (a
    server's URL as it is)."""
    if data is None:
        return {}
    path = Path(data) / CONFIG
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError("file_corrupt", path=str(path), detail=str(exc)[:80]) from exc
    return {
        key: raw[key] if "://" in raw[key] else (Path(data) / str(raw[key])).resolve()
        for key in ("db", "out")
        if isinstance(raw.get(key), str) and raw[key].strip()
    }


def resolve(
    db: str | Path, out: Path | None, data: Path | None, env_db: bool
) -> tuple[str | Path, Path | None]:
    """``--db`` and ``--out`` as given, else as the month folder's fengdu.toml says (a
    server's URL as it is written, a path relative to the folder)."""
    config = read_config(data)
    if str(db) == str(DEFAULT_DB) and not env_db and "db" in config:
        db = config["db"]
    if out is not None and Path(out) == DEFAULT_OUT and "out" in config:
        out = Path(config["out"])
    return (db if store.target(db).server else Path(db)), (Path(out) if out is not None else None)


def init_folder(folder: Path, db: str | Path) -> list[Path]:
    """Lay out a month folder (one sub-folder per kind of input); returns what is new.  The
    ledger is not created here (:func:`init_county` does)."""
    folder = Path(folder)
    made: list[Path] = []
    try:
        for kind in FOLDER_KINDS:
            sub = folder / FOLDERS[kind]
            if not sub.exists():
                sub.mkdir(parents=True)
                made.append(sub)
    except OSError as exc:
        raise OutputError(
            "output_unwritable", path=str(folder), detail=exc.strerror or str(exc)
        ) from exc
    return made


def settings_text(db: str, lang: str) -> str:
    """The fengdu.toml ``fengdu init`` writes: every key, commented."""
    return text("init_settings_file", lang, db=db)


def init_county(
    folder: Path, db: str | Path | None = None, month: int | None = None, lang: str = "zh"
) -> list[Path | str]:
    """A county folder: ``fengdu.toml`` (kept when there is one), ``data/`` with a README,
    the ledger (created when missing), and with ``month`` that month's data folder with one
    sub-folder per kind of input.  Returns what is new."""
    folder = Path(folder)
    made: list[Path | str] = []
    config = folder / CONFIG
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not config.exists():
            db_text = "fengdu.db"
            if db is not None and store.target(db).server:
                db_text = str(db)  # a server's URL, as given
            elif db is not None:
                db_text = Path(os.path.relpath(Path(db).absolute(), folder.absolute())).as_posix()
            config.write_text(settings_text(db_text, lang), encoding="utf-8")
            made.append(config)
        settings = read_settings(config)
        data_root = folder / "data"
        readme = data_root / "README.txt"
        if not readme.exists():
            data_root.mkdir(exist_ok=True)
            readme.write_text(text("init_data_readme", lang), encoding="utf-8")
            made.append(readme)
    except OSError as exc:
        raise OutputError(
            "output_unwritable", path=str(folder), detail=exc.strerror or str(exc)
        ) from exc
    if month is not None:
        data = settings.path("data", month) or data_root / month_text(month)
        made += init_folder(data, DEFAULT_DB)
    ledger = db if db is not None else settings.where("db", month) or folder / "fengdu.db"
    if not store.exists(ledger):
        store.create(ledger)
        made.append(ledger if not store.target(ledger).server else store.target(ledger).shown)
    return made


# ---------------------------------------------------------------- the county folder's settings

#: The keys a county folder's fengdu.toml may hold (``fengdu init`` writes them, commented).
SETTING_KEYS = ("data", "out", "db", "policy", "columns", "lang")
#: The keys that name a path: relative to the file's own folder, ``{month}`` filled in.
PATH_KEYS = ("data", "out", "db", "policy", "columns")
ENV_CONFIG = "FENGDU_CONFIG"


@dataclass(frozen=True)
class Settings:
    """A county folder's ``fengdu.toml``, checked: the file (None without one) and its values
    as written.  Command-line options and environment variables win over it."""

    file: Path | None = None
    values: Mapping[str, str] = field(default_factory=dict)

    def path(self, key: str, month: int | None) -> Path | None:
        """The path ``key`` names (None when the file does not say), relative to the file's
        folder, its ``{month}`` filled in (2024-06).  A command without a month (validate,
        ingest, ledger, report) writes into the folder above the month's: ``out/{month}``
        gives ``out``; any other key with {month} needs the month."""
        written = self.values.get(key)
        if written is None or self.file is None:
            return None
        return self._path(written, key, month)

    def where(self, key: str, month: int | None) -> str | Path | None:
        """As :meth:`path`; the database (``db``) may also be a server's URL, taken as it is."""
        written = self.values.get(key)
        if key == "db" and written is not None and "://" in written:
            return written
        return self.path(key, month)

    def _path(self, written: str, key: str, month: int | None) -> Path:
        assert self.file is not None
        if "{month}" in written:
            if month is not None:
                written = written.replace("{month}", month_text(month))
            elif key == "out":
                written = written.split("{month}")[0] or "."
            else:
                raise UsageError("config_month_needed", path=str(self.file), setting=key)
        found = Path(written).expanduser()
        return found if found.is_absolute() else self.file.parent / found


def settings_file(given: Path | None, environ: Mapping[str, str]) -> Path | None:
    """Which fengdu.toml is in force: ``--config``, else env FENGDU_CONFIG (either must
    exist), else ``./fengdu.toml`` when there is one, else none."""
    named = given if given is not None else environ.get(ENV_CONFIG) or None
    if named is not None:
        if not Path(named).is_file():
            raise UsageError("config_missing", path=str(named))
        return Path(named)
    here = Path(CONFIG)
    return here if here.is_file() else None


def read_settings(file: Path | None) -> Settings:
    """The county folder's settings from ``file`` (none: empty); a file that is not TOML, a
    key the tool does not know, a value that is not a text or holds another placeholder
    than {month}: a usage error (exit 2) naming the file and the key."""
    if file is None:
        return Settings()
    try:
        raw = tomllib.loads(Path(file).read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError("config_bad_toml", path=str(file), detail=str(exc)[:120]) from exc
    except OSError as exc:
        raise UsageError("config_missing", path=str(file)) from exc
    values: dict[str, str] = {}
    for key, value in raw.items():
        if key not in SETTING_KEYS:
            raise UsageError(
                "config_unknown_key", path=str(file), setting=key, known=", ".join(SETTING_KEYS)
            )
        if not isinstance(value, str) or not value.strip():
            raise UsageError("config_bad_value", path=str(file), setting=key, value=str(value))
        try:
            places = {name for _, name, _, _ in Formatter().parse(value) if name is not None}
        except ValueError:  # an unmatched brace
            places = {"{"}
        if (key == "lang" and value not in ("zh", "en")) or places - {"month"}:
            raise UsageError("config_bad_value", path=str(file), setting=key, value=value)
        values[key] = value.strip()
    return Settings(Path(file).absolute(), values)
