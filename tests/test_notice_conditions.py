"""The notice's own conditions, each at its boundary (m = 2024-06 unless said).

- categories are facts: a 脱贫不稳定户 is 脱贫人口 (hire_once, travel, job_seeking_once);
  startup_household takes 脱贫人口, 边缘易致贫户 and 农村自主创业农民, not 突发严重困难户;
- hire_once: 我市户籍 (户籍地), a hire on or after the policy start, an employer in the county;
- a value applies only from its document's date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fengdu_cli.messages import in_words
from fengdu_cli.policy import load_policy
from fengdu_cli.rules import hire_once
from fengdu_cli.rules.base import fact_said
from fengdu_cli.subsidy import compute_subsidies
from tests.makers import HEADER, employer, xlsx
from tests.test_subsidy import M, World, months, payees, pid

COUNTY = "重庆市丰都县"
TWELVE = months(202307, 202406)


def outside_credit(n: int) -> str:
    return f"91500112MA5U{n:06d}"  # registered in 渝北区


@pytest.fixture
def people(tmp_path):
    w = World()
    ids = {}
    ids["unstable_hire"] = w.add(1, job=(1, "2022-01-01", None, COUNTY), pay=TWELVE,
                                 人员类别="脱贫不稳定户")  # fmt: skip
    ids["unstable_away"] = w.add(2, job=(2, "2024-01-01", None, "广东省东莞市"),
                                 人员类别="脱贫不稳定户")  # fmt: skip
    ids["hired_day_before"] = w.add(3, job=(3, "2021-09-12", None, COUNTY), pay=TWELVE)
    ids["hired_on_the_day"] = w.add(4, job=(4, "2021-09-13", None, COUNTY), pay=TWELVE)
    ids["sudden"] = w.add(15, 人员类别="突发严重困难户", 户编号="H15")
    ids["edge"] = w.add(17, 人员类别="边缘易致贫户", 户编号="H17")
    ids["general"] = w.add(18, 人员类别="一般户", 户编号="H18")
    # an employer registered outside the county, twice: once insured in 丰都, once not
    outsider = pid("19850101", 30)
    w.people.append(_person(30, outsider))
    w.jobs.append([outsider, "测试30", "渝北某厂", outside_credit(30), "2022-01-01", None,
                   "全日制", COUNTY])  # fmt: skip
    ids["employer_outside"] = outsider
    staff = [pid("19900101", 200 + k) for k in range(12)]
    for firm, group in ((71, staff[0:3]), (72, staff[3:6]), (73, staff[6:9])):
        for k, sid in enumerate(group):
            w.contrib.extend(_paid(sid, f"员工{k}", employer(firm), months(202401, 202406)))
    businesses = [
        ["甲商店", employer(71), "测试15", ids["sudden"], "2023-01-01", "否"],
        ["乙商店", employer(72), "测试17", ids["edge"], "2023-01-01", "否"],
        ["丙商店", employer(73), "某某", pid("19700101", 99), "2023-01-01", "是"],
    ]
    root = w.write(tmp_path / "data")
    (root / "businesses").mkdir()
    xlsx(
        root / "businesses" / "主体.xlsx",
        [["市场主体名称", "统一社会信用代码", "经营者姓名", "经营者身份证号码", "成立日期",
          "是否农村自主创业农民"], *businesses],
    )  # fmt: skip
    for _i, c in enumerate(months(202307, 202406)):
        w.contrib.append((outsider, "测试30", outside_credit(30), c, "企业职工基本养老保险"))
    _rewrite_insurance(root, w)
    return root, ids


def _person(n: int, id_number: str) -> list[object]:
    from tests.makers import person

    return person(n, 身份证号码=id_number)


def _paid(id_number, name, code, periods):
    return [(id_number, name, code, p, "企业职工基本养老保险") for p in periods]


def _rewrite_insurance(root, w, region_for=None):
    from tests.makers import INSURANCE_HEADER, csv_file

    header = [*INSURANCE_HEADER, "参保地"]
    lines = [",".join(header)]
    for i, n, c, p, t in w.contrib:
        place = (region_for or {}).get(c, "重庆市渝北区" if c.startswith("915001") else COUNTY)
        lines.append(f"{i},{n},{c},{p},{t},4000,640,320,{place}")
    csv_file(root / "insurance" / "insurance.csv", lines)


def test_an_unstable_household_member_is_tuopin_for_every_tuopin_rule(people, tmp_path):
    root, ids = people
    result = compute_subsidies(root, M, tmp_path / "f.db")
    assert ids["unstable_hire"] in payees(result, "hire_once")
    assert ids["unstable_away"] in payees(result, "travel")
    assert ids["unstable_away"] in payees(result, "job_seeking_once")


def test_startup_groups_of_the_notice(people, tmp_path):
    root, _ids = people
    result = compute_subsidies(root, M, tmp_path / "f.db")
    frame = result.evaluations["startup_household"].frame.set_index("business_code")
    assert not frame.loc[employer(71), "eligible"]  # 突发严重困难户 is not one of its groups
    assert in_words(frame.loc[employer(71), "failed"]).startswith("经营者在花名册中且人员类别属于")
    assert frame.loc[employer(72), "eligible"]  # 边缘易致贫户
    assert frame.loc[employer(73), "eligible"]  # 农村自主创业农民, not on any roster


def test_a_hire_one_day_before_the_policy_start_is_not_paid(people, tmp_path):
    root, ids = people
    result = compute_subsidies(root, M, tmp_path / "f.db")
    hired = payees(result, "hire_once")
    assert ids["hired_on_the_day"] in hired and ids["hired_day_before"] not in hired
    frame = result.evaluations["hire_once"].frame.set_index("person_id")
    assert frame.loc[ids["hired_day_before"], "v_hired"] == "2021-09-12"


def test_an_employer_outside_the_county_unless_it_insures_in_the_county(people, tmp_path):
    root, ids = people
    assert ids["employer_outside"] not in payees(compute_subsidies(root, M, tmp_path / "a.db"),
                                                 "hire_once")  # fmt: skip
    # the same employer, insuring the person in 丰都: in the county's remit
    from tests import test_notice_conditions as me

    w = World()
    w.contrib = [(ids["employer_outside"], "测试30", outside_credit(30), p, "企业职工基本养老保险")
                 for p in TWELVE]  # fmt: skip
    me._rewrite_insurance(root, w, {outside_credit(30): "丰都县"})
    result = compute_subsidies(root, M, tmp_path / "b.db")
    assert ids["employer_outside"] in payees(result, "hire_once")


@pytest.mark.parametrize(
    ("hukou", "paid"),
    [("重庆市丰都县", True), ("四川省广安市", False), ("", True), ("重庆市渝北区", True)],
)
def test_hire_once_is_for_people_registered_in_chongqing(tmp_path, hukou, paid):
    w = World()
    person_id = w.add(1, job=(1, "2022-01-01", None, COUNTY), pay=TWELVE)
    root = w.write(tmp_path / "data")
    row = w.people[0]
    xlsx(root / "rosters" / "roster.xlsx", [[*HEADER, "户籍地"], [*row, hukou]])
    result = compute_subsidies(root, M, tmp_path / "f.db")
    assert (person_id in payees(result, "hire_once")) is paid
    frame = result.evaluations["hire_once"].frame.set_index("person_id")
    (hukou_condition,) = [c for c in hire_once.CONDITIONS if c.name == "hukou"]
    shown = in_words(fact_said(hukou_condition, frame.loc[person_id].to_dict()))
    assert shown == (hukou or "户籍地为空，视为本市户籍")


def test_without_a_hukou_column_the_person_is_taken_as_registered(tmp_path):
    w = World()
    person_id = w.add(1, job=(1, "2022-01-01", None, COUNTY), pay=TWELVE)
    root = w.write(tmp_path / "data")
    result = compute_subsidies(root, M, tmp_path / "f.db")
    frame = result.evaluations["hire_once"].frame.set_index("person_id")
    (hukou_condition,) = [c for c in hire_once.CONDITIONS if c.name == "hukou"]
    shown = in_words(fact_said(hukou_condition, frame.loc[person_id].to_dict()))
    assert frame.loc[person_id, "c_hukou"] and "视为本市户籍" in shown


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("travel", 202212, 202301),  # 渝人社〔2022〕281号, in force from 2023 at the latest
        ("job_seeking_once", 202206, 202207),  # 十三条, reported issued 2022-07-25
        ("shandong_stable", 202206, 202207),
    ],
)
def test_a_value_applies_only_from_its_documents_date(code, before, after):
    rule = load_policy(None).rule(code)
    assert rule.status(before) == "not_configured" and "丰人社发〔2021〕" in rule.source_for(
        dt.date(before // 100, before % 100, 1)
    )
    assert rule.status(after) == "in_force"
    assert "2022" in rule.source_for(dt.date(after // 100, after % 100, 28))
