"""创业担保贷款贴息 (loan_interest) — paid to the borrower, per loan and month.

Notice 一(二)3: “符合条件的个人创业担保贷款额度上限为20万元，贷款期限最长不超过3年；合伙创业担保
贷款额度为最高22万元∕人、上限110万元；小微企业创业担保贷款额度按照企业当年新招用符合创业担保贷款
申请条件的人员确定，贷款额度为20万元∕人，上限300万元，贷款期限最长不超过2年。个人和小微企业创业
担保贷款利息，LPR-150BP以下部分由借款人承担，剩余部分财政给予贴息，对逾期的创业担保贷款不予贴息。”
二(三)1: “按规定落实创业担保贷款及贴息”.

For each loan of the bureau's list (loans/) and month m:

    subsidy = capped principal × max(0, rate − max(0, LPR − margin)) × days / 360

rounded half-up to the fen per loan and month, where the capped principal is the principal up
to the type's cap (个人 200,000; 合伙 220,000 per partner, at most 1,100,000; 小微企业 200,000 per
new eligible hire, at most 3,000,000), LPR the one-year LPR in force on the loan's start date
(the policy's dated table), margin 150 BP, and days the days d of m with
start ≤ d < min(maturity, start + the type's longest term).  Nothing for a month the list
says the loan was overdue.  Every figure is a policy value; the rates are exact Decimals.

A person may have two loans: each loan is its own payment, known by its contract number and
by its borrower and start date (``贷:<no>|贷:<borrower>@<start>``), so the same loan-month is
never paid twice, however a past list (``ledger import``) named it (:func:`history_key`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from fengdu_cli import dates, gaps
from fengdu_cli.io.payments_report import BANK_MARK
from fengdu_cli.messages import Said
from fengdu_cli.money import to_fen
from fengdu_cli.normalise import (
    LOAN_BUSINESS,
    LOAN_PARTNERSHIP,
    LOAN_PERSON,
    LOAN_TYPE_CHOICES,
    OVERDUE_NOW,
)
from fengdu_cli.policy.schema import LoanInterestValues, LprRate, add_years, rate_on
from fengdu_cli.rules.base import Condition, Context, HistoryKeyError, finish

CODE = "loan_interest"
NEEDS: tuple[str, ...] = ("loans",)
VALUES = LoanInterestValues
TYPE = ("loans.borrower_type",)
CONDITIONS: tuple[Condition, ...] = (
    Condition("payee", "cond_loan_interest_payee", TYPE),
    Condition(
        "principal",
        "cond_loan_interest_principal",
        ("loans.principal", *TYPE),
        fact="fact_loan_principal",
    ),
    Condition(
        "term",
        "cond_loan_interest_term",
        ("loans.start_date", "loans.end_date", *TYPE),
        fact="fact_loan_days",
    ),
    Condition(
        "rate", "cond_loan_interest_rate", ("loans.rate", "loans.start_date"), fact="fact_loan_rate"
    ),
    Condition(
        "not_overdue",
        "cond_loan_interest_not_overdue",
        ("loans.overdue",),
        fact="fact_loan_overdue",
    ),
)
DAYS_IN_YEAR = Decimal(360)
FEN = Decimal("0.01")
HUNDRED = Decimal(100)


# ---------------------------------------------------------------- the formula


def days_in_month(start: dt.date, stop: dt.date, month: int) -> int:
    """The days d of month YYYYMM with start ≤ d < stop (0 when none)."""
    first = max(start, dates.first_day(month))
    end = min(stop, dates.last_day(month) + dt.timedelta(days=1))
    return max(0, (end - first).days)


def subsidy_rate(rate: Decimal, lpr_percent: Decimal, margin: Decimal) -> Decimal:
    """The part of the contract rate the state pays: rate − max(0, LPR − margin), ≥ 0."""
    borne = max(Decimal(0), lpr_percent / HUNDRED - margin)
    return max(Decimal(0), rate - borne)


def month_interest(capped: Decimal, rate: Decimal, days: int) -> Decimal:
    """capped × rate × days / 360, in yuan, rounded half-up to the fen."""
    return (capped * rate * days / DAYS_IN_YEAR).quantize(FEN, rounding=ROUND_HALF_UP)


def capped_principal(values: LoanInterestValues, kind: str, principal: Decimal,
                     partners: int | None, hires: int | None) -> Decimal | None:  # fmt: skip
    """The principal the subsidy is computed on: up to the cap of the loan's type (None when
    the number the cap stands on is unknown)."""
    if kind == LOAN_PERSON:
        cap = values.principal_max_person
    elif kind == LOAN_PARTNERSHIP:
        if partners is None:
            return None
        cap = min(values.principal_per_partner * partners, values.principal_max_partnership)
    else:
        if hires is None:
            return None
        cap = min(values.principal_per_hire * hires, values.principal_max_business)
    return min(principal, cap)


def term_years(values: LoanInterestValues, kind: str) -> int:
    """The longest subsidised term of a loan type, in years."""
    return {
        LOAN_PERSON: values.term_years_person,
        LOAN_PARTNERSHIP: values.term_years_partnership,
        LOAN_BUSINESS: values.term_years_business,
    }[kind]


def percent_text(rate: Decimal) -> str:
    """0.0435 → '4.35%'; at least two decimals, more when the rate has them."""
    percent = rate * HUNDRED
    if percent == percent.quantize(FEN):
        return f"{percent.quantize(FEN)}%"
    return f"{percent.normalize():f}%"


def yuan_text(amount: Decimal) -> str:
    """200000 → '200000', 1234.5 → '1234.50'."""
    whole = amount.to_integral_value()
    return f"{whole:f}" if amount == whole else f"{amount.quantize(FEN):f}"


# ---------------------------------------------------------------- keys


def loan_tokens(loan_no: str, borrower: str, start: dt.date | None) -> list[str]:
    """What a loan is known by: its contract number, and its borrower with its start date."""
    tokens = [f"贷:{loan_no}"] if loan_no else []
    if borrower and start is not None:
        tokens.append(f"贷:{borrower}@{start.isoformat()}")
    return tokens


def history_key(row: Mapping[str, object], person: str, month: int) -> tuple[str, str]:
    """How ``ledger import`` keys a past 贴息 line: by its contract number (借款合同号) when the
    list has one, else by the borrower and the loan's start date (放款日期); HistoryKeyError
    (the row is refused) when it has neither — a guess could book a payment on the wrong
    loan."""
    del month  # the month is added by the ledger (monthly scope)
    loan_no = str(row.get("loan_no") or "").strip().upper()
    start = _as_date(row.get("loan_start_date"))
    tokens = loan_tokens(loan_no, person, start)
    if not tokens:
        raise HistoryKeyError(Said("import_no_key"))
    return tokens[0].removeprefix("贷:"), "|".join(tokens)


def _as_date(value: object) -> dt.date | None:
    """A date cell as a date (None for a blank one)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


