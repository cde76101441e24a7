"""Generated pages filled into page shells (scripts/site/shell.py) against the old way: MkDocs rendering the page's full
Markdown. Golden comparison with an HTML parser: title, nav, header, footer, banner, search box, scripts and
main content of record, company, district and list pages, then every page of the site; once with the shipped
mkdocs.yml and once with `site_url` and `navigation.tabs` set (canonical link, sitemap, tabs)."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, make_tree, run_cli

from scripts.site import shell

SITE_URL = "https://data.example.gov.cn/sanxin/"
OLD_WAY = ("import sys; from pathlib import Path; from scripts.build import build; "
           "sys.exit(build(Path(sys.argv[1]), Path(sys.argv[2]), config=Path(sys.argv[3]), quiet=True, "
           "fill_shells=sys.argv[4] == 'new'))")


def _build(data: Path, out: Path, config: Path, way: str) -> Path:
    proc = subprocess.run([sys.executable, "-c", OLD_WAY, str(data), str(out), str(config), way], cwd=REPO,
                          capture_output=True, text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out / "site"


def _config_with_site_url(dest: Path) -> Path:
    raw = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    raw["site_url"] = SITE_URL
    raw["theme"]["custom_dir"] = str(REPO / raw["theme"]["custom_dir"])
    raw["theme"]["features"].append("navigation.tabs")
    path = dest / "mkdocs-site-url.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("shell")
    data = make_tree(base, FIXTURES / "xss-overlay")
    url_config = _config_with_site_url(base)
    return {f"{way}{suffix}": _build(data, base / f"{way}{suffix}", config, way)
            for suffix, config in (("", REPO / "mkdocs.yml"), ("-url", url_config)) for way in ("new", "old")}


def fold(text: str) -> str:
    return " ".join(text.split())


def parts(path: Path) -> dict[str, str]:
    """The page's theme parts and content, each as whitespace-folded HTML."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    found = {"title": soup.title, "nav": soup.select_one("nav.md-nav--primary"), "header": soup.select_one("header"),
             "footer": soup.select_one("footer"), "banner": soup.select_one("[data-example-banner]"),
             "search": soup.select_one("form.srch-search"), "main": soup.select_one("article"),
             "canonical": soup.select_one("link[rel=canonical]"), "tabs": soup.select_one("nav.md-tabs")}
    out = {name: fold(str(tag)) if tag is not None else "" for name, tag in found.items()}
    out["scripts"] = fold(" ".join(str(s) for s in soup.find_all("script")))
    return out


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def sample(site: Path) -> list[str]:
    """A record, a company, a district, a year list, the companies list and a second company page if any."""
    rels = html_pages(site)
    picks = ["products/P-2025-00001/index.html", "products/2025/index.html", "companies/index.html",
             next(r for r in rels if re.fullmatch(r"companies/[^/]+/index.html", r)),
             next(r for r in rels if re.fullmatch(r"districts/[^/]+/index.html", r))]
    return picks


def test_record_company_district_and_list_pages_match_the_old_way(sites):
    for rel in sample(sites["new"]):
        new, old = parts(sites["new"] / rel), parts(sites["old"] / rel)
        for name in ("title", "nav", "header", "footer", "banner", "search", "main", "scripts"):
            assert new[name] == old[name], (rel, name)
        # the parts are really there (a missing part on both sides would compare equal)
        assert new["title"].startswith("<title>") and "嘉兴“三新”开放数据" in new["title"], rel
        assert new["nav"].count("md-nav__link") >= 8 and "href" in new["header"] and "md-footer" in new["footer"]
        up = "../" * rel.count("/")  # the page's depth: the theme's links are relative to its address
        assert "虚构示例数据" in new["banner"] and f'action="{up}search/"' in new["search"], rel
        assert "search.js" in new["scripts"] and len(new["main"]) > 200
    record = parts(sites["new"] / "products/P-2025-00001/index.html")
    assert record["title"] == "<title>P-2025-00001 - 嘉兴“三新”开放数据</title>"
    assert "P-2025-00001" in record["main"] and 'href="../../products/2025/"' in record["main"]


