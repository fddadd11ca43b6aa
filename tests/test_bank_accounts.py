"""Money goes to the right account or to none: the review of the bank list's accounts.

Each test pays (or would pay) a wrong account without its fix: a 户编号 or an ID taken for
an account, the first of two account columns, a student paid for the household's head, the
first of an organisation's two accounts, a broker's own account ignored.
"""

from __future__ import annotations

import pandas as pd

from fengdu_cli.accounts import bank_payees, with_accounts
from fengdu_cli.io.read import read_file
from fengdu_cli.validate import check_paths
from tests.makers import HEADER, person, valid_id, xlsx

A1, A2 = "6217000000000000011", "6217000000000000022"
PROGRAMS = {"travel": "跨区域交通补助", "yulu": "雨露计划", "hire_once": "一次性吸纳就业补贴",
            "job_intro": "职业介绍补贴"}  # fmt: skip


def _line(rule, payee_type, payee_id, payee_name, person_id, person_name, fen):
    return {
        "rule": rule, "payee_type": payee_type, "payee_id": payee_id, "payee_name": payee_name,
        "township": "虎威镇", "person_id": person_id, "person_name": person_name,
        "amount_fen": fen, "batch_id": "2024-06-B1",
    }  # fmt: skip


def _recognised(path, kind="roster") -> dict[str, str]:
    (sheet,) = [s for s in read_file(path, kind).sheets if s.header is not None]
    return {c.header: c.column for c in sheet.header.recognition.columns if c.column}


def test_no_account_column_is_guessed_from_its_numbers(tmp_path):
    rows = [[*HEADER[:2], None, *HEADER[3:]]] + [person(n) for n in range(1, 8)]
    path = xlsx(tmp_path / "r.xlsx", rows)  # 户编号's header lost: long numbers, no header
    assert "bank_account" not in _recognised(path).values()
    remark = xlsx(tmp_path / "m.xlsx", [[*HEADER, "备注"]] + [
        [*person(n), f"62170000000000{n:05d}"] for n in range(1, 8)
    ])  # fmt: skip
    assert "bank_account" not in _recognised(remark).values()


def test_an_id_or_a_household_number_typed_as_the_account_is_not_paid(tmp_path):
    own, other = person(1), person(2, 户编号="5002302030010002")
    path = xlsx(
        tmp_path / "r.xlsx",
        [[*HEADER, "银行账号"],
         [*own, own[4]],  # the person's own ID
         [*other, "5002302030010002"],  # its 户编号
         [*person(3), valid_id(9)],  # someone's ID
         [*person(4), A1]],
    )  # fmt: skip
    checked = check_paths([path], "roster")
    bad = checked.problems[checked.problems["column"].eq("bank_account")]
    assert bad["message_key"].tolist() == ["account_is_id", "account_is_household", "account_is_id"]
    lines = pd.DataFrame(
        [_line("travel", "person", p[4], p[3], p[4], p[3], 10000) for p in
         (own, other, person(3), person(4))]
    )  # fmt: skip
    bank, missing = bank_payees(with_accounts(lines, {"roster": checked.valid}), "2024年6月",
                                PROGRAMS)  # fmt: skip
    assert bank["account_no"].tolist() == [A1] and len(missing) == 3


def test_one_account_for_two_households_is_reported(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [[*HEADER, "银行账号"], [*person(1), A1], [*person(2), A1]])
    checked = check_paths([path], "roster")
    keys = checked.problems["message_key"].tolist()
    assert keys.count("account_shared") == 2


def test_two_competing_account_columns_leave_the_account_unread(tmp_path):
    for first, second in (("社保卡号", "银行账号"), ("惠农卡号", "存折账号")):
        path = xlsx(
            tmp_path / f"{first}.xlsx",
            [[*HEADER, first, second]] + [[*person(n), f"92170000000000{n:05d}", A1[:-2] + f"{n:02d}"]
                                          for n in range(1, 6)],
        )  # fmt: skip
        checked = check_paths([path], "roster")
        assert "bank_account" not in checked.valid or checked.valid["bank_account"].eq("").all()
        gap = checked.problems[checked.problems["message_key"].eq("ambiguous_column_account")]
        assert len(gap) == 1 and {first, second} <= set(gap["params"].iloc[0]["headers"])
    # the account's own name beats a column that only has 卡号 in it
    path = xlsx(tmp_path / "x.xlsx", [[*HEADER, "惠农卡号", "银行账号"],
                                      [*person(1), "9217000000000000011", A1]])  # fmt: skip
    assert check_paths([path], "roster").valid["bank_account"].tolist() == [A1]


def test_account_headers_with_the_bank_named_and_payee_holders(tmp_path):
    headers = ["开户银行账号", "开户行账号", "账号（开户行）", "收款人", "收款人姓名"]
    for header in headers:
        path = xlsx(tmp_path / "r.xlsx", [[*HEADER, header], [*person(1), A1]])
        expected = "account_name" if header.startswith("收款人") else "bank_account"
        assert _recognised(path).get(header) == expected, header
    path = xlsx(
        tmp_path / "b.xlsx", [[*HEADER, "开户行行号", "开户行"], [*person(1), "103", "农行"]]
    )
    assert "bank_account" not in _recognised(path).values()


