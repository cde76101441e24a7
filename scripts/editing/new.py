"""Start a new record with the next free id: a commented YAML file (scenes) or a template row (CSV lists).

Generic: works for every list dataset from its dataset.yaml (`id_template`, `files`, the `display.year` role) and table
schema; a list's name without its plural s is an alias (scene, product, award, project). Only the id and year are
decided by the command;
every other pre-filled value is a suggestion that starts with “待填写：” (to fill in) — the first allowed value of
enums (the earliest status), the schema's example where it is valid, otherwise the first id of the referenced
registry table — and credit codes get the all-zero placeholder code. Validation rejects all of them until a person
replaces them, so an untouched draft can never be published.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import yaml

from ..load.loader import display_path, load_catalog
from ..load.record_files import IdsExhausted, NotAPath, next_ids, record_path, refusal
from ..messages import TYPE_WORDS
from ..model import checks
from ..model.catalog import Catalog, Dataset
from ..paths import DATA, SCHEMAS

HELP = "新建记录草稿（自动编号）/ start a new record with the next id (scene, product, award, project …)"
DESCRIPTION = """新建一条记录的草稿，编号自动取该年度下一个未使用的编号：
  场景（YAML）：写入 data/scenes/<年度>/<编号>.yaml，每个字段上方都有中文说明、可选值和示例；
  产品、奖励、项目（CSV）：在 data/<数据集>/<年度>.csv 末尾追加一行，并在屏幕上逐列说明应填写的内容。
所有以“待填写”开头的内容（包括草稿建议的默认值）和占位代码 91330400000000000X 都必须由人替换，否则校验不通过。
Start a draft record with the next free id. Scenes get a commented YAML file; CSV lists get a template row
appended to <year>.csv and a column-by-column guide printed here. Every value starting with 待填写 (defaults
included) and the placeholder credit code must be replaced by a person: validation rejects them until then.

