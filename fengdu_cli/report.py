"""``report``: a year of stored months, per township and month, for the yearly report.

Everything comes from the database: the snapshots ``reconcile`` stores for each month
(person states and warnings) and the payment ledger (committed lines net of voids).  Nothing
is read from a data folder, so a report can be made any time for the months already run.

- ``months``: January to ``through`` (``--month``; a year to date), else to the latest
  stored month of the year; a month in that span that was never reconciled is listed with
  empty figures (未存储), never with 0.
- The change against the same month a year earlier is given only where that month is
  stored; otherwise it is empty, never 0.
- Hires at the key employers (the recruitment target, [targets.recruitment] of the policy):
  the roster persons whose current job, as the stored snapshots of the year recorded it, is at
  a listed employer and started in the year, counted in the month it started (each person,
  employer and start once, whichever snapshots saw it) and summed from January.  A snapshot
  stored before the start of the current job was kept (schema 5) cannot tell: its month is
  listed in ``not_stored["hires"]``.

Returns codes and numbers only (:class:`YearReport`); the words are the renderer's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from fengdu_cli import dates, store
from fengdu_cli.errors import UsageError
from fengdu_cli.normalise import LABOR_CAPABLE
from fengdu_cli.policy import Policy, load_policy
from fengdu_cli.rules.recruit_award import key_employers
from fengdu_cli.townships import TOWNSHIPS
from fengdu_cli.warnings import WARNING_CODES

# the person figures of a snapshot, per township and month (persons: distinct roster IDs)
PERSON_FIGURES = (
    "persons", "labor_capable", "employed_county", "employed_chongqing", "employed_outside",
    "working", "insured",
)  # fmt: skip
# paid_lines: live payment lines (net of voids); paid_fen: their amount in fen
PAID_FIGURES = ("paid_lines", "paid_fen")
FIGURES = (*PERSON_FIGURES, "warnings", *PAID_FIGURES)
# the figures compared with the same month a year earlier (column <figure>_change)
CHANGE_FIGURES = ("persons", "labor_capable", "working", "insured", "warnings", "paid_fen")
WARNING_FIGURES = tuple(f"w_{code}" for code in WARNING_CODES)


@dataclass(frozen=True)
class RecruitmentTarget:
    """The yearly recruitment target in force, and the employers it counts."""

    target: int
    employers: tuple[str, ...]  # credit codes / names / "code name", as the policy lists them
    source: str
    employers_from: str  # "target" (its own list), "rule" (recruit_award's key_employers)


@dataclass(frozen=True)
class YearReport:
    """A year's figures from the stored months (frames of codes and numbers)."""

    year: int
    through: int | None  # --month: the report runs January to this month
    months: tuple[int, ...]  # the months reported, January onwards
    stored: tuple[int, ...]  # those of them with a stored snapshot
    # one row per month of ``months``: month, stored, FIGURES, WARNING_FIGURES, hires,
    # hires_cumulative, target, share, <CHANGE_FIGURES>_change (NaN: not known)
    county: pd.DataFrame
    # one row per township and stored month: township ('' unknown), month, FIGURES,
    # WARNING_FIGURES, <CHANGE_FIGURES>_change
    townships: pd.DataFrame
    # one row per month and rule paid: month, rule, lines, fen (net of voids); each month's
    # rules in the policy's order
    paid: pd.DataFrame
    target: RecruitmentTarget | None
    # a figure → the months whose snapshot does not hold it (stored before it was kept)
    not_stored: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    earlier: tuple[int, ...] = ()  # the months a year earlier that are stored

    @property
    def latest(self) -> int:
        """The last stored month of the report."""
        return max(self.stored)

    def township_month(self, month: int | None = None) -> pd.DataFrame:
        """The townships' rows of one stored month (default the latest), in county order."""
        month = self.latest if month is None else month
        return self.townships[self.townships["month"] == month].reset_index(drop=True)

    def summary(self) -> dict:
        """The JSON summary of ``fengdu report`` (keys documented in README)."""
        return {
            "year": self.year,
            "through": dates.month_text(self.through) if self.through else None,
            "months": [dates.month_text(m) for m in self.months],
            "stored": [dates.month_text(m) for m in self.stored],
            "earlier_stored": [dates.month_text(m) for m in self.earlier],
            "latest": dates.month_text(self.latest),
            "county": [_row(r, self.paid) for r in self.county.to_dict("records")],
            "townships": [_row(r) for r in self.townships.to_dict("records")],
            "target": None
            if self.target is None
            else {
                "target": self.target.target,
                "employers": list(self.target.employers),
                "employers_from": self.target.employers_from,
                "source": self.target.source,
                "hires": _number(self.county["hires_cumulative"].iloc[-1]),
                "share": _number(self.county["share"].iloc[-1]),
            },
            "not_stored": {k: [dates.month_text(m) for m in v] for k, v in self.not_stored.items()},
        }


