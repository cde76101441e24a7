"""A chart's SVG: the Vega-Lite specification drawn by vl-convert (cached by digest), then tidied on the parsed tree into
one accessible image (role=img, ids of its own, no white box, one line) and checked to hold drawing elements only.

Determinism: the SVG depends only on the spec, the pinned Vega-Lite version and the fonts the renderer measures
text with (fonts-noto-cjk, installed with chromium by `make browser`); no clock, no random ids. Drawing is the
slow part (V8 measures every text), so drawn SVGs are cached by spec digest under build/.chart-cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache

from ..paths import REPO

VEGA_LITE = "6.4"          # the Vega-Lite version vl-convert renders with (pinned with vl-convert-python)
FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"

CACHE = REPO / "build" / ".chart-cache"  # drawn SVG by spec digest (`make clean` empties it)


@lru_cache(maxsize=256)
def render_svg(spec_json: str, slug: str, label: str) -> str:
    return _tidy(_draw(spec_json), slug, label)


def _draw(spec_json: str) -> str:
    """The renderer's SVG for a spec. Drawing takes 0.05–1 s a chart (text is measured through V8), so each SVG is
    kept under build/.chart-cache by the digest of the spec and the renderer's version: the same chart is drawn
    once, and rebuilds and tests reuse it. The SVG is the same bytes either way."""
    import vl_convert  # imported on first use: 80 MB of V8 stays out of commands that draw nothing

    version = f"{_renderer_version()} vega-lite {VEGA_LITE}"
    digest = hashlib.sha256(f"{version}\n{spec_json}".encode("utf-8")).hexdigest()
    path = CACHE / digest[:2] / f"{digest}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    svg = vl_convert.vegalite_to_svg(json.loads(spec_json), vl_version=VEGA_LITE)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as fh:
            fh.write(svg)
        os.replace(fh.name, path)  # atomic: two builds at once never read half a file
    except OSError:
        pass  # a read-only checkout draws every time
    return svg


@lru_cache(maxsize=1)
def _renderer_version() -> str:
    from importlib.metadata import version

    return f"vl-convert-python {version('vl-convert-python')}"


SVG_NS = "{http://www.w3.org/2000/svg}"
_ROOT_KEEP = ("width", "height", "viewBox")
# the marks' own ARIA (the figure's table is the text alternative: read twice otherwise) and defaults spelt out
_DROP = {"role": None, "aria-roledescription": None, "aria-label": None, "aria-hidden": None,
         "pointer-events": "none", "opacity": "1", "stroke-miterlimit": "10", "font-family": FONT}
_EMPTY_FRAME = ({"class": "background", "d": ""}, {"class": "background", "d": "M0,0h0v0h0Z"},
                {"class": "foreground", "d": ""}, {"class": "foreground", "d": "M0,0h0v0h0Z"})
_DECIMALS = re.compile(r"-?\d+\.\d{3,}")
_URL = re.compile(r"url\(#([^)]+)\)")


def _tidy(svg: str, slug: str, label: str) -> str:
    """The renderer's SVG as one accessible image: role=img named by the label, ids made unique per chart, no
    white background, and no line break (the page is a Markdown HTML block).

    Worked on the parsed tree, never on the markup as text: a label is text, and text such as ` aria-label="`,
    `id="x"` or `1.23456` stays exactly what it was (issue 18 item 10); every value is escaped once, on output."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise ValueError(f"unexpected SVG from the chart renderer: {svg[:120]!r}") from exc
    if root.tag != SVG_NS + "svg" or root.get("class") != "marks" or not all(root.get(a) for a in _ROOT_KEEP):
        raise ValueError(f"unexpected SVG from the chart renderer: {svg[:120]!r}")
    head = {"xmlns": SVG_NS[1:-1], "class": "sx-chart", **{a: root.get(a) for a in _ROOT_KEEP},
            "font-family": FONT, "role": "img", "aria-label": label}
    out: list[str] = []
    _write(root, slug, out, head)
    text = "".join(out)
    _check(text)
    return text


def _write(el, slug: str, out: list[str], attrib: dict | None = None) -> None:
    """One element, its children and their text as markup: attributes tidied (_attributes), text escaped once, line
    breaks as spaces; an empty background or foreground frame left out (its tail kept)."""
    tag = el.tag[len(SVG_NS):] if el.tag.startswith(SVG_NS) else None
    if tag is None:
        raise ValueError(f"chart SVG holds {el.tag!r}: refused")
    attrib = _attributes(el, slug) if attrib is None else attrib
    if tag == "path" and {k: v for k, v in attrib.items() if (k, v) != ("display", "none")} in _EMPTY_FRAME:
        out.append(_text(el.tail))
        return
    out.append(f"<{tag}" + "".join(f' {k}="{_attr(v)}"' for k, v in attrib.items()))
    if el.text or len(el):
        out.append(">" + _text(el.text))
        for sub in el:
            _write(sub, slug, out)
        out.append(f"</{tag}>")
    else:
        out.append("/>")
    out.append(_text(el.tail))


def _attributes(el, slug: str) -> dict:
    """An element's attributes with the drawing unchanged: ids (and the url(#…) that point at them) prefixed with
    the chart's slug, the marks' ARIA and spelt-out defaults dropped, coordinates to 0.01 px."""
    attrib = {}
    for key, value in el.attrib.items():
        if key.startswith("{"):
            raise ValueError(f"chart SVG holds attribute {key!r}: refused")
        if key in _DROP and _DROP[key] in (None, value):
            continue
        if key == "id":
            value = f"{slug}-{value}"
        value = _URL.sub(lambda x: f"url(#{slug}-{x.group(1)})", value)
        attrib[key] = _DECIMALS.sub(lambda x: _num(x.group(0)), value)
    return attrib


def _text(text: str | None) -> str:
    """Text escaped once for XML (& < >), a line break as a space."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _num(text: str) -> str:
    value = round(float(text), 2)
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")


_ELEMENTS = {"svg", "g", "path", "rect", "line", "text", "tspan", "clipPath", "defs", "title", "circle"}


def _check(svg: str) -> None:
    """Defence in depth: the SVG holds only drawing elements, no script, no event handler, no link."""
    import xml.etree.ElementTree as ET

    for el in ET.fromstring(svg).iter():
        tag = el.tag.rsplit("}", 1)[-1]
        bad = [a for a in el.attrib if a.rsplit("}", 1)[-1].lower().startswith("on") or a.rsplit("}", 1)[-1] == "href"]
        if tag not in _ELEMENTS or bad:
            raise ValueError(f"chart SVG holds <{tag}> {bad}: refused")
