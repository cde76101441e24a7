"""Names beside codes in the downloads: a reader of `district = 330402` also gets `district_name = 南湖区` and
`district_name_en = Nanhu District`, right after the code column.

For each foreign-key field into a registry (districts, industries, award types, list kinds, departments …):
`<field>_name` when the registry has a `name` field, `<field>_name_en` when it has `name_en` (industries, award
types and scene types use the Chinese name as their id, so they get the English name only). A list field gets
the list of names, with the same delimiter. A derived column never replaces a schema field: when the schema
already has a field of that name, the derived one is left out. The data package declares the derived columns
(x-derived-from names the code field), so `frictionless validate` checks them like any other column.

Layouts: 1 = schema fields only (the releases recorded before names were added: they stay byte for byte);
2 = names beside codes and XLSX money columns with thousands separators. New builds and new releases use 2.
"""

from __future__ import annotations

from ..model.catalog import Catalog, Dataset
from .formats import Table, header_label

LAYOUT = 2
SUFFIXES = (("name", "名称", "name"), ("name_en", "英文名称", "English name"))


def table(catalog: Catalog, dataset: Dataset, layout: int = LAYOUT) -> Table:
    """The columns a download of `dataset` carries in `layout`."""
    if layout < 2:
        return Table(dataset, dataset.fields)
    registries = {d.name: d for d in catalog.registry()}
    taken = set(dataset.field_names)
    fields, derived = [], {}
    for f in dataset.fields:
        fields.append(f)
        registry = registries.get(_reference(dataset).get(f["name"], ""))
        if registry is None:
            continue
        for suffix, zh, en in SUFFIXES:
            column = f"{f['name']}_{suffix}"
            if column in taken or not registry.field(suffix):
                continue
            taken.add(column)
            names = {str(r.values.get("id")): str(r.values[suffix]) for r in registry.records
                     if r.values.get(suffix) not in (None, "")}
            derived[column] = (f["name"], names)
            fields.append(_field(f, column, zh, en, registry.name, suffix))
    money = frozenset(m for m in dataset.info.money if dataset.field(m))
    return Table(dataset, fields, derived, money)


def derived_headers(dataset: Dataset) -> set[str]:
    """Every header a download may give a derived name column of this dataset (field name, bilingual CSV title,
    XLSX two-line title), for any foreign-key field: the importer drops these columns when a download comes back."""
    out = set()
    for f in dataset.fields:
        if f["name"] not in _reference(dataset):
            continue
        for suffix, zh, en in SUFFIXES:
            column = f"{f['name']}_{suffix}"
            if dataset.field(column):
                continue
            d = _field(f, column, zh, en, "", suffix)
            out |= {column, header_label(d), f"{d['title']}\n{d['x-label-en']}"}
    return out


def _reference(dataset: Dataset) -> dict[str, str]:
    """field name -> referenced resource (single-field foreign keys)."""
    out = {}
    for fk in dataset.schema.get("foreignKeys") or []:
        fields = fk.get("fields")
        fields = [fields] if isinstance(fields, str) else fields or []
        if len(fields) == 1:
            out[fields[0]] = fk["reference"]["resource"]
    return out


def _field(code: dict, column: str, zh: str, en: str, registry: str, suffix: str) -> dict:
    title = code.get("title") or code["name"]
    label = code.get("x-label-en") or code["name"]
    out = {"name": column, "title": f"{title}{zh}", "x-label-en": f"{label} ({en})",
           "description": (f"{en.capitalize()} of `{code['name']}` in registry {registry} (field {suffix}); "
                           f"added to the downloads beside the code, not part of the source data."),
           "type": "list" if code.get("type") == "list" else "string", "x-derived-from": code["name"]}
    if code.get("type") == "list":
        out["delimiter"] = code.get("delimiter", ",")
    return out
