"""A realistic sample month for ``fengdu demo``: six messy township rosters and the exports.

Why: the toolkit has to be shown, tested and explained on data that looks like what a
Fengdu clerk receives — title rows, two-row merged headers, an old .xls with several
sheets, GBK CSV, IDs typed as numbers, full-width digits — without anybody's real data.
Every deliberate problem and every reconcile/subsidy scenario is recorded with its exact
file, sheet, row and column in a manifest (``planted.json``), so tests can check that
each one is found, and that the edge cases next to it are *not* flagged.

Everything comes from ``random.Random(seed)`` and the month (no clock, no global random):
a given seed always writes the same files, byte for byte. Scenario dates are relative to
the month, so ``make_sample(out, 202412)`` plants the same situations six months later.

The package is split by concern: ``codes`` (invented identifiers; dates and ages come from
:mod:`fengdu_cli.dates` and :mod:`fengdu_cli.idcard`), ``world`` (the people, households,
employers and their records), ``planted`` (the hand-made scenarios, the planted problems
and the manifest), ``layouts`` (each file's shape), ``write`` (.xlsx, .xls and CSV),
``readme`` (the folder's README) and ``make`` (the order of invention and the entry
point).
"""

from fengdu_cli.sample.codes import credit_code
from fengdu_cli.sample.make import make_sample
from fengdu_cli.sample.planted import Planted, SampleManifest, load_manifest
from fengdu_cli.sample.world import (
    CATEGORY_VALUES,
    LABOR_VALUES,
    NOT_WORKING_STATUSES,
    WORKING_STATUSES,
)

__all__ = [
    "CATEGORY_VALUES",
    "LABOR_VALUES",
    "NOT_WORKING_STATUSES",
    "WORKING_STATUSES",
    "Planted",
    "SampleManifest",
    "credit_code",
    "load_manifest",
    "make_sample",
]