def _number(value: object) -> int | float | None:
    """A figure for JSON: an int where whole, None where not known."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() else round(number, 4)


def _row(record: dict, paid: pd.DataFrame | None = None) -> dict:
    """One month (or township-month) as JSON: yuan, not fen; changes under ``change``."""
    month = int(record["month"])
    out: dict = {"month": dates.month_text(month)}
    if "township" in record:
        out["township"] = record["township"]
    if "stored" in record:
        out["stored"] = bool(record["stored"])
    for name in (*PERSON_FIGURES, "warnings", "paid_lines"):
        out[name] = _number(record.get(name))
    fen = _number(record.get("paid_fen"))
    out["paid_yuan"] = None if fen is None else round(fen / 100, 2)
    out["flags"] = {code: _number(record.get(f"w_{code}")) for code in WARNING_CODES}
    if paid is not None:
        lines = paid[paid["month"] == month]
        out["paid"] = {
            str(rule): {"lines": int(n), "yuan": round(int(fen) / 100, 2)}
            for rule, n, fen in zip(lines["rule"], lines["lines"], lines["fen"], strict=True)
        }
        for name in ("hires", "hires_cumulative", "target", "share"):
            out[name] = _number(record.get(name))
    change = {}
    for name in CHANGE_FIGURES:
        value = _number(record.get(f"{name}_change"))
        if name == "paid_fen":
            change["paid_yuan"] = None if value is None else round(value / 100, 2)
        else:
            change[name] = value
    out["change"] = change
    return out


# ---------------------------------------------------------------- reading the store


def stored_months(db: store.Db) -> list[int]:
    """Every month with a stored snapshot."""
    return [int(r[0]) for r in db.execute("SELECT month FROM month_summary ORDER BY month")]


def _in(months: list[int]) -> str:
    return ", ".join(str(int(m)) for m in months) or "NULL"


def _count(condition: str) -> str:
    """How many rows meet ``condition`` (SQL both databases speak: no sum of booleans)."""
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def person_figures(db: store.Db, months: list[int]) -> pd.DataFrame:
    """PERSON_FIGURES per township and month of ``months`` (from the stored person states)."""
    labels = {f"capable{i}": label for i, label in enumerate(sorted(LABOR_CAPABLE))}
    capable = ", ".join(f":{name}" for name in labels)
    working = "active_jobs > 0"
    counted = {
        "labor_capable": f"labor_capacity IN ({capable})",
        "employed_county": f"{working} AND region = 'county'",
        "employed_chongqing": f"{working} AND region = 'chongqing'",
        "employed_outside": f"{working} AND region IN ('outside', 'shandong')",
        "working": working,
        "insured": "COALESCE(insured_m, 0) <> 0",
    }
    frame = db.frame(
        "SELECT month, COALESCE(township, '') AS township, COUNT(*) AS persons, "
        + ", ".join(f"{_count(condition)} AS {name}" for name, condition in counted.items())
        + " "
        f"FROM month_state WHERE month IN ({_in(months)}) GROUP BY month, COALESCE(township, '')",
        labels,
    )
    return frame.fillna(0)


def warning_figures(db: store.Db, months: list[int]) -> pd.DataFrame:
    """warnings and WARNING_FIGURES per township and month of ``months``."""
    long = db.frame(
        "SELECT month, COALESCE(township, '') AS township, code, COUNT(*) AS n "
        f"FROM month_warnings WHERE month IN ({_in(months)}) "
        "GROUP BY month, COALESCE(township, ''), code"
    )
    wide = long.pivot_table(
        index=["month", "township"], columns="code", values="n", aggfunc="sum", fill_value=0
    )
    wide = wide.reindex(columns=list(WARNING_CODES), fill_value=0)
    wide.columns = list(WARNING_FIGURES)
    wide["warnings"] = wide.sum(axis=1)
    return wide.reset_index()


def paid_lines(db: store.Db, months: list[int]) -> pd.DataFrame:
    """The live (not reversed) payment lines of ``months``: month, rule, township, fen."""
    return db.frame(
        "SELECT month, rule, COALESCE(township, '') AS township, amount_fen AS fen "
        f"FROM live_payments WHERE month IN ({_in(months)})"
    )


def _hire_starts(db: store.Db, months: list[int]) -> tuple[pd.DataFrame, list[int]]:
    """Each (person, employer, start) of a current job the snapshots of ``months`` saw, and
    the months whose snapshot has jobs but no start stored (stored before schema 5)."""
    starts = db.frame(
        "SELECT DISTINCT id_number, COALESCE(employer_code, '') AS employer_code, "
        "COALESCE(employer_name, '') AS employer_name, start_date FROM month_state "
        f"WHERE month IN ({_in(months)}) AND active_jobs > 0 AND start_date IS NOT NULL"
    )
    lacking = [
        int(r[0])
        for r in db.execute(
            f"SELECT month FROM month_state WHERE month IN ({_in(months)}) "
            f"GROUP BY month HAVING {_count('active_jobs > 0')} > 0 AND COUNT(start_date) = 0"
        )
    ]
    return starts, sorted(lacking)


# ---------------------------------------------------------------- the target


def recruitment_target(policy: Policy, on: date) -> RecruitmentTarget | None:
    """The recruitment target in force on ``on`` and the employers it counts (its own list,
    else the recruit_award rule's key_employers in force then)."""
    target = policy.targets.get("recruitment")
    period = target.period_for(on) if target is not None else None
    if target is None or period is None:
        return None
    if period.employers is not None:
        employers, origin = period.employers, "target"
    else:
        rule = policy.rules.get("recruit_award")
        values = rule.values_for(on) if rule is not None else None
        listed = values.values.get("key_employers", ()) if values is not None else ()
        employers, origin = tuple(listed), "rule"  # type: ignore[arg-type]
    return RecruitmentTarget(period.target, employers, period.source or target.source, origin)


def hires_by_month(starts: pd.DataFrame, employers: tuple[str, ...], year: int) -> pd.Series:
    """Hires at ``employers`` per start month (YYYYMM) of ``year``: each person, employer and
    start date once."""
    codes, names = key_employers(employers)
    listed = starts["employer_code"].str.upper().isin(codes) | starts["employer_name"].isin(names)
    start = pd.to_datetime(starts["start_date"], errors="coerce")
    month = start.dt.year * 100 + start.dt.month
    hired = starts[listed & start.dt.year.eq(year)].assign(start_month=month)
    hired = hired.drop_duplicates(["id_number", "employer_code", "start_date"])
    return hired.groupby("start_month").size()


# ---------------------------------------------------------------- the year


def _order(townships: pd.Series) -> pd.Series:
    """The county's order of townships (others after them, by name; unknown last)."""
    rank = {t: i for i, t in enumerate(TOWNSHIPS)}
    return townships.map(lambda t: (rank.get(t, len(rank)) if t else len(rank) + 1, t))


def _figures(conn: store.Db, months: list[int]) -> pd.DataFrame:
    """FIGURES and WARNING_FIGURES per township and month of ``months`` (stored ones)."""
    people = person_figures(conn, months)
    warned = warning_figures(conn, months)
    lines = paid_lines(conn, months)
    paid = (
        lines.groupby(["month", "township"])
        .agg(paid_lines=("fen", "size"), paid_fen=("fen", "sum"))
        .reset_index()
    )
    keys = ["month", "township"]
    frame = people.merge(warned, on=keys, how="outer").merge(paid, on=keys, how="outer")
    for name in (*FIGURES, *WARNING_FIGURES):
        frame[name] = frame.get(name, pd.Series(0, index=frame.index)).fillna(0).astype(int)
    return frame


def _with_change(frame: pd.DataFrame, before: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` with <figure>_change against the rows of ``before`` a year earlier (matched
    on ``keys`` with month − 100); NaN where ``before`` has no such row."""
    earlier = before[[*keys, *CHANGE_FIGURES]].copy()
    earlier["month"] = earlier["month"] + 100
    joined = frame.merge(earlier, on=keys, how="left", suffixes=("", "_before"))
    for name in CHANGE_FIGURES:
        frame[f"{name}_change"] = (joined[name] - joined[f"{name}_before"]).to_numpy(dtype=float)
    return frame


def year_report(
    db: str | Path, year: int, *, through: int | None = None, policy_path: Path | None = None
) -> YearReport:
    """The figures of ``year`` from the database ``db`` (which must exist): January to
    ``through`` (a month of that year) or to the latest stored month.

    UsageError (exit 2): ``through`` not in ``year``, or no month of the span stored."""
    if through is not None and through // 100 != year:
        raise UsageError("report_month_year", month=dates.month_text(through), year=year)
    policy = load_policy(policy_path)
    conn = store.connect(db, create=False)
    try:
        return _year(conn, year, through, policy, store.target(db).shown)
    finally:
        conn.close()


def _year(conn: store.Db, year: int, through: int | None, policy: Policy, db: str) -> YearReport:
    everything = stored_months(conn)
    last = through or max((m for m in everything if m // 100 == year), default=None)
    if last is None:
        raise UsageError("report_no_months", year=year, db=db)
    months = [year * 100 + k for k in range(1, last % 100 + 1)]
    stored = [m for m in months if m in everything]
    if not stored:
        raise UsageError("report_no_months_through", year=year, month=dates.month_text(last), db=db)
    earlier = [m - 100 for m in months if m - 100 in everything]

    # payments of a month that was not reconciled still count for the county's row
    every = _figures(conn, months)
    figures = every[every["month"].isin(stored)].reset_index(drop=True)
    before = _figures(conn, earlier)
    # a township a stored month a year earlier did not hold had none of anything then
    if earlier:
        grid = pd.MultiIndex.from_product(
            [earlier, sorted(set(figures["township"]) | set(before["township"]))],
            names=["month", "township"],
        )
        before = before.set_index(["month", "township"]).reindex(grid, fill_value=0).reset_index()
    townships = _with_change(figures.copy(), before, ["month", "township"])
    townships = (
        townships.assign(_order=_order(townships["township"]))
        .sort_values(["_order", "month"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )

    sums = [*FIGURES, *WARNING_FIGURES]
    county = every.groupby("month")[sums].sum().reindex(months).astype(float)
    county.index.name = "month"
    county = county.reset_index()
    county.insert(1, "stored", county["month"].isin(stored))
    unknown = [*PERSON_FIGURES, "warnings", *WARNING_FIGURES]
    county.loc[~county["stored"], unknown] = np.nan  # 未存储, never 0
    county[list(PAID_FIGURES)] = county[list(PAID_FIGURES)].fillna(0)
    county_before = before.groupby("month")[sums].sum().reset_index()
    county = _with_change(county, county_before, ["month"])

    on = dates.last_day(last)
    target = recruitment_target(policy, on)
    starts, lacking = _hire_starts(conn, stored)
    not_stored: dict[str, tuple[int, ...]] = {}
    if lacking:
        not_stored["hires"] = tuple(lacking)
    if target is not None and target.employers and len(lacking) < len(stored):
        by_month = hires_by_month(starts, target.employers, year)
        hires = pd.Series(months, dtype=int).map(by_month).fillna(0).astype(float)
        county["hires"] = hires.to_numpy()
        county["hires_cumulative"] = hires.cumsum().to_numpy()
        county["target"] = float(target.target)
        county["share"] = county["hires_cumulative"] / target.target
    else:
        for name in ("hires", "hires_cumulative", "share"):
            county[name] = np.nan
        county["target"] = float(target.target) if target is not None else np.nan

    # each month's rules in the policy's order (a rule it does not know, by code, after them)
    order = {code: i for i, code in enumerate(policy.rules)}
    paid = (
        paid_lines(conn, months)
        .groupby(["month", "rule"])
        .agg(lines=("fen", "size"), fen=("fen", "sum"))
        .reset_index()
    )
    paid = (
        paid.assign(_order=paid["rule"].map(order).fillna(len(order)))
        .sort_values(["month", "_order", "rule"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    return YearReport(
        year=year,
        through=through,
        months=tuple(months),
        stored=tuple(stored),
        county=county,
        townships=townships,
        paid=paid,
        target=target,
        not_stored=MappingProxyType(not_stored),
        earlier=tuple(earlier),
    )
