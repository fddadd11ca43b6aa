"""Column rules per kind as pandera schemas, and their failures as the problem report.

Each rule is a pandera ``Check`` named by its DESIGN §3 problem code, attached to the
column it is about.  Validation is lazy (every problem of every row at once); pandera's
failure cases become rows of the problem report: file, sheet, Excel row, column, value
as typed (IDs masked), code, and the catalogue keys and parameters of the sentence a clerk
reads and of a suggestion (worded at the edge, in the chosen language).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from fengdu_cli import dates, idcard
from fengdu_cli.accounts import account_faults
from fengdu_cli.io.columns import (
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    SENSITIVE_COLUMNS,
    required_columns,
)
from fengdu_cli.io.read import text_op
from fengdu_cli.normalise import (
    AGENCY_FLAGS,
    BASE_TYPE_CHOICES,
    CATEGORY_CHOICES,
    EMPLOYMENT_TYPE,
    EMPLOYMENT_TYPE_CHOICES,
    GRADE_CHOICES,
    LABOR,
    LABOR_CHOICES,
    LEVEL_CHOICES,
    LEVELS,
    LOAN_PARTNERSHIP,
    LOAN_PERSON,
    LOAN_TYPE_CHOICES,
    LOAN_TYPES,
    SERVICE_TYPE,
    SERVICE_TYPE_CHOICES,
    STUDENT_STATUS,
    STUDENT_STATUS_CHOICES,
    TRAINING_RESULT_CHOICES,
    TRAINING_TYPE_CHOICES,
    WORK_STATUS,
    WORK_STATUS_CHOICES,
    category_label,
    credit_check_ok,
)
from fengdu_cli.regions import is_known_region
from fengdu_cli.townships import TOWNSHIPS

PROBLEM_CODES = (
    "id_format", "id_checksum", "id_birthdate", "id_precision_lost", "id_15_digit",
    "missing_required", "duplicate_person", "unknown_township", "bad_date", "bad_number",
    "bad_category", "id_region", "missing_column", "ambiguous_column", "id_name_conflict",
)  # fmt: skip
# A row with one of these is rejected: kept in the report, used nowhere else (DESIGN §6).
REJECT_CODES = frozenset(
    {"id_format", "id_checksum", "id_birthdate", "id_precision_lost", "missing_required",
     "duplicate_person", "id_name_conflict"}
)  # fmt: skip

# ID columns besides the row's own person: an ID problem there is a warning, the row kept
# (agencies/: a broker's ID that fails its checks makes the placement unpayable, not unread).
KEPT_ID_COLUMNS = frozenset({"broker_id"})
# Columns of a list holding the payee's unified social credit code (checked: bad_number).
CREDIT_CODE_COLUMNS = {
    "bases": ("employer_code",),
    "agencies": ("agency_code",),
    "accounts": ("employer_code",),
}

_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")  # zero-width and soft marks
REGION_EXAMPLES = ("重庆市丰都县", "重庆市渝北区", "山东省济南市", "广东省东莞市", "省外")

PROBLEM_COLUMNS = [
    "file", "sheet", "row", "column", "header", "value", "code", "severity", "message_key",
    "suggestion_key", "params", "_index",
]  # fmt: skip

Predicate = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Rule:
    """One check: the column it is about, its problem code, and a predicate (True = fine)."""

    column: str
    code: str
    passes: Predicate


def blank(values: pd.Series) -> pd.Series:
    """Vectorised :func:`fengdu_cli.dates.is_blank`: empty, whitespace-only, None or NaN."""
    column = values.astype(object)
    stripped = text_op(column, "strip")  # NaN where the cell is not text
    return column.isna() | stripped.eq("").fillna(False).astype(bool)


def _not_blank(column: str) -> Predicate:
    """Something was typed: the normalised text is not empty (for dates and months, the
    typed cell is looked at where nothing could be parsed)."""

    def passes(frame: pd.DataFrame) -> pd.Series:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            return ~(values.isna() | values.eq(""))
        missing = values.isna()
        ok = pd.Series(True, index=frame.index)
        if missing.any():
            source = f"_raw_{column}" if f"_raw_{column}" in frame else column
            ok[missing] = ~blank(frame.loc[missing, source])
        return ok

    return passes


def _id_is_not(code: str) -> Predicate:
    return lambda frame: frame["_id_code"].ne(code) | frame["_id_code"].isna()


def _known_region(frame: pd.DataFrame) -> pd.Series:
    """The first two digits of a well-formed ID name a real province (a warning only)."""
    well_formed = frame["_id_code"].isna() | frame["_id_code"].eq("id_15_digit")
    return ~well_formed | _province_named(frame["id_number"])


def _province_named(column: pd.Series) -> pd.Series:
    """Is the text blank or do its first two characters name a province? Decided once per
    distinct text (a million insurance rows hold a tenth as many IDs)."""
    codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=False)
    if not all(isinstance(u, str) or (isinstance(u, float) and u != u) for u in uniques):
        uniques, codes = column.to_numpy(dtype=object), np.arange(len(column))  # other cells
    ids = pd.Series(uniques, dtype=object).astype(str)
    known = (ids.eq("") | ids.str[:2].isin(idcard.PROVINCE_CODES)).to_numpy(dtype=bool)
    return pd.Series(known[codes], index=column.index)


def _name_conflicts(frame: pd.DataFrame) -> pd.Series:
    """Rows whose ID is typed elsewhere with another name (DESIGN §6: every such row)."""
    if "name" not in frame:
        return pd.Series(False, index=frame.index)
    ids, names = frame["id_number"], frame["name"].fillna("").astype(str)
    named = ids.ne("") & names.ne("") & ids.notna()
    # each (ID, name) pair once: an ID left more than once has more than one name
    pairs = pd.DataFrame({"id": ids[named], "name": names[named]}).drop_duplicates()
    conflicting = set(pairs["id"][pairs["id"].duplicated()])
    return ids.isin(conflicting) & ids.ne("")


def _once(func: Predicate) -> Predicate:
    """``func``, computed once for the frame it was last given (rules sharing a result)."""
    last: list = []

    def once(frame: pd.DataFrame) -> pd.Series:
        if not last or last[0] is not frame:
            last[:] = [frame, func(frame)]
        return last[1]

    return once


def _first_occurrence(frame: pd.DataFrame, conflicts: Predicate = _name_conflicts) -> pd.Series:
    """The same ID again, with the same name: the first is kept (a conflict is its own code)."""
    ids = frame["id_number"]
    return ~(ids.ne("") & ids.duplicated(keep="first") & ~conflicts(frame))


def _allowed(column: str, table: dict[str, str] | dict[str, tuple[str, str]]) -> Predicate:
    allowed = set(table) | {v if isinstance(v, str) else v[0] for v in table.values()}

    def passes(frame: pd.DataFrame) -> pd.Series:
        values = frame[column]
        return values.isin(allowed) | values.eq("")

    return passes


def _parses(column: str) -> Predicate:
    """The typed value gave a parsed one (a date, a month, a number), or nothing was typed."""

    def passes(frame: pd.DataFrame) -> pd.Series:
        missing = frame[column].isna()
        ok = pd.Series(True, index=frame.index)
        if missing.any():
            ok[missing] = blank(frame.loc[missing, f"_raw_{column}"])
        return ok

    return passes


def _one_of(column: str, choices: tuple[str, ...]) -> Predicate:
    """The normalised value is one of ``choices``, or blank."""
    return lambda frame: frame[column].isin(choices) | frame[column].eq("")


def _category_understood(frame: pd.DataFrame) -> pd.Series:
    """The 人员类别 was read as facts (or as a known value in none of the groups), or is blank."""
    category = frame["category"]
    facts = frame.get("category_facts", pd.Series("", index=frame.index)).fillna("")
    return category.eq("") | facts.ne("") | category.eq(category_label(()))


def _region_known(frame: pd.DataFrame) -> pd.Series:
    """The 就业地区 names a place (DESIGN §6 classes), or is blank."""
    return frame["work_region"].eq("") | frame["region"].ne("unknown")


def _names_a_place(column: str) -> Predicate:
    """The text names a place the tool can place (or is blank)."""
    return lambda frame: frame[column].eq("") | frame[column].map(is_known_region).astype(bool)


def _phone_ok(frame: pd.DataFrame) -> pd.Series:
    phone = frame["phone"]
    return phone.eq("") | phone.str.fullmatch(r"1[3-9]\d{9}|0\d{9,11}|\d{7,8}")


def _account_ok(frame: pd.DataFrame) -> pd.Series:
    """12–25 digits, neither a resident ID nor a 户编号 (:func:`~fengdu_cli.accounts.account_faults`)."""
    return account_faults(frame).eq("")


def _account_not_shared(frame: pd.DataFrame) -> pd.Series:
    """One account is not given for persons of different households (a warning: the row
    is kept and paid, the clerk checks whose account it is)."""
    return _one_per(frame, "bank_account", "household_id")


def _one_account_per_code(frame: pd.DataFrame) -> pd.Series:
    """accounts/: one organisation is given one account (two differ: neither is paid)."""
    return _one_per(frame, "employer_code", "bank_account")


def _one_per(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """False on the rows whose ``key`` is given, among rows where both are filled, more
    than one different ``value``."""
    keys = frame[key].fillna("").astype(str)
    values = frame[value].fillna("").astype(str)
    keyed = keys.ne("") & values.ne("")
    spread = values[keyed].groupby(keys[keyed]).transform("nunique")
    return ~spread.reindex(frame.index).fillna(1).gt(1)


def _holder_is_org(frame: pd.DataFrame) -> pd.Series:
    """accounts/: the 户名 is the organisation's name (a warning otherwise: the bank pays
    only when the holder matches)."""
    holder = frame["account_name"].fillna("").astype(str)
    org = frame["org_name"].fillna("").astype(str)
    return holder.eq("") | org.eq("") | holder.eq(org)


# the sentence for each reason an account cannot be paid to (account_faults)
ACCOUNT_MESSAGES = {
    "lost": "account_digits_lost",
    "id": "account_is_id",
    "household": "account_is_household",
}


def _borrower_known(frame: pd.DataFrame) -> pd.Series:
    """A loan names its borrower by a resident ID or (a 小微企业) a credit code."""
    known = pd.Series(False, index=frame.index)
    for column in ("id_number", "employer_code"):
        if column in frame:
            known |= ~blank(frame[column])
    return known


def _person_loan_has_id(frame: pd.DataFrame) -> pd.Series:
    """A 个人 / 合伙 loan names its borrower by a resident ID, not by a credit code alone."""
    person = frame["borrower_type"].isin((LOAN_PERSON, LOAN_PARTNERSHIP))
    no_id = blank(frame["id_number"]) if "id_number" in frame else True
    return ~(person & no_id & ~blank(frame["employer_code"]))


def _is_flag(column: str) -> Predicate:
    """A yes/no cell read as yes or no, or blank (None: see gaps)."""
    return lambda frame: frame[column].map(lambda v: v is None or isinstance(v, bool)).astype(bool)


def _in_choices(column: str, choices: tuple[str, ...]) -> Predicate:
    return lambda frame: frame[column].isin(choices) | frame[column].eq("")


def _credit_code_ok(column: str) -> Predicate:
    """A unified social credit code of the right shape with its GB 32100 check character
    (the normal form: :func:`~fengdu_cli.normalise.credit_key`), or blank."""

    def passes(frame: pd.DataFrame) -> pd.Series:
        values = frame[column].fillna("").astype(str)
        return values.eq("") | values.map(credit_check_ok).astype(bool)

    return passes


def _broker_id_is_not(code: str) -> Predicate:
    return lambda frame: frame["_broker_id_code"].ne(code) | frame["_broker_id_code"].isna()


def rejects(cases: pd.DataFrame) -> pd.Series:
    """Which failure cases reject their row: a code of REJECT_CODES, except an ID check on
    a payee's ID column of a list (KEPT_ID_COLUMNS: the row stays, its payee fails)."""
    return cases["code"].isin(REJECT_CODES) & ~cases["column"].isin(KEPT_ID_COLUMNS)


