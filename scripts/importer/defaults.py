"""A sidecar's `defaults: {field: value}`: values for the columns a department does not print (a scene list's type,
lead department, criteria …). A printed cell wins; a field the dataset does not have is refused by name."""

from __future__ import annotations

from pathlib import Path

from ..editing.new import list_named
from ..load.loader import load_catalog


def defaults(settings: dict) -> dict[str, str]:
    """The sidecar's defaults as list-level values (a YAML list becomes the `;` list the list fields use)."""
    return {str(k): ";".join(map(str, v)) if isinstance(v, list) else str(v)
            for k, v in (settings.get("defaults") or {}).items() if v is not None}


def unknown(settings: dict, data: Path, schemas: Path) -> list[str]:
    """Problems in words: each default naming a field the target dataset does not have."""
    if not settings.get("defaults"):
        return []
    dataset = list_named(load_catalog(data, schemas)[0], str(settings.get("dataset")))[0]
    if dataset is None:
        return []  # the import names the unknown dataset itself
    return [f"defaults: 数据集 {dataset.name} 没有字段 / the dataset {dataset.name} has no field {name!r}"
            f"（可用 / known: {', '.join(dataset.field_names)}）"
            for name in settings["defaults"] if name not in dataset.field_names]
