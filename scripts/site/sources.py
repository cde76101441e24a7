"""What the build copies into the published site besides the generated pages — the hand-written pages and assets
(site/), the theme overrides (mkdocs.yml `theme.custom_dir`, whose files MkDocs copies too) and the release records
(releases/, whose manifests are published under downloads/) — checked before anything is written.

A pull request can put a symbolic link there (`ln -s ../.git/config site/leak.txt`): copied, it would publish the
file it points at (in Actions, the git config once held the checkout token). Every link, FIFO or device under these
folders is one `path:1: -: 中文 | English` problem and the build stops; the copy itself never follows a link either
(safefs.copy_tree).
"""

from __future__ import annotations

from pathlib import Path

from .. import safefs, siteconfig
from ..load.loader import display_path
from ..model.catalog import Problem


def theme_dir(config: Path) -> Path | None:
    """The theme's custom_dir from mkdocs.yml, as MkDocs resolves it (relative to the configuration file)."""
    custom = (siteconfig.read(config).get("theme") or {}).get("custom_dir")
    return Path(config).parent / str(custom) if custom else None


def source_problems(site_src: Path, config: Path, releases_dir: Path) -> list[Problem]:
    """One problem per link or special file under the folders the build copies from (the folders themselves too)."""
    found: dict[Path, str] = {}
    for root in (site_src, theme_dir(config), releases_dir):
        if root is not None:
            found.update(safefs.unsafe_entries(root))
    codes = {"symlink": "source-symlink", "special": "source-special", "unreadable": "unreadable"}
    return [Problem.make(display_path(path), 1, "-", codes[reason]) for path, reason in sorted(found.items())]
