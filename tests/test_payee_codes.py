"""The payee of a base or a placement: a valid unified social credit code (GB 32100) or a
valid resident ID, compared in their normal form; validate reports a bad one on its row."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fengdu_cli.messages.problems import problem_words
from fengdu_cli.normalise import credit_check_char, credit_check_ok, credit_key
from fengdu_cli.rules.claims import payees
from fengdu_cli.sample.codes import credit_code
from fengdu_cli.validate import check_paths
from tests.makers import csv_file, valid_id, wrong_check

AS_OF = dt.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("typed", "key"),
    [("52500230MA7Y07HX8L", "52500230MA7Y07HX8L"), (" 52500230ma7y 07hx8l ", "52500230MA7Y07HX8L"),
     ("５２５００２３０ＭＡ７Ｙ０７ＨＸ８Ｌ", "52500230MA7Y07HX8L"), ("无", "无"), (None, ""), ("", "")],
)  # fmt: skip
def test_credit_key_is_the_one_form_codes_are_compared_in(typed, key):
    assert credit_key(typed) == key


@given(seed=st.integers(0, 10_000), prefix=st.sampled_from(("12", "52", "91", "92", "93")))
def test_the_sample_codes_pass_the_check_they_are_paid_on(seed, prefix):
    """(An all-digit code, as a 机关's ``11…`` may be, reads as a resident ID: not a payee.)"""
    code = credit_code(random.Random(seed), prefix, "500230")
    assert credit_check_ok(code)
    assert credit_check_char(code[:17]) == code[17]


def _agencies(**columns: list[object]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame(columns)
    frame["_file"], frame["_sheet"], frame["_row"] = "a.xlsx", "Sheet1", range(2, n + 2)
    return frame


def test_payees_take_a_valid_code_else_a_valid_broker_id():
    broker = valid_id(7)
    frame = _agencies(
        agency_code=["91500230MAU6RTFE32", "无", "91500230MAU6RTFE33", "", "", "", ""],
        broker_id=["", broker, broker, broker, wrong_check(broker), "500230198001010000", ""],
        _broker_id_code=[None, None, None, None, "id_checksum", "id_precision_lost", None],
        _raw_broker_id=["", broker, broker, broker, wrong_check(broker), 5.0023019800101e17, ""],
    )
    got = payees(frame)
    assert got["ok"].tolist() == [True, False, False, True, False, False, False]
    assert got["id"].tolist() == ["91500230MAU6RTFE32", "", "", broker, "", "", ""]
    assert got["fact"].tolist() == ["", "fact_credit_code_invalid", "fact_credit_code_invalid",
                                    "", "fact_broker_id_invalid", "", ""]  # fmt: skip
    assert got["shown"][3] != broker and got["shown"][3].endswith(broker[-4:])  # masked
    unknown = got["unknown"].tolist()
    assert unknown[5] and not any(unknown[:5]) and not unknown[6]  # digits lost: 无法判断


BASES = "载体名称,统一社会信用代码,类型,所在乡镇,所在村,认定日期"


def test_validate_reports_a_base_credit_code_that_is_not_one(tmp_path):
    person = "500230198601028599"
    path = csv_file(tmp_path / "bases.csv", [
        BASES,
        "石板村就业服务超市,52500230ma7y07hx8l,就业服务超市,龙河镇,石板村,2023-05-20",
        f"三坝村就业服务超市,{person},就业服务超市,南天湖镇,三坝村,2024-03-01",
        "某超市,52500230MA7Y07HX8M,就业服务超市,龙河镇,石板村,2023-05-20",
    ])  # fmt: skip
    checked = check_paths([path], "bases", on=AS_OF)
    found = checked.problems[checked.problems["code"].ne("missing_column")]
    assert {(r.row, r.column, r.code) for r in found.itertuples()} == {
        (3, "employer_code", "bad_number"),
        (4, "employer_code", "bad_number"),
    }
    assert set(found["severity"]) == {"warning"} and len(checked.valid) == 3  # kept
    assert set(found["message_key"]) == {"bad_credit_code"}
    assert person not in " ".join(found["value"])  # a resident ID typed there: masked
    words = problem_words(found, "zh")["message"].iloc[0]
    assert words.startswith("“统一社会信用代码”不是有效的统一社会信用代码"), words
    assert "not a valid unified social credit code" in problem_words(found, "en")["message"].iloc[0]
    assert checked.valid["employer_code"].tolist()[0] == "52500230MA7Y07HX8L"


AGENCIES = "申报机构,机构统一社会信用代码,劳务经纪人身份证号,被介绍人员姓名,身份证号码,入职日期"


def test_validate_reports_a_bad_agency_code_and_broker_id_keeping_the_row(tmp_path):
    broker = valid_id(7)
    path = csv_file(tmp_path / "agencies.csv", [
        AGENCIES,
        f"嘉信,无,,甲,{valid_id(1)},2024-01-01",
        f"经纪人,,{wrong_check(broker)},乙,{valid_id(2)},2024-01-01",
        f"经纪人,,{broker},丙,{valid_id(3)},2024-01-01",
    ])  # fmt: skip
    checked = check_paths([path], "agencies", on=AS_OF)
    found = checked.problems[checked.problems["code"].ne("missing_column")]
    assert {(r.row, r.column, r.code) for r in found.itertuples()} == {
        (2, "agency_code", "bad_number"),
        (3, "broker_id", "id_checksum"),
    }
    assert set(found["severity"]) == {"warning"} and len(checked.valid) == 3  # kept
    at_broker = found[found["column"].eq("broker_id")].iloc[0]
    assert at_broker["params"]["expected"] == broker[-1]  # the broker's own check digit
    assert wrong_check(broker) not in at_broker["value"]  # masked
