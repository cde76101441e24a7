"""Names → ids in the registry tables (districts, companies, list kinds, industries …): one lookup for all.

`resolve(catalog, table, text)` tries, in order: the exact id or name; the normalised text (NFKC, no spaces of any
width, （）and () unified, case-folded); an alias (the table's `aliases` list, compared normalised). It returns (id, how) with
how in "exact" | "normalised" | "alias", or (None, None). `closest()` names the nearest entry for a hint when
nothing resolves. Generic: a table's key is its primaryKey; names come from `name` and `aliases` when present.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from .catalog import Catalog, Dataset
from .textrules import ANY_SPACE

ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[)）]|[0-9]+[、.．]|第[一二三四五六七八九十0-9]+[类批部分]?[、：:\s]?)\s*")


def plain(text: str) -> str:
    """NFKC, every kind of space and invisible character removed, full-width brackets folded (NFKC already maps
    （）to ())."""
    folded = unicodedata.normalize("NFKC", str(text))
    return ANY_SPACE.sub("", folded).replace("（", "(").replace("）", ")")


def normalise(text: str) -> str:
    """The key names compare by: plain(), case-folded (`ABC科技` and `abc科技` are one company)."""
    return plain(text).casefold()


class _Index:
    def __init__(self, dataset: Dataset):
        key = dataset.key
        self.exact: dict[str, str] = {}
        self.normal: dict[str, str] = {}
        self.alias: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        for record in dataset.records:
            rid = record.values.get(key)
            if rid is None:
                continue
            rid = str(rid)
            names = [rid] + ([record.values["name"]] if record.values.get("name") else [])
            self.labels[rid] = names[-1]
            for name in names:
                self.exact.setdefault(str(name), rid)
                self.normal.setdefault(normalise(name), rid)
            aliases = record.values.get("aliases") or []
            for alias in aliases if isinstance(aliases, list) else str(aliases).split(";"):
                if alias and alias.strip():
                    self.alias.setdefault(normalise(alias), rid)


_CACHE: dict[int, tuple[Dataset, int, _Index]] = {}


def _index(catalog: Catalog, table: str) -> _Index | None:
    dataset = catalog.datasets.get(table)
    if dataset is None:
        return None
    hit = _CACHE.get(id(dataset))
    if hit is not None and hit[0] is dataset and hit[1] == len(dataset.records):
        return hit[2]
    index = _Index(dataset)
    _CACHE[id(dataset)] = (dataset, len(dataset.records), index)
    return index


def resolve(catalog: Catalog, table: str, text: object) -> tuple[str | None, str | None]:
    """(id, how) for a name as printed in a source list; (None, None) when nothing matches."""
    if text is None or not str(text).strip():
        return None, None
    index = _index(catalog, table)
    if index is None:
        return None, None
    text = str(text)
    if text in index.exact:
        return index.exact[text], "exact"
    norm = normalise(text)
    if norm in index.normal:
        return index.normal[norm], "normalised"
    if norm in index.alias:
        return index.alias[norm], "alias"
    return None, None


def closest(catalog: Catalog, table: str, text: str) -> str | None:
    """The id of the nearest entry (by name, id or alias) for a 'did you mean' hint; None for an empty table."""
    index = _index(catalog, table)
    if index is None or not index.exact:
        return None
    norm = normalise(text)
    candidates = {**{k: v for k, v in index.alias.items()}, **index.normal}
    close = difflib.get_close_matches(norm, list(candidates), n=1, cutoff=0.0)
    if close and difflib.SequenceMatcher(None, norm, close[0]).ratio() > 0:
        return candidates[close[0]]
    # no character in common with any entry: prefer an entry that contains the text, else none
    return next((rid for name, rid in candidates.items() if norm and norm in name), None)


def label(catalog: Catalog, table: str, rid: str) -> str:
    index = _index(catalog, table)
    return index.labels.get(str(rid), str(rid)) if index else str(rid)


def tier_and_kind(catalog: Catalog, text: str | None, tiers: tuple[str, ...] = ("国际", "国内", "省内"),
                  kinds: str | None = None) -> tuple[str | None, str | None]:
    """'一、国际首台（套）' -> ('国际', '首台套装备'); '国内首版次软件' -> ('国内', '首版次软件');
    a tier alone -> (tier, None); a kind alone -> (None, kind); neither -> (None, None)."""
    if text is None:
        return None, None
    kinds = kinds or catalog.role_name("list-kinds")
    body = normalise(ORDINAL.sub("", str(text)))
    tier = next((t for t in tiers if body.startswith(t)), None)
    rest = body[len(tier):] if tier else body
    rest = re.sub(r"^(的|级)", "", rest)
    kind, _how = resolve(catalog, kinds, rest) if rest else (None, None)
    if kind is None and rest:
        for suffix in ("产品", "名单", "目录"):
            if rest.endswith(suffix):
                kind, _how = resolve(catalog, kinds, rest[: -len(suffix)])
                if kind:
                    break
    if tier and not rest:
        return tier, None
    if tier and kind is None:
        return None, None
    return tier, kind
