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

from fengdu_cli import gaps
from fengdu_cli.errors import InputError
from fengdu_cli.idcard import mask_in_text, shown_name, shown_sheet
from fengdu_cli.io.columns import KINDS, display_name
from fengdu_cli.io.columns_toml import ColumnsConfig, columns_for
from fengdu_cli.io.read import FileRead, SheetRead, column_letter, find_files, read_file
from fengdu_cli.io.recognise import MONEY_COLUMNS, Recogniser
from fengdu_cli.messages import text
from fengdu_cli.needs import codes_needing, needed_columns
from fengdu_cli.normalise import normalise
from fengdu_cli.progress import Progress, report
from fengdu_cli.schemas import PROBLEM_COLUMNS, failures, problem_report, rejects

PROVENANCE = ["_file", "_sheet", "_row"]


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read, and why (exit 3)."""

    file: str
    key: str
    params: dict = field(default_factory=dict, compare=False)

    def message(self, lang: str = "zh") -> str:
        """Why, in ``lang`` (said at the edge)."""
        return text(self.key, lang, **self.params)

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
    key: str  # why it was not read: sheet_no_header / sheet_not_this_kind

    @property
    def params(self) -> dict:
        return {"sheet": self.sheet or Path(self.file).name, "rows": self.content_rows}

    def message(self, lang: str = "zh") -> str:
        """Why the sheet was not read, in ``lang`` (said at the edge)."""
        return text(self.key, lang, **self.params)

    def may_hold_data(self) -> bool:
        """Does the sheet look like a table (3+ rows of 3+ filled cells)? Then it needs a look."""
        return self.table_rows >= 3


COLUMN_TABLE = ["file", "sheet", "letter", "header", "column", "column_zh", "how", "share"]


@dataclass(frozen=True)
class SheetGap:
    """A column one sheet lacks (``missing``) or holds twice (``ambiguous``), and the
    persons (rows) of that sheet whose facts it leaves unknown."""

    file: str
    sheet: str
    header_row: int  # Excel row of the (last) header row
    column: str
    cause: str
    role: str
    headers: tuple[str, ...]
    persons: int
    needed_by: tuple[str, ...]

    @property
    def code(self) -> str:
        return "ambiguous_column" if self.cause == "ambiguous" else "missing_column"


@dataclass(frozen=True)
class Checked:
    """The outcome of reading and checking the files of one kind."""

    kind: str
    files: tuple[str, ...]
    valid: pd.DataFrame  # normalised rows that may be used (warnings included)
    rejected: pd.DataFrame  # rows as typed, with provenance, _index and _bad_columns
    problems: pd.DataFrame  # PROBLEM_COLUMNS, one row per problem (codes and parameters)
    skipped: pd.DataFrame  # non-person rows with content: _file/_sheet/_row/reason (a key)/text
    per_file: pd.DataFrame  # file, rows_read, rows_valid, rows_rejected
    headers: dict[tuple[str, str, str], str] = field(default_factory=dict)
    notices: tuple[SheetNotice, ...] = ()
    unreadable: tuple[Unreadable, ...] = ()
    columns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMN_TABLE))
    gaps: tuple[SheetGap, ...] = ()

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
        """The DESIGN §2 JSON summary of ``validate`` in codes and parameters (extra keys
        allowed); :func:`fengdu_cli.messages.problems.summary_words` words it."""
        return {
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "rows_rejected": self.rows_rejected,
            "problem_counts": self.problem_counts(),
            "problems": [
                {k: (int(v) if k == "row" else v) for k, v in rec.items()}
                for rec in self.problems.drop(columns="_index").to_dict("records")
            ],
            "files": self.per_file.to_dict("records"),
            "rows_skipped": len(self.skipped),
            "sheets_skipped": [
                {
                    "file": mask_in_text(n.file),
                    "sheet": shown_sheet(n.sheet),
                    "content_rows": n.content_rows,
                    "may_hold_data": n.may_hold_data(),
                    "key": n.key,
                    "params": n.params,
                }
                for n in self.notices
            ],
            "unreadable": [
                {"file": mask_in_text(u.file), "code": u.key, "params": u.params}
                for u in self.unreadable
            ],
            "columns": [
                {k: (None if k == "share" and pd.isna(v) else v) for k, v in rec.items()}
                for rec in self.columns.to_dict("records")
            ],
            "missing_columns": [
                {
                    "file": shown_name(g.file),
                    "sheet": shown_sheet(g.sheet),
                    "column": g.column,
                    "cause": g.cause,
                    "role": g.role,
                    "headers": list(g.headers),
                    "persons": g.persons,
                    "needed_by": list(g.needed_by),
                }
                for g in self.gaps
            ],
        }


def check_paths(
    paths: Iterable[Path | str],
    kind: str,
    *,
    on: dt.date | None = None,
    duplicates: bool | None = None,
    columns: ColumnsConfig | None = None,
    progress: Progress | None = None,
) -> Checked:
    """Read and check every file under ``paths`` as ``kind``.

    ``on`` is the date ages are judged on (today by default); ``columns`` the clerk's
    columns.toml (None: the one next to ``paths``, if any).  Missing paths and empty folders raise :class:`InputError`; a file that
    cannot be read is collected in ``unreadable`` so the others are still checked.
    """
    if kind not in KINDS:
        raise InputError("unknown_kind", kind=kind, choices=" / ".join(KINDS))
    on = on or dt.date.today()
    found = [Path(p) for p in paths]
    files = sorted(find_files(found), key=lambda p: (p.name, str(p)))
    if columns is None:
        columns = columns_for(None, found)
    recogniser = Recogniser(kind, columns, needed_columns(kind))
    reads: list[FileRead] = []
    unreadable: list[Unreadable] = []
    for done, path in enumerate(files):
        report(progress, "read", done, len(files), kind=kind)
        try:
            reads.append(read_file(path, kind, recogniser))
        except InputError as exc:
            unreadable.append(Unreadable(str(path), exc.key, exc.params))
    report(progress, "read", len(files), len(files), kind=kind)
    return check_reads(
        reads,
        kind,
        on=on,
        duplicates=duplicates,
        unreadable=unreadable,
        columns=columns,
    )


def check_reads(
    reads: list[FileRead],
    kind: str,
    *,
    on: dt.date,
    duplicates: bool | None = None,
    unreadable: Iterable[Unreadable] = (),
    columns: ColumnsConfig | None = None,
) -> Checked:
    """Normalise and validate what :func:`fengdu_cli.io.read.read_file` returned."""
    sheets = [s for r in reads for s in r.sheets if s.header is not None]
    needed = needed_columns(kind)
    sheet_gaps = [g for s in sheets for g in _sheet_gaps(s, kind)]
    notices = tuple(
        SheetNotice(
            str(s.grid.file),
            s.grid.sheet,
            s.content_rows,
            s.table_rows,
            s.why,
        )
        for r in reads
        for s in r.sheets
        if s.header is None and s.content_rows
    )
    headers = {
        (str(s.grid.file), s.grid.sheet, column): header_text
        for s in sheets
        if s.header is not None
        for column, header_text in zip(s.header.columns, s.header.texts, strict=False)
    }
    frames = [_with_gap_marks(s) for s in sheets if len(s.frame)]
    # a file with a header and no rows still gives its columns: later steps read them
    header_columns = [
        c for s in sheets for c in s.frame.columns if c not in (*PROVENANCE, "_title")
    ]
    raw = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(
            columns=[*PROVENANCE, "_title", *dict.fromkeys(header_columns)], dtype=object
        )
    )
    skipped = [s.skipped for s in sheets if len(s.skipped)]
    skipped_frame = (
        pd.concat(skipped, ignore_index=True)
        if skipped
        else pd.DataFrame(columns=[*PROVENANCE, "reason", "text"])
    )

    if duplicates is None:
        duplicates = kind == "roster"
    spellings = (columns or ColumnsConfig()).spellings(kind)
    normalised = normalise(raw, kind, on, spellings)
    if len(raw) and {"name", "id_number"} <= set(normalised.columns):
        # cells holding only spaces (tabs, full-width spaces): not a person row after all
        ghost = normalised["name"].eq("") & normalised["id_number"].eq("")
        if ghost.any():
            extra = raw.loc[ghost, PROVENANCE].assign(reason="skip_no_person", text="")
            skipped_frame = pd.concat([skipped_frame, extra], ignore_index=True)
            raw = raw.loc[~ghost].reset_index(drop=True)
            normalised = normalised.loc[~ghost].reset_index(drop=True)
    cases = (
        failures(kind, normalised, duplicates=duplicates)
        if len(raw)
        else pd.DataFrame(columns=["index", "column", "code"])
    )
    if len(raw):
        normalised = gaps.mark_values(normalised, kind, needed, cases)
    problems = problem_report(kind, normalised, cases, headers)
    if sheet_gaps:
        problems = pd.concat([_gap_problems(kind, sheet_gaps), problems], ignore_index=True)
    rejecting = rejects(cases)
    if "_absurd" in normalised and len(cases):  # a month or amount no export can hold
        absurd = normalised["_absurd"].reindex(cases["index"]).fillna(False).to_numpy(dtype=bool)
        rejecting |= absurd & cases["code"].isin(("bad_date", "bad_number")).to_numpy()
        hit = problems["_index"].isin(cases.loc[rejecting, "index"]) & problems["code"].isin(
            ("bad_date", "bad_number")
        )
        problems.loc[hit, "severity"] = "rejected"
        problems.loc[hit, "message_key"] = "absurd_value"
    bad_index = sorted(set(cases.loc[rejecting, "index"]))
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
        columns=_column_table(kind, sheets),
        gaps=tuple(sheet_gaps),
    )


def _sheet_gaps(sheet: SheetRead, kind: str) -> list[SheetGap]:
    """The columns a sheet lacks or holds twice (required ones stopped the file already)."""
    assert sheet.header is not None and sheet.header.recognition is not None
    out = []
    for gap in sheet.header.recognition.gaps:
        if gap.role == "required":
            continue
        out.append(
            SheetGap(
                str(sheet.grid.file),
                sheet.grid.sheet,
                sheet.header.last_row + 1,
                gap.column,
                gap.cause,
                gap.role,
                gap.headers,
                len(sheet.frame),
                codes_needing(kind, gap.column),
            )
        )
    return out


def _with_gap_marks(sheet: SheetRead) -> pd.DataFrame:
    """The sheet's rows, marked with the needed columns the sheet lacks."""
    assert sheet.header is not None and sheet.header.recognition is not None
    marks = {
        gaps.gap_column(g.column): ("ambiguous" if g.cause == "ambiguous" else "no_column")
        for g in sheet.header.recognition.gaps
        if g.role == "needed"
    }
    return sheet.frame.assign(**marks) if marks else sheet.frame


