"""read → normalise → validate for one kind: the step every command stands on.

:func:`check_paths` reads every file (folders expanded, files in name order), turns all
sheets into one frame of person rows, normalises it, runs the pandera rules and splits
the rows into valid and rejected.  Nothing is dropped silently: every person row is
either valid or rejected (``rows_read = rows_valid + rows_rejected``), every non-person
row that holds something is listed in ``skipped`` with its reason, and a file that
cannot be read is listed in ``unreadable`` with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fengdu_cli.errors import InputError
from fengdu_cli.io.columns import KINDS
from fengdu_cli.io.read import FileRead, find_files, read_file
from fengdu_cli.messages import text
from fengdu_cli.normalise import normalise
from fengdu_cli.schemas import PROBLEM_COLUMNS, REJECT_CODES, failures, problem_report

PROVENANCE = ["_file", "_sheet", "_row"]


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read, and why (exit 3)."""

    file: str
    key: str
    message: str
    params: dict = field(default_factory=dict, compare=False)

    def error(self) -> InputError:
        """The error to raise when this file must stop the run."""
        return InputError(self.key, **self.params)


@dataclass(frozen=True)
class SheetNotice:
    """A sheet that was not read because it has no recognisable header."""

    file: str
    sheet: str
    content_rows: int
    table_rows: int
    message: str

    def may_hold_data(self) -> bool:
        """Does the sheet look like a table (3+ rows of 3+ filled cells)? Then it needs a look."""
        return self.table_rows >= 3


@dataclass(frozen=True)
class Checked:
    """The outcome of reading and checking the files of one kind."""

    kind: str
    files: tuple[str, ...]
    valid: pd.DataFrame  # normalised rows that may be used (warnings included)
    rejected: pd.DataFrame  # rows as typed, with provenance and 问题说明
    problems: pd.DataFrame  # PROBLEM_COLUMNS, one row per problem
    skipped: pd.DataFrame  # non-person rows with content: _file/_sheet/_row/reason/text
    per_file: pd.DataFrame  # file, rows_read, rows_valid, rows_rejected
    headers: dict[tuple[str, str, str], str] = field(default_factory=dict)
    notices: tuple[SheetNotice, ...] = ()
    unreadable: tuple[Unreadable, ...] = ()

    @property
    def rows_read(self) -> int:
        return len(self.valid) + len(self.rejected)

    @property
    def rows_valid(self) -> int:
        return len(self.valid)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def problem_counts(self) -> dict[str, int]:
        """Problems by code, most frequent first."""
        counts = self.problems["code"].value_counts()
        return {str(k): int(v) for k, v in counts.items()}

    def has_problems(self) -> bool:
        """Were rows rejected, warnings raised, or data sheets left unread? (exit 1)"""
        return bool(len(self.problems)) or any(n.may_hold_data() for n in self.notices)

    def summary(self) -> dict:
        """The DESIGN §2 JSON summary of ``validate`` (extra keys allowed)."""
        return {
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "rows_rejected": self.rows_rejected,
            "problem_counts": self.problem_counts(),
            "problems": [
                {k: (int(v) if k == "row" else v) for k, v in rec.items()}
                for rec in self.problems[
                    [
                        "file",
                        "sheet",
                        "row",
                        "column",
                        "value",
                        "code",
                        "message",
                        "suggestion",
                        "severity",
                    ]
                ].to_dict("records")
            ],
            "files": self.per_file.to_dict("records"),
            "rows_skipped": len(self.skipped),
            "sheets_skipped": [
                {
                    "file": n.file,
                    "sheet": n.sheet,
                    "content_rows": n.content_rows,
                    "may_hold_data": n.may_hold_data(),
                    "message": n.message,
                }
                for n in self.notices
            ],
            "unreadable": [
                {"file": u.file, "code": u.key, "message": u.message} for u in self.unreadable
            ],
        }


def check_paths(
    paths: Iterable[Path | str],
    kind: str,
    *,
    on: dt.date | None = None,
    lang: str = "zh",
    duplicates: bool | None = None,
) -> Checked:
    """Read and check every file under ``paths`` as ``kind``.

    ``on`` is the date ages are judged on (today by default).  Missing paths and empty
    folders raise :class:`InputError`; a file that cannot be read is collected in
    ``unreadable`` so the others are still checked.
    """
    if kind not in KINDS:
        raise InputError("unknown_kind", kind=kind, choices=" / ".join(KINDS))
    on = on or dt.date.today()
    files = sorted(find_files([Path(p) for p in paths]), key=lambda p: (p.name, str(p)))
    reads: list[FileRead] = []
    unreadable: list[Unreadable] = []
    for path in files:
        try:
            reads.append(read_file(path, kind))
        except InputError as exc:
            unreadable.append(Unreadable(str(path), exc.key, exc.message(lang), exc.params))
    return check_reads(reads, kind, on=on, lang=lang, duplicates=duplicates, unreadable=unreadable)


