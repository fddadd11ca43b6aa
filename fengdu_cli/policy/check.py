"""Checking a policy file: every problem at once, in Chinese and English, with its line.

``examine`` parses the bytes of a policy file and checks them against :mod:`.schema`;
the rules without problems come back built (amounts as ``Decimal``, counts as ``int``,
lists as tuples).  Nothing here reads a file: see :mod:`.load`.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import TypeGuard

from fengdu_cli.messages import text
from fengdu_cli.normalise import CATEGORY_CHOICES
from fengdu_cli.policy.schema import (
    AMOUNT_KEYS,
    BOOL_KEYS,
    CAP_KEYS,
    CONFIGURING_KEYS,
    COUNT_KEYS,
    DATE_KEYS,
    FREQUENCIES,
    LIST_KEYS,
    META_KEYS,
    PAYEES,
    PERIOD_KEYS,
    RATE_TABLE_ENTRY_KEYS,
    RATE_TABLE_KEYS,
    REQUIRED_WHEN_CONFIGURED,
    ROUNDINGS,
    RULE_CODES,
    RULE_FREQUENCY,
    RULE_KEYS,
    TARGET_CODES,
    TARGET_KEYS,
    TARGET_VALUE_KEYS,
    TEXT_CHOICES,
    TOP_KEYS,
    VALUE_KEYS,
    VALUES_TYPES,
    LprRate,
    Period,
    Rule,
    Target,
    TargetPeriod,
    typed_values,
    yuan_to_fen,
)

MAX_LINE_YUAN = Decimal(1_000_000)  # no subsidy of the notice pays more on one line

# the sentences live in the catalogues (fengdu_cli.messages), keys policy_*

_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"^\s*\"?([A-Za-z0-9_-]+)\"?\s*=")


@dataclass(frozen=True)
class PolicyProblem:
    """One problem of a policy file: where (rule, key, line) and what, in Chinese and English.

    ``rule`` is None for problems outside ``[rules.*]``; ``code`` is the catalogue key so
    that callers can count or translate problems without parsing the sentence.
    """

    rule: str | None
    key: str | None
    message: str
    line: int | None = None
    code: str = ""
    message_en: str = ""


# ---------------------------------------------------------------- checking


def _render(
    code: str, where: str, line: int | None, params: Mapping[str, object]
) -> tuple[str, str]:
    """The zh and en sentence of problem ``code``, prefixed by its location."""
    out = []
    for lang in ("zh", "en"):
        prefix_key = "policy_location" if line else "policy_where"
        prefix = text(prefix_key, lang, line=line, where=where) if where else ""
        out.append(prefix + text(code, lang, **params))
    return out[0], out[1]


def _choices(values: Iterable[str]) -> str:
    """Allowed values joined for a message."""
    return "、".join(values)


def _shown(value: object) -> str:
    """A TOML value as the clerk typed it, roughly, for messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _locate(text: str) -> dict[tuple[str, str | None], int]:
    """Map (table path, key) → line number, for the usual one-key-per-line layout.

    Table paths look like 'meta', 'rules.hire_once', 'rules.hire_once.values[1]'; key None
    is the table's header line.  Inline tables are not located (the line is then unknown).
    """
    lines: dict[tuple[str, str | None], int] = {}
    counts: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        if header := _HEADER.match(line):
            table = header[2].replace('"', "").replace(" ", "")
            if header[1] == "[[":
                counts[table] = counts.get(table, 0) + 1
                table = f"{table}[{counts[table]}]"
            lines.setdefault((table, None), number)
        elif key := _KEY.match(line):
            lines.setdefault((table, key[1]), number)
    return lines


