"""``ledger import`` of past lists that paid an organisation, not a person.

就业帮扶基地奖补, 创业孵化基地奖补 and 就业服务超市奖补 are paid to the base by its unified social
credit code, once a year; a 小微企业's 创业担保贷款贴息 to the business, per loan and month.
Their past 花名册 name a credit code and nobody's ID: each row is keyed exactly as the rule
keys its own line (``基地:<code>``, ``孵化:<code>``, ``超市:<code>``, ``贷:<contract>``), so the
rule sees it as paid; a row whose code is missing, malformed or mistyped (check character)
is refused, never recorded for nobody.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fengdu_cli import store
from fengdu_cli.history import ORGANISATION_RULES, commit_import, plan_import
from fengdu_cli.normalise import credit_check_ok
from fengdu_cli.rules import IMPLEMENTED
from fengdu_cli.rules.base import HistoryKeyError
from fengdu_cli.sample.codes import credit_code
from fengdu_cli.store import ledger
from fengdu_cli.subsidy import _against_ledger
from tests.makers import csv_file, valid_id
from tests.test_rule_cases import DEMO_POLICY, build

ON = dt.date(2024, 6, 30)
MONTH = 202406
CODES = [credit_code(random.Random(n), "91", "500230") for n in range(4)]
PAST_HEADER = "单位名称,统一社会信用代码,补贴项目,发放月份,金额"

# rule, the base's type on bases/, extra columns of its row, amount of the demo policy (yuan)
AWARDS = [
    ("base_award", "就业帮扶基地", {}, 20000, "基地"),
    ("incubator_award", "创业孵化基地", {"grade": "良好"}, 30000, "孵化"),
    ("service_market_award", "就业服务超市", {}, 10000, "超市"),
]


def _live(db: Path) -> pd.DataFrame:
    conn = store.connect(db, create=False)
    try:
        return ledger.live_payments(conn)
    finally:
        conn.close()


def _imported(tmp_path: Path, lines: list[str], name: str = "past.csv") -> tuple[object, Path]:
    """Plan and commit a past list; (the committed plan, the database)."""
    path = csv_file(tmp_path / name, [PAST_HEADER, *lines])
    db = tmp_path / "ledger.db"
    plan = plan_import([path], DEMO_POLICY, db, on=ON, accept_amounts=True)
    return commit_import(plan, db, new_db=True), db


def _checked(code: str, case: dict, paid: pd.DataFrame, **changed: object) -> pd.DataFrame:
    """The rule's frame for the case's month, against the ledger's live entries."""
    ctx, _, _ = build(case)
    rule = DEMO_POLICY.rule(code)
    values = rule.values_for(ON).typed
    values = dataclasses.replace(values, **changed) if changed else values
    frame = IMPLEMENTED[code].evaluate(ctx, values)
    return _against_ledger(frame, code, rule.frequency, MONTH, values, paid)


def _award_case(kind: str, extra: dict) -> dict:
    """Two recognised bases of ``kind`` (c1, c2), one employee each."""
    return {
        "month": "2024-06",
        "people": [{"id": "a"}, {"id": "b"}],
        "employers": {"c1": CODES[0], "c2": CODES[1]},
        "jobs": [
            {"person": "a", "employer": "c1", "start": dt.date(2023, 1, 1)},
            {"person": "b", "employer": "c2", "start": dt.date(2023, 1, 1)},
        ],
        "lists": {
            "bases": [
                {"base_name": f"甲{kind}", "employer": "c1", "base_type": kind,
                 "recognised_date": "2022-01-01", **extra},
                {"base_name": f"乙{kind}", "employer": "c2", "base_type": kind,
                 "recognised_date": "2022-01-01", **extra},
            ]
        },
    }  # fmt: skip


def test_every_organisation_rule_keys_its_past_rows():
    for code in ORGANISATION_RULES:
        assert callable(getattr(IMPLEMENTED[code], "history_key", None)), code