# ---------------------------------------------------------------- the rule


def _column(frame: pd.DataFrame, name: str, default: object = "") -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series(default, index=frame.index, dtype=object)


def _texts(frame: pd.DataFrame, name: str) -> pd.Series:
    return _column(frame, name).astype(object).fillna("").astype(str)


def _blank_reasons(frame: pd.DataFrame, column: str, missing: pd.Series) -> pd.Series:
    """Why ``column`` is unknown per row: the reader's reason (no column, bad value), else
    'blank' where ``missing`` (the value is needed and empty), else ''."""
    out = gaps.reasons(frame, "loans", column)
    if column not in frame:  # not among the needed columns: no mark, said here
        rows = missing
        said = [
            gaps.reason("loans", column, "no_column", f, s, None, None)
            for f, s in zip(frame.loc[rows, "_file"], frame.loc[rows, "_sheet"], strict=True)
        ]
        out[rows] = gaps.objects(said, out.index[rows])
        return out
    raw_column = f"_raw_{column}" if f"_raw_{column}" in frame else column
    rows = missing & gaps.known(out)
    if rows.any():
        part = frame[rows]
        said = [
            gaps.reason("loans", column, "bad_value" if not _empty(r) else "blank", f, s, n, r)
            for f, s, n, r in zip(
                part["_file"], part["_sheet"], part["_row"], part[raw_column], strict=True
            )
        ]
        out[rows] = gaps.objects(said, out.index[rows])
    return out


def _empty(value: object) -> bool:
    return dates.is_blank(value)


def _merge(*parts: pd.Series) -> np.ndarray:
    """Per row, the reasons of every part (a tuple of Said), '' when none."""
    out = []
    for row in zip(*parts, strict=True):
        found: list[Said] = []
        for value in row:
            for said in (value,) if isinstance(value, Said) else (value or ()):
                if isinstance(said, Said) and said not in found:
                    found.append(said)
        out.append(tuple(found) if found else "")
    merged = np.empty(len(out), dtype=object)
    for i, value in enumerate(out):  # one by one: numpy would unpack a tuple
        merged[i] = value
    return merged


