"""Where each payee is paid: account number, bank (开户行) and holder (户名); the bank's list.

A bank pays accounts, not people.  A person (and a household: the person its line names)
is paid to the account the roster gives for that person (银行账号, 开户行, 户名 — the holder
is the person when no 户名 is given).  An organisation (employer, agency, workshop) is
paid to the account of its credit code in ``accounts/`` (单位收款账户), which takes
precedence, else in the list that names it (workshops/, businesses/, agencies/, bases/).

An account is taken only when it is a well-formed account (12–25 digits): one the reader
reported as damaged (stored by Excel as a number, digits lost: ``bad_number``) is not an
account, and the payee is listed as 缺少账户信息 — never guessed, never paid to an empty
account.  Nothing here is worded: the kind of list that should carry a missing account is
a code (``roster``, ``accounts``, ``workshops`` …).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from fengdu_cli.townships import TOWNSHIPS

ACCOUNT_COLUMNS = ["account_no", "bank", "account_name"]
ACCOUNT_PATTERN = r"\d{12,25}"
ORG_PAYEES = frozenset({"employer", "agency", "workshop"})
# the lists an organisation's account may come from, in order of precedence: kind, code column
ORG_LISTS = (
    ("accounts", "employer_code", "org_name"),
    ("workshops", "employer_code", "workshop_name"),
    ("businesses", "business_code", "business_name"),
    ("agencies", "agency_code", "agency_name"),
    ("bases", "employer_code", "base_name"),
)
# one line per payee, as the bank file has them (amounts in fen)
BANK_COLUMNS = [
    "seq", "account_name", "account_no", "bank", "amount_fen", "persons", "payee_id",
    "summary", "batch_id",
]  # fmt: skip
MISSING_COLUMNS = [
    "payee_type", "payee_name", "payee_id", "township", "amount_fen", "persons", "rules",
    "where",
]  # fmt: skip
_EMPTY = pd.DataFrame(columns=["key", *ACCOUNT_COLUMNS, "holder_id"])


def _text(values: pd.Series) -> pd.Series:
    as_object = values.astype(object)
    return as_object.where(as_object.notna(), "").astype(str).str.strip()


def _accounts_of(frame: pd.DataFrame, key: str, name: str | None) -> pd.DataFrame:
    """key, account_no, bank, account_name of the rows with a well-formed account (the first
    row per key); the holder defaults to the row's ``name`` column."""
    if key not in frame or "bank_account" not in frame or not len(frame):
        return _EMPTY.copy()
    out = pd.DataFrame(
        {
            "key": _text(frame[key]),
            "account_no": _text(frame["bank_account"]),
            "bank": _text(frame["bank"]) if "bank" in frame else "",
            "account_name": _text(frame["account_name"]) if "account_name" in frame else "",
        }
    )
    out["holder_id"] = _text(frame["id_number"]) if "id_number" in frame else ""
    if name and name in frame:
        holder = _text(frame[name])
        out["account_name"] = out["account_name"].where(out["account_name"].ne(""), holder)
    good = out["key"].ne("") & out["account_no"].str.fullmatch(ACCOUNT_PATTERN)
    return out[good].drop_duplicates("key").reset_index(drop=True)


