"""Shared browser-test harness: build a small example-data site once, serve it on localhost, drive Debian chromium.

Fixtures (all real: a real build, a real threaded http.server, real Chromium through Playwright):

- `site_dir`   (session) the built site: `python -m scripts build --data data --out <tmp>` when the build command
               exists; until then (or with BROWSER_SITE=minimal) a minimal site (home + search page + search
               index) written by scripts.search.site.write_minimal_site.
- `base_url`   (session) e.g. "http://127.0.0.1:41234" serving `site_dir`; every request path is logged.
- `server_log` (session) list of request paths the server has answered, in order (clear it yourself if needed).
- `make_site`  (session) factory: make_site(data_dir) -> base_url of a site built from another data tree and served
               the same way (built once per data dir; servers stop at the end of the session).
- `serve_dir`  (session) factory: serve_dir(folder) -> base_url serving an already written folder as is.
- `nginx_url`  (session) e.g. "http://127.0.0.1:41235" serving `site_dir` through Debian nginx with the shipped
               deploy/nginx configuration (scripts.tools.nginx_config), on a free loopback port; stopped at the end.
- `browser`    (session) Playwright Chromium at /usr/bin/chromium, headless, no network services.
- `page`       (function) a fresh context + page; every request URL is recorded in `page_requests`, requests to any
               other origin than the served sites are aborted and FAIL the test; uncaught page errors are collected in `page_errors`.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ALLOWED_SCHEMES = ("data:", "blob:", "about:")
ORIGINS: set[str] = set()  # origins of the sites served in this session (base_url and make_site)


def _has_build_command() -> bool:
    if os.environ.get("BROWSER_SITE") == "minimal":  # develop the search without the full build
        return False
    sys.path.insert(0, str(REPO))
    try:
        from scripts.__main__ import COMMANDS
    finally:
        sys.path.remove(str(REPO))
    return "build" in COMMANDS


def _find_site_root(out: Path) -> Path:
    """The build writes the site to OUT (or OUT/site); return the folder holding index.html."""
    for candidate in (out, out / "site"):
        if (candidate / "index.html").is_file():
            return candidate
    raise AssertionError(f"no index.html under {out}: {sorted(p.name for p in out.iterdir())}")


def build_site(data: Path, out: Path) -> Path:
    """Build the site for `data` into `out` with the real CLI (or the minimal search site); return the site root."""
    if _has_build_command():
        proc = subprocess.run([sys.executable, "-m", "scripts", "build", "--data", str(data), "--out", str(out)],
                              cwd=REPO, capture_output=True, text=True)
        assert proc.returncode == 0, f"build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        return _find_site_root(out)
    sys.path.insert(0, str(REPO))
    try:
        from scripts.load.loader import load_catalog
        from scripts.search.site import write_minimal_site
    finally:
        sys.path.remove(str(REPO))
    catalog, _problems = load_catalog(data)
    write_minimal_site(catalog, out)
    return out


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    shutil.rmtree(out)
    return build_site(REPO / "data", out)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    log: list[str] = []

    def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
        pass

    def log_request(self, code="-", size="-"):
        self.log.append(self.path)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def serve(directory: Path):
    """Start a threaded http.server for `directory` on a free 127.0.0.1 port; return (server, base_url, log)."""
    log: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"log": log})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    ORIGINS.add(url)
    return server, url, log


@pytest.fixture(scope="session")
def _server(site_dir):
    server, url, log = serve(site_dir)
    yield url, log
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(_server) -> str:
    return _server[0]


@pytest.fixture(scope="session")
def server_log(_server) -> list[str]:
    return _server[1]


@pytest.fixture(scope="session")
def make_site(tmp_path_factory):
    servers, urls = [], {}

    def factory(data: Path) -> str:
        key = str(Path(data).resolve())
        if key not in urls:
            out = tmp_path_factory.mktemp("site-extra")
            shutil.rmtree(out)
            server, url, _log = serve(build_site(Path(data), out))
            servers.append(server)
            urls[key] = url
        return urls[key]

    yield factory
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def serve_dir():
    """Factory: serve_dir(folder) -> base_url of a threaded http.server for an already written folder."""
    servers = []

    def factory(directory: Path) -> str:
        server, url, _log = serve(Path(directory))
        servers.append(server)
        return url

    yield factory
    for server in servers:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_nginx(site: Path, prefix: Path):
    """Run nginx with the shipped configuration for `site` on a free loopback port: (process, base_url).

    No nginx is a failure, never a skip: CI installs it (`make nginx`, Debian package)."""
    sys.path.insert(0, str(REPO))
    try:
        from scripts.tools.nginx_config import command, nginx_binary, write_config
    finally:
        sys.path.remove(str(REPO))
    if nginx_binary() is None:
        pytest.fail("nginx 未安装 / nginx is not installed: run `make nginx` as root (apt-get install nginx)")
    port = free_port()
    conf = write_config(site, f"127.0.0.1:{port}", prefix)
    with open(prefix / "stderr.log", "wb") as log:
        proc = subprocess.Popen(command(conf), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    if proc.poll() is not None:
        pytest.fail(f"nginx did not start: {(prefix / 'stderr.log').read_text(errors='replace')[-2000:]}")
    ORIGINS.add(url)
    return proc, url


def stop_nginx(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def nginx_url(site_dir, tmp_path_factory):
    proc, url = start_nginx(site_dir, tmp_path_factory.mktemp("nginx"))
    yield url
    stop_nginx(proc)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page_requests() -> list[str]:
    return []


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture
def page(request, browser, base_url, page_requests, page_errors):
    context = browser.new_context(locale="zh-CN", service_workers="block")
    offsite: list[str] = []
    request.node._offsite_requests = offsite

    def route(r):
        url = r.request.url
        if url.startswith(ALLOWED_SCHEMES) or any(url == o or url.startswith(o + "/") for o in ORIGINS):
            r.continue_()
        else:
            offsite.append(url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("request", lambda req: page_requests.append(req.url))
    pg.on("pageerror", lambda exc: page_errors.append(str(exc)))
    yield pg
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    offsite = getattr(item, "_offsite_requests", None)
    if offsite:
        raise AssertionError(f"requests left the origin (blocked): {sorted(set(offsite))}")
    return result


AXE_VERSION = "4.14.1"  # keep in step with AXE_VERSION in the Makefile (`make axe` fetches it from the npm registry)
AXE = REPO / ".venv" / f"axe-core-{AXE_VERSION}" / "axe.min.js"


@pytest.fixture
def serious_axe_violations():
    """Run axe-core in the page; return its serious and critical violations (id: first offending nodes)."""
    assert AXE.is_file(), f"{AXE} missing: run `make axe` (pinned axe-core from the npm registry)"

    def run(page) -> list[str]:
        page.add_script_tag(path=str(AXE))
        return page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""")
    return run
