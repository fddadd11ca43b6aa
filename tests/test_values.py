"""Value spellings: categories as facts, labour, work status, employment type, work region."""

from __future__ import annotations

import pandas as pd
import pytest

from fengdu_cli.normalise import (
    EMPLOYMENT_TYPE,
    LABOR,
    WORK_STATUS,
    category_facts,
    normalise,
)
from fengdu_cli.regions import region_class
from fengdu_cli.rules.facts import is_in_categories
from tests.conftest import AS_OF
from tests.makers import valid_id

TUOPIN, MONITORED = "脱贫人口", "监测对象"


@pytest.mark.parametrize(
    ("typed", "facts"),
    [
        ("脱贫户", (TUOPIN,)),
        ("已脱贫人口", (TUOPIN,)),
        ("监测户", (MONITORED,)),
        ("边缘易致贫户", (MONITORED, "边缘易致贫户")),
        ("脱贫不稳定户", (TUOPIN, MONITORED, "脱贫不稳定户")),  # both facts (DESIGN §6)
        ("突发严重困难户", (MONITORED, "突发严重困难户")),
        ("农村低收入人口", ("农村低收入人口",)),
        ("脱贫户、监测户", (TUOPIN, MONITORED)),
        ("脱贫户（边缘易致贫户）", (TUOPIN, MONITORED, "边缘易致贫户")),
        ("脱贫户/农村低收入人口", (TUOPIN, "农村低收入人口")),
        ("一般户", ()),  # known, and in none of the policy's groups
        ("贫困边缘", None),  # not understood: never a silent "other"
        ("脱贫户、某某户", None),
        ("", None),
    ],
)
def test_category_facts(typed, facts):
    assert category_facts(typed) == facts


def test_a_columns_toml_spelling_maps_onto_a_known_one():
    assert category_facts("脱贫监测户", {"脱贫监测户": "脱贫不稳定户"}) == (
        TUOPIN,
        MONITORED,
        "脱贫不稳定户",
    )


def _roster(categories: list[str]) -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "name": [f"测试{i}" for i in range(len(categories))],
            "id_number": [valid_id(i + 1) for i in range(len(categories))],
            "category": categories,
            "_file": "x.xlsx",
            "_sheet": "",
            "_row": range(2, 2 + len(categories)),
            "_title": "",
        }
    )
    return normalise(raw, "roster", AS_OF)


def test_an_unstable_household_counts_for_rules_of_either_group():
    frame = _roster(["脱贫不稳定户", "边缘易致贫户", "脱贫户", "一般户", "", "乱写"])
    assert list(is_in_categories(frame, [TUOPIN])) == [True, False, True, False, False, False]
    assert list(is_in_categories(frame, [MONITORED])) == [True, True, False, False, False, False]
    assert list(frame["category"]) == [
        "脱贫人口、监测对象",
        "监测对象",
        "脱贫人口",
        "一般户",
        "",
        "乱写",
    ]
    assert list(frame["category_detail"]) == ["脱贫不稳定户", "边缘易致贫户", "", "", "", ""]


@pytest.mark.parametrize(
    ("typed", "known"),
    [("半劳力", "弱劳动力或半劳动力"), ("弱劳动力、半劳动力", "弱劳动力或半劳动力"),
     ("丧失劳动能力", "丧失劳动力"), ("普通劳力", "普通劳动力")],
)  # fmt: skip
def test_labour_variants(typed, known):
    assert LABOR[typed] == known


@pytest.mark.parametrize(
    ("typed", "known"),
    [("省外务工", "市外务工"), ("公益岗", "公益性岗位"), ("待业", "未务工"), ("学生", "在校生"),
     ("外出打工", "外出务工")],
)  # fmt: skip
def test_work_status_variants(typed, known):
    assert WORK_STATUS[typed] == known


@pytest.mark.parametrize(("typed", "known"), [("全日制用工", "全日制"), ("小时工", "非全日制")])
def test_employment_type_variants(typed, known):
    assert EMPLOYMENT_TYPE[typed] == known


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("重庆市丰都县", "county"),
        ("丰都县三合街道", "county"),
        ("本县", "county"),
        ("县内", "county"),
        ("重庆市渝北区", "chongqing"),
        ("渝北区", "chongqing"),  # a district of Chongqing without the city
        ("江北区", "chongqing"),
        ("宁波市江北区", "outside"),  # 江北 of Ningbo
        ("市内县外", "chongqing"),
        ("山东省济南市", "shandong"),
        ("青岛", "shandong"),
        ("广东东莞", "outside"),
        ("深圳", "outside"),
        ("省外", "outside"),
        ("新疆", "outside"),
        ("", "unknown"),
        ("不详", "unknown"),
        ("外地", "unknown"),  # names no place: not guessed
    ],
)
def test_region_class(text, region):
    assert region_class(text) == region


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("重庆市外", "outside"),
        ("重庆以外（广东）", "outside"),
        ("重庆市以外", "outside"),
        ("出重庆", "outside"),
        ("市外", "outside"),
        ("丰都县外", "unknown"),  # not in the county, but not yet anywhere
        ("丰都以外", "unknown"),
        ("出丰都", "unknown"),
        ("非丰都", "unknown"),
        ("丰都县外重庆市内", "chongqing"),
        ("县外市内", "chongqing"),
        ("区（县）外市内", "chongqing"),
        ("县外（山东）", "shandong"),
        ("渝中区中山四路", "chongqing"),  # 中山 is a street here, not the city
        ("广东中山", "outside"),
        ("重庆市外（山东济南）", "shandong"),
    ],
)
def test_region_words_that_say_outside(text, region):
    assert region_class(text) == region
