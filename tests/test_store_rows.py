"""Rows written to the database are plain Python values (psycopg adapts no numpy type;
SQLite would store a numpy integer as a blob), NULL where pandas has a gap."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from fengdu_cli.store.sql import records


def test_records_are_plain_python_values_with_null_for_gaps() -> None:
    frame = pd.DataFrame(
        {
            "text": pd.array(["a", None, np.nan, ""], dtype=object),
            "str": pd.array(["x", None, "z", ""], dtype="str"),
            "whole": pd.array([1, None, 3, 4], dtype="Int64"),
            "int": np.array([1, 2, 3, 4], dtype=np.int64),
            "float": [1.5, np.nan, 0.0, -2.0],
            "flag": [True, False, True, False],
            "when": pd.to_datetime(["2024-06-01", None, "2024-01-31", None]),
            "mixed": pd.array([1, "1", pd.NA, 1.0], dtype=object),
        },
        index=[5, 3, 9, 1],
    )
    columns = [*frame.columns, "absent"]
    rows = records(frame, columns)
    assert [list(r) for r in rows] == [columns] * 4
    assert rows[0]["text"] == "a" and rows[1]["text"] is None and rows[2]["text"] is None
    assert rows[1]["str"] is None and rows[3]["str"] == ""
    assert rows[1]["whole"] is None and type(rows[2]["whole"]) is int
    assert [type(r["int"]) for r in rows] == [int] * 4
    assert rows[1]["float"] is None and type(rows[0]["float"]) is float
    assert [type(r["flag"]) for r in rows] == [bool] * 4
    assert isinstance(rows[0]["when"], dt.datetime) and rows[1]["when"] is None
    assert rows[2]["mixed"] is None and rows[1]["mixed"] == "1"
    assert all(r["absent"] is None for r in rows)
    assert records(frame.iloc[:0], columns) == []
