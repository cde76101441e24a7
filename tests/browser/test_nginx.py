"""The built site served by Debian nginx with the shipped configuration (deploy/nginx/), as a government host runs it.

Plain HTTP requests on loopback check the headers (gzip from the build's .gz copies, charset, caching, 404 page,
attachments, security headers); real Chromium checks that the pages work under the Content-Security-Policy:
no console errors or policy violations, search finds records, downloads arrive intact.
"""

from __future__ import annotations

import gzip
import http.client
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import start_nginx, stop_nginx

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
PAGES = ["/", "/products/", "/products/2025/", "/products/P-2025-00001/", "/statistics/", "/policy/", "/search/",
         "/downloads/", "/companies/", "/about/"]


def get(base: str, path: str, gzip_ok: bool = True) -> tuple[int, dict[str, str], bytes]:
    """One GET with a plain HTTP client: status, headers (lower-case names), body as sent (not decompressed)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def first_file(root: Path, pattern: str) -> str:
    found = sorted(p for p in root.glob(pattern) if p.is_file() and p.suffix != ".gz")
    assert found, f"no {pattern} under {root}"
    return "/" + found[0].relative_to(root).as_posix()


def test_html_is_gzipped_from_the_build_copy_and_cached_briefly(nginx_url, site_dir):
    status, headers, body = get(nginx_url, "/products/2025/")
    assert status == 200
    assert headers["content-encoding"] == "gzip" and "Accept-Encoding" in headers["vary"]
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body == (site_dir / "products" / "2025" / "index.html.gz").read_bytes()
    assert gzip.decompress(body) == (site_dir / "products" / "2025" / "index.html").read_bytes()
    assert headers["cache-control"] == SHORT
    plain_status, plain, raw = get(nginx_url, "/products/2025/", gzip_ok=False)
    assert plain_status == 200 and "content-encoding" not in plain
    assert raw == (site_dir / "products" / "2025" / "index.html").read_bytes()


@pytest.mark.parametrize("path, mime", [("/downloads/products/products.csv", "text/csv"),
                                        ("/downloads/products/products.excel.csv", "text/csv"),
                                        ("/downloads/products/products.json", "application/json"),
                                        ("/downloads/manifest.json", "application/json"),
                                        ("/listdata/companies.json", "application/json")])
def test_csv_and_json_say_utf8(nginx_url, site_dir, path, mime):
    status, headers, body = get(nginx_url, path)
    assert status == 200
    assert headers["content-type"] == f"{mime}; charset=utf-8"
    data = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    assert data == (site_dir / path.lstrip("/")).read_bytes()


def test_release_files_and_fingerprinted_assets_are_immutable(nginx_url, site_dir):
    release = first_file(site_dir, "downloads/releases/*/*/*.csv")
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    fingerprinted = [tag.get("href") or tag.get("src") for tag in home.find_all(["link", "script"])
                     if re.search(r"\.[0-9a-f]{8}\.min\.(css|js)$", tag.get("href") or tag.get("src") or "")]
    assert fingerprinted, "the home page links no fingerprinted theme asset"
    for path in [release, "/" + fingerprinted[0].lstrip("./"), "/" + fingerprinted[-1].lstrip("./")]:
        status, headers, _body = get(nginx_url, path)
        assert (status, headers["cache-control"]) == (200, IMMUTABLE), path
    # the current downloads and the project's own, unfingerprinted assets change with the data: short caching
    for path in ["/downloads/products/products.csv", "/assets/site.css", "/assets/javascripts/search.js", "/"]:
        status, headers, _body = get(nginx_url, path)
        assert (status, headers["cache-control"]) == (200, SHORT), path


def test_unknown_address_gets_the_sites_404_page_with_status_404(nginx_url, site_dir):
    status, headers, body = get(nginx_url, "/products/P-1999-99999/", gzip_ok=False)
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body == (site_dir / "404.html").read_bytes()
    assert "找不到这个页面" in BeautifulSoup(body, "html.parser").select_one("article h1").get_text()
    status, _headers, _body = get(nginx_url, "/downloads/products/none.csv")
    assert status == 404


def test_data_files_download_as_attachments_but_pages_and_manifest_do_not(nginx_url, site_dir):
    for path in ["/downloads/products/products.csv", "/downloads/products/products.xlsx",
                 "/downloads/products/products.json", first_file(site_dir, "downloads/*.zip"),
                 first_file(site_dir, "downloads/releases/*/*/*.xlsx")]:
        status, headers, _body = get(nginx_url, path)
        assert (status, headers.get("content-disposition")) == (200, "attachment"), path
    for path in ["/downloads/", "/downloads/manifest.json", "/listdata/companies.json", "/"]:
        status, headers, _body = get(nginx_url, path)
        assert status == 200 and "content-disposition" not in headers, path


def test_security_headers_on_pages_files_and_errors(nginx_url):
    for path in ["/", "/downloads/products/products.csv", "/nowhere/"]:
        _status, headers, _body = get(nginx_url, path)
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        csp = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
        assert csp["default-src"] == csp["script-src"] == csp["style-src"] == "'self'", path
        assert "unsafe" not in headers["content-security-policy"], path


DOTFILES = {".git/config": "[remote] token=SECRET", ".env": "SECRET=1", "x/.htaccess": "SECRET",
            "x/.hidden/notes.txt": "SECRET", ".well-known/.secret": "SECRET", ".env.gz": "SECRET"}


def test_dotfiles_planted_in_the_site_root_are_not_served(tmp_path):
    """Issue 18 item 10: a dotfile that reached the site root (a .git folder, .env, .htaccess) was served. Every path
    segment starting with a dot is 404 (the site's 404 page, no byte of the file), also spelt %2e; /.well-known/
    is served."""
    site = tmp_path / "site"
    for rel, text in {**DOTFILES, "index.html": "<p>home</p>", "404.html": "<h1>not found</h1>",
                      "x/visible.txt": "visible", ".well-known/security.txt": "Contact: mailto:x@example.org"}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    proc, url = start_nginx(site, tmp_path / "nginx")
    try:
        for path in ["/" + rel for rel in DOTFILES] + ["/.git/", "/.git", "/%2egit/config", "/x/%2Ehtaccess",
                                                       "/x/./.htaccess", "/x/../.env"]:
            for gzip_ok in (True, False):
                status, _headers, body = get(url, path, gzip_ok)
                assert (status, body) == (404, b"<h1>not found</h1>"), (path, status, body[:80])
        assert get(url, "/.well-known/security.txt")[::2] == (200, b"Contact: mailto:x@example.org")
        assert get(url, "/x/visible.txt")[::2] == (200, b"visible")
    finally:
        stop_nginx(proc)


def test_directory_without_slash_redirects_relatively(nginx_url):
    status, headers, _body = get(nginx_url, "/about")
    assert (status, headers["location"]) == (301, "/about/")


@pytest.fixture
def console(page):
    """Console errors and CSP violations of the page, collected from the first script on."""
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                         "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")
    return messages


@pytest.mark.parametrize("path", PAGES + ["/no-such-page/"])
def test_pages_load_under_the_csp_without_console_errors(page, nginx_url, console, page_errors, path):
    response = page.goto(nginx_url + path)
    assert response.status == (404 if path == "/no-such-page/" else 200)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert page.locator("header.md-header").is_visible()
    assert page.evaluate("typeof __md_get === 'function' && __md_scope instanceof URL")  # theme script from its file
    if path == "/products/2025/":
        page.wait_for_selector(".sx-list[data-ready='1']")
    if path in ("/", "/statistics/"):  # charts are SVG drawn at build time (no inline style, no script): drawn
        chart = page.locator(".sx-vchart svg.sx-chart").first.bounding_box()
        assert chart and chart["width"] > 200 and chart["height"] > 150, chart
    assert page_errors == [] and [m for m in console if not m.endswith("404 (Not Found)")] == []
    if path == "/no-such-page/":  # the one expected error is the page's own status
        assert len(console) == 1 and "404" in console[0]


def test_search_works_through_nginx(page, nginx_url, console, page_errors):
    page.goto(nginx_url + "/")
    box = page.locator("form.srch-header-box input[name=q]")
    box.click()
    page.keyboard.type("P-2025-00001", delay=15)
    page.locator("form.srch-header-box[data-srch-done='1']").wait_for()  # (wait_for_function would need eval: CSP)
    link = page.locator("form.srch-header-box li.srch-result a.srch-link").first
    assert link.get_attribute("href").rstrip("/").endswith("products/P-2025-00001")
    link.click()
    page.wait_for_url(re.compile(r".*/products/P-2025-00001/$"))
    assert "P-2025-00001" in page.locator("article").inner_text()
    assert page_errors == [] and console == []


def test_download_link_and_filtered_download_work_through_nginx(page, nginx_url, site_dir, console, page_errors, tmp_path):
    page.goto(nginx_url + "/downloads/")
    with page.expect_download() as info:
        page.locator("article a[href$='products/products.csv']").first.click()
    saved = tmp_path / "products.csv"
    info.value.save_as(saved)
    assert info.value.suggested_filename == "products.csv"
    assert saved.read_bytes() == (site_dir / "downloads" / "products" / "products.csv").read_bytes()
    page.goto(nginx_url + "/products/2025/")
    page.wait_for_selector(".sx-list[data-ready='1']")
    with page.expect_download() as info:
        page.click("button.sx-download")
    filtered = tmp_path / "filtered.csv"
    info.value.save_as(filtered)
    rows = filtered.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + int(page.locator(".sx-list").get_attribute("data-filtered"))
    assert page_errors == [] and console == []


def test_the_404_page_offers_a_search_that_finds_records(page, nginx_url, console, page_errors):
    """A mistyped address under the real server: the 404 page's own search box leads to results."""
    response = page.goto(nginx_url + "/products/P-2025-0000/")
    assert response.status == 404
    assert page.locator("article h1").text_content().startswith("找不到这个页面")
    page.get_by_label("搜索记录、企业、编号 / Search records, companies, ids").fill("P-2025-00001")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=P-2025-00001$"))
    link = page.locator("#srch-page-results a.srch-link").first
    link.wait_for()
    assert link.get_attribute("href").rstrip("/").endswith("products/P-2025-00001")
    assert page_errors == [] and [m for m in console if not m.endswith("404 (Not Found)")] == []
