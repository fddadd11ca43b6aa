"""Subsidy rules on hand-built people (m = 2024-06), each condition and boundary."""

from __future__ import annotations

import pytest

from fengdu_cli import dates, store
from fengdu_cli.idcard import check_digit
from fengdu_cli.messages import in_words
from fengdu_cli.reconcile import reconcile_month
from fengdu_cli.store import ledger
from fengdu_cli.subsidy import compute_subsidies
from tests.makers import HEADER, employer, month_folder, paid, person, xlsx

M = 202406


def pid(born: str, seq: int) -> str:
    first17 = f"500230{born}{seq:03d}"
    return first17 + check_digit(first17)


def months(a: int, b: int) -> list[int]:
    return dates.months_range(a, b)


class World:
    """People, jobs and contributions; ``add`` returns the person's ID."""

    def __init__(self):
        self.people, self.jobs, self.contrib = [], [], []

    def add(self, n, born="19800101", *, job=None, pay=(), emp_type="全日制", **roster):
        i = pid(born, n)
        self.people.append(person(n, 身份证号码=i, **roster))
        if job:
            code, start, end, region = job
            self.jobs.append(
                [i, f"测试{n}", f"单位{code}", employer(code), start, end, emp_type, region]
            )
            self.contrib.extend(paid(i, f"测试{n}", employer(code), list(pay)))
        return i

    def write(self, root, businesses=None, workshops=None):
        month_folder(root, self.people, self.jobs, self.contrib)
        # every payee has an account: persons on the roster, organisations in accounts/
        xlsx(
            root / "rosters" / "roster.xlsx",
            [[*HEADER, "银行账号"], *([*p, "6217" + str(p[4])[:15]] for p in self.people)],
        )
        codes = sorted({job[3] for job in self.jobs} | {employer(50)}
                       | {b[1] for b in businesses or ()} | {w[1] for w in workshops or ()})  # fmt: skip
        (root / "accounts").mkdir(exist_ok=True)
        xlsx(
            root / "accounts" / "单位收款账户.xlsx",
            [["统一社会信用代码", "单位名称", "银行账号", "开户行"],
             *([c, f"单位{c[-3:]}", "5" + c[-6:].rjust(14, "0"), "农行"] for c in codes)],
        )  # fmt: skip
        (root / "workshops").mkdir(exist_ok=True)
        xlsx(
            root / "workshops" / "车间.xlsx",
            [
                ["车间名称", "统一社会信用代码", "乡镇", "认定日期"],
                *(workshops or [["某某帮扶车间", employer(50), "虎威镇", "2022-01-01"]]),
            ],
        )
        if businesses:
            (root / "businesses").mkdir(exist_ok=True)
            xlsx(
                root / "businesses" / "主体.xlsx",
                [
                    [
                        "市场主体名称",
                        "统一社会信用代码",
                        "经营者姓名",
                        "经营者身份证号码",
                        "成立日期",
                    ],
                    *businesses,
                ],
            )
        return root


@pytest.fixture
def world(tmp_path):
    return build_world(tmp_path)


