"""The stage-changes registry: one row each time an import puts a record into a stage, so a record's history
(公示 on …, 认定 on …, 撤销 on …, each with the list, 文号 and notice that did it) is data, not lost in git.

Rows are appended, never rewritten: the registry's file is the old text plus the new rows, ids continuing
C-000001, C-000002 … The list-level facts come from the record as the import wrote it (its list title, 文号,
publication date and the field declared as the dataset's source).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..model.catalog import Dataset

_ID = re.compile(r"C-([0-9]{6})")


def next_number(registry: Dataset) -> int:
    numbers = [int(m.group(1)) for r in registry.records if (m := _ID.fullmatch(str(r.values.get(registry.key) or "")))]
    return max(numbers, default=0) + 1


def rows(registry: Dataset, dataset: Dataset, changes: list[tuple[str, str, str, dict]], attachment: str,
         confirmed: bool) -> list[dict]:
    """The new registry rows, in the order the import made the changes."""
    first = next_number(registry)
    source = dataset.info.source
    out = []
    for n, (rid, old, new, values) in enumerate(changes):
        out.append({registry.key: f"C-{first + n:06d}", "dataset": dataset.name, "record_id": rid,
                    "from_stage": old, "to_stage": new, "date": values.get("published_on") or "",
                    "list_title": values.get("list_title") or "", "doc_no": values.get("doc_no") or "",
                    "source_url": (values.get(source) if source else "") or "", "attachment": attachment,
                    "confirmed": "true" if confirmed and old else ""})
    return out


def append(path: Path, registry: Dataset, dataset: Dataset, changes: list[tuple[str, str, str, dict]],
           attachment: str, confirmed: bool) -> str:
    """The registry file's text (at `path`, its one file) with the new rows appended (the header written when the
    file is new or empty)."""
    old = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not old.strip():
        writer.writerow(registry.field_names)
    for row in rows(registry, dataset, changes, attachment, confirmed):
        writer.writerow([str(row.get(name, "") or "") for name in registry.field_names])
    return (old + ("" if not old or old.endswith("\n") else "\n") if old.strip() else "") + buffer.getvalue()
