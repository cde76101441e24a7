"""The one way data becomes HTML or Markdown: one Jinja environment with autoescape, and one Markdown escaper.

Every generated site page (scripts/site/pages.py, the downloads and changelog pages of scripts/exports/download_pages.py), the
data package's README.md and the review summary of scripts/release/diff.py are Jinja templates in scripts/site/templates/,
rendered by `render()`. In HTML every value is escaped by autoescape; in the Markdown templates every value also
goes through the `md` filter (`md()` below), which makes it inert Markdown text. Nothing else builds HTML or
Markdown from data, so there is one place to get escaping right.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..model.checks import is_http_url
from ..model.textrules import INVISIBLE
from ..model.units import money_text
from ..paths import TEMPLATES


@lru_cache(maxsize=1)
def environment() -> Environment:
    # templates never change during a build: kept in a plain dict, no stat() or LRU bookkeeping on each of 19,000 pages
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False, auto_reload=False,
                      cache_size=-1)
    env.filters["text"] = text
    env.filters["num"] = num
    env.filters["yuan"] = money_text  # value | yuan, or value | yuan(unit): scripts/model/units.py
    env.filters["pct"] = pct
    env.filters["md"] = md
    env.filters["code"] = code_span
    env.filters["schema_cell"] = schema_cell
    env.filters["url"] = safe_url
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "indent": 1}
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def macro(template: str, name: str):
    """A macro of a template, called from Python (escaped like the template): for HTML that is the same on many
    pages, rendered once and passed in as Markup."""
    return getattr(environment().get_template(template).module, name)


# --- HTML ------------------------------------------------------------------------------------------

def text(value) -> Markup:
    """Escape a value for HTML and keep its line breaks as entities (no blank line can end the HTML block)."""
    if value is None:
        return Markup("")
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    out = escape(str(value))
    if "\n" in out or "\r" in out:  # rare: most values go out as escaped, without three more copies
        out = Markup(str(out).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "&#10;"))
    return out


def pct(value) -> str:
    """A share for people: 12/3000 is "0.4%", not "0%"; whole numbers stay whole, small ones keep one decimal."""
    value = float(value)
    if value == 0 or value >= 10 or value == int(value):
        return f"{value:.0f}%"
    return f"{value:.1f}%" if value >= 0.1 else "<0.1%"


def num(value) -> str:
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def safe_url(value) -> str | None:
    """The address when it passes the one URL allowlist (scripts/model/checks.py), else None: never a link otherwise."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return None  # is_http_url says no to these too, this answers sooner
    return value if _allowed(value) else None


@lru_cache(maxsize=8192)
def _allowed(url: str) -> bool:  # many records share a notice's address: each address is checked once
    return is_http_url(url)


def root_of(path: str) -> str:
    """Relative prefix from the page built from `path` (directory URLs) to the site root."""
    parts = path.split("/")
    depth = len(parts) - 1 + (0 if parts[-1] == "index.md" else 1)
    if path == "index.md":
        depth = 0
    return "../" * depth


def plain_title(title: str) -> str:
    """Titles reach the theme's <title>, nav and header unescaped: keep only text that needs no escaping."""
    return re.sub(r"[<>&\"'`\\]", "", str(title))


class Page(str):
    """The Markdown text of a generated page, which also carries its parts: `title` (plain text), `html` (the one
    HTML block, exactly as the site shows it) and `hide` (the theme's hide: list). scripts/site/shell.py uses the parts
    to fill a page shell without the site generator; everything else reads the Markdown."""

    title: str  # type: ignore[assignment]  # a Page's title is its page title, not str.title()
    html: str
    hide: tuple[str, ...]


def page(title: str, body: str, hide: tuple[str, ...] = ()) -> Page:
    """A Markdown page: JSON-quoted title (never data) and one HTML block without blank lines."""
    lines = [line.strip() for line in body.splitlines()]
    html = "\n".join(line for line in lines if line)
    title = plain_title(title)
    meta = f"title: {json.dumps(title, ensure_ascii=False)}\n"
    if hide:
        meta += "hide:\n" + "".join(f"  - {h}\n" for h in hide)
    out = Page(f"---\n{meta}---\n\n{html}\n")
    out.title, out.html, out.hide = title, html, tuple(hide)
    return out


# --- Markdown --------------------------------------------------------------------------------------

_MD_ESCAPE = set("\\`[]{}|")  # code spans, links, images, attribute lists, table cells (emphasis is harmless)
_HTML_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;"}


def md(value, limit: int | None = None) -> Markup:
    """A value as inert Markdown text on one line: no HTML, links, images, emphasis, attribute lists or table-cell
    breaks; line breaks shown as ↵ and invisible or control characters as `U+XXXX`; cut to `limit` characters."""
    if value is None:
        return Markup("")
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\r\n":
            out.append(" ↵ ")
        elif INVISIBLE.match(ch) or code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"`U+{code:04X}`")
        elif ch in _HTML_ENTITY:
            out.append(_HTML_ENTITY[ch])
        elif ch in _MD_ESCAPE:
            out.append("\\" + ch)
        else:
            out.append(ch)
    joined = "".join(out)
    if joined[:1] in ("#", ">", "-", "+", "="):  # would start a heading, quote or list at the start of a line
        joined = f"&#{ord(joined[0])};" + joined[1:]
    return Markup(joined)


def schema_cell(value) -> Markup:
    """Text of schemas/ (the reviewed public standard, not data) in a Markdown table cell: `|` escaped, one line.
    Recorded releases contain it byte for byte, so it keeps this escaping; data always goes through md()."""
    return Markup(str(value).replace("|", "\\|").replace("\n", " "))


# --- what a reviewer reads (the pull request's job summary, the import reports) ---------------------------------

def _visible(ch: str) -> str:
    """One character as a reviewer must see it: line breaks, controls, invisible and bidi characters spelled out
    (messages arrive already escaped for the terminal, so a backslash stays one backslash)."""
    if ch in "\n\r\t":
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch]
    if INVISIBLE.match(ch) or unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"):
        return f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}"
    return ch


def code_span(value, limit: int | None = None, table: bool = False) -> Markup:
    """A value from an attachment, a sidecar or the data as one inert Markdown code span on one line: the fence is
    longer than any run of backticks in the value, so nothing in it (HTML, links, images, headings, fences) is read
    as Markdown; line breaks, control and invisible characters are escaped (`\\n`, `\\u200b`). In a table cell
    (`table=True`) `|` is written `\\|`, which GitHub's tables read as part of the cell. Empty → （空 / empty）."""
    if value is None or value == "" or value == []:
        return Markup("（空 / empty）")
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    text = "".join(map(_visible, text))
    if table:
        text = text.replace("|", "\\|")
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def code_block(text: str, info: str = "") -> str:
    """Lines from an attachment or a sidecar (error messages, CSV rows) as one fenced code block: control characters
    escaped line by line, and a fence longer than any backtick run inside, so no line can close it."""
    lines = ["".join(map(_visible, line)) for line in str(text).split("\n")]
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", "\n".join(lines))), default=0) + 1)
    return "\n".join([fence + info, *lines, fence])
