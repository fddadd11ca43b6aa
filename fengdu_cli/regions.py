"""Where a job is: in the county, elsewhere in Chongqing, in Shandong or outside Chongqing.

DESIGN §6: a work region with 丰都 in it is in the county; 重庆 otherwise is in Chongqing;
山东 is Shandong (also outside Chongqing).  Townships and export systems also write a
district or county of Chongqing without the city (渝北区), a province or a city
elsewhere (广东东莞, 宁波), or a plain word (本县, 市内, 省外): those are known variants
of the same classes.  A text that names no known place (不详, 外地, a typo) is not
guessed: its class is ``unknown``, and the reader reports it.
"""

from __future__ import annotations

import re

from fengdu_cli.cells import text_value

REGION_CLASSES = ("county", "chongqing", "outside", "shandong", "unknown")

# The 38 districts and counties of Chongqing (and the areas named like them), without
# their suffix; 江北 also names a district of 宁波, so that one needs its suffix.
CHONGQING_PLACES = (
    "万州", "涪陵", "渝中", "大渡口", "江北区", "沙坪坝", "九龙坡", "南岸区", "北碚", "綦江",
    "大足", "渝北", "巴南", "黔江", "长寿区", "江津", "合川", "永川", "南川", "璧山", "铜梁",
    "潼南", "荣昌", "开州", "开县", "梁平", "武隆", "城口", "垫江", "忠县", "云阳", "奉节",
    "巫山", "巫溪", "石柱", "秀山", "酉阳", "彭水", "两江新区", "万盛",
)  # fmt: skip
SHANDONG_PLACES = (
    "山东", "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海",
    "日照", "临沂", "德州", "聊城", "滨州", "菏泽",
)  # fmt: skip
# Provinces, regions and the cities people from Fengdu most often go to work in.
OUTSIDE_PLACES = (
    "北京", "天津", "上海", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
    "深圳", "广州", "东莞", "佛山", "中山", "惠州", "珠海", "江门", "杭州", "宁波", "温州",
    "金华", "义乌", "嘉兴", "绍兴", "台州", "湖州", "苏州", "无锡", "常州", "南京", "昆山",
    "南通", "扬州", "厦门", "泉州", "福州", "晋江", "成都", "绵阳", "达州", "广安", "南充",
    "贵阳", "遵义", "昆明", "武汉", "宜昌", "长沙", "西安", "郑州", "合肥", "南昌", "兰州",
    "银川", "西宁", "呼和浩特", "乌鲁木齐", "拉萨", "哈尔滨", "长春", "沈阳", "大连",
    "石家庄", "太原", "南宁", "海口", "三亚",
    "国外", "境外", "海外", "出国", "省外", "外省", "出省", "市外", "跨省",
)  # fmt: skip
COUNTY_WORDS = (
    "丰都",
    "县内",
    "本县",
    "县城",
    "本地",
    "本镇",
    "本乡",
    "本村",
    "就近",
    "乡内",
    "镇内",
)
CHONGQING_WORDS = ("重庆", "市内", "本市", "县外市内", "市内县外", "渝")
# Written where the place is not known: never a class of its own.
UNKNOWN_WORDS = ("不详", "未知", "待定", "待核实", "无", "/", "-", "—", "暂无", "不清楚")


def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


_SHANDONG, _OUTSIDE, _CHONGQING = (
    _any_of(SHANDONG_PLACES),
    _any_of(OUTSIDE_PLACES),
    _any_of(CHONGQING_PLACES),
)
_COUNTY_WORD, _CHONGQING_WORD = _any_of(COUNTY_WORDS), _any_of(CHONGQING_WORDS)
# Words that place a job *outside* a place: 重庆市外 is outside Chongqing, 丰都县外 is not
# in the county (and, on its own, not yet anywhere).
_NOT_CHONGQING = re.compile(
    r"出重庆|离开重庆|重庆市?(?:以外|之外|外)|(?<!县)(?<!区)市外|省外|外省|出省|跨省|国外|境外|海外|出国"
)
_NOT_COUNTY = re.compile(r"出丰都|非丰都|离开丰都|丰都县?(?:以外|之外|外)|县外|区外|[)）]外")
# Where the county's name or 重庆 is written, it decides (DESIGN §6); otherwise the place
# named first decides (an address runs from the larger place to the smaller: 宁波市江北区).
_ELSEWHERE = (
    (_SHANDONG, "shandong"),
    (_OUTSIDE, "outside"),
    (_CHONGQING, "chongqing"),
    (_CHONGQING_WORD, "chongqing"),
)


def _first_named(s: str) -> str:
    found = [(m.start(), i, cls) for i, (p, cls) in enumerate(_ELSEWHERE) if (m := p.search(s))]
    return min(found)[2] if found else "unknown"


def region_class(text: object) -> str:
    """The class of a work region text: county / chongqing / shandong / outside / unknown.

    ``unknown`` for a blank cell and for a text naming no known place (丰都以外 says where a
    job is not, not where it is).
    """
    if not isinstance(text, str):
        return "unknown"
    s = text_value(text)
    if not s or s in UNKNOWN_WORDS:
        return "unknown"
    if _NOT_CHONGQING.search(s):
        return "shandong" if _SHANDONG.search(s) else "outside"
    if _NOT_COUNTY.search(s):
        return _first_named(_NOT_COUNTY.sub("", s).replace("丰都", ""))
    if _COUNTY_WORD.search(s):
        return "county"
    if "重庆" in s:
        return "chongqing"
    return _first_named(s)


def is_known_region(text: object) -> bool:
    """Does ``text`` name a place this module can classify?"""
    return region_class(text) != "unknown"


OUTSIDE_COUNTY = ("chongqing", "outside", "shandong")
