"""A month folder and its ``fengdu.toml`` (``fengdu init``): where the ledger and outputs live.

A county office keeps one ledger for every month.  ``fengdu init DIR`` lays out a month
folder (one sub-folder per kind of input) with a ``fengdu.toml`` naming that ledger and the
output folder, and creates the ledger; commands given ``--data DIR`` then use them unless
``--db`` / ``--out`` (or ``FENGDU_DB``) say otherwise.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from fengdu_cli import store
from fengdu_cli.errors import InputError, OutputError
from fengdu_cli.io.columns import FOLDERS, MONTH_KINDS

CONFIG = "fengdu.toml"
DEFAULT_DB = Path("fengdu.db")
DEFAULT_OUT = Path("out")
FOLDER_KINDS = MONTH_KINDS


def read_config(data: Path | None) -> dict[str, Path]:
    """The paths a month folder's fengdu.toml names ({} without one), relative to it."""
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
        key: (Path(data) / str(raw[key])).resolve()
        for key in ("db", "out")
        if isinstance(raw.get(key), str) and raw[key].strip()
    }


def resolve(
    db: Path, out: Path | None, data: Path | None, env_db: bool
) -> tuple[Path, Path | None]:
    """``--db`` and ``--out`` as given, else as the month folder's fengdu.toml says."""
    config = read_config(data)
    if Path(db) == DEFAULT_DB and not env_db and "db" in config:
        db = config["db"]
    if out is not None and Path(out) == DEFAULT_OUT and "out" in config:
        out = config["out"]
    return Path(db), (Path(out) if out is not None else None)


def init_folder(folder: Path, db: Path) -> list[Path]:
    """Lay out a month folder, write its fengdu.toml, create the ledger; returns what is new."""
    folder = Path(folder)
    made: list[Path] = []
    try:
        for kind in FOLDER_KINDS:
            sub = folder / FOLDERS[kind]
            if not sub.exists():
                sub.mkdir(parents=True)
                made.append(sub)
        config = folder / CONFIG
        if not config.exists():
            db_text = Path(os.path.relpath(Path(db).resolve(), folder.resolve())).as_posix()
            config.write_text(
                "# fengdu 月度文件夹设置：本文件夹的数据用哪个台账、结果写到哪里\n"
                "# 台账（发放记录）各月共用一个，不要每月新建\n"
                f'db = "{db_text}"\n'
                'out = "out"\n',
                encoding="utf-8",
            )
            made.append(config)
    except OSError as exc:
        raise OutputError(
            "output_unwritable", path=str(folder), detail=exc.strerror or str(exc)
        ) from exc
    if not Path(db).exists():
        made.append(store.create(db))
    return made