def build_world(tmp_path):
    """The hand-built month: its data folder and the IDs of its people, by role."""
    w = World()
    ids = {}
    county = "重庆市丰都县"
    ids["hire12"] = w.add(1, job=(1, "2022-01-01", None, county), pay=months(202307, 202406))
    ids["hire11"] = w.add(2, job=(2, "2022-01-01", None, county), pay=months(202308, 202406))
    ids["hire_gap"] = w.add(
        3,
        job=(3, "2022-01-01", None, county),
        pay=[m for m in months(202306, 202406) if m != 202312],
    )
    ids["hire_monitor"] = w.add(
        4, job=(4, "2022-01-01", None, county), pay=months(202307, 202406), 人员类别="边缘易致贫户"
    )
    ids["hire_part"] = w.add(
        5, job=(5, "2022-01-01", None, county), pay=months(202307, 202406), emp_type="非全日制"
    )
    ids["shop_ok"] = w.add(
        6, job=(50, "2024-04-01", None, county), pay=[202404, 202405, 202406], emp_type="非全日制"
    )
    ids["shop_late"] = w.add(7, job=(50, "2024-04-02", None, county), emp_type="非全日制")
    ids["age16"] = w.add(9, born="20080630", job=(9, "2024-01-01", None, "重庆市渝北区"))
    ids["age15"] = w.add(10, born="20080701", job=(10, "2024-01-01", None, "重庆市渝北区"))
    ids["guangdong"] = w.add(11, job=(11, "2024-01-01", None, "广东省东莞市"))
    ids["outside_new"] = w.add(12, job=(12, "2024-04-15", None, "浙江省宁波市"))
    ids["shandong"] = w.add(13, job=(13, "2024-04-01", None, "山东省济南市"))
    ids["shandong_new"] = w.add(14, job=(14, "2024-05-01", None, "山东省济南市"))
    ids["weak_labor"] = w.add(
        16, job=(16, "2023-01-01", None, "广东省东莞市"), 劳动技能="丧失劳动力"
    )
    ids["owner_ok"] = w.add(15, 户编号="H15")
    ids["owner_late"] = w.add(17, 户编号="H17")
    ids["owner_small"] = w.add(18, 户编号="H18")
    staff = [pid("19900101", 200 + k) for k in range(7)]
    for k, sid in enumerate(staff[:3]):  # B1: 3 employees, 6 months each (2024-01..06)
        w.contrib.extend(paid(sid, f"员工{k}", employer(71), months(202401, 202406)))
    for k, sid in enumerate(staff[3:5]):  # B2 (registered a day late): 3 employees too
        w.contrib.extend(paid(sid, f"员工{k + 3}", employer(72), months(202401, 202406)))
    w.contrib.extend(paid(staff[5], "员工5", employer(72), months(202401, 202406)))
    for k, sid in enumerate(staff[:2]):  # B3: only 2 employees
        w.contrib.extend(paid(sid, f"员工{k}", employer(73), months(202401, 202406)))
    businesses = [
        ["甲商店", employer(71), "测试15", ids["owner_ok"], "2024-01-01"],
        ["乙商店", employer(72), "测试17", ids["owner_late"], "2024-01-02"],
        ["丙商店", employer(73), "测试18", ids["owner_small"], "2023-01-01"],
    ]
    root = w.write(tmp_path / "data", businesses=businesses)
    return root, ids


def payees(result, rule):
    lines = result.lines[result.lines["rule"] == rule]
    return dict(zip(lines["person_id"], lines["amount_fen"], strict=True))


def test_rules_on_hand_built_cases(world, tmp_path):
    root, ids = world
    result = compute_subsidies(root, M, tmp_path / "f.db")
    assert payees(result, "hire_once") == {ids["hire12"]: 600000}
    assert payees(result, "workshop_monthly") == {ids["shop_ok"]: 50000}
    travel = payees(result, "travel")
    assert travel == {
        ids["age16"]: 5000,
        ids["guangdong"]: 20000,
        ids["outside_new"]: 20000,
        ids["shandong"]: 20000,
        ids["shandong_new"]: 20000,
    }
    assert payees(result, "job_seeking_once") == {
        ids["age16"]: 50000,
        ids["guangdong"]: 50000,
        ids["shandong"]: 50000,
    }
    assert payees(result, "shandong_stable") == {ids["shandong"]: 300000}
    assert payees(result, "startup_household") == {ids["owner_ok"]: 800000}
    line = result.lines[result.lines["rule"] == "hire_once"].iloc[0]
    assert (line["payee_type"], line["payee_id"]) == ("employer", employer(1))
    startup = result.lines[result.lines["rule"] == "startup_household"].iloc[0]
    assert (startup["payee_type"], startup["payee_id"]) == ("household", "H15")


