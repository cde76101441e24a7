"""Validate, across records and files: unique ids, foreign keys (with friendly hints for names, aliases and
full-width spellings) and company names and credit codes against the companies registry."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any

from ..load.loader import template_regex
from ..load.readers import suggest
from ..model import checks, names, textrules, vocab
from ..model.catalog import Catalog, Dataset, Problem, Record
from .registry import code_owner_params, registry_codes


def check_ids(dataset: Dataset) -> list[Problem]:
    if not dataset.schema.get("primaryKey"):
        return []
    key = dataset.key
    problems = []
    seen: dict[str, Record] = {}
    template, year_f = dataset.info.id_template, dataset.info.year
    id_year = template_regex(template.replace("{seq", "{_seq")) if template and "{year}" in template and year_f else None
    for record in dataset.records:
        value = record.values.get(key)
        if value is None:
            continue
        if value in seen:
            other = seen[value]
            problems.append(Problem.make(record.path, record.line_of(key), key, "duplicate-id", value,
                                         other=f"{other.path}:{other.line_of(key)}"))
        else:
            seen[value] = record
        year = record.values.get(year_f) if year_f else None
        if id_year and template and year:
            m = id_year.match(value)
            if m and m.group("year") != year:
                example = template.replace("{year}", str(year)).format(seq=1)
                problems.append(Problem.make(record.path, record.line_of(key), key, "id-year", value, year=year, example=example))
    return problems


def reference_index(catalog: Catalog, resource: str, field: str) -> tuple[set[str], dict[str, str]]:
    """Allowed values of a referenced field, and names/aliases -> id for friendly hints."""
    target = catalog.datasets.get(resource)
    if target is None:
        return set(), {}
    ids = {str(r.values.get(field)) for r in target.records if r.values.get(field) is not None}
    names: dict[str, str] = {}
    for r in target.records:
        for alias_field in ("name", "aliases", "name_en"):
            alias = r.values.get(alias_field)
            for a in (alias if isinstance(alias, list) else [alias]):
                if a:
                    names[a] = str(r.values.get(field))
    return ids, names


def reference_hint(catalog: Catalog, resource: str, item: str, title: str) -> tuple[str, str]:
    """A hint for a value not found in `resource`: the id its spelling resolves to, what it is if it is a tier and list
    kind (省内首台（套） is a recognition, not an award type), or the closest entry."""
    rid, _how = vocab.resolve(catalog, resource, item)
    if rid is not None:
        return f"这里要写编号“{rid}”；", f'write the id "{rid}"; '
    kinds = catalog.role_name("list-kinds")
    if resource != kinds:
        tier, kind = vocab.tier_and_kind(catalog, item)
        if kind is not None:
            shown = "".join(x for x in (tier, vocab.label(catalog, kinds, kind)) if x)
            recognitions = next((d.name for d in catalog.lists() if kinds and d.info.refs(kinds)), "")
            return (f"“{item}”是认定名单的档次和类别（{shown}），不是{title}，请记入 {recognitions}；",
                    f'"{item}" is a recognition tier and list kind ({shown}), not a value of {resource}: record it in {recognitions}; ')
    target = catalog.datasets.get(resource)
    key = target.key if target else "id"
    hint_zh, hint_en, _ = suggest(item, [str(r.values[key]) for r in target.records if r.values.get(key)] if target else [])
    if hint_zh:
        return hint_zh, hint_en
    near = vocab.closest(catalog, resource, item)
    if near is None:
        return "", ""
    name = vocab.label(catalog, resource, near)
    shown = f"{name}（编号 {near}）" if name != near else near
    shown_en = f"{name} (id {near})" if name != near else near
    return f"最接近的是“{shown}”；", f'the closest is "{shown_en}"; '


def check_references(dataset: Dataset, catalog: Catalog, reported: AbstractSet[tuple[int, str]] = frozenset()) -> list[Problem]:
    problems = []
    for fk in dataset.schema.get("foreignKeys", []):
        name = fk["fields"][0]
        resource, target_field = fk["reference"]["resource"], fk["reference"]["fields"][0]
        target = catalog.datasets.get(resource)
        if target is None or target.incomplete:
            continue  # the target could not be read in full (its own errors are reported): don't guess
        ids, names = reference_index(catalog, resource, target_field)
        title = target.info.title
        where = target.files[0] if target and target.files else resource
        for index, record in enumerate(dataset.records):
            value = record.values.get(name)
            if value is None or (index, name) in reported:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item in ids:
                    continue
                folded = checks.ascii_suggestion(item)
                if item in names:
                    hint_zh = f"这里要写编号“{names[item]}”而不是名称；"
                    hint_en = f'write the id "{names[item]}" rather than the name; '
                elif folded in ids:
                    hint_zh = f"含有全角字符，应为半角“{folded}”；"
                    hint_en = f'contains full-width characters, write "{folded}"; '
                else:
                    hint_zh, hint_en = reference_hint(catalog, resource, item, title)
                problems.append(Problem.make(record.path, record.line_of(name), name, "unknown-reference", item,
                                             target_zh=f"“{title}”", target=resource, target_path=where,
                                             suggest_zh=hint_zh, suggest_en=hint_en))
    return problems


def check_companies(catalog: Catalog) -> list[Problem]:
    """Company names resolve through the companies registry, spelled as there (a name not there is a review flag
    naming the closest entry); a credit code must agree with the registry's and must not be another registered
    company's; a code registered in another Jiaxing district, or one unregistered code under two names, is a review
    flag."""
    official = {k for k, v in catalog.rows("districts").items() if v.get("official") == "true"}
    registry = catalog.role("companies")
    reg_name, reg_code = (registry.info.company_name, registry.info.company_code) if registry else (None, None)
    codes = {str(r.values.get(reg_name)): r.values.get(reg_code) for r in registry.records} \
        if registry and reg_name and reg_code else {}
    owners = registry_codes(catalog)
    problems = []
    names: dict[str, tuple[str, str]] = {}
    for dataset in catalog.lists():
        name_f, code_f = dataset.info.company_name, dataset.info.company_code
        if not name_f:
            continue
        for record in dataset.records:
            name = record.values.get(name_f)
            code = record.values.get(code_f) if code_f else None
            if registry is not None and name and name_f not in record.flagged and not checks.is_placeholder(name):
                problems += _registry_problems(catalog, record, name_f, code_f, name, code, codes, owners)
            if not code or not name or checks.credit_code_problem(code) or checks.is_placeholder(code):
                continue
            district = record.values.get(dataset.info.district) if dataset.info.district else None
            division = code[2:8]
            if district in official and division.startswith("3304") and division not in (district, "330400") \
                    and district.startswith("3304"):
                problems.append(Problem.make(record.path, record.line_of(code_f), code_f, "credit-code-district", code,
                                             severity="warning", division=division, district=district))
            where = f"{record.path}:{record.line_of(name_f)}"
            if code not in names:
                names[code] = (name, where)
            elif code not in owners and names[code][0] != name and vocab.resolve(catalog, catalog.role_name("companies"), name)[0] != \
                    vocab.resolve(catalog, catalog.role_name("companies"), names[code][0])[0]:
                problems.append(Problem.make(record.path, record.line_of(name_f), name_f, "company-name-mismatch", name,
                                             severity="warning", other_name=names[code][0], other=names[code][1]))
    return problems


def _registry_problems(catalog: Catalog, record: Record, name_f: str, code_f: str | None, name: str, code: Any,
                       codes: dict[str, Any], owners: dict[str, tuple[str, str]]) -> list[Problem]:
    """A record's company against the registry: its code is another registered company's (an error: the record would
    land on that company's page), its name is unregistered (a flag), spelled otherwise than the registry (an error
    with the registry's spelling) or its code differs from the registry's."""
    table = catalog.role_name("companies")
    registered, how = vocab.resolve(catalog, table, name)
    problems = []
    valid_code = bool(code) and code_f not in record.flagged and not checks.is_placeholder(code) \
        and not checks.credit_code_problem(code)
    owner = owners.get(code) if valid_code else None
    if owner is not None and owner[0] != registered:
        problems.append(Problem.make(record.path, record.line_of(code_f), code_f, "credit-code-of-another-company", code,
                                     **code_owner_params(name, owner)))
    if registered is None:
        near = vocab.closest(catalog, table, name)
        zh, en = (f"最接近的是“{near}”；", f'the closest is "{near}"; ') if near else ("", "")
        return problems + [Problem.make(record.path, record.line_of(name_f), name_f, "company-unregistered", name,
                                        severity="warning", suggest_zh=zh, suggest_en=en)]
    if how == "normalised" and _clean(name):  # a name with odd characters has its own error already
        problems.append(Problem.make(record.path, record.line_of(name_f), name_f, "company-name-spelling", name,
                                     registered=registered))
    known = codes.get(registered)
    if valid_code and owner is None and known and code != known:
        problems.append(Problem.make(record.path, record.line_of(code_f), code_f, "company-code-mismatch", code,
                                     name=registered, registered=known))
    return problems


def _clean(text: str) -> bool:
    """True when the cell checks find nothing in a name (no invisible character, odd space or look-alike ideograph)."""
    return not (textrules.INVISIBLE.search(text) or checks.space_problem(text) or names.name_problem(text))
