"""The demo's policy is the bundled one with amounts filled in — never a different policy.

``fengdu demo`` runs with ``fengdu_cli/data/policy-demo.toml`` so that the sample month shows
every sheet; a clerk who compares its lists with the real ones must find the same rules, the
same periods, the same sources and the same values wherever the bundled file sets one.  The
demo may only add what the notice leaves to other documents.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from fengdu_cli.policy import RULE_CODES, load_policy
from fengdu_cli.policy.load import BUNDLED, DEMO


def _raw(name: str) -> dict:
    return tomllib.loads(resources.files("fengdu_cli").joinpath(name).read_text(encoding="utf-8"))


def test_demo_policy_loads_and_says_it_is_for_the_demo_only():
    policy = load_policy(Path(str(resources.files("fengdu_cli").joinpath(DEMO))))
    assert tuple(policy.rules) == RULE_CODES
    head = resources.files("fengdu_cli").joinpath(DEMO).read_text(encoding="utf-8")[:400]
    assert "演示专用" in head and "不得用于发放" in head


def test_demo_policy_only_adds_values_to_the_bundled_one():
    bundled, demo = _raw(BUNDLED), _raw(DEMO)
    assert demo["meta"] == bundled["meta"]
    assert list(demo["rules"]) == list(bundled["rules"])
    for code, rule in bundled["rules"].items():
        other = demo["rules"][code]
        for key in ("name", "source", "payee", "frequency", "rounding"):
            assert other[key] == rule[key], (code, key)
        assert len(other["values"]) == len(rule["values"]), code
        for mine, theirs in zip(rule["values"], other["values"], strict=True):
            changed = {k for k, v in mine.items() if theirs.get(k) != v}
            assert not changed, (code, mine["from"], changed)


def test_demo_policy_configures_every_rule_in_force_in_the_sample_month():
    policy = load_policy(Path(str(resources.files("fengdu_cli").joinpath(DEMO))))
    statuses = {code: policy.rule(code).status(202406) for code in RULE_CODES}
    assert {c for c, s in statuses.items() if s == "not_configured"} == set()
