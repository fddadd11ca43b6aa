"""One small module per subsidy rule (DESIGN §3); this registry lists those implemented.

Each module is a :class:`fengdu_cli.rules.base.Rule`; its case table is
``tests/rules/<code>.toml``.
"""

from __future__ import annotations

from typing import Any

from fengdu_cli.rules import (
    base_award,
    hire_once,
    incubator_award,
    insurance_subsidy,
    job_intro,
    job_seeking_once,
    loan_interest,
    public_post,
    recruit_award,
    service_market_award,
    shandong_job_seeking,
    shandong_stable,
    shandong_travel,
    shandong_work_training,
    startup_household,
    student_job_seeking,
    training,
    travel,
    work_training,
    workshop_monthly,
    yulu,
)
from fengdu_cli.rules.base import Rule

# Typed as the protocol one by one, so that a type checker checks each module against it.
_RULES: tuple[Rule[Any], ...] = (
    hire_once,
    workshop_monthly,
    work_training,
    startup_household,
    travel,
    job_seeking_once,
    shandong_stable,
    yulu,
    student_job_seeking,
    loan_interest,
    insurance_subsidy,
    public_post,
    job_intro,
    base_award,
    incubator_award,
    recruit_award,
    service_market_award,
    training,
    shandong_job_seeking,
    shandong_work_training,
    shandong_travel,
)
IMPLEMENTED: dict[str, Rule[Any]] = {rule.CODE: rule for rule in _RULES}
