"""Stage 1, load: read the data tree (metadata, schemas, CSV and YAML files) into records with line numbers.
This module finds the datasets and checks dataset.yaml and the table schemas; scripts/load/readers.py reads the files.

Nothing here judges the values; it only reports what stops a file from being read faithfully
(encoding, ragged rows, merged lines, YAML hazards, unknown columns) so that no mistake is hidden.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from .. import safefs, yamlsafe
from ..model import checks, units
from ..model.catalog import Catalog, Dataset, Problem
from ..model.roles import FIELD_ROLES
from ..paths import SCHEMAS
from .readers import file_problem, read_csv, read_text, read_yaml_record, suggest

META_NAME = "dataset.yaml"
IGNORED_FILES = {META_NAME} | safefs.ALLOWED_EXTRA
# problems after which some of a file's records are missing: references into its dataset are not judged
INCOMPLETE = {"ragged-row", "multiline-cell", "csv-error", "more-problems", "yaml-syntax", "yaml-not-mapping",
              "yaml-anchor", "yaml-tag", "yaml-too-deep", "yaml-too-large", "yaml-complex-key"}
# bounds on the data tree, checked before any file is read (issue 18 item 8: 200,000 tiny YAML files took 208 s and
# 4.6 GB, one 500 MB CSV over 300 s and 5.3 GB). The 10x fixture (`fixture --scale 10`) has 1,237 files, 16 MB in
# all, the largest 1.6 MB; validating it takes 5 s and 160 MB, and time and memory grow with the bytes read.
MAX_FILES = 10_000             # 8x the 10x fixture's files (9,995 one-record files: 12 s, 130 MB)
MAX_FILE_BYTES = 32_000_000    # 20x its largest file
MAX_TREE_BYTES = 80_000_000    # 5x its total (75 MB of duplicated rows: 47 s, 530 MB)
# formats the meta schemas may use: the standard ones and "http-url", the one URL rule (scripts/model/checks.py)
FORMATS = jsonschema.FormatChecker()
FORMATS.checks("http-url")(lambda value: not isinstance(value, str) or checks.is_http_url(value))


def display_path(path: Path) -> str:
    """Paths as the contributor sees them: relative to the working directory when possible, quoted when the
    name holds control or invisible characters (safefs.shown: the one way every path is printed)."""
    try:
        path = Path(path)  # the folder is resolved, never the entry itself: a link is shown, not its target
        text = str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        text = str(path)
    return safefs.shown(text)


@lru_cache(maxsize=None)
def meta_schema(schemas_dir: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((schemas_dir / "dataset.meta.schema.json").read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=None)
def table_meta_schema() -> dict[str, Any]:
    """The loader's own contract for table schemas (always this repository's copy: release snapshots predate it)."""
    schema: dict[str, Any] = json.loads((SCHEMAS / "table.meta.schema.json").read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=None)
def table_schema(path: Path) -> tuple[dict[str, Any] | None, tuple[Problem, ...]]:
    """A table schema read like contributor data (bounded YAML, no tags or anchors) and checked for the shape
    the loader relies on (schemas/table.meta.schema.json, field names unique, keys naming real fields)."""
    shown = display_path(path)
    text, problem = read_text(path)
    if problem:
        return None, (file_problem(shown, problem),)
    assert text is not None  # read_text gives the text or a problem
    tree, errors = yamlsafe.parse(text)
    problems = [Problem.make(shown, e.line, e.field, e.code, e.value, **e.params) for e in errors]
    if tree is None or not isinstance(tree, yamlsafe.Node) or tree.kind != "map":
        return None, tuple(problems or [Problem.make(shown, 1, "-", "yaml-not-mapping")])
    schema = yamlsafe.to_plain(tree)
    problems += _shape_problems(shown, tree, schema, table_meta_schema(), "schema-invalid")
    if problems:
        return None, tuple(problems)
    names = [f["name"] for f in schema["fields"]]
    used = list(schema.get("primaryKey") or [])
    for fk in schema.get("foreignKeys") or []:
        used += fk["fields"]
    for index, name in enumerate(names):
        if name in names[:index]:
            problems.append(Problem.make(shown, _line_of(tree, ["fields", index]), "fields", "schema-invalid", name,
                                         detail=f"duplicate field {name!r}"))
    for name in used:
        if name not in names:
            problems.append(Problem.make(shown, 1, name, "schema-invalid", name, detail=f"key names no field: {name!r}"))
    for index, f in enumerate(schema["fields"]):
        said = units.title_unit(f.get("title") or "")
        if said and units.field_unit(f) and said != units.field_unit(f):
            problems.append(Problem.make(shown, _line_of(tree, ["fields", index, "title"]), f["name"],
                                         "unit-title-mismatch", f.get("title"), title_unit=said, unit=units.field_unit(f)))
    return (None if problems else schema), tuple(problems)


def _line_of(tree: Any, path: list[str | int]) -> int:
    """The line of the value at path (keys and indexes) in a yamlsafe tree; 1 when unknown."""
    line, node = 1, tree
    for key in path:
        if isinstance(node, yamlsafe.Node) and node.kind == "map" and key in node.value:
            line, node = node.value[key]
        elif isinstance(node, yamlsafe.Node) and node.kind == "seq" and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = getattr(node, "line", line)
        else:
            break
    return line


_VALIDATORS: dict[int, jsonschema.Draft202012Validator] = {}


def _shape_problems(shown: str, tree: Any, value: Any, schema: dict[str, Any], code: str) -> list[Problem]:
    """JSON Schema errors, one per place, at the line the value is written on."""
    validator = _VALIDATORS.get(id(schema))
    if validator is None:  # the schemas are cached (lru_cache), so one validator each
        validator = _VALIDATORS[id(schema)] = jsonschema.Draft202012Validator(
            schema, format_checker=FORMATS)
    problems = []
    for err in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        detail = err.message
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
            path = path + extra[:1]
            detail = f"unknown key {extra[0]!r}" + (f" (+{len(extra) - 1})" if len(extra) > 1 else "") if extra else detail
        if err.validator == "format" and err.validator_value == "http-url":
            found = checks.url_problem(err.instance)
            assert found is not None  # the format check failed on this URL, so url_problem names why
            url_code, params = found
            problems.append(Problem.make(shown, _line_of(tree, path), ".".join(map(str, path)), url_code,
                                         err.instance, **params))
            continue
        reserved = path == ["name"] and err.validator == "not"
        problems.append(Problem.make(shown, _line_of(tree, path), ".".join(map(str, path)) or "-",
                                     "reserved-name" if reserved else code, err.instance if reserved else None,
                                     detail=detail, reserved=", ".join(reserved_names(schema)) if reserved else ""))
    return problems


def reserved_names(meta: dict[str, Any]) -> list[str]:
    """List names the site itself uses for top-level pages and folders (kept in the meta schema only)."""
    return list(meta["then"]["properties"]["name"]["not"]["enum"])


PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def template_regex(template: str) -> re.Pattern[str]:
    """The file path template as a regex; a placeholder used twice must match the same text both times."""
    out, pos, seen = [], 0, set()
    for m in PLACEHOLDER.finditer(template):
        out.append(re.escape(template[pos:m.start()]))
        name = m.group(1)
        out.append(f"(?P={name})" if name in seen else f"(?P<{name}>[A-Za-z0-9_-]+)")
        seen.add(name)
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("^" + "".join(out) + "$")


def template_example(template: str, schema: dict[str, Any]) -> str:
    examples = {f["name"]: str(f.get("example", f["name"])) for f in schema["fields"]}
    return re.sub(r"\{(\w+)(?::[^}]*)?\}", lambda m: examples.get(m.group(1), m.group(1)), template)


def load_catalog(data_dir: Path, schemas_dir: Path = SCHEMAS) -> tuple[Catalog, list[Problem]]:
    """Read every dataset under data_dir: registry tables first, then the lists.

    The tree is walked once without following links; links, special files, unsafe names and files that belong
    to no dataset are reported, never read."""
    data_dir = Path(data_dir)
    catalog = Catalog(data_dir, Path(schemas_dir))
    problems: list[Problem] = []
    files, folders, refused = safefs.walk(data_dir, limit=MAX_FILES)
    bounds = tree_bounds(data_dir, files)
    if bounds:
        return catalog, bounds
    for path, reason in refused:
        problems.append(Problem.make(display_path(path), 1, "-", reason))
    for folder in folders:
        if folder.name == META_NAME:
            problems.append(Problem.make(display_path(folder), 1, "-", "not-a-file"))
    readable = []
    for path in files:
        if safefs.is_plain(path.relative_to(data_dir).as_posix()):
            readable.append(path)
        else:
            problems.append(Problem.make(display_path(path), 1, "-", "unsafe-name"))
    homes = {path.parent for path in readable if path.name == META_NAME}
    owned: dict[Path, list[Path]] = {home: [] for home in homes}
    for path in readable:
        home = next((parent for parent in path.parents if parent in homes), None)
        if home is not None:
            owned[home].append(path)
        elif path.name not in safefs.ALLOWED_EXTRA:
            problems.append(Problem.make(display_path(path), 1, "-", "stray-file"))
    for home in sorted(homes, key=lambda p: (p.parent.name != "registry", str(p / META_NAME))):
        dataset, found = load_dataset(home / META_NAME, Path(schemas_dir))
        problems += found
        if dataset is None:
            continue
        problems += read_records(dataset, owned[home])
        first = catalog.datasets.get(dataset.name)
        if first is None:
            catalog.datasets[dataset.name] = dataset
            continue
        for one, other in ((first, dataset), (dataset, first)):  # both folders named, neither silently dropped
            problems.append(Problem.make(one.meta_path, one.meta_lines.get("name", 1), "name", "duplicate-dataset",
                                         one.name, other=other.meta_path))
        catalog.shadowed.append(dataset)
        first.incomplete = True  # which of the two a reference means is unknown: references to it are not judged
    return catalog, problems


def tree_bounds(data_dir: Path, files: list[Path]) -> list[Problem]:
    """The tree's size against MAX_FILES, MAX_FILE_BYTES and MAX_TREE_BYTES, from the walk and each file's size (no
    byte read): a problem per bound exceeded; any of them means nothing is read."""
    if len(files) > MAX_FILES:
        return [Problem.make(display_path(data_dir), 1, "-", "tree-too-many-files", limit=f"{MAX_FILES:,}")]
    sizes = {}
    for path in files:
        try:
            sizes[path] = path.lstat().st_size
        except OSError:  # gone since the walk: the reader says so
            sizes[path] = 0
    problems = [Problem.make(display_path(path), 1, "-", "file-too-large", size=_mb(size), limit=_mb(MAX_FILE_BYTES))
                for path, size in sizes.items() if size > MAX_FILE_BYTES]
    total = sum(sizes.values())
    if total > MAX_TREE_BYTES:
        largest = max(sizes, key=lambda p: sizes[p])
        problems.append(Problem.make(display_path(data_dir), 1, "-", "tree-too-large", size=_mb(total),
                                     limit=_mb(MAX_TREE_BYTES), largest=f"{display_path(largest)}, {_mb(sizes[largest])}"))
    return problems


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def meta_dicts(data_dir: Path, root: Path) -> dict[str, dict[str, Any]]:
    """dataset folder (relative to root) -> its dataset.yaml as a dict ({} when unreadable), for the quick
    "which datasets do these paths touch" questions; the same safe walk and bounded YAML as load_catalog."""
    out = {}
    files, _folders, _refused = safefs.walk(Path(data_dir))
    for path in files:
        if path.name != META_NAME:
            continue
        text, problem = read_text(path)
        value = yamlsafe.load_plain(text)[0] if text is not None else None
        out[path.parent.relative_to(root).as_posix()] = value if isinstance(value, dict) else {}
    return out


def load_dataset(meta_path: Path, schemas_dir: Path) -> tuple[Dataset | None, list[Problem]]:
    shown = display_path(meta_path)
    text, problem = read_text(meta_path)
    if problem:
        return None, [file_problem(shown, problem)]
    assert text is not None  # read_text gives the text or a problem
    tree, errors = yamlsafe.parse(text)
    problems = [Problem.make(shown, e.line, e.field, e.code, e.value, **e.params) for e in errors]
    if tree is None or not isinstance(tree, yamlsafe.Node) or tree.kind != "map":
        return None, problems or [Problem.make(shown, 1, "-", "yaml-not-mapping")]
    meta = yamlsafe.to_plain(tree)
    found = _shape_problems(shown, tree, meta, meta_schema(schemas_dir), "metadata")
    problems += found
    essential = {"name": str, "group": str, "schema": str, "files": str, "format": str}
    wrong = {p.field.split(".")[0] for p in found} - set(essential)
    meta = {k: v for k, v in meta.items() if k not in wrong}  # reported; later checks see only valid metadata
    if any(not isinstance(meta.get(key), kind) for key, kind in essential.items()):
        return None, problems  # cannot even tell what the data files are: report and skip the dataset
    lines = {key: line for key, (line, _node) in tree.value.items()}
    schema_path = safefs.confined(schemas_dir, meta["schema"])
    if schema_path is None:
        return None, problems + [Problem.make(shown, lines["schema"], "schema", "schema-outside", meta["schema"])]
    if not schema_path.exists():
        return None, problems + [Problem.make(shown, lines["schema"], "schema", "missing-schema", schema=meta["schema"])]
    schema, found_in_schema = table_schema(schema_path)
    problems += found_in_schema
    if schema is None:
        return None, problems
    problems += meta_references(shown, tree, meta, schema)
    if any(p.code == "meta-reference" and p.field == "files" for p in problems):
        return None, problems  # which files hold the data is unknown: reported, the dataset is not read
    if any(p.code == "meta-reference" and p.field == "id_template" for p in problems):
        meta = {k: v for k, v in meta.items() if k != "id_template"}  # reported; the data is still checked
    return Dataset(meta["name"], meta_path.parent, meta, schema, shown, lines), problems


def meta_references(shown: str, tree: Any, meta: dict[str, Any], schema: dict[str, Any]) -> list[Problem]:
    """Every field named in dataset.yaml (files, id_template, title_field, rules, display) is a field of the schema."""
    names = [f["name"] for f in schema["fields"]]
    refs: list[tuple[list[str | int], object]] = [(["files"], n) for n in PLACEHOLDER.findall(meta["files"])]
    refs.append((["title_field"], meta.get("title_field")))  # release snapshots: display.title today
    for index, rule in enumerate(meta.get("rules") or []):
        if isinstance(rule, dict):
            refs += [(["rules", index, key], rule.get(key)) for key in ("start", "end", "type", "amount", "premium",
                                                                        "dataset", "where", "values", "scope") if key in rule]
            stage_fields = rule.get("stages") if rule.get("rule") == "counts_from" else None
            refs += [(["rules", index, "stages", i], name) for i, name in enumerate(stage_fields or [])]
    display: dict[str, Any] = d if isinstance(d := meta.get("display"), dict) else {}
    refs += [(["display", key], display.get(key)) for key in FIELD_ROLES if key in display]
    for key in ("list_columns", "filters", "search_fields", "money", "other_money"):
        for index, name in enumerate(display.get(key) or []):
            refs.append((["display", key, index], name))
    status: dict[str, Any] = s if isinstance(s := display.get("status"), dict) else {}
    refs += [(["display", "status", "field"], status.get("field"))] if "field" in status else []
    company: dict[str, Any] = c if isinstance(c := display.get("company"), dict) else {}
    refs += [(["display", "company", key], company.get(key)) for key in ("name", "code") if key in company]
    problems = money_unit_problems(shown, tree, display, schema, meta["schema"])
    for path, name in refs:
        if isinstance(name, str) and name not in names:
            zh, en, _ = suggest(name, names)
            problems.append(Problem.make(shown, _line_of(tree, path), ".".join(map(str, path)), "meta-reference", name,
                                         suggest_zh=zh, suggest_en=en, allowed=", ".join(names)))
    template = meta.get("id_template")
    if isinstance(template, str):
        try:
            bad = sorted(set(PLACEHOLDER.findall(template)) - {"year", "seq"})
            template.format(year=2025, seq=1)
        except (KeyError, ValueError, IndexError, AttributeError):
            bad = bad or [template]
        for name in bad:
            problems.append(Problem.make(shown, _line_of(tree, ["id_template"]), "id_template", "meta-reference", name,
                                         allowed="year, seq"))
    return problems


def money_unit_problems(shown: str, tree: Any, display: dict[str, Any], schema: dict[str, Any],
                        schema_file: str) -> list[Problem]:
    """Every money field (display.money, display.other_money) declares its unit in the table schema, and the totalled
    ones are of one family (元, 万元 and 亿元 convert; 元/年 does not): nothing is taken to be yuan by its name."""
    fields = {f["name"]: f for f in schema["fields"]}
    problems: list[Problem] = []
    bases: dict[str, list[str]] = {}
    for key in ("money", "other_money"):
        for index, name in enumerate(display.get(key) or []):
            if not isinstance(name, str) or name not in fields:
                continue  # reported as a meta-reference
            unit = units.field_unit(fields[name])
            if unit is None:
                problems.append(Problem.make(shown, _line_of(tree, ["display", key, index]), f"display.{key}.{index}",
                                             "money-unit-missing", name=name, schema=f"schemas/{schema_file}"))
            elif key == "money":
                bases.setdefault(units.unit(unit).base, []).append(f"{name} ({unit})")
    if len(bases) > 1:
        problems.append(Problem.make(shown, _line_of(tree, ["display", "money"]), "display.money", "money-unit-mixed",
                                     units=", ".join(n for names in bases.values() for n in names)))
    return problems


def read_records(dataset: Dataset, paths: list[Path]) -> list[Problem]:
    """Read the dataset's files (paths: every regular file under its folder, from safefs.walk)."""
    problems: list[Problem] = []
    template = dataset.info.files
    pattern = template_regex(template)
    for path in paths:
        rel = path.relative_to(dataset.directory).as_posix()
        if rel in IGNORED_FILES:
            continue
        shown = display_path(path)
        match = pattern.match(rel)
        if not match:
            problems.append(Problem.make(shown, 1, "-", "bad-path", template=template,
                                         example=template_example(template, dataset.schema)))
            dataset.incomplete = True  # a file that is not read may hold records others refer to
            continue
        dataset.files.append(shown)
        text, problem = read_text(path)
        if problem:
            problems.append(file_problem(shown, problem))
            dataset.incomplete = True
            continue
        assert text is not None  # read_text gives the text or a problem
        reader = read_csv if dataset.info.format == "csv" else read_yaml_record
        records, found = reader(text, shown, dataset)
        problems += found
        if any(p.code in INCOMPLETE for p in found):
            dataset.incomplete = True
        for record in records:
            for name, expected in match.groupdict().items():
                value = record.values.get(name)
                if value is not None and str(value) != expected:
                    problems.append(Problem.make(shown, record.line_of(name), name, "path-mismatch", value, expected=expected))
        dataset.records += records
    return problems
