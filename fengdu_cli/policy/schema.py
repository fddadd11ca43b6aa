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

from fengdu_cli import dates, schoolyear
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
# the employer's part, the person's own part, or both (insurance_subsidy, public_post)
INSURANCE_SHARES = ("employer", "personal", "both")
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
        "amount_unemployed",  # job_intro 情形一: 城乡户籍登记失业人员
        "amount_lifted",  # job_intro 情形二: 脱贫人口
        "amount_excellent",  # incubator_award: 绩效评估 优秀
        "amount_good",  # incubator_award: 良好
        "amount_pass",  # incubator_award: 合格
        "amount_skill",  # training: 职业技能培训, per course passed
        "amount_startup",  # training: 创业培训, per course passed
        "amount_living_per_day",  # training: 生活费（含交通费）per day attended
    }
)
# Limits in yuan that are not what one line pays (a loan's principal caps): exact like amounts
# and, like them, making a period "configured" — but a policy may set them above any line.
CAP_KEYS: frozenset[str] = frozenset(
    {
        "principal_max_person",  # loan_interest: 个人 贷款额度上限
        "principal_per_partner",  # loan_interest: 合伙 每人额度
        "principal_max_partnership",  # loan_interest: 合伙 额度上限
        "principal_per_hire",  # loan_interest: 小微企业 每名新招用人员额度
        "principal_max_business",  # loan_interest: 小微企业 额度上限
    }
)
# A key present from one of these sets makes a period configured (else 未配置).
CONFIGURING_KEYS: frozenset[str] = AMOUNT_KEYS | CAP_KEYS
COUNT_KEYS: frozenset[str] = frozenset(
    {
        "min_age",
        "min_employees",
        "min_insured_months",
        "min_operating_months",
        "min_persons",
        "min_stable_months",
        "min_contract_months",  # job_intro: a labour contract of this many months or more
        "max_months",  # paid months per person, ever (the ledger caps it)
        "max_months_per_year",
        "installments",  # yulu: 1 (once a school year) or 2 (once a semester, half each)
        "max_years_after",  # student_job_seeking: 离校未就业 within so many years of graduating
        "lpr_margin_bp",  # loan_interest: the borrower bears up to LPR minus this many BP
        "term_years_person",  # loan_interest: longest subsidised term, years
        "term_years_partnership",
        "term_years_business",
        "max_contract_months",  # public_post: 劳动合同或劳务协议期限不得超过1年 (12)
        "elsewhere_insured_months",  # public_post: insured this long elsewhere = 稳定就业
    }
)
TEXT_CHOICES: Mapping[str, tuple[str, ...] | None] = MappingProxyType(
    {
        "employment_type": EMPLOYMENT_TYPE_CHOICES,
        # hire_once: whose employees count — "500230" (credit code region of the county, or
        # insured in the county per the insurance export's 参保地), or "any"
        "employer_scope": None,
        # hire_once: where the person must be registered (户籍): chongqing / county / any
        "hukou": ("chongqing", "county", "any"),
        # insurance_subsidy / public_post: whose part of the contribution is subsidised
        "insurance_share": INSURANCE_SHARES,
    }
)
# categories: roster category facts; insurance_types: words naming the insurance types
# counted (养老 matches 企业职工基本养老保险)
# key_employers (recruit_award): 市重点电子企业, each "credit code" or "credit code name" or a name
LIST_KEYS: frozenset[str] = frozenset({"categories", "insurance_types", "key_employers"})
# hire_once: hired on or after; training: course ended on or after; shandong_travel: trip on
# or after
DATE_KEYS: frozenset[str] = frozenset({"hired_from", "ended_from", "travel_from"})
BOOL_KEYS: frozenset[str] = frozenset({"rural_entrepreneur"})  # startup: 农村自主创业农民 count
# Dated tables: a list of {from = <date>, percent = "<decimal>"} in increasing date order, each
# entry in force from its date until the next one's (loan_interest: the one-year LPR).
RATE_TABLE_KEYS: frozenset[str] = frozenset({"lpr_1y"})
RATE_TABLE_ENTRY_KEYS = ("from", "percent")
PERIOD_KEYS = ("from", "to", "source")
VALUE_KEYS: frozenset[str] = (
    AMOUNT_KEYS
    | CAP_KEYS
    | COUNT_KEYS
    | LIST_KEYS
    | DATE_KEYS
    | BOOL_KEYS
    | RATE_TABLE_KEYS
    | frozenset(TEXT_CHOICES)
)

RULE_KEYS = ("name", "source", "payee", "frequency", "rounding", "values")
META_KEYS = ("name", "document", "issued", "period_end")
TOP_KEYS = ("meta", "rules", "targets")