def test_every_page_is_the_same_both_ways(sites):
    for new, old in ((sites["new"], sites["old"]), (sites["new-url"], sites["old-url"])):
        assert html_pages(new) == html_pages(old)
        assert len(html_pages(new)) > 40
        different = [rel for rel in html_pages(new) if fold((new / rel).read_text(encoding="utf-8"))
                     != fold((old / rel).read_text(encoding="utf-8"))]
        assert different == []
        assert (new / "sitemap.xml").read_bytes() == (old / "sitemap.xml").read_bytes()
        assert (new / "sitemap.xml.gz").read_bytes() == (old / "sitemap.xml.gz").read_bytes()
        # every page's .gz copy (written by the fill from deflated shell pieces) is the page
        for rel in html_pages(new):
            assert gzip.decompress((new / f"{rel}.gz").read_bytes()) == (new / rel).read_bytes(), rel


def test_no_stub_is_left_in_the_site(sites):
    for site in sites.values():
        assert [p for p in site.rglob("*") if shell.NAME in p.name] == []
        for path in site.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert shell.NAME not in text and shell.TITLE not in text and shell.CONTENT not in text, path


def test_canonical_link_tabs_and_sitemap_name_each_page(sites):
    site = sites["new-url"]
    for rel in sample(site):
        page = parts(site / rel)
        address = SITE_URL + rel.removesuffix("index.html")
        assert page["canonical"] == f'<link href="{address}" rel="canonical"/>', rel
        assert page["tabs"].count("md-tabs__link") >= 7
        # a nav page (the companies list) marks its own tab; record, company, district and year pages mark none
        expected = 1 if rel == "companies/index.html" else 0
        assert page["tabs"].count("md-tabs__item--active") == expected, rel
        if expected:
            assert re.search(r'md-tabs__item--active"> <a class="md-tabs__link" href="./">', page["tabs"]), rel
    locs = re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    pages = [SITE_URL + rel.removesuffix("index.html") for rel in html_pages(site) if rel != "404.html"]
    assert sorted(locs) == locs and locs == sorted(pages)
    # with no site_url MkDocs lists nothing, and neither does the build
    assert "<loc>" not in (sites["new"] / "sitemap.xml").read_text(encoding="utf-8")


def test_pages_of_one_shell_share_their_links(tmp_path):
    nav = [{"首页": "index.md"}, {"产品": "products/index.md"}, {"统计": "statistics.md"}]
    targets = [shell.url_of(p) for p in shell.nav_paths(nav)]
    assert targets == ["", "products/", "statistics/"]
    assert shell.url_of("products/P-1.md") == "products/P-1/" and shell.url_of("companies/index.md") == "companies/"
    record, scene = (shell.links_from(u, targets) for u in ("products/P-1/", "scenes/S-1/"))
    assert record[2] == ".." and scene[2] == "../../products" and record != scene  # nav links differ by folder
    assert shell.links_from("companies/a/2/", targets) == shell.links_from("companies/b/3/", targets)
    stub = shell.stub_url("products/P-1/", 4)
    assert stub == f"products/{shell.NAME}4/" and shell.links_from(stub, targets) == record
    # the build's per-folder cache gives the same links, also in a folder that holds nav pages
    shells = shell.Shells(nav + [{"年": "products/2025/index.md"}], tmp_path / "staging")
    for url in ("products/P-1/", "products/P-2/", "products/", "products/2025/", "products/2025/x/", "scenes/S-1/",
                "companies/a/2/", "companies/b/3/", "a/"):
        assert shells.links(url) == shell.links_from(url, shells.targets), url


