"""The lifecycle of a list's records, read from dataset.yaml `display.status` (DatasetMeta.status): which stage values
are in force (counted by targets and totals), which are pending (公示/拟认定/征集: shown beside the counts) and which
are withdrawn (撤销: never counted). Generic: no dataset name, field name or stage word is written here; a dataset
that declares no status has every record in force."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .catalog import Dataset, Record


def stage_of(dataset: Dataset, record: Record) -> Any:
    return dataset.info.stage_of(record.values)


def _select(dataset: Dataset, records: Iterable[Record], key: str, keep: bool, default: bool) -> list[Record]:
    status = dataset.info.status
    if not status.field:
        return list(records) if default else []
    values = set(getattr(status, key))
    return [r for r in records if (r.values.get(status.field) in values) == keep]


def in_force(dataset: Dataset, records: Iterable[Record]) -> list[Record]:
    return _select(dataset, records, "in_force", True, True)


def pending(dataset: Dataset, records: Iterable[Record]) -> list[Record]:
    return _select(dataset, records, "pending", True, False)


def not_withdrawn(dataset: Dataset, records: Iterable[Record]) -> list[Record]:
    return _select(dataset, records, "withdrawn", False, True)
