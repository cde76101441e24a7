"""The benchmark's yardstick (`make bench`, stage mkdocs-peer): naive MkDocs Material for the record pages.

One Markdown page per product of a data tree (title and a table of its fields, first LIMIT products in file
order), built by MkDocs Material with the project's theme settings (mkdocs.yml `theme`, without our overrides)
and Material's lunr search plugin ON, in its own process. Our full build should take at most half its time
(issue 11); scripts/tools/bench.py prints both and the ratio.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import yaml

from .. import siteconfig

HELP = "基准参照：朴素 MkDocs 生成记录页 / benchmark yardstick: naive MkDocs Material for the record pages"
DESCRIPTION = """每个产品一页 Markdown（标题 + 字段表），用 MkDocs Material（项目主题设置，lunr 搜索开启）生成。
One Markdown page per product (title + field table), built by MkDocs Material with the project's theme
settings and the lunr search plugin on: the yardstick `make bench` compares the full build with."""
LIMIT = 12000


def add_arguments(parser) -> None:
    parser.add_argument("--data", required=True, help="数据目录 / data directory (its products/*.csv)")
    parser.add_argument("--out", required=True, help="工作目录 / work folder (docs/, site/, mkdocs.yml)")
    parser.add_argument("--limit", type=int, default=LIMIT, help=f"页数 / pages (default {LIMIT:,})")


def cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def write_docs(data: Path, docs: Path, limit: int) -> int:
    """docs/index.md and docs/products/<id>.md for the first `limit` products; return the page count."""
    (docs / "products").mkdir(parents=True)
    count = 0
    for path in sorted((data / "products").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if count >= limit:
                    break
                lines = [f"# {cell(row['id'])} {cell(row.get('name') or '')}", "", "| 字段 / Field | 值 / Value |",
                         "| --- | --- |"] + [f"| {cell(k)} | {cell(v or '')} |" for k, v in row.items()]
                (docs / "products" / f"{row['id']}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
                count += 1
    (docs / "index.md").write_text(f"# 记录 / Records\n\n{count:,} pages.\n", encoding="utf-8")
    return count


def config(out: Path) -> Path:
    raw = siteconfig.read()
    theme = {k: v for k, v in (raw.get("theme") or {}).items() if k != "custom_dir"}
    cfg = {"site_name": raw.get("site_name", "peer"), "docs_dir": "docs", "site_dir": "site", "theme": theme,
           "plugins": ["search"], "markdown_extensions": raw.get("markdown_extensions") or [],
           "nav": [{"首页 / Home": "index.md"}], "not_in_nav": "/products/\n"}
    path = out / "mkdocs.yml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main(args) -> int:
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    count = write_docs(Path(args.data), out / "docs", args.limit)
    import mkdocs.config
    from mkdocs.commands import build as mkdocs_build
    cfg = mkdocs.config.load_config(config_file=str(config(out)))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    print(f"✓ {count:,} pages → {out / 'site'}", file=sys.stderr)
    return 0
