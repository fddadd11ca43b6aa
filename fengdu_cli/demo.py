"""``fengdu demo``: run the month on a sample data folder (made first when missing)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from fengdu_cli import dates
from fengdu_cli.ingest import Ingested, ingest
from fengdu_cli.io.columns import FOLDERS, MONTH_KINDS
from fengdu_cli.policy.load import DEMO, DEMO_NAME
from fengdu_cli.progress import Progress
from fengdu_cli.reconcile import Reconciled, reconcile_month
from fengdu_cli.report import YearReport, year_report
from fengdu_cli.subsidy import SubsidyResult, compute_subsidies
from fengdu_cli.validate import Checked

DEMO_KINDS = MONTH_KINDS


@dataclass(frozen=True)
class DemoResult:
    """The checked inputs per kind, the month's reconcile and subsidy, every file written."""

    data: Path
    checked: dict[str, Checked]
    written: tuple[Path, ...]
    reconciled: Reconciled | None = None
    subsidies: SubsidyResult | None = None
    ingested: dict[str, Ingested] = field(default_factory=dict)
    year: YearReport | None = None

    def summary(self) -> dict:
        """Per kind: the validate summary without the problem list; then the month."""
        return {
            "data": str(self.data),
            "kinds": {
                kind: {k: v for k, v in c.summary().items() if k != "problems"}
                for kind, c in self.checked.items()
            },
            "reconcile": self.reconciled.summary() if self.reconciled else None,
            "subsidy": self.subsidies.summary() if self.subsidies else None,
            "written": [str(p) for p in self.written],
        }


def sample_as_of(data: Path) -> dt.date:
    """The last day of the sample's month (from planted.json), else today."""
    manifest = Path(data) / "planted.json"
    if manifest.exists():
        month = json.loads(manifest.read_text(encoding="utf-8")).get("month")
        if month:
            return dates.last_day(int(month))
    return dt.date.today()


def demo_policy(data: Path) -> Path | None:
    """The demo's policy: the sample folder's copy of it when there is one, else the
    packaged file (its amounts are invented, so that every sheet shows)."""
    folder_copy = Path(data) / DEMO_NAME
    if folder_copy.is_file():
        return folder_copy
    return Path(str(resources.files("fengdu_cli").joinpath(DEMO)))


def run_demo(data: Path, out: Path, *, progress: Progress | None = None) -> DemoResult:
    """Make the sample month in ``data`` if it is missing, ingest every kind, then reconcile
    the month and compute its subsidies (a trial: nothing is committed; its database is
    ``out/demo.db``) with the demo policy (:func:`demo_policy`).

    The files, in the clerk's language, are written by
    :func:`fengdu_cli.io.reports.write_demo_lists`."""
    data, out = Path(data), Path(out)
    if not data.exists() or not any(data.iterdir()):
        from fengdu_cli.sample import make_sample

        make_sample(data)
    on = sample_as_of(data)
    checked: dict[str, Checked] = {}
    ingested: dict[str, Ingested] = {}
    for kind in DEMO_KINDS:
        folder = data / FOLDERS[kind]
        if not folder.exists():
            continue
        ingested[kind] = ingest([folder], kind, on=on, progress=progress)
        checked[kind] = ingested[kind].checked
    reconciled = subsidies = None
    if all(k in checked for k in ("roster", "employment", "insurance")):
        month = dates.month_of(on)
        db = out / "demo.db"  # the demo never touches the real ./fengdu.db
        for earlier in history_months(month):  # so that the yearly report has a history
            reconcile_month(data, earlier, db, checked=checked)
        reconciled = reconcile_month(data, month, db, checked=checked, progress=progress)
        subsidies = compute_subsidies(
            data, month, db, policy_path=demo_policy(data), checked=checked, progress=progress
        )
        year = year_report(db, month // 100, through=month, policy_path=demo_policy(data))
        return DemoResult(data, checked, (), reconciled, subsidies, ingested, year)
    return DemoResult(data, checked, (), reconciled, subsidies, ingested)


def history_months(month: int) -> list[int]:
    """The months the demo also reconciles before ``month`` from the same files: the same
    month a year earlier (the yearly report's change) and the months of its year before it.
    The sample's roster is the month's own, so these months are an illustration only."""
    year, number = divmod(month, 100)
    return [(year - 1) * 100 + number] + [year * 100 + m for m in range(1, number)]