def test_a_household_is_paid_to_its_head_or_not_at_all():
    head, student = valid_id(1), valid_id(2)
    roster = pd.DataFrame(
        {"id_number": [head, student], "name": ["户主甲", "学生乙"], "household_id": ["H1", "H1"],
         "bank_account": ["", A2], "bank": ["", "农行"], "account_name": ["", ""]}
    )  # fmt: skip
    lines = pd.DataFrame([_line("yulu", "household", "H1", "户主甲", student, "学生乙", 300000)])
    bank, missing = bank_payees(with_accounts(lines, {"roster": roster}), "2024年6月", PROGRAMS)
    assert bank.empty and missing["payee_id"].tolist() == [head]  # never the student's account


def test_an_organisation_with_two_accounts_is_paid_to_neither(tmp_path):
    code, other = "91500230MA5U000071", "91500230MA5U000072"
    accounts = pd.DataFrame(
        {"employer_code": [code, code, other], "org_name": ["某公司", "某公司", "另一公司"],
         "bank_account": ["500000000000033", "500000000000044", "500000000000055"],
         "bank": ["农商行"] * 3, "account_name": ["某公司", "某公司", "另一公司"]}
    )  # fmt: skip
    workshops = pd.DataFrame(
        {"employer_code": [other], "workshop_name": ["另一公司"],
         "bank_account": ["500000000000066"], "bank": ["农行"], "account_name": [""]}
    )  # fmt: skip
    lines = pd.DataFrame(
        [_line("hire_once", "employer", code, "某公司", valid_id(1), "甲", 600000),
         _line("hire_once", "workshop", other, "另一公司", valid_id(2), "乙", 600000)]
    )  # fmt: skip
    paid = with_accounts(lines, {"roster": pd.DataFrame(), "accounts": accounts,
                                 "workshops": workshops})  # fmt: skip
    bank, missing = bank_payees(paid, "2024年6月", PROGRAMS)
    assert bank.empty and set(missing["where"]) == {"conflict"}
    # reported in accounts/ itself, with a 户名 that is not the organisation's
    rows = [["统一社会信用代码", "单位名称", "银行账号", "开户行", "户名"],
            [code, "某公司", "500000000000033", "农商行", "某公司"],
            [code, "某公司", "500000000000044", "农商行", "张三"],
            ["91500230MA5U00007X", "错码公司", "500000000000077", "农商行", ""]]  # fmt: skip
    checked = check_paths([xlsx(tmp_path / "a.xlsx", rows)], "accounts")
    keys = checked.problems["message_key"].tolist()
    assert keys.count("account_conflict") == 2 and "account_holder_differs" in keys
    assert "bad_credit_code" in keys  # a wrong check character


def test_a_broker_is_paid_from_agencies_by_id_and_shown_masked():
    from rich.console import Console

    from fengdu_cli.cli.render import render_bank

    broker, worker = valid_id(1), valid_id(2)
    agencies = pd.DataFrame(
        {"agency_code": [""], "broker_id": [broker], "agency_name": ["劳务经纪人蒋某某"],
         "bank_account": [A1], "bank": ["邮储"], "account_name": ["蒋某某"]}
    )  # fmt: skip
    roster = pd.DataFrame({"id_number": [broker], "name": ["蒋某某"], "township": ["三建乡"]})
    lines = pd.DataFrame([_line("job_intro", "agency", broker, "劳务经纪人蒋某某", worker, "乙",
                                30000)])  # fmt: skip
    bank, _ = bank_payees(with_accounts(lines, {"roster": roster, "agencies": agencies}),
                          "2024年6月", PROGRAMS)  # fmt: skip
    assert bank["account_no"].tolist() == [A1]
    paid = with_accounts(lines, {"roster": roster, "agencies": agencies.assign(bank_account="")})
    _, missing = bank_payees(paid, "2024年6月", PROGRAMS)
    assert missing["where"].tolist() == ["broker"] and missing["township"].tolist() == ["三建乡"]

    class Result:  # what render_bank reads of a committed result
        accounts_known = committed = True
        lines, checked = paid, {}

        def bank(self):
            return bank_payees(paid, "2024年6月", PROGRAMS)

    console = Console(width=160, record=True)
    render_bank(Result(), console, "zh")
    screen = console.export_text()
    assert broker not in screen and "蒋某某" not in screen and "500230" in screen


def test_accounts_rows_that_pay_no_organisation_are_shown():
    from fengdu_cli.accounts import unused_accounts

    code, typo = "91500230MA5U000071", "91500230MA5U000072"
    accounts = pd.DataFrame({"employer_code": [code, typo], "org_name": ["某公司", "错码公司"]})
    lines = pd.DataFrame([_line("hire_once", "employer", code.lower(), "某公司", valid_id(1),
                                "甲", 600000)])  # fmt: skip
    assert unused_accounts(lines, accounts)["employer_code"].tolist() == [typo]
