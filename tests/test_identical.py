"""What ``fengdu reconcile`` and ``fengdu subsidy`` write stays the same, cell by cell
(issue 13: a faster version must not change anything a clerk sees).

Both commands run as a clerk runs them (trial, the demo policy, a fresh database) on the
sample month, and — with ``FENGDU_BIG=1`` or ``make identical`` — on a generated
20,000-person month (benchmarks/make_county.py, seed 1). Every output is dumped
canonically (tests/identical.py says what is compared and what is left out) and its
digests compared with tests/golden/. When an output is *meant* to change, regenerate with
``FENGDU_REGEN=1`` (and ``FENGDU_BIG=1`` for the big month) and say why in the commit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.identical import (
    BIG,
    SAMPLE,
    Sheet,
    as_text,
    digests,
    dump,
    generate_big,
    locate,
    read_xlsx,
    run_month,
)
from tests.snapshot import assert_snapshot, regenerating

GOLDEN = Path(__file__).parent / "golden"
BIG_ON = os.environ.get("FENGDU_BIG") == "1"
big_only = pytest.mark.skipif(
    not BIG_ON, reason="the 20k-person month takes ~45 s: FENGDU_BIG=1 or make identical"
)


def compare(name: str, dumped: dict[str, list[Sheet]]) -> None:
    """The outputs' digests against tests/golden/``name``; on a difference, where it is."""
    actual = digests(dumped)
    path = GOLDEN / name
    if not regenerating() and path.exists():
        expected = json.loads(path.read_text(encoding="utf-8"))
        if expected != actual:
            pytest.fail(f"outputs differ from {path}:\n" + locate(expected, actual, dumped))
    text = json.dumps(actual, ensure_ascii=False, indent=1) + "\n"
    assert_snapshot(name, text, root=GOLDEN)


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Sheet]]:
    work = tmp_path_factory.mktemp("identical-sample")
    out, clean = run_month(SAMPLE, work)
    return dump(out, clean)


@pytest.fixture(scope="module")
def big_month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_big(tmp_path_factory.mktemp("identical-big") / "data")


def test_sample_month_outputs_are_unchanged(sample_outputs: dict[str, list[Sheet]]) -> None:
    assert set(sample_outputs) == {
        "reconcile-2024-06.xlsx", "warnings-2024-06.csv", "payments-2024-06-试算.xlsx",
        "payments-2024-06-试算.csv", "publicity-2024-06-试算.xlsx",
        "posts-exit-2024-06-试算.xlsx",
    }  # fmt: skip
    compare("sample-2024-06.json", sample_outputs)


def test_the_dump_sees_a_changed_cell(sample_outputs: dict[str, list[Sheet]]) -> None:
    """A single changed amount is caught and located (file, sheet, rows, column)."""
    name = "payments-2024-06-试算.csv"
    changed = {n: [Sheet(s.name, dict(s.cells), list(s.layout)) for s in v]
               for n, v in sample_outputs.items()}  # fmt: skip
    cells = changed[name][0].cells
    cells[(2, 8)] = json.dumps("0.01")
    expected, actual = digests(sample_outputs), digests(changed)
    assert expected != actual
    said = locate(expected, actual, changed)
    assert f"{name} / csv: first difference in rows 1–50; columns that differ: H" in said
    assert 'H2\t"0.01"' in said


@big_only
def test_generated_month_outputs_are_unchanged(
    big_month: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = tmp_path_factory.mktemp("identical-big-run")
    out, clean = run_month(big_month, work)
    compare(f"county-{BIG['persons'] // 1000}k-2024-06.json", dump(out, clean))


@big_only
def test_generated_month_is_deterministic(
    big_month: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Same seed, same files: every CSV byte for byte, every workbook cell for cell (the
    workbooks' creation time is all that differs)."""
    again = generate_big(tmp_path_factory.mktemp("identical-big-again") / "data")
    files = sorted(p.relative_to(big_month) for p in big_month.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        if rel.suffix == ".csv":
            assert (big_month / rel).read_bytes() == (again / rel).read_bytes(), rel
        elif rel.suffix == ".xlsx":
            first, second = (as_text(read_xlsx(d / rel, lambda t: t)) for d in (big_month, again))
            assert first == second, rel
