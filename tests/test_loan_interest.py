"""创业担保贷款贴息: its helpers (rate, LPR, days, the formula), its keys in the ledger and in
``ledger import``, the policy's dated LPR table, the loan list's columns and the sheet per bank.

The boundaries of the rule itself are in ``tests/rules/loan_interest.toml``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fengdu_cli import dates
from fengdu_cli.cli import app
from fengdu_cli.history import plan_import
from fengdu_cli.io.payments_report import bank_of, write_payments_workbook
from fengdu_cli.io.recognise import Recogniser
from fengdu_cli.messages import in_words
from fengdu_cli.normalise import loan_key, loan_rate, overdue_months
from fengdu_cli.policy import load_policy
from fengdu_cli.policy.check import examine
from fengdu_cli.policy.schema import LprRate, add_years, rate_on
from fengdu_cli.rules.base import HistoryKeyError
from fengdu_cli.rules.loan_interest import (
    days_in_month,
    history_key,
    loan_tokens,
    month_interest,
    percent_text,
    subsidy_rate,
)
from fengdu_cli.store import ledger
from fengdu_cli.subsidy import _against_ledger
from tests.test_rule_cases import run as run_case

POLICY = load_policy()
VALUES = POLICY.rule("loan_interest").periods[0].typed
BUNDLED = Path(__file__).parents[1] / "fengdu_cli" / "data" / "policy.toml"


# ---------------------------------------------------------------- rates and the LPR


@pytest.mark.parametrize(
    ("typed", "rate"),
    [("4.35%", "0.0435"), ("4.35", "0.0435"), ("0.0435", "0.0435"), (0.0435, "0.0435"),
     (4.35, "0.0435"), ("３．８５％", "0.0385"), ("3.1%", "0.031"), ("24", "0.24")],
)  # fmt: skip
def test_a_rate_in_any_clerk_form_is_an_exact_fraction(typed, rate):
    assert loan_rate(typed) == Decimal(rate)


@pytest.mark.parametrize("typed", ["0.5", "0.24", "30", "0", "-4.35", "四点三五", "", "4.35‰"])
def test_an_ambiguous_or_absurd_rate_is_not_guessed(typed):
    assert loan_rate(typed) is None


@pytest.mark.parametrize(
    ("typed", "months"),
    [("2024-03、2024-05", "|202403|202405|"), ("2024年3月，2024年5月", "|202403|202405|"),
     ("202403 202405", "|202403|202405|"), ("是", "|本月|"), ("否", ""), ("", ""), ("无", ""),
     ("三月", None), ("2024-13", None)],
)  # fmt: skip
def test_overdue_months_or_flag(typed, months):
    assert overdue_months(typed) == months


def test_the_lpr_table_is_dated_and_exact():
    table = VALUES.lpr_1y
    assert table[0] == LprRate(dt.date(2019, 8, 20), Decimal("4.25"))
    assert [line.start for line in table] == sorted({line.start for line in table})
    assert all(type(line.percent) is Decimal for line in table)


@pytest.mark.parametrize(
    ("day", "percent"),
    [(dt.date(2019, 8, 19), None), (dt.date(2019, 8, 20), "4.25"), (dt.date(2019, 9, 19), "4.25"),
     (dt.date(2019, 9, 20), "4.20"), (dt.date(2023, 8, 20), "3.55"), (dt.date(2023, 8, 21), "3.45"),
     (dt.date(2024, 7, 21), "3.45"), (dt.date(2024, 7, 22), "3.35"), (dt.date(2024, 10, 21), "3.10"),
     (dt.date(2025, 5, 19), "3.10"), (dt.date(2025, 5, 20), "3.00"), (dt.date(2025, 12, 31), "3.00")],
)  # fmt: skip
def test_the_lpr_in_force_on_a_day_switches_on_the_publication_day(day, percent):
    found = rate_on(VALUES.lpr_1y, day)
    assert (found.percent if found else None) == (Decimal(percent) if percent else None)


def test_the_margin_and_the_state_rate():
    assert VALUES.margin == Decimal("0.0150")
    assert subsidy_rate(Decimal("0.0435"), Decimal("3.45"), VALUES.margin) == Decimal("0.0240")
    assert subsidy_rate(Decimal("0.0195"), Decimal("3.45"), VALUES.margin) == 0
    assert subsidy_rate(Decimal("0.0100"), Decimal("3.45"), VALUES.margin) == 0  # never < 0
    # an LPR under the margin: the borrower bears nothing, the state pays the whole rate
    assert subsidy_rate(Decimal("0.0400"), Decimal("1.20"), VALUES.margin) == Decimal("0.0400")
    assert percent_text(Decimal("0.024")) == "2.40%"
    assert percent_text(Decimal("0.04275")) == "4.275%"


# ---------------------------------------------------------------- days and the formula


def test_days_of_a_month_start_inclusive_stop_exclusive():
    june = 202406
    assert days_in_month(dt.date(2024, 6, 16), dt.date(2026, 6, 16), june) == 15
    assert days_in_month(dt.date(2023, 6, 15), dt.date(2024, 6, 15), june) == 14
    assert days_in_month(dt.date(2023, 6, 15), dt.date(2024, 6, 1), june) == 0
    assert days_in_month(dt.date(2024, 7, 1), dt.date(2026, 7, 1), june) == 0
    assert days_in_month(dt.date(2024, 6, 30), dt.date(2024, 7, 1), june) == 1
    assert add_years(dt.date(2020, 2, 29), 3) == dt.date(2023, 2, 28)


def test_rounding_is_half_up_to_the_fen():
    assert month_interest(Decimal("10002.50"), Decimal("0.024"), 30) == Decimal("20.01")
    assert month_interest(Decimal("10002.49"), Decimal("0.024"), 30) == Decimal("20.00")
    assert month_interest(Decimal("200000"), Decimal("0.023"), 30) == Decimal("383.33")


@settings(max_examples=150, deadline=None)
@given(
    capped=st.integers(min_value=1000_00, max_value=3_000_000_00),
    rate_bp=st.integers(min_value=1, max_value=800),
    start=st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2024, 12, 31)),
    length=st.integers(min_value=1, max_value=3 * 366),
)
def test_a_loans_months_sum_to_the_formula_over_its_days(capped, rate_bp, start, length):
    """Rounded per month, the amounts of a loan stay within half a fen per month of the
    formula over all its days, and the days of its months add up to its days."""
    principal = Decimal(capped) / 100
    rate = Decimal(rate_bp) / 10000
    stop = start + dt.timedelta(days=length)
    months = dates.months_range(dates.month_of(start), dates.month_of(stop))
    days = [days_in_month(start, stop, m) for m in months]
    assert sum(days) == length
    paid = sum(month_interest(principal, rate, d) for d in days)
    exact = principal * rate * length / Decimal(360)
    assert abs(paid - exact) <= Decimal("0.005") * len(months)


# ---------------------------------------------------------------- never twice


def _frame(**row: object) -> pd.DataFrame:
    base = {"eligible": True, "payee_id": "500230198001010010", "amount_fen": 40000}
    return pd.DataFrame([{**base, **row}])


def _imported(identities: str, month: int) -> pd.DataFrame:
    return pd.DataFrame(
        [{"entry_id": 1, "batch_id": "I1", "rule": "loan_interest", "key": identities,
          "payee_id": "x", "person_id": "x", "amount_fen": 40000, "identities": identities,
          "month": month, "source": "past.xlsx", "batch_kind": "import"}]
    ).reindex(columns=ledger.NO_PAYMENTS.columns)  # fmt: skip


@pytest.mark.parametrize("paid_as", ["贷:DB20230001", "贷:500230198001010010@2023-09-01"])
def test_the_same_loan_month_is_never_paid_twice_however_it_was_keyed(paid_as):
    tokens = loan_tokens("DB20230001", "500230198001010010", dt.date(2023, 9, 1))
    frame = _frame(key_base="DB20230001", identities="|".join(tokens))
    checked = _against_ledger(frame, "loan_interest", "monthly", 202406, VALUES,
                              _imported(paid_as, 202406))  # fmt: skip
    assert checked["paid_before"].iat[0] == "I1"
    assert not checked["payable"].iat[0]
    later = _against_ledger(frame, "loan_interest", "monthly", 202407, VALUES,
                            _imported(paid_as, 202406))  # fmt: skip
    assert later["payable"].iat[0]


def test_another_loan_of_the_same_person_is_another_payment():
    tokens = loan_tokens("DB20230002", "500230198001010010", dt.date(2023, 10, 8))
    frame = _frame(key_base="DB20230002", identities="|".join(tokens))
    checked = _against_ledger(frame, "loan_interest", "monthly", 202406, VALUES,
                              _imported("贷:DB20230001|贷:500230198001010010@2023-09-01", 202406))  # fmt: skip
    assert checked["payable"].iat[0]


def test_history_key_by_contract_else_by_start_date_else_refused():
    person = "500230198001010010"
    assert history_key({"loan_no": "DB1", "loan_start_date": pd.Timestamp("2023-09-01")},
                       person, 202406) == ("DB1", f"贷:DB1|贷:{person}@2023-09-01")  # fmt: skip
    assert history_key({"loan_no": "DB1"}, person, 202406) == ("DB1", "贷:DB1")
    assert history_key({"loan_start_date": pd.Timestamp("2023-09-01")}, person, 202406) == (
        f"{person}@2023-09-01", f"贷:{person}@2023-09-01",
    )  # fmt: skip
    with pytest.raises(HistoryKeyError):
        history_key({"loan_no": "", "loan_start_date": pd.NaT}, person, 202406)


def test_ledger_import_keys_a_past_list_like_the_rule_and_refuses_a_row_it_cannot_key(tmp_path):
    from tests.makers import valid_id

    a, b, c = (valid_id(n) for n in (1, 2, 3))
    csv = tmp_path / "创业担保贷款贴息发放花名册2024年5月.csv"
    csv.write_text(
        "姓名,身份证号码,借款合同号,放款日期,发放月份,金额\n"
        f"甲,{a},DB20230001,2023-09-01,2024-05,400.00\n"
        f"乙,{b},,2023-10-08,2024-05,200.00\n"
        f"丙,{c},,,2024-05,300.00\n",
        encoding="utf-8-sig",
    )
    plan = plan_import([csv], POLICY, tmp_path / "none.db", on=dt.date(2024, 6, 30))
    keyed = dict(zip(plan.entries["person_id"], plan.entries["identities"], strict=True))
    assert keyed[a] == f"贷:DB20230001|贷:{a}@2023-09-01"
    assert keyed[b] == f"贷:{b}@2023-10-08"
    assert c not in keyed
    assert plan.problems["code"].tolist() == ["no_item"]


# ---------------------------------------------------------------- the policy's table


def _with(text: str, old: str, new: str) -> bytes:
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ('{ from = 2019-09-20, percent = "4.20" }', '{ from = 2019-08-20, percent = "4.20" }',
         "policy_table_order"),
        ('{ from = 2019-09-20, percent = "4.20" }', "{ from = 2019-09-20, percent = 4.20 }",
         "policy_table_rate"),
        ('{ from = 2019-09-20, percent = "4.20" }', '{ from = 2019-09-20, percent = "四点二" }',
         "policy_table_rate"),
        ('{ from = 2019-09-20, percent = "4.20" }', '{ from = "2019-09-20", percent = "4.20" }',
         "policy_table_date"),
        ('{ from = 2019-09-20, percent = "4.20" }',
         '{ from = 2019-09-20, percent = "4.20", rate = "4.20" }', "policy_bad_table"),
        ("lpr_margin_bp = 150", 'lpr_margin_bp = "150BP"', "policy_bad_count"),
        ("lpr_margin_bp = 150", 'borrower_rate = "LPR-150BP"', "policy_unknown_value"),
    ],
)  # fmt: skip
def test_the_lpr_table_and_the_margin_are_checked(old, new, code):
    problems, _, _ = examine(_with(BUNDLED.read_text(encoding="utf-8"), old, new))
    assert code in {p.code for p in problems}, [p.message for p in problems]


def test_the_caps_configure_the_rule_and_may_exceed_one_line():
    rule = POLICY.rule("loan_interest")
    assert rule.status(202406) == "in_force"
    assert VALUES.principal_max_business == Decimal(3_000_000)
    assert (VALUES.term_years_person, VALUES.term_years_business) == (3, 2)


# ---------------------------------------------------------------- the loan list's columns


@pytest.mark.parametrize(
    ("header", "column"),
    [("借款人", "name"), ("借款人身份证号码", "id_number"), ("贷款类型", "borrower_type"),
     ("合伙人数", "partners"), ("当年新招用符合条件人员数", "new_hires"), ("贷款金额（元）", "principal"),
     ("合同利率", "rate"), ("年利率(%)", "rate"), ("放款日", "start_date"), ("到期日", "end_date"),
     ("贷款到期日期", "end_date"), ("逾期月份", "overdue"), ("是否逾期", "overdue"),
     ("贷款银行", "bank"), ("经办银行", "bank"), ("借款合同号", "loan_no"), ("合同编号", "loan_no")],
)  # fmt: skip
def test_loan_list_wordings(header, column):
    assert column in Recogniser("loans").text_matches(header)


@pytest.mark.parametrize(
    "header", ["LPR", "贴息金额", "逾期天数", "担保人身份证号码", "开户银行账号"]
)
def test_loan_list_words_that_rule_a_column_out(header):
    matched = Recogniser("loans").text_matches(header)
    assert not {"rate", "principal", "overdue", "id_number", "bank"} & set(matched)


def test_a_credit_code_in_the_id_column_is_the_business_s(tmp_path):
    from fengdu_cli.validate import check_paths
    from tests.makers import valid_id

    path = tmp_path / "loans" / "贷款名单.csv"
    path.parent.mkdir()
    path.write_text(
        "借款人,身份证号码/统一社会信用代码,贷款类型,当年新招用符合条件人员数,贷款金额,合同利率,放款日,到期日,是否逾期,贷款银行\n"
        "某某公司,91500230MA5U000012,小微企业,2,400000,4.35%,2023-09-01,2025-09-01,否,农行\n"
        f"张三,{valid_id(7)},个人,,20,0.5,2023-09-01,2025-09-01,是,\n",
        encoding="utf-8-sig",
    )
    checked = check_paths([path], "loans", on=dt.date(2024, 6, 30))
    assert checked.rows_read == 2 and len(checked.valid) == 2
    first = checked.valid.iloc[0]
    assert (first["employer_code"], first["id_number"]) == ("91500230MA5U000012", "")
    assert first["rate"] == Decimal("0.0435") and first["overdue"] == ""
    codes = set(checked.problems["code"])
    assert {"bad_number"} <= codes  # 20 (万元?) as principal, 0.5 as a rate: kept, unknown
    assert checked.valid.iloc[1]["overdue"] == "|本月|"


# ---------------------------------------------------------------- a sheet per bank


def _lines(banks: list[str | None]) -> pd.DataFrame:
    rows = []
    for n, bank in enumerate(banks):
        mark = "" if bank is None else f"贷款银行：{bank}；"
        rows.append({"rule": "loan_interest", "payee_type": "person", "payee_id": f"P{n}",
                     "payee_name": f"借款人{n}", "township": "虎威镇", "person_id": f"P{n}",
                     "person_name": f"借款人{n}", "amount_fen": 40000, "period": "2024-06",
                     "basis": mark + "本金200000元"})  # fmt: skip
    return pd.DataFrame(rows)


def test_one_sheet_per_bank_and_one_for_lines_without(tmp_path):
    lines = _lines(
        ["中国农业银行丰都县支行", "重庆农村商业银行丰都支行", "", "中国农业银行丰都县支行"]
    )
    assert bank_of(lines["basis"]).tolist() == [
        "中国农业银行丰都县支行", "重庆农村商业银行丰都支行", "", "中国农业银行丰都县支行",
    ]  # fmt: skip
    path = write_payments_workbook(lines, tmp_path / "p.xlsx", month=202406, batch_id="B",
                                   rules=[("loan_interest", "创业担保贷款贴息")])  # fmt: skip
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "汇总",
        "中国农业银行丰都县支行",
        "重庆农村商业银行丰都支行",
        "未填贷款银行",
    ]
    assert "创业担保贷款贴息（中国农业银行丰都县支行）" in book.worksheets[1]["A1"].value


def test_one_sheet_when_the_list_has_no_bank_column(tmp_path):
    path = write_payments_workbook(_lines([None, None]), tmp_path / "p.xlsx", month=202406,
                                   batch_id="B", rules=[("loan_interest", "创业担保贷款贴息")])  # fmt: skip
    assert openpyxl.load_workbook(path).sheetnames == ["汇总", "创业担保贷款贴息"]


def test_long_or_equal_bank_names_give_unique_sheets_within_31_characters(tmp_path):
    long = "中国农业银行股份有限公司重庆丰都县支行营业部第一分理处某某网点"
    lines = _lines([long, long + "二", "未填贷款银行", ""])
    path = write_payments_workbook(lines, tmp_path / "p.xlsx", month=202406, batch_id="B",
                                   rules=[("loan_interest", "创业担保贷款贴息")])  # fmt: skip
    names = openpyxl.load_workbook(path).sheetnames[1:]  # after 汇总
    assert len(names) == len(set(n.lower() for n in names)) == 4
    assert all(len(n) <= 31 for n in names)


# ---------------------------------------------------------------- one loan, one normal form


@pytest.mark.parametrize(
    ("typed", "key"),
    [("DB20230001", "DB20230001"), ("DB-20230001", "DB20230001"), ("DB 20230001", "DB20230001"),
     ("db20230001", "DB20230001"), ("ＤＢ２０２３０００２", "DB20230002"), ("DB－2023 0001", "DB20230001"),
     ("DB—2023—0001", "DB20230001"), (" DB20230001\u3000", "DB20230001"), ("", ""), (None, "")],
)  # fmt: skip
def test_a_contract_number_has_one_normal_form(typed, key):
    assert loan_key(typed) == key
    assert loan_tokens(typed or "", "", None) == ([f"贷:{key}"] if key else [])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="DBdb0123456789-－— \u3000ＤＢ０１２", max_size=16))
def test_the_normal_form_is_stable_and_plain(typed):
    key = loan_key(typed)
    assert loan_key(key) == key
    assert not set(key) & set("-－— \u3000") and key == key.upper()


def _case(loans: list[dict], people: tuple[str, ...] = ("a",)) -> pd.DataFrame:
    case = {"month": "2024-06", "people": [{"id": p} for p in people], "lists": {"loans": loans}}
    frame, _ = run_case("loan_interest", case)
    return frame


LOAN = {"person": "a", "borrower_type": "个人", "principal": "200000", "rate": "4.35%",
        "start_date": dt.date(2023, 9, 1), "end_date": dt.date(2025, 9, 1),
        "loan_no": "DB20230001"}  # fmt: skip


@pytest.mark.parametrize(
    "copy",
    [{}, {"loan_no": "DB-20230001"}, {"loan_no": "db 20230001"}, {"loan_no": ""},
     {"loan_no": "", "overdue": "2024-06"}],
    ids=["same_row", "hyphen", "case_and_space", "blank_contract", "blank_contract_overdue"],
)  # fmt: skip
def test_the_same_loan_listed_twice_is_paid_once(copy):
    frame = _case([LOAN, {**LOAN, **copy}])
    assert frame["eligible"].tolist() == [True, False]
    assert frame["payable"].tolist() == [True, False]
    second = frame.iloc[1]
    assert second["failed"].key == "cond_loan_interest_listed_twice"
    assert in_words(second["failed"]).startswith("同一笔贷款在名单中重复列出（与")
    assert "第2行" in in_words(second["failed"])  # the row of the copy that is paid
    assert not second["undetermined"]


def test_the_copy_that_counts_is_the_first_eligible_one():
    frame = _case([{**LOAN, "overdue": "2024-06"}, LOAN])
    assert frame["payable"].tolist() == [False, True]
    assert frame.iloc[0]["failed"].key == "cond_loan_interest_listed_twice"


def test_a_shared_cap_is_said_in_the_basis():
    frame = _case([LOAN, {**LOAN, "loan_no": "DB20240002", "start_date": dt.date(2024, 1, 10),
                          "end_date": dt.date(2026, 1, 10), "principal": "50000"}])  # fmt: skip
    first, later = frame["basis"].tolist()
    assert (
        "计息本金200000元（同一借款人本月另有1笔贷款，额度按放款日先后分配，在先贷款已占0元）"
        in first
    )
    assert (
        "计息本金0元（同一借款人本月另有1笔贷款，额度按放款日先后分配，在先贷款已占200000元）"
        in later
    )
    assert frame["payable"].tolist() == [True, False]  # another loan, not the same one twice
    assert frame.iloc[1]["failed"].key == "cond_loan_interest_principal"


# ---------------------------------------------------------------- the import keys it the same way


def test_history_key_reads_the_contract_in_any_spelling_and_our_own_files():
    person = "500230198001010010"
    for typed in ("DB 20230001", "ＤＢ２０２３０００１", "db-20230001"):
        assert history_key({"loan_no": typed}, person, 202406) == ("DB20230001", "贷:DB20230001")
    # our payments CSV: the ledger's key; our CSV and workbook: the basis
    assert history_key({"key": "DB20230001|202406"}, person, 202406) == (
        "DB20230001", "贷:DB20230001",
    )  # fmt: skip
    assert history_key({"key": f"{person}@2023-09-01|202406"}, person, 202406) == (
        f"{person}@2023-09-01", f"贷:{person}@2023-09-01",
    )  # fmt: skip
    basis = ("贷款银行：中国农业银行丰都县支行；合同DB20230001，本金200000元，计息本金200000元；"
             "利率4.35%，放款日2023-09-01LPR3.45%，贴息利率2.40%；本月30天")  # fmt: skip
    assert history_key({"basis": basis}, person, 202406) == (
        "DB20230001", f"贷:DB20230001|贷:{person}@2023-09-01",
    )  # fmt: skip
    with pytest.raises(HistoryKeyError):  # a clerk's 依据 that names no loan of ours
        history_key({"basis": "按借款合同约定，本金按月计息"}, person, 202406)


def test_a_past_list_s_contract_spelling_keys_the_same_loan(tmp_path):
    from tests.makers import valid_id

    a, b = valid_id(1), valid_id(2)
    csv = tmp_path / "创业担保贷款贴息发放花名册2024年6月.csv"
    csv.write_text(
        "姓名,身份证号码,借款合同号,发放月份,金额\n"
        f"甲,{a},DB 20230001,2024-06,400.00\n"
        f"乙,{b},ＤＢ２０２３０００２,2024-06,256.25\n",
        encoding="utf-8-sig",
    )
    plan = plan_import([csv], POLICY, tmp_path / "none.db", on=dt.date(2024, 6, 30))
    keyed = dict(zip(plan.entries["person_id"], plan.entries["identities"], strict=True))
    assert keyed == {a: "贷:DB20230001", b: "贷:DB20230002"}
    rule_tokens = loan_tokens("DB-20230001", a, dt.date(2023, 9, 1))
    assert keyed[a] in rule_tokens


# ---------------------------------------------------------------- end to end, on the sample month

SAMPLE = Path(__file__).parents[1] / "sample_data"
LOAN_HEADER = ["借款人", "身份证号码", "贷款类型", "合伙人数", "当年新招用符合条件人员数",
               "贷款金额（元）", "合同利率", "放款日", "到期日", "逾期月份", "贷款银行", "借款合同号"]  # fmt: skip
WU = ["吴江富", "50023019911018935X", "个人", None, None, 200000, "4.35%",
      dt.datetime(2023, 9, 1), dt.datetime(2025, 9, 1), None, "中国农业银行丰都县支行", "DB20230001"]  # fmt: skip


def _sample_with_loans(tmp_path: Path, rows: list[list]) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    for old in (data / "loans").iterdir():
        old.unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(LOAN_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(data / "loans" / "loans.xlsx")
    return data


def _subsidy(data: Path, out: Path, *extra: str):
    result = CliRunner().invoke(app, ["subsidy", "--month", "2024-06", "--data", str(data),
                                      "--policy", str(data / "policy-demo.toml"), "--out",
                                      str(out), "--json", *extra])  # fmt: skip
    return result.exit_code, (json.loads(result.stdout) if result.stdout.startswith("{") else {})


def _loan_lines(out: Path) -> list[dict]:
    path = next(out.glob("payments-2024-06*.csv"))
    with path.open(encoding="utf-8-sig") as f:
        return [r for r in csv.DictReader(f) if r["rule"] == "loan_interest"]


def test_a_loan_listed_twice_is_one_line_and_the_commit_does_not_fail(tmp_path):
    header_again = ["借款人", "身份证号码", "贷款类型", None, None, "贷款金额（元）"]
    variant = [*WU[:1], "50023019911018935x", *WU[2:11], "DB-20230001"]
    blank = [*WU[:11], None]
    data = _sample_with_loans(tmp_path, [WU, header_again, variant, WU, blank])
    code, summary = _subsidy(data, tmp_path / "trial")
    assert code in (0, 1)
    assert [r["payee_id"] for r in _loan_lines(tmp_path / "trial")] == [WU[1]]
    assert summary["counts"]["loan_interest"] == 1
    code, summary = _subsidy(data, tmp_path / "c", "--commit", "--new-db", "--no-history",
                             "--db", str(tmp_path / "x.db"))  # fmt: skip
    assert code in (0, 1), summary
    assert len(_loan_lines(tmp_path / "c")) == 1


def test_our_own_payments_csv_restores_the_loans_paid(tmp_path):
    """Commit the sample month, import its payments CSV into a fresh ledger: no person's
    loan-month is payable again (the CSV's key column names the loan)."""
    first, restored = tmp_path / "a.db", tmp_path / "b.db"
    _subsidy(SAMPLE, tmp_path / "o1", "--commit", "--new-db", "--no-history", "--db", str(first))
    paid = _loan_lines(tmp_path / "o1")
    assert paid and all(line["key"].endswith("|202406") for line in paid)
    result = CliRunner().invoke(app, ["ledger", "import", str(tmp_path / "o1" / "payments-2024-06.csv"),
                                      "--db", str(restored), "--new-db", "--commit", "--policy",
                                      str(SAMPLE / "policy-demo.toml"), "--json"])  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    _subsidy(SAMPLE, tmp_path / "o2", "--db", str(restored))
    again = {line["payee_id"] for line in _loan_lines(tmp_path / "o2")}
    persons = {line["payee_id"] for line in paid if line["payee_type"] == "person"}
    assert persons and not again & persons
    # a 小微企业's line (a credit code, no resident ID) waits for the import of
    # organisation-paid rows: at most that line is left
    assert again <= {line["payee_id"] for line in paid if line["payee_type"] == "employer"}


def test_a_person_loan_with_a_credit_code_is_reported(tmp_path):
    row = [WU[0], "92500230MAFCR7T30L", *WU[2:]]
    data = _sample_with_loans(tmp_path, [row])
    _, summary = _subsidy(data, tmp_path / "o")
    assert summary["undetermined"].get("loan_interest") == 1
    checked = CliRunner().invoke(
        app, ["validate", str(data / "loans"), "--kind", "loans", "--json"]
    )
    problems = json.loads(checked.stdout)["problems"]
    assert [p["code"] for p in problems] == ["bad_category"]
    assert "统一社会信用代码" in problems[0]["message"] and "个人或合伙" in problems[0]["message"]
