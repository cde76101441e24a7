"""The second site generator (`build --engine zensical`): Zensical, the successor of Material for MkDocs.

It reads the same mkdocs.yml. What it needs differently goes into a configuration the build writes next to the
generated docs (never into a fork of the tool):

- `docs_dir` relative to the configuration file (Zensical refuses a docs folder outside the project root);
- `theme.variant: classic` (the Material look) and `plugins: {search: {enabled: false}}` (the site has its own
  search, scripts/search/index.py);
- generated pages laid out as folders (`products/P-2025-00001/index.md` instead of `products/P-2025-00001.md`):
  Zensical resolves relative links in raw HTML against the Markdown file (MkDocs leaves them alone), and the
  generated pages link relative to their published address. As folders both readings agree. Hand-written pages
  (site/) keep their place; their Markdown links to a moved page are pointed at its new file.

Pinned: zensical==0.0.73, the newest version that installs from the package index here (0.0.74 and later need
zensical-ui, which the index lacks).
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import yaml

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build_site(options: dict, raw: dict, work: Path, hand_written: Path) -> Path:
    """Build `options["docs"]` with Zensical into work/site-zensical; return that folder.

    `hand_written` is the folder of the hand-written pages (site/), which keep their place."""
    try:
        import zensical  # noqa: F401  (installed from requirements.txt)
    except ImportError as exc:
        raise RuntimeError("Zensical 未安装 / zensical is not installed: make install (requirements.txt)") from exc
    docs = Path(options["docs"])
    moved = folder_pages(docs, hand_written)
    relink(docs, hand_written, moved)
    config = write_config(options, raw, work, moved)
    proc = subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", str(config), "--strict"],
                          cwd=work, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": str(options["epoch"])})
    site = work / "site-zensical"
    if proc.returncode != 0 or not (site / "index.html").is_file():
        report = ANSI.sub("", proc.stdout + proc.stderr).split("Traceback (most recent call last)")[0].strip()
        raise RuntimeError(f"zensical build failed (exit {proc.returncode}):\n{report[-6000:]}")
    return site


def folder_pages(docs: Path, hand_written: Path) -> dict[str, str]:
    """Move each generated page NAME.md (not an index, not hand-written) to NAME/index.md; return old → new paths."""
    moved: dict[str, str] = {}
    for page in sorted(docs.rglob("*.md")):
        rel = page.relative_to(docs).as_posix()
        if page.name == "index.md" or (hand_written / rel).is_file():
            continue
        target = page.with_suffix("") / "index.md"
        if target.exists():
            raise RuntimeError(f"{rel}: both {rel} and {target.relative_to(docs).as_posix()} exist")
        target.parent.mkdir(exist_ok=True)
        page.rename(target)
        moved[rel] = target.relative_to(docs).as_posix()
    return moved


MD_LINK = re.compile(r"\]\(([^()\s#]+\.md)(#[^()\s]*)?\)")


def relink(docs: Path, hand_written: Path, moved: dict[str, str]) -> None:
    """Point the Markdown links of the hand-written pages at the new files of the moved pages."""
    for page in sorted(hand_written.rglob("*.md")):
        rel = page.relative_to(hand_written)
        if rel.parts[0] == "overrides" or not (docs / rel).is_file():
            continue
        here = posixpath.dirname(rel.as_posix())

        def swap(m: re.Match, here: str = here) -> str:
            target = posixpath.normpath(posixpath.join(here, m.group(1)))
            if target not in moved:
                return m.group(0)
            return f"]({posixpath.relpath(moved[target], here or '.')}{m.group(2) or ''})"

        text = (docs / rel).read_text(encoding="utf-8")
        new = MD_LINK.sub(swap, text)
        if new != text:
            (docs / rel).write_text(new, encoding="utf-8")


def write_config(options: dict, raw: dict, work: Path, moved: dict[str, str]) -> Path:
    """work/zensical.yml: mkdocs.yml with the build's nav and extras, and what Zensical needs (module docstring)."""
    config = dict(raw)
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((Path(options["config"]).parent / theme["custom_dir"]).resolve())
    theme["variant"] = "classic"
    config.update(
        docs_dir=os.path.relpath(options["docs"], work), site_dir="site-zensical", theme=theme,
        plugins={"search": {"enabled": False}}, nav=_nav(options["nav"], moved), extra=options["extra"],
        not_in_nav=_folder_patterns(options["not_in_nav"]), exclude_docs="/overrides/\n")
    path = work / "zensical.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _nav(nav, moved: dict[str, str]):
    if isinstance(nav, list):
        return [_nav(item, moved) for item in nav]
    if isinstance(nav, dict):
        return {title: _nav(target, moved) for title, target in nav.items()}
    return moved.get(nav, nav)


def _folder_patterns(patterns: str) -> str:
    """Each `/x/*.md` page pattern also as `/x/*/index.md`, the folder layout of the same pages."""
    lines = [line for line in patterns.splitlines() if line.strip()]
    extra = [line[:-3] + "/index.md" for line in lines if line.endswith(".md") and not line.endswith("index.md")]
    return "\n".join(lines + extra) + "\n"
