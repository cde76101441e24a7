"""`python -m scripts import FILE --dataset NAME --year YYYY …`: one official attachment into a list dataset.

Read → header → rows → values → merge; the result is written into a scratch copy of the data tree and checked by
the real validator before anything touches data/, so a bad file leaves data/ as it was. Then the review report.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..editing.new import UNREADABLE, list_named
from ..load.loader import display_path, load_catalog
from ..load.record_files import path_problems, refusal
from ..model.catalog import Catalog, Problem
from ..paths import DATA, SCHEMAS
from ..safefs import shown as quoted
from ..safefs import within
from ..validate.validator import validate_catalog
from . import history, money
from .convert import Notes, convert_rows, list_constants, status_field
from .header import MappingError, classify, find_header, parse_overrides
from .merge import merge
from .report import Facts, companies_csv, render
from .tables import ReadError, read_table
from .titles import title_batch, title_year

HELP = "导入官方名单附件（xlsx/xls/csv/docx/pdf）/ import an official list attachment into a dataset"
DESCRIPTION = """把部门发布的名单附件（.xlsx、.xls、.csv、.docx、带文字层的 .pdf）导入数据集：
自动跳过标题行、脚注和空行，合并单元格向下填充，“一、国际首台（套）”这类分组行变成下面各行的档次/类别；
表头按表结构中的同义词对应到字段（序号忽略），企业名称和地区通过登记表识别；编号接在该年度最后一个之后。
最后用真正的校验器检查结果，并输出审核报告（--report 另存为 Markdown）。--dry-run 不写任何文件。
Import a department's list attachment: title rows, footnotes and blank rows skipped, merged cells filled down,
group rows ("一、国际首台（套）") turned into the tier/category of the rows below; headers mapped by the schema's
synonyms; companies and districts resolved through the registries; ids continue the year. Ends with the real
validator and a review report.

