"""``columns.toml``: the clerk's own header wordings and value spellings, without code.

A township that writes 半劳 for 弱劳动力或半劳动力, or heads its category column 户属性,
is taught once in a small file next to the data (or given with ``--columns FILE``)::

    [roster.headers]
    "户属性" = "category"          # a canonical column, or its Chinese header: "人员类别"
    "备注二" = ""                  # not a data column: never recognised as anything

    [roster.values.labor_capacity]
    "半劳" = "弱劳动力或半劳动力"     # a spelling → a spelling the tool knows

    [employment.values.work_region]
    "外地（省外）" = "省外"

What it decides wins over everything else and is shown as "columns.toml" in the mapping.
It is checked like the policy file: :func:`check_columns` lists every problem with its
line, and a file with problems is refused (exit 3) rather than half used.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from fengdu_cli.errors import InputError
from fengdu_cli.io.columns import KINDS, SPEC_BY_COLUMN, clean_header, column_of_display
from fengdu_cli.messages import text
from fengdu_cli.normalise import VOCABULARIES, category_facts
from fengdu_cli.regions import is_known_region

FILE_NAME = "columns.toml"
_VALUE_COLUMNS: dict[tuple[str, str], str] = {
    **{key: key[1] for key in VOCABULARIES},
    ("employment", "work_region"): "work_region",
}
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class ColumnsConfig:
    """What a columns.toml says (empty: no file).

    ``headers[kind][cleaned header]`` is a canonical column or '' (not a data column);
    ``values[kind][column][cleaned spelling]`` is a spelling the tool knows.
    """

    path: str | None = None
    sha256: str = ""
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def spellings(self, kind: str) -> dict[str, dict[str, str]]:
        """Value spellings for ``kind``: {column: {typed: known}}."""
        return self.values.get(kind, {})


@dataclass(frozen=True)
class ColumnsProblem:
    """One problem of a columns.toml: a message key, its parameters and the line."""

    code: str
    params: dict = field(default_factory=dict)
    line: int | None = None

    def message(self, lang: str = "zh") -> str:
        where = text("columns_line", lang, line=self.line) if self.line else ""
        return where + text(self.code, lang, **self.params)


class ColumnsFileError(InputError):
    """The columns.toml cannot be used: exit 3, every problem listed."""


def find_columns_file(paths: list[Path]) -> Path | None:
    """The columns.toml a run uses by default: in a data folder given, or the folder above
    a kind's folder (``data/columns.toml`` for ``data/rosters``)."""
    for path in paths:
        path = Path(path)
        folder = path if path.is_dir() else path.parent
        for candidate in (folder / FILE_NAME, folder.parent / FILE_NAME):
            if candidate.is_file():
                return candidate
    return None


_TABLE = re.compile(r"^\s*\[+\s*([^\]]*?)\s*\]+")


def _line_of(source: str, key: str) -> int | None:
    """The line where ``key`` is defined: as a key (``"key" = …``) or in a table header."""
    as_key = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    lines = source.splitlines()
    for i, line in enumerate(lines, 1):
        if as_key.search(line):
            return i
    for i, line in enumerate(lines, 1):
        table = _TABLE.match(line)
        if table and key in [p.strip().strip("\"'") for p in table[1].split(".")]:
            return i
    return None


def _examine(raw: bytes) -> tuple[list[ColumnsProblem], ColumnsConfig]:
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [ColumnsProblem("columns_encoding")], ColumnsConfig()
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        found = _POSITION.search(str(exc))
        line = int(found[1]) if found else None
        detail = _POSITION.sub("", str(exc)).strip()
        return [ColumnsProblem("columns_syntax", {"detail": detail}, line)], ColumnsConfig()
    problems: list[ColumnsProblem] = []
    headers: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, dict[str, str]]] = {}
    for kind, section in data.items():
        line = _line_of(source, kind)
        if kind not in KINDS:
            problems.append(
                ColumnsProblem(
                    "columns_bad_kind", {"kind": kind, "choices": " / ".join(KINDS)}, line
                )
            )
            continue
        if not isinstance(section, dict):
            problems.append(ColumnsProblem("columns_bad_table", {"key": kind}, line))
            continue
        for part, table in section.items():
            if part == "headers" and isinstance(table, dict):
                headers[kind] = _headers(kind, table, source, problems)
            elif part == "values" and isinstance(table, dict):
                values[kind] = _values(kind, table, source, problems)
            else:
                problems.append(
                    ColumnsProblem(
                        "columns_bad_part", {"kind": kind, "part": part}, _line_of(source, part)
                    )
                )
    return problems, ColumnsConfig(None, "", headers, values)