def test_failed_conditions_are_named(world, tmp_path):
    root, ids = world

    def failed(frame, person):  # the condition as a key and values, worded at the edge
        return in_words(frame.loc[person, "failed"])

    result = compute_subsidies(root, M, tmp_path / "f.db")
    hire = result.evaluations["hire_once"].frame.set_index("person_id")
    assert "连续为其缴纳社保满12个月" in failed(hire, ids["hire11"])
    assert "连续为其缴纳社保满12个月" in failed(hire, ids["hire_gap"])
    assert "脱贫人口" in failed(hire, ids["hire_monitor"])
    assert "全日制" in failed(hire, ids["hire_part"])
    travel = result.evaluations["travel"].frame.set_index("person_id")
    assert "16周岁" in failed(travel, ids["age15"])
    assert "劳动能力" in failed(travel, ids["weak_labor"])
    startup = result.evaluations["startup_household"].frame.set_index("person_id")
    assert "2024-01-01" in failed(startup, ids["owner_late"])
    assert "至少3人" in failed(startup, ids["owner_small"])


def test_skipped_rules_say_why(world, tmp_path):
    root, _ = world
    result = compute_subsidies(root, M, tmp_path / "f.db")
    assert result.skipped["work_training"].text().startswith("政策已于2021-12-31到期")
    assert result.skipped["work_training"].text("en").startswith("The policy ended on 2021-12-31")
    assert result.skipped["base_award"].code == "not_configured"
    assert result.skipped["base_award"].text().startswith("金额未配置")
    summary = result.summary()
    assert set(summary["totals"]) == set(summary["counts"]) == set(result.computed)
    assert "work_training" not in summary["totals"]


def test_2026_month_with_bundled_policy_pays_nothing(world, tmp_path):
    root, _ = world
    result = compute_subsidies(root, 202601, tmp_path / "f.db")
    assert result.computed == ()
    assert result.summary()["grand_total"] == 0
    assert {skip.code for skip in result.skipped.values()} == {"expired"}


def test_commit_rerun_next_month_never_twice(world, db_url):
    root, ids = world
    db = db_url
    june = compute_subsidies(root, M, db, commit=True, new_db=True, no_history=True)
    again = compute_subsidies(root, M, db, commit=True)
    assert again.batch_id == june.batch_id and not again.newly_committed
    columns = [c for c in june.lines.columns if c != "batch_id"]
    assert again.lines[columns].to_dict("records") == june.lines[columns].to_dict("records")
    conn = store.connect(db)
    assert conn.scalar("SELECT COUNT(*) FROM batches") == 1
    conn.close()
    july = compute_subsidies(root, 202407, db, commit=True)
    assert payees(july, "hire_once") == {}  # once ever
    # once per calendar year; the person who turns 16 on 2024-07-01 qualifies now
    assert payees(july, "travel") == {ids["age15"]: 5000}
    assert payees(july, "workshop_monthly") == {
        ids["shop_ok"]: 50000,
        ids["shop_late"]: 50000,
    }  # monthly
    travel_july = july.evaluations["travel"].frame.set_index("person_id")
    assert travel_july.loc[ids["age16"], "paid_before"] == june.batch_id
    january = compute_subsidies(root, 202501, db)
    assert ids["age16"] in payees(january, "travel")  # a new calendar year
    conn = store.connect(db)
    assert ledger.check_ledger(conn) == []
    conn.close()


def test_batch_ids_count_the_months_batches_only(world, db_url):
    """The id on the signed list counts the month's batches: the first is B1 whatever ran
    before (reconcile, trials, other months); a batch after a void is B2, never a reused id."""
    root, _ = world
    db = db_url
    reconcile_month(root, M, db)  # a run of its own, before any batch
    trial = compute_subsidies(root, M, db)
    assert trial.batch_id == "2024-06-B1" and not trial.committed
    june = compute_subsidies(root, M, db, commit=True, no_history=True)
    assert june.batch_id == "2024-06-B1"
    assert compute_subsidies(root, 202407, db, commit=True).batch_id == "2024-07-B1"
    conn = store.connect(db)
    ledger.void_month(conn, M, "重算")
    conn.close()
    again = compute_subsidies(root, M, db, commit=True, no_history=True)
    assert again.batch_id == "2024-06-B2"