示例 / examples:
  python -m scripts import 附件1.xlsx --dataset recognitions --year 2021 --stage 拟认定 \\
      --list-kind 首批次新材料 --source-url https://jxt.zj.gov.cn/art/…
  python -m scripts import 名单.pdf --dataset recognitions --year 2022 --map 申报单位=company --dry-run"""

LIST_OPTIONS = ("stage", "list_kind", "list_title", "doc_no", "source_url", "batch", "published_on", "sublist")


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="名单附件 / the attachment (.xlsx .xls .csv .docx .pdf)")
    parser.add_argument("--dataset", required=True, help="目标数据集，如 recognitions / target dataset")
    parser.add_argument("--year", type=int, help="年度（文件有“年度”列时可省略）/ list year")
    parser.add_argument("--stage", help="阶段：公示、拟认定、认定、撤销… / stage of the list")
    parser.add_argument("--list-kind", help="名单类别（中文名或编号，如 首台（套）装备）/ list kind (name or id)")
    parser.add_argument("--list-title", help="名单标题（默认取表头上方的标题行）/ list title (default: the title row)")
    parser.add_argument("--doc-no", help="文号，如 浙经信装备〔2023〕159号 / document number")
    parser.add_argument("--source-url", help="官方通知网址 / URL of the official notice")
    parser.add_argument("--batch", type=int, help="批次 / batch number")
    parser.add_argument("--published-on", metavar="YYYY-MM-DD", help="名单发布日期 / date the list was published")
    parser.add_argument("--unit", choices=sorted(money.FACTOR, key=lambda u: money.FACTOR[u]),
                        help="金额的单位（表头或“单位：”行没有写明时）/ unit of the amounts when neither the header nor a "
                             "“单位：” line says it")
    parser.add_argument("--sublist", help="子名单，如 认定奖励类 / sub-list, e.g. 认定奖励类")
    parser.add_argument("--only-jiaxing", action="store_true",
                        help="只导入位于嘉兴市的行（全省名单），其余列在报告中 / keep only rows located in Jiaxing "
                             "(province-wide lists); the others are listed in the report")
    parser.add_argument("--confirm-move-back", action="store_true",
                        help="确认把记录改回更早的阶段（如 认定 → 拟认定）/ confirm moving records back to an earlier stage")
    parser.add_argument("--map", action="append", default=[], metavar="列名=字段",
                        help="指定列对应的字段（字段写 - 表示忽略该列），可重复 / column=field (or column=-), repeatable")
    parser.add_argument("--sheet", help="工作表名（默认第一个）/ sheet name (default: the first)")
    parser.add_argument("--no-add-companies", action="store_true",
                        help="企业库中没有的企业只列在报告中，不追加到企业库 / only list unknown companies, do not append "
                             "them to the companies registry")
    parser.add_argument("--report", metavar="FILE", help="把审核报告另存为 Markdown / also write the report here")
    parser.add_argument("--data", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("--schemas", default=str(SCHEMAS), help="表结构目录 / schema directory")
    parser.add_argument("--dry-run", action="store_true", help="只检查和报告，不写文件 / check and report, write nothing")


@dataclass
class Request:
    file: Path
    dataset: str
    year: int | None = None
    given: dict = field(default_factory=dict)  # stage, list_kind, list_title, doc_no, source_url, batch
    maps: list[str] = field(default_factory=list)
    sheet: str | None = None
    add_companies: bool = True
    data: Path = DATA
    schemas: Path = SCHEMAS
    dry_run: bool = False
    shown: str | None = None  # how the file is named in messages and the report
    confirm_back: bool = False  # a move back to an earlier stage (认定 → 拟认定) was asked for on purpose
    only_home: bool = False  # keep only the rows located in Jiaxing (a province-wide list)
    unit: str | None = None  # the amounts' unit when the attachment does not say it (元, 万元, 亿元 …)


def main(args) -> int:
    request = Request(Path(args.file), args.dataset, args.year,
                      {k: getattr(args, k) for k in LIST_OPTIONS}, args.map, args.sheet, not args.no_add_companies,
                      Path(args.data), Path(args.schemas), args.dry_run, confirm_back=args.confirm_move_back,
                      only_home=args.only_jiaxing, unit=args.unit)
    code, report, _written = run(request)
    if report:
        print(report, end="")
        if args.report:
            Path(args.report).parent.mkdir(parents=True, exist_ok=True)
            Path(args.report).write_text(report, encoding="utf-8")
    return code


def fail(problems: list[Problem]) -> tuple[int, str, list]:
    for p in problems:
        print(p.format(), file=sys.stderr)
    print(f"✗ 没有导入任何内容，数据目录未改动 / nothing imported, data/ unchanged ({len(problems)})", file=sys.stderr)
    return 1, "", []


def run(request: Request) -> tuple[int, str, list[Path]]:
    """(exit code, review report, files written). Exit 0: written and valid; 1: bad input (nothing written) or
    cells to fix (written, named in the report); 2: no such dataset."""
    shown = request.shown or display_path(request.file)
    catalog, load_problems = load_catalog(request.data, request.schemas)
    dataset, lists, _aliases = list_named(catalog, request.dataset)
    name = dataset.name if dataset else request.dataset
    if dataset is None:
        print(f"✗ 没有名为 {quoted(request.dataset)} 的列表数据集；可用：{', '.join(lists)} | no list dataset called "
              f"{quoted(request.dataset)}; choose one of: {', '.join(lists)}", file=sys.stderr)
        return 2, "", []
    if dataset.incomplete:
        bad = sorted({p.path for p in load_problems if p.code in UNREADABLE})
        print(f"✗ {', '.join(bad) or dataset.name} 有读取错误，无法确定下一个编号；请先运行 make validate 并修正"
              f" | {dataset.name} has files that cannot be read: run make validate first", file=sys.stderr)
        return 1, "", []
    problems = [Problem.make(shown, 1, f"--{k.replace('_', '-')}", "import-option-field", v, dataset=name,
                             target=_target(dataset, k), option=k.replace("_", "-"))
                for k, v in request.given.items() if v is not None and _target(dataset, k) not in dataset.field_names]
    try:
        table = read_table(request.file, request.sheet)
    except ReadError as exc:
        return fail(problems + [Problem.make(shown, exc.line, "-", exc.code, **exc.params)])
    overrides, bad_maps = parse_overrides(request.maps, dataset)
    problems += [Problem.make(shown, 1, f"--map {col}", code, value, **params) for _l, col, code, value, params in bad_maps]
    if problems:
        return fail(problems)
    try:
        mapping = find_header(table.rows, dataset, overrides)
    except MappingError as exc:
        return fail([Problem.make(shown, line, col, code, value, **params) for line, col, code, value, params in exc.problems])
    rows, skipped, groups = classify(table.rows, mapping, dataset, catalog)
    if not rows:
        return fail([Problem.make(shown, mapping.header_line, "-", "import-no-rows")])
    year_f = dataset.info.year
    if request.year is None and year_f and year_f not in mapping.columns:
        return fail([Problem.make(shown, 1, "--year", "import-year")])
    notes = Notes()
    constants = list_constants(dataset, catalog, request.given, mapping.title_lines, notes)
    if request.year is not None and year_f:
        if contradiction := title_year(mapping.title_lines, request.year):
            return fail([Problem.make(shown, 1, "--year", "import-year-title", request.year, year=request.year,
                                      title_year=contradiction[0], title=contradiction[1])])
        constants[year_f] = str(request.year)
        if not_paths := path_problems(dataset, {year_f: constants[year_f]}, skip=(dataset.key,)):
            return fail([Problem.make(shown, 1, "--year", "path-value", str(request.year),
                                      expect_zh=not_paths[0].expect_zh, expect_en=not_paths[0].expect_en)])
    if contradiction := title_batch(mapping.title_lines, request.given.get("batch")):
        return fail([Problem.make(shown, 1, "--batch", "import-batch-title", request.given["batch"],
                                  batch=request.given["batch"], title_batch=contradiction[0], title=contradiction[1])])
    units, unit_problems = amount_units(dataset, mapping, request.unit)
    if unit_problems:
        return fail([Problem.make(shown, mapping.header_line, name, "import-unit-conflict", header, header=header,
                                  given=request.unit) for name, header in unit_problems])
    records, wrong_year = convert_rows(rows, dataset, catalog, constants, notes, request.only_home, units,
                                       {c for c in mapping.columns if c})
    if refused := cell_refusals(shown, dataset, catalog, notes):
        return fail(refused)
    skipped += wrong_year
    files, outcome = merge(dataset, records, request.confirm_back, mapping.own)
    if outcome.refused:
        return fail([refusal(exc, dataset, shown, line) for line, exc in outcome.refused])
    if outcome.backwards or outcome.unknown_withdrawn:
        stage = status_field(dataset) or "-"
        return fail([Problem.make(shown, line, stage, "import-stage-back", asked, id=rid, now=now, asked=asked,
                                  now_list=now_list, asked_list=asked_list)
                     for line, rid, now, asked, now_list, asked_list in outcome.backwards] +
                    [Problem.make(shown, line, dataset.info.title_field, "import-withdrawn-unknown", title,
                                  closest=f"{near[0]}（{near[1]}）" if near else "—")
                     for line, title, near in outcome.unknown_withdrawn])
    skipped += outcome.skipped
    companies = catalog.role("companies")
    if request.add_companies and companies is not None and notes.missing_companies:
        files[_companies_file(companies)] = _with_companies(companies, notes, shown)
        notes_added = True
    else:
        notes_added = False
    changes = catalog.role("stage-changes")
    if changes is not None and outcome.stage_changes and not mapping.own:  # the site's own download: no list event
        path = _registry_file(changes)
        files[path] = history.append(path, changes, dataset, outcome.stage_changes, Path(shown).name,
                                     request.confirm_back)
    checked, other = check(catalog, request, files)
    facts = Facts(shown, table.reader, name, dataset.info.title,
                  constants.get(year_f or "", "（按行 / per row）"), mapping,
                  {k: v for k, v in constants.items() if k != year_f}, table.notes, groups,
                  sorted(display_path(p) for p in files), request.dry_run,
                  display_path(_companies_file(companies)) if companies else "data/registry/companies/companies.csv",
                  companies.field_names if companies else ["name", "aliases", "credit_code", "district", "province", "city"])
    failed = any(p.severity == "error" for p in checked)
    report = render(facts, notes, outcome, skipped, checked, other, notes_added, written=not (failed or request.dry_run))
    if failed or request.dry_run:
        return (1 if failed else 0), report, []
    write_all(files)
    return 0, report, list(files)


def cell_refusals(shown: str, dataset, catalog: Catalog, notes: Notes) -> list[Problem]:
    """Every cell the import refuses to write, in row order: an amount whose unit is unknown or inexact, a place only
    near a Jiaxing name, a company name only near a registered one (a short name: never a second company)."""
    out = [Problem.make(shown, line, name, code, raw, unit=unit or "", target=money.field_unit(dataset.field(name)))
           for line, name, raw, code, unit in notes.money_problems]
    districts = catalog.datasets.get(catalog.role_name("districts"))
    named = {str(r.values.get(districts.key)): str(r.values.get("name")) for r in districts.records} if districts else {}
    out += [Problem.make(shown, line, name, "import-place-near", printed, near=near, near_name=named.get(near, near),
                         table=catalog.role_name("districts")) for line, name, printed, near in notes.refused]
    companies = catalog.role("companies")
    field_name = dataset.info.company_name or "-"
    out += [Problem.make(shown, line, field_name, "import-company-near", printed, near=near,
                         registry=display_path(_companies_file(companies)) if companies else "companies.csv")
            for printed, (near, lines) in notes.near_companies.items() for line in lines]
    out += [Problem.make(shown, line, field_name, "import-company-near-in-list", printed, other=other, other_line=other_line,
                         registry=display_path(_companies_file(companies)) if companies else "companies.csv")
            for line, printed, other, other_line in notes.near_in_list]
    return sorted(out, key=lambda p: p.line)


def amount_units(dataset, mapping, given: str | None) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """The unit of each money field's column: its header's, else the “单位：” line's, else --unit (the site's own
    download: the field's unit). A header unit that contradicts --unit is a problem (field, header unit)."""
    line_unit = money.title_unit(mapping.title_lines)
    units: dict[str, str | None] = {}
    problems = []
    for name in dataset.info.amounts:
        header = mapping.units.get(name)
        if header and given and header != given:
            problems.append((name, header))
        own = money.field_unit(dataset.field(name) or {}) if mapping.own else None
        units[name] = header or line_unit or given or own
    return units, problems


