"""The build command: validation gate, atomic replacement of the site, byte-identical rebuilds, page weight."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, csv_row, make_tree, run_cli

XSS = FIXTURES / "xss-overlay"


def bad_row(path: Path) -> str:
    """A product row with an invalid credit code, for the header of path."""
    return csv_row(path, id="P-2025-00009", year="2025", batch="1", kind="新产品", name="示例", company="示例公司",
                   credit_code="BAD", district="330402", industry="智能传感", recommended_by="市科技局", status="入选")


def digest_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("build")
    data = make_tree(base, XSS)
    proc = run_cli("build", "--data", data, "--out", base / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return data, base / "out", proc.stdout


def test_build_prints_progress_and_a_one_line_summary(built):
    _data, out, stdout = built
    summary = stdout.strip().splitlines()[-1]
    pages = len(list((out / "site").rglob("*.html")))
    size = sum(p.stat().st_size for p in (out / "site").rglob("*") if p.is_file())
    # the filled pages are counted by the fill, the rest by a walk that does not enter their folders: the same sums
    assert summary.startswith(f"✓ 站点已生成：{pages:,} 个页面，{size / 1e6:.1f} MB，")
    assert f"site built: {pages:,} pages, {size / 1e6:.1f} MB" in summary and " s" in summary


def test_failed_validation_writes_nothing_and_keeps_the_old_site(tmp_path):
    data = make_tree(tmp_path)
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("old site", encoding="utf-8")
    csv = data / "products" / "2025.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + bad_row(csv), encoding="utf-8")
    proc = run_cli("build", "--data", data, "--out", out)
    assert proc.returncode == 1
    assert "products/2025.csv:6: credit_code:" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1].startswith("✗ 校验未通过，未生成站点")
    assert sorted(p.name for p in out.iterdir()) == ["site"]
    assert [p.name for p in (out / "site").iterdir()] == ["index.html"]
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "old site"


def test_failed_validation_with_helpers_started_early_leaves_no_trace(tmp_path):
    # with -j 2 the search index and downloads start in forked processes while validation runs: a refusal stops them,
    # removes their work folder, and does not create OUT
    data = make_tree(tmp_path)
    csv = data / "products" / "2025.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + bad_row(csv), encoding="utf-8")
    out = tmp_path / "new-out"
    proc = run_cli("build", "-j", "2", "--data", data, "--out", out)
    assert proc.returncode == 1 and "products/2025.csv:6: credit_code:" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1].startswith("✗ 校验未通过，未生成站点")
    assert not out.exists()
    assert "搜索索引" not in proc.stderr and "Traceback" not in proc.stderr + proc.stdout


def test_failed_site_generation_leaves_the_previous_site_untouched(tmp_path):
    data = make_tree(tmp_path)
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("old site", encoding="utf-8")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(text.replace("name: material", "name: no-such-theme"), encoding="utf-8")
    proc = run_cli("build", "--data", data, "--out", out, "--config", bad)
    assert proc.returncode == 1
    assert "build failed, previous site left untouched" in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == ["site"]
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "old site"


def test_two_builds_are_byte_identical(built, tmp_path):
    data, out, _stdout = built
    again = tmp_path / "again"
    proc = run_cli("build", "--data", data, "--out", again)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    first, second = digest_tree(out / "site"), digest_tree(again / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_rebuild_replaces_the_site(built, tmp_path):
    data, _out, _stdout = built
    out = tmp_path / "out"
    (out / "site" / "stale").mkdir(parents=True)
    proc = run_cli("build", "--data", data, "--out", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (out / "site" / "stale").exists()
    assert (out / "site" / "index.html").is_file()
    assert sorted(p.name for p in out.iterdir()) == ["site"]  # no temporary folder left behind


def test_no_html_page_over_150_kb(built):
    _data, out, _stdout = built
    sizes = {p.relative_to(out / "site").as_posix(): p.stat().st_size for p in (out / "site").rglob("*.html")}
    assert len(sizes) > 40
    assert {name: size for name, size in sizes.items() if size > 150 * 1024} == {}


def test_record_and_company_pages_exist_for_every_record(built):
    data, out, _stdout = built
    site = out / "site"
    for path in sorted((data / "products").glob("*.csv")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            assert (site / "products" / line.split(",")[0] / "index.html").is_file()
    assert (site / "companies" / "91330402MA29GJ9Y6Y" / "index.html").is_file()
    assert (site / "districts" / "nanhu" / "index.html").is_file()
    assert (site / "scenes" / "S-2027-001" / "index.html").is_file()


def make_real(data) -> None:
    """What a department does before example: false: real names (no 示例 left) and every record's source."""
    for meta in sorted(data.rglob("dataset.yaml")):
        meta.write_text(meta.read_text(encoding="utf-8").replace("example: true", "example: false"), encoding="utf-8")
    for path in sorted(p for p in data.rglob("*") if p.suffix in (".csv", ".yaml") and p.name != "dataset.yaml"):
        text = path.read_text(encoding="utf-8").replace("示例", "禾城")
        if path.suffix == ".yaml" and "registry" not in path.parts:
            text += "list_title: 2025年嘉兴市重大应用场景清单\n"
        elif "registry" not in path.parts:
            rows = list(csv.DictReader(io.StringIO(text)))
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                row["list_title"] = row["list_title"] or "2025年度名单"
                row["source_url"] = row["source_url"] or "https://example.org/notice/1"
                writer.writerow(row)
            text = out.getvalue()
        path.write_text(text, encoding="utf-8")


