"""Editor help: JSON Schemas for the one-record-per-file YAML datasets (scenes), generated from the table schemas.

The Frictionless table schema stays the single source of truth; this turns it into a JSON Schema (draft-07, the
dialect editors such as VS Code's YAML extension understand best) with Chinese titles, English descriptions,
types, patterns, enums, ranges and the registry ids as enums, so editors complete and check values while typing.
`.vscode/settings.json` maps the generated files onto the data files. `--check` fails when they are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..load.loader import load_catalog
from ..model.catalog import Catalog, Dataset
from ..paths import DATA, SCHEMAS

HELP = "生成编辑器用的 JSON Schema / regenerate schemas/json/*.schema.json for editors (--check: verify only)"
DESCRIPTION = """由表结构生成 YAML 数据文件（场景）的 JSON Schema，供 VS Code 等编辑器在输入时提示和检查。
Generate the JSON Schemas editors use for the YAML data files (scenes) from the table schemas.
登记表（地区、部门等）变化后请重新运行 / rerun after registry tables change; --check only verifies."""

OUT = SCHEMAS / "json"
DRAFT = "http://json-schema.org/draft-07/schema#"
TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "date": "string",
         "list": "array"}


def add_arguments(parser) -> None:
    parser.add_argument("--data", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("--out", default=str(OUT), help="输出目录 / output folder (default: schemas/json)")
    parser.add_argument("--check", action="store_true",
                        help="只检查是否最新，不写文件 / only check the files are up to date (exit 1 if not)")


def main(args) -> int:
    catalog, _problems = load_catalog(Path(args.data))
    out = Path(args.out)
    stale = []
    texts = generate_all(catalog)
    for name, text in texts.items():
        path = out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            out.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    if args.check and stale:
        print(f"✗ 编辑器 JSON Schema 已过期 / out of date: {', '.join(map(str, stale))}；"
              f"运行 / run: python -m scripts editor-schemas", file=sys.stderr)
        return 1
    state = "已更新 / updated" if stale and not args.check else "已是最新 / up to date"
    print(f"✓ {len(texts)} 个 JSON Schema {state}（{out}）| {len(texts)} editor schemas {state.split(' / ')[1]}")
    return 0


def generate_all(catalog: Catalog) -> dict[str, str]:
    """file name -> JSON text, for every dataset stored one record per YAML file."""
    return {f"{d.name}.schema.json": dump(generate(d, catalog))
            for d in catalog.datasets.values() if d.info.format == "yaml"}


def dump(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def generate(dataset: Dataset, catalog: Catalog) -> dict:
    refs = {fk["fields"][0]: (fk["reference"]["resource"], fk["reference"]["fields"][0])
            for fk in dataset.schema.get("foreignKeys", [])}
    info = dataset.info
    properties = {}
    required = []
    for f in dataset.fields:
        constraints = f.get("constraints", {})
        if constraints.get("required"):
            required.append(f["name"])
        properties[f["name"]] = field_schema(f, refs.get(f["name"]), catalog, bool(constraints.get("required")))
    return {
        "$schema": DRAFT,
        "$comment": f"由 schemas/{info.schema} 生成，请勿手改 / generated from schemas/{info.schema} "
                    "by `python -m scripts editor-schemas`; do not edit by hand.",
        "title": f"{info.title} / {info.title_en or dataset.name}",
        "description": " ".join(info.description_en.split()),
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def field_schema(f: dict, ref: tuple[str, str] | None, catalog: Catalog, required: bool) -> dict:
    constraints = f.get("constraints", {})
    ftype = f["type"]
    value: dict = {"type": TYPES.get(ftype, "string")}
    if ftype == "date":
        value["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
    if "pattern" in constraints:
        value["pattern"] = f"^(?:{constraints['pattern']})$"
    if "enum" in constraints:
        value["enum"] = list(constraints["enum"])
    for key in ("minimum", "maximum", "minLength", "maxLength"):
        if key in constraints:
            value[key] = constraints[key]
    if ref:
        target = catalog.datasets.get(ref[0])
        if target is not None and target.info.group == "registry":
            value["enum"] = list(dict.fromkeys(str(r.values[ref[1]]) for r in target.records
                                              if r.values.get(ref[1]) is not None))  # registry order
        elif target is not None:
            id_field = target.field(ref[1]) or {}
            pattern = id_field.get("constraints", {}).get("pattern")
            if pattern:
                value["pattern"] = f"^(?:{pattern})$"
    if ftype == "list":
        value = {"type": "array", "items": value | {"type": "string"}, "minItems": 1}
        if not required:
            value = {"type": ["array", "null"], "items": value["items"]}
    elif not required:
        value["type"] = [value["type"], "null"]
        if "enum" in value:
            value["enum"] = value["enum"] + [None]
    title = f.get("title", f["name"])
    label = f.get("x-label-en")
    value["title"] = f"{title} / {label}" if label else title
    description = f.get("description", "")
    if f.get("example") is not None:
        example = f["example"]
        value["examples"] = [example]
        shown = "; ".join(map(str, example)) if isinstance(example, list) else example
        description = f"{description} 例如 / e.g.: {shown}".strip()
    value["description"] = description
    return value