class _Checker:
    """Collects the problems of one parsed policy file and builds its rules."""

    def __init__(self, text: str) -> None:
        self.lines = _locate(text)
        self.problems: list[PolicyProblem] = []

    def add(
        self, code: str, table: str, key: str | None, rule: str | None = None, **params: object
    ) -> None:
        """Record problem ``code`` at ``table``/``key`` (the line is looked up)."""
        line = self.lines.get((table, key)) or self.lines.get((table, None))
        where = f"{table}.{key}" if table and key else table or (key or "")
        zh, en = _render(code, where, line, {"rule": rule, "key": key, **params})
        self.problems.append(PolicyProblem(rule, key, zh, line, code, en))

    # ---- top level and meta

    def top(self, data: Mapping[str, object]) -> None:
        """Unknown top-level items."""
        for key in data:
            if key not in TOP_KEYS:
                self.add("policy_unknown_top", "", key, choices=_choices(TOP_KEYS))

    def meta(self, data: Mapping[str, object]) -> dict[str, object]:
        """Check [meta]: known keys, name text, issued / period_end dates."""
        meta = data.get("meta")
        if not isinstance(meta, dict):
            self.add("policy_not_table", "", "meta")
            return {}
        for key, value in meta.items():
            if key not in META_KEYS:
                self.add("policy_unknown_meta", "meta", key, choices=_choices(META_KEYS))
            elif key in ("issued", "period_end") and not _is_date(value):
                self.add("policy_bad_date", "meta", key, value=_shown(value))
        for key in ("name", "period_end"):
            if key not in meta:
                self.add("policy_missing_meta", "meta", key)
        return meta

    # ---- rules

    def rules(self, data: Mapping[str, object], period_end: object) -> dict[str, Rule]:
        """Check every [rules.*] table; return the rules that are sound."""
        rules = data.get("rules")
        if not isinstance(rules, dict):
            self.add("policy_not_table", "", "rules")
            return {}
        for code in rules:
            if code not in RULE_CODES:
                self.add(
                    "policy_unknown_rule", f"rules.{code}", None, code, choices=_choices(RULE_CODES)
                )
        built = {}
        for code in RULE_CODES:
            if code not in rules:
                self.add("policy_missing_rule", "rules", None, code)
            elif (rule := self.rule(code, rules[code], period_end)) is not None:
                built[code] = rule
        return built

    def rule(self, code: str, table: object, period_end: object) -> Rule | None:
        """Check one rule table; the Rule when it has no problem, else None."""
        before = len(self.problems)
        where = f"rules.{code}"
        if not isinstance(table, dict):
            self.add("policy_not_table", "", where, code)
            return None
        for key in table:
            if key not in RULE_KEYS:
                self.add("policy_unknown_key", where, key, code, choices=_choices(RULE_KEYS))
        for key in ("name", "source"):
            self.text(code, table, key)
        for key, allowed in (
            ("payee", PAYEES),
            ("frequency", FREQUENCIES),
            ("rounding", ROUNDINGS),
        ):
            self.choice(code, table, key, allowed)
        if table.get("frequency") in FREQUENCIES and table["frequency"] != RULE_FREQUENCY[code]:
            self.add("policy_fixed_frequency", f"rules.{code}", "frequency", code,
                     value=_shown(table["frequency"]), fixed=RULE_FREQUENCY[code])  # fmt: skip
        periods = self.periods(code, table.get("values"), period_end)
        if len(self.problems) > before:
            return None
        return Rule(code, table["name"], table["source"], table["payee"], table["frequency"],
                    table["rounding"], periods)  # fmt: skip

    def text(self, code: str, table: Mapping[str, object], key: str) -> None:
        """``key`` must be present, non-empty text."""
        value = table.get(key)
        if key not in table:
            self.add("policy_missing_key", f"rules.{code}", key, code)
        elif not isinstance(value, str) or not value.strip():
            self.add("policy_bad_text", f"rules.{code}", key, code)

    def choice(
        self, code: str, table: Mapping[str, object], key: str, allowed: tuple[str, ...]
    ) -> None:
        """``key`` must be present and one of ``allowed``."""
        if key not in table:
            self.add("policy_missing_key", f"rules.{code}", key, code)
        elif table[key] not in allowed:
            self.add("policy_bad_choice", f"rules.{code}", key, code,
                     value=_shown(table[key]), choices=_choices(allowed))  # fmt: skip

    # ---- periods

    def periods(self, code: str, raw: object, period_end: object) -> tuple[Period, ...]:
        """Check the [[rules.<code>.values]] array: dates, order, overlaps, values."""
        if not isinstance(raw, list) or not raw:
            self.add("policy_no_periods", f"rules.{code}", "values", code)
            return ()
        found = []
        for index, item in enumerate(raw, 1):
            if not isinstance(item, dict):
                self.add("policy_not_table", "", f"rules.{code}.values[{index}]", code)
            elif (period := self.period(code, index, item, period_end)) is not None:
                found.append((index, period))
        self.overlaps(code, found)
        return tuple(p for _, p in sorted(found, key=lambda item: item[1].start))

    def period(
        self, code: str, index: int, item: Mapping[str, object], period_end: object
    ) -> Period | None:
        """One period: its dates and values (typed for the rule's computation when the
        period is configured and sound); None when the dates are unusable."""
        before = len(self.problems)
        table = f"rules.{code}.values[{index}]"
        bounds = [self.date(code, index, item, key) for key in ("from", "to")]
        source = item.get("source")
        if "source" in item and (not isinstance(source, str) or not source.strip()):
            self.add("policy_bad_text", table, "source", code)
        values = {}
        for key, value in item.items():
            if key in PERIOD_KEYS:
                continue
            if key not in VALUE_KEYS:
                self.add("policy_unknown_value", table, key, code, index=index,
                         choices=_choices(sorted(VALUE_KEYS)))  # fmt: skip
                continue
            values[key] = self.value(code, table, key, value)
        self.required(code, index, values)
        start, end = bounds
        if start is None or end is None:
            return None
        params = {"index": index, "start": start, "end": end}
        if start > end:
            self.add("policy_from_after_to", table, "from", code, **params)
            return None
        if _is_date(period_end) and end > period_end:
            self.add("policy_after_end", table, "to", code, period_end=period_end, **params)
        configured = any(key in CONFIGURING_KEYS for key in values)
        typed = (
            typed_values(code, values)
            if configured and code in VALUES_TYPES and len(self.problems) == before
            else None
        )
        return Period(
            start, end, MappingProxyType(values), source if isinstance(source, str) else None,
            typed,
        )  # fmt: skip

    def date(self, code: str, index: int, item: Mapping[str, object], key: str) -> date | None:
        """``from`` / ``to`` of a period: a TOML local date, not text nor a date-time."""
        table = f"rules.{code}.values[{index}]"
        if key not in item:
            self.add("policy_missing_date", table, key, code, index=index)
            return None
        value = item[key]
        if not _is_date(value):
            self.add("policy_bad_date", table, key, code, value=_shown(value))
            return None
        return value

    def overlaps(self, code: str, found: list[tuple[int, Period]]) -> None:
        """Report each period that starts before an earlier-starting one has ended."""
        latest: tuple[int, Period] | None = None  # the period ending last so far
        for index, period in sorted(found, key=lambda item: item[1].start):
            if latest is not None and period.start <= latest[1].end:
                other, before = latest
                self.add("policy_overlap", f"rules.{code}.values[{index}]", "from", code,
                         index=index, start=period.start, end=period.end, other=other,
                         other_start=before.start, other_end=before.end)  # fmt: skip
            if latest is None or period.end > latest[1].end:
                latest = (index, period)

    def required(self, code: str, index: int, values: Mapping[str, object]) -> None:
        """A configured period must hold every value its computation reads, no amount beyond
        what one payment line can be, and at least one condition that is not switched off."""
        if not any(key in CONFIGURING_KEYS for key in values):
            return
        table = f"rules.{code}.values[{index}]"
        for key, value in values.items():
            if key in AMOUNT_KEYS and isinstance(value, Decimal) and value > MAX_LINE_YUAN:
                self.add("policy_absurd_amount", table, key, code, value=value, limit=MAX_LINE_YUAN)
        limits = [k for k in values if k in COUNT_KEYS and k.startswith("min_")]
        if limits and all(values[k] == 0 for k in limits) and "categories" not in values:
            self.add("policy_no_conditions", table, limits[0], code, index=index,
                     keys="、".join(limits))  # fmt: skip
        for key in REQUIRED_WHEN_CONFIGURED.get(code, ()):
            if key not in values:
                self.add("policy_required_value", f"rules.{code}.values[{index}]", key, code,
                         index=index)  # fmt: skip

    # ---- yearly targets

    def targets(self, data: Mapping[str, object], period_end: object) -> dict[str, Target]:
        """Check the optional [targets.*] tables; return the targets that are sound."""
        raw = data.get("targets")
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.add("policy_not_table", "", "targets")
            return {}
        built = {}
        for code, table in raw.items():
            where = f"targets.{code}"
            if code not in TARGET_CODES:
                self.add("policy_unknown_target", where, None, code,
                         choices=_choices(TARGET_CODES))  # fmt: skip
            elif (target := self.target(code, table, period_end)) is not None:
                built[code] = target
        return built

    def target(self, code: str, table: object, period_end: object) -> Target | None:
        """One [targets.<code>] table: name, source, and its dated periods."""
        before = len(self.problems)
        where = f"targets.{code}"
        if not isinstance(table, dict):
            self.add("policy_not_table", "", where, code)
            return None
        for key in table:
            if key not in TARGET_KEYS:
                self.add("policy_unknown_target_key", where, key, code,
                         choices=_choices(TARGET_KEYS))  # fmt: skip
        for key in ("name", "source"):
            value = table.get(key)
            if not isinstance(value, str) or not value.strip():
                self.add("policy_target_text", where, key, code)
        raw = table.get("values")
        if not isinstance(raw, list) or not raw or not all(isinstance(i, dict) for i in raw):
            self.add("policy_target_no_periods", where, "values", code)
            return None
        periods = [self.target_period(code, i, item, period_end) for i, item in enumerate(raw, 1)]
        found = sorted((p for p in periods if p is not None), key=lambda p: p.start)
        for earlier, later in itertools.pairwise(found):
            if later.start <= earlier.end:
                self.add("policy_target_overlap", where, "values", code,
                         start=later.start, other_end=earlier.end)  # fmt: skip
        if len(self.problems) > before:
            return None
        return Target(code, str(table["name"]), str(table["source"]), tuple(found))

    def target_period(
        self, code: str, index: int, item: Mapping[str, object], period_end: object
    ) -> TargetPeriod | None:
        """One period of a target: from/to dates, a whole-number target, an employers list."""
        table = f"targets.{code}.values[{index}]"
        for key in item:
            if key not in TARGET_VALUE_KEYS:
                self.add("policy_unknown_target_key", table, key, code,
                         choices=_choices(TARGET_VALUE_KEYS))  # fmt: skip
        bounds = []
        for key in ("from", "to"):
            value = item.get(key)
            if key not in item:
                self.add("policy_target_missing_date", table, key, code, index=index)
            elif not _is_date(value):
                self.add("policy_target_bad_date", table, key, code, value=_shown(value))
            bounds.append(value if _is_date(value) else None)
        number = item.get("target")
        if "target" not in item:
            self.add("policy_target_missing", table, "target", code)
        elif isinstance(number, bool) or not isinstance(number, int) or number <= 0:
            self.add("policy_target_number", table, "target", code, value=_shown(number))
        employers: tuple[str, ...] | None = None
        if "employers" in item:
            issue, params, converted = _convert_names(item["employers"])
            if issue:
                self.add(issue, table, "employers", code, **params)
            else:
                employers = converted  # type: ignore[assignment]
        source = item.get("source")
        if "source" in item and (not isinstance(source, str) or not source.strip()):
            self.add("policy_target_bad_text", table, "source", code)
        start, end = bounds
        if start is None or end is None or not isinstance(number, int) or number <= 0:
            return None
        if start > end:
            self.add("policy_target_from_after_to", table, "from", code, index=index, start=start,
                     end=end)  # fmt: skip
            return None
        if _is_date(period_end) and end > period_end:
            self.add("policy_target_after_end", table, "to", code, period_end=period_end, index=index,
                     start=start, end=end)  # fmt: skip
        return TargetPeriod(
            start, end, number, employers, source if isinstance(source, str) else None
        )

    # ---- values

    def value(self, code: str, table: str, key: str, value: object) -> object:
        """Check and convert one value: amounts → Decimal, counts → int, lists → tuple."""
        issue, params, converted = _convert(key, value)
        if issue:
            self.add(issue, table, key, code, **params)
        return converted


