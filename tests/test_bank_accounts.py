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


# --- what was sent belongs to the ledger's payment lines (recorded per bank part) ----------

HEAD, STUDENT, P1, P3 = valid_id(41), valid_id(42), valid_id(43), valid_id(44)
HOUSE = "5002300101000001"
AH, AS, AP1, AP3 = (f"62170000000000{n:05d}" for n in (41, 42, 43, 44))


def _roster(head="余勇国", p3_account="", head_row=True):
    rows = [(HOUSE, "余涵萱", STUDENT, AS), ("5002300101000002", "人1", P1, AP1),
            ("5002300101000003", "人3", P3, p3_account)]  # fmt: skip
    if head_row:
        rows.insert(0, (HOUSE, head, HEAD, AH))
    frame = pd.DataFrame(rows, columns=["household_id", "name", "id_number", "bank_account"])
    return frame.assign(bank="农行", township="虎威镇")


def _month_lines(extra=False):
    from fengdu_cli.rules.base import LINE_COLUMNS

    rows = [
        ("yulu", "household", HOUSE, "余勇国", STUDENT, "余涵萱", 300000, f"{STUDENT}|yulu"),
        ("travel", "person", P1, "人1", P1, "人1", 50000, f"{P1}|202406"),
        ("travel", "person", P3, "人3", P3, "人3", 60000, f"{P3}|202406"),
    ] + (
        [("travel", "person", valid_id(45), "人4", valid_id(45), "人4", 70000, "k4")]
        if extra
        else []
    )
    frame = pd.DataFrame(rows, columns=["rule", "payee_type", "payee_id", "payee_name",
                                        "person_id", "person_name", "amount_fen", "key"])  # fmt: skip
    frame = frame.assign(township="虎威镇", village="", household_id=HOUSE, period="2024-06",
                         basis="依据", identities=frame["person_id"])  # fmt: skip
    return frame[LINE_COLUMNS]


def _result(roster, lines=None, committed=True):
    from types import SimpleNamespace

    from fengdu_cli.policy import load_policy
    from fengdu_cli.subsidy import SubsidyResult

    policy = load_policy(None)
    lines = _month_lines() if lines is None else lines
    lines = lines.assign(rule_name=lines["rule"].map(lambda c: policy.rule(c).name),
                         batch_id="2024-06-B1")  # fmt: skip
    return SubsidyResult(202406, policy, lines, ("yulu", "travel"), {}, "2024-06-B1", committed,
                         False, checked={"roster": SimpleNamespace(valid=roster)})  # fmt: skip


def _commit(db, bank=True, lines=None):
    """The sample batch committed as ``subsidy --commit`` records it (its bank list part 0)."""
    from fengdu_cli import store
    from fengdu_cli.accounts import bank_items, bank_record
    from fengdu_cli.store import ledger

    lines = _month_lines() if lines is None else lines
    result = _result(_roster(), lines)
    conn = store.connect(db, create=True)
    run = store.start_run(conn, "subsidy", 202406)
    paid = result.paid_lines()
    ledger.commit_batch(conn, "2024-06-B1", 202406, run, lines, "x", {},
                        bank=bank_record(result.bank(paid)[0]) if bank else None,
                        items=bank_items(paid) if bank else None)  # fmt: skip
    conn.close()
    return result


def _write(db, out, roster, record=True, **options):
    from fengdu_cli.io.subsidy_files import settle_and_write

    return settle_and_write(_result(roster), db, out, record=record, **options)


def _bank_files(out):
    files = sorted(out.glob("bank-2024-06*.csv"))
    return {p.name: pd.read_csv(p, dtype=str, encoding="utf-8-sig").apply(
        lambda s: s.str.rstrip("\t")) for p in files}  # fmt: skip


def _missing_fen(result) -> int:
    return int(result.bank()[1]["amount_fen"].sum())


def test_a_household_sent_is_never_sent_again_whatever_the_roster_says(tmp_path):
    """Money (paid twice): after the head's row is renamed or deleted, neither ledger files
    nor a commit run again pays the household to its student; a household whose named head
    is not found is missing, never paid to the student."""
    db, out = tmp_path / "x.db", tmp_path / "out"
    _commit(db)
    for roster in (_roster(head="余永国"), _roster(head_row=False)):
        result, _ = _write(db, out, roster)
        assert result.bank_parts.added is None  # nothing new: the household was sent
        assert _missing_fen(result) == 60000  # 人3 only; the household was paid
        every = pd.concat(_bank_files(out).values())
        assert AS not in set(every["银行账号"])  # the student's account: never
        assert set(_bank_files(out)) == {"bank-2024-06.csv"}
    # a household not sent yet whose head is not found: missing, not the student's
    lines = _month_lines()
    fresh = with_accounts(lines, {"roster": _roster(head="余永国")})
    assert fresh.loc[0, "account_no"] == ""


