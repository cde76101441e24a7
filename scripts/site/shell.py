"""Generated pages filled into the theme's page shell, outside the site generator.

A generated page (scripts/site/pages.py, one HTML block rendered by our Jinja templates) looks, around its content,
like every other page whose *shell key* is the same. What in the theme's HTML depends on the page:

- the relative links: from the page's address to the site root (assets, search) and to each nav page (MkDocs
  writes nav links relative to the page: `../` from products/P-1/, `../../products/` from scenes/S-1/);
- the `hide:` front matter (navigation, toc);
- whether the content has its own `<h1>` (the theme adds `<h1>title</h1>` when it has none);
- whether the page is in the nav (the nav marks it active): such a page is its own shell and the site generator
  renders it as before (there are about 30);
- the title and the page's own address (a canonical link when `site_url` is set): substituted per page.

So the site generator gets the hand-written pages, the nav pages and ONE stub page per shell key: a page whose
title is TITLE and whose content is a raw HTML block holding CONTENT, at an address NAME<k> beside the first page of
that key. After it has run, each stub's HTML is cut at CONTENT and every page of the key is written as
prefix + the page's own HTML + suffix, with TITLE replaced by the page's title (HTML-escaped) and the stub's
address by the page's (pages of one key may lie in different folders: companies/x/ and districts/y/). The content
is byte for byte what Python-Markdown writes for the raw HTML block (it passes raw HTML through), and the shell's
runs of whitespace with a line break in them are cut to one line break (fold_whitespace: the theme's indentation was
a fifth of every page), so the output equals the generator's own once whitespace is folded (tests/test_shell.py).
Addresses are directory URLs (`use_directory_urls`, which the build requires for the fill).

The fill also writes each page's .gz copy without reading the page back, and without compressing the shell again for
every page: the shell's constant pieces are deflated once, and per page only its content is (scripts/site/precompress.py,
gz_pieces; the shell's pieces cannot refer to the content, which makes the copy ~7 % larger and the fill ~3× faster).
The page's HTML waits in one staging file (offsets in memory) between page generation and the fill: at 10x the
pages do not fit in memory, and one file is far cheaper than 180,000 small ones.
"""

from __future__ import annotations

import gzip
import html
import multiprocessing
import os
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

from ..safefs import child, within
from .precompress import Deflater, gz_pieces
from .render import Page

TITLE = "sxshelltitle7f3a9c"
CONTENT = "sxshellcontent7f3a9c"
NAME = "sxshell7f3a9c-"
NOT_IN_NAV = f"{NAME}*.md\n"  # gitignore-style pattern of the stubs, for the generator's not_in_nav


def url_of(rel: str) -> str:
    """The published address of docs page `rel` (directory URLs): a/b.md → a/b/, a/index.md → a/, index.md → ''."""
    stem = rel[:-3] if rel.endswith(".md") else rel
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def nav_paths(nav) -> list[str]:
    """The docs paths of a MkDocs nav (a list of {title: path or sub-nav})."""
    if isinstance(nav, list):
        return [p for item in nav for p in nav_paths(item)]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_paths(value)]
    return [nav] if isinstance(nav, str) and nav.endswith(".md") else []


def links_from(url: str, targets: list[str]) -> tuple[str, ...]:
    """The relative link from address `url` to the site root and to each target address."""
    here = "/" + url
    return tuple(posixpath.relpath("/" + t, here) for t in ["", *targets])


def stub_url(url: str, k: int) -> str:
    """The address of stub k beside `url` (same parent folder, so the same relative links)."""
    parent = posixpath.dirname(url.rstrip("/"))
    return (parent + "/" if parent else "") + f"{NAME}{k}/"


def stub_page(hide: tuple[str, ...], h1: bool) -> str:
    """A stub's Markdown: marker title, the page's hide: list, a raw HTML block holding the content marker."""
    meta = f"title: {TITLE}\n" + ("hide:\n" + "".join(f"  - {h}\n" for h in hide) if hide else "")
    return f"---\n{meta}---\n\n{stub_block(h1)}\n"


