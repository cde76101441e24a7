"""Fixtures from schemas (issue 19): an optional column added to a schema needs no fixture edit. The schemas are
copied, the product schema gets an optional integer column in the middle, and the trees the tests build from the
tiny fixtures are valid or give exactly their declared report (a header, row or encoding defect is kept, and no line
moves); an overlay marked `.exact` is copied as written."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import EXACT, FIXTURES, REPO, apply_overlay, make_tree
from fixture_columns import fill_csv
from test_validate import EXPECTED, report

NEW = ("  - name: trial_count\n    title: 试用数量\n    x-label-en: Trial count\n"
       "    description: Number of trial sites (optional).\n    type: integer\n    constraints: {minimum: 0}\n")
# the invalid fixtures with a file of the product list (the one the new column is added to)
PRODUCT_FIXTURES = sorted(d for d in EXPECTED if any(p.parent.name.startswith("products")
                                                     for p in (FIXTURES / "invalid" / d).rglob("*.csv")))


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> Path:
    """A copy of schemas/ whose product schema has one more optional integer column, before recommended_by."""
    copy = tmp_path_factory.mktemp("schemas") / "schemas"
    shutil.copytree(REPO / "schemas", copy)
    path = copy / "products.schema.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("  - name: recommended_by\n") == 1
    path.write_text(text.replace("  - name: recommended_by\n", NEW + "  - name: recommended_by\n"), encoding="utf-8")
    return copy


def test_the_tiny_tree_gets_the_optional_column_in_schema_order(schemas, tmp_path):
    data = make_tree(tmp_path, schemas=schemas)
    assert report(data, schemas=schemas) == [] and report(data, "warning", schemas) == []
    names = [f["name"] for f in yaml.safe_load((schemas / "products.schema.yaml").read_text(encoding="utf-8"))["fields"]]
    for year in (2025, 2026):
        source = (FIXTURES / "valid" / "products" / f"{year}.csv").read_text(encoding="utf-8")
        built = (data / "products" / f"{year}.csv").read_text(encoding="utf-8")
        header = next(csv.reader([built.splitlines()[0]]))
        assert header == names  # the valid fixture has every column: now in the schema's order
        assert len(built.splitlines()) == len(source.splitlines())
        rows, before = list(csv.DictReader(built.splitlines())), list(csv.DictReader(source.splitlines()))
        assert rows and all(row[name] == "" for row in rows for name in row if name not in before[0])  # added: empty
        assert "trial_count" in rows[0] and [{name: row[name] for name in before[0]} for row in rows] == before
    assert (data / "projects" / "2025.csv").read_bytes() == (FIXTURES / "valid" / "projects" / "2025.csv").read_bytes()


@pytest.mark.parametrize("overlay", [*sorted((FIXTURES / "valid-variants").iterdir()),
                                     FIXTURES / "search-overlay", FIXTURES / "xss-overlay"], ids=lambda p: p.name)
def test_valid_overlays_stay_valid(overlay, schemas, tmp_path):
    """The BOM + CRLF variant keeps its BOM, its line endings and its line numbers."""
    data = make_tree(tmp_path, overlay, schemas=schemas)
    assert report(data, schemas=schemas) == []
    for source in overlay.rglob("*.csv"):
        raw, built = source.read_bytes(), (data / source.relative_to(overlay)).read_bytes()
        assert built.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
        assert built.count(b"\r\n") == raw.count(b"\r\n") and built.count(b"\n") == raw.count(b"\n")


@pytest.mark.parametrize("defect", PRODUCT_FIXTURES)
def test_invalid_fixtures_give_their_report(defect, schemas, tmp_path):
    fixture = FIXTURES / "invalid" / defect
    data = make_tree(tmp_path, fixture, schemas=schemas)
    assert report(data, schemas=schemas) == sorted(EXPECTED[defect])
    for source in fixture.rglob("*.csv"):  # no line moved: the declared lines still point at the defect
        raw, built = source.read_bytes(), (data / source.relative_to(fixture)).read_bytes()
        assert built.count(b"\n") == raw.count(b"\n") and built.count(b"\r") == raw.count(b"\r"), source


def test_an_exact_overlay_is_copied_as_written(schemas, tmp_path):
    """An overlay holding `.exact` (a fixture about a missing optional column, say) is not filled."""
    overlay = tmp_path / "overlay"
    shutil.copytree(FIXTURES / "valid" / "products", overlay / "products", ignore=shutil.ignore_patterns("*.yaml"))
    (overlay / EXACT).write_text("", encoding="utf-8")
    data = make_tree(tmp_path / "a", schemas=schemas)
    apply_overlay(data, overlay, schemas)
    assert (data / "products" / "2025.csv").read_bytes() == (overlay / "products" / "2025.csv").read_bytes()
    assert ("products/2025.csv", 1, "trial_count", "missing-column") in report(data, schemas=schemas)


def test_quoted_multiline_cells_keep_their_lines(tmp_path):
    """Cells are inserted around the raw text of the others: quotes, an escaped quote, a quoted line break, CRLF;
    a blank line stays blank, a short (ragged) row stays short, a missing required column stays missing."""
    path = tmp_path / "t.csv"
    path.write_bytes('\ufeffa,c\r\n"x ""y""",1\r\n\r\n"two\r\nlines",2\r\nz\r\n'.encode("utf-8"))
    fields = [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d", "constraints": {"required": True}}]
    assert fill_csv(path, fields)
    assert path.read_bytes() == '\ufeffa,b,c\r\n"x ""y""",,1\r\n\r\n"two\r\nlines",,2\r\nz\r\n'.encode("utf-8")
    assert not fill_csv(path, fields)  # nothing optional left to add
