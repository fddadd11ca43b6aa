"""Checking a policy file: every problem at once, in Chinese and English, with its line.

``examine`` parses the bytes of a policy file and checks them against :mod:`.schema`;
the rules without problems come back built (amounts as ``Decimal``, counts as ``int``,
lists as tuples).  Nothing here reads a file: see :mod:`.load`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from fengdu_cli.messages import CATALOGUE
from fengdu_cli.normalise import CATEGORY_CHOICES
from fengdu_cli.policy.schema import (
    AMOUNT_KEYS,
    BOOL_KEYS,
    COUNT_KEYS,
    DATE_KEYS,
    FREQUENCIES,
    LIST_KEYS,
    META_KEYS,
    PAYEES,
    PERIOD_KEYS,
    REQUIRED_WHEN_CONFIGURED,
    ROUNDINGS,
    RULE_CODES,
    RULE_FREQUENCY,
    RULE_KEYS,
    TEXT_CHOICES,
    TOP_KEYS,
    VALUE_KEYS,
    VALUES_TYPES,
    Period,
    Rule,
    typed_values,
    yuan_to_fen,
)

MAX_LINE_YUAN = Decimal(1_000_000)  # no subsidy of the notice pays more on one line

POLICY_MESSAGES: dict[str, dict[str, str]] = {
    # ---- raised by load_policy (exit 3) ----
    "policy_missing": {
        "zh": "找不到政策文件：{path}",
        "en": "No such policy file: {path}",
    },
    "policy_invalid": {
        "zh": "政策文件 {path} 有 {count} 处问题，不能使用（可先运行 fengdu policy check）：\n{problems_zh}",
        "en": "The policy file {path} has {count} problem(s) and cannot be used "
        "(run fengdu policy check):\n{problems_en}",
    },
    # ---- problems found by check_policy ----
    "policy_location": {"zh": "第 {line} 行，{where}：", "en": "line {line}, {where}: "},
    "policy_where": {"zh": "{where}：", "en": "{where}: "},
    "policy_unreadable": {
        "zh": "无法读取政策文件 {path}（{detail}）",
        "en": "Cannot read the policy file {path} ({detail})",
    },
    "policy_encoding": {
        "zh": "政策文件不是 UTF-8 编码的文本，请用 UTF-8 保存",
        "en": "The policy file is not UTF-8 text; save it as UTF-8",
    },
    "policy_syntax": {
        "zh": "TOML 语法错误（第 {line} 行第 {column} 列）：{detail}。"
        "常见原因：文字没加引号、日期写成了 2021/9/13、缺少等号或括号",
        "en": "TOML syntax error (line {line}, column {column}): {detail}",
    },
    "policy_unknown_top": {
        "zh": "未知的顶层项“{key}”；可用：{choices}",
        "en": "Unknown top-level item '{key}'; allowed: {choices}",
    },
    "policy_not_table": {
        "zh": "缺少“{key}”表，或它不是一个表",
        "en": "'{key}' is missing or is not a table",
    },
    "policy_unknown_meta": {
        "zh": "meta 中有未知的项“{key}”；可用：{choices}",
        "en": "Unknown item '{key}' in meta; allowed: {choices}",
    },
    "policy_missing_meta": {
        "zh": "meta 中缺少“{key}”",
        "en": "meta lacks '{key}'",
    },
    "policy_unknown_rule": {
        "zh": "未知的补贴代码“{rule}”；有效代码：{choices}",
        "en": "Unknown rule code '{rule}'; valid codes: {choices}",
    },
    "policy_missing_rule": {
        "zh": "缺少补贴“{rule}”的 rules.{rule}：每个代码都要有一节（金额未定的也要写名称、依据和期间）",
        "en": "rules.{rule} is missing: every rule code needs a table "
        "(name, source and period even when the amount is not set)",
    },
    "policy_unknown_key": {
        "zh": "补贴“{rule}”中未知的项“{key}”；可用：{choices}",
        "en": "Unknown item '{key}' in rule '{rule}'; allowed: {choices}",
    },
    "policy_missing_key": {
        "zh": "补贴“{rule}”缺少“{key}”",
        "en": "Rule '{rule}' lacks '{key}'",
    },
    "policy_bad_text": {
        "zh": "补贴“{rule}”的“{key}”应为非空文字（加引号）",
        "en": "'{key}' of rule '{rule}' must be non-empty text (quoted)",
    },
    "policy_bad_choice": {
        "zh": "补贴“{rule}”的“{key}” = {value} 不在可选范围内；可选：{choices}",
        "en": "'{key}' = {value} of rule '{rule}' is not allowed; choose one of: {choices}",
    },
    "policy_no_periods": {
        "zh": "补贴“{rule}”没有执行期间（rules.{rule}.values）",
        "en": "Rule '{rule}' has no period (rules.{rule}.values)",
    },
    "policy_missing_date": {
        "zh": "补贴“{rule}”第 {index} 个期间缺少“{key}”（TOML 日期，如 2021-09-13）",
        "en": "Period {index} of rule '{rule}' lacks '{key}' (a TOML date such as 2021-09-13)",
    },
    "policy_bad_date": {
        "zh": "“{key}” = {value} 不是 TOML 日期：请写成 2021-09-13（不加引号、不带时间）",
        "en": "'{key}' = {value} is not a TOML date: write 2021-09-13 (no quotes, no time)",
    },
    "policy_from_after_to": {
        "zh": "补贴“{rule}”第 {index} 个期间的开始 from = {start} 晚于结束 to = {end}",
        "en": "Period {index} of rule '{rule}' starts ({start}) after it ends ({end})",
    },
    "policy_overlap": {
        "zh": "补贴“{rule}”第 {index} 个期间（{start} 至 {end}）与第 {other} 个期间"
        "（{other_start} 至 {other_end}）重叠：同一天只能适用一套标准",
        "en": "Period {index} of rule '{rule}' ({start} to {end}) overlaps period {other} "
        "({other_start} to {other_end}): one day can have one set of values only",
    },
    "policy_after_end": {
        "zh": "补贴“{rule}”第 {index} 个期间截止 {end}，晚于政策执行期限 meta.period_end = "
        "{period_end}；延期请同时修改 period_end",
        "en": "Period {index} of rule '{rule}' ends {end}, after the policy's period_end "
        "{period_end}; to extend, change period_end too",
    },
    "policy_unknown_value": {
        "zh": "补贴“{rule}”第 {index} 个期间中未知的项“{key}”；可用：{choices}",
        "en": "Unknown item '{key}' in period {index} of rule '{rule}'; allowed: {choices}",
    },
    "policy_float_amount": {
        "zh": "金额“{key}” = {value} 写成了小数（浮点数不精确）：请写整数，或加引号写成 “{value}”",
        "en": "Amount '{key}' = {value} is a float (not exact): write an integer, "
        'or a quoted string "{value}"',
    },
    "policy_bad_amount": {
        "zh": "金额“{key}” = {value} 无效：应为整数或数字字符串，以元为单位，最多两位小数",
        "en": "Amount '{key}' = {value} is invalid: an integer or a number string in yuan, "
        "at most 2 decimals",
    },
    "policy_negative_amount": {
        "zh": "金额“{key}” = {value} 为负数",
        "en": "Amount '{key}' = {value} is negative",
    },
    "policy_bad_count": {
        "zh": "“{key}” = {value} 应为不小于 0 的整数",
        "en": "'{key}' = {value} must be a whole number, 0 or more",
    },
    "policy_bad_categories": {
        "zh": '“{key}” 应为非空的文字列表，如 ["脱贫人口"]；可选：{choices}',
        "en": "'{key}' must be a non-empty list of text, e.g. [\"脱贫人口\"]; allowed: {choices}",
    },
    "policy_unknown_category": {
        "zh": "“{key}” 中的人员类别“{value}”不是花名册的类别；可选：{choices}",
        "en": "Category '{value}' in '{key}' is not a roster category; allowed: {choices}",
    },
    "policy_fixed_frequency": {
        "zh": "补贴“{rule}”的频次 frequency = {value} 不能改：该补贴按通知是 {fixed}"
        "（once 每人一次 / yearly 每年一次 / monthly 按月），台账按此记录已发放的，改了会重复发放",
        "en": "The frequency of rule '{rule}' cannot be {value}: the notice makes it {fixed}, "
        "and the ledger records what was paid by it; changing it would pay again",
    },
    "policy_absurd_amount": {
        "zh": "金额“{key}” = {value} 超过 {limit} 元：通知中没有哪项补贴一笔能发这么多，请检查是否多写了位数",
        "en": "Amount '{key}' = {value} is above {limit} yuan: no subsidy of the notice pays "
        "that much on one line; check the digits",
    },
    "policy_no_conditions": {
        "zh": "补贴“{rule}”第 {index} 个期间的条件（{keys}）全部为 0：等于对所有人发放，不能使用",
        "en": "Every condition of period {index} of rule '{rule}' ({keys}) is 0: that pays "
        "everyone, and cannot be used",
    },
    "policy_bad_bool": {
        "zh": "“{key}” = {value} 应为 true 或 false（不加引号）",
        "en": "'{key}' = {value} must be true or false (no quotes)",
    },
    "policy_bad_region": {
        "zh": '“{key}” = {value} 应为 6 位行政区划代码（如 "500230"）或 "any"',
        "en": '\'{key}\' = {value} must be a 6-digit region code (e.g. "500230") or "any"',
    },
    "policy_required_value": {
        "zh": "补贴“{rule}”第 {index} 个期间已填写金额，但缺少计算需要的“{key}”",
        "en": "Period {index} of rule '{rule}' has an amount but lacks '{key}', "
        "which the computation needs",
    },
}
CATALOGUE.update(POLICY_MESSAGES)

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
        prefix = CATALOGUE[prefix_key][lang].format(line=line, where=where) if where else ""
        out.append(prefix + CATALOGUE[code][lang].format(**params))
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
        configured = any(key in AMOUNT_KEYS for key in values)
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
        if not any(key in AMOUNT_KEYS for key in values):
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

    # ---- values

    def value(self, code: str, table: str, key: str, value: object) -> object:
        """Check and convert one value: amounts → Decimal, counts → int, lists → tuple."""
        issue, params, converted = _convert(key, value)
        if issue:
            self.add(issue, table, key, code, **params)
        return converted


def _is_date(value: object) -> bool:
    """A TOML local date (tomllib gives datetime for date-times: those are refused)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def _convert(key: str, value: object) -> tuple[str, dict[str, object], object]:
    """(problem code or '', its params, converted value) for value ``key``."""
    if key in AMOUNT_KEYS:
        return _convert_amount(value)
    if key in COUNT_KEYS:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return ("", {}, value) if ok else ("policy_bad_count", {"value": _shown(value)}, value)
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