def test_mkdocs_peer_builds_record_pages_with_lunr(tmp_path):
    # the benchmark's yardstick (make bench, stage mkdocs-peer): one page per product, Material's lunr index on
    data = make_tree(tmp_path)
    proc = run_cli("mkdocs-peer", "--data", data, "--out", tmp_path / "peer", "--limit", "3")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    site = tmp_path / "peer" / "site"
    pages = sorted(p.parent.name for p in (site / "products").glob("*/index.html"))
    assert len(pages) == 3 and pages[0] == "P-2025-00001"
    table = BeautifulSoup((site / "products" / pages[0] / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "P-2025-00001" in table.select_one("article h1").get_text() and table.select_one("article table")
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert all(page in index for page in pages)


def test_fold_whitespace_cuts_line_break_runs_in_text_only():
    fold_cases = {
        "<div>\n   a\n\n   b</div>": "<div>\na\nb</div>",
        "a  \t\n  \n b": "a\nb",
        "a < b\n   c": "a < b\nc",  # a '<' that starts no tag is text
        # kept as written: pre, textarea, script, style, comments, attribute values (also holding '>')
        "<PRE class=\"a\">\n x</PRE >\n\n q": "<PRE class=\"a\">\n x</PRE >\nq",
        "<textarea>\n a\n</textarea>": "<textarea>\n a\n</textarea>",
        "<script>\n  let s = `a\n   b`;\n</script>\n  ": "<script>\n  let s = `a\n   b`;\n</script>\n",
        "<style>\n  p {}\n</style>": "<style>\n  p {}\n</style>",
        "<!-- a\n   b -->\n  x": "<!-- a\n   b -->\nx",
        "<div title=\"a\n   b\">\n  c</div>": "<div title=\"a\n   b\">\nc</div>",
        "<a href='x>y\n  z'>\n w</a>": "<a href='x>y\n  z'>\nw</a>",
        "\xa0\n\xa0": "\xa0\n\xa0",  # a no-break space is not HTML whitespace
        "a b\tc": "a b\tc",  # no line break: left alone
    }
    for source, expected in fold_cases.items():
        assert shell.fold_whitespace(source) == expected, source


def test_filled_folders_are_counted_once_and_walks_skip_only_what_the_fill_alone_wrote(tmp_path):
    from scripts.site.precompress import walk
    from scripts.site.render import page as make_page

    nav = [{"首页": "index.md"}]
    shells = shell.Shells(nav, tmp_path / "staging")
    # a/x holds another page's folder (a/x/y); the site generator has already written into a/z
    for rel in ("a/x.md", "a/x/y.md", "a/z.md", "a/w.md"):
        assert shells.take(rel, make_page(rel, f"<p>{rel}</p>"))
    site = tmp_path / "site"
    for url, (_hide, h1) in zip(shells.stub_urls, shells.stub_parts):
        stub = site / url / "index.html"
        stub.parent.mkdir(parents=True)
        stub.write_text(f"<html>\n  <title>{shell.TITLE}</title>\n    {shell.stub_block(h1)}\n</html>\n" + "x" * 300,
                        encoding="utf-8")
    (site / "a" / "z").mkdir(parents=True)
    (site / "a" / "z" / "data.json").write_text("{}", encoding="utf-8")
    done = shells.fill_site(site)
    assert done["pages"] == 4 and done["leaves"] == {"a/x/y", "a/w"}
    assert not any(shell.NAME in p.name for p in site.rglob("*"))
    assert (site / "a" / "w" / "index.html").read_text(encoding="utf-8").startswith("<html>\n<title>a/w.md</title>\n<p>a/w.md</p>\n</html>")
    # what the fill counted plus a walk that skips the leaves is every file, each once
    files = [p for p in site.rglob("*") if p.is_file()]
    walked = [path for path, _entry in walk(site, done["leaves"])]
    assert done["html"] + sum(p.endswith(".html") for p in walked) == sum(p.suffix == ".html" for p in files) == 4
    assert done["bytes"] + sum(os.path.getsize(p) for p in walked) == sum(p.stat().st_size for p in files)
    assert sorted(walked) == sorted(str(p) for p in files if p.parent.name not in ("y", "w"))
