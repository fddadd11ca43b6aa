"""Reconcile: hand-built people for every warning code and the edges of DESIGN §6 (m = 2024-06)."""

from __future__ import annotations

import pytest

from fengdu_cli import dates
from fengdu_cli.match import region_class
from fengdu_cli.messages.warnings import with_detail
from fengdu_cli.reconcile import reconcile_month
from tests.makers import employer, month_folder, paid, person, valid_id

M = 202406
LAST12 = dates.months_range(202307, 202406)


def _id(n):
    return valid_id(n)


def build(tmp_path):
    """People (roster row = n + 1), their jobs and contributions, and the warnings expected."""
    people, jobs, contrib = [], [], []

    def add(n, *, job=None, months=(), extra_jobs=(), types=("企业职工基本养老保险",), **roster):
        people.append(person(n, **roster))
        for j in ([job] if job else []) + list(extra_jobs):
            code, start, end, region = j
            jobs.append(
                [_id(n), f"测试{n}", f"单位{code}", employer(code), start, end, "全日制", region]
            )
        for t in types:
            contrib.extend(
                paid(_id(n), f"测试{n}", employer(job[0] if job else 99), list(months), t)
            )

    add(
        1, job=(1, "2023-01-01", None, "重庆市丰都县"), months=[202404, 202405]
    )  # insurance_stopped
    add(2, job=(2, "2023-01-01", "2024-06-15", "重庆市丰都县"), months=LAST12)  # job_ended
    add(
        3, job=(3, "2023-01-01", "2024-06-30", "重庆市丰都县"), months=LAST12
    )  # edge: ends last day
    add(4, job=(4, "2024-05-10", None, "重庆市丰都县"), months=[202405, 202406])  # short_tenure
    add(
        5, job=(5, "2024-04-01", None, "重庆市丰都县"), months=[202404, 202405, 202406]
    )  # edge: 1st of m-2
    add(
        6,
        job=(8, "2024-05-01", None, "重庆市渝北区"),
        extra_jobs=[
            (6, "2023-08-01", "2023-12-31", "重庆市丰都县"),
            (7, "2024-01-02", "2024-04-30", "重庆市丰都县"),
        ],
        months=[202405, 202406],
    )  # frequent_change + short_tenure
    add(7, 务工状态="未务工")  # no_record only
    add(8)  # 县内务工 with nothing: no_record + status_mismatch
    add(
        9, job=(9, "2023-03-01", None, "山东省济南市"), months=LAST12, 务工状态="未务工"
    )  # status_mismatch
    add(
        10,
        job=(10, "2022-05-01", None, "重庆市丰都县"),
        months=LAST12,
        types=("企业职工基本养老保险", "失业保险"),
    )
    add(11, job=(11, "2022-05-01", None, "重庆市丰都县"), months=[m for m in LAST12 if m != 202401])
    add(13, 劳动技能="丧失劳动力", 务工状态="无劳动能力")  # not able to work: nothing
    # 12: roster ID mistyped (one digit), employment and insurance have the right one
    right = _id(12)
    typo = right[:9] + str((int(right[9]) + 1) % 10) + right[10:]
    people.append(person(12, 身份证号码=typo))
    jobs.append(
        [right, "测试12", "单位12", employer(12), "2023-01-01", None, "全日制", "重庆市丰都县"]
    )
    contrib.extend(paid(right, "测试12", employer(12), LAST12))
    # 14: 15-digit ID on the roster, 18-digit in employment → repaired match
    fifteen = "500230850101121"
    people.append(person(14, 身份证号码=fifteen))
    from fengdu_cli.idcard import upgrade_15

    jobs.append(
        [
            upgrade_15(fifteen),
            "测试14",
            "单位14",
            employer(14),
            "2023-01-01",
            None,
            "全日制",
            "广东省东莞市",
        ]
    )
    contrib.extend(paid(upgrade_15(fifteen), "测试14", employer(14), LAST12))
    month_folder(tmp_path / "data", people, jobs, contrib)
    return tmp_path / "data", typo


EXPECTED = {
    (1, "insurance_stopped"),
    (2, "job_ended"),
    (4, "short_tenure"),
    (6, "short_tenure"),
    (6, "frequent_change"),
    (7, "no_record"),
    (8, "no_record"),
    (8, "status_mismatch"),
    (9, "status_mismatch"),
    (12, "possible_id_typo"),
}


