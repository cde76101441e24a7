"""The site's one configuration file, mkdocs.yml, read once: the public address (`site_url`) and the source
repository (`repo_url`, `edit_uri`) that the sitemap, canonical URLs, JSON-LD, release records, edit links and
"report an error" links all take from here. Set them in mkdocs.yml only."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .paths import CONFIG

PLACEHOLDER = "https://example.org/"  # absolute URLs in the data package when no site_url is set


@lru_cache(maxsize=8)
def _read(path: str, stamp: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=yaml.SafeLoader) or {}


def read(config: Path = CONFIG) -> dict:
    """mkdocs.yml as a dict ({} when missing); re-read when the file changes."""
    path = Path(config)
    if not path.is_file():
        return {}
    return dict(_read(str(path.resolve()), path.stat().st_mtime))


def site_url(config: Path = CONFIG) -> str:
    """The public site address from `site_url`, ending with "/"; "" when it is not set."""
    url = str(read(config).get("site_url") or "").strip()
    return url.rstrip("/") + "/" if url else ""


def repo_url(config: Path = CONFIG) -> str:
    return str(read(config).get("repo_url") or "").strip().rstrip("/")


def edit_uri(config: Path = CONFIG) -> str:
    return str(read(config).get("edit_uri") or "")