def _township_known(frame: pd.DataFrame) -> pd.Series:
    return frame["township"].isin(TOWNSHIPS)


def rules_for(kind: str, frame: pd.DataFrame, *, duplicates: bool) -> list[Rule]:
    """The rules that apply to ``kind`` given the columns ``frame`` has."""
    rules: list[Rule] = []
    if "id_number" in frame and kind != "payments":  # checked by the import, ID or credit code
        for code in (
            "id_precision_lost",
            "id_format",
            "id_checksum",
            "id_birthdate",
            "id_15_digit",
        ):
            rules.append(Rule("id_number", code, _id_is_not(code)))
        rules.append(Rule("id_number", "id_region", _known_region))
    for column in required_columns(kind):
        if column in frame:
            rules.append(Rule(column, "missing_required", _not_blank(column)))
    if duplicates and "id_number" in frame:
        conflicts = _once(_name_conflicts)  # both rules look at the same conflicts
        rules.append(
            Rule("id_number", "duplicate_person", lambda f: _first_occurrence(f, conflicts))
        )
        rules.append(Rule("id_number", "id_name_conflict", lambda f: ~conflicts(f)))
    if "township" in frame and kind in ("roster", "workshops", "businesses", "posts", "students"):
        rules.append(Rule("township", "unknown_township", _township_known))
    for column in DATE_COLUMNS.get(kind, ()):
        if column in frame:
            rules.append(Rule(column, "bad_date", _parses(column)))
    if kind in ("insurance", "training") and "period" in frame:
        rules.append(Rule("period", "bad_date", _parses("period")))
    for column in NUMBER_COLUMNS.get(kind, ()):
        if column in frame:
            rules.append(Rule(column, "bad_number", _parses(column)))
    if kind == "roster":
        if "category" in frame:
            rules.append(Rule("category", "bad_category", _category_understood))
        for column, table in (("labor_capacity", LABOR), ("work_status", WORK_STATUS)):
            if column in frame:
                rules.append(Rule(column, "bad_category", _allowed(column, table)))
        if "phone" in frame:
            rules.append(Rule("phone", "bad_number", _phone_ok))
    if "bank_account" in frame:  # a person's or an organisation's account: 12–25 digits
        rules.append(Rule("bank_account", "bad_number", _account_ok))
        if kind == "roster" and "household_id" in frame:
            rules.append(Rule("bank_account", "bad_number", _account_not_shared))
    if kind == "employment" and "employment_type" in frame:
        rules.append(
            Rule("employment_type", "bad_category", _allowed("employment_type", EMPLOYMENT_TYPE))
        )
    if kind == "employment" and "work_region" in frame and "region" in frame:
        rules.append(Rule("work_region", "bad_category", _region_known))
    if kind == "businesses" and "rural_entrepreneur" in frame:
        rules.append(
            Rule(
                "rural_entrepreneur",
                "bad_category",
                lambda f: f["rural_entrepreneur"].map(lambda v: isinstance(v, bool)).astype(bool),
            )
        )
    if kind == "students":
        for column, table in (("level", LEVELS), ("student_status", STUDENT_STATUS)):
            if column in frame:
                rules.append(Rule(column, "bad_category", _allowed(column, table)))
        for column in ("school_year", "graduation_year"):
            if column in frame:
                rules.append(Rule(column, "bad_date", _parses(column)))
    if kind == "loans":
        who = next((c for c in ("id_number", "employer_code") if c in frame), "name")
        rules.append(Rule(who, "missing_required", _borrower_known))
        if "borrower_type" in frame:
            rules.append(
                Rule("borrower_type", "bad_category", _allowed("borrower_type", LOAN_TYPES))
            )
            if "employer_code" in frame:
                rules.append(Rule("employer_code", "bad_category", _person_loan_has_id))
        if "rate" in frame:
            rules.append(Rule("rate", "bad_number", _parses("rate")))
        if "overdue" in frame:
            rules.append(Rule("overdue", "bad_category", _parses("overdue")))
    if kind == "posts" and "accident_insurance" in frame:
        rules.append(
            Rule(
                "accident_insurance",
                "bad_category",
                lambda f: (
                    f["accident_insurance"]
                    .map(lambda v: v is None or isinstance(v, bool))
                    .astype(bool)
                ),
            )
        )
    if kind == "agencies":
        if "agency_code" in frame:
            rules.append(Rule("agency_code", "bad_number", _credit_code_ok("agency_code")))
        if "broker_id" in frame:  # the payee's ID: reported, the row kept (KEPT_ID_COLUMNS)
            for code in ("id_precision_lost", "id_format", "id_checksum", "id_birthdate"):
                rules.append(Rule("broker_id", code, _broker_id_is_not(code)))
        for column in AGENCY_FLAGS:
            if column in frame:
                rules.append(Rule(column, "bad_category", _is_flag(column)))
        if "service_type" in frame:
            rules.append(
                Rule("service_type", "bad_category", _allowed("service_type", SERVICE_TYPE))
            )
    if kind == "accounts" and "employer_code" in frame:
        rules.append(Rule("employer_code", "bad_number", _credit_code_ok("employer_code")))
        if "bank_account" in frame:
            rules.append(Rule("bank_account", "bad_number", _one_account_per_code))
        if {"account_name", "org_name"} <= set(frame.columns):
            rules.append(Rule("account_name", "bad_number", _holder_is_org))
    if kind == "bases":
        if "employer_code" in frame:
            rules.append(Rule("employer_code", "bad_number", _credit_code_ok("employer_code")))
        if "base_type" in frame:
            rules.append(
                Rule("base_type", "bad_category", _in_choices("base_type", BASE_TYPE_CHOICES))
            )
        if "grade" in frame:
            rules.append(Rule("grade", "bad_category", _in_choices("grade", GRADE_CHOICES)))
    if kind == "roster" and "hukou" in frame:
        rules.append(Rule("hukou", "bad_category", _names_a_place("hukou")))
    if kind == "travel" and "destination" in frame:
        rules.append(Rule("destination", "bad_category", _names_a_place("destination")))
    if kind == "training":
        for column, choices in (
            ("training_type", TRAINING_TYPE_CHOICES),
            ("result", TRAINING_RESULT_CHOICES),
        ):
            if column in frame:
                rules.append(Rule(column, "bad_category", _one_of(column, choices)))
    return rules


