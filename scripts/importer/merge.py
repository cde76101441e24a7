"""Imported records merged into the dataset's own files, deterministically.

A row that is already there (same id, or the same year + name + company [+ list kind]) is updated in place: a
公示 list imported again as 认定 changes the stage cell, never adds a second row. New rows get the next ids of
their year (after the last id in use) and are appended to data/<dataset>/<year>.csv, or written one YAML file per
record for YAML datasets. Output: {path: text} of the files to write, and what happened to every row.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..editing.new import scalar
from ..load.record_files import IdsExhausted, NotAPath, next_ids, path_problems, record_path
from ..model.catalog import Dataset, Record
from ..model.vocab import normalise
from .header import Skipped


@dataclass
class Outcome:
    new: list[tuple[int, str]] = field(default_factory=list)  # (source line, id)
    updated: list[tuple[int, str, list[tuple[str, str, str]]]] = field(default_factory=list)  # line, id, changes
    unchanged: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # a row that would move its record back to an earlier stage: line, id, stage now, stage asked, list now, list asked
    backwards: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    # every stage a record enters with this import: (id, from stage or "", to stage, the record's values)
    stage_changes: list[tuple[str, str, str, dict]] = field(default_factory=list)
    # records of the same list (year, kind) left at an earlier stage by a list that moves them on: id, stage, title
    missing: list[tuple[str, str, str]] = field(default_factory=list)
    refused: list[tuple[int, NotAPath | IdsExhausted]] = field(default_factory=list)  # line, why: nothing written
    # a withdrawal (撤销) of a record that is not there: line, the printed title, the closest record (id, title) or None
    unknown_withdrawn: list[tuple[int, str, tuple[str, str] | None]] = field(default_factory=list)


def natural(dataset: Dataset, values: dict) -> tuple | None:
    """What identifies a listed item without an id: year, its name, its company and (when there is one) the list."""
    title = dataset.info.title_field
    company = dataset.info.company_name
    names = [n for n in (dataset.info.year, title, company, "list_kind") if n and n in dataset.field_names]
    if not title or not values.get(title):
        return None
    return tuple(normalise(values.get(n) or "") for n in names)


def cell(f: dict, value) -> str:
    if value is None:
        return ""
    return f.get("delimiter", ",").join(value) if isinstance(value, list) else str(value)


def same(f: dict, a, b) -> bool:
    return cell(f, a) == cell(f, b)


def merge(dataset: Dataset, rows: list[tuple[int, dict]], confirm_back: bool = False,
          own: bool = False) -> tuple[dict[Path, str], Outcome]:
    """The files to write and what happened to every row. A row that would move its record back to an earlier stage
    (认定 → 拟认定) changes nothing and is listed in outcome.backwards, unless `confirm_back`; a withdrawal (撤销) of
    a record that is not there creates nothing and is listed in outcome.unknown_withdrawn, unless the file is the
    site's own download (`own`: every record as it was, withdrawn ones included)."""
    key = dataset.key
    status = dataset.info.status
    outcome = Outcome()
    # every value that becomes part of a file name is checked before anything else: a 年度 cell `../awards/2025`
    # refuses the import (no file is written), it never names another file
    outcome.refused = [(line, bad) for line, values in rows for bad in path_problems(dataset, values, skip=(key,))]
    if outcome.refused:
        return {}, outcome
    by_id = {str(r.values.get(key)): r for r in dataset.records if r.values.get(key)}
    by_natural = {k: r for r in dataset.records if (k := natural(dataset, r.values))}
    touched: dict[str, Record] = {}  # id → existing record with its new values
    fresh: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    for line, values in rows:
        nat = natural(dataset, values)
        if nat and nat in seen:
            outcome.skipped.append(Skipped(line, f"与第 {seen[nat]} 行重复", f"duplicate of row {seen[nat]}"))
            continue
        if nat:
            seen[nat] = line
        existing = by_id.get(str(values.get(key))) if values.get(key) else None
        existing = existing or (by_natural.get(nat) if nat else None)
        if existing is None:
            if not own and status.field and str(values.get(status.field) or "") in status.withdrawn:  # 撤销 adds none
                outcome.unknown_withdrawn.append((line, str(values.get(dataset.info.title_field) or ""),
                                                  closest(dataset, values)))
            else:
                fresh.append((line, values))
            continue
        rid = str(existing.values.get(key))
        merged = dict(touched[rid].values if rid in touched else existing.values)
        old_stage, new_stage = merged.get(status.field) if status.field else None, values.get(status.field or "")
        if status.field and status.moves_back(old_stage, new_stage) and not confirm_back:
            outcome.backwards.append((line, rid, str(old_stage), str(new_stage), _list_name(dataset, merged),
                                      _list_name(dataset, values)))
            continue
        changes = []
        for f in dataset.fields:
            name = f["name"]
            if name == key or values.get(name) is None or same(f, values[name], merged.get(name)):
                continue
            changes.append((name, cell(f, merged.get(name)), cell(f, values[name])))
            merged[name] = values[name]
        if stale_date(dataset, changes, values, merged):  # another list, no date given: the old list's date goes
            changes.append((DATE, cell({}, merged[DATE]), ""))
            merged[DATE] = None
        if changes:
            touched[rid] = Record(existing.path, existing.line, merged)
            outcome.updated.append((line, rid, changes))
            if status.field and new_stage is not None and str(new_stage) != str(old_stage or ""):
                outcome.stage_changes.append((rid, str(old_stage or ""), str(new_stage), merged))
        else:
            outcome.unchanged.append((line, rid))
    # ids: kept when the file brings a free one (a download imported back), else the next after the last one
    taken = set(by_id)
    need: dict[int, int] = {}
    for _line, values in fresh:
        given = values.get(key)
        if given and str(given) not in taken and _fits(dataset, values):
            taken.add(str(given))
        else:
            values[key] = None
            year = _year(dataset, values)
            need[year] = need.get(year, 0) + 1
    pool = {}
    for year, count in need.items():
        try:
            pool[year] = next_ids(_with_ids(dataset, taken), year, count)
        except IdsExhausted as exc:
            outcome.refused.append((min(line for line, v in fresh if _year(dataset, v) == year), exc))
    if outcome.refused:
        return {}, outcome
    for line, values in fresh:
        if not values.get(key):
            values[key] = pool[_year(dataset, values)].pop(0)
        outcome.new.append((line, str(values[key])))
        if status.field and values.get(status.field):
            outcome.stage_changes.append((str(values[key]), "", str(values[status.field]), values))
    outcome.missing = left_behind(dataset, rows, {rid for _l, rid in outcome.new + outcome.unchanged}
                                  | {rid for _l, rid, _c in outcome.updated} | {b[1] for b in outcome.backwards})
    files = render(dataset, touched, [v for _l, v in fresh])
    return files, outcome