def test_example_banner_only_while_some_dataset_is_example_data(tmp_path):
    data = make_tree(tmp_path)
    make_real(data)
    proc = run_cli("build", "--data", data, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    home = (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8")
    record = (tmp_path / "out" / "site" / "products" / "P-2025-00001" / "index.html").read_text(encoding="utf-8")
    about = BeautifulSoup((tmp_path / "out" / "site" / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "data-example-banner" not in home and "data-example-banner" not in record
    assert "禾城高精度压力传感器" in record
    assert about.select_one("[data-example-note]") is None and about.select_one("[data-real-note]") is not None
    assert "示例" not in about.get_text()  # the About page follows the flag


def test_about_page_names_the_example_datasets_while_the_flag_is_on(built):
    _data, out, _stdout = built
    about = BeautifulSoup((out / "site" / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")
    note = about.select_one("[data-example-note]")
    assert note is not None and about.select_one("[data-real-note]") is None
    assert "认定名单" in note.get_text() and "虚构示例数据" in note.get_text()


def test_reserved_dataset_names_cover_every_top_level_page_and_folder(built):
    """A list named like one of the site's own top-level pages would replace it: the meta schema reserves them all."""
    import json

    from scripts.load.loader import load_catalog, reserved_names
    data, out, _stdout = built
    reserved = set(reserved_names(json.loads((REPO / "schemas" / "dataset.meta.schema.json").read_text(encoding="utf-8"))))
    lists = {d.name for d in load_catalog(data)[0].lists()}
    top = {p.name.split(".")[0] for p in (out / "site").iterdir()} | {p.name.split(".")[0] for p in (REPO / "site").iterdir()}
    assert lists and top - lists <= reserved, sorted(top - lists - reserved)


def test_the_search_index_is_written_where_the_site_generator_never_looks(tmp_path):
    # the search index is still being written (into a temporary folder, then renamed) while the site generator walks
    # docs: it goes beside docs, and is moved into the built site afterwards
    from scripts import build

    docs = tmp_path / "work" / "docs"
    assert not build.stage_root(docs, 0).is_relative_to(docs)
    assert build.stage_root(docs, 1) == docs  # the downloads (their page is a docs page) are awaited before it runs


def _sitemap_day(out: Path) -> datetime:
    """The build date as the site carries it: the mtime in the header of sitemap.xml.gz (MkDocs writes it)."""
    header = (out / "site" / "sitemap.xml.gz").read_bytes()[:8]
    return datetime.fromtimestamp(int.from_bytes(header[4:8], "little"), timezone.utc)


def test_two_builds_in_one_process_get_their_own_dates(tmp_path, monkeypatch):
    """The build date is computed per build and never left in os.environ: a build of 2027 data and then a build of
    older data in the same process each carry the newest year of their own data (issue 19)."""
    from scripts.build import build
    from scripts.tools.fixture import generate

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    generate(tmp_path / "fx", products=40)
    newer = tmp_path / "fx" / "data"
    older = make_tree(tmp_path / "tiny")
    years = {name: max(int(p.stem) for p in (data / "products").glob("*.csv")) for name, data in
             (("newer", newer), ("older", older))}
    assert years["newer"] > years["older"]
    for name, data in (("newer", newer), ("older", older)):
        assert build(data, tmp_path / name, quiet=True, jobs=1) == 0
        assert "SOURCE_DATE_EPOCH" not in os.environ
    for name in ("newer", "older"):
        assert _sitemap_day(tmp_path / name) == datetime(years[name], 1, 1, tzinfo=timezone.utc)


def test_a_pinned_build_date_is_used_and_not_kept(tmp_path, monkeypatch):
    from scripts.build import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = make_tree(tmp_path)
    assert build(data, tmp_path / "pinned", quiet=True, jobs=1) == 0
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build(data, tmp_path / "own", quiet=True, jobs=1, epoch=1600000000) == 0
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert _sitemap_day(tmp_path / "pinned").date() == datetime.fromtimestamp(1700000000, timezone.utc).date()
    assert _sitemap_day(tmp_path / "own").date() == datetime.fromtimestamp(1600000000, timezone.utc).date()