def check_reads(
    reads: list[FileRead],
    kind: str,
    *,
    on: dt.date,
    lang: str = "zh",
    duplicates: bool | None = None,
    unreadable: Iterable[Unreadable] = (),
) -> Checked:
    """Normalise and validate what :func:`fengdu_cli.io.read.read_file` returned."""
    sheets = [s for r in reads for s in r.sheets if s.header is not None]
    notices = tuple(
        SheetNotice(
            str(s.grid.file),
            s.grid.sheet,
            s.content_rows,
            s.table_rows,
            text(
                "sheet_no_header", lang, sheet=s.grid.sheet or s.grid.file.name, rows=s.content_rows
            ),
        )
        for r in reads
        for s in r.sheets
        if s.header is None and s.content_rows
    )
    headers = {
        (str(s.grid.file), s.grid.sheet, column): header_text
        for s in sheets
        for column, header_text in zip(s.header.columns, s.header.texts, strict=False)
    }
    frames = [s.frame for s in sheets if len(s.frame)]
    raw = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[*PROVENANCE, "_title"])
    )
    skipped = [s.skipped for s in sheets if len(s.skipped)]
    skipped_frame = (
        pd.concat(skipped, ignore_index=True)
        if skipped
        else pd.DataFrame(columns=[*PROVENANCE, "reason", "text"])
    )
    skipped_frame["reason"] = skipped_frame["reason"].map(lambda k: text(k, lang))

    if duplicates is None:
        duplicates = kind == "roster"
    normalised = normalise(raw, kind, on) if len(raw) else raw
    if len(raw) and {"name", "id_number"} <= set(normalised.columns):
        # cells holding only spaces (tabs, full-width spaces): not a person row after all
        ghost = normalised["name"].eq("") & normalised["id_number"].eq("")
        if ghost.any():
            extra = raw.loc[ghost, PROVENANCE].assign(reason=text("skip_no_person", lang), text="")
            skipped_frame = pd.concat([skipped_frame, extra], ignore_index=True)
            raw = raw.loc[~ghost].reset_index(drop=True)
            normalised = normalised.loc[~ghost].reset_index(drop=True)
    cases = (
        failures(kind, normalised, duplicates=duplicates)
        if len(raw)
        else pd.DataFrame(columns=["index", "column", "code"])
    )
    problems = problem_report(kind, normalised, cases, headers, lang)
    bad_index = sorted(set(cases.loc[cases["code"].isin(REJECT_CODES), "index"]))
    rejected = _rejected_rows(raw, bad_index, problems)
    if len(rejected) and "_sender_township" in normalised:
        rejected.insert(
            3, "_township", normalised.loc[bad_index, "_sender_township"].to_numpy(dtype=object)
        )
    valid = normalised.drop(index=bad_index).reset_index(drop=True) if len(raw) else normalised
    per_file = _per_file([str(r.path) for r in reads], raw, bad_index)
    return Checked(
        kind=kind,
        files=tuple(str(r.path) for r in reads),
        valid=valid,
        rejected=rejected,
        problems=problems[PROBLEM_COLUMNS].reset_index(drop=True),
        skipped=skipped_frame,
        per_file=per_file,
        headers=headers,
        notices=notices,
        unreadable=tuple(unreadable),
    )


def _rejected_rows(raw: pd.DataFrame, bad_index: list[int], problems: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows as typed, with every problem of the row in 问题说明."""
    rows = raw.loc[bad_index].drop(columns=["_title"], errors="ignore").copy()
    grouped = problems.groupby("_index")
    notes = grouped["message"].agg(lambda m: "；".join(dict.fromkeys(m)))
    bad_columns = grouped["column"].agg(lambda c: tuple(dict.fromkeys(c)))
    rows["问题说明"] = notes.reindex(rows.index).fillna("").to_numpy(dtype=object)
    rows["_bad_columns"] = bad_columns.reindex(rows.index).to_numpy(dtype=object)
    return rows.reset_index(drop=True)


def _per_file(files: list[str], raw: pd.DataFrame, bad_index: list[int]) -> pd.DataFrame:
    if len(raw):
        rejected = raw.index.isin(bad_index)
        counts = (
            pd.DataFrame({"file": raw["_file"], "rejected": rejected})
            .groupby("file", sort=False)["rejected"]
            .agg(rows_read="size", rows_rejected="sum")
        )
    else:
        counts = pd.DataFrame(columns=["rows_read", "rows_rejected"])
    table = pd.DataFrame({"file": files}).join(counts, on="file").fillna(0)
    table["rows_read"] = table["rows_read"].astype(int)
    table["rows_rejected"] = table["rows_rejected"].astype(int)
    table["rows_valid"] = table["rows_read"] - table["rows_rejected"]
    return table[["file", "rows_read", "rows_valid", "rows_rejected"]]