def _headers(kind: str, table: dict, source: str, problems: list[ColumnsProblem]) -> dict[str, str]:
    out: dict[str, str] = {}
    for header, target in table.items():
        line = _line_of(source, header)
        key = clean_header(header)
        if not key:
            problems.append(ColumnsProblem("columns_empty_key", {"kind": kind}, line))
            continue
        if not isinstance(target, str):
            problems.append(
                ColumnsProblem("columns_bad_target", _target_params(kind, header), line)
            )
            continue
        if key in out:
            problems.append(ColumnsProblem("columns_duplicate_key", {"key": header}, line))
            continue
        column = "" if not target.strip() else column_of_display(kind, clean_header(target))
        if column is None:
            problems.append(
                ColumnsProblem("columns_bad_target", _target_params(kind, header), line)
            )
            continue
        out[key] = column
    return out


def _values(
    kind: str, table: dict, source: str, problems: list[ColumnsProblem]
) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    allowed = [c for (k, c) in _VALUE_COLUMNS if k == kind]
    for column_text, spellings in table.items():
        line = _line_of(source, column_text)
        column = column_of_display(kind, clean_header(column_text))
        if column not in allowed or not isinstance(spellings, dict):
            problems.append(
                ColumnsProblem(
                    "columns_bad_value_column",
                    {"kind": kind, "column": column_text, "choices": " / ".join(allowed) or "—"},
                    line,
                )
            )
            continue
        known: dict[str, str] = {}
        for typed, target in spellings.items():
            where = _line_of(source, typed)
            target_key = clean_header(target) if isinstance(target, str) else ""
            if not clean_header(typed) or not _is_known(kind, column, target_key):
                problems.append(
                    ColumnsProblem(
                        "columns_bad_value",
                        {"column": column_text, "typed": typed, "target": target},
                        where,
                    )
                )
                continue
            if clean_header(typed) in known:
                problems.append(ColumnsProblem("columns_duplicate_key", {"key": typed}, where))
                continue
            known[clean_header(typed)] = target_key
        out[column] = known
    return out


def _is_known(kind: str, column: str, spelling: str) -> bool:
    if not spelling:
        return False
    if column == "work_region":
        return is_known_region(spelling)
    if column == "category":
        return category_facts(spelling) is not None
    return spelling in VOCABULARIES[(kind, column)]


def _target_params(kind: str, header: str) -> dict:
    choices = "、".join(f"{c}（{s.display}）" for c, s in SPEC_BY_COLUMN[kind].items())
    return {
        "header": header,
        "kind": kind,
        "choices": choices,
    }


def columns_for(path: Path | None, near: list[Path]) -> ColumnsConfig:
    """The columns.toml a run uses: ``path`` when given, else one found near ``near``
    (see :func:`find_columns_file`), else none."""
    return load_columns(path if path is not None else find_columns_file(near))


def check_columns(path: Path) -> list[ColumnsProblem]:
    """Every problem of the columns.toml at ``path`` (empty: it can be used)."""
    path = Path(path)
    if not path.is_file():
        return [ColumnsProblem("path_missing", {"path": str(path)})]
    problems, _ = _examine(path.read_bytes())
    return problems


def load_columns(path: Path | None) -> ColumnsConfig:
    """Read a columns.toml (None: no file, nothing mapped); ColumnsFileError on problems."""
    if path is None:
        return ColumnsConfig()
    path = Path(path)
    if not path.is_file():
        raise InputError("path_missing", path=str(path))
    raw = path.read_bytes()
    problems, config = _examine(raw)
    if problems:
        raise ColumnsFileError(
            "columns_invalid",
            path=str(path),
            count=len(problems),
            problems="\n".join("  - " + p.message("zh") for p in problems),
        )
    return ColumnsConfig(str(path), hashlib.sha256(raw).hexdigest(), config.headers, config.values)