def _is_date(value: object) -> TypeGuard[date]:
    """A TOML local date (tomllib gives datetime for date-times: those are refused)."""
    return isinstance(value, date) and not isinstance(value, datetime)


# Counts that only take some values: yulu pays once a school year or once a semester.
COUNT_CHOICES: dict[str, tuple[int, ...]] = {"installments": (1, 2)}


def _convert(key: str, value: object) -> tuple[str, dict[str, object], object]:
    """(problem code or '', its params, converted value) for value ``key``."""
    if key in AMOUNT_KEYS or key in CAP_KEYS:
        return _convert_amount(value)
    if key in RATE_TABLE_KEYS:
        return _convert_rate_table(value)
    if key in COUNT_KEYS:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        if ok and key in COUNT_CHOICES and value not in COUNT_CHOICES[key]:
            choices = _choices(map(str, COUNT_CHOICES[key]))
            return "policy_bad_choice", {"value": _shown(value), "choices": choices}, value
        return ("", {}, value) if ok else ("policy_bad_count", {"value": _shown(value)}, value)
    if key == "insurance_types":
        return _convert_words(value)
    if key == "key_employers":
        return _convert_names(value)
    if key in LIST_KEYS:
        return _convert_categories(value)
    if key in DATE_KEYS:
        return (
            ("", {}, value)
            if _is_date(value)
            else ("policy_bad_date", {"value": _shown(value)}, value)
        )
    if key in BOOL_KEYS:
        ok = isinstance(value, bool)
        return ("", {}, value) if ok else ("policy_bad_bool", {"value": _shown(value)}, value)
    if key == "employer_scope" and not (
        isinstance(value, str) and (value == "any" or re.fullmatch(r"\d{6}", value))
    ):
        return "policy_bad_region", {"value": _shown(value)}, value
    return _convert_text(key, value)


