"""``reconcile``: one month's cross-match, warnings and snapshot, from a data folder.

read (rosters/, employment/, insurance/) → validate → match → state → warnings →
compare with the previous stored month → store the snapshot.  Returns a frozen
:class:`Reconciled`; writing files is :mod:`fengdu_cli.io.reconcile_report`'s job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps, idcard, input_cache, store
from fengdu_cli.errors import InputError
from fengdu_cli.io.columns import FOLDERS
from fengdu_cli.io.columns_toml import ColumnsConfig, columns_for
from fengdu_cli.match import Matched, as_of, match, matched_counts, person_state
from fengdu_cli.messages import text
from fengdu_cli.messages.warnings import with_detail
from fengdu_cli.normalise import LABOR_CAPABLE
from fengdu_cli.progress import Progress, report
from fengdu_cli.validate import Checked
from fengdu_cli.warnings import (
    UNDETERMINED_COLUMNS,
    WARNING_CODES,
    WARNING_COLUMNS,
    raise_warnings,
    typo_suggestions,
    undetermined_warnings,
)

RECONCILE_KINDS = ("roster", "employment", "insurance")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reconciled:
    """A reconciled month."""

    month: int
    checked: dict[str, Checked]
    matched: Matched
    state: pd.DataFrame  # one row per valid roster person
    warnings: pd.DataFrame  # WARNING_COLUMNS (detail in Chinese) + status (新增 / 持续)
    resolved: pd.DataFrame  # last stored month's warnings that are gone now
    previous_month: int | None
    inputs: dict[str, dict[str, int]] = field(default_factory=dict)
    # persons a warning could not be judged for (a column missing, a value not understood)
    undetermined: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=UNDETERMINED_COLUMNS)
    )

    def flags(self) -> dict[str, int]:
        counts = self.warnings["code"].value_counts()
        return {code: int(counts.get(code, 0)) for code in WARNING_CODES}

    def rows(self) -> dict[str, int]:
        """Rows of every input together: read = valid + rejected."""
        return {
            "read": sum(c.rows_read for c in self.checked.values()),
            "valid": sum(c.rows_valid for c in self.checked.values()),
            "rejected": sum(c.rows_rejected for c in self.checked.values()),
        }

    def undetermined_counts(self) -> dict[str, int]:
        counts = self.undetermined["code"].value_counts()
        return {str(code): int(n) for code, n in counts.items()}

    def has_problems(self) -> bool:
        """Warnings raised, rows rejected, or facts that could not be judged (exit 1)."""
        return (
            bool(len(self.warnings))
            or bool(len(self.undetermined))
            or any(c.rows_rejected or c.gaps for c in self.checked.values())
        )

    def summary(self) -> dict:
        """The DESIGN §2 JSON summary of ``reconcile`` (extra keys allowed)."""
        status: dict[str, int] = (
            {str(k): int(v) for k, v in self.warnings["status"].value_counts().items()}
            if len(self.warnings)
            else {}
        )
        return {
            "month": dates.month_text(self.month),
            "persons": len(self.state),
            "labor_capable": int(self.state["labor_capacity"].isin(LABOR_CAPABLE).sum())
            if "labor_capacity" in self.state
            else 0,
            "labor_unknown": int(gaps.unknown(self.state, ("roster.labor_capacity",)).sum()),
            "matched": matched_counts(self.state),
            "flags": self.flags(),
            "rows": self.rows(),
            "inputs": self.inputs,
            "previous_month": dates.month_text(self.previous_month)
            if self.previous_month
            else None,
            "warnings_new": int(status.get("新增", 0)) if len(self.warnings) else 0,
            "warnings_continuing": int(status.get("持续", 0)) if len(self.warnings) else 0,
            "warnings_resolved": len(self.resolved),
            "townships": township_table(self).to_dict("records"),
            "undetermined": self.undetermined_counts(),
            "missing_columns": [
                {
                    "kind": kind,
                    "file": Path(g.file).name,
                    "sheet": g.sheet,
                    "column": g.column,
                    "cause": g.cause,
                    "persons": g.persons,
                    "needed_by": list(g.needed_by),
                }
                for kind, c in self.checked.items()
                for g in c.gaps
            ],
        }


def read_inputs(
    data: Path,
    month: int,
    columns: ColumnsConfig | None = None,
    progress: Progress | None = None,
    cache: Path | None = None,
) -> dict[str, Checked]:
    """Check rosters/, employment/ and insurance/ under ``data``; all three are needed.

    ``columns``: the clerk's columns.toml (None: ``data/columns.toml`` if present);
    ``cache``: the folder of :mod:`fengdu_cli.input_cache` (None: always read)."""
    on = as_of(month)
    columns = columns if columns is not None else columns_for(None, [Path(data)])
    checked = {}
    for kind in RECONCILE_KINDS:
        folder = Path(data) / FOLDERS[kind]
        if not folder.exists():
            raise InputError("path_missing", path=str(folder))
        result = input_cache.checked(
            [folder], kind, on=on, columns=columns, progress=progress, cache=cache
        )
        if result.unreadable:
            raise result.unreadable[0].error()
        log_checked(result)
        checked[kind] = result
    return checked


def log_checked(result: Checked) -> None:
    """One line per kind read: its files and rows, and the problems by code."""
    log.info(
        "%s: %d files, %d rows read, %d valid, %d rejected; problems %s",
        result.kind, len(result.files), result.rows_read, result.rows_valid,
        result.rows_rejected, result.problem_counts() or "none",
    )  # fmt: skip


def _on_roster(checked: dict[str, Checked], matched: Matched) -> dict[str, pd.Series]:
    """Per record input (employment, insurance) with IDs: which valid rows' ID is a roster
    person's, found once for the input counts and the typo suggestions."""
    roster_ids = set(matched.roster["id_number"])
    return {
        kind: checked[kind].valid["id_number"].isin(roster_ids)
        for kind in ("employment", "insurance")
        if kind in checked and "id_number" in checked[kind].valid
    }


