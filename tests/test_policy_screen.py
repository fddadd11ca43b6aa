"""``fengdu policy show`` as a clerk reads it: values in words and units, statuses as words,
at 80 columns as at 120; the JSON unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fengdu_cli.cli import app
from fengdu_cli.messages import CATALOGUES
from fengdu_cli.policy import load_policy, policy_table

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "sample_data" / "policy-demo.toml"
runner = CliRunner()
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # a snake_case code: min_insured_months


def shown(*args: str, columns: int = 80) -> str:
    result = runner.invoke(app, ["policy", "show", "--month", "2024-06", *args],
                           env={"COLUMNS": str(columns)})  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("columns", [80, 120])
def test_values_are_in_words_and_units(columns):
    screen = shown(columns=columns)
    for said in ("6,000.00 元", "12 个月", "16 岁", "2021-09-13 至 2025-12-31", "按月",
                 "用人单位", "有效", "已到期", "未配置", "150 个基点（1.50%）"):  # fmt: skip
        assert said in screen, said
    # a code only as the rule's reference after its name (一次性吸纳就业补贴（hire_once）),
    # and in the policy file's path
    for line in screen.splitlines():
        assert not CODE.search(re.sub(r"（[a-z_]+）|\S*/\S*", "", line)), line
    assert "一次性吸纳就业补贴（hire_once）" in screen  # a name is never broken
    assert "养老、医疗、失业" in shown("--policy", str(DEMO), columns=columns)


def test_english_values_and_statuses():
    screen = shown("--lang", "en")
    for said in ("6,000.00 yuan", "12 months", "in force", "expired", "not configured"):
        assert said in screen, said


def test_every_value_of_the_policies_has_a_label():
    for policy in (None, DEMO):
        for rule in policy_table(load_policy(policy), 202406)["rules"]:
            for key in set(rule["values"]) - {"from", "to"}:
                for lang in ("zh", "en"):
                    assert f"screen_pv_{key}" in CATALOGUES[lang], (rule["code"], key)
            for lang in ("zh", "en"):
                assert f"screen_pl_payee_{rule['payee']}" in CATALOGUES[lang]
                assert f"screen_pl_freq_{rule['frequency']}" in CATALOGUES[lang]


def test_the_json_keeps_its_keys():
    result = runner.invoke(app, ["policy", "show", "--month", "2024-06", "--json"])
    table = json.loads(result.output)
    hire = next(r for r in table["rules"] if r["code"] == "hire_once")
    assert hire["values"]["amount"] == "6000.00" and hire["values"]["min_insured_months"] == 12
    assert hire["status"] == "in_force" and hire["status_zh"] == "有效"