def _convert_amount(value: object) -> tuple[str, dict[str, object], object]:
    """An amount in yuan: int or decimal string, finite, ≥ 0, at most 2 decimals."""
    params: dict[str, object] = {"value": _shown(value)}
    if isinstance(value, float):
        return "policy_float_amount", {"value": repr(value)}, value
    if isinstance(value, bool) or not isinstance(value, int | str):
        return "policy_bad_amount", params, value
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
        yuan_to_fen(amount)
    except (InvalidOperation, ValueError):
        return "policy_bad_amount", params, value
    if amount < 0:
        return "policy_negative_amount", params, value
    return "", {}, amount


MAX_PERCENT = Decimal(100)


def _convert_rate_table(value: object) -> tuple[str, dict[str, object], object]:
    """A dated rate table: a non-empty list of {from = <date>, percent = "<decimal>"} (only
    those keys), dates strictly increasing, each percent a decimal string above 0 and below
    100 (a TOML float is refused: not exact).  Converted to a tuple of ``LprRate``."""
    keys = "/".join(RATE_TABLE_ENTRY_KEYS)
    if not isinstance(value, list) or not value:
        return "policy_bad_table", {"keys": keys}, value
    lines: list[LprRate] = []
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict) or set(item) != set(RATE_TABLE_ENTRY_KEYS):
            return "policy_bad_table", {"keys": keys}, value
        start, percent = item["from"], item["percent"]
        if not _is_date(start):
            return "policy_table_date", {"number": number, "value": _shown(start)}, value
        try:
            rate = Decimal(percent.strip()) if isinstance(percent, str) else None
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or not (0 < rate < MAX_PERCENT):
            return "policy_table_rate", {"number": number, "value": _shown(percent)}, value
        if lines and start <= lines[-1].start:
            return "policy_table_order", {"number": number, "value": start.isoformat(),
                                          "before": lines[-1].start.isoformat()}, value  # fmt: skip
        lines.append(LprRate(start, rate))
    return "", {}, tuple(lines)


