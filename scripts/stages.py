"""The lifecycle of a list's records, read from dataset.yaml `display.status`: which stage values are in force
(counted by targets and totals), which are pending (公示/拟认定/征集: shown beside the counts) and which are
withdrawn (撤销: never counted). Generic: no dataset name or stage word is written here."""

from __future__ import annotations

from .model import Dataset, Record

_FALLBACK_WITHDRAWN = ("撤销",)


def spec(dataset: Dataset) -> dict:
    """{field, in_force, pending, withdrawn} from display.status; without one: the `status` field, 撤销 withdrawn."""
    declared = (dataset.meta.get("display") or {}).get("status")
    if declared:
        return {"field": declared["field"], "in_force": list(declared["in_force"]),
                "pending": list(declared.get("pending") or []), "withdrawn": list(declared.get("withdrawn") or [])}
    field = "status" if dataset.field("status") else None
    enum = ((dataset.field("status") or {}).get("constraints") or {}).get("enum") or []
    return {"field": field, "in_force": [v for v in enum if v not in _FALLBACK_WITHDRAWN], "pending": [],
            "withdrawn": list(_FALLBACK_WITHDRAWN)}


def stage_of(dataset: Dataset, record: Record):
    field = spec(dataset)["field"]
    return record.values.get(field) if field else None


def in_force(dataset: Dataset, records) -> list[Record]:
    s = spec(dataset)
    if not s["field"]:
        return list(records)
    wanted = set(s["in_force"])
    return [r for r in records if r.values.get(s["field"]) in wanted]


def pending(dataset: Dataset, records) -> list[Record]:
    s = spec(dataset)
    if not s["field"]:
        return []
    wanted = set(s["pending"])
    return [r for r in records if r.values.get(s["field"]) in wanted]


def not_withdrawn(dataset: Dataset, records) -> list[Record]:
    s = spec(dataset)
    if not s["field"]:
        return list(records)
    gone = set(s["withdrawn"])
    return [r for r in records if r.values.get(s["field"]) not in gone]
