"""The bundled policy file and the policy loader / checker (DESIGN §3, §4, §6).

Most tests write a variant of the bundled file to a tmp folder, one change each, so that
every check is shown to fire on its own while the rest of the file stays valid.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fengdu_cli.errors import InputError
from fengdu_cli.messages import text
from fengdu_cli.policy import (
    AMOUNT_KEYS,
    RULE_CODES,
    PolicyError,
    check_policy,
    load_policy,
    policy_table,
    yuan_to_fen,
)

DESIGN_NAMES = {
    "hire_once": "一次性吸纳就业补贴",
    "workshop_monthly": "就业帮扶车间带动就业奖补",
    "work_training": "以工代训补贴",
    "startup_household": "一次性创业补助",
    "travel": "跨区域交通补助",
    "job_seeking_once": "一次性求职创业补贴",
    "shandong_stable": "鲁渝劳务协作稳岗补贴",
    "insurance_subsidy": "社会保险补贴",
    "loan_interest": "创业担保贷款贴息",
    "public_post": "公益性岗位补贴",
    "yulu": "雨露计划",
    "job_intro": "职业介绍补贴",
    "base_award": "就业帮扶基地奖补",
    "student_job_seeking": "困难家庭学生求职创业补贴",
    "incubator_award": "创业孵化基地奖补",
    "recruit_award": "市重点电子企业招聘补贴",
    "training": "培训补贴及生活费",
    "service_market_award": "就业服务超市奖补",
}
# 一(三)'s Shandong items other than 稳岗补贴: codes of the tool's own, after DESIGN §3's
SHANDONG_NAMES = {
    "shandong_job_seeking": "赴山东一次性求职创业补贴",
    "shandong_work_training": "鲁渝协作以工代训补贴",
    "shandong_travel": "鲁渝协作一次性交通生活补助",
}
UNCONFIGURED = (
    "insurance_subsidy",
    "public_post",
    "job_intro",
    "base_award",
    "student_job_seeking",
    "incubator_award",
)
HIRE_AMOUNT = "amount = 6000 # 元/人，每人一次"


@pytest.fixture(scope="module")
def bundled_text() -> str:
    return resources.files("fengdu_cli").joinpath("data/policy.toml").read_text("utf-8")


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def variant(tmp_path: Path, source: str, old: str = "", new: str = "", append: str = "") -> Path:
    """Write the bundled text with ``old`` → ``new`` (exactly once) and ``append`` added."""
    if old:
        assert source.count(old) == 1, old
        source = source.replace(old, new)
    path = tmp_path / "policy.toml"
    path.write_text(source + append, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the bundled file


def test_bundled_policy_loads_and_passes_check(policy):
    assert check_policy(Path(policy.path)) == []
    assert policy.meta["issued"] == date(2021, 9, 13)
    assert policy.period_end == date(2025, 12, 31)


def test_every_rule_code_present_in_design_order_with_name_and_source(policy):
    assert tuple(RULE_CODES) == (*DESIGN_NAMES, *SHANDONG_NAMES)
    assert tuple(policy.rules) == RULE_CODES
    for code in RULE_CODES:
        rule = policy.rule(code)
        assert rule.name == (DESIGN_NAMES | SHANDONG_NAMES)[code]
        assert rule.source.strip()
        assert rule.periods


def test_unknown_code_is_a_key_error_naming_valid_codes(policy):
    with pytest.raises(KeyError, match="hire_once"):
        policy.rule("hire_twice")


def test_amounts_and_thresholds_follow_the_notice(policy):
    def values(code: str) -> dict:
        return dict(policy.rule(code).values_for(date(2024, 6, 30)).values)

    assert values("hire_once") == {
        "amount": Decimal(6000),
        "min_insured_months": 12,
        "categories": ("脱贫人口",),
        "employment_type": "全日制",
        "hukou": "chongqing",  # 招用我市户籍脱贫人员
        "hired_from": date(2021, 9, 13),
        "employer_scope": "500230",
    }
    assert values("workshop_monthly") == {
        "amount": Decimal(500),
        "min_stable_months": 3,
        "max_months": 36,
    }
    startup = values("startup_household")
    assert startup["amount"] == 8000
    assert (startup["min_operating_months"], startup["min_employees"]) == (6, 3)
    assert startup["min_insured_months"] == 6
    assert startup["categories"] == ("脱贫人口", "边缘易致贫户")  # not 突发严重困难户
    assert startup["rural_entrepreneur"] is True
    travel = values("travel")
    assert (travel["amount_chongqing"], travel["amount_outside"], travel["min_age"]) == (
        50,
        200,
        16,
    )
    assert values("job_seeking_once")["amount"] == 500
    assert values("job_seeking_once")["min_stable_months"] == 3
    assert values("shandong_stable")["amount"] == 3000
    assert values("yulu")["amount_secondary"] == 3000
    assert values("yulu")["amount_higher"] == 5000
    training = policy.rule("work_training").values_for(date(2021, 12, 31))
    assert training.end == date(2021, 12, 31)
    assert training.values["amount_max"] == 500
    assert training.values["max_months_per_year"] == 6


def test_amounts_are_exact_decimals(policy):
    for rule in policy.rules.values():
        for period in rule.periods:
            for key, value in period.values.items():
                if key in AMOUNT_KEYS:
                    assert type(value) is Decimal, (rule.code, key)


def test_payees_and_frequencies(policy):
    got = {code: (policy.rule(code).payee, policy.rule(code).frequency) for code in RULE_CODES}
    assert got["hire_once"] == ("employer", "once")
    assert got["workshop_monthly"] == ("workshop", "monthly")
    assert got["startup_household"] == ("household", "once")
    assert got["travel"] == ("person", "yearly")
    assert got["job_seeking_once"] == ("person", "once")
    assert got["shandong_stable"] == ("person", "once")


def test_unconfigured_rules_have_no_amount(policy):
    for code in UNCONFIGURED:
        for period in policy.rule(code).periods:
            assert not AMOUNT_KEYS & set(period.values), code


def test_each_rule_has_a_comment_quoting_the_notice(bundled_text):
    lines = bundled_text.splitlines()
    for code in RULE_CODES:
        header = lines.index(f"[rules.{code}]")
        assert lines[header - 1].startswith("#"), code


# ---------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("code", "month", "status"),
    [
        ("hire_once", 202406, "in_force"),
        ("hire_once", 202109, "in_force"),  # issued 2021-09-13, judged on 2021-09-30
        ("hire_once", 202108, "not_yet"),
        ("hire_once", 202512, "in_force"),
        ("work_training", 202112, "in_force"),
        ("work_training", 202201, "expired"),
        ("base_award", 202406, "not_configured"),
        ("insurance_subsidy", 202406, "not_configured"),
        ("base_award", 202601, "expired"),
    ],
)
def test_status(policy, code, month, status):
    assert policy.rule(code).status(month) == status


def test_2026_every_rule_expired(policy):
    assert {policy.rule(code).status(202601) for code in RULE_CODES} == {"expired"}


def test_values_for_is_inclusive_on_both_ends(policy):
    rule = policy.rule("hire_once")
    assert rule.values_for(date(2021, 9, 12)) is None
    assert rule.values_for(date(2021, 9, 13)) is not None
    assert rule.values_for(date(2025, 12, 31)) is not None
    assert rule.values_for(date(2026, 1, 1)) is None


def test_extended_policy_file_makes_2026_in_force(tmp_path, bundled_text):
    path = variant(tmp_path, bundled_text.replace("2025-12-31", "2026-12-31"))
    extended = load_policy(path)
    assert extended.rule("hire_once").status(202601) == "in_force"
    assert extended.rule("work_training").status(202601) == "expired"
    assert extended.rule("base_award").status(202601) == "not_configured"
    assert extended.rule("hire_once").status(202701) == "expired"


def test_new_amount_from_a_date_and_gap_between_periods(tmp_path, bundled_text):
    extra = '\n[[rules.public_post.values]]\nfrom = 2026-03-01\nto = 2026-12-31\namount = "0.5"\n'
    text_ = bundled_text.replace("period_end = 2025-12-31", "period_end = 2026-12-31")
    path = variant(tmp_path, text_, append=extra)
    rule = load_policy(path).rule("public_post")
    assert [rule.status(m) for m in (202406, 202601, 202603)] == [
        "not_configured",
        "not_yet",
        "in_force",
    ]
    assert rule.values_for(date(2026, 3, 31)).values["amount"] == Decimal("0.5")
    row = policy_table(load_policy(path), 202603)["rules"][RULE_CODES.index("public_post")]
    assert row["values"]["amount"] == "0.50"


# ---------------------------------------------------------------- check_policy


@pytest.mark.parametrize(
    ("old", "new", "code", "rule", "key"),
    [
        (HIRE_AMOUNT, "amount = 6000.0", "policy_float_amount", "hire_once", "amount"),
        (HIRE_AMOUNT, 'amount = "-6000"', "policy_negative_amount", "hire_once", "amount"),
        (HIRE_AMOUNT, 'amount = "6000.005"', "policy_bad_amount", "hire_once", "amount"),
        (HIRE_AMOUNT, 'amount = "六千"', "policy_bad_amount", "hire_once", "amount"),
        (HIRE_AMOUNT, "amout = 6000", "policy_unknown_value", "hire_once", "amout"),
        (
            "[rules.hire_once]\n",
            '[rules.hire_once]\npayer = "x"\n',
            "policy_unknown_key",
            "hire_once",
            "payer",
        ),
        (
            'frequency = "yearly"\nrounding = "none"\n[[rules.travel',
            'frequency = "weekly"\nrounding = "none"\n[[rules.travel',
            "policy_bad_choice",
            "travel",
            "frequency",
        ),
        (
            'min_age = 16\ncategories = ["脱贫人口"] # 含脱贫不稳定户\n\n# 一(一)2：“持续',
            'min_age = 16.5\ncategories = ["脱贫人口"] # 含脱贫不稳定户\n\n# 一(一)2：“持续',
            "policy_bad_count",
            "travel",
            "min_age",
        ),
        (
            "max_months = 36 # 最长不超过 3 年",
            "max_months = -1 # 最长不超过 3 年",
            "policy_bad_count",
            "workshop_monthly",
            "max_months",
        ),
        (
            'categories = ["脱贫人口"] # 通知原文',
            'categories = "脱贫人口" #',
            "policy_bad_categories",
            "work_training",
            "categories",
        ),
        ("to = 2021-12-31 #", "to = 2021-01-01 #", "policy_from_after_to", "work_training", "from"),
        ("to = 2021-12-31 #", 'to = "2021-12-31" #', "policy_bad_date", "work_training", "to"),
        (
            "to = 2021-12-31 #",
            "to = 2021-12-31T00:00:00 #",
            "policy_bad_date",
            "work_training",
            "to",
        ),
        ('name = "一次性创业补助"\n', "", "policy_missing_key", "startup_household", "name"),
        (
            'source = "丰都县2021-09-13通知 二(二)"\n',
            'source = ""\n',
            "policy_bad_text",
            "workshop_monthly",
            "source",
        ),
        ("amount_outside = 200", "", "policy_required_value", "travel", "amount_outside"),
    ],
)
def test_check_finds_one_problem(tmp_path, bundled_text, old, new, code, rule, key):
    problems = check_policy(variant(tmp_path, bundled_text, old, new))
    assert [(p.code, p.rule, p.key) for p in problems] == [(code, rule, key)]
    problem = problems[0]
    assert problem.line is not None
    assert rule in problem.message and key in problem.message
    assert rule in problem.message_en and key in problem.message_en


def test_check_finds_overlapping_periods(tmp_path, bundled_text):
    extra = (
        "\n[[rules.hire_once.values]]\nfrom = 2025-01-01\nto = 2025-06-30\namount = 7000\n"
        'min_insured_months = 12\ncategories = ["脱贫人口"]\n'
    )
    problems = check_policy(variant(tmp_path, bundled_text, append=extra))
    assert [(p.code, p.rule) for p in problems] == [("policy_overlap", "hire_once")]
    assert "重叠" in problems[0].message and "2025-01-01" in problems[0].message


def test_check_finds_unknown_rule_code_and_lists_valid_ones(tmp_path, bundled_text):
    extra = '\n[rules.hire_twice]\nname = "x"\n'
    problems = check_policy(variant(tmp_path, bundled_text, append=extra))
    assert [(p.code, p.rule) for p in problems] == [("policy_unknown_rule", "hire_twice")]
    assert "hire_once" in problems[0].message and "incubator_award" in problems[0].message


def test_check_finds_unknown_top_level_item(tmp_path, bundled_text):
    problems = check_policy(variant(tmp_path, bundled_text, append="\n[rule]\nx = 1\n"))
    assert [(p.code, p.key) for p in problems] == [("policy_unknown_top", "rule")]


def test_check_finds_missing_rule(tmp_path, bundled_text):
    start = bundled_text.index("[rules.shandong_travel]")
    problems = check_policy(variant(tmp_path, bundled_text[:start]))
    assert [(p.code, p.rule) for p in problems] == [("policy_missing_rule", "shandong_travel")]


def test_check_reports_toml_syntax_error_with_line(tmp_path, bundled_text):
    lines = bundled_text.splitlines()
    broken = lines.index(HIRE_AMOUNT) + 1
    problems = check_policy(variant(tmp_path, bundled_text, HIRE_AMOUNT, "amount = 6000 元"))
    assert [(p.code, p.line) for p in problems] == [("policy_syntax", broken)]
    assert f"第 {broken} 行" in problems[0].message


def test_check_reports_every_problem_at_once(tmp_path, bundled_text):
    source = bundled_text.replace(HIRE_AMOUNT, "amount = 6000.0").replace(
        'frequency = "yearly"', 'frequency = "weekly"'
    )
    problems = check_policy(variant(tmp_path, source, append='\n[rules.foo]\nname = "x"\n'))
    assert {p.code for p in problems} == {
        "policy_float_amount",
        "policy_bad_choice",
        "policy_unknown_rule",
    }


def test_check_of_a_missing_or_non_utf8_file_is_a_problem(tmp_path):
    assert [p.code for p in check_policy(tmp_path / "none.toml")] == ["policy_missing"]
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('[meta]\nname = "丰都"\n'.encode("gbk"))
    assert [p.code for p in check_policy(gbk)] == ["policy_encoding"]


def test_a_utf8_bom_is_accepted(tmp_path, bundled_text):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + bundled_text.encode("utf-8"))
    assert check_policy(path) == []


# ---------------------------------------------------------------- load_policy errors


def test_load_refuses_a_bad_file_listing_every_problem(tmp_path, bundled_text):
    path = variant(tmp_path, bundled_text, HIRE_AMOUNT, "amount = 6000.0")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    error = caught.value
    assert isinstance(error, InputError) and error.exit_code == 3
    assert str(path) in error.message("zh") and "amount" in error.message("zh")
    assert "float" in error.message("en") and "hire_once" in error.message("en")


def test_load_missing_file(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "none.toml")
    assert caught.value.exit_code == 3 and "none.toml" in caught.value.message("en")


def test_messages_are_registered_in_both_languages():
    assert "x.toml" in text("policy_missing", "en", path="x.toml")
    assert "x.toml" in text("policy_missing", "zh", path="x.toml")


# ---------------------------------------------------------------- policy_table, sha256


def test_policy_table_shape(policy):
    table = policy_table(policy, 202406)
    json.dumps(table, ensure_ascii=False)  # plain JSON
    assert table["month"] == "2024-06"
    assert table["policy"] == {
        "path": policy.path,
        "sha256": policy.sha256,
        "period_end": "2025-12-31",
    }
    rows = {row["code"]: row for row in table["rules"]}
    assert [row["code"] for row in table["rules"]] == list(RULE_CODES)
    for row in table["rules"]:
        assert {"code", "name", "status", "source", "values"} <= set(row)
    assert rows["hire_once"]["status"] == "in_force"
    assert rows["hire_once"]["values"]["amount"] == "6000.00"
    assert rows["hire_once"]["values"]["categories"] == ["脱贫人口"]
    assert rows["hire_once"]["values"]["from"] == "2021-09-13"
    assert rows["travel"]["values"]["amount_outside"] == "200.00"
    assert rows["work_training"]["status"] == "expired"
    assert rows["work_training"]["values"]["to"] == "2021-12-31"  # its last period
    assert rows["base_award"]["status"] == "not_configured"
    assert "amount" not in rows["base_award"]["values"]


def test_sha256_is_of_the_file_bytes(policy, tmp_path, bundled_text):
    assert policy.sha256 == hashlib.sha256(Path(policy.path).read_bytes()).hexdigest()
    path = variant(tmp_path, bundled_text + "\n# 本地修改\n")
    assert load_policy(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_policy(path).sha256 != policy.sha256


# ---------------------------------------------------------------- yuan_to_fen


def test_yuan_to_fen_exact():
    assert yuan_to_fen(Decimal("6000")) == 600000
    assert yuan_to_fen(Decimal("0.5")) == 50
    assert yuan_to_fen(Decimal("0.01")) == 1
    assert yuan_to_fen(200) == 20000
    for bad in (Decimal("0.005"), Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValueError):
            yuan_to_fen(bad)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_yuan_to_fen_round_trips(fen):
    assert yuan_to_fen(Decimal(fen) / 100) == fen