def _gap_problems(kind: str, sheet_gaps: list[SheetGap]) -> pd.DataFrame:
    """One file-level problem per gap: on the header row, with the persons it affects."""
    rows = []
    for g in sheet_gaps:
        params = {"kind": kind, "persons": g.persons, "codes": g.needed_by, "headers": g.headers}
        if g.cause == "ambiguous":
            key = "ambiguous_column_needed" if g.role == "needed" else "ambiguous_column_kept"
            if g.column in MONEY_COLUMNS:  # neither used: no account guessed
                key = "ambiguous_column_account"
        else:
            key = "missing_column_near" if g.headers else "missing_column"
        rows.append(
            {
                "file": shown_name(g.file),
                "sheet": shown_sheet(g.sheet),
                "row": g.header_row,
                "column": g.column,
                "header": "",
                "value": "",
                "code": g.code,
                "severity": "warning",
                "message_key": key,
                "suggestion_key": "suggest_columns_toml",
                "params": params,
                "_index": -1,
            }
        )
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def _column_table(kind: str, sheets: list[SheetRead]) -> pd.DataFrame:
    """How each header of each sheet was recognised (the 列识别 sheet, ``fengdu columns``)."""
    rows = []
    for s in sheets:
        assert s.header is not None and s.header.recognition is not None
        for c in s.header.recognition.columns:
            if not c.header and c.column is None:
                continue  # a blank column with nothing recognised in it
            rows.append(
                {
                    "file": shown_name(s.grid.file),
                    "sheet": shown_sheet(s.grid.sheet),
                    "letter": column_letter(c.index),
                    "header": c.header,
                    "column": c.column or "",
                    "column_zh": display_name(kind, c.column) if c.column else "",
                    "how": c.how,
                    "share": None if c.share is None else round(c.share, 2),
                }
            )
    return pd.DataFrame(rows, columns=COLUMN_TABLE)


