"""``explain``: why one person (or employer code) got, or did not get, each subsidy.

A trace a clerk can read to a citizen on the phone: for every rule, one outcome —
paid, capped, not eligible (which condition failed), already paid (when, which batch),
expired, amount not configured, not computed, data missing — with each condition, the
fact it was judged on, where that fact came from (file / sheet / row), and the policy
value and its source.  The JSON form carries the tool version and the hashes of the
policy and input files, so a payment can be justified years later.

The trace holds codes and parameters (:class:`~fengdu_cli.messages.Said`): conditions,
facts, places and reasons are worded by :meth:`Explanation.to_dict` in the reader's
language (Chinese by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fengdu_cli import __version__, dates, idcard, store
from fengdu_cli.io.columns_toml import ColumnsConfig
from fengdu_cli.messages import Said, in_words, text
from fengdu_cli.policy import RULE_CODES, load_policy
from fengdu_cli.progress import Progress
from fengdu_cli.rules import IMPLEMENTED
from fengdu_cli.rules.base import condition_said, fact_said
from fengdu_cli.store import ledger
from fengdu_cli.subsidy import NO_PAYMENTS, evaluate_rules, file_hashes, load_month


@dataclass(frozen=True)
class Explanation:
    """The trace for one ID or credit code at one month."""

    subject: str
    month: int
    person: dict
    rules: list[dict] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)

    def to_dict(self, lang: str = "zh") -> dict:
        """The trace as the JSON gives it, worded in ``lang`` (``outcome_zh`` stays Chinese)."""
        return {
            "subject": idcard.mask(self.subject)
            if len(self.subject) == 18 and self.subject[:17].isdigit()
            else self.subject,
            "month": dates.month_text(self.month),
            "person": _worded(self.person, lang),
            "rules": [_worded(rule, lang) for rule in self.rules],
            **self._provenance(lang),
        }

    def _provenance(self, lang: str) -> dict:
        worded = _worded(self.provenance, lang)
        assert isinstance(worded, dict)
        return worded


def _worded(node: object, lang: str) -> object:
    """``node`` with every Said (and tuple of them) in it worded in ``lang``."""
    if isinstance(node, Said) or (isinstance(node, tuple) and node):
        return in_words(node, lang)
    if isinstance(node, dict):
        return {k: _worded(v, lang) for k, v in node.items()}
    if isinstance(node, list):
        return [_worded(v, lang) for v in node]
    return node


def _said(outcome: str, key: str, params: Mapping[str, object]) -> dict:
    """A rule's outcome as codes (outcome, reason_key, reason_params), and its reason as a
    Said that :meth:`Explanation.to_dict` words (``reason``; ``outcome_zh`` in Chinese)."""
    params = {
        k: v if isinstance(v, str | int | float | Said | tuple) or v is None else str(v)
        for k, v in params.items()
    }
    return {
        "outcome": outcome,
        "outcome_zh": text(f"outcome_{outcome}", "zh"),
        "reason": Said(key, params),
        "reason_key": key,
        "reason_params": params,
    }


def _matches(frame: pd.DataFrame, subject: str) -> pd.DataFrame:
    hit = frame["person_id"].eq(subject) | frame["payee_id"].eq(subject)
    if "business_code" in frame:
        hit |= frame["business_code"].eq(subject)
    return frame[hit]


def explain(
    subject: str,
    month: int,
    data: Path,
    db: str | Path,
    *,
    policy_path: Path | None = None,
    columns: ColumnsConfig | None = None,
    progress: Progress | None = None,
) -> Explanation:
    """Explain every rule in the policy for ``subject`` (ID number or credit code) at ``month``."""
    subject = idcard.normalise(subject)
    if len(subject) == 15 and subject.isdigit():
        subject = idcard.upgrade_15(subject)
    policy = load_policy(policy_path)
    checked, matched, state = load_month(data, month, columns=columns, progress=progress)
    paid, batch = NO_PAYMENTS, None
    if store.exists(db):  # no database yet: nothing has been paid (and none is created)
        conn = store.connect(db)
        try:
            paid = ledger.live_payments(conn)
            batch = ledger.live_batch(conn, month)
        finally:
            conn.close()
    evaluations, skipped = evaluate_rules(policy, month, checked, matched, state, paid, progress)
    provenance = {
        "tool_version": __version__,
        "policy": {"path": policy.path, "sha256": policy.sha256},
        "inputs": file_hashes([f for c in checked.values() for f in c.files]),
        "sources": _sources(checked, matched, subject),
    }
    found_in = _found_in(checked, subject)
    if not found_in:  # in no input at all: said once, not once per rule
        return Explanation(subject, month, {}, [], {**provenance, "found_in": []})
    rules = []
    for code in RULE_CODES:
        rule = policy.rule(code)
        head = {"code": code, "name": rule.name, "source": rule.source}
        if code in skipped:
            rules.append(
                {
                    **head,
                    **_said(skipped[code].code, f"skip_{skipped[code].code}", skipped[code].params),
                }
            )
            continue
        ev = evaluations[code]
        rows = _matches(ev.frame, subject)
        if rows.empty:
            rules.append(
                {
                    **head,
                    **_said("not_found", "reason_not_found", {}),
                }
            )
            continue
        for row in rows.to_dict("records"):
            trace = _rule_trace(code, row, ev.shown, batch, paid, month)
            if row["person_id"] and row["person_id"] != subject:  # an employer's line: whose
                trace["person"] = {"id": idcard.mask(row["person_id"]), "name": row["person_name"]}
            rules.append({**head, **trace})
    person = _person(state, subject, month)
    return Explanation(subject, month, person, rules, {**provenance, "found_in": found_in})


def _found_in(checked: dict, subject: str) -> list[str]:
    """The kinds of input whose IDs or credit codes include ``subject``."""
    found = []
    for kind, result in checked.items():
        frame = result.valid
        columns = [c for c in ("id_number", "employer_code", "business_code") if c in frame]
        if any(frame[c].astype(str).eq(subject).any() for c in columns):
            found.append(kind)
    return found


def _rule_trace(
    code: str,
    row: dict,
    values: Mapping[str, object],
    batch: str | None,
    paid: pd.DataFrame,
    month: int,
) -> dict:
    """One rule's outcome for one row; ``values`` is the plain mapping of the period's
    typed values (``RuleValues.shown``)."""
    conditions = []
    for cond in IMPLEMENTED[code].CONDITIONS:
        unknown = row.get(f"u_{cond.name}", "")
        pending = isinstance(unknown, Said | tuple) and bool(unknown)
        conditions.append(
            {
                "condition": condition_said(cond, values),
                "ok": None if pending else bool(row.get(f"c_{cond.name}")),
                "value": Said("fact_unknown", {"unknown": unknown})
                if pending
                else fact_said(cond, row),
            }
        )
    amount = int(row["amount_fen"])
    yuan = f"{amount / 100:.2f}"
    if row["paid_before"]:
        outcome, key = "already_paid", "reason_paid_before"
        params = {"when_zh": dates.month_zh(int(row["paid_month"])),
                  "when_en": dates.month_text(int(row["paid_month"])), "batch": row["paid_before"]}  # fmt: skip
        if row.get("paid_source"):
            key, params["source"] = "reason_imported_before", row["paid_source"]
    elif row.get("undetermined"):
        outcome, key, params = "undetermined", "reason_undetermined", {"unknown": row["unknown"]}
    elif not row["eligible"]:
        outcome, key, params = "not_eligible", "reason_not_eligible", {"failed": row["failed"]}
    elif row["capped"] and row.get("capped_year"):
        outcome, key = "capped", "reason_capped_year"
        params = {"year": month // 100, "months": row.get("months_paid_year", 0),
                  "cap": values.get("max_months_per_year")}  # fmt: skip
    elif row["capped"]:
        outcome, key = "capped", "reason_capped"
        params = {"months": row.get("months_paid", 0), "cap": values.get("max_months")}
    else:
        committed = (
            batch is not None
            and (
                (paid["batch_id"] == batch) & (paid["rule"] == code) & (paid["key"] == row["key"])
            ).any()
        )
        outcome = "paid" if committed else "to_pay"
        key, params = f"reason_{outcome}", {"amount": yuan, "batch": batch}
    policy_values = {
        k: v
        if isinstance(v, Said)
        else (str(v) if not isinstance(v, list | tuple) else "/".join(map(str, v)))
        for k, v in values.items()
    }
    return {
        **_said(outcome, key, params),
        "amount": amount / 100 if outcome in ("paid", "to_pay") else 0,
        "payee": {
            "type": row["payee_type"],
            "id": idcard.mask(row["payee_id"])
            if row["payee_type"] in ("person", "household") and len(str(row["payee_id"])) >= 15
            else idcard.mask_if_personal(row["payee_id"]),  # a broker's ID
            "name": row["payee_name"],
        },
        "conditions": conditions,
        "policy_values": policy_values,
        "basis": row["basis"] if outcome in ("paid", "to_pay") else "",
    }


def _person(state: pd.DataFrame, subject: str, month: int) -> dict:
    rows = state[state["id_number"] == subject]
    if rows.empty:
        return {}
    r = rows.iloc[0]
    return {
        "name": r.get("name", ""),
        "township": r.get("township", ""),
        "village": r.get("village", ""),
        "category": r.get("category", ""),
        "labor_capacity": r.get("labor_capacity", ""),
        "age": None if pd.isna(r.get("age")) else int(r["age"]),
        "active_jobs": int(r.get("active_jobs", 0)),
        "employer": r.get("employer_name", ""),
        "region": r.get("region", ""),
        "insured_this_month": bool(r.get("insured_m", False)),
        "roster_row": _place(r.get("_file", ""), r.get("_sheet", ""), r.get("_row", ""), True),
        # facts that could not be read, each with the file and column (DESIGN §6)
        "unknown": [
            r[c]
            for c in rows.columns
            if c.startswith("_gap_") and "__" in c and isinstance(r[c], Said)
        ],
    }


def _sources(checked: dict, matched, subject: str) -> dict:
    """Where each fact came from: roster row, employment rows, insurance months."""
    out: dict[str, list[object]] = {}
    for kind, frame in (("roster", checked["roster"].valid), ("employment", matched.jobs)):
        rows = frame[frame["id_number"] == subject]
        out[kind] = [_place(f, s, r) for f, s, r in rows[["_file", "_sheet", "_row"]].to_numpy()]
    contrib = matched.contrib[matched.contrib["id_number"] == subject]
    out["insurance_months"] = [*sorted({dates.month_text(int(p)) for p in contrib["period"]})]
    for kind in ("businesses",):
        if kind in checked:
            rows = checked[kind].valid
            rows = rows[(rows["id_number"] == subject) | (rows.get("business_code", "") == subject)]
            out[kind] = [
                _place(f, s, r, True) for f, s, r in rows[["_file", "_sheet", "_row"]].to_numpy()
            ]
    return out


def _place(file: object, sheet: object, row: object, sheet_always: bool = False) -> Said:
    """A row of an input file as a place to word ('a.xlsx（Sheet1）第6行' / 'a.csv 第6行')."""
    name = Path(str(file)).name
    if sheet or sheet_always:
        return Said("place_row", {"place": Said("place_sheet", {"file": name, "sheet": sheet}),
                                  "row": row})  # fmt: skip
    return Said("place_file_row", {"file": name, "row": row})
