"""The bureau's own lists for the programs beyond the core: one module per input kind
(loans/, students/, posts/, agencies/, bases/, training/, travel/, accounts/).

Each module has ``lay(lay: _Layout) -> list[Listed]``: its files, written from people and
records the world already holds.  A list never adds a person, an employment or an
insurance row, and never draws from the world's random generator (it seeds its own with
:func:`rng_for`), so the rosters and exports — and every figure computed from them — stay
exactly as they are without it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from fengdu_cli.sample.layouts import Output, _Layout


@dataclass(frozen=True)
class Listed:
    """One file of a program's list and the line the sample's README says about it."""

    output: Output
    readme: str  # "中文说明 · English description"


def rng_for(lay: _Layout, name: str) -> random.Random:
    """A generator of the list's own, fixed by the sample's seed and the list's name."""
    return random.Random(f"{lay.w.seed}:{name}")


# The modules import Listed and rng_for from here: imported once those are defined.
from fengdu_cli.sample.programs import accounts as _accounts  # noqa: E402
from fengdu_cli.sample.programs import agencies as _agencies  # noqa: E402
from fengdu_cli.sample.programs import bases as _bases  # noqa: E402
from fengdu_cli.sample.programs import loans as _loans  # noqa: E402
from fengdu_cli.sample.programs import posts as _posts  # noqa: E402
from fengdu_cli.sample.programs import students as _students  # noqa: E402
from fengdu_cli.sample.programs import training as _training  # noqa: E402
from fengdu_cli.sample.programs import travel as _travel  # noqa: E402

# One entry per module; each is (name, lay).
LISTS: tuple[tuple[str, Callable[[_Layout], list[Listed]]], ...] = (
    ("loans", _loans.lay),
    ("students", _students.lay),
    ("posts", _posts.lay),
    ("agencies", _agencies.lay),
    ("bases", _bases.lay),
    ("training", _training.lay),
    ("travel", _travel.lay),
    ("accounts", _accounts.lay),
)


def program_lists(lay: _Layout) -> list[Listed]:
    """Every program list of the month, in the order of ``LISTS``."""
    return [listed for _, make in LISTS for listed in make(lay)]
