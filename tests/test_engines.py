"""`build --engine mkdocs|zensical`: both generators build the same site from the same mkdocs.yml.

The tiny test site is built with each; the page lists must be equal and every page's main content (the article's
text and link targets, not the theme chrome around it) identical.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, make_tree, run_cli

from scripts.site import shell
from scripts.site.zensical_engine import build_site


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("engines")
    data = make_tree(base)
    built = {}
    for engine in ("mkdocs", "zensical"):
        proc = run_cli("build", "--data", data, "--out", base / engine, "--engine", engine)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        built[engine] = base / engine / "site"
    return built


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def main_content(path: Path) -> tuple[str, list[str]]:
    """The article's words and link targets, without the theme's own controls inside it."""
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert article is not None, path
    for chrome in article.select("#__skip, a.headerlink, a.md-content__button"):
        chrome.decompose()
    return " ".join(article.get_text(" ").split()), [a["href"] for a in article.find_all("a", href=True)]


def test_each_engine_really_built_its_site(sites):
    # Zensical's theme has its own asset layout (classic/ variant); MkDocs Material writes the lunr files
    assert list((sites["zensical"] / "assets" / "stylesheets" / "classic").glob("main.*.min.css"))
    assert not (sites["mkdocs"] / "assets" / "stylesheets" / "classic").exists()
    assert (sites["mkdocs"] / "assets" / "javascripts" / "lunr").is_dir()
    assert not (sites["zensical"] / "assets" / "javascripts" / "lunr").exists()


def test_both_engines_publish_the_same_pages(sites):
    mkdocs, zensical = pages(sites["mkdocs"]), pages(sites["zensical"])
    assert len(mkdocs) > 40 and "products/P-2025-00001/index.html" in mkdocs and "404.html" in mkdocs
    assert zensical == mkdocs


def test_every_page_has_the_same_main_content_and_links(sites):
    different = []
    for rel in pages(sites["mkdocs"]):
        if main_content(sites["mkdocs"] / rel) != main_content(sites["zensical"] / rel):
            different.append(rel)
    assert different == []
    text, links = main_content(sites["zensical"] / "products" / "P-2025-00001" / "index.html")
    assert "P-2025-00001" in text and "../../products/2025/" in links  # relative to the published address


def test_zensical_build_is_byte_identical_twice(sites, tmp_path):
    data = make_tree(tmp_path)
    proc = run_cli("build", "--data", data, "--out", tmp_path / "again", "--engine", "zensical")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    again = tmp_path / "again" / "site"
    first = {p.relative_to(sites["zensical"]): p.read_bytes() for p in sites["zensical"].rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_unknown_engine_is_refused_clearly():
    proc = run_cli("build", "--engine", "hugo")
    assert proc.returncode == 2
    assert "invalid choice: 'hugo'" in proc.stderr and "mkdocs" in proc.stderr and "zensical" in proc.stderr


def test_a_zensical_warning_fails_the_build_with_its_own_message(tmp_path):
    work = tmp_path / "work"
    (work / "docs").mkdir(parents=True)
    (work / "docs" / "index.md").write_text("# 首页\n\n[缺失 / missing](missing.md)\n", encoding="utf-8")
    options = {"config": str(REPO / "mkdocs.yml"), "docs": str(work / "docs"), "nav": [{"首页": "index.md"}],
               "not_in_nav": "", "extra": {}, "epoch": 1700000000}  # the build date: an argument of every build
    raw = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    with pytest.raises(RuntimeError) as failure:
        build_site(options, raw, work, tmp_path / "no-hand-written-pages")
    message = str(failure.value)
    assert message.startswith("zensical build failed (exit 1):") and "page does not exist" in message
    assert "\x1b[" not in message and "Traceback" not in message


def test_zensical_sitemap_lists_every_filled_page_and_no_stub(sites):
    # both engines build only the nav, hand-written and one stub page per page shell (scripts/site/shell.py); the
    # sitemap Zensical writes (addresses from the site root) is completed with every filled page
    locs = re.findall(r"<loc>(.*?)</loc>", (sites["zensical"] / "sitemap.xml").read_text(encoding="utf-8"))
    expected = ["/" + rel.removesuffix("index.html") for rel in pages(sites["zensical"]) if rel != "404.html"]
    assert "/products/P-2025-00001/" in locs and locs == sorted(expected)
    for site in sites.values():
        assert not [p for p in site.rglob("*") if shell.NAME in p.name]
        assert not [p for p in site.rglob("*.html") if shell.TITLE in p.read_text(encoding="utf-8")]