def build_schema(kind: str, frame: pd.DataFrame, *, duplicates: bool) -> pa.DataFrameSchema:
    """A pandera schema for ``frame``: one named check per rule, on its column."""
    columns: dict[str, list[pa.Check]] = {}
    for rule in rules_for(kind, frame, duplicates=duplicates):
        check = pa.Check(
            lambda s, rule=rule: rule.passes(frame).reindex(s.index).astype(bool),
            name=rule.code,
            error=rule.code,
            ignore_na=False,
        )
        columns.setdefault(rule.column, []).append(check)
    return pa.DataFrameSchema(
        {
            c: pa.Column(object, checks=checks, nullable=True, coerce=False)
            for c, checks in columns.items()
        },
        strict=False,
        name=kind,
    )


def failures(kind: str, frame: pd.DataFrame, *, duplicates: bool) -> pd.DataFrame:
    """Validate lazily; one row per failed (row index, column, code)."""
    schema = build_schema(kind, frame, duplicates=duplicates)
    checked = frame[[c for c in schema.columns if c in frame]].astype(object)
    try:
        schema.validate(checked, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna() & cases["check"].isin(PROBLEM_CODES)]
        return pd.DataFrame(
            {
                "index": cases["index"].astype(int).to_numpy(),
                "column": cases["column"].astype(str).to_numpy(),
                "code": cases["check"].astype(str).to_numpy(),
            }
        ).drop_duplicates()
    return pd.DataFrame({"index": pd.Series([], dtype=int), "column": [], "code": []})