def with_accounts(lines: pd.DataFrame, lists: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``lines`` with ``account_no, bank, account_name`` ('' where unknown), ``account_list``
    (the kind of list that carries, or should carry, the payee's account) and ``holder_id``
    (whose account it is: a person's ID, a household's member's, an organisation's code).

    ``lists``: the valid rows per kind (``roster`` and any of ORG_LISTS' kinds)."""
    out = lines.copy()
    for column in ACCOUNT_COLUMNS:
        out[column] = ""
    out["account_list"] = "roster"
    out["holder_id"] = _text(out["person_id"]).where(
        _text(out["person_id"]).ne(""), _text(out["payee_id"])
    )
    if not len(out):
        return out
    org = out["payee_type"].isin(ORG_PAYEES).to_numpy()
    roster = lists.get("roster", pd.DataFrame())
    # a household is paid to the member its line names as payee (户主), else to its person
    by_person = _accounts_of(roster, "id_number", "name").set_index("key")
    household = out["payee_type"].eq("household").to_numpy()
    if household.any() and {"household_id", "name"} <= set(roster.columns):
        member = _accounts_of(
            roster.assign(_hh=_text(roster["household_id"]) + "|" + _text(roster["name"])),
            "_hh",
            "name",
        ).set_index("key")
        hh_key = (_text(out["payee_id"]) + "|" + _text(out["payee_name"])).to_numpy()
        hit = household & np.isin(hh_key, member.index.to_numpy())
        for column in [*ACCOUNT_COLUMNS, "holder_id"]:
            found = member[column].reindex(hh_key).to_numpy(dtype=object)
            out.loc[hit, column] = found[hit]
    person_key = _text(out["person_id"]).to_numpy()
    still = ~org & _text(out["account_no"]).eq("").to_numpy()
    for column in ACCOUNT_COLUMNS:
        found = by_person[column].reindex(person_key).to_numpy(dtype=object)
        out.loc[still, column] = np.where(pd.isna(found), "", found)[still]
    if org.any():
        codes = _text(out["payee_id"]).str.upper().to_numpy()
        named_in = pd.Series("accounts", index=out.index)
        taken = np.zeros(len(out), dtype=bool)
        for kind, key, name in ORG_LISTS:
            frame = lists.get(kind)
            if frame is None or key not in frame:
                continue
            if kind != "accounts":  # the list that names the organisation should carry it
                listed = np.isin(codes, _text(frame[key]).str.upper().to_numpy())
                fresh = org & listed & named_in.eq("accounts").to_numpy()
                named_in[fresh] = kind
            found_in = _accounts_of(
                frame.assign(_code=_text(frame[key]).str.upper()), "_code", name
            )
            table = found_in.set_index("key")
            hit = org & ~taken & np.isin(codes, table.index.to_numpy())
            for column in ACCOUNT_COLUMNS:
                values = table[column].reindex(codes).to_numpy(dtype=object)
                out.loc[hit, column] = values[hit]
            taken |= hit
        # a labour broker (劳务经纪人) is a person: the roster's account when no list has one
        broker = org & ~taken & np.isin(codes, by_person.index.to_numpy())
        for column in ACCOUNT_COLUMNS:
            values = by_person[column].reindex(codes).to_numpy(dtype=object)
            out.loc[broker, column] = values[broker]
        taken |= broker
        out.loc[org, "account_list"] = named_in[org]
        # an organisation's holder is itself when its list names no 户名
        blank_name = org & _text(out["account_name"]).eq("").to_numpy() & taken
        out.loc[blank_name, "account_name"] = _text(out["payee_name"])[blank_name]
    return out


def payee_key(lines: pd.DataFrame) -> pd.Series:
    """Who one bank line pays: an organisation by its credit code, a person or household by
    the person whose account it is (so a household's two payments to one person are one)."""
    org = lines["payee_type"].isin(ORG_PAYEES)
    return ("o:" + _text(lines["payee_id"]).str.upper()).where(
        org, "p:" + _text(lines["holder_id"])
    )


def bank_payees(
    lines: pd.DataFrame, month_text: str, programs: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bank's list (BANK_COLUMNS: one line per payee with an account, amounts summed in
    fen, the count of persons paid through it) and the payees without one (MISSING_COLUMNS).

    ``lines``: payment lines :func:`with_accounts` completed, with ``batch_id``;
    ``programs``: rule code → the name the summary (摘要) uses; ``month_text``: the month as
    the summary says it ('2024年6月').  Persons first (by township in the county's order,
    then name), then organisations (by name)."""
    if not len(lines):
        return pd.DataFrame(columns=BANK_COLUMNS), pd.DataFrame(columns=MISSING_COLUMNS)
    frame = lines.assign(
        _key=payee_key(lines).to_numpy(),
        _org=lines["payee_type"].isin(ORG_PAYEES).to_numpy(),
        _person=_text(lines["person_id"]).where(
            _text(lines["person_id"]).ne(""), _text(lines["payee_id"])
        ),
        _fen=lines["amount_fen"].astype("int64"),
    )
    order = {code: i for i, code in enumerate(programs)}
    grouped = frame.groupby("_key", sort=False)
    first = grouped.first()
    payees = pd.DataFrame(
        {
            "_org": first["_org"],
            "payee_type": first["payee_type"],
            "payee_name": first["payee_name"],
            "person_name": first["person_name"],
            "person_id": first["holder_id"],
            "payee_id_raw": first["payee_id"],
            "township": first["township"],
            "account_no": first["account_no"],
            "bank": first["bank"],
            "account_name": first["account_name"],
            "account_list": first["account_list"],
            "batch_id": first["batch_id"].astype(str) if "batch_id" in first else "",
            "amount_fen": grouped["_fen"].sum().astype("int64"),
            "persons": grouped["_person"].nunique().astype("int64"),
            "rules": grouped["rule"].agg(
                lambda r: "、".join(
                    programs.get(c, c) for c in sorted(set(r), key=lambda c: order.get(c, 99))
                )
            ),
        }
    )
    # the payee's own number: a person's ID (a household's: its person's), an organisation's
    # credit code
    payees["payee_id"] = payees["payee_id_raw"].where(payees["_org"], payees["person_id"])
    person_name = payees["person_name"].where(payees["person_name"].ne(""), payees["payee_name"])
    payees["name"] = payees["payee_name"].where(
        payees["_org"] | payees["payee_type"].eq("household"), person_name
    )
    payees["account_name"] = payees["account_name"].where(
        payees["account_name"].ne(""), payees["name"]
    )
    rank = {name: i for i, name in enumerate(TOWNSHIPS)}
    payees["_rank"] = payees["township"].map(rank).fillna(len(TOWNSHIPS)).where(~payees["_org"], 0)
    payees = payees.sort_values(["_org", "_rank", "name", "payee_id"], kind="stable")
    payees["summary"] = month_text + " " + payees["rules"]
    has = payees["account_no"].ne("")
    bank = payees[has].reset_index(drop=True)
    bank["seq"] = np.arange(1, len(bank) + 1)
    missing = payees[~has].reset_index(drop=True)
    missing["payee_name"] = missing["name"]
    missing["where"] = missing["account_list"]
    return bank[BANK_COLUMNS], missing[MISSING_COLUMNS]
