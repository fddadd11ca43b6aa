"""The rules' context finds the contributed insurance rows only when a rule asks, once, and
gives the same rows as sifting them beforehand did."""

from __future__ import annotations

import pandas as pd

from fengdu_cli.match import contributed
from fengdu_cli.rules.base import Context

ROWS = pd.DataFrame(
    {
        "id_number": ["A", "A", "B", "C", "C"],
        "employer_code": ["E", "E", "E", "F", "F"],
        "period": [202406, 202406, 202405, None, 202406],
        "employer_amount": [100.0, -100.0, 50.0, 10.0, None],
        "personal_amount": [10.0, -10.0, None, 1.0, None],
    }
)


def test_insurance_found_when_asked_once_and_the_same() -> None:
    calls: list[int] = []

    def sift() -> pd.DataFrame:
        calls.append(1)
        return contributed(ROWS)

    ctx = Context(202406, pd.DataFrame(), None, sift)  # type: ignore[arg-type]
    assert calls == []
    pd.testing.assert_frame_equal(ctx.insurance, contributed(ROWS))
    assert ctx.insurance is ctx.insurance and calls == [1]


def test_insurance_given_as_rows_is_those_rows() -> None:
    rows = contributed(ROWS)
    assert Context(202406, pd.DataFrame(), None, rows).insurance is rows  # type: ignore[arg-type]