def _convert_categories(value: object) -> tuple[str, dict[str, object], object]:
    """A non-empty list of roster categories (as normalised in the roster)."""
    choices = _choices(CATEGORY_CHOICES)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return "policy_bad_categories", {"choices": choices}, value
    unknown = [v for v in value if v not in CATEGORY_CHOICES]
    if unknown:
        return "policy_unknown_category", {"value": unknown[0], "choices": choices}, value
    return "", {}, tuple(value)


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
    zh, en = _render("policy_syntax", "", None, {"line": line, "column": column, "detail": detail})
    return PolicyProblem(None, None, zh, line, "policy_syntax", en)


def examine(raw: bytes) -> tuple[list[PolicyProblem], dict[str, object], dict[str, Rule]]:
    """Parse and check file bytes: (problems, meta, the rules without problems)."""
    try:
        text = raw.decode("utf-8-sig")  # a BOM from Notepad is harmless
    except UnicodeDecodeError:
        zh, en = _render("policy_encoding", "", None, {})
        return [PolicyProblem(None, None, zh, None, "policy_encoding", en)], {}, {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [_syntax_problem(exc)], {}, {}
    checker = _Checker(text)
    checker.top(data)
    meta = checker.meta(data)
    rules = checker.rules(data, meta.get("period_end"))
    return checker.problems, meta, rules
