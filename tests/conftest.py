"""Shared test helpers: real-layout data trees built from tiny fixtures, and the CLI run as a real process."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_tree(dest: Path, *overlays: Path) -> Path:
    """dest/data = the shipped registry + the tiny valid fixture, with each overlay's files copied on top."""
    data = dest / "data"
    shutil.copytree(REPO / "data" / "registry", data / "registry")
    shutil.copytree(FIXTURES / "valid", data, dirs_exist_ok=True)
    for overlay in overlays:
        apply_overlay(data, overlay)
    return data


def apply_overlay(data: Path, overlay: Path) -> None:
    """Copy an overlay fixture's files (not its README) onto a data tree, replacing what is there."""
    for path in sorted(overlay.rglob("*")):
        if path.is_file() and path.name != "README.md":
            target = data / path.relative_to(overlay)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts", *map(str, args)], cwd=cwd or REPO,
                          capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def tree(tmp_path):
    """A valid tiny data tree in tmp_path/data."""
    return make_tree(tmp_path)


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data tree (registries, example lists): what the import tests start from."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target