def stub_block(h1: bool) -> str:
    return f"<h1>{CONTENT}</h1>" if h1 else f"<p>{CONTENT}</p>"


# what fold_whitespace leaves alone: comments, tags (quoted attribute values may hold line breaks and '>') and the
# elements whose text is kept as written
_KEPT = (r"<!--.*?-->"
         r"|<(?P<raw>script|style|pre|textarea)\b(?:\"[^\"]*\"|'[^']*'|[^'\">])*>.*?</(?P=raw)\s*>"
         r"|<[A-Za-z/!?](?:\"[^\"]*\"|'[^']*'|[^'\">])*>")
_FOLD = re.compile(f"({_KEPT})|[ \t\r\f]*\n[ \t\r\n\f]*", re.S | re.I)


def fold_whitespace(page: str) -> str:
    """The theme's page with each run of HTML whitespace that holds a line break, in text between tags, cut to one
    line break: the same rendering (such a run shows as one space, or none), ~5 KB (a fifth) less per page to write
    at every filled page. Tags, comments, script, style, pre and textarea are kept byte for byte; so is a no-break
    space (not HTML whitespace)."""
    return _FOLD.sub(lambda m: m.group(1) or "\n", page)


def cut(stub_html: str, h1: bool) -> tuple[bytes, bytes]:
    """The stub's page around its content block (markers TITLE and NAME<k> still in it), as UTF-8."""
    block = stub_block(h1)
    if stub_html.count(block) != 1 or stub_html.count(CONTENT) != 1:
        raise RuntimeError(f"page shell: the content marker is not found exactly once / {CONTENT!r}")
    before, after = stub_html.split(block)
    return before.encode("utf-8"), after.encode("utf-8")


def template(before: bytes, after: bytes, stub: str) -> list:
    """A shell as pieces: constant bytes or a slot number: 0 title, 1 the page's address (in place of the stub's,
    `stub` without the final slash), 2 its last segment, 3 the content."""
    markers = [TITLE.encode(), stub.encode(), stub.rpartition("/")[2].encode()]
    pattern = re.compile(b"|".join(re.escape(m) for m in markers))  # the whole address before its last segment
    pieces: list = []
    for part in (before, after):
        pos = 0
        for m in pattern.finditer(part):
            pieces += [part[pos:m.start()], markers.index(m.group())]
            pos = m.end()
        pieces += [part[pos:], 3]
    return pieces[:-1]


def slot_values(title: str, url: str, content: bytes) -> list[bytes]:
    """What fills slots 0-3 of a shell for this page: its title (HTML-escaped), address, last segment, content."""
    path = url.rstrip("/")
    return [html.escape(title).encode("utf-8"), path.encode("utf-8"), path.rpartition("/")[2].encode("utf-8"), content]


def fill(pieces: list, title: str, url: str, content: bytes) -> bytes:
    """The page: the shell's pieces with this page's title (HTML-escaped), address and content."""
    values = slot_values(title, url, content)
    return b"".join(values[p] if isinstance(p, int) else p for p in pieces)


def fill_gz(pieces: list, packed: list, deflater: Deflater, title: str, url: str,
            content: bytes) -> tuple[bytes, bytes | None]:
    """The page (as `fill`) and its .gz copy: `packed` holds the shell's constant pieces deflated once (None at the
    slots); only this page's values are deflated here, each once however often its slot recurs."""
    values = slot_values(title, url, content)
    raw = b"".join(values[p] if isinstance(p, int) else p for p in pieces)
    own: list = [None] * len(values)
    for p, d in zip(pieces, packed):
        if d is None and own[p] is None:
            own[p] = deflater.piece(values[p])
    return raw, gz_pieces(raw, [own[p] if d is None else d for p, d in zip(pieces, packed)])


