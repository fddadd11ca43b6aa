"""Policy as data (DESIGN §4): the TOML policy file, its checks and the rules in force.

Everything lives in :mod:`fengdu_cli.policy.model`; this package re-exports its API.
"""

from fengdu_cli.policy.model import (
    AMOUNT_KEYS,
    COUNT_KEYS,
    EXPIRED,
    FREQUENCIES,
    IN_FORCE,
    NOT_CONFIGURED,
    NOT_YET,
    PAYEES,
    POLICY_MESSAGES,
    ROUNDINGS,
    RULE_CODES,
    STATUSES,
    Period,
    Policy,
    PolicyError,
    PolicyProblem,
    Rule,
    check_policy,
    load_policy,
    policy_table,
    yuan_to_fen,
)

__all__ = [
    "AMOUNT_KEYS",
    "COUNT_KEYS",
    "EXPIRED",
    "FREQUENCIES",
    "IN_FORCE",
    "NOT_CONFIGURED",
    "NOT_YET",
    "PAYEES",
    "POLICY_MESSAGES",
    "ROUNDINGS",
    "RULE_CODES",
    "STATUSES",
    "Period",
    "Policy",
    "PolicyError",
    "PolicyProblem",
    "Rule",
    "check_policy",
    "load_policy",
    "policy_table",
    "yuan_to_fen",
]
