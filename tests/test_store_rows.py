"""The snapshot's rows are those :func:`fengdu_cli.store.sql.records` gives, value and type."""

from __future__ import annotations

import numpy as np
import pandas as pd

from fengdu_cli.store.runs import _month_rows
from fengdu_cli.store.sql import records


def test_month_rows_are_the_records_with_the_month() -> None:
    frame = pd.DataFrame(
        {
            "text": pd.Series(["a", None, np.nan, ""], dtype=object),
            "str": pd.Series(["x", None, "z", ""], dtype="str"),
            "whole": pd.array([1, None, 3, 4], dtype="Int64"),
            "int": np.array([1, 2, 3, 4], dtype=np.int64),
            "float": [1.5, np.nan, 0.0, -2.0],
            "flag": [True, False, True, False],
            "when": pd.to_datetime(["2024-06-01", None, "2024-01-31", None]),
            "mixed": pd.Series([1, "1", pd.NA, 1.0], dtype=object),
        },
        index=[5, 3, 9, 1],
    )
    columns = [*frame.columns, "absent"]
    got = _month_rows(202406, frame, columns)
    expected = [(202406, *row) for row in records(frame, columns)]
    assert got == expected
    assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in expected]
    assert _month_rows(202406, frame.iloc[:0], columns) == []
