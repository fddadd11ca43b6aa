"""The entry point: invent the month in a fixed order, lay it out and write the folder.

``_build`` fixes the order in which the world, the scenarios, the planted problems and
the ordinary records are invented, so one seed fixes every value; ``make_sample`` writes
the files with ``planted.json`` and ``README.md`` beside them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fengdu_cli.policy.load import DEMO_NAME, demo_policy_text
from fengdu_cli.sample.layouts import _lay_out, _Layout
from fengdu_cli.sample.planted import (
    SampleManifest,
    _is_scenario,
    _place_scenarios,
    _plant_problems,
    manifest_json,
)
from fengdu_cli.sample.programs import program_lists
from fengdu_cli.sample.readme import readme
from fengdu_cli.sample.world import (
    _make_workshop_employees,
    _ordinary_records,
    _outsider_records,
    _populate,
    _World,
)
from fengdu_cli.sample.write import _write


def make_sample(out_dir: Path, month: int = 202406, seed: int = 2024) -> SampleManifest:
    """Write a whole month folder under ``out_dir`` and return what was planted where.

    Writes rosters/, employment/, insurance/, workshops/, businesses/, plus ``planted.json``
    (this manifest), ``README.md`` and the demo policy (``policy-demo.toml``, amounts
    invented for the demo) at the top. Existing files of the same names are
    replaced; nothing else in ``out_dir`` is touched.
    """
    world = _build(month, seed)
    outputs, planted = _lay_out(world)
    listed = program_lists(_Layout(world))
    outputs += [item.output for item in listed]
    out_dir.mkdir(parents=True, exist_ok=True)
    created = dt.datetime.combine(dt.date(month // 100, month % 100, 28), dt.time(9, 0))
    for output in outputs:
        _write(output, out_dir, created)
    (out_dir / DEMO_NAME).write_text(demo_policy_text(), encoding="utf-8")
    files = sorted([o.path for o in outputs] + ["README.md", "planted.json", DEMO_NAME])
    order = {"roster": 0, "scenario": 1, "employment": 2, "insurance": 3}
    planted.sort(key=lambda p: (order.get(p.kind, 9), p.file, p.sheet, p.row, p.column, p.code))
    manifest = SampleManifest(
        month, tuple(planted), sum(p.on_roster for p in world.people), tuple(files)
    )
    lists = [f"- `{item.output.path}` — {item.readme}" for item in listed]
    (out_dir / "README.md").write_text(readme(manifest, lists), encoding="utf-8")
    (out_dir / "planted.json").write_text(manifest_json(manifest), encoding="utf-8")
    return manifest


def _build(month: int, seed: int) -> _World:
    """Invent the whole month in a fixed order (so the seed fixes every value)."""
    w = _World(month, seed)
    _populate(w)
    _place_scenarios(w)
    _plant_problems(w)
    for p in list(w.people):
        if not _is_scenario(p):
            _ordinary_records(w, p)
    _outsider_records(w)
    _make_workshop_employees(w)
    return w
