"""What a policy file holds: rule codes, value keys, and the dated periods of each rule.

Why data and not code: the county changes amounts and end dates by notice, and a month
must be computed with the rules in force then (DESIGN §4).  A policy file holds one
``[rules.<code>]`` table per rule code of DESIGN §3, each with a name, a source document,
a payee, a frequency, a rounding mode and one or more dated periods of values.

Money is exact: amounts are written as TOML integers or decimal strings and become
``Decimal``; a TOML float (``6000.0``) is refused because binary floats are not exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from fengdu_cli import dates
from fengdu_cli.money import to_fen
from fengdu_cli.normalise import EMPLOYMENT_TYPE_CHOICES

RULE_CODES: tuple[str, ...] = (
    "hire_once",
    "workshop_monthly",
    "work_training",
    "startup_household",
    "travel",
    "job_seeking_once",
    "shandong_stable",
    "insurance_subsidy",
    "loan_interest",
    "public_post",
    "yulu",
    "job_intro",
    "base_award",
    "student_job_seeking",
    "incubator_award",
)

# How often each rule pays: part of the rule, not of a policy file — the ledger keys on it,
# so a file that changed it would make what was paid once look unpaid (DESIGN §6).
RULE_FREQUENCY: Mapping[str, str] = MappingProxyType(
    {
        "hire_once": "once",
        "workshop_monthly": "monthly",
        "work_training": "monthly",
        "startup_household": "once",
        "travel": "yearly",
        "job_seeking_once": "once",
        "shandong_stable": "once",
        "insurance_subsidy": "monthly",
        "loan_interest": "monthly",
        "public_post": "monthly",
        "yulu": "yearly",
        "job_intro": "once",
        "base_award": "yearly",
        "student_job_seeking": "once",
        "incubator_award": "yearly",
    }
)
PAYEES = ("person", "household", "employer", "agency", "workshop")
FREQUENCIES = ("once", "yearly", "monthly")
ROUNDINGS = ("none", "fen", "yuan")

# Value keys a period may hold.  The set is closed so that a typo ("amout") is reported
# instead of silently leaving a rule unconfigured; a new kind of value is one line here.
AMOUNT_KEYS: frozenset[str] = frozenset(
    {
        "amount",  # yuan per person / household / month, as the rule's frequency says
        "amount_max",  # an upper limit ("不超过500元")
        "amount_chongqing",  # travel: work outside the county, inside Chongqing
        "amount_outside",  # travel: work outside Chongqing
        "amount_secondary",  # yulu: 中职
        "amount_higher",  # yulu: 高职
    }
)
COUNT_KEYS: frozenset[str] = frozenset(
    {
        "min_age",
        "min_employees",
        "min_insured_months",
        "min_operating_months",
        "min_persons",
        "min_stable_months",
        "max_months",  # paid months per person, ever (the ledger caps it)
        "max_months_per_year",
    }
)
TEXT_CHOICES: Mapping[str, tuple[str, ...] | None] = MappingProxyType(
    {
        "employment_type": EMPLOYMENT_TYPE_CHOICES,
        "borrower_rate": None,
        # hire_once: whose employees count — "500230" (credit code region of the county, or
        # insured in the county per the insurance export's 参保地), or "any"
        "employer_scope": None,
        # hire_once: where the person must be registered (户籍): chongqing / county / any
        "hukou": ("chongqing", "county", "any"),
    }
)
LIST_KEYS: frozenset[str] = frozenset({"categories"})
DATE_KEYS: frozenset[str] = frozenset({"hired_from"})  # hire_once: hired on or after
BOOL_KEYS: frozenset[str] = frozenset({"rural_entrepreneur"})  # startup: 农村自主创业农民 count
PERIOD_KEYS = ("from", "to", "source")
VALUE_KEYS: frozenset[str] = (
    AMOUNT_KEYS | COUNT_KEYS | LIST_KEYS | DATE_KEYS | BOOL_KEYS | frozenset(TEXT_CHOICES)
)

RULE_KEYS = ("name", "source", "payee", "frequency", "rounding", "values")
META_KEYS = ("name", "document", "issued", "period_end")
TOP_KEYS = ("meta", "rules")

# What the computing modules read once a rule has an amount: a configured rule missing
# one of these would otherwise fail in the middle of a monthly run.
REQUIRED_WHEN_CONFIGURED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "hire_once": ("amount", "min_insured_months", "categories"),
        "workshop_monthly": ("amount", "min_stable_months", "max_months"),
        "work_training": ("amount_max", "max_months_per_year"),
        "startup_household": (
            "amount",
            "min_operating_months",
            "min_employees",
            "min_insured_months",
            "categories",
        ),
        "travel": ("amount_chongqing", "amount_outside", "min_age", "categories"),
        "job_seeking_once": ("amount", "min_stable_months", "min_age", "categories"),
        "shandong_stable": ("amount", "min_stable_months", "min_age", "categories"),
        "yulu": ("amount_secondary", "amount_higher"),
    }
)


IN_FORCE = "有效"
EXPIRED = "已到期"
NOT_YET = "未生效"
NOT_CONFIGURED = "未配置"
STATUSES = (IN_FORCE, EXPIRED, NOT_YET, NOT_CONFIGURED)


@dataclass(frozen=True)
class Period:
    """One effective period of a rule, both days inclusive, with its values.

    ``values`` holds amounts as ``Decimal``, counts as ``int``, lists as tuples of str.
    """

    start: date
    end: date
    values: Mapping[str, object]
    source: str | None = None  # the document these values come from, when not the rule's

    def covers(self, on: date) -> bool:
        """Is ``on`` inside the period?"""
        return self.start <= on <= self.end

    @property
    def configured(self) -> bool:
        """Does the period set an amount (else the rule is 未配置 while it lasts)?"""
        return any(key in AMOUNT_KEYS for key in self.values)


@dataclass(frozen=True)
class Rule:
    """One subsidy rule of the policy: who is paid, how often, and its dated values."""

    code: str
    name: str
    source: str
    payee: str
    frequency: str
    rounding: str
    periods: tuple[Period, ...]  # sorted by start, never overlapping

    def values_for(self, on: date) -> Period | None:
        """The period covering the day ``on``, or None when no period does."""
        return next((p for p in self.periods if p.covers(on)), None)

    def source_for(self, on: date) -> str:
        """The document the values shown for ``on`` come from (the period's, else the rule's)."""
        return self.shown_period(on).source or self.source

    def status(self, month: int) -> str:
        """有效 / 已到期 / 未生效 / 未配置 for month YYYYMM, judged on the month's last day.

        A month after every period is 已到期 even for an unconfigured rule (the policy has
        ended, which is the more important thing to say); a month before every period, or
        in a gap between two periods, is 未生效.
        """
        on = dates.last_day(month)
        period = self.values_for(on)
        if period is not None:
            return IN_FORCE if period.configured else NOT_CONFIGURED
        if all(p.end < on for p in self.periods):
            return EXPIRED
        return NOT_YET

    def shown_period(self, on: date) -> Period:
        """The period to show for ``on``: the covering one, else the next, else the last."""
        later = [p for p in self.periods if p.start > on]
        return self.values_for(on) or (later[0] if later else self.periods[-1])


@dataclass(frozen=True)
class Policy:
    """A loaded, checked policy file; ``sha256`` of its bytes goes into the ledger."""

    path: str
    sha256: str
    meta: Mapping[str, object]
    rules: Mapping[str, Rule]  # in RULE_CODES order

    def rule(self, code: str) -> Rule:
        """The rule ``code``; KeyError naming the valid codes for an unknown one."""
        try:
            return self.rules[code]
        except KeyError:
            raise KeyError(f"unknown rule code {code!r}; valid: {', '.join(RULE_CODES)}") from None

    @property
    def period_end(self) -> date:
        """The end of the policy period ([meta] period_end)."""
        end = self.meta["period_end"]
        assert isinstance(end, date)
        return end


# ---------------------------------------------------------------- money


def yuan_to_fen(amount: Decimal | int) -> int:
    """Yuan → whole fen, exactly; ValueError for more than 2 decimals or a non-finite amount.

    Payment files and the ledger count fen as integers so that sums never drift; this is
    :func:`fengdu_cli.money.to_fen`, named for the policy's values.
    """
    return to_fen(amount)


def amount_text(amount: Decimal) -> str:
    """'6000.00': the amount with exactly 2 decimals (amounts are checked to have ≤ 2)."""
    return f"{amount.quantize(Decimal('0.01')):f}"
