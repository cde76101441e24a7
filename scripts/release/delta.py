"""Record-level differences between two catalogues: added, removed and changed records (field by field, old → new).

Shared by `diff` (pull-request review) and the release changelog, so both say the same thing about a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.catalog import Catalog, Dataset


@dataclass
class DatasetDelta:
    name: str
    title: str
    added: list[dict] = field(default_factory=list)      # full records (raw values)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)    # {"id", "title", "changes": [{"field", "old", "new"}]}

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_dict(self) -> dict:
        return {"dataset": self.name, "title": self.title, "added": self.added, "removed": self.removed,
                "changed": self.changed}


def _records(dataset: Dataset | None) -> dict[str, dict]:
    if dataset is None:
        return {}
    key = dataset.info.key
    return {str(r.values.get(key)): {n: r.values.get(n) for n in dataset.field_names} for r in dataset.records}


def compare(old: Catalog | None, new: Catalog) -> list[DatasetDelta]:
    """Deltas for every dataset in either catalogue, in the new catalogue's order (registry first)."""
    names = list(new.datasets) + [n for n in (old.datasets if old else {}) if n not in new.datasets]
    deltas = []
    for name in names:
        before_ds = old.datasets.get(name) if old else None
        after_ds = new.datasets.get(name)
        ref = after_ds or before_ds
        assert ref is not None  # the name is a dataset of one side at least
        before, after = _records(before_ds), _records(after_ds)
        delta = DatasetDelta(name, ref.info.title)
        title_field = ref.info.title_field
        for rid in sorted(after.keys() - before.keys()):
            delta.added.append(after[rid])
        for rid in sorted(before.keys() - after.keys()):
            delta.removed.append(before[rid])
        for rid in sorted(after.keys() & before.keys()):
            a, b = before[rid], after[rid]
            changes = [{"field": f, "old": a.get(f), "new": b.get(f)} for f in ref.field_names if a.get(f) != b.get(f)]
            if changes:
                delta.changed.append({"id": rid, "title": b.get(title_field), "changes": changes})
        deltas.append(delta)
    return deltas
