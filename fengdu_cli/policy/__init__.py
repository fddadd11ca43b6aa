"""Policy as data (DESIGN §4): the TOML policy file, its checks and the rules in force.

The package is split by concern, and re-exports the API of its modules:

- :mod:`.schema` — rule codes, value keys, ``Period`` / ``Rule`` / ``Policy``, and the
  typed values of each implemented rule (``RuleValues`` and its subclasses);
- :mod:`.check` — the checker and its problems (and their message catalogue);
- :mod:`.load` — reading the bundled or a given file, refusing one with problems;
- :mod:`.show` — ``policy_table``, what ``fengdu policy show`` prints.
"""

from fengdu_cli.policy.check import PolicyProblem
from fengdu_cli.policy.load import PolicyError, check_policy, load_policy
from fengdu_cli.policy.schema import (
    AMOUNT_KEYS,
    COUNT_KEYS,
    EXPIRED,
    FREQUENCIES,
    IN_FORCE,
    NOT_CONFIGURED,
    NOT_YET,
    PAYEES,
    ROUNDINGS,
    RULE_CODES,
    STATUSES,
    Period,
    Policy,
    Rule,
    RuleValues,
    ValuesError,
    typed_values,
    yuan_to_fen,
)
from fengdu_cli.policy.show import policy_table

__all__ = [
    "AMOUNT_KEYS",
    "COUNT_KEYS",
    "EXPIRED",
    "FREQUENCIES",
    "IN_FORCE",
    "NOT_CONFIGURED",
    "NOT_YET",
    "PAYEES",
    "ROUNDINGS",
    "RULE_CODES",
    "STATUSES",
    "Period",
    "Policy",
    "PolicyError",
    "PolicyProblem",
    "Rule",
    "RuleValues",
    "ValuesError",
    "check_policy",
    "load_policy",
    "policy_table",
    "typed_values",
    "yuan_to_fen",
]