def _list_name(dataset: Dataset, values: dict) -> str:
    """How a report names the list a record came from: its title, else its 文号, else its stage."""
    for name in ("list_title", "doc_no"):
        if name in dataset.field_names and values.get(name):
            return str(values[name])
    return str(values.get(dataset.info.status.field or "") or "—")


DATE = "published_on"


def stale_date(dataset: Dataset, changes: list[tuple[str, str, str]], values: dict, merged: dict) -> bool:
    """True when an update moves a record to another list (its title, 文号 or notice link changes) and the import gives
    no publication date: the date the record keeps would be the old list's, beside the new list's title."""
    identity = {"list_title", "doc_no", dataset.info.source or "list_title"}
    return (DATE in dataset.field_names and values.get(DATE) is None and bool(merged.get(DATE))
            and any(name in identity for name, _old, _new in changes))


def closest(dataset: Dataset, values: dict) -> tuple[str, str] | None:
    """(id, title) of the record closest to this row, among the records of the same year and list kind (all records
    of the year when none share the kind): same company first, then the closest title, then the first id; None when
    there is none."""
    title = dataset.info.title_field
    scope = [n for n in (dataset.info.year, "list_kind") if n and n in dataset.field_names]
    pool = []
    for n in range(len(scope), 0, -1):
        pool = [r for r in dataset.records if all(str(r.values.get(k) or "") == str(values.get(k) or "") for k in scope[:n])]
        if pool:
            break
    company = dataset.info.company_name
    printed = normalise(values.get(title) or "")

    def score(record) -> tuple:
        same = bool(company) and normalise(record.values.get(company) or "") == normalise(values.get(company) or "")
        ratio = difflib.SequenceMatcher(None, printed, normalise(record.values.get(title) or "")).ratio()
        return same, ratio
    best = max(sorted(pool, key=lambda r: str(r.values.get(dataset.key))), key=score, default=None)
    return (str(best.values.get(dataset.key)), str(best.values.get(title) or "")) if best is not None else None