def write_all(files: dict[Path, str]) -> None:
    """Every file written beside its target first, then all moved into place: a failure while writing (disk full,
    no permission) leaves every target as it was."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            staged.append((Path(name), path))
    except BaseException:
        for tmp, _path in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def _target(dataset, key: str) -> str:
    return (status_field(dataset) or "stage") if key == "stage" else key


def _companies_file(companies) -> Path:
    return _registry_file(companies)


def _registry_file(registry) -> Path:
    """The registry's one CSV file (its `files` name when it has no file yet)."""
    return Path(registry.files[0]).resolve() if registry.files else registry.directory / registry.info.files


def _with_companies(companies, notes: Notes, shown: str) -> str:
    path = _companies_file(companies)
    old = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    rows = companies_csv(notes, companies.field_names, shown)
    body = rows.split("\n", 1)[1]
    if not old.strip():
        return rows
    return old + ("" if old.endswith("\n") else "\n") + body


def check(catalog: Catalog, request: Request, files: dict[Path, str]) -> tuple[list[Problem], int]:
    """Validate the data tree as it would be with `files` written: (problems in those files, others' count)."""
    data = Path(request.data).resolve()
    with tempfile.TemporaryDirectory(prefix="import-") as tmp:
        stage = Path(tmp) / "data"
        shutil.copytree(data, stage, ignore=shutil.ignore_patterns(".git"))
        staged = {}
        for path, text in files.items():
            target = within(stage, Path(path).resolve().relative_to(data).as_posix())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
            staged[display_path(target)] = display_path(Path(path))
        staged_catalog, problems = load_catalog(stage, request.schemas)
        problems += validate_catalog(staged_catalog)
    def local(value):
        return value.replace(str(stage), display_path(data)) if isinstance(value, str) else value
    mine = [Problem(staged[p.path], p.line, p.field, p.code, p.value,
                    tuple((k, local(v)) for k, v in p.params), p.severity) for p in problems if p.path in staged]
    others = sum(1 for p in problems if p.path not in staged and p.severity == "error")
    return sorted(set(mine)), others