# Yearly targets the county sets itself (not payments): [targets.<code>], each with a name, a
# source and dated periods; ``recruitment``: 一(一)3(2) "确保每年完成6100人以上", the recruits
# to the 市重点电子企业 in a calendar year (``employers``: the list counted; left out, the
# recruit_award rule's ``key_employers`` in force then).
TARGET_CODES: tuple[str, ...] = ("recruitment",)
TARGET_KEYS = ("name", "source", "values")
TARGET_VALUE_KEYS = ("from", "to", "source", "target", "employers")

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
        """Does the period set an amount or a cap (else the rule is 未配置 while it lasts)?"""
        return any(key in CONFIGURING_KEYS for key in self.values)


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
class TargetPeriod:
    """One dated period of a yearly target (both days inclusive): the number to reach in a
    calendar year and, for recruitment, the employers counted (None: the rule's list)."""

    start: date
    end: date
    target: int
    employers: tuple[str, ...] | None = None
    source: str | None = None

    def covers(self, on: date) -> bool:
        return self.start <= on <= self.end


@dataclass(frozen=True)
class Target:
    """A yearly target of the policy ([targets.<code>]) with its dated periods."""

    code: str
    name: str
    source: str
    periods: tuple[TargetPeriod, ...]  # sorted by start

    def period_for(self, on: date) -> TargetPeriod | None:
        """The period covering the day ``on``, or None."""
        return next((p for p in self.periods if p.covers(on)), None)


@dataclass(frozen=True)
class Policy:
    """A loaded, checked policy file; ``sha256`` of its bytes goes into the ledger."""

    path: str
    sha256: str
    meta: Mapping[str, object]
    rules: Mapping[str, Rule]  # in RULE_CODES order
    targets: Mapping[str, Target] = field(default_factory=lambda: MappingProxyType({}))

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
class YuluValues(RuleValues):
    """yulu: 3000 yuan (中职) / 5000 yuan (高职) per student and school year, to the household;
    ``installments = 2`` pays half in each semester."""

    amount_secondary: Decimal
    amount_higher: Decimal
    categories: tuple[str, ...]
    installments: int = 1

    def shown(self, month: int) -> dict[str, object]:
        start = schoolyear.of_month(month)
        return {
            **super().shown(month),
            "installments": self.installments,
            "school_year": schoolyear.text(start),
            "semester": schoolyear.semester_of_month(month),
        }


@dataclass(frozen=True, kw_only=True)
class StudentJobSeekingValues(RuleValues):
    """student_job_seeking: a one-time amount for a student of a difficult family in the
    graduation year (在校), or a graduate not employed within ``max_years_after`` years."""

    amount: Decimal
    categories: tuple[str, ...]
    max_years_after: int

    def shown(self, month: int) -> dict[str, object]:
        year = month // 100
        return {
            **super().shown(month),
            "year": year,
            "earliest": year - self.max_years_after,
        }


@dataclass(frozen=True)
class LprRate:
    """One line of a dated rate table: the rate (in percent, exact) in force from ``start``
    until the next line's date."""

    start: date
    percent: Decimal

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.percent}%"


def rate_on(table: tuple[LprRate, ...], day: date) -> LprRate | None:
    """The line of ``table`` (dates increasing) in force on ``day``; None before the first."""
    found = None
    for line in table:
        if line.start > day:
            break
        found = line
    return found


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, kw_only=True)
class LoanInterestValues(RuleValues):
    """loan_interest: the part of a guaranteed loan's interest above LPR − 150BP, on the
    principal up to the caps, for the days within the longest term, monthly."""

    lpr_margin_bp: int
    principal_max_person: Decimal
    principal_per_partner: Decimal
    principal_max_partnership: Decimal
    principal_per_hire: Decimal
    principal_max_business: Decimal
    term_years_person: int
    term_years_partnership: int
    term_years_business: int
    lpr_1y: tuple[LprRate, ...]

    @property
    def margin(self) -> Decimal:
        """The margin as a rate: 150 BP → 0.0150."""
        return Decimal(self.lpr_margin_bp) / Decimal(10000)

    def shown(self, month: int) -> dict[str, object]:
        return {
            **super().shown(month),
            "margin_percent": f"{Decimal(self.lpr_margin_bp) / 100:.2f}%",
            "month_text": dates.month_text(month),
            "lpr_from": self.lpr_1y[0].start.isoformat() if self.lpr_1y else "",
        }


def _share_said(share: str) -> object:
    return Said(f"value_share_{share}") if share in INSURANCE_SHARES else share