def _convert_categories(value: object) -> tuple[str, dict[str, object], object]:
    """A non-empty list of roster categories (as normalised in the roster)."""
    choices = _choices(CATEGORY_CHOICES)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return "policy_bad_categories", {"choices": choices}, value
    unknown = [v for v in value if v not in CATEGORY_CHOICES]
    if unknown:
        return "policy_unknown_category", {"value": unknown[0], "choices": choices}, value
    return "", {}, tuple(value)


def _convert_words(value: object) -> tuple[str, dict[str, object], object]:
    """A non-empty list of non-empty words (insurance types: 养老, 医疗, 失业 …)."""
    if not isinstance(value, list) or not value:
        return "policy_bad_text", {}, value
    if not all(isinstance(v, str) and v.strip() for v in value):
        return "policy_bad_text", {}, value
    return "", {}, tuple(v.strip() for v in value)


def _convert_names(value: object) -> tuple[str, dict[str, object], object]:
    """A list (possibly empty) of employers: credit codes, names, or 'code name'."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "policy_bad_list", {}, value
    return "", {}, tuple(v.strip() for v in value)


def _convert_text(key: str, value: object) -> tuple[str, dict[str, object], object]:
    """A text value, from a closed set when the key has one."""
    allowed = TEXT_CHOICES[key]
    if not isinstance(value, str) or not value.strip():
        return "policy_bad_text", {}, value
    if allowed is not None and value not in allowed:
        return "policy_bad_choice", {"value": _shown(value), "choices": _choices(allowed)}, value
    return "", {}, value


def _syntax_problem(exc: tomllib.TOMLDecodeError) -> PolicyProblem:
    """A TOML syntax error as a problem, with tomllib's line and column."""
    message = str(exc)
    position = _SYNTAX_POSITION.search(message)
    line, column = (int(position[1]), int(position[2])) if position else (None, None)
    detail = _SYNTAX_POSITION.sub("", message)
    if line is None:  # tomllib: "(at end of document)"
        detail = re.sub(r"\s*\(at end of document\)", "", detail)
        zh, en = _render("policy_syntax_end", "", None, {"detail": detail})
        return PolicyProblem(None, None, zh, None, "policy_syntax", en)
    zh, en = _render("policy_syntax", "", None, {"line": line, "column": column, "detail": detail})
    return PolicyProblem(None, None, zh, line, "policy_syntax", en)


def examine(raw: bytes) -> tuple[list[PolicyProblem], dict[str, object], dict[str, Rule]]:
    """Parse and check file bytes: (problems, meta, the rules without problems)."""
    problems, meta, rules, _ = examine_all(raw)
    return problems, meta, rules


def examine_all(
    raw: bytes,
) -> tuple[list[PolicyProblem], dict[str, object], dict[str, Rule], dict[str, Target]]:
    """Parse and check file bytes: (problems, meta, the sound rules, the sound targets)."""
    try:
        text = raw.decode("utf-8-sig")  # a BOM from Notepad is harmless
    except UnicodeDecodeError:
        zh, en = _render("policy_encoding", "", None, {})
        return [PolicyProblem(None, None, zh, None, "policy_encoding", en)], {}, {}, {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [_syntax_problem(exc)], {}, {}, {}
    checker = _Checker(text)
    checker.top(data)
    meta = checker.meta(data)
    rules = checker.rules(data, meta.get("period_end"))
    targets = checker.targets(data, meta.get("period_end"))
    return checker.problems, meta, rules, targets