def test_sum_of_every_bank_file_and_missing_is_the_batch_total_through_a_month(tmp_path):
    """Invariant: commit → head renamed → accounts added → ledger files → commit run again →
    head deleted → ledger files: all bank files + missing == the batch's total to the fen,
    no ledger line on two bank files."""
    from fengdu_cli import store
    from fengdu_cli.store import ledger

    db, out = tmp_path / "x.db", tmp_path / "out"
    _commit(db)
    total = int(_month_lines()["amount_fen"].sum())
    steps = [_roster(head="余永国"), _roster(head="余永国", p3_account=AP3),
             _roster(head="余永国", p3_account=AP3), _roster(head_row=False, p3_account=AP3)]  # fmt: skip
    for roster in steps:
        result, _ = _write(db, out, roster)
        files = _bank_files(out)
        sent = sum(round(float(x) * 100) for f in files.values() for x in f["金额（元）"])
        assert sent + _missing_fen(result) == total
    assert sorted(files) == ["bank-2024-06-补1.csv", "bank-2024-06.csv"]
    assert files["bank-2024-06-补1.csv"]["银行账号"].tolist() == [AP3]
    conn = store.connect(db, create=False)
    items = ledger.bank_items(conn, "2024-06-B1")
    conn.close()
    assert not items.duplicated(["rule", "key"]).any() and int(items["amount_fen"].sum()) == total


def test_payments_csv_shows_the_account_a_line_was_sent_to(tmp_path):
    """Money/record: ledger files writes payments-YYYY-MM.csv with the recorded account of a
    line sent, not today's."""
    db, out = tmp_path / "x.db", tmp_path / "out"
    _commit(db)
    roster = _roster()
    roster.loc[roster["id_number"].eq(P1), "bank_account"] = "62170000000000099"
    _write(db, out, roster)
    pay = pd.read_csv(out / "payments-2024-06.csv", dtype=str, encoding="utf-8-sig")
    row = pay[pay["person_id"].str.rstrip("\t").eq(P1)]
    assert row["account_no"].str.rstrip("\t").tolist() == [AP1]


def test_a_trial_records_nothing_and_writes_no_bank_list(tmp_path):
    from fengdu_cli import store
    from fengdu_cli.store import ledger

    db, out = tmp_path / "x.db", tmp_path / "out"
    _commit(db)
    _write(db, out, _roster(p3_account=AP3), record=False)
    conn = store.connect(db, create=False)
    assert ledger.bank_part_numbers(conn, "2024-06-B1") == [0]
    conn.close()
    assert not list(out.glob("bank-*"))


def test_a_batch_without_recorded_bank_lines_is_refused_and_its_file_kept(tmp_path):
    """Money: a batch committed before bank lines were recorded: its sent list is never
    overwritten; refused (exit 2) with what to do, nothing recorded."""
    from fengdu_cli.errors import UsageError

    db, out = tmp_path / "x.db", tmp_path / "out"
    _commit(db, bank=False)
    out.mkdir()
    (out / "bank-2024-06.csv").write_text("sent")
    try:
        _write(db, out, _roster(p3_account=AP3))
        raise AssertionError("not refused")
    except UsageError as exc:
        assert exc.exit_code == 2 and "ledger files" in exc.message("zh")
    assert (out / "bank-2024-06.csv").read_text() == "sent"


def test_a_failed_write_records_nothing_and_a_lost_part_is_written_again_and_said(tmp_path):
    """Money (silent gap): a run stopped before its files are in place records no part; a
    part recorded whose files were lost is written again under its number and announced."""
    from rich.console import Console

    from fengdu_cli import store
    from fengdu_cli.cli.render import render_bank
    from fengdu_cli.errors import UsageError
    from fengdu_cli.store import ledger

    db, out = tmp_path / "x.db", tmp_path / "out"
    _commit(db, lines=_month_lines(extra=True))
    roster = _roster(p3_account=AP3)
    roster.loc[roster["id_number"].eq(P3), "name"] = "人㛃"
    lines = _month_lines(extra=True)
    lines.loc[2, ["payee_name", "person_name"]] = "人㛃"
    from fengdu_cli.io.subsidy_files import settle_and_write

    try:
        settle_and_write(_result(roster, lines), db, out, record=True, encoding="gbk")
        raise AssertionError("not stopped")
    except UsageError:
        pass
    conn = store.connect(db, create=False)
    assert ledger.bank_part_numbers(conn, "2024-06-B1") == [0]
    conn.close()
    result, _ = settle_and_write(_result(roster, lines), db, out, record=True)
    assert result.bank_parts.added == 1
    for lost in out.glob("bank-2024-06-补1.*"):
        lost.unlink()
    result, _ = settle_and_write(_result(roster, lines), db, out, record=True)
    assert result.bank_parts.added is None and result.bank_parts.restored == (1,)
    assert (out / "bank-2024-06-补1.csv").exists()
    console = Console(record=True, width=200)
    render_bank(result, console, "zh")
    shown = console.export_text()
    assert "bank-2024-06-补1.xlsx" in shown and "重新写出" in shown
    assert "bank-年-月-补2" in shown and "补1.xlsx/" not in shown  # the hint: the next part


def test_moved_aside_never_replaces_an_earlier_file(tmp_path):
    from fengdu_cli.io.write import move_aside

    for text in ("B1", "B2"):
        (tmp_path / "bank-2024-06.csv").write_text(text)
        move_aside(tmp_path, "bank-*.csv", [])
    kept = sorted(p.read_text() for p in (tmp_path / "已过期").iterdir())
    assert kept == ["B1", "B2"]
    assert (tmp_path / "已过期" / "bank-2024-06-2.csv").read_text() == "B2"
