"""Where a record lives and which id it gets: the one place a dataset's `files` template ("{year}.csv",
"{year}/{id}.yaml") is filled in and the next ids of a year are counted.

Every value that becomes part of a path is checked against its pattern before any path is built — the year is four
ASCII digits in a sane range, the id matches the dataset's id pattern, anything else is letters, digits, - and _ (the
characters the loader accepts in file names) — and the path is then confined to the dataset's own folder by
safefs.within. A value from an attachment (a 年度 cell `../awards/2025`) can therefore never name another file.
New ids keep the dataset's id pattern: a year with more records than the pattern can number is an error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..model.catalog import Dataset, Problem
from ..safefs import OutsideTree, within
from .loader import PLACEHOLDER, template_regex

PART = re.compile(r"[A-Za-z0-9_-]+")  # what load.template_regex accepts for one placeholder
YEARS = (1900, 2100)


class NotAPath(OutsideTree):
    """A value the `files` template needs cannot be part of a path: field, value (None = empty), what it must be."""

    def __init__(self, field: str, value: str | None, expect_zh: str, expect_en: str):
        super().__init__(f"{field}: {value!r}")
        self.field, self.value, self.expect_zh, self.expect_en = field, value, expect_zh, expect_en


class IdsExhausted(ValueError):
    """The next id would not match the dataset's id pattern (more records in a year than the pattern can number)."""

    def __init__(self, rid: str, pattern: str, year: int):
        super().__init__(rid)
        self.rid, self.pattern, self.year = rid, pattern, year


def id_pattern(dataset: Dataset) -> str | None:
    pattern = (dataset.field(dataset.key) or {}).get("constraints", {}).get("pattern")
    return pattern if isinstance(pattern, str) else None


def path_problems(dataset: Dataset, values: dict[str, Any], skip: tuple[str, ...] = ()) -> list[NotAPath]:
    """Every value of `values` the dataset's `files` template needs (but those in `skip`, e.g. an id still to be
    given) that cannot be part of a path."""
    out = []
    for name in dict.fromkeys(n for n in PLACEHOLDER.findall(dataset.info.files) if n not in skip):
        value = values.get(name)
        text = None if value is None or value == "" else str(value)
        if name == dataset.info.year:
            ok = text is not None and text.isascii() and re.fullmatch(r"[0-9]{4}", text) is not None \
                and YEARS[0] <= int(text) <= YEARS[1]
            expect = (f"4 位数字的年份（{YEARS[0]}–{YEARS[1]}）", f"a four-digit year ({YEARS[0]}-{YEARS[1]})")
        elif name == dataset.key and (pattern := id_pattern(dataset)):
            ok = text is not None and PART.fullmatch(text) is not None and re.fullmatch(pattern, text) is not None
            expect = (f"符合编号格式 {pattern}", f"an id matching {pattern}")
        else:
            ok = text is not None and PART.fullmatch(text) is not None
            expect = ("只含字母、数字、- 和 _", "letters, digits, - and _ only")
        if not ok:
            out.append(NotAPath(name, text, *expect))
    return out


def record_path(dataset: Dataset, values: dict[str, Any]) -> Path:
    """The file a record belongs in, inside the dataset's folder; NotAPath (an OutsideTree) when a value the
    template needs is not a plain path part."""
    bad = path_problems(dataset, values)
    if bad:
        raise bad[0]
    return within(dataset.directory, PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), dataset.info.files))


def next_ids(dataset: Dataset, year: int, count: int = 1) -> list[str]:
    """The next `count` ids after the highest existing id of that year (files on disk are counted too); IdsExhausted
    when one of them would not match the dataset's id pattern (R-2025-10000 against R-20[0-9]{2}-[0-9]{4})."""
    template = dataset.info.id_template
    assert template is not None  # callers give only datasets with an id_template
    pattern = template_regex(template.replace("{year}", str(year)))
    key = dataset.key
    seen = [str(r.values.get(key)) for r in dataset.records if r.values.get(key)]
    seen += [Path(f).stem for f in dataset.files]  # YAML files that could not be read still hold their id
    numbers = [int(m.group("seq")) for m in map(pattern.match, seen) if m and m.group("seq").isdigit()]
    start = max(numbers, default=0) + 1
    ids = [template.format(year=year, seq=n) for n in range(start, start + count)]
    wanted = id_pattern(dataset)
    for rid in (ids[0], ids[-1]) if ids else ():  # the numbers grow: the first and the last decide
        if wanted and re.fullmatch(wanted, rid) is None:
            raise IdsExhausted(rid, wanted, year)
    return ids


def refusal(exc: NotAPath | IdsExhausted, dataset: Dataset, path: str, line: int = 1) -> Problem:
    """The contributor's message for a refused path value or an exhausted id pattern, named by the field's title."""
    if isinstance(exc, IdsExhausted):
        return Problem.make(path, line, _title(dataset, dataset.key), "ids-exhausted", exc.rid, pattern=exc.pattern,
                            year=exc.year)
    return Problem.make(path, line, _title(dataset, exc.field), "path-value", "" if exc.value is None else exc.value,
                        expect_zh=exc.expect_zh, expect_en=exc.expect_en)


def _title(dataset: Dataset, name: str) -> str:
    return str((dataset.field(name) or {}).get("title") or name)