def evaluate(ctx: Context, values: LoanInterestValues) -> pd.DataFrame:
    loans = ctx.extra["loans"].reset_index(drop=True)
    month = ctx.month
    kind = _texts(loans, "borrower_type")
    typed = kind.isin(LOAN_TYPE_CHOICES)
    person_loan = kind.isin((LOAN_PERSON, LOAN_PARTNERSHIP))
    ids = _texts(loans, "id_number")
    codes = _texts(loans, "employer_code")
    names = _texts(loans, "name")
    loan_no = _texts(loans, "loan_no")
    bank_given = "bank" in loans
    bank = _texts(loans, "bank")

    principal = pd.to_numeric(_column(loans, "principal", np.nan), errors="coerce")
    partners = pd.to_numeric(_column(loans, "partners", np.nan), errors="coerce")
    hires = pd.to_numeric(_column(loans, "new_hires", np.nan), errors="coerce")
    start = pd.to_datetime(_column(loans, "start_date", pd.NaT), errors="coerce")
    maturity = pd.to_datetime(_column(loans, "end_date", pd.NaT), errors="coerce")
    rates = _column(loans, "rate", None)
    overdue = _texts(loans, "overdue")

    # ---- per loan, exactly (a bureau's list holds hundreds of loans, not millions)
    rows = [
        _one_loan(values, month, *loan)
        for loan in zip(
            kind.tolist(),
            principal.tolist(),
            partners.tolist(),
            hires.tolist(),
            start.tolist(),
            maturity.tolist(),
            rates.tolist(),
            strict=True,
        )
    ]
    facts = pd.DataFrame(rows, index=loans.index, columns=list(_FACTS))

    # ---- who is paid, and for whom
    state = ctx.state.drop_duplicates("id_number").set_index("id_number")
    on_roster = ids.isin(state.index) & ids.ne("")
    roster = state.reindex(ids.where(on_roster, "__none__"))
    township = _texts(loans, "township")
    out = pd.DataFrame(
        {
            "person_id": ids.to_numpy(),
            "person_name": np.where(
                person_loan, names, roster["name"].fillna("").astype(str).to_numpy()
            ),
            "township": np.where(
                on_roster, roster["township"].fillna("").astype(str).to_numpy(), township
            ),
            "village": roster["village"].fillna("").astype(str).to_numpy()
            if "village" in roster
            else "",
            "household_id": roster["household_id"].fillna("").astype(str).to_numpy()
            if "household_id" in roster
            else "",
        },
        index=loans.index,
    )
    out["township"] = out["township"].where(out["township"].ne(""), township)
    business = kind.eq(LOAN_BUSINESS)
    out["payee_type"] = np.where(business, "employer", "person")
    out["payee_id"] = np.where(business, codes, np.where(person_loan, ids, ""))
    out["payee_name"] = names.to_numpy()
    out["loan_no"] = loan_no.to_numpy()
    out["bank"] = bank.to_numpy()

    # ---- the conditions
    borrower = pd.Series(out["payee_id"], index=loans.index).astype(str)
    out["c_payee"] = (typed & borrower.ne("")).to_numpy()
    out["v_payee"] = np.where(business & codes.ne(""), kind + "（" + codes + "）", kind)
    out["c_principal"] = facts["capped"].map(lambda c: c is not None and c > 0).to_numpy()
    out["v_principal"] = facts["principal_text"].to_numpy()
    out["v_principal__capped"] = facts["capped_text"].to_numpy()
    out["c_term"] = facts["days"].fillna(0).astype(int).gt(0).to_numpy()
    out["v_term"] = start.dt.strftime("%Y-%m-%d").astype(object).fillna("").to_numpy()
    out["v_term__maturity"] = maturity.dt.strftime("%Y-%m-%d").astype(object).fillna("").to_numpy()
    out["v_term__until"] = facts["until"].to_numpy()
    out["v_term__days"] = facts["days"].fillna(0).astype(int).to_numpy()
    out["c_rate"] = facts["state_rate"].map(lambda r: r is not None and r > 0).to_numpy()
    out["v_rate"] = facts["rate_text"].to_numpy()
    out["v_rate__lpr"] = facts["lpr_text"].to_numpy()
    out["v_rate__rate"] = facts["state_rate_text"].to_numpy()
    now = overdue.str.contains(f"|{OVERDUE_NOW}|", regex=False) | overdue.str.contains(
        f"|{month}|", regex=False
    )
    out["c_not_overdue"] = (~now).to_numpy()
    out["v_not_overdue"] = np.where(now, dates.month_text(month), "")
    out["f_not_overdue"] = np.where(now, "fact_loan_overdue", "fact_loan_not_overdue")

    # ---- what could not be judged
    no_type = ~typed
    type_why = _blank_reasons(loans, "borrower_type", no_type)
    unknown: dict[str, object] = {
        "payee": type_why.to_numpy(),
        "principal": _merge(
            type_why,
            _blank_reasons(loans, "principal", principal.isna()),
            _blank_reasons(loans, "partners", kind.eq(LOAN_PARTNERSHIP) & partners.isna()),
            _blank_reasons(loans, "new_hires", business & hires.isna()),
        ),
        "term": _merge(
            type_why,
            _blank_reasons(loans, "start_date", start.isna()),
            _blank_reasons(loans, "end_date", maturity.isna()),
        ),
        "rate": _merge(
            _blank_reasons(loans, "rate", rates.isna()),
            _blank_reasons(loans, "start_date", start.isna()),
            pd.Series(facts["lpr_missing"].to_numpy(), index=loans.index),
        ),
        "not_overdue": gaps.reasons(loans, "loans", "overdue").to_numpy(),
    }

    # ---- the amount, its key and its basis
    out["amount_fen"] = [to_fen(a) if a is not None else 0 for a in facts["amount"]]
    start_dates = start.dt.date.astype(object).where(start.notna(), None)
    tokens = [
        loan_tokens(no, who, day)
        for no, who, day in zip(loan_no, borrower, start_dates, strict=True)
    ]
    out["identities"] = ["|".join(t) for t in tokens]
    out["key_base"] = [t[0].removeprefix("贷:") if t else "" for t in tokens]
    prefix = (BANK_MARK + bank + "；") if bank_given else pd.Series("", index=loans.index)
    contract = np.where(loan_no.ne(""), "合同" + loan_no + "，", "")
    out["basis"] = prefix + contract + facts["basis"].fillna("")
    return finish(out, CONDITIONS, values.shown(month), unknown)