def _input_counts(
    checked: dict[str, Checked], matched: Matched, on_roster: dict[str, pd.Series]
) -> dict[str, dict[str, int]]:
    """Per input: read = matched + unmatched + rejected (matched: the row is about a roster person
    who has a record; for employment/insurance: the row's ID is on the roster, ``on_roster``)."""
    with_record = set(matched.jobs["id_number"]) | set(matched.contrib["id_number"])
    out = {}
    for kind, result in checked.items():
        ids = result.valid["id_number"] if "id_number" in result.valid else pd.Series(dtype=object)
        if kind == "roster":
            hit = ids.isin(with_record)
        else:  # without IDs (no column): no row is on the roster
            hit = on_roster[kind] if kind in on_roster else ids.isin(())
        out[kind] = {
            "read": result.rows_read,
            "matched": int(hit.sum()),
            "unmatched": int((~hit).sum()),
            "rejected": result.rows_rejected,
        }
    return out


def _typo_warnings(
    checked: dict[str, Checked], state: pd.DataFrame, month: int, on_roster: dict[str, pd.Series]
) -> pd.DataFrame:
    """possible_id_typo for roster IDs that failed the check digit or found no record
    (``on_roster``: which employment and insurance rows are about roster persons)."""
    roster = checked["roster"]
    failed = roster.rejected
    bad = pd.DataFrame(columns=WARNING_COLUMNS)
    if len(failed):
        problems = roster.problems
        checksum_rows = set(
            zip(
                problems.loc[problems["code"] == "id_checksum", "file"],
                problems.loc[problems["code"] == "id_checksum", "row"],
                strict=True,
            )
        )
        keep = [
            (Path(f).name, r) in checksum_rows
            for f, r in zip(failed["_file"], failed["_row"], strict=True)
        ]
        failed = failed[keep]
        bad = pd.DataFrame(
            {
                "township": failed.get("_township", ""),
                "village": failed.get("village", ""),
                "household_id": failed.get("household_id", ""),
                "name": failed.get("name", pd.Series("", index=failed.index)).map(
                    lambda v: "".join(str(v).split())
                ),
                "id_number": failed["id_number"].map(lambda v: idcard.normalise(str(v))),
            }
        )
    lonely = state[(state["jobs"] == 0) & (state["insured_records"] == 0)]
    unmatched = pd.concat(
        [bad, lonely.reindex(columns=WARNING_COLUMNS[:5])], ignore_index=True
    ).fillna("")
    records = []
    for kind in ("employment", "insurance"):
        valid = checked[kind].valid
        if "name" not in valid:
            continue
        outside = valid[~on_roster[kind]][["id_number", "name"]]
        records.append(outside.assign(source=kind))
    pool = (
        pd.concat(records, ignore_index=True)
        if records
        else pd.DataFrame(columns=["id_number", "name", "source"])
    )
    pool = pool[pool["name"].isin(set(unmatched["name"]))]
    return typo_suggestions(unmatched, pool, as_of(month))


def township_table(result: Reconciled, lang: str = "zh") -> pd.DataFrame:
    """Per township: persons, able to work, employed by region, insured, warnings by code
    (persons without a township under the catalogue's 'township_unknown' in ``lang``)."""
    unknown = text("township_unknown", lang)
    state = result.state
    capable = state["labor_capacity"].isin(LABOR_CAPABLE) if "labor_capacity" in state else False
    active = state["active_jobs"] > 0
    table = pd.DataFrame(
        {
            "township": state["township"].fillna("").replace("", unknown),
            "persons": 1,
            "labor_capable": capable.astype(int) if hasattr(capable, "astype") else 0,
            "employed_county": (active & state["region"].eq("county")).astype(int),
            "employed_chongqing": (active & state["region"].eq("chongqing")).astype(int),
            "employed_outside": (active & state["region"].isin(["outside", "shandong"])).astype(
                int
            ),
            "insured": state["insured_m"].astype(int),
            "matched_employment": (state["jobs"] > 0).astype(int),
            "matched_insurance": (state["insured_records"] > 0).astype(int),
        }
    )
    grouped = table.groupby("township", sort=True).sum()
    warn = result.warnings.assign(township=result.warnings["township"].replace("", unknown))
    counts = warn.pivot_table(index="township", columns="code", values="id_number", aggfunc="count")
    for code in WARNING_CODES:
        grouped[code] = counts.get(code, 0)
    grouped = grouped.fillna(0)
    grouped["warnings"] = grouped[list(WARNING_CODES)].sum(axis=1)
    new = warn[warn["status"] == "新增"].groupby("township").size()
    gone = (
        result.resolved.assign(township=result.resolved["township"].replace("", unknown))
        .groupby("township")
        .size()
    )
    grouped["new"] = new
    grouped["resolved"] = gone
    grouped = grouped.fillna(0).astype(int)
    grouped["change"] = grouped["new"] - grouped["resolved"]  # warnings now minus last month
    grouped = grouped.reset_index()
    return grouped


