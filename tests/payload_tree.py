"""A data tree with an attack payload in every free-text field and every URL field of every dataset, registry
table and dataset.yaml, generated from the schemas so a field added later is covered without editing a fixture.

Which fields: every field of type string or list that has no pattern, enum or x-checks other than http_url, is not
a primary key, not the target of any foreign key and not named by a counts_from rule (those must keep their exact
values for the data to stay valid). URL fields (x-checks: http_url, and publisher/licence/sources paths) get a
URL-shaped payload that passes the one URL allowlist: payloads validation rightly rejects (javascript: URLs, formula
starts in records, markup in URLs) are proven rejected by the invalid fixtures instead. dataset.yaml text starts with a formula (=cmd|…): no
check applies to metadata text, so the downloads must neutralise it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml
from conftest import make_tree

MARK = "__pwned"
PARTS = ["<img src=x onerror=window.__pwned=1><script>window.__pwned=1</script>",
         "\"><svg onload=window.__pwned=1>)[y](javascript:window.__pwned=1)",
         "[x](javascript:window.__pwned=1){: onclick=\"window.__pwned=1\"} {{ 7*7 }}{% raw %}",
         "x =cmd|' /C calc'!A0 <a href=javascript:window.__pwned=1>a</a> '><iframe src=javascript:1>"]
TEXT = "示例 " + " ".join(PARTS)  # every kind at once, where the field's maxLength allows
URL = ("https://x.org/?q=%22%3E%3Cimg%20src=x%20onerror=window.__pwned=1%3E&u=javascript:window.__pwned=1"
       "#%3Csvg%20onload=window.__pwned=1%3E")
META_TEXT = "=cmd|' /C calc'!A0 " + TEXT


def payload_fields(dataset, referenced: set[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(text fields, URL fields) of a dataset that can carry a payload and stay valid."""
    keys = set(dataset.schema.get("primaryKey") or [])
    foreign = {f for fk in dataset.schema.get("foreignKeys") or [] for f in fk["fields"]}
    for rule in dataset.info.rules:  # a target's list, stages, filter and scope name values of another table
        if rule.get("rule") == "counts_from":
            foreign |= {*(rule.get("stages") or []), *(rule.get(k) for k in ("dataset", "where", "values", "scope"))}
    text, urls = [], []
    for f in dataset.fields:
        name, checks = f["name"], set(f.get("x-checks") or [])
        constraints = f.get("constraints") or {}
        if "http_url" in checks:
            urls.append(name)
        elif (f.get("type", "string") in ("string", "list") and not checks and not {"pattern", "enum"} & set(constraints)
              and name not in keys | foreign and (dataset.name, name) not in referenced
              ):
            text.append(name)
    return text, urls


def make_payload_tree(dest: Path) -> Path:
    from scripts.load.loader import load_catalog

    data = make_tree(dest)
    catalog, _problems = load_catalog(data)
    referenced = {(fk["reference"]["resource"], f) for d in catalog.datasets.values()
                  for fk in d.schema.get("foreignKeys") or [] for f in fk["reference"]["fields"]}
    for dataset in catalog.datasets.values():
        text, urls = payload_fields(dataset, referenced)
        for path in sorted({Path(r.path) for r in dataset.records}):
            path = path if path.is_absolute() else Path.cwd() / path
            if dataset.info.format == "csv":
                _rewrite_csv(path, dataset, text, urls)
            else:
                _rewrite_yaml(path, dataset, text, urls)
        _rewrite_meta(dataset.directory / "dataset.yaml")
    _alias_companies(catalog)
    return data


def _alias_companies(catalog) -> None:
    """Each payload company name becomes an alias of the registered company it replaced: the record keeps that
    company's credit code, which validation would otherwise rightly call another company's."""
    registry = catalog.role("companies")
    if registry is None or not COMPANIES:
        return
    name_f, alias_f = registry.info.company_name, "aliases"
    for path in sorted({Path(r.path) for r in registry.records}):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        header = rows[0]
        if alias_f not in header:
            return
        n, a = header.index(name_f), header.index(alias_f)
        for row in rows[1:]:
            if row[n] in COMPANIES:
                row[a] = ";".join([x for x in row[a].split(";") if x] + [COMPANIES[row[n]]])
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


def _payload(dataset, name: str, row: int) -> str:
    """TEXT when it fits the field's maxLength, else one payload kind, a different one on each row; numbered by row
    where it fits, so names and aliases of different rows stay different (two registry rows with one name are one
    company twice, which validation refuses)."""
    limit = (dataset.field(name).get("constraints") or {}).get("maxLength")
    value = TEXT if not limit or len(TEXT) <= limit else PARTS[(row + dataset.field_names.index(name)) % len(PARTS)][:limit]
    numbered = f"{value} {row}"
    return numbered if not limit or len(numbered) <= limit else value


def _value(dataset, name: str, text: list[str], urls: list[str], old, row: int):
    if old in (None, "", []):
        return old
    if name in urls:
        return URL
    if name in text:
        value = _payload(dataset, name, row)
        return [value] if dataset.field(name).get("type") == "list" else value
    return old


COMPANIES: dict[str, str] = {}  # company name -> its payload: the same company keeps one name in every list


def _company_payload(dataset, name: str, old: str) -> str:
    """Company names tie records together (an award and the recognition it pays for): equal names get equal
    payloads, different names different ones."""
    if old not in COMPANIES:
        part = PARTS[len(COMPANIES) % len(PARTS)]
        COMPANIES[old] = f"{part} {len(COMPANIES)}"
    limit = (dataset.field(name).get("constraints") or {}).get("maxLength") or 10**6
    return COMPANIES[old][-limit:]


def _rewrite_csv(path: Path, dataset, text, urls) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    company = dataset.info.company_name
    for number, row in enumerate(rows[1:]):
        for i, name in enumerate(header):
            if row[i] and (name in urls or name in text):
                row[i] = URL if name in urls else _company_payload(dataset, name, row[i]) if name == company \
                    else _payload(dataset, name, number)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _rewrite_yaml(path: Path, dataset, text, urls) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    row = sum(map(ord, path.name))
    doc = {k: _value(dataset, k, text, urls, v, row) for k, v in doc.items()}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")


def _rewrite_meta(path: Path) -> None:
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("title", "title_en", "description", "description_en"):
        meta[key] = META_TEXT
    for key in ("name", "name_en"):
        if key in meta["publisher"]:
            meta["publisher"][key] = META_TEXT
    meta["publisher"]["path"] = URL
    meta["licence"].update({"name": META_TEXT, "title": META_TEXT, "path": URL})
    meta["sources"] = [{**s, "title": META_TEXT, "path": URL} for s in meta["sources"]]
    path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")