@pytest.mark.parametrize(("code", "kind", "extra", "amount", "prefix"), AWARDS)
def test_an_award_paid_earlier_in_the_year_is_paid_before_another_years_is_not(
    tmp_path, code, kind, extra, amount, prefix
):
    """c1 was paid in March 2024 (this year: June pays it nothing); c2 in 2023 (another
    year: June pays it).  The list names each base by its credit code only."""
    word = DEMO_POLICY.rule(code).name
    plan, db = _imported(
        tmp_path,
        [f"甲,{CODES[0].lower()},{word},2024年3月,{amount}",  # typed in lower case
         f"乙,{CODES[1]},{word},2023年3月,{amount}"],
    )  # fmt: skip
    assert plan.problems.empty, plan.problem_list()
    entries = plan.entries.set_index("payee_id")
    assert entries.loc[CODES[0], "identities"] == f"{prefix}:{CODES[0]}"
    assert entries.loc[CODES[0], "key"] == f"{prefix}:{CODES[0]}|2024"
    assert entries.loc[CODES[0], "payee_type"] == "employer"
    assert entries.loc[CODES[0], "person_id"] == ""
    frame = _checked(code, _award_case(kind, extra), _live(db), **(
        {"min_persons": 1} if code == "base_award" else {}
    ))  # fmt: skip
    rows = frame.set_index("payee_id")
    assert bool(rows.loc[CODES[0], "eligible"]) and bool(rows.loc[CODES[1], "eligible"])
    assert rows.loc[CODES[0], "paid_before"] == plan.batch_id
    assert not bool(rows.loc[CODES[0], "payable"])
    assert bool(rows.loc[CODES[1], "payable"])


@pytest.mark.parametrize(("code", "amount"), [(c, a) for c, _, _, a, _ in AWARDS])
def test_an_award_row_without_a_usable_credit_code_is_refused(tmp_path, code, amount):
    """A mistyped code (its check character), a cell that is no code, and a list naming
    only a person are refused, each said; a resident ID beside a good code is ignored."""
    word = DEMO_POLICY.rule(code).name
    mistyped = CODES[2][:-1] + ("0" if CODES[2][-1] != "0" else "1")
    path = csv_file(
        tmp_path / "past.csv",
        [
            "单位名称,统一社会信用代码,负责人身份证号码,补贴项目,发放月份,金额",
            f"甲,{mistyped},,{word},2024-03,{amount}",  # the check character does not match
            f"乙,12345,,{word},2024-03,{amount}",  # not a credit code
            f"丙,,{valid_id(3)},{word},2024-03,{amount}",  # a person's ID: not whom it pays
            f"丁,{CODES[3]},{valid_id(4)},{word},2024-03,{amount}",  # the code is what counts
        ],
    )
    plan = plan_import([path], DEMO_POLICY, tmp_path / "none.db", on=ON, accept_amounts=True)
    assert plan.entries["payee_id"].tolist() == [CODES[3]]
    assert plan.entries["person_id"].tolist() == [""]
    assert plan.problems["code"].tolist() == ["bad_id", "bad_id", "no_person"]
    said = [p["message"] for p in plan.problem_list()]
    assert "校验位" in said[0] and mistyped in said[0]
    assert "不是18位统一社会信用代码" in said[1]
    assert "没有统一社会信用代码" in said[2]
    english = [p["message"] for p in plan.problem_list("en")]
    assert "check character" in english[0]


@pytest.mark.parametrize("code", [c for c, *_ in AWARDS])
def test_history_key_of_an_award_is_the_code_of_the_row(code):
    module = IMPLEMENTED[code]
    base, who = module.history_key({"payee_id": f" {CODES[0]} "}, "", MONTH)
    assert base == who and who.endswith(f":{CODES[0]}")
    with pytest.raises(HistoryKeyError) as raised:
        module.history_key({"payee_id": ""}, valid_id(1), MONTH)
    assert raised.value.said.key == "import_no_credit"


BUSINESS_LOAN = {
    "month": "2024-06",
    "employers": {"b1": CODES[0]},
    "lists": {
        "loans": [
            {"employer": "b1", "name": "甲公司", "borrower_type": "小微企业", "new_hires": "2",
             "principal": "400000", "rate": "4.35%", "start_date": "2023-09-01",
             "end_date": "2025-09-01", "loan_no": "B1"},
        ]
    },
}  # fmt: skip


