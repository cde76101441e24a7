"""Issue 9, loader and validator side: attacks that cannot be committed as a fixture (links, FIFOs, names with
newlines, multi-megabyte inputs) are built at test time, each test named after its defect."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from conftest import REPO, make_tree, run_cli
from test_validate import report

from scripts.load import loader as load
from scripts.load.loader import MAX_FILE_BYTES, MAX_TREE_BYTES, load_catalog, template_regex
from scripts.validate.validator import validate_catalog

SECRET = "HARDEN_SECRET_TOKEN=do-not-print-me"


def _secret_file(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "environ"
    target.parent.mkdir()
    target.write_text(SECRET + "\n" + SECRET + "," + SECRET + "\n", encoding="utf-8")
    return target


def test_symlink_to_a_file_outside_the_tree_is_rejected_and_never_read(tmp_path):
    data = make_tree(tmp_path)
    target = _secret_file(tmp_path)
    (data / "products" / "2027.csv").symlink_to(target)
    (data / "registry" / "award-types" / "award-types.csv").unlink()
    (data / "registry" / "award-types" / "award-types.csv").symlink_to("/proc/self/environ")
    (data / "scenes" / "2025" / "S-2025-001.yaml").unlink()
    (data / "scenes" / "2025" / "S-2025-001.yaml").symlink_to(target)
    result = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert "/proc" not in result.stdout and str(target) not in result.stdout
    lines = result.stdout.splitlines()
    for name in ("data/products/2027.csv", "data/registry/award-types/award-types.csv", "data/scenes/2025/S-2025-001.yaml"):
        assert any(ln.startswith(f"{name}:1: -: 是符号链接") and "is a symbolic link" in ln for ln in lines), name
    assert "Traceback" not in result.stderr


def test_symlink_to_a_folder_is_not_followed(tmp_path):
    data = make_tree(tmp_path)
    outside = tmp_path / "outside-tree"
    (outside / "products").mkdir(parents=True)
    (outside / "products" / "2027.csv").write_text(SECRET + "\n", encoding="utf-8")
    (data / "evil").symlink_to(outside)
    (data / "products" / "more").symlink_to(outside / "products")
    assert report(data) == [("evil", 1, "-", "symlink"), ("products/more", 1, "-", "symlink")]
    result = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert SECRET not in result.stdout and str(outside) not in result.stdout


def test_symlinked_dataset_yaml_is_rejected(tmp_path):
    data = make_tree(tmp_path)
    meta = data / "products" / "dataset.yaml"
    real = tmp_path / "elsewhere.yaml"
    real.write_bytes(meta.read_bytes())
    meta.unlink()
    meta.symlink_to(real)
    found = report(data)
    assert ("products/dataset.yaml", 1, "-", "symlink") in found
    # with no readable dataset.yaml the folder's files belong to no dataset: reported, not skipped
    assert ("products/2025.csv", 1, "-", "stray-file") in found


def test_fifo_in_the_tree_is_refused_without_blocking(tmp_path):
    data = make_tree(tmp_path)
    os.mkfifo(data / "products" / "2027.csv")
    assert report(data) == [("products/2027.csv", 1, "-", "special")]


def test_file_name_with_newline_cannot_forge_an_actions_annotation(tmp_path):
    data = make_tree(tmp_path)
    (data / "products" / "x\n::error file=README.md,line=1::pwned\n.csv").write_text("id\n", encoding="utf-8")
    (data / "products" / "\x1b[31mred\x1b[0m.csv").write_text("id\n", encoding="utf-8")
    result = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    assert not any(line.startswith("::") for line in result.stdout.splitlines())
    assert ('data/products/x\\x0a::error file=README.md,line=1::pwned\\x0a.csv":1: -: 文件或目录名含有控制字符'
            in result.stdout)
    assert '"data/products/\\x1b[31mred\\x1b[0m.csv":1: -: ' in result.stdout


def _schemas_copy(tmp_path: Path) -> Path:
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    return schemas


def _report(data: Path, schemas: Path) -> list[tuple]:
    catalog, problems = load_catalog(data, schemas)
    problems += validate_catalog(catalog)
    root = data.parent.resolve()
    return sorted({((Path(p.path).parent.resolve() / Path(p.path).name).relative_to(root).as_posix(), p.line, p.field,
                     p.code) for p in problems if p.severity == "error"})


def test_schema_link_escaping_schemas_is_rejected(tmp_path):
    data, schemas = make_tree(tmp_path), _schemas_copy(tmp_path)
    loose = tmp_path / "loose.schema.yaml"
    loose.write_text("fields:\n  - {name: id, type: string}\n", encoding="utf-8")
    (schemas / "products.schema.yaml").unlink()
    (schemas / "products.schema.yaml").symlink_to(loose)
    assert _report(data, schemas) == [("data/products/dataset.yaml", 12, "schema", "schema-outside")]


def test_folder_where_the_schema_should_be(tmp_path):
    data, schemas = make_tree(tmp_path), _schemas_copy(tmp_path)
    (schemas / "products.schema.yaml").unlink()
    (schemas / "products.schema.yaml").mkdir()
    assert _report(data, schemas) == [("schemas/products.schema.yaml", 1, "-", "not-a-file")]


def test_folder_where_dataset_yaml_should_be(tmp_path):
    data = make_tree(tmp_path)
    (data / "extra" / "dataset.yaml").mkdir(parents=True)
    (data / "extra" / "dataset.yaml" / "2025.csv").write_text("id\n", encoding="utf-8")
    assert report(data) == [("extra/dataset.yaml", 1, "-", "not-a-file"), ("extra/dataset.yaml/2025.csv", 1, "-", "stray-file")]


def test_schema_fields_not_a_list(tmp_path):
    data, schemas = make_tree(tmp_path), _schemas_copy(tmp_path)
    path = schemas / "products.schema.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\nfields:")] + "\nfields: 5\n", encoding="utf-8")
    found = _report(data, schemas)
    assert found == [("schemas/products.schema.yaml", 14, "fields", "schema-invalid")]


def test_schema_typo_in_a_registry_does_not_hide_the_real_error(tmp_path):
    """award-types cannot be loaded (its schema name has a typo): that is reported; the awards rule does not crash."""
    data = make_tree(tmp_path)
    meta = data / "registry" / "award-types" / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("schema: registry/award-types.schema.yaml",
                                                              "schema: registry/award-typo.schema.yaml"), encoding="utf-8")
    assert report(data) == [("registry/award-types/dataset.yaml", 9, "schema", "missing-schema")]


def _scene(data: Path) -> Path:
    return data / "scenes" / "2025" / "S-2025-001.yaml"


def _validate_cli(tmp_path: Path) -> subprocess.CompletedProcess:
    result = run_cli("validate", "data", "-q", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    return result


def test_yaml_nested_1000_levels(tmp_path):
    data = make_tree(tmp_path)
    _scene(data).write_text("id: S-2025-001\nneeds: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    assert report(data) == [("scenes/2025/S-2025-001.yaml", 2, "-", "yaml-too-deep")]


def test_yaml_nested_50000_levels_neither_crashes_nor_hangs(tmp_path):
    data = make_tree(tmp_path)
    block = "".join("  " * i + f"k{i}:\n" for i in range(2000))  # block style too
    _scene(data).write_text("needs: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    (data / "scenes" / "2025" / "S-2025-002.yaml").write_text(block, encoding="utf-8")
    result = _validate_cli(tmp_path)
    assert result.returncode == 1  # a segfault would be -11
    assert "data/scenes/2025/S-2025-001.yaml:1: -: YAML 嵌套超过 32 层，未读取" in result.stdout
    assert "data/scenes/2025/S-2025-002.yaml:33: -: YAML 嵌套超过 32 层，未读取" in result.stdout


def test_dataset_yaml_nested_deeply(tmp_path):
    data = make_tree(tmp_path)
    meta = data / "products" / "dataset.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text + "extra: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", encoding="utf-8")
    found = report(data)
    assert found == [("products/dataset.yaml", len(text.splitlines()) + 1, "-", "yaml-too-deep")]  # the added line


def test_csv_cell_over_the_csv_module_limit(tmp_path):
    data = make_tree(tmp_path)
    path = data / "products" / "2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, lines[1].replace("示例高精度压力传感器", "长" * 140_000).replace("P-2025-00001", "P-2025-00099"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert report(data) == [("products/2025.csv", 3, "-", "csv-error")]
    result = _validate_cli(tmp_path)
    assert "data/products/2025.csv:3: -: CSV 无法继续读取：field larger than field limit (131072)" in result.stdout


def test_files_template_may_repeat_a_placeholder():
    pattern = template_regex("{year}/{year}.csv")
    assert pattern.match("2025/2025.csv").group("year") == "2025"
    assert pattern.match("2025/2026.csv") is None


def test_unknown_column_named_like_an_annotation_is_quoted(tmp_path):
    data = make_tree(tmp_path)
    path = data / "products" / "2025.csv"
    text = path.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    path.write_text(header + ',"x\n::error::forged\x1b[2J"\n' + "\n".join(ln + "," for ln in rest.splitlines()) + "\n",
                    encoding="utf-8")
    result = _validate_cli(tmp_path)
    assert "\x1b" not in result.stdout and not any(ln.startswith("::") for ln in result.stdout.splitlines())
    assert 'data/products/2025.csv:1: “x\\x0a::error::forged\\x1b[2J”: 表头中有未知的列' in result.stdout


def _listed(result: subprocess.CompletedProcess, name: str) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith(name + ":")]


def test_million_header_columns_lists_50_problems_and_counts_the_rest(tmp_path):
    data = make_tree(tmp_path)
    path = data / "products" / "2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(lines[0] + "," + ",".join(f"c{i}" for i in range(1_000_000 - 13)) + "\n" + "\n".join(lines[1:]) + "\n",
                    encoding="utf-8")
    result = _validate_cli(tmp_path)
    listed = _listed(result, "data/products/2025.csv")
    assert len(listed) == 51 and len(result.stdout) < 40_000
    assert listed[-1].startswith("data/products/2025.csv:1: -: …另有 999941 个问题未列出") and "999941 more problems" in listed[-1]
    assert "invalid: 999,991 errors in 1 file" in result.stdout.splitlines()[-1]


def test_yaml_with_2_5_million_unknown_keys_is_refused_early(tmp_path):
    data = make_tree(tmp_path)
    with _scene(data).open("a", encoding="utf-8") as fh:
        fh.writelines(f"k{i:07d}: v\n" for i in range(2_500_000))
    assert _scene(data).stat().st_size > 29_000_000
    result = _validate_cli(tmp_path)
    assert _listed(result, "data/scenes/2025/S-2025-001.yaml") == [
        "data/scenes/2025/S-2025-001.yaml:25006: -: YAML 文件超过 50000 个值，未读取（一个文件只写一条记录或一个数据集说明）"
        " | the YAML file has more than 50000 values; not read (one file holds one record or one dataset description)"]


def test_30_mb_csv_of_ragged_rows_prints_little(tmp_path):
    """(Was 50 MB: files over load.MAX_FILE_BYTES are now refused unread, see the tree bounds below.)"""
    data = make_tree(tmp_path)
    path = data / "products" / "2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = lines[1] + ",extra\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(lines[0] + "\n")
        fh.writelines(row for _ in range(30_000_000 // len(row.encode())))
    assert 29_000_000 < path.stat().st_size <= MAX_FILE_BYTES
    result = _validate_cli(tmp_path)
    listed = _listed(result, "data/products/2025.csv")
    assert len(listed) == 51 and len(result.stdout) < 40_000
    columns = len(lines[0].split(","))
    assert listed[0].startswith(f"data/products/2025.csv:2: -: 本行有 {columns + 1} 个单元格，而表头有 {columns} 列")
    assert listed[-1].startswith("data/products/2025.csv:52: -: …另有 ") and "more problems not shown" in listed[-1]


def test_registry_without_its_id_column_found_by_fuzzing(tmp_path):
    data = make_tree(tmp_path)
    path = data / "registry" / "districts" / "districts.csv"
    rows = [line.split(",", 1)[1] for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert ("registry/districts/districts.csv", 1, "id", "missing-column") in report(data)


def test_schema_name_too_long_for_the_file_system_found_by_fuzzing(tmp_path):
    data = make_tree(tmp_path)
    meta = data / "registry" / "districts" / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("registry/districts.schema.yaml",
                                                             "registry/" + "长" * 300 + ".schema.yaml"), encoding="utf-8")
    assert ("registry/districts/dataset.yaml", 9, "schema", "schema-outside") in report(data)


# --- issue 18 item 8: the size of the tree is bounded before anything is read ------------------------------------

def _grow_sparse(path: Path, size: int) -> None:
    """The file, kept, extended to `size` bytes with a hole (no disk used): its size is what the bounds look at."""
    with path.open("r+b") as fh:
        fh.truncate(size)


def test_200000_tiny_yaml_files_are_refused_before_any_is_read(tmp_path, monkeypatch):
    """200,000 one-record YAML files took 208 s and 4.6 GB and printed 443 MB. The walk stops past MAX_FILES and
    nothing is read (MAX_FILES lowered here; refusing the real 200,000 took 4 s and 125 MB)."""
    data = make_tree(tmp_path)
    monkeypatch.setattr(load, "MAX_FILES", 300)
    folder = data / "scenes" / "2025"
    text = _scene(data).read_text(encoding="utf-8")
    for i in range(300):
        (folder / f"S-2025-{i + 100:06d}.yaml").write_text(text, encoding="utf-8")
    (folder / "S-2025-000099.yaml").write_bytes(b"\xff\xfe not UTF-8: would be a problem if it were read")
    catalog, problems = load_catalog(data)
    assert [p.format() for p in problems] == [
        f"{data}:1: -: 数据目录中的文件超过 300 个，未读取任何文件（每个数据集按年度一个 CSV 文件，或每条记录一个 YAML 文件；"
        "删除误提交或生成的文件） | the data tree holds more than 300 files; nothing was read (a dataset keeps one CSV per "
        "year, or one YAML file per record: remove files committed by mistake or generated)"]
    assert catalog.datasets == {}


def test_500_mb_csv_is_refused_by_its_size_before_it_is_read(tmp_path):
    """One 500 MB CSV took over 300 s and 5.3 GB. Its size is over MAX_FILE_BYTES (and the tree's over
    MAX_TREE_BYTES): refused from the size alone, in validate and build alike."""
    data = make_tree(tmp_path)
    _grow_sparse(data / "products" / "2025.csv", 500_000_000)
    started = time.monotonic()
    result = _validate_cli(tmp_path)
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    limit, total = f"{MAX_FILE_BYTES / 1e6:.1f} MB", f"{MAX_TREE_BYTES / 1e6:.1f} MB"
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data:1: -: 数据目录共有 500.")
    assert f"超过上限 {total}，未读取任何文件（最大的文件：data/products/2025.csv, 500.0 MB）" in lines[0]
    assert lines[1] == (f"data/products/2025.csv:1: -: 文件有 500.0 MB，超过单个文件的上限 {limit}，未读取任何文件"
                        "（按年度拆分成多个文件；检查是否误提交了导出的大文件） | the file is 500.0 MB, over the limit of "
                        f"{limit} per file; nothing was read (split it into one file per year; check that no large "
                        "export was committed by mistake)")
    assert lines[2].startswith("✗ 校验未通过：2 个错误") and len(lines) == 3
    out = tmp_path / "out"
    built = run_cli("build", "--data", data, "--out", out, "-q", cwd=tmp_path)
    assert built.returncode == 1 and built.stdout.splitlines()[1] == lines[1] and not out.exists()


def test_files_each_under_the_file_limit_but_too_many_bytes_together_are_refused(tmp_path):
    data = make_tree(tmp_path)
    each = MAX_FILE_BYTES - 1
    paths = [data / "products" / "2025.csv", data / "products" / "2026.csv", data / "projects" / "2025.csv"]
    for path in paths[: MAX_TREE_BYTES // each + 1]:
        _grow_sparse(path, each)
    result = _validate_cli(tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == 2, result.stdout
    assert lines[0].startswith("data:1: -: 数据目录共有 ") and "the data tree holds " in lines[0]
    assert f"over the limit of {MAX_TREE_BYTES / 1e6:.1f} MB; nothing was read (largest file: data/" in lines[0]


def test_thousands_of_problems_print_at_most_1000_lines_and_one_line_for_the_rest(tmp_path):
    """200,000 problems printed 443 MB. Past LISTED lines one line says how many more, in how many files, from where;
    the summary still counts them all."""
    data = make_tree(tmp_path)
    for i in range(1_500):
        (data / f"stray-{i:04d}.txt").write_text("x", encoding="utf-8")
    result = _validate_cli(tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == 1_002
    assert all(": 不属于任何数据集" in line for line in lines[:1_000])
    assert lines[1_000] == ("data/stray-1000.txt:1: -: …另有 500 个问题未列出（涉及从这里开始的 500 个文件；一次最多列出 1,000 个）"
                            "（先改正上面列出的问题再重新校验） | …500 more problems not shown (in 500 files from here on; "
                            "at most 1,000 are listed) (fix the problems above and validate again)")
    assert lines[-1].startswith("✗ 校验未通过：1500 个错误，涉及 1500 个文件")
