"""A record's values as escaped HTML, the same way on every page: codes shown with their registry names (districts
as links to their pages), references to other lists and credit codes as links, money by the one money rule of
scripts/model/units.py (in the field's declared unit), http(s) addresses as links, other text escaped with its line breaks
kept; and a record's stage as its badge."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from ..model.catalog import Dataset, typed
from ..model.units import money_text
from .context import SAFE_NAME, Site, record_url
from .render import macro, safe_url, text

EMPTY = Markup('<span class="sx-empty">—</span>')  # an empty cell


class Renderer:
    """Turns raw values into escaped HTML with names and links resolved through the registry."""

    def __init__(self, site: Site):
        self.site = site
        c = site.catalog
        self.registry = {d.name: {str(r.values.get(d.info.key)): r.values for r in d.records} for d in c.registry()}
        self.district_table = c.role_name("districts")
        self.districts = self.registry.get(self.district_table, {})
        self.lists = {d.name for d in site.lists}
        self._cells: dict[tuple[str, str], object] = {}  # (dataset, field) -> its cell function
        self._named: dict[tuple, Markup] = {}  # (resource, code, root) -> its HTML: a few hundred codes, 100,000s of cells

    def label(self, resource: str, value: str) -> str:
        row = self.registry.get(resource, {}).get(str(value))
        if not row:
            return str(value)
        name = row.get("name")
        return str(name) if name and name != value else str(value)

    def district_label(self, value) -> str:
        return self.label(self.district_table, value)

    def district_slug(self, value) -> str | None:
        row = self.districts.get(str(value))
        slug = row.get("slug") if row else None
        return slug if slug and SAFE_NAME.match(slug) else None

    def value(self, dataset: Dataset, fld: dict, raw, root: str) -> Markup:
        return self.cell(dataset, fld)(raw, root)

    def cell(self, dataset: Dataset, fld: dict):
        """The function (raw value, root) -> HTML of one field: what the field is (a code, money, text) is worked out
        once per field, not once per value (200,000 values at 1x)."""
        key = (dataset.name, fld["name"])
        if key not in self._cells:
            self._cells[key] = self._cell(dataset, fld)
        return self._cells[key]

    def _cell(self, dataset: Dataset, fld: dict):
        info, name = dataset.info, fld["name"]
        resource = info.foreign.get(name)
        records = self.site.by_id.get(resource, {}) if resource in self.lists else {}
        companies = self.site.companies if name == info.company_code else {}
        unit = info.unit(name) if name in info.amounts else None
        named = self._named

        def one(raw, root: str) -> Markup:
            # Markup % escapes every argument as Markup.format does, at a fraction of string.Formatter's cost
            if resource:
                if raw in records:
                    return Markup('<a href="%s">%s</a>') % (root + record_url(resource, raw), raw)
                key = (resource, type(raw), raw, root)
                if key not in named:
                    named[key] = self._code_html(resource, raw, root)
                return named[key]
            if raw in companies:
                return Markup('<a href="%scompanies/%s/">%s</a>') % (root, raw, raw)
            if unit:
                return escape(money_text(typed(fld, raw), unit))
            if safe_url(raw):
                return Markup('<a href="%s" rel="nofollow noopener">%s</a>') % (raw, raw)
            return text(raw)

        def cell(raw, root: str) -> Markup:
            if raw is None or raw == []:
                return EMPTY
            if isinstance(raw, list):
                return Markup("、").join(one(item, root) for item in raw)
            return one(raw, root)
        return cell

    def _code_html(self, resource: str, raw, root: str) -> Markup:
        """A code of a registry (or of a list, not found there): the district link, else the name and the code."""
        if resource == self.district_table:
            return district_html(self, raw, root)
        label = self.label(resource, raw)
        return escape(label) if label == str(raw) else Markup("%s <small>%s</small>") % (label, raw)


def district_html(renderer: Renderer, district, root: str) -> Markup:
    if not district:
        return EMPTY
    slug = renderer.district_slug(district)
    label = renderer.district_label(district)
    if slug:
        return Markup('<a href="%sdistricts/%s/">%s</a>') % (root, slug, label)
    return escape(label)


def stage_badge(dataset: Dataset, values) -> Markup:
    """A record's stage as the badge of macro `status` (_macros.html), coloured by the dataset's declared lifecycle
    (display.status: in force, pending, withdrawn); rendered once per stage and colour: a handful of values on some
    30,000 lines of company and record pages."""
    stage = dataset.info.stage_of(values)
    if stage is None:
        return Markup("")
    return _badge(str(stage), dataset.info.status.kind(stage))


@lru_cache(maxsize=256)
def _badge(stage: str, kind: str) -> Markup:
    return macro("_macros.html", "status")(stage, kind)