class Shells:
    """Collects the generated pages of a build (`take`), names the stubs (`stubs`), fills them in (`fill_site`)."""

    def __init__(self, nav, staging: Path, enabled: bool = True):
        self.enabled = enabled
        self.targets = [url_of(p) for p in nav_paths(nav)]
        self.in_nav = set(nav_paths(nav))
        # folders holding a nav page: a page there has its own links; any other page has those of its siblings
        self.holders = {t[: i + 1] for t in self.targets for i, c in enumerate(t) if c == "/"}
        self.sibling_links: dict[str, tuple[str, ...]] = {}
        self.keys: dict[tuple, int] = {}
        self.stub_urls: list[str] = []
        self.stub_parts: list[tuple[tuple[str, ...], bool]] = []
        self.entries: list[tuple[str, int, str, int, int]] = []  # (url, key, title, offset, length)
        self.staging = open(staging, "w+b")
        self.offset = 0

    def take(self, rel: str, text) -> bool:
        """Keep a generated page for the fill (True), or leave it to the site generator (False: a nav page, a file
        that is not a page, or a page whose stub would not share its links)."""
        if not self.enabled or not isinstance(text, Page) or rel in self.in_nav or not rel.endswith(".md"):
            return False
        url = url_of(rel)
        links = self.links(url)
        h1 = "<h1" in text.html
        key = (links, text.hide, h1)
        k = self.keys.get(key)
        if k is None:
            k = len(self.stub_urls)
            if links_from(stub_url(url, k), self.targets) != links:
                return False
            self.keys[key] = k
            self.stub_urls.append(stub_url(url, k))
            self.stub_parts.append((text.hide, h1))
        data = text.html.encode("utf-8")
        self.staging.write(data)
        self.entries.append((url, k, text.title, self.offset, len(data)))
        self.offset += len(data)
        return True

    def links(self, url: str) -> tuple[str, ...]:
        """links_from(url, targets), computed once per folder: ~20,000 pages live in a few folders."""
        if url in self.holders:
            return links_from(url, self.targets)
        parent = posixpath.dirname(url.rstrip("/"))
        found = self.sibling_links.get(parent)
        if found is None:
            found = self.sibling_links[parent] = links_from(url, self.targets)
        return found

    def stubs(self) -> list[tuple[str, str]]:
        """(docs path, Markdown) of each stub page."""
        return [(url[:-1] + ".md", stub_page(*parts)) for url, parts in zip(self.stub_urls, self.stub_parts)]

    def fill_site(self, site: Path, jobs: int = 1, gz: bool = True) -> dict:
        """Write every kept page (and its .gz copy when `gz`) into the built site, in `jobs` processes, and drop the
        stubs. Returns {"pages", "files" (.gz copies), "raw", "gzipped", "html", "bytes", "leaves"}: `leaves` are the
        pages' folders (relative to the site) that hold nothing but what the fill wrote, which later walks of the site
        (precompress, the build's summary) do not enter; the other figures count the pages in `leaves` only (a walk
        counts the rest), but "pages", which counts every page."""
        self.staging.flush()
        shells = []
        for k, url in enumerate(self.stub_urls):
            built = within(site, url) / "index.html"
            before, after = cut(fold_whitespace(built.read_text(encoding="utf-8")), self.stub_parts[k][1])
            shells.append(template(before, after, url.rstrip("/")))
            shutil.rmtree(built.parent)
        folders = {url.rstrip("/") for url, *_ in self.entries}
        above = frozenset(f[:i] for f in folders for i, c in enumerate(f) if c == "/")  # a page's folder in another's
        args = [(site, self.staging.name, shells, self.entries[part::jobs], gz, above) for part in range(jobs)]
        if jobs > 1 and len(self.entries) > 2000:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = pool.starmap(_write, args)
        else:
            results = [_write(site, self.staging.name, shells, self.entries, gz, above)]
        self.staging.close()
        done: dict[str, Any] = {"pages": len(self.entries), "files": 0, "raw": 0, "gzipped": 0, "html": 0, "bytes": 0}
        for part in results:
            for key in ("files", "raw", "gzipped", "html", "bytes"):
                done[key] += part[key]
        done["leaves"] = folders.difference(above, *(part["walked"] for part in results))
        return done

    def sitemap(self, site: Path, epoch: int) -> None:
        """sitemap.xml (+ .gz): the generator's entries without the stubs, plus every filled page, sorted by address.
        With no site_url the generator lists nothing and neither does this."""
        path = site / "sitemap.xml"
        if not path.exists():
            return
        text = path.read_text(encoding="utf-8")
        blocks = re.findall(r"<url>.*?</url>", text, flags=re.S)
        if not blocks:
            return
        head, tail = text[: text.index(blocks[0])], text[text.rindex(blocks[-1]) + len(blocks[-1]):]
        urls: dict[str, str] = {}
        template = None
        for block in blocks:
            found = re.search(r"<loc>(.*?)</loc>", block, flags=re.S)
            assert found is not None  # every block is a <url> entry with its <loc>
            loc = found.group(1)
            if NAME in loc:
                template = template or (block, loc)
                continue
            urls[loc] = block
        if template is not None:
            block, loc = template
            stub = next(u for u in self.stub_urls if loc.endswith(u))
            base = loc[: len(loc) - len(stub)]
            for url, *_ in self.entries:
                full = html.escape(base + url, quote=False)
                urls[full] = block.replace(loc, full)
        gap = text[text.index(blocks[0]) + len(blocks[0]): text.index(blocks[1])] if len(blocks) > 1 else "\n    "
        xml = head + gap.join(urls[k] for k in sorted(urls)) + tail
        path.write_text(xml, encoding="utf-8")
        with open(site / "sitemap.xml.gz", "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch) as gz:
            gz.write(xml.encode("utf-8"))


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


def _put(path: str, data: bytes) -> None:
    """Write a file in three system calls: open() would add an fstat and a buffered file object to each of the
    ~380,000 files of a 10x build."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _write(site: Path, staging: str, shells: list[list], entries, gz: bool, above: frozenset[str]) -> dict:
    """Write the pages of `entries`; folders taken from page paths are confined to the site (safefs). A page whose
    folder the site generator had written into, or that holds another page's folder, is left to the later walks to
    count ("walked")."""
    parents: dict[str, Path] = {}
    done: dict[str, Any] = {"files": 0, "raw": 0, "gzipped": 0, "html": 0, "bytes": 0, "walked": []}
    deflater = Deflater()
    deflated = [[None if isinstance(p, int) else deflater.piece(p) for p in pieces] for pieces in shells] if gz else []
    with open(staging, "rb") as src:
        for url, k, title, offset, length in entries:
            src.seek(offset)
            if gz:
                raw, packed = fill_gz(shells[k], deflated[k], deflater, title, url, src.read(length))
            else:
                raw, packed = fill(shells[k], title, url, src.read(length)), None
            path = url.rstrip("/")
            parent, _, name = path.rpartition("/")
            if parent not in parents:
                parents[parent] = within(site, parent) if parent else site
            folder = str(child(parents[parent], name))
            walked = path in above
            try:
                os.mkdir(folder)
            except FileExistsError:  # the site generator (or a page below this one) wrote there first
                walked = True
            except FileNotFoundError:
                os.makedirs(folder)
            _put(folder + "/index.html", raw)
            if packed is not None:
                _put(folder + "/index.html.gz", packed)
            if walked:
                done["walked"].append(path)
                continue
            done["files"] += packed is not None
            done["raw"] += len(raw)
            done["gzipped"] += len(packed) if packed is not None else len(raw)
            done["html"] += 1
            done["bytes"] += len(raw) + (len(packed) if packed is not None else 0)
    return done