def reconcile_month(
    data: Path,
    month: int,
    db: str | Path,
    *,
    checked: dict[str, Checked] | None = None,
    columns: ColumnsConfig | None = None,
    progress: Progress | None = None,
    cache: Path | None = None,
) -> Reconciled:
    """Reconcile ``month`` from ``data`` and store its snapshot in ``db`` (replacing a re-run).

    ``checked`` holds the inputs when the caller has read them already; ``columns`` is
    the clerk's columns.toml (None: ``data/columns.toml`` if present); ``cache`` the folder
    of checked inputs kept between commands (:mod:`fengdu_cli.input_cache`; None: none).
    """
    if checked is None:
        checked = read_inputs(data, month, columns, progress, cache)
    checked = {kind: checked[kind] for kind in RECONCILE_KINDS}
    report(progress, "match", 0, 2)
    matched = match(
        checked["roster"].valid, checked["employment"].valid, checked["insurance"].valid
    )
    state = person_state(matched, month)
    log.info("matched %d persons: %s", len(state), matched_counts(state))
    report(progress, "match", 1, 2)
    on_roster = _on_roster(checked, matched)
    warnings = pd.concat(
        [raise_warnings(state, matched, month), _typo_warnings(checked, state, month, on_roster)],
        ignore_index=True,
    )
    warnings = _sorted(warnings)
    undetermined = _sorted(undetermined_warnings(state))
    report(progress, "match", 2, 2)
    log.info(
        "warnings %s; undetermined %s",
        warnings["code"].value_counts().to_dict() or "none",
        undetermined["code"].value_counts().to_dict() or "none",
    )
    log.info("database %s: storing the snapshot of %s", store.target(db).shown,
             dates.month_text(month))  # fmt: skip
    with store.hold_lock(db, month):
        conn = store.connect(db)
        try:
            previous = store.previous_month(conn, month)
            before = (
                store.stored_warnings(conn, previous)
                if previous
                else pd.DataFrame(columns=store.WARNING_COLUMNS)
            )
            # worded once, in Chinese: as every earlier month's snapshot keeps it
            warnings = with_detail(_mark_status(warnings, before))
            resolved = _resolved(before, warnings)
            result = Reconciled(
                month,
                checked,
                matched,
                state,
                warnings,
                resolved,
                previous,
                _input_counts(checked, matched, on_roster),
                undetermined,
            )
            run_id = store.start_run(conn, "reconcile", month)
            summary = result.summary()
            store.replace_month(conn, month, run_id, state, warnings, summary)
            store.finish_run(conn, run_id, summary)
        finally:
            conn.close()
    return result


def _sorted(warnings: pd.DataFrame) -> pd.DataFrame:
    order = {code: i for i, code in enumerate(WARNING_CODES)}
    keyed = warnings.assign(_order=warnings["code"].map(order))
    keyed = keyed.sort_values(
        ["township", "village", "household_id", "name", "_order"], kind="stable"
    )
    return keyed.drop(columns="_order").reset_index(drop=True)


def _found(rows: pd.DataFrame, among: pd.DataFrame) -> np.ndarray:
    """Which of ``rows``' (ID, code) pairs are among ``among``'s: both sides' values numbered
    together (equal values, equal numbers), each pair as one integer."""
    n = len(rows)
    ids = pd.factorize(pd.concat([rows["id_number"], among["id_number"]]).astype(object))[0]
    codes = pd.factorize(pd.concat([rows["code"], among["code"]]).astype(object))[0]
    pair = ids.astype(np.int64) * (int(codes.max(initial=0)) + 2) + codes
    return np.isin(pair[:n], pair[n:])


def _mark_status(warnings: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Each warning as 持续 when last stored month had it (same ID and code), else 新增."""
    seen = _found(warnings, before)
    return warnings.assign(status=np.where(seen, "持续", "新增").tolist())  # a list, as ever


def _resolved(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Last stored month's warnings that are gone now (no warning with their ID and code)."""
    return before[~_found(before, now)].reset_index(drop=True)