def left_behind(dataset: Dataset, rows: list[tuple[int, dict]], listed: set[str]) -> list[tuple[str, str, str]]:
    """Records of the same list (same year and list kind as every imported row) still at an earlier stage than the
    in-force stage this list gives, and not on it: on the 公示 list but missing from the 认定 list. Never changed,
    only reported: a person decides (撤销 notice, a later batch, or a typo in the list)."""
    status = dataset.info.status
    if not status.field or not rows:
        return []
    stages = {str(v.get(status.field) or "") for _l, v in rows}
    if len(stages) != 1 or (stage := stages.pop()) not in status.in_force:
        return []
    scope = [n for n in (dataset.info.year, "list_kind") if n and n in dataset.field_names]
    keys = {tuple(str(v.get(n) or "") for n in scope) for _l, v in rows}
    if len(keys) != 1:
        return []
    key, order = keys.pop(), status.order
    out = []
    for record in dataset.records:
        rid, now = str(record.values.get(dataset.key)), str(record.values.get(status.field) or "")
        if (rid not in listed and tuple(str(record.values.get(n) or "") for n in scope) == key and now in order
                and order.index(now) < order.index(stage)):
            out.append((rid, now, str(record.values.get(dataset.info.title_field) or "")))
    return sorted(out)


def _fits(dataset: Dataset, values: dict) -> bool:
    pattern = (dataset.field_spec(dataset.key).get("constraints") or {}).get("pattern")
    rid = str(values.get(dataset.key))
    year = values.get(dataset.info.year) if dataset.info.year else None
    return (not pattern or re.fullmatch(pattern, rid) is not None) and str(year or "") in rid


def _year(dataset: Dataset, values: dict) -> int:
    return dataset.info.year_of(values) or 0


def _with_ids(dataset: Dataset, ids: set[str]) -> Dataset:
    """The dataset as next_ids sees it, with the ids the import keeps counted as used."""
    key = dataset.key
    extra = [Record("", 0, {key: i}) for i in ids]
    return dataclasses.replace(dataset, records=dataset.records + extra, files=list(dataset.files))


def render(dataset: Dataset, touched: dict[str, Record], fresh: list[dict]) -> dict[Path, str]:
    key = dataset.key
    if dataset.info.format == "yaml":
        out = {}
        for values in [r.values for r in touched.values()] + fresh:
            out[record_path(dataset, values)] = render_yaml(dataset, values)
        return out
    by_file: dict[Path, list[dict]] = {}
    for values in fresh:
        by_file.setdefault(record_path(dataset, values), []).append(values)
    for record in touched.values():
        by_file.setdefault(record_path(dataset, record.values), [])
    out = {}
    for path, new_rows in by_file.items():
        existing = [r for r in dataset.records if Path(r.path).resolve() == path.resolve()] if path.exists() else []
        rows = [touched.get(str(r.values.get(key)), r).values for r in existing] + new_rows
        out[path] = render_csv(dataset, rows, path)
    return out


def render_csv(dataset: Dataset, rows: list[dict], path: Path) -> str:
    old = path.read_bytes().decode("utf-8-sig", "replace") if path.exists() else ""
    bom = path.exists() and path.read_bytes().startswith(b"\xef\xbb\xbf")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if "\r\n" in old else "\n")
    writer.writerow(dataset.field_names)
    for values in rows:
        writer.writerow([cell(f, values.get(f["name"])) for f in dataset.fields])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def render_yaml(dataset: Dataset, values: dict) -> str:
    """One record as the hand-written files look: every field in schema order, empty ones left empty."""
    lines = [f"# {dataset.info.title} / {dataset.info.title_en or dataset.name}: 由 python -m scripts import 导入"
             " / imported by python -m scripts import"]
    for f in dataset.fields:
        name, value = f["name"], values.get(f["name"])
        if f.get("type") == "list" and not value:
            lines.append(f"{name}: []")
        elif value is None:
            lines.append(f"{name}:")
        elif isinstance(value, list):
            lines.append(f"{name}:")
            lines += [f"  - {scalar(item, 'string')}" for item in value]
        elif "\n" in str(value):
            lines.append(f"{name}: |")
            lines += [f"  {part}" if part else "" for part in str(value).split("\n")]
        else:
            lines.append(f"{name}: {scalar(str(value), f.get('type', 'string'))}")
    return "\n".join(lines) + "\n"
