"""Every file of the bad-input corpus is refused with its own message (exit 3) or read as
meant — never a trace, never a hang — and a fuzzed reader never does anything else."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fengdu_cli.cli import app
from fengdu_cli.errors import InputError
from fengdu_cli.validate import check_paths
from tests.bad_inputs.make_corpus import CASES, make
from tests.makers import csv_file, xlsx

FUZZ_EXAMPLES = int(os.environ.get("FENGDU_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_inputs")
    return folder, make(folder)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_input(corpus, name):
    folder, cases = corpus
    if name not in cases:
        pytest.skip("no FIFOs on this system")
    code, word = cases[name]
    result = CliRunner().invoke(app, ["validate", str(folder / name)])
    assert result.exit_code == code, result.output
    assert word in result.output
    assert "Traceback" not in result.output and "\x1b[31m" not in result.output


CELLS = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(["姓名", "身份证号码", "乡镇", "合计", "填表人：", "人员类别", "列1", "脱贫户",
                     "500230199001011237", "5.00230199001011E+17", "=1+1", "\x1b[2J"]),
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1900, 3, 1), dt.date(2999, 12, 31)),
)  # fmt: skip
GRIDS = st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=8)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(grid=GRIDS, as_csv=st.booleans())
def test_the_reader_never_fails_otherwise(tmp_path, grid, as_csv):
    """Whatever the cells: an input error naming the file, or rows read = valid + rejected."""
    header = [["姓名", "身份证号码", "乡镇"]]
    if as_csv:
        lines = [",".join("" if c is None else str(c).replace(",", " ").replace("\n", " ")
                          .replace("\r", " ") for c in row) for row in header + grid]  # fmt: skip
        path = csv_file(tmp_path / "f.csv", lines)
    else:
        path = xlsx(tmp_path / "f.xlsx", [*header, *[[_cell(c) for c in row] for row in grid]])
    try:
        checked = check_paths([path], "roster", on=dt.date(2024, 6, 30))
    except InputError as error:
        assert path.name in error.message()
        return
    assert checked.rows_read == checked.rows_valid + checked.rows_rejected
    assert checked.rows_read == sum(checked.per_file["rows_read"])


def _cell(value):
    """What openpyxl can store (it refuses control characters and infinities)."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable()) or None
    if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
        return None
    return value
