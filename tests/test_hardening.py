"""Issue 9, loader and validator side: attacks that cannot be committed as a fixture (links, FIFOs, names with
newlines, multi-megabyte inputs) are built at test time, each test named after its defect."""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import make_tree, run_cli
from test_validate import report

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
        assert any(l.startswith(f"{name}:1: -: 是符号链接") and "is a symbolic link" in l for l in lines), name
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
