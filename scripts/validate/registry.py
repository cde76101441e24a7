"""Validate the companies registry as identities: one row per company. Two rows whose names (or aliases) are equal
after normalising (NFKC, brackets of either width, spaces, case) are one company twice; two rows whose names look
the same (equal confusable skeletons, scripts/model/names.py) are an impersonation or a typo; two rows with one credit code
are one company under two names. Each error names the other row, so both pages never exist side by side."""

from __future__ import annotations

from typing import Any

from ..model import checks, names, vocab
from ..model.catalog import Catalog, Problem


def registry_codes(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """{credit code: (registered name, path:line of its row)} for the registry's valid codes, first row wins."""
    registry = catalog.role("companies")
    owners: dict[str, tuple[str, str]] = {}
    if registry is None or not registry.info.company_name or not registry.info.company_code:
        return owners
    reg_name, reg_code = registry.info.company_name, registry.info.company_code
    for record in registry.records:
        code, name = record.values.get(reg_code), record.values.get(reg_name)
        if isinstance(code, str) and isinstance(name, str) and not checks.credit_code_problem(code) \
                and not checks.is_placeholder(code) and reg_code not in record.flagged:
            owners.setdefault(code, (name, f"{record.path}:{record.line_of(reg_name)}"))
    return owners


def _spellings(values: dict[str, Any], name_f: str) -> list[tuple[str, Any]]:
    """(field, text) for a row's name and each of its aliases."""
    aliases = values.get("aliases") or []
    return [(name_f, values.get(name_f))] + [("aliases", a) for a in (aliases if isinstance(aliases, list) else [aliases])]


def check_company_registry(catalog: Catalog) -> list[Problem]:
    registry = catalog.role("companies")
    name_f, code_f = (registry.info.company_name, registry.info.company_code) if registry else (None, None)
    if not registry or not name_f:
        return []
    problems = []
    folded: dict[str, tuple[int, str, str]] = {}   # normalised spelling -> (row, name, path:line)
    looks: dict[str, tuple[int, str, str]] = {}    # skeleton -> (row, name, path:line)
    owners = registry_codes(catalog)
    for row, record in enumerate(registry.records):
        name = record.values.get(name_f)
        if not isinstance(name, str) or not name.strip() or name_f in record.flagged:
            continue
        at = f"{record.path}:{record.line_of(name_f)}"
        for field, text in _spellings(record.values, name_f):
            if not isinstance(text, str) or not text.strip():
                continue
            key = vocab.normalise(text)
            other = folded.setdefault(key, (row, name, at))
            if other[0] != row:
                problems.append(Problem.make(record.path, record.line_of(field), field, "company-name-duplicate", text,
                                             other_name=other[1], other=other[2]))
                break
            shapes = {names.skeleton(text), names.skeleton(key)}
            alike = next((looks[s] for s in shapes if s in looks and looks[s][0] != row), None)
            if alike is not None:
                differ = [c for c in vocab.plain(text) if c not in vocab.plain(alike[1])]
                problems.append(Problem.make(record.path, record.line_of(field), field, "company-name-confusable", text,
                                             other_name=alike[1], other=alike[2], chars=names.code_points(
                                                 dict.fromkeys(differ)) or "-"))
                break
            for shape in shapes:
                looks.setdefault(shape, (row, name, at))
        code = record.values.get(code_f) if code_f else None
        owner = owners.get(code) if isinstance(code, str) else None
        if owner is not None and owner[0] != name:
            problems.append(Problem.make(record.path, record.line_of(code_f), code_f, "credit-code-of-another-company",
                                         code, **code_owner_params(name, owner, registry_row=True)))
    return problems


def code_owner_params(name: str, owner: tuple[str, str], registry_row: bool = False) -> dict[str, str]:
    """Message parameters for a credit code that is another registered company's."""
    if registry_row:
        fix_zh = f"若是同一家企业，合并两行（“{name}”放入 aliases）；否则按营业执照改正代码"
        fix_en = f"if it is the same company, merge the two rows ({name} into aliases); otherwise correct the code " \
                 "from the business licence"
    else:
        fix_zh = f"按营业执照改正代码；若“{name}”是“{owner[0]}”的曾用名或简称，把它加入 {owner[1]} 那一行的 aliases"
        fix_en = f"correct the code from the business licence; if {name} is a former or short name of {owner[0]}, " \
                 f"add it to the aliases of the row at {owner[1]}"
    return {"name": name, "owner": owner[0], "owner_at": owner[1], "fix_zh": fix_zh, "fix_en": fix_en}
