"""What a policy file holds: rule codes, value keys, and the dated periods of each rule.

Why data and not code: the county changes amounts and end dates by notice, and a month
must be computed with the rules in force then (DESIGN §4).  A policy file holds one
``[rules.<code>]`` table per rule code of DESIGN §3, each with a name, a source document,
a payee, a frequency, a rounding mode and one or more dated periods of values.

Money is exact: amounts are written as TOML integers or decimal strings and become
``Decimal``; a TOML float (``6000.0``) is refused because binary floats are not exact.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from fengdu_cli import dates
from fengdu_cli.messages import Said
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
    "recruit_award",
    "training",
    "service_market_award",
    # 一(三)'s Shandong-funded items other than 稳岗补贴 (not among DESIGN §3's codes)
    "shandong_job_seeking",
    "shandong_work_training",
    "shandong_travel",
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
        "yulu": "once",  # once per student and school year: the school year is in the key
        "job_intro": "once",
        "base_award": "yearly",
        "student_job_seeking": "once",
        "incubator_award": "yearly",
        "recruit_award": "once",
        "training": "once",  # once per trainee and course: the course is in the key
        "service_market_award": "yearly",
        "shandong_job_seeking": "once",
        "shandong_work_training": "monthly",
        "shandong_travel": "once",
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
        "amount_skill",  # training: 职业技能培训, per course passed
        "amount_startup",  # training: 创业培训, per course passed
        "amount_living_per_day",  # training: 生活费（含交通费）per day attended
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
# hire_once: hired on or after; training: course ended on or after; shandong_travel: trip on
# or after
DATE_KEYS: frozenset[str] = frozenset({"hired_from", "ended_from", "travel_from"})
BOOL_KEYS: frozenset[str] = frozenset({"rural_entrepreneur"})  # startup: 农村自主创业农民 count
PERIOD_KEYS = ("from", "to", "source")
VALUE_KEYS: frozenset[str] = (
    AMOUNT_KEYS | COUNT_KEYS | LIST_KEYS | DATE_KEYS | BOOL_KEYS | frozenset(TEXT_CHOICES)
)

RULE_KEYS = ("name", "source", "payee", "frequency", "rounding", "values")
META_KEYS = ("name", "document", "issued", "period_end")
TOP_KEYS = ("meta", "rules")

# a rule's status in a month: codes; the words are the catalogues' status_<code>
IN_FORCE = "in_force"
EXPIRED = "expired"
NOT_YET = "not_yet"
NOT_CONFIGURED = "not_configured"
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
    # the values typed for the rule's computation (a configured period of an implemented rule)
    typed: RuleValues | None = field(default=None, compare=False, repr=False)

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


# ---------------------------------------------------------------- typed values
#
# What a rule's computation reads from a configured period, one frozen dataclass per
# implemented rule, built once by the checker (``Period.typed``).  Amounts stay Decimal
# yuan, exactly as written (a rule turns them into fen with ``to_fen`` on its lines);
# counts are int, categories tuples of str, dates ``datetime.date``, flags bool.  A field
# without a default is one the computation cannot do without (REQUIRED_WHEN_CONFIGURED).


class ValuesError(ValueError):
    """A period's values do not fit the rule's typed values: a key is missing or of the
    wrong type.  The checker reports such files first (``policy_required_value``,
    ``policy_bad_count`` …), so this is raised only for values that bypassed it."""


@dataclass(frozen=True, kw_only=True)
class RuleValues:
    """The values of one configured period, as the rule's computation reads them.

    ``given`` (the keys the period sets, in the file's order) and ``other`` (values the
    period sets that the rule does not read) are kept for display only: :meth:`shown`
    gives back the period's mapping as written, which ``explain`` prints and condition
    labels fill their ``{placeholders}`` from.
    """

    max_months: int | None = None  # paid months per person, ever: the ledger caps any rule
    max_months_per_year: int | None = None  # paid months per person in a calendar year
    given: tuple[str, ...] = field(default=(), compare=False, repr=False)
    other: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    def shown(self, month: int) -> dict[str, object]:
        """The plain mapping of the values for month YYYYMM: every key the period sets, in
        its order (subclasses add the words and derived dates their conditions show)."""
        del month  # the plain values do not depend on it
        return {
            key: self.other[key] if key in self.other else getattr(self, key) for key in self.given
        }


@dataclass(frozen=True, kw_only=True)
class HireOnceValues(RuleValues):
    """hire_once: 6000 yuan once per person hired, insured 12 consecutive months."""

    amount: Decimal
    min_insured_months: int
    categories: tuple[str, ...]
    employment_type: str = "全日制"
    hukou: str = "chongqing"  # where the person must be registered: chongqing / county / any
    hired_from: date = date(2021, 9, 13)  # the notice's date
    employer_scope: str = "500230"  # a 6-digit region code, or "any"

    def shown(self, month: int) -> dict[str, object]:
        """The values with the default hire date and the words the conditions use (as
        catalogue keys: ``value_hukou_chongqing`` 重庆市, ``value_employer_scope``…)."""
        region = self.employer_scope
        hukou: object = Said(f"value_hukou_{self.hukou}") if self.hukou in HUKOUS else self.hukou
        return {
            **super().shown(month),
            "hired_from": self.hired_from,
            "hukou_text": hukou,
            "employer_text": Said("value_employer_any")
            if region == "any"
            else Said("value_employer_scope", {"region": region}),
        }


HUKOUS = ("chongqing", "county", "any")


@dataclass(frozen=True, kw_only=True)
class WorkshopMonthlyValues(RuleValues):
    """workshop_monthly: 500 yuan a month per person stable 3 months, at most 36 months."""

    amount: Decimal
    min_stable_months: int
    max_months: int = field()  # required here (a bare annotation would inherit None)


@dataclass(frozen=True, kw_only=True)
class WorkTrainingValues(RuleValues):
    """work_training: at most 500 yuan a month, at most 6 months a year (to 2021-12-31)."""

    amount_max: Decimal
    max_months_per_year: int = field()  # required here (a bare annotation would inherit None)
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ShandongWorkTrainingValues(WorkTrainingValues):
    """shandong_work_training: as work_training, funded by Shandong (鲁渝协作), to 2025."""


@dataclass(frozen=True, kw_only=True)
class TrainingValues(RuleValues):
    """training: an amount per course passed (职业技能培训 / 创业培训) and a living allowance
    (生活费含交通费) per day attended."""

    amount_skill: Decimal
    amount_startup: Decimal
    categories: tuple[str, ...]
    amount_living_per_day: Decimal | None = None  # None: no living allowance configured
    ended_from: date = date(2021, 9, 13)  # the notice's date

    def shown(self, month: int) -> dict[str, object]:
        return {
            **super().shown(month),
            "ended_from": self.ended_from,
            "month_end": dates.last_day(month).isoformat(),
        }


@dataclass(frozen=True, kw_only=True)
class StartupHouseholdValues(RuleValues):
    """startup_household: 8000 yuan once per household, for a business operating 6 months
    with 3 employees insured 6 months."""

    amount: Decimal
    min_operating_months: int
    min_employees: int
    min_insured_months: int
    categories: tuple[str, ...]
    rural_entrepreneur: bool = False  # 农村自主创业农民 (flagged on the business list) count

    def registered_by(self, month: int) -> date:
        """The latest registration date that has operated long enough at month YYYYMM."""
        return dates.first_day(dates.add_months(month, -(self.min_operating_months - 1)))

    def shown(self, month: int) -> dict[str, object]:
        rural: object = Said("value_or_rural") if self.rural_entrepreneur else ""
        return {
            **super().shown(month),
            "registered_by": self.registered_by(month).isoformat(),
            "or_rural": rural,
        }


@dataclass(frozen=True, kw_only=True)
class OutsideWorkValues(RuleValues):
    """What the rules for work outside the county share: who counts."""

    min_age: int
    categories: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class TravelValues(OutsideWorkValues):
    """travel: 50 yuan (work inside Chongqing) or 200 (outside), once a year."""

    amount_chongqing: Decimal
    amount_outside: Decimal


@dataclass(frozen=True, kw_only=True)
class JobSeekingOnceValues(OutsideWorkValues):
    """job_seeking_once: 500 yuan once, for work outside the county stable 3 months."""

    amount: Decimal
    min_stable_months: int


@dataclass(frozen=True, kw_only=True)
class ShandongStableValues(OutsideWorkValues):
    """shandong_stable: 3000 yuan once, for work in Shandong stable 3 months."""

    amount: Decimal
    min_stable_months: int


@dataclass(frozen=True, kw_only=True)
class ShandongJobSeekingValues(OutsideWorkValues):
    """shandong_job_seeking: an amount once, for going to work in Shandong."""

    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class ShandongTravelValues(OutsideWorkValues):
    """shandong_travel: an amount once, for a trip to Shandong (travel/) and a job there."""

    amount: Decimal
    travel_from: date = date(2021, 9, 13)  # the notice's date

    def shown(self, month: int) -> dict[str, object]:
        return {
            **super().shown(month),
            "travel_from": self.travel_from,
            "month_end": dates.last_day(month).isoformat(),
        }


VALUES_TYPES: Mapping[str, type[RuleValues]] = MappingProxyType(
    {
        "hire_once": HireOnceValues,
        "workshop_monthly": WorkshopMonthlyValues,
        "work_training": WorkTrainingValues,
        "startup_household": StartupHouseholdValues,
        "travel": TravelValues,
        "job_seeking_once": JobSeekingOnceValues,
        "shandong_stable": ShandongStableValues,
        "training": TrainingValues,
        "shandong_job_seeking": ShandongJobSeekingValues,
        "shandong_work_training": ShandongWorkTrainingValues,
        "shandong_travel": ShandongTravelValues,
    }
)
_BOOKKEEPING = ("given", "other")


def value_fields(cls: type[RuleValues]) -> dict[str, tuple[object, bool]]:
    """Key → (its type, required) for the values ``cls`` reads."""
    hints = typing.get_type_hints(cls)
    return {
        f.name: (
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
        if f.name not in _BOOKKEEPING
    }


# What the computing modules read once a rule has an amount — the fields of its values class
# without a default (yulu, not computed yet, names its own): a configured rule missing one of
# these would otherwise fail in the middle of a monthly run.
REQUIRED_WHEN_CONFIGURED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        **{
            code: tuple(key for key, (_, required) in value_fields(cls).items() if required)
            for code, cls in VALUES_TYPES.items()
        },
        "yulu": ("amount_secondary", "amount_higher"),
    }
)


def typed_values(code: str, values: Mapping[str, object]) -> RuleValues:
    """The typed values of rule ``code`` from a checked period's ``values``.

    ValuesError names the rule and the key when one the rule needs is missing or a value
    has the wrong type; KeyError for a rule without typed values.
    """
    cls = VALUES_TYPES[code]
    wanted = value_fields(cls)
    kwargs: dict[str, object] = {}
    for key, (kind, required) in wanted.items():
        if key not in values:
            if required:
                raise ValuesError(f"rules.{code}: the period lacks {key!r}")
            continue
        value = values[key]
        if not _fits(value, kind):
            raise ValuesError(
                f"rules.{code}: {key!r} = {value!r} is a {type(value).__name__}, not {kind}"
            )
        kwargs[key] = value
    other = {key: value for key, value in values.items() if key not in wanted}
    return cls(**kwargs, given=tuple(values), other=MappingProxyType(other))  # type: ignore[arg-type]


def _fits(value: object, kind: object) -> bool:
    """Is ``value`` of the (resolved) annotation ``kind``?"""
    if isinstance(kind, types.UnionType):
        return any(_fits(value, k) for k in typing.get_args(kind))
    if kind is type(None):
        return value is None
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        return isinstance(value, tuple) and all(_fits(v, item) for v in value)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, kind)  # type: ignore[arg-type]
