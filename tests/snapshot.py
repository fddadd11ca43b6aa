"""Golden files under tests/snapshots/; ``FENGDU_REGEN=1 make test`` rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOTS = Path(__file__).parent / "snapshots"


def regenerating() -> bool:
    return os.environ.get("FENGDU_REGEN") == "1"


def assert_snapshot(name: str, actual: str, root: Path = SNAPSHOTS) -> None:
    path = root / name
    if regenerating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run FENGDU_REGEN=1 make test and review it"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"
