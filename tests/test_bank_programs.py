"""The bank's list: ``bank_payees`` names each payee's programs from the set of its rules as
it did one payee at a time."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fengdu_cli.accounts as accounts
from fengdu_cli.accounts import bank_payees

PROGRAMS = {"travel": "跨区域交通补助", "job_seeking_once": "一次性求职创业补贴",
            "shandong_stable": "鲁渝劳务协作稳岗补贴", "hire_once": "一次性吸纳就业补贴"}  # fmt: skip


def reference_programs(frame, grouped, payees, programs) -> pd.Series:
    """The programs per payee as they were named: each payee's rules sorted and joined."""
    order = {code: i for i, code in enumerate(programs)}
    return grouped["rule"].agg(
        lambda r: "、".join(
            programs.get(c, c) for c in sorted(set(r), key=lambda c: order.get(c, 99))
        )
    )


def _lines(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    """Payment lines completed with accounts: (rule, payee, fen, account) per line."""
    return pd.DataFrame(
        [
            {
                "rule": rule, "payee_type": "employer" if payee.startswith("9") else "person",
                "payee_id": payee, "payee_name": f"名{payee}", "person_id": payee,
                "person_name": f"名{payee}", "township": "虎威镇", "payee_township": "虎威镇",
                "amount_fen": fen, "account_no": account, "bank": "", "account_name": "",
                "account_list": "roster", "holder_id": payee, "batch_id": "2024-06-B1",
            }
            for rule, payee, fen, account in rows
        ]
    )  # fmt: skip


def _both(lines: pd.DataFrame, programs: dict[str, str]) -> None:
    fast = bank_payees(lines, "2024年6月", programs)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(accounts, "_programs_of", reference_programs)
        slow = bank_payees(lines, "2024年6月", programs)
    for a, b in zip(fast, slow, strict=True):
        pd.testing.assert_frame_equal(a, b)


LINE = st.tuples(
    st.sampled_from(list(PROGRAMS)),
    st.sampled_from(["9150", "9151", "P1", "P2", "P3", "p1", ""]),
    st.integers(1, 10**7),
    st.sampled_from(["", "622200001111222233"]),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(LINE, max_size=25), reorder=st.permutations(list(PROGRAMS)))
def test_programs_named_as_one_payee_at_a_time(rows, reorder) -> None:
    programs = {code: PROGRAMS[code] for code in reorder}
    _both(_lines(rows), programs)


@pytest.mark.parametrize(
    "rows,programs",
    [
        ([], PROGRAMS),
        ([("travel", "P1", 100, "622200001111222233")], PROGRAMS),
        # a rule the programs lack: named by its code, payee by payee as before
        ([("travel", "P1", 100, ""), ("unknown_rule", "P1", 5, "")], PROGRAMS),
        ([("travel", "P1", 100, ""), ("travel", "P1", 100, ""), ("hire_once", "P1", 1, "")],
         {"hire_once": "乙", "travel": "甲"}),
    ],
)  # fmt: skip
def test_programs_edge_cases(rows, programs) -> None:
    _both(_lines(rows), programs)