_FACTS = (
    "capped", "principal_text", "capped_text", "days", "until", "rate_text", "lpr_text",
    "state_rate", "state_rate_text", "lpr_missing", "amount", "basis",
)  # fmt: skip


def _decimal(value: float) -> Decimal | None:
    if value is None or pd.isna(value):
        return None
    return Decimal(repr(float(value))).quantize(FEN)


def _one_loan(
    values: LoanInterestValues,
    month: int,
    kind: str,
    principal: float,
    partners: float,
    hires: float,
    start: pd.Timestamp,  # NaT when unknown
    maturity: pd.Timestamp,
    rate: object,
) -> tuple[object, ...]:
    """The figures of one loan in month YYYYMM (see ``_FACTS``); None where unknown."""
    amount_principal = _decimal(principal)
    known_type = kind in LOAN_TYPE_CHOICES
    capped = (
        capped_principal(
            values,
            kind,
            amount_principal,
            None if pd.isna(partners) else int(partners),
            None if pd.isna(hires) else int(hires),
        )
        if known_type and amount_principal is not None
        else None
    )
    days, until = None, ""
    if known_type and not pd.isna(start) and not pd.isna(maturity):
        first = start.date()
        stop = min(maturity.date(), add_years(first, term_years(values, kind)))
        days = days_in_month(first, stop, month)
        until = stop.isoformat()
    lpr: LprRate | None = rate_on(values.lpr_1y, start.date()) if not pd.isna(start) else None
    lpr_missing: object = ""
    if not pd.isna(start) and lpr is None:
        lpr_missing = Said(
            "gap_loan_no_lpr",
            {"start": start.date().isoformat(), "first": values.shown(month)["lpr_from"]},
        )
    contract_rate = rate if isinstance(rate, Decimal) else None
    state_rate = (
        subsidy_rate(contract_rate, lpr.percent, values.margin)
        if contract_rate is not None and lpr is not None
        else None
    )
    amount = None
    basis = ""
    if capped is not None and state_rate is not None and days is not None:
        amount = month_interest(capped, state_rate, days)
        lpr_text = percent_text(lpr.percent / HUNDRED) if lpr is not None else ""
        basis = (
            f"本金{yuan_text(amount_principal or Decimal(0))}元，计息本金{yuan_text(capped)}元；"
            f"利率{percent_text(contract_rate or Decimal(0))}，放款日{start.date().isoformat()}"
            f"LPR{lpr_text}，贴息利率{percent_text(state_rate)}；"
            f"本月{days}天（到期{maturity.date().isoformat()}，贴息至{until}前）；"
            f"{yuan_text(capped)}×{percent_text(state_rate)}×{days}/360={amount}元"
        )
    return (
        capped,
        yuan_text(amount_principal) if amount_principal is not None else "",
        yuan_text(capped) if capped is not None else "",
        days,
        until,
        percent_text(contract_rate) if contract_rate is not None else "",
        percent_text(lpr.percent / HUNDRED) if lpr is not None else "",
        state_rate,
        percent_text(state_rate) if state_rate is not None else "",
        lpr_missing,
        amount,
        basis,
    )