# ---------------------------------------------------------------- the report


def display_value(value: object, column: str) -> str:
    """A cell as the clerk typed it, as text; IDs, phones and accounts masked."""
    if dates.is_blank(value):
        return ""
    if isinstance(value, float):
        shown = idcard.excel_number_text(value)
    elif hasattr(value, "strftime"):
        shown = value.strftime("%Y-%m-%d")
    else:
        shown = str(value).strip()
    return mask_value(shown, column)


def mask_value(shown: str, column: str) -> str:
    """Mask personal identifiers for screens, logs and JSON: the columns that hold them,
    and an ID, phone or card number typed into any other column (a shifted row)."""
    if column not in SENSITIVE_COLUMNS:
        return shown if column == "household_id" else idcard.mask_in_text(shown)
    if column == "id_number":
        return idcard.mask(shown)
    if len(shown) > 7:
        return shown[:3] + "*" * (len(shown) - 7) + shown[-4:]
    return "*" * max(len(shown) - 2, 0) + shown[-2:]


def problem_report(
    kind: str,
    frame: pd.DataFrame,
    cases: pd.DataFrame,
    headers: dict[tuple[str, str, str], str],
) -> pd.DataFrame:
    """Turn failure cases into the problem table (PROBLEM_COLUMNS), in file/row order.

    Codes and parameters only: ``message_key`` and ``suggestion_key`` name catalogue
    sentences, ``params`` holds what fills them in (language-neutral: codes, values as
    typed, tuples for lists); :func:`fengdu_cli.messages.problems.problem_words` words them.
    ``header`` is the header as typed ('' when the sheet has none); ``_index`` holds the
    frame index of the row each problem is about.
    """
    if cases.empty:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    cases = cases.reset_index(drop=True)
    at = cases["index"].to_numpy()
    rows = frame.loc[at]
    column = cases["column"].astype(str)
    code = cases["code"].astype(str)
    files = rows["_file"].astype(str).to_numpy()
    sheets = rows["_sheet"].to_numpy()
    report = pd.DataFrame(
        {
            "file": [_file_name(f) for f in files],
            "sheet": [idcard.shown_sheet(s) for s in sheets],
            "row": rows["_row"].astype(int).to_numpy(),
            "column": column.to_numpy(),
            "header": [
                headers.get((f, s, c), "") for f, s, c in zip(files, sheets, column, strict=True)
            ],
            "value": "",
            "code": code.to_numpy(),
            "severity": np.where(rejects(cases), "rejected", "warning"),
            "_index": at,
        }
    )
    for name, where in report.groupby("column").indices.items():
        source = f"_raw_{name}" if f"_raw_{name}" in frame else name
        if source in frame:
            typed = frame[source].reindex(at[where])
            report.loc[where, "value"] = typed.map(lambda v, c=name: display_value(v, c)).to_numpy(
                dtype=object
            )
    ids = (
        rows["id_number"].fillna("").astype(str).to_numpy()
        if "id_number" in rows
        else np.full(len(rows), "", dtype=object)
    )
    report["message_key"] = code.to_numpy()
    report["suggestion_key"] = code.map(SUGGESTIONS).fillna("").to_numpy()
    if "_raw_id_number" in rows:
        invisible = rows["_raw_id_number"].astype(str).str.contains(_INVISIBLE).to_numpy()
        report.loc[code.eq("id_format").to_numpy() & invisible, "message_key"] = "id_invisible"
    report.loc[code.eq("unknown_township") & report["value"].eq(""), "message_key"] = (
        "unknown_township_empty"
    )
    if kind == "loans":  # a credit code where a 个人 / 合伙 loan needs the borrower's ID
        at_code = (code.eq("bad_category") & column.eq("employer_code")).to_numpy()
        report.loc[at_code, "message_key"] = "loan_person_credit_code"
        report.loc[at_code, "suggestion_key"] = ""
    at_credit = (code.eq("bad_number") & column.isin(CREDIT_CODE_COLUMNS.get(kind, ()))).to_numpy()
    report.loc[at_credit, "message_key"] = "bad_credit_code"
    at_holder = (code.eq("bad_number") & column.eq("account_name")).to_numpy()
    report.loc[at_holder, "message_key"] = "account_holder_differs"
    at_account = (code.eq("bad_number") & column.eq("bank_account")).to_numpy()
    if at_account.any():  # why the account cannot be paid to, or that it is shared
        faults = account_faults(rows.reset_index(drop=True))
        shared = "account_conflict" if kind == "accounts" else "account_shared"
        keys = faults.map(ACCOUNT_MESSAGES).where(faults.ne(""), shared)
        keys = keys.where(faults.isin(list(ACCOUNT_MESSAGES)) | faults.eq(""), "bad_number")
        report.loc[at_account, "message_key"] = keys.to_numpy()[at_account]
    params: list[dict] = [{"kind": kind} for _ in range(len(report))]
    first_seen = _first_seen(frame) if code.eq("duplicate_person").any() else {}
    names: dict[str, tuple] = (
        {str(k): tuple(dict.fromkeys(g)) for k, g in frame.groupby("id_number")["name"]}
        if code.eq("id_name_conflict").any()
        else {}
    )
    expected = rows["_id_expected"].to_numpy() if "_id_expected" in rows else [None] * len(rows)
    if column.isin(KEPT_ID_COLUMNS).any():  # an ID check on a payee's ID column: its own ID
        ids, expected = np.asarray(ids, dtype=object).copy(), np.array(expected, dtype=object)
        for name in KEPT_ID_COLUMNS & set(column):
            at_column = column.eq(name).to_numpy()
            ids[at_column] = rows[name].fillna("").astype(str).to_numpy()[at_column]
            if f"_{name}_expected" in rows:
                expected[at_column] = rows[f"_{name}_expected"].to_numpy()[at_column]
    person = rows["name"].to_numpy() if "name" in rows else [""] * len(rows)
    codes, columns = code.to_numpy(), column.to_numpy()
    for i in np.flatnonzero(code.isin(ROW_PARAMS).to_numpy()):
        c, id_number = codes[i], ids[i]
        if c == "id_format":
            params[i]["length"] = len(id_number)
        elif c == "id_checksum":
            params[i]["expected"] = expected[i] or "?"
        elif c == "id_birthdate":
            params[i]["birth"] = id_number[6:14]
        elif c == "id_15_digit":
            params[i]["upgraded"] = idcard.mask(id_number)
        elif c == "id_region":
            params[i]["region"] = id_number[:6]
        elif c == "duplicate_person":
            params[i]["first"] = first_seen.get(id_number, ())
        elif c == "id_name_conflict":
            others = set(names.get(id_number, ())) - {person[i]}
            params[i]["names"] = tuple(sorted(others))
        elif c == "unknown_township":
            params[i]["examples"] = tuple(TOWNSHIPS[:4])
        elif c == "bad_category":
            params[i]["choices"] = CHOICES.get(columns[i], ())
    report["params"] = pd.Series(params, index=report.index, dtype=object)
    report = report.sort_values(["_index", "column", "code"], kind="stable")
    return report[PROBLEM_COLUMNS].reset_index(drop=True)


