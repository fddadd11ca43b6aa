"""Each distinct reason is worded once: the words are those of wording every warning alone."""

from __future__ import annotations

import pandas as pd
import pytest

from fengdu_cli.messages.warnings import warning_detail, warning_details

ROWS = [
    ("warn_no_record", {"month": "2024-06", "last": ""}),
    ("warn_no_record", {"month": "2024-06", "last": "2024-01"}),
    ("warn_no_record", {"month": "2024-06", "last": ""}),
    ("warn_status_working", {"status": "县内务工", "month": "2024-06"}),
    ("warn_status_working", {"month": "2024-06", "status": "县内务工"}),  # other order
    ("warn_frequent_change", {"first": "2023-07", "month": "2024-06", "n": "3",
                              "jobs": [{"employer": "甲", "date": "2024-01-02"}]}),
    ("warn_frequent_change", {"first": "2023-07", "month": "2024-06", "n": 3,
                              "jobs": [{"employer": "乙", "date": "2024-02-02"}]}),
    ("warn_short_tenure", {"start": "2024-05-01", "employer": "1", "month": "2024-06",
                           "deadline": "2024-04-01"}),
    ("warn_short_tenure", {"start": "2024-05-01", "employer": 1.0, "month": "2024-06",
                           "deadline": "2024-04-01"}),  # equal to 1 but worded apart
]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_details_are_worded_as_one_by_one(lang: str) -> None:
    frame = pd.DataFrame(
        {"detail_key": [k for k, _ in ROWS], "detail_params": [p for _, p in ROWS]},
        index=range(10, 10 + len(ROWS)),
    )
    got = warning_details(frame, lang)
    assert list(got.index) == list(frame.index)
    assert got.tolist() == [warning_detail(k, p, lang) for k, p in ROWS]
    assert got.iloc[-1] != got.iloc[-2]
