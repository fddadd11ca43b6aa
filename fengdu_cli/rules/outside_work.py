"""Shared by travel, job_seeking_once and shandong_stable: 脱贫人口 aged 16+ and able to
work, with a job active at m outside the county (DESIGN §6)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from fengdu_cli.idcard import ages
from fengdu_cli.policy.schema import OutsideWorkValues
from fengdu_cli.rules.base import JOB_DATES, Condition, Context, person_columns
from fengdu_cli.rules.facts import (
    describe_job,
    first_per_person,
    is_able_to_work,
    is_in_categories,
    outside_jobs,
    text_column,
)

PERSON_CONDITIONS = (
    Condition("category", "cond_category", ("roster.category",)),
    Condition("age", "cond_age", fact="fact_age"),
    Condition("able", "cond_able", ("roster.labor_capacity",)),
)
# An outside job is judged on its dates and on where it is.
OUTSIDE_JOB = (*JOB_DATES, "employment.work_region")


def person_frame(ctx: Context, values: OutsideWorkValues) -> pd.DataFrame:
    """Candidates with the person conditions filled in."""
    state = ctx.state
    out = person_columns(state)
    age = ages(state["id_number"], ctx.window.last.date())
    out["c_category"] = is_in_categories(state, values.categories).to_numpy()
    out["v_category"] = text_column(state, "category").to_numpy()
    out["c_age"] = (age >= values.min_age).fillna(False).to_numpy()
    out["v_age"] = age.astype(str).to_numpy()
    out["c_able"] = is_able_to_work(state).to_numpy()
    out["v_able"] = (
        state["labor_capacity"].fillna("").to_numpy() if "labor_capacity" in state else ""
    )
    return out


def job_condition(
    out: pd.DataFrame,
    ctx: Context,
    name: str,
    *,
    stable_months: int = 0,
    regions: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Add ``c_<name>``/``v_<name>``: an active (stable) job outside the county exists; the
    fact is that job (``fact_job``: its employer, with ``v_<name>__region`` and ``__start``)."""
    jobs = outside_jobs(ctx.matched.jobs, ctx.window, stable_months=stable_months, regions=regions)
    best = first_per_person(jobs)
    ids = out["person_id"]
    out[f"c_{name}"] = ids.isin(best.index).to_numpy()
    described = describe_job(best.reset_index()).set_axis(best.index)
    out[f"v_{name}"] = ids.map(described["value"]).astype(object).to_numpy()
    out[f"v_{name}__region"] = ids.map(described["region"]).astype(object).to_numpy()
    out[f"v_{name}__start"] = ids.map(described["start"]).astype(object).to_numpy()
    return out


def paid_to_person(out: pd.DataFrame, amount: int | np.ndarray, basis: pd.Series) -> pd.DataFrame:
    """Fill the payee columns of a rule paid to the person themself (amount in fen, one
    or per row); the ledger key is the person."""
    out["amount_fen"] = amount
    out["payee_type"] = "person"
    out["payee_id"] = out["person_id"]
    out["payee_name"] = out["person_name"]
    out["key_base"] = out["person_id"]
    out["identities"] = out["person_id"]
    out["basis"] = basis
    return out
