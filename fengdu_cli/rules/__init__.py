"""One small module per subsidy rule (DESIGN §3); this registry lists those implemented."""

from __future__ import annotations

from types import ModuleType

from fengdu_cli.rules import (
    hire_once,
    job_seeking_once,
    shandong_stable,
    startup_household,
    travel,
    work_training,
    workshop_monthly,
)

IMPLEMENTED: dict[str, ModuleType] = {
    m.CODE: m
    for m in (
        hire_once,
        workshop_monthly,
        work_training,
        startup_household,
        travel,
        job_seeking_once,
        shandong_stable,
    )
}