def _rejected_rows(raw: pd.DataFrame, bad_index: list[int], problems: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows as typed; ``_index`` links each to its problems (the writers word
    them), ``_bad_columns`` names the cells to mark."""
    rows = raw.loc[bad_index].drop(columns=["_title"], errors="ignore").copy()
    grouped = problems.groupby("_index")
    bad_columns = {k: tuple(dict.fromkeys(c)) for k, c in grouped["column"]}
    rows["_index"] = rows.index.to_numpy()
    rows["_bad_columns"] = pd.Series([bad_columns.get(i) for i in rows.index], index=rows.index)
    return rows.reset_index(drop=True)


def _per_file(files: list[str], raw: pd.DataFrame, bad_index: list[int]) -> pd.DataFrame:
    counts: pd.DataFrame
    if len(raw):
        rejected = raw.index.isin(bad_index)
        grouped = pd.DataFrame({"file": raw["_file"], "rejected": rejected}).groupby(
            "file", sort=False
        )["rejected"]
        counts = pd.DataFrame({"rows_read": grouped.size(), "rows_rejected": grouped.sum()})
    else:
        counts = pd.DataFrame(columns=["rows_read", "rows_rejected"])
    table = pd.DataFrame({"file": files}).join(counts, on="file").fillna(0)
    table["file"] = table["file"].map(mask_in_text)  # a name may hold an ID: never in full
    table["rows_read"] = table["rows_read"].astype(int)
    table["rows_rejected"] = table["rows_rejected"].astype(int)
    table["rows_valid"] = table["rows_read"] - table["rows_rejected"]
    return table[["file", "rows_read", "rows_valid", "rows_rejected"]]


def guess_kind(path: Path, columns: ColumnsConfig | None = None) -> str | None:
    """The kind of a file: by its folder (``rosters/`` → roster), else the kind whose header
    it matches best (every required column found, then the most columns); None if none."""
    from fengdu_cli.io.columns import FOLDERS, REQUIRED
    from fengdu_cli.io.read import locate_header, read_grids

    by_folder = {folder: kind for kind, folder in FOLDERS.items()}
    for parent in Path(path).parents:
        if parent.name in by_folder:
            return by_folder[parent.name]
    grids = read_grids(Path(path))
    best: tuple[int, int] = (0, 0)
    found: str | None = None
    for kind in KINDS:
        recogniser = Recogniser(kind, columns, needed_columns(kind))
        for grid in grids:
            header = locate_header(grid, kind, recogniser)
            if header is None:
                continue
            complete = int(all(c in header.canonical for c in REQUIRED[kind]))
            score = (complete, len(header.canonical))
            if score > best:
                best, found = score, kind
    return found if best[0] else None


def describe_columns(
    paths: Iterable[Path | str],
    kind: str | None = None,
    *,
    columns: ColumnsConfig | None = None,
    on: dt.date | None = None,
) -> dict[str, Checked]:
    """How every header of every file was recognised, per kind (``fengdu columns``).

    ``kind`` None: each file's kind is guessed (:func:`guess_kind`); a file whose kind
    cannot be told is listed as unreadable under the kind ''.
    """
    given = [Path(p) for p in paths]
    columns = columns if columns is not None else columns_for(None, given)
    files = sorted(find_files(given), key=lambda p: (p.name, str(p)))
    groups: dict[str, list[Path]] = {}
    unknown: list[Unreadable] = []
    for file in files:
        try:
            found = kind or guess_kind(file, columns)
        except InputError as exc:
            unknown.append(Unreadable(str(file), exc.key, exc.params))
            continue
        if found is None:
            params = {"path": str(file), "kind": "any", "scan": 30}
            unknown.append(Unreadable(str(file), "no_header", params))
            continue
        groups.setdefault(found, []).append(file)
    out = {k: check_paths(v, k, on=on, columns=columns) for k, v in groups.items()}
    if unknown:
        out[""] = Checked(
            "", (), pd.DataFrame(), pd.DataFrame(), pd.DataFrame(columns=PROBLEM_COLUMNS),
            pd.DataFrame(), pd.DataFrame(), unreadable=tuple(unknown),
        )  # fmt: skip
    return out
