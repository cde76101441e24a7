"""Where things are in the repository, and the site configuration (mkdocs.yml): defined once, imported by every
module that needs them."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SCHEMAS = REPO / "schemas"
RELEASES = REPO / "releases"
SITE_SRC = REPO / "site"  # hand-written pages, theme overrides and assets
CONFIG = REPO / "mkdocs.yml"
TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_URL = "https://example.org/"


def site_config(config: Path = CONFIG) -> dict:
    """mkdocs.yml as plain data (safe YAML: no tags); {} when the file is empty."""
    with Path(config).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=yaml.SafeLoader) or {}


def site_url(config: Path = CONFIG, default: str = DEFAULT_URL) -> str:
    """The public site address: mkdocs.yml site_url when set (always ends with /), else `default`. The one setting
    behind the sitemap and canonical URLs (MkDocs), JSON-LD, DCAT, release records and the 纠错 links; repo_url and
    edit_uri beside it drive the edit and issue links."""
    url = str(site_config(config).get("site_url") or "").strip() if Path(config).exists() else ""
    return url.rstrip("/") + "/" if url else default
