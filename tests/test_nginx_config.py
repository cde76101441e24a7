"""`python -m scripts nginx-config`: the shipped nginx templates filled for a local, unprivileged run."""

from __future__ import annotations

import pytest
from conftest import REPO, run_cli

from scripts.tools.nginx_config import PLACEHOLDER, fill


def test_templates_use_only_the_known_placeholders():
    for name, known in (("site.conf", {"SITE_ROOT", "LISTEN"}), ("nginx.conf", {"PREFIX", "USER_LINE"})):
        text = (REPO / "deploy" / "nginx" / name).read_text(encoding="utf-8")
        assert {m.group(1) for m in PLACEHOLDER.finditer(text)} == known, name


def test_fill_keeps_nginx_variables_and_refuses_a_missing_value():
    assert fill("root ${SITE_ROOT}; map $uri $x {}", {"SITE_ROOT": "/srv/site"}) == "root /srv/site; map $uri $x {}"
    with pytest.raises(KeyError, match="LISTEN"):
        fill("listen ${LISTEN};", {})


def test_writes_both_files_under_the_prefix_and_prints_the_command(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>x</p>", encoding="utf-8")
    proc = run_cli("nginx-config", "--root", site, "--listen", "127.0.0.1:9", "--prefix", tmp_path / "ngx")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    conf = tmp_path / "ngx" / "nginx.conf"
    assert proc.stdout.split()[1:] == ["-p", str(conf.parent), "-c", str(conf), "-e", "stderr"]
    site_conf = (tmp_path / "ngx" / "site.conf").read_text(encoding="utf-8")
    assert f"root {site};" in site_conf and "listen 127.0.0.1:9;" in site_conf and "${" not in site_conf
    # dotfiles are 404 before `location /` serves anything (served by real nginx: tests/browser/test_nginx.py)
    assert site_conf.index("location ~ /\\.(?!well-known/) {\n        return 404;") < site_conf.index("location / {")
    nginx_conf = conf.read_text(encoding="utf-8")
    assert f"pid {tmp_path / 'ngx'}/nginx.pid;" in nginx_conf and "daemon off;" in nginx_conf
    assert f"include {tmp_path / 'ngx'}/site.conf;" in nginx_conf
    assert (tmp_path / "ngx" / "tmp" / "body").is_dir()


def test_refuses_a_folder_without_a_built_site(tmp_path):
    proc = run_cli("nginx-config", "--root", tmp_path, "--prefix", tmp_path / "ngx")
    assert proc.returncode == 1
    assert "no index.html: build the site first (make build)" in proc.stdout
    assert not (tmp_path / "ngx").exists()