@pytest.fixture
def reconciled(tmp_path):
    data, typo = build(tmp_path)
    return reconcile_month(data, M, tmp_path / "f.db"), typo


def test_every_warning_code_on_its_person(reconciled):
    result, _ = reconciled
    got = {
        (int(n.removeprefix("测试")), c)
        for n, c in zip(result.warnings["name"], result.warnings["code"], strict=True)
    }
    assert got == EXPECTED


def test_edges_of_section_6(reconciled):
    result, _ = reconciled
    state = result.state.set_index("name")
    assert state.loc["测试3", "active_jobs"] == 1  # ends on the last day: still active
    assert state.loc["测试5", "stable3_jobs"] == 1 and state.loc["测试5", "tenure_months"] == 3
    assert state.loc["测试4", "tenure_months"] == 1
    assert state.loc["测试10", "insured_months_current"] == 12  # two types a month count once
    assert state.loc["测试11", "insured_months_current"] == 5  # gap in 2024-01
    assert state.loc["测试6", "employers_12m"] == 3
    assert state.loc["测试9", "region"] == "shandong"


def test_match_keys_and_counts(reconciled):
    result, _ = reconciled
    state = result.state.set_index("name")
    assert state.loc["测试1", "match_employment"] == "exact"
    assert state.loc["测试14", "match_employment"] == "repaired"
    summary = result.summary()
    assert summary["persons"] == 13  # 14 roster rows, one rejected (id_checksum)
    assert summary["matched"] == {"employment": 10, "insurance": 10}
    for counts in summary["inputs"].values():
        assert counts["read"] == counts["matched"] + counts["unmatched"] + counts["rejected"]
    assert summary["rows"]["read"] == summary["rows"]["valid"] + summary["rows"]["rejected"]
    assert summary["inputs"]["employment"]["unmatched"] == 1  # the right ID of person 12


def test_typo_suggestion_names_the_digit(reconciled):
    result, typo = reconciled
    warnings = with_detail(result.warnings, "zh")
    row = warnings[warnings["code"] == "possible_id_typo"].iloc[0]
    assert row["id_number"] == typo
    assert "第10位不同" in row["detail"] and valid_id(12) not in row["detail"]


def test_details_carry_dates(reconciled):
    result, _ = reconciled
    detail = with_detail(result.warnings, "zh").set_index(["name", "code"])["detail"]
    assert detail[("测试1", "insurance_stopped")].startswith("2024年5月有社保缴费")
    assert "2024年6月无缴费" in detail[("测试1", "insurance_stopped")]
    assert "2024-06-15结束" in detail[("测试2", "job_ended")]
    assert "2024-05-10" in detail[("测试4", "short_tenure")]
    english = with_detail(result.warnings, "en").set_index(["name", "code"])["detail"]
    assert english[("测试1", "insurance_stopped")].startswith("Contributions in 2024-05")
    assert "ended 2024-06-15" in english[("测试2", "job_ended")]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("重庆市丰都县三合街道", "county"),
        ("重庆市渝北区", "chongqing"),
        ("山东省济南市", "shandong"),
        ("广东省东莞市", "outside"),
        ("", "unknown"),
        ("丰都", "county"),
    ],
)
def test_region_class(text, region):
    assert region_class(text) == region


WARNING_CODES_PLANTED = {
    "insurance_stopped", "job_ended", "short_tenure", "frequent_change", "no_record",
    "status_mismatch", "possible_id_typo",
}  # fmt: skip


def test_sample_month_raises_every_planted_warning(tmp_path):
    """Each hand-made person of sample_data/planted.json gets the warning planted for them,
    and the edge people (ending on the last day, starting on the 1st of m−2) get none."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "sample_data"
    planted = json.loads((root / "planted.json").read_text(encoding="utf-8"))["planted"]
    result = reconcile_month(root, M, tmp_path / "f.db")
    got = set(zip(result.warnings["id_number"], result.warnings["code"], strict=True))
    scenarios = [p for p in planted if p["kind"] == "scenario"]
    expected = [(p["value"], p["code"]) for p in scenarios if p["code"] in WARNING_CODES_PLANTED]
    assert expected and all(e in got for e in expected)
    for edge in ("edge_job_ends_last_day", "edge_start_first_day_m_minus_2"):
        person = next(p["value"] for p in scenarios if p["code"] == edge)
        assert not any(i == person and c in ("job_ended", "short_tenure") for i, c in got)