def test_a_small_business_loan_paid_by_hand_is_not_paid_again(tmp_path):
    """A 贴息 list of a 小微企业 names the business's credit code and the contract, no person."""
    path = csv_file(
        tmp_path / "创业担保贷款贴息发放花名册.csv",
        ["借款人,统一社会信用代码,借款合同号,发放月份,贴息金额",
         f"甲公司,{CODES[0]},B1,2024-06,800"],
    )  # fmt: skip
    db = tmp_path / "loans.db"
    plan = commit_import(plan_import([path], DEMO_POLICY, db, on=ON, accept_amounts=True), db,
                         new_db=True)  # fmt: skip
    assert plan.problems.empty, plan.problem_list()
    assert plan.entries["payee_type"].tolist() == ["employer"]
    assert "贷:B1" in plan.entries["identities"].iat[0].split("|")
    frame = _checked("loan_interest", BUSINESS_LOAN, _live(db))
    assert bool(frame["eligible"].iat[0]) and frame["payee_id"].iat[0] == CODES[0]
    assert frame["paid_before"].iat[0] == plan.batch_id
    assert not bool(frame["payable"].iat[0])


def test_a_loan_row_with_neither_id_nor_credit_code_is_refused(tmp_path):
    path = csv_file(
        tmp_path / "创业担保贷款贴息2024年5月.csv",
        ["单位名称,统一社会信用代码,借款合同号,发放月份,金额",
         "甲公司,,B1,2024-05,800",
         f"乙公司,{CODES[1][:-1]}{'1' if CODES[1][-1] != '1' else '2'},B2,2024-05,800",
         f"丙公司,{CODES[2]},,2024-05,800"],  # which loan: not said
    )  # fmt: skip
    plan = plan_import([path], DEMO_POLICY, tmp_path / "none.db", on=ON, accept_amounts=True)
    assert plan.entries.empty
    assert plan.problems["code"].tolist() == ["no_person", "bad_id", "no_item"]
    assert "统一社会信用代码（小微企业）" in plan.problem_list()[0]["message"]


def test_a_person_loan_row_still_needs_its_resident_id(tmp_path):
    """The resident-ID path is unchanged: a person's row is keyed by the ID, and a row with
    a bad ID is refused as before, even when a credit code is also on it."""
    bad = valid_id(7)[:-1] + ("0" if valid_id(7)[-1] != "0" else "1")
    path = csv_file(
        tmp_path / "创业担保贷款贴息2024年5月.csv",
        ["借款人,身份证号码,统一社会信用代码,借款合同号,发放月份,金额",
         f"甲,{valid_id(6)},,P1,2024-05,400",
         f"乙,{bad},{CODES[0]},P2,2024-05,400"],
    )  # fmt: skip
    plan = plan_import([path], DEMO_POLICY, tmp_path / "none.db", on=ON, accept_amounts=True)
    assert plan.entries["person_id"].tolist() == [valid_id(6)]
    assert plan.entries["payee_type"].tolist() == ["person"]
    assert plan.problems["code"].tolist() == ["bad_id"]


# ---------------------------------------------------------------- the check character


@pytest.mark.parametrize(
    ("code", "ok"),
    [("92500230MAFCR7T30L", True), ("91110000600037341L", True), ("92500230MAFCR7T30M", False),
     ("91500230MA5U000001", False), ("500230199705273948", False), ("", False)],
)  # fmt: skip
def test_credit_check_character(code, ok):
    assert credit_check_ok(code) is ok


ALLOWED = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(seed=st.integers(0, 10_000), at=st.integers(0, 17), to=st.sampled_from(ALLOWED))
def test_one_mistyped_character_is_always_caught(seed, at, to):
    code = credit_code(random.Random(seed), "91", "500230")
    assert credit_check_ok(code)
    typo = code[:at] + to + code[at + 1 :]
    assert credit_check_ok(typo) is (typo == code)