def test_workshop_cap_counts_committed_months(world, db_url):
    root, ids = world
    db = db_url
    conn = store.connect(db)
    run = store.start_run(conn, "test", None)
    import pandas as pd

    def commit_month(month):
        line = {c: "" for c in ledger.PAYMENT_COLUMNS}
        line.update(
            rule="workshop_monthly",
            key=f"{ids['shop_ok']}|{month}",
            person_id=ids["shop_ok"],
            payee_id=employer(50),
            amount_fen=50000,
        )
        ledger.commit_batch(
            conn, f"{dates.month_text(month)}-T", month, run, pd.DataFrame([line]), "x", {}
        )

    for month in dates.months_range(202107, 202405):  # 35 committed months: one more is paid
        commit_month(month)
    conn.close()
    assert payees(compute_subsidies(root, M, db), "workshop_monthly") == {ids["shop_ok"]: 50000}
    conn = store.connect(db)
    commit_month(202106)  # the 36th committed month: the cap is reached
    conn.close()
    result = compute_subsidies(root, M, db)
    assert payees(result, "workshop_monthly") == {}
    frame = result.evaluations["workshop_monthly"].frame.set_index("person_id")
    assert (
        bool(frame.loc[ids["shop_ok"], "capped"]) and frame.loc[ids["shop_ok"], "months_paid"] == 36
    )


def test_sample_month_pays_the_planted_scenarios(tmp_path):
    """sample_data/planted.json: each rule scenario person is paid that rule; each edge
    person is not paid the rule the edge is about."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "sample_data"
    planted = [
        p
        for p in json.loads((root / "planted.json").read_text(encoding="utf-8"))["planted"]
        if p["kind"] == "scenario"
    ]
    result = compute_subsidies(root, M, tmp_path / "f.db")
    paid_rules = set(zip(result.lines["person_id"], result.lines["rule"], strict=True))
    for p in planted:
        if p["code"] in result.computed:
            assert (p["value"], p["code"]) in paid_rules, p["note"]
    not_paid = {
        "edge_11_insured_months": "hire_once",
        "edge_gap_in_12_months": "hire_once",
        "edge_workshop_short": "workshop_monthly",
        "edge_shandong_short": "shandong_stable",
        "edge_business_too_recent": "startup_household",
        "edge_business_2_employees": "startup_household",
    }
    for p in planted:
        if p["code"] in not_paid:
            assert (p["value"], not_paid[p["code"]]) not in paid_rules, p["note"]
    age16 = next(p["value"] for p in planted if p["code"] == "edge_age_16_last_day")
    assert (age16, "travel") in paid_rules


def test_work_training_ends_2021_12_31(world, tmp_path):
    root, _ = world
    december = compute_subsidies(root, 202112, tmp_path / "a.db")
    assert december.skipped["work_training"].code == "data_missing"  # in force, needs its ledger
    january = compute_subsidies(root, 202201, tmp_path / "b.db")
    assert january.skipped["work_training"].text().startswith("政策已于2021-12-31到期")


def test_a_line_of_zero_or_less_is_never_payable():
    """Whatever a rule computed, an eligible row of 0 fen or less is no payment line: a 0
    line would also mark its key paid for good.  It is reported as not eligible, with the
    amount in the reason."""
    import pandas as pd

    from fengdu_cli.policy.schema import RuleValues
    from fengdu_cli.subsidy import NO_PAYMENTS, _against_ledger

    ids = [f"50023019900101{n:03d}X" for n in range(4)]
    frame = pd.DataFrame(
        {
            "key_base": ids,
            "identities": ids,
            "payee_id": ids,
            "eligible": [True, True, True, False],
            "failed": ["", "", "", "某条件"],
            "amount_fen": [-60000, 0, 1, 0],
        }
    )
    out = _against_ledger(frame, "public_post", "monthly", 202406, RuleValues(), NO_PAYMENTS)
    assert out["payable"].tolist() == [False, False, True, False]
    assert out["not_positive"].tolist() == [True, True, False, False]
    assert in_words(out.loc[0, "failed"]) == "金额为零或负数（-600.00 元），不发放"
    assert in_words(out.loc[1, "failed"], "en") == "the amount is zero or negative (0.00): not paid"
    assert out.loc[3, "failed"] == "某条件"  # a row failed by a condition keeps its reason
