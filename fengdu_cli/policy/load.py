"""Reading a policy file (the bundled one, or the clerk's) and refusing one with problems."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from fengdu_cli.errors import InputError
from fengdu_cli.policy.check import PolicyProblem, examine, examine_all
from fengdu_cli.policy.schema import RULE_CODES, Policy

BUNDLED = "data/policy.toml"
# The demo's policy: the bundled one with every amount the notice leaves to other documents
# filled in with an invented value, so the sample month shows every sheet.  Never for paying.
DEMO = "data/policy-demo.toml"
DEMO_NAME = "policy-demo.toml"  # its copy in a sample folder


def demo_policy_text() -> str:
    """The text of the demo policy file (a sample folder gets a copy of it)."""
    return resources.files("fengdu_cli").joinpath(DEMO).read_text(encoding="utf-8")


class PolicyError(InputError):
    """The policy file cannot be used (missing, unreadable or with problems): exit 3."""


def _read(path: Path | None) -> tuple[bytes, str]:
    """The bytes of the policy file and the path to show; the bundled file for None."""
    if path is None:
        resource = resources.files("fengdu_cli").joinpath(BUNDLED)
        return resource.read_bytes(), str(resource)
    path = Path(path)
    if not path.exists():
        raise PolicyError("policy_missing", path=str(path))
    try:
        return path.read_bytes(), str(path)
    except OSError as exc:
        raise PolicyError("policy_unreadable", path=str(path), detail=exc.strerror or exc) from exc


def check_policy(path: Path) -> list[PolicyProblem]:
    """Every problem of the policy file at ``path`` (empty list: the file can be used).

    A missing or unreadable file is one problem rather than an exception, so that
    ``fengdu policy check`` reports it like any other.
    """
    try:
        raw, _ = _read(path)
    except PolicyError as exc:
        return [PolicyProblem(None, None, exc.message("zh"), None, exc.key, exc.message("en"))]
    problems, _, _ = examine(raw)
    return problems


def load_policy(path: Path | None = None) -> Policy:
    """Read and check a policy file (None: the bundled one); PolicyError lists every problem."""
    raw, shown = _read(path)
    problems, meta, rules, targets = examine_all(raw)
    if problems:
        raise PolicyError(
            "policy_invalid",
            path=shown,
            count=len(problems),
            problems_zh="\n".join(f"  - {p.message}" for p in problems),
            problems_en="\n".join(f"  - {p.message_en}" for p in problems),
        )
    return Policy(
        path=shown,
        sha256=hashlib.sha256(raw).hexdigest(),
        meta=MappingProxyType(meta),
        rules=MappingProxyType({code: rules[code] for code in RULE_CODES}),
        targets=MappingProxyType(targets),
    )
