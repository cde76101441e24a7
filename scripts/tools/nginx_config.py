"""nginx configuration for the built site: fill deploy/nginx/*.conf for a local, unprivileged nginx.

`python -m scripts nginx-config --root build/site --listen 127.0.0.1:8080 --prefix build/nginx` writes
PREFIX/site.conf (deploy/nginx/site.conf, what a real host includes in its http block) and PREFIX/nginx.conf
(a complete configuration that keeps pid, temporary files and logs under PREFIX and runs in the foreground), then
prints the nginx command line. `make serve-nginx` and the nginx tests use it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from ..paths import REPO

HELP = "生成本地 nginx 配置 / write an nginx configuration serving the built site (make serve-nginx)"
DESCRIPTION = """按 deploy/nginx/ 模板生成 nginx 配置（站点目录、监听地址），所有运行文件放在 PREFIX 下，打印启动命令。
Fill deploy/nginx/ for the built site: PREFIX/site.conf and PREFIX/nginx.conf (pid, temporary files and logs
under PREFIX, in the foreground, errors to stderr); print the nginx command line."""

TEMPLATES = REPO / "deploy" / "nginx"
PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


def add_arguments(parser) -> None:
    parser.add_argument("--root", default=str(REPO / "build" / "site"), help="站点目录 / the built site (default: build/site)")
    parser.add_argument("--listen", default="127.0.0.1:8080", help="监听地址 / listen on (default: 127.0.0.1:8080)")
    parser.add_argument("--prefix", default=str(REPO / "build" / "nginx"),
                        help="运行目录 / folder for the configuration, pid, temporary files and logs (default: build/nginx)")


def main(args) -> int:
    root = Path(args.root).resolve()
    if not (root / "index.html").is_file():
        print(f"✗ {root}: 没有 index.html，请先 make build | no index.html: build the site first (make build)")
        return 1
    conf = write_config(root, args.listen, Path(args.prefix))
    print(" ".join(command(conf)))
    return 0


def fill(template: str, values: dict[str, str]) -> str:
    """Replace ${NAME} placeholders; nginx's own $variables have no braces and stay as they are."""
    missing = sorted({m.group(1) for m in PLACEHOLDER.finditer(template)} - set(values))
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def write_config(root: Path, listen: str, prefix: Path) -> Path:
    """Write PREFIX/site.conf and PREFIX/nginx.conf for `root`; return the path of nginx.conf."""
    prefix = prefix.resolve()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    # nginx started by root hands the requests to workers running as `nobody`, who cannot read a private build
    # folder; a local nginx keeps the user that started it.
    user = "user root;" if os.geteuid() == 0 else "# (not root: workers run as the current user)"
    values = {"SITE_ROOT": str(Path(root).resolve()), "LISTEN": listen, "PREFIX": str(prefix), "USER_LINE": user}
    for name in ("site.conf", "nginx.conf"):
        (prefix / name).write_text(fill((TEMPLATES / name).read_text(encoding="utf-8"), values), encoding="utf-8")
    return prefix / "nginx.conf"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def command(conf: Path) -> list[str]:
    """The command that runs nginx in the foreground with this configuration."""
    return [nginx_binary() or "nginx", "-p", str(conf.parent), "-c", str(conf), "-e", "stderr"]