# The suggestion that goes with a code ('' for none).
SUGGESTIONS = {
    "id_checksum": "suggest_check_digit",
    "id_precision_lost": "suggest_retype_id",
    "id_15_digit": "suggest_upgraded",
    "unknown_township": "suggest_township",
    "bad_category": "suggest_unknown_fact",
}
# Codes whose sentence takes something from the row besides the value.
ROW_PARAMS = frozenset(
    {"id_format", "id_checksum", "id_birthdate", "id_15_digit", "id_region", "duplicate_person",
     "id_name_conflict", "unknown_township", "bad_category"}
)  # fmt: skip
# The values the tool knows, shown with bad_category (they are typed in Chinese).
CHOICES: dict[str, tuple[str, ...]] = {
    "category": CATEGORY_CHOICES,
    "labor_capacity": LABOR_CHOICES,
    "work_status": WORK_STATUS_CHOICES,
    "employment_type": EMPLOYMENT_TYPE_CHOICES,
    "work_region": REGION_EXAMPLES,
    "hukou": REGION_EXAMPLES,
    "rural_entrepreneur": ("是", "否"),
    "level": LEVEL_CHOICES,
    "student_status": STUDENT_STATUS_CHOICES,
    "borrower_type": LOAN_TYPE_CHOICES,
    "overdue": ("是", "否", "2024-03、2024-05"),
    "accident_insurance": ("是", "否", "已购买", "未购买"),
    "free_service": ("是", "否"),
    "dispatch": ("是", "否"),
    "registered_unemployed": ("是", "否"),
    "service_type": SERVICE_TYPE_CHOICES,
    "base_type": BASE_TYPE_CHOICES,
    "grade": GRADE_CHOICES,
    "destination": REGION_EXAMPLES,
    "training_type": TRAINING_TYPE_CHOICES,
    "result": TRAINING_RESULT_CHOICES,
}


def _file_name(path: str) -> str:
    """A file's name as shown (an ID or phone in it masked)."""
    return idcard.mask_in_text(path.replace("\\", "/").rsplit("/", 1)[-1])


def _first_seen(frame: pd.DataFrame) -> dict[str, tuple[str, str, int]]:
    """Where each repeated ID is first typed: file name, sheet, Excel row."""
    ids = frame["id_number"]
    firsts = frame[ids.ne("") & ~ids.duplicated(keep="first") & ids.duplicated(keep=False)]
    return {
        id_number: (_file_name(file), sheet or "", int(row))
        for id_number, file, sheet, row in firsts[
            ["id_number", "_file", "_sheet", "_row"]
        ].to_numpy()
    }