@dataclass(frozen=True, kw_only=True)
class InsuranceSubsidyValues(RuleValues):
    """insurance_subsidy: a county employer's contributions for a 脱贫人口 it employs (the
    share and types set here), at most ``amount_max`` a person and month."""

    amount_max: Decimal
    categories: tuple[str, ...]
    insurance_types: tuple[str, ...] = ("养老", "医疗", "失业")
    insurance_share: str = "employer"
    employer_scope: str = "500230"  # a 6-digit region code, or "any" (as hire_once)

    def shown(self, month: int) -> dict[str, object]:
        region = self.employer_scope
        return {
            **super().shown(month),
            "insurance_types": self.insurance_types,
            "share_text": _share_said(self.insurance_share),
            "month_text": dates.month_text(month),
            "employer_text": Said("value_employer_any")
            if region == "any"
            else Said("value_employer_scope", {"region": region}),
        }


@dataclass(frozen=True, kw_only=True)
class PublicPostValues(RuleValues):
    """public_post: the post subsidy (the list's standard up to ``amount_max``, else
    ``amount``) plus the holder's contributions of month m (share and types set here)."""

    amount: Decimal | None = None
    amount_max: Decimal | None = None
    max_contract_months: int = 12
    elsewhere_insured_months: int = 3
    insurance_types: tuple[str, ...] = ("养老", "医疗", "失业")
    insurance_share: str = "personal"

    def shown(self, month: int) -> dict[str, object]:
        return {
            **super().shown(month),
            "max_contract_months": self.max_contract_months,
            "elsewhere_insured_months": self.elsewhere_insured_months,
            "insurance_types": self.insurance_types,
            "share_text": _share_said(self.insurance_share),
            "month_text": dates.month_text(month),
            "standard_text": self.standard_said(),
        }

    def standard_said(self) -> Said:
        """How the post subsidy is set: the list's standard, capped, or the policy's."""
        given = {"amount": self.amount, "amount_max": self.amount_max}
        which = {(True, True): "list_max", (True, False): "list", (False, True): "max"}.get(
            (self.amount is not None, self.amount_max is not None), "none"
        )
        return Said(
            f"value_post_standard_{which}", {k: v for k, v in given.items() if v is not None}
        )


@dataclass(frozen=True, kw_only=True)
class JobIntroValues(RuleValues):
    """job_intro: per person placed, once: 情形一 a registered unemployed person with a contract
    of a year insured 6 months, 情形二 a 脱贫人口 in full-time work 3 months."""

    amount_unemployed: Decimal
    amount_lifted: Decimal
    min_contract_months: int
    min_insured_months: int
    min_stable_months: int
    categories: tuple[str, ...]
    employment_type: str = "全日制"


@dataclass(frozen=True, kw_only=True)
class RecruitAwardValues(RuleValues):
    """recruit_award: per recruit to a 市重点电子企业, once."""

    amount: Decimal
    key_employers: tuple[str, ...] = ()
    min_stable_months: int = 0

    def shown(self, month: int) -> dict[str, object]:
        listed: object = (
            "、".join(self.key_employers) if self.key_employers else Said("value_none_listed")
        )
        stable: object = (
            Said("value_recruit_stable", {"months": self.min_stable_months})
            if self.min_stable_months
            else ""
        )
        return {**super().shown(month), "key_employers_text": listed, "stable_text": stable}


@dataclass(frozen=True, kw_only=True)
class BaseAwardValues(RuleValues):
    """base_award: yearly, a 就业帮扶基地 keeping 10 脱贫人口 stable 3 months."""

    amount: Decimal
    min_persons: int
    min_stable_months: int
    categories: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class IncubatorAwardValues(RuleValues):
    """incubator_award: yearly, by the incubator's evaluation grade."""

    amount_excellent: Decimal
    amount_good: Decimal
    amount_pass: Decimal


@dataclass(frozen=True, kw_only=True)
class ServiceMarketAwardValues(RuleValues):
    """service_market_award: yearly, per recognised 就业服务超市."""

    amount: Decimal


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
        "yulu": YuluValues,
        "student_job_seeking": StudentJobSeekingValues,
        "loan_interest": LoanInterestValues,
        "insurance_subsidy": InsuranceSubsidyValues,
        "public_post": PublicPostValues,
        "job_intro": JobIntroValues,
        "recruit_award": RecruitAwardValues,
        "base_award": BaseAwardValues,
        "incubator_award": IncubatorAwardValues,
        "service_market_award": ServiceMarketAwardValues,
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
# without a default: a configured rule missing one of these would otherwise fail in the
# middle of a monthly run.
REQUIRED_WHEN_CONFIGURED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        code: tuple(key for key, (_, required) in value_fields(cls).items() if required)
        for code, cls in VALUES_TYPES.items()
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
