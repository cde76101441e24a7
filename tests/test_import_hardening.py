"""Attachments and sidecars are hostile input (issue 18, items 1, 3, 4, 9): a value that becomes part of a path is
checked before any path is built, everything shown to a reviewer is inert Markdown, sidecars go through the bounded
YAML reader, new ids keep the dataset's pattern, one attachment's failure never stops the others, and `make import`
runs nothing written in its variables. Each attack is a test named after it, on real files and real commands."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import import_layouts as L
import pytest
from conftest import REPO, run_cli
from markdown_it import MarkdownIt

from scripts.importer.inbox import read_sidecar
from scripts.load.loader import load_catalog
from scripts.load.record_files import IdsExhausted, NotAPath, next_ids, record_path
from scripts.paths import SCHEMAS
from scripts.safefs import OutsideTree, shown

URL = "https://example.org/notice/2021-materials"
HEADER = "序号,产品名称,企业名称,年度\n"


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target


def tree_digest(*roots: Path) -> dict[str, str]:
    """Every file under the roots (and the folder around them) with its SHA-256: what "nothing written" compares."""
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def attachment(tmp_path: Path, year_cell: str, name: str = "名单.csv") -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(HEADER + f"1,示例产品甲,示例公司,{year_cell}\n2,示例产品乙,示例公司,2025\n", encoding="utf-8")
    return path


def assert_clean_refusal(result, source: Path, value: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{source.name}:2: 年度: 不能用作文件路径" in result.stderr
    assert f"cannot be part of a file path: it must be a four-digit year (1900-2100): “{value}”" in result.stderr


@pytest.mark.parametrize("value", ["../awards/2025", "../../../../outside/x", "/etc/x", "2025/../../x", "2025.5"])
def test_year_cell_that_is_a_path_is_refused_and_nothing_is_written(data, tmp_path, value):
    source = attachment(tmp_path, value)
    before = tree_digest(tmp_path)
    result = run_cli("import", source, "--dataset", "recognitions", "--data", data, cwd=tmp_path)
    assert_clean_refusal(result, source, value)
    assert tree_digest(tmp_path) == before  # data/awards/2025.csv untouched, nothing created anywhere
    assert not (tmp_path.parent / "outside").exists() and not Path("/outside").exists()


def test_year_option_outside_four_digits_is_refused(data, tmp_path):
    source = attachment(tmp_path, "")
    result = run_cli("import", source, "--dataset", "recognitions", "--data", data, "--year", "99999", cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--year: 不能用作文件路径" in result.stderr and not (data / "recognitions/99999.csv").exists()


def test_record_path_refuses_every_value_that_is_not_a_plain_part(data):
    catalog, _ = load_catalog(data, SCHEMAS)
    recognitions, scenes = catalog.datasets["recognitions"], catalog.datasets["scenes"]
    assert record_path(recognitions, {"year": "2025"}) == recognitions.directory / "2025.csv"
    for year in ["../awards/2025", "..", "", None, "20251", "1066", "2025\n", "٢٠٢٥"]:
        with pytest.raises(NotAPath):
            record_path(recognitions, {"year": year})
    with pytest.raises(NotAPath):  # the id is part of a scene's path: it must match the id pattern
        record_path(scenes, {"year": "2025", "id": "../../x"})
    (recognitions.directory / "2031.csv").symlink_to(data / "awards" / "2025.csv")
    with pytest.raises(OutsideTree):  # confined to the dataset's own folder: a link out is refused too
        record_path(recognitions, {"year": "2031"})


def test_inbox_attachment_with_a_path_in_its_year_cell_fails_alone(data, tmp_path):
    inbox, out, summary = tmp_path / "inbox", tmp_path / "out", tmp_path / "summary.md"
    inbox.mkdir()
    (inbox / "a-evil.csv").write_text(HEADER + "1,示例产品甲,示例公司,../awards/2025\n", encoding="utf-8")
    (inbox / "a-evil.csv.yaml").write_text("dataset: recognitions\n", encoding="utf-8")
    (inbox / "b-outside.csv").write_text(HEADER + "1,示例产品甲,示例公司,../../../../outside/x\n", encoding="utf-8")
    (inbox / "b-outside.csv.yaml").write_text("dataset: recognitions\n", encoding="utf-8")
    L.materials_xlsx(inbox / "c-good.xlsx")
    (inbox / "c-good.xlsx.yaml").write_text(f"dataset: recognitions\nyear: 2021\nsource_url: {URL}\n", encoding="utf-8")
    awards = (data / "awards/2025.csv").read_bytes()
    result = run_cli("import-inbox", inbox, "--data", data, "--out", out, "--summary", summary, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "inbox/a-evil.csv:2: 年度: 不能用作文件路径" in result.stderr
    assert "inbox/b-outside.csv:2: 年度: 不能用作文件路径" in result.stderr
    assert (data / "awards/2025.csv").read_bytes() == awards
    assert len((data / "recognitions/2021.csv").read_text(encoding="utf-8").splitlines()) == 23  # the good one imported
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["a-evil.csv.md", "b-outside.csv.md", "c-good.xlsx.md", "c-good.xlsx.ok",
                       "data/recognitions/2021.csv", "data/registry/companies/companies.csv",
                       "data/registry/stage-changes/stage-changes.csv"]
    text = summary.read_text(encoding="utf-8")
    assert text.count("# 导入失败 / Import failed:") == 2 and text.count("# 导入报告 / Import report:") == 1


def test_inbox_attachment_that_breaks_its_reader_fails_alone(data, tmp_path):
    inbox, summary = tmp_path / "inbox", tmp_path / "summary.md"
    inbox.mkdir()
    (inbox / "a-broken.xlsx").write_bytes(b"PK\x03\x04 this is no workbook")
    (inbox / "a-broken.xlsx.yaml").write_text("dataset: recognitions\nyear: 2021\n", encoding="utf-8")
    L.materials_xlsx(inbox / "b-good.xlsx")
    (inbox / "b-good.xlsx.yaml").write_text(f"dataset: recognitions\nyear: 2021\nsource_url: {URL}\n", encoding="utf-8")
    result = run_cli("import-inbox", inbox, "--data", data, "--out", tmp_path / "out", "--summary", summary, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"^inbox/a-broken\.xlsx:\d+: .+ \| .+", result.stderr, re.M)
    assert (data / "recognitions/2021.csv").is_file()
    text = summary.read_text(encoding="utf-8")
    assert "# 导入失败 / Import failed: `inbox/a-broken.xlsx`" in text and "# 导入报告 / Import report: `inbox/b-good.xlsx`" in text


# --- what a reviewer reads is inert Markdown ------------------------------------------------------------------

FAKE = "x\n```\n# ✅ all attachments passed\n![x](http://tracker.example/t.png)\n[review here](http://phish.example)"


def rendered(markdown: str) -> tuple[str, list]:
    parser = MarkdownIt("commonmark")
    return parser.render(markdown), parser.parse(markdown)


def assert_inert(markdown: str, values: list[str]) -> None:
    """No image, link, raw HTML or heading from data; every value on one line inside one <code> element."""
    html, tokens = rendered(markdown)
    assert "<img" not in html and "<a " not in html and "<details" not in html and "</details" not in html
    inline = [child for token in tokens for child in (token.children or [])]
    assert not [t for t in tokens + inline if t.type in ("html_block", "html_inline", "image", "link_open")]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert all(h.startswith(("导入报告", "导入失败", "结果", "跳过的行", "企业库中没有", "解读与推测", "校验")) for h in headings)
    codes = [t.content for t in inline if t.type == "code_inline"] + [t.content for t in tokens if t.type == "fence"]
    for value in values:
        one_line = value.replace("\n", "\\n")
        assert any(one_line in code for code in codes), value


def test_sidecar_dataset_with_a_code_fence_and_a_fake_heading_stays_inside_a_code_span(data, tmp_path):
    inbox, summary = tmp_path / "inbox", tmp_path / "summary.md"
    inbox.mkdir()
    L.materials_xlsx(inbox / "附件1.xlsx")
    quoted = FAKE.replace("\n", "\\n")
    (inbox / "附件1.xlsx.yaml").write_text(f'dataset: "{quoted}"\nyear: 2021\n', encoding="utf-8")
    result = run_cli("import-inbox", inbox, "--data", data, "--out", tmp_path / "out", "--summary", summary, cwd=tmp_path)
    assert result.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert not re.search(r"^\s*#+ ✅", text, re.M)  # the fake heading never starts a line
    assert_inert(text, [shown(FAKE)])
    assert all("\n" not in line for line in result.stderr.splitlines())  # no forged ::error line either
    assert "\n```" not in result.stderr


def test_attachment_title_group_and_skipped_rows_with_html_are_code_spans(data, tmp_path):
    title = "<img src=x onerror=alert(1)>2022年度首台（套）名单"
    group = "</details><h1>一、国际首台（套）</h1>"
    footnote = "注：<h1>已全部通过</h1><a href='http://phish.example'>审核</a>"
    source = tmp_path / "名单.csv"
    source.write_text(f"{title}\n序号,产品名称,企业名称\n\"{group}\",,\n1,示例产品甲,示例公司\n\"{footnote}\",,\n",
                      encoding="utf-8")
    report = tmp_path / "report.md"
    result = run_cli("import", source, "--dataset", "recognitions", "--year", "2022", "--stage", "认定", "--list-kind",
                     "首台（套）装备", "--source-url", URL, "--report", report, "--dry-run", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    text = report.read_text(encoding="utf-8")
    assert title in text and group in text and footnote in text
    assert_inert(text, [title, group, footnote])


def test_report_values_with_backticks_and_pipes_keep_their_fence(data, tmp_path):
    product = "a``b` | `c` <b>x</b>"
    source = tmp_path / "名单.csv"
    source.write_text(f"序号,产品名称,企业名称\n1,\"{product}\",示例公司\n", encoding="utf-8")
    report = tmp_path / "report.md"
    run_cli("import", source, "--dataset", "recognitions", "--year", "2022", "--stage", "认定", "--list-kind",
            "首台（套）装备", "--source-url", URL, "--report", report, "--dry-run", cwd=tmp_path)
    assert_inert(report.read_text(encoding="utf-8"), [])
    html, _ = rendered(report.read_text(encoding="utf-8"))
    assert "<b>" not in html


# --- sidecars through the bounded YAML reader -------------------------------------------------------------------

ALIAS_BOMB = """dataset: recognitions
year: 2021
a: &a ["x=-","x=-","x=-","x=-","x=-","x=-","x=-","x=-","x=-"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
map: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


def test_sidecar_alias_expansion_in_map_is_refused_at_once(tmp_path):
    side = tmp_path / "附件1.xlsx.yaml"
    side.write_text(ALIAS_BOMB, encoding="utf-8")
    assert side.stat().st_size < 420
    tracemalloc.start()
    start = time.perf_counter()
    settings, problems = read_sidecar(side)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seconds < 1 and peak < 5_000_000, (seconds, peak)
    assert settings == {} and {p.code for p in problems} == {"yaml-anchor"}
    assert {p.line for p in problems} >= {3, 10}  # the sidecar's own lines
    assert any(p.format().startswith(f"{side}:3: -: 数据文件中不允许使用 YAML 锚点或别名（&a）") for p in problems)


def test_sidecar_typing_hazards_and_duplicate_keys_are_named_by_line(tmp_path):
    side = tmp_path / "附件1.xlsx.yaml"
    side.write_text("dataset: recognitions\nstage: no\nyear: 2021\nyear: 2022\nbatch: 010\nmap: 列=-\ndoc_no: 1:20\n",
                    encoding="utf-8")
    settings, problems = read_sidecar(side)
    lines = {(p.line, p.code) for p in problems}
    assert (2, "yaml-implicit-type") in lines  # stage: no is a boolean in YAML 1.1
    assert (4, "yaml-duplicate-key") in lines
    assert (5, "yaml-octal") in lines
    assert (6, "import-sidecar") in lines  # map must be a list
    assert (7, "yaml-implicit-type") in lines  # 1:20 is 80 in YAML 1.1
    assert all(p.format().startswith(f"{side}:{p.line}: ") for p in problems)


def test_sidecar_with_the_known_keys_and_types_still_reads(tmp_path):
    side = tmp_path / "附件1.xlsx.yaml"
    side.write_text(f"dataset: recognitions\nyear: 2021\nstage: 拟认定\nbatch: 2\nsource_url: {URL}\n"
                    "map: [\"引导标准号=note\", \"联系电话=-\"]\nsheet:\n", encoding="utf-8")
    settings, problems = read_sidecar(side)
    assert problems == []
    assert settings == {"dataset": "recognitions", "year": 2021, "stage": "拟认定", "batch": 2, "source_url": URL,
                        "map": ["引导标准号=note", "联系电话=-"], "sheet": None}


# --- ids keep the dataset's pattern -----------------------------------------------------------------------------

def test_ids_past_the_pattern_are_an_error_naming_it(data, tmp_path):
    rows = (data / "recognitions/2025.csv").read_text(encoding="utf-8").splitlines()
    last = rows[-1].split(",")
    rows.append(",".join(["R-2025-9998"] + last[1:]))
    (data / "recognitions/2025.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    catalog, _ = load_catalog(data, SCHEMAS)
    recognitions = catalog.datasets["recognitions"]
    assert next_ids(recognitions, 2025, 1) == ["R-2025-9999"]
    with pytest.raises(IdsExhausted) as caught:
        next_ids(recognitions, 2025, 3)
    assert caught.value.rid == "R-2025-10001" and caught.value.pattern == "R-20[0-9]{2}-[0-9]{4}"
    source = tmp_path / "名单.csv"
    source.write_text(HEADER + "".join(f"{n},示例新产品{n},示例公司,2025\n" for n in range(1, 4)), encoding="utf-8")
    before = tree_digest(data)
    result = run_cli("import", source, "--dataset", "recognitions", "--data", data, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "名单.csv:2: 编号: 2025 年度的编号已超出编号格式 R-20[0-9]{2}-[0-9]{4} 能容纳的数量" in result.stderr
    assert tree_digest(data) == before


# --- make import runs nothing written in its variables -----------------------------------------------------------

HOSTILE_FILE = "x`touch p1`$(touch p2)'q\"$(shell touch p3)\nnl ;touch p4 #.csv"


def make(root: Path, *args: str) -> subprocess.CompletedProcess:
    stamp = root / ".installed"
    stamp.touch()
    return subprocess.run(["make", "-s", *args, f"PY={sys.executable}", f"STAMP={stamp}"], cwd=root,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})


@pytest.fixture
def make_root(tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "data", root / "data")
    for name in ("Makefile", "requirements.txt"):
        shutil.copyfile(REPO / name, root / name)
    (root / "scripts").symlink_to(REPO / "scripts")
    return root


def created(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if re.fullmatch(r"p\d", p.name))


def test_make_import_file_with_backticks_runs_nothing(make_root):
    (make_root / HOSTILE_FILE).write_text(HEADER + "1,示例产品甲,示例公司,2021\n", encoding="utf-8")
    dry = make(make_root, "-n", "import", f"FILE={HOSTILE_FILE}", "DATASET=recognitions")
    assert created(make_root) == [] and '"$FILE"' in dry.stdout and "touch" not in dry.stdout
    result = make(make_root, "import", f"FILE={HOSTILE_FILE}", "DATASET=recognitions", "YEAR=$(shell touch p5)",
                  "ARGS=--dry-run `touch p6` $(touch p7)")
    assert created(make_root) == []
    assert "argument --year: invalid int value: '$(shell touch p5)'" in result.stderr  # reached intact, unexpanded
    result = make(make_root, "import", f"FILE={HOSTILE_FILE}", "DATASET=recognitions", "ARGS=--dry-run",
                  f"SOURCE_URL={URL}", "STAGE=认定", "KIND=首台（套）装备", "TITLE=`touch p8`", "DOC_NO=$(touch p9)")
    assert created(make_root) == []
    assert result.returncode == 0, result.stderr
    heading = result.stdout.splitlines()[0]  # the importer read that very file, named as it is
    assert heading.startswith("# 导入报告 / Import report: ``") and shown(HOSTILE_FILE) in heading
    assert "`touch p8`" in result.stdout


def test_make_release_and_diff_variables_run_nothing(make_root):
    result = make(make_root, "-n", "release", "VERSION=`touch p1`", "NOTES=$(touch p2)", "NOTES_EN=$(shell touch p3)")
    assert created(make_root) == [] and '--version "$VERSION"' in result.stdout
    result = make(make_root, "-n", "diff", "BASE=$(shell touch p4)", "SUMMARY=`touch p5`")
    assert created(make_root) == [] and 'diff "$BASE"' in result.stdout
