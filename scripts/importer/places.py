"""Places are exact or refused: a printed place becomes a district code only by its exact name, alias or code.

Province-wide lists name places all over Zhejiang ("丽水经开区", "义乌市", "温州"). Looking for a registered name
inside the text would turn 丽水经开区 into 嘉兴经开区 (its alias 经开区 is inside) and count a company in Lishui as
Jiaxing's. So, for a place that is not an exact entry:
- it names a city of the registry outside the home city (丽水, 温州 …) or a Zhejiang county (义乌 → 金华市):
  that city's code, said in the report as outside the home city;
- it contains an entry of the home city (南湖高新区 ⊃ 南湖): refused — an error with the entry as the hint, never
  written (the clerk adds an alias to the registry or corrects the cell);
- it reads like a place (…省/市/县/区) and names nothing registered: outside, kept as printed for the companies list.
The home city is the registry's city that has districts under it (嘉兴市 330400 in the shipped registry).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.catalog import Catalog, Dataset
from ..model.vocab import normalise

# Zhejiang's county-level divisions outside Jiaxing, by prefecture code (GB/T 2260; names without 区/县/市)
ZHEJIANG_COUNTIES = {
    "330100": "上城 拱墅 西湖 滨江 萧山 余杭 临平 钱塘 富阳 临安 桐庐 淳安 建德",
    "330200": "海曙 江北 北仑 镇海 鄞州 奉化 象山 宁海 余姚 慈溪",
    "330300": "鹿城 龙湾 瓯海 洞头 永嘉 平阳 苍南 文成 泰顺 瑞安 乐清 龙港",
    "330500": "吴兴 南浔 德清 长兴 安吉",
    "330600": "越城 柯桥 上虞 新昌 诸暨 嵊州",
    "330700": "婺城 金东 武义 浦江 磐安 兰溪 义乌 东阳 永康",
    "330800": "柯城 衢江 常山 开化 龙游 江山",
    "330900": "定海 普陀 岱山 嵊泗",
    "331000": "椒江 黄岩 路桥 三门 天台 仙居 温岭 临海 玉环",
    "331100": "莲都 青田 缙云 遂昌 松阳 云和 庆元 景宁 龙泉",
}


@dataclass(frozen=True)
class Place:
    code: str | None  # the district code to write (None: outside, not in the registry)
    city: str | None = None  # outside the home city: the city as the companies registry keeps it
    near: str | None = None  # refused: the home-city entry the text contains (the hint)


def names(record) -> list[str]:
    aliases = record.values.get("aliases") or []
    return [str(n) for n in [record.values.get("name"), *(aliases if isinstance(aliases, list) else str(aliases).split(";"))] if n]


def home(registry: Dataset) -> set[str]:
    """The codes of the home city and everything under it (parents followed up the registry)."""
    parent = {str(r.values.get(registry.key)): str(r.values.get("parent") or "") for r in registry.records}
    cities = {p for p in parent.values() if p in parent}  # an entry that other entries sit under
    def root(code: str) -> str:
        seen = set()
        while parent.get(code) in parent and code not in seen:
            seen.add(code)
            code = parent[code]
        return code
    return {code for code in parent if root(code) in cities}


def place(catalog: Catalog, table: str, text: str) -> Place | None:
    """What a printed place that is not an exact registry entry means (None: nothing known — left to validation)."""
    registry = catalog.datasets.get(table)
    if registry is None:
        return None
    norm = normalise(text)
    inside = home(registry)
    by_code = {str(r.values.get(registry.key)): r for r in registry.records}
    longest = lambda found: max(found, key=lambda f: f[0])[1] if found else None  # noqa: E731
    outside = longest([(len(n), code) for code, r in by_code.items() if code not in inside
                       for n in names(r) if len(normalise(n)) >= 2 and normalise(n) in norm])
    county = longest([(len(c), code) for code, line in ZHEJIANG_COUNTIES.items() for c in line.split() if c in norm])
    city = outside or (county if county in by_code and county not in inside else None)
    if city:
        return Place(city, str(by_code[city].values.get("name") or city))
    # 平湖经开区 contains 平湖 (平湖市) and 经开区 (嘉兴经开区): the county with its official code is the better hint
    near = longest([((official(by_code[code]), len(normalise(n))), code) for code in inside
                    for n in names(by_code[code]) + [code] if len(normalise(n)) >= 2 and normalise(n) in norm])
    if near:
        return Place(None, near=near)
    return None


def official(record) -> bool:
    """A division with a GB/T 2260 code (a county, a city), not a functional zone with a project-local id."""
    return str(record.values.get("official")).lower() == "true"


def city_and_province(catalog: Catalog, table: str, code) -> tuple[str | None, str | None]:
    """(city, province) of a district code as the companies registry keeps them: the city the code sits under
    (嘉兴市 for 330402 and JX-ETDZ, 丽水市 for 331100) and, for a Zhejiang city (33xxxx), 浙江省."""
    registry = catalog.datasets.get(table)
    if registry is None or not code:
        return None, None
    by_code = {str(r.values.get(registry.key)): r for r in registry.records}
    code, seen = str(code), set()
    while code in by_code and str(by_code[code].values.get("parent") or "") in by_code and code not in seen:
        seen.add(code)
        code = str(by_code[code].values["parent"])
    if code not in by_code:
        return None, None
    record = by_code[code]
    province = PROVINCES.get(str(record.values.get("parent") or code)[:2])
    return str(record.values.get("name") or "") or None, province


PROVINCES = {"33": "浙江省"}  # the province of a registry city by the first two digits of its GB/T 2260 code


def in_home(catalog: Catalog, table: str, code) -> bool:
    registry = catalog.datasets.get(table)
    return registry is not None and str(code or "") in home(registry)
