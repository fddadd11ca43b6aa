"""Which warnings and rules stand on which columns (DESIGN §6: ``missing_column``).

A column is *needed* when some warning or rule condition is judged on it.  The facts
come from where they are declared — :data:`fengdu_cli.warnings.WARNING_NEEDS` and each
rule's ``CONDITIONS`` — so a new condition cannot forget to say what it needs.
"""

from __future__ import annotations

import functools


@functools.cache
def needed_by() -> dict[tuple[str, str], tuple[str, ...]]:
    """(kind, column) → the warning and rule codes judged on it, in a fixed order."""
    from fengdu_cli.rules import IMPLEMENTED
    from fengdu_cli.warnings import WARNING_NEEDS

    found: dict[tuple[str, str], list[str]] = {}

    def add(need: str, code: str) -> None:
        kind, column = need.split(".")
        codes = found.setdefault((kind, column), [])
        if code not in codes:
            codes.append(code)

    for code, needs in WARNING_NEEDS.items():
        for need in needs:
            add(need, code)
    for code, module in IMPLEMENTED.items():
        for condition in module.CONDITIONS:
            for need in condition.needs:
                add(need, code)
    return {key: tuple(codes) for key, codes in found.items()}


def needed_columns(kind: str) -> frozenset[str]:
    """The columns of ``kind`` that some warning or rule is judged on."""
    return frozenset(column for k, column in needed_by() if k == kind)


def codes_needing(kind: str, column: str) -> tuple[str, ...]:
    """The warning and rule codes that cannot judge a person whose ``column`` is unknown."""
    return needed_by().get((kind, column), ())
