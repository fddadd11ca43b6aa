"""The typed, frozen values each rule receives from its policy period."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from fengdu_cli.messages import in_words
from fengdu_cli.policy import RuleValues, ValuesError, load_policy, typed_values
from fengdu_cli.policy.schema import (
    REQUIRED_WHEN_CONFIGURED,
    VALUES_TYPES,
    HireOnceValues,
    TravelValues,
)
from fengdu_cli.rules import IMPLEMENTED


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def test_every_implemented_rule_names_its_values_type():
    for code, module in IMPLEMENTED.items():
        assert module.VALUES is VALUES_TYPES[code], code
        assert code == module.CODE


def test_the_checker_requires_what_each_rule_reads():
    # the fields without a default, as declared, e.g. travel cannot pay without both amounts
    assert set(REQUIRED_WHEN_CONFIGURED["travel"]) == {
        "amount_chongqing",
        "amount_outside",
        "min_age",
        "categories",
    }
    assert set(REQUIRED_WHEN_CONFIGURED["hire_once"]) == {
        "amount",
        "min_insured_months",
        "categories",
    }
    assert "hired_from" not in REQUIRED_WHEN_CONFIGURED["hire_once"]  # has a default


def test_configured_periods_are_typed_once_when_loaded(policy):
    travel = policy.rule("travel")
    early, late = travel.periods
    assert early.typed is None  # 未配置: nothing to compute with
    assert late.typed == TravelValues(
        min_age=16,
        categories=("脱贫人口",),
        amount_chongqing=Decimal(50),
        amount_outside=Decimal(200),
    )
    assert late.source.startswith("渝人社〔2022〕281号")  # the period keeps its document
    with pytest.raises(dataclasses.FrozenInstanceError):
        late.typed.min_age = 18  # type: ignore[misc]


def test_shown_is_the_periods_mapping_with_the_words_of_the_conditions(policy):
    period = policy.rule("hire_once").values_for(date(2024, 6, 30))
    shown = period.typed.shown(202406)
    assert list(shown)[: len(period.values)] == list(period.values)
    assert {k: shown[k] for k in period.values} == dict(period.values)
    assert in_words(shown["hukou_text"]) == "重庆市"  # a catalogue key, worded at the edge
    assert in_words(shown["hukou_text"], "en") == "Chongqing"
    startup = policy.rule("startup_household").values_for(date(2024, 6, 30)).typed
    assert startup.registered_by(202406) == date(2024, 1, 1)
    assert startup.shown(202406)["registered_by"] == "2024-01-01"


def test_defaults_for_what_a_policy_file_may_leave_out():
    values = typed_values(
        "hire_once",
        {"amount": Decimal(6000), "min_insured_months": 12, "categories": ("脱贫人口",)},
    )
    assert isinstance(values, HireOnceValues)
    assert values.hired_from == date(2021, 9, 13)
    assert (values.employment_type, values.hukou, values.employer_scope) == (
        "全日制",
        "chongqing",
        "500230",
    )
    assert "hired_from" in values.shown(202406)  # the condition label shows the default


def test_a_value_the_rule_does_not_read_is_kept_for_display():
    values = typed_values(
        "travel",
        {"amount_chongqing": Decimal(50), "amount_outside": Decimal(200), "min_age": 16,
         "categories": ("脱贫人口",), "max_months": 3, "employment_type": "全日制"},
    )  # fmt: skip
    assert values.max_months == 3  # the ledger caps any rule that sets one
    assert values.shown(202406)["employment_type"] == "全日制"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"amount": Decimal(500), "min_stable_months": 3}, "lacks 'max_months'"),
        ({"amount": 500, "min_stable_months": 3, "max_months": 36}, "'amount' = 500"),
        ({"amount": Decimal(500), "min_stable_months": "3", "max_months": 36}, "min_stable_months"),
        (
            {"amount": Decimal(500), "min_stable_months": True, "max_months": 36},
            "min_stable_months",
        ),
    ],
)
def test_a_missing_or_mistyped_value_is_a_clear_error(values, message):
    with pytest.raises(ValuesError, match=message) as caught:
        typed_values("workshop_monthly", values)
    assert "rules.workshop_monthly" in str(caught.value)


def test_values_types_are_rule_values():
    assert all(issubclass(cls, RuleValues) for cls in VALUES_TYPES.values())