示例 / examples:
  python -m scripts new scene --year 2026
  python -m scripts new product --year 2026 --count 3
  python -m scripts new award --year 2026 --dry-run"""

PLACEHOLDER = checks.PLACEHOLDER
UNREADABLE = {"not-utf8", "ragged-row", "multiline-cell", "yaml-syntax", "yaml-not-mapping", "yaml-anchor"}
is_placeholder = checks.is_placeholder


def placeholder_credit_code(division: str | None) -> str:
    """91 + division + nine zeros + check character: the right shape, never a real code (validation rejects it)."""
    division = division if division and len(division) == 6 and division.isascii() and division.isdigit() else "330400"
    return checks.make_credit_code(f"91{division}000000000")


def offered(value: str) -> str:
    """A default nobody chose yet, marked so that validation rejects it until a person replaces it."""
    return f"{PLACEHOLDER}：{value}"


def add_arguments(parser) -> None:
    parser.add_argument("dataset", metavar="DATASET",
                        help="scene | product | award | project，或任一列表数据集名 / or any list dataset name")
    parser.add_argument("--year", type=int, default=date.today().year, help="年度（默认今年）/ year (default: this year)")
    parser.add_argument("--count", type=int, default=1, help="新建几条（默认 1）/ how many records (default 1)")
    parser.add_argument("--data", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("--schemas", default=str(SCHEMAS), help="表结构目录 / schema directory")
    parser.add_argument("--dry-run", action="store_true", help="只显示，不写文件 / print only, write nothing")


def list_named(catalog: Catalog, name: str) -> tuple[Dataset | None, list[str], dict[str, str]]:
    """(the list dataset called `name` or its alias, every list with an id_template, aliases): a list's name without
    its plural s is an alias (scene → scenes)."""
    lists = sorted(d.name for d in catalog.lists() if d.info.id_template)
    aliases = {n[:-1]: n for n in lists if n.endswith("s") and n[:-1] not in lists}
    name = aliases.get(name, name)
    return (catalog.datasets[name] if name in lists else None), lists, aliases


def main(args) -> int:
    catalog, problems = load_catalog(Path(args.data), Path(args.schemas))
    dataset, lists, aliases = list_named(catalog, args.dataset)
    if dataset is None:
        print(f"✗ 没有名为“{args.dataset}”的列表数据集；可用：{', '.join(lists)}（或 {'、'.join(aliases)}）"
              f" | no list dataset called \"{args.dataset}\"; choose one of: {', '.join(lists)}", file=sys.stderr)
        return 2
    year_field = dataset.field(dataset.info.year) if dataset.info.year else None
    if year_field:
        low = year_field.get("constraints", {}).get("minimum")
        high = year_field.get("constraints", {}).get("maximum")
        if (low is not None and args.year < low) or (high is not None and args.year > high):
            print(f"✗ 年度 {args.year} 超出允许范围 {low}–{high} | year {args.year} is outside {low}-{high}", file=sys.stderr)
            return 2
    if args.count < 1:
        print("✗ --count 至少为 1 | --count must be at least 1", file=sys.stderr)
        return 2
    if dataset.incomplete:  # rows or files that could not be read may hold ids: don't guess the next one
        unreadable = sorted({p.path for p in problems if p.path in dataset.files and p.code in UNREADABLE})
        print(f"✗ {', '.join(unreadable) or dataset.name} 有读取错误，无法确定下一个编号；请先运行 make validate 并修正"
              f" | {dataset.name} has files that cannot be read, so the next id is unknown: run make validate first",
              file=sys.stderr)
        return 1
    try:  # the year and the ids are checked before any path is built: nothing is written when they are refused
        ids = next_ids(dataset, args.year, args.count)
        records = [skeleton(dataset, catalog, args.year, rid) for rid in ids]
        for values in records:
            record_path(dataset, values)
    except (NotAPath, IdsExhausted) as exc:
        print(refusal(exc, dataset, "--year" if isinstance(exc, NotAPath) else display_path(dataset.directory)).format(),
              file=sys.stderr)
        return 2
    if dataset.info.format == "yaml":
        return write_yaml(dataset, catalog, records, args.dry_run)
    return write_csv(dataset, catalog, records, args.year, args.dry_run)


# --- ids and values --------------------------------------------------------------------------------

def reference_targets(dataset: Dataset) -> dict[str, tuple[str, str]]:
    return {fk["fields"][0]: (fk["reference"]["resource"], fk["reference"]["fields"][0])
            for fk in dataset.schema.get("foreignKeys", [])}


def allowed_ids(catalog: Catalog, resource: str, field: str) -> list[str]:
    target = catalog.datasets.get(resource)
    if target is None:
        return []
    return [str(r.values[field]) for r in target.records if r.values.get(field) is not None]


def skeleton(dataset: Dataset, catalog: Catalog, year: int, rid: str) -> dict:
    """Raw text values (lists for list fields, None for empty) of a draft record. The id and year are chosen by the
    command; every other pre-filled value is a suggestion marked 待填写… (the first status, an example, the first
    registry id, a placeholder credit code), which validation rejects until a person replaces it."""
    refs = reference_targets(dataset)
    key = dataset.key
    values: dict = {}
    for f in dataset.fields:
        name, ftype = f["name"], f["type"]
        constraints = f.get("constraints", {})
        required = constraints.get("required", False)
        example = f.get("example")
        if name == key:
            values[name] = rid
        elif name == dataset.info.year:
            values[name] = str(year)
        elif not required:
            values[name] = None
        elif constraints.get("enum"):
            values[name] = offered(str(constraints["enum"][0]))
        elif name in refs:
            ids = allowed_ids(catalog, *refs[name])
            wanted = example if isinstance(example, list) else ([] if example is None else [example])
            chosen = [str(v) for v in wanted if str(v) in ids] or ids[:1]
            if not chosen:
                values[name] = None
            else:
                values[name] = [offered(v) for v in chosen] if ftype == "list" else offered(chosen[0])
        elif ftype == "string" and not constraints.get("pattern") and "code" not in f.get("x-checks", []) \
                and "http_url" not in f.get("x-checks", []):
            values[name] = offered(f.get("title", name))
        elif ftype == "list":
            values[name] = [offered(str(v)) for v in (example or [])] or [offered(f.get("title", name))]
        elif ftype == "date":
            # the schema's example date moved to the record's year (keeping its distance from the example year)
            base = int((dataset.field(dataset.info.year or "") or {}).get("example") or year)
            shown = str(example) if example and len(str(example)) == 10 else date.today().isoformat()
            shift = int(shown[:4]) - base if example else 0
            values[name] = offered(f"{year + shift}{shown[4:]}")
        else:
            values[name] = None if example is None else offered(str(example))
    for f in dataset.fields:
        if "credit_code" in f.get("x-checks", []):
            values[f["name"]] = placeholder_credit_code(None)
    company = dataset.info.company_name
    if company and values.get(company):
        values[company] = offered("企业（单位）名称")  # one name per placeholder code, in every dataset
    return values


# --- YAML: one commented file per record -------------------------------------------------------------

def scalar(value: str, ftype: str) -> str:
    if value.startswith(PLACEHOLDER):  # quoted when the value under the marker would not stay text (330402, 2025-…)
        rest = value.split("：", 1)[-1]
        if ftype not in ("integer", "number", "boolean") and not isinstance(yaml.safe_load(rest or "x"), str):
            return "'" + value.replace("'", "''") + "'"
    if ftype in ("integer", "number", "boolean"):
        return value
    text = yaml.safe_dump(value, allow_unicode=True, width=10**6).rstrip("\n")
    if text.endswith("\n..."):
        text = text[:-4]
    return text


def field_comment(dataset: Dataset, catalog: Catalog, f: dict) -> list[str]:
    """The comment lines above one field: title, required, description, what to write, allowed values, example."""
    name, ftype = f["name"], f["type"]
    constraints = f.get("constraints", {})
    need = "必填 / required" if constraints.get("required") else "可不填 / optional"
    lines = [f"# {f.get('title', name)} / {f.get('x-label-en', name)}（{need}）"]
    if f.get("description"):
        lines.append(f"#   {f['description']}")
    if ftype in ("integer", "number", "date"):
        hint_zh, hint_en = TYPE_WORDS[ftype][2], TYPE_WORDS[ftype][3]
        lines.append(f"#   {hint_zh} / {hint_en}")
    if ftype == "list":
        lines.append("#   每项一行，以“  - ”开头 / one item per line, starting with '  - '")
    if constraints.get("enum"):
        lines.append(f"#   可选 / allowed: {'、'.join(map(str, constraints['enum']))}")
    if "http_url" in f.get("x-checks", []):
        lines.append("#   请填写来源文件（官方通知、公示或名单）的网址，审核时必需 / the official source document, needed for review")
    refs = reference_targets(dataset)
    if name in refs:
        lines += reference_comment(catalog, *refs[name])
    bounds = [f"≥ {constraints['minimum']}" if "minimum" in constraints else "",
              f"≤ {constraints['maximum']}" if "maximum" in constraints else "",
              f"最多 / at most {constraints['maxLength']} 字 / characters" if "maxLength" in constraints else ""]
    if any(bounds):
        lines.append(f"#   范围 / range: {'，'.join(b for b in bounds if b)}")
    example = f.get("example")
    if example is not None:
        shown = "; ".join(map(str, example)) if isinstance(example, list) else str(example)
        lines.append(f"#   例如 / e.g.: {shown}")
    return lines


def reference_comment(catalog: Catalog, resource: str, field: str, per_line: int = 6) -> list[str]:
    target = catalog.datasets.get(resource)
    if target is None:
        return []
    where = target.files[0] if target.files else resource
    if target.info.group != "registry":
        return [f"#   填写“{target.info.title}”中已有的编号（见 {where}）/ ids from the {resource} dataset"]
    title_field = target.info.title_field
    items = []
    for record in target.records:
        rid = record.values.get(field)
        label = record.values.get(title_field)
        if rid is None:
            continue
        items.append(f"{rid}（{label}）" if label and label != rid else str(rid))
    lines = [f"#   填写编号 / write the id, 见 / see {where}:"]
    for start in range(0, len(items), per_line):
        lines.append("#     " + "、".join(items[start:start + per_line]))
    return lines


def render_yaml(dataset: Dataset, catalog: Catalog, values: dict, command: str) -> str:
    rid = values[dataset.key]
    out = [
        f"# {dataset.info.title}草稿 / new {dataset.info.title_en or dataset.name} draft: {rid}",
        f"# 由 `{command}` 生成 / generated by `{command}`.",
        "# 请把所有“待填写”替换为实际内容，核对每个值；以 # 开头的说明行可以保留。完成后运行 make validate。",
        "# Replace every “待填写” (to fill in) and check every value; the # lines are comments and may stay.",
        "# Then run `make validate`.",
        "",
    ]
    for f in dataset.fields:
        name, ftype = f["name"], f["type"]
        out += field_comment(dataset, catalog, f)
        value = values.get(name)
        if value is None:
            out.append(f"{name}:")
        elif isinstance(value, list):
            out.append(f"{name}:")
            out += [f"  - {scalar(item, 'string')}" for item in value]
        else:
            out.append(f"{name}: {scalar(value, ftype)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_yaml(dataset: Dataset, catalog: Catalog, records: list[dict], dry_run: bool) -> int:
    command = f"python -m scripts new {dataset.name}"
    written = []
    for values in records:
        path = record_path(dataset, values)
        text = render_yaml(dataset, catalog, values, command)
        if dry_run:
            print(f"--- {display_path(path)}\n{text}")
            continue
        if path.exists():
            print(f"✗ 文件已存在，未覆盖 / exists, not overwritten: {display_path(path)}", file=sys.stderr)
            return 1
        write_atomic(path, text)
        written.append(display_path(path))
        print(f"已新建 / created {display_path(path)}")
    ids = ", ".join(v[dataset.key] for v in records)
    verb = "将新建 / would create" if dry_run else "已新建 / created"
    print(f"✓ {verb} {len(records)} 个草稿（{ids}）：请打开文件，把“待填写”替换为实际内容，然后运行 make validate"
          f" | replace every 待填写, then run make validate")
    return 0


# --- CSV: a template row appended to the year's file ---------------------------------------------------

def write_csv(dataset: Dataset, catalog: Catalog, records: list[dict], year: int, dry_run: bool) -> int:
    path = record_path(dataset, records[0])
    names = dataset.field_names
    existing = path.read_bytes().decode("utf-8-sig") if path.exists() else ""
    newline = "\r\n" if "\r\n" in existing else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    if not existing.strip():
        writer.writerow(names)
        existing = ""
    elif not existing.endswith(("\n", "\r")):
        existing += newline
    first_line = existing.count("\n") + 1 + (0 if existing else 1)
    for values in records:
        writer.writerow(["" if values.get(n) is None else
                         (dataset.field_spec(n).get("delimiter", ",").join(values[n]) if isinstance(values[n], list) else values[n])
                         for n in names])
    shown = display_path(path)
    if not dry_run:
        bom = path.exists() and path.read_bytes().startswith(b"\xef\xbb\xbf")
        write_atomic(path, ("\ufeff" if bom else "") + existing + buffer.getvalue())
    print(("将追加以下行 / would append:" if dry_run else f"已追加到 / appended to {shown}:"))
    print(buffer.getvalue().rstrip())
    print()
    print("请逐列修改新行（CSV 没有注释，说明如下）/ now edit each column of the new row (CSV has no comments):")
    refs = reference_targets(dataset)
    for f in dataset.fields:
        name = f["name"]
        value = records[0].get(name)
        shown_value = "（空 / empty）" if value is None else ("; ".join(value) if isinstance(value, list) else value)
        need = "必填" if f.get("constraints", {}).get("required") else "可空"
        tip = ""
        if name == dataset.key or name == dataset.info.year:
            tip = "不要修改 / keep"
        elif f.get("constraints", {}).get("enum"):
            tip = "可选 / allowed: " + "、".join(map(str, f["constraints"]["enum"]))
        elif name in refs:
            target = catalog.datasets.get(refs[name][0])
            tip = f"编号见 / ids in {target.files[0] if target and target.files else refs[name][0]}"
        elif "credit_code" in f.get("x-checks", []):
            tip = "替换为营业执照上的 18 位代码，查不到就清空 / the 18-character code from the business licence, or empty it"
        elif "http_url" in f.get("x-checks", []):
            tip = "填写来源文件（官方通知）的网址 / the URL of the official source document"
        elif is_placeholder(value):
            tip = "替换 / replace"
        elif f["type"] in ("integer", "number", "date"):
            tip = TYPE_WORDS[f["type"]][2]
        print(f"  {name:<16} {f.get('title', name)}（{need}）= {shown_value}   {tip}")
    lines = f"{first_line}" if len(records) == 1 else f"{first_line}–{first_line + len(records) - 1}"
    ids = ", ".join(v[dataset.key] for v in records)
    verb = "将追加 / would append" if dry_run else "已追加 / appended"
    print(f"✓ {verb} {len(records)} 行（{ids}）到 {shown} 第 {lines} 行：把“待填写”和示例值替换为实际内容，然后运行 make validate"
          f" | {shown}:{lines}: replace every 待填写 and example value, then run make validate")
    return 0
