"""Where things are in the repository: defined once, imported by every module that needs them. The site
configuration (mkdocs.yml) is read by scripts/siteconfig.py."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SCHEMAS = REPO / "schemas"
RELEASES = REPO / "releases"
SITE_SRC = REPO / "site"  # hand-written pages, theme overrides and assets
CONFIG = REPO / "mkdocs.yml"  # the site configuration (scripts/siteconfig.py reads it)
TEMPLATES = Path(__file__).resolve().parent / "site" / "templates"

