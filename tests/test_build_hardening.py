"""Issue 9, the site/build side: each attack reproduced first, then rejected with `file:line: field: message` or
built safely. (The loader/validator side has its own tests.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_tree, run_cli

from scripts.safefs import OutsideTree, child, copy_tree, within


def _releases_with_version(tmp_path: Path, version: str) -> Path:
    releases = tmp_path / "releases"
    shutil.copytree(REPO / "releases", releases)
    index = releases / "index.yaml"
    text = index.read_text(encoding="utf-8")
    assert "- version: '2025.1'" in text
    index.write_text(text.replace("- version: '2025.1'", f"- version: {version}"), encoding="utf-8")
    return releases


@pytest.mark.parametrize("version", ["'{escape}'", "'../../escape'", "'9)<img src=x onerror=alert(1)>'",
                                     "2025.1"])  # the last: unquoted, YAML reads a number
def test_release_version_not_matching_the_pattern_is_rejected_before_anything_is_written(tmp_path, version):
    """Issue 9 items 2 and 5: a version like /abs/path wrote 80+ files outside OUT; `9)<img …>` ran script on
    downloads/ and changelog/. Build, validate and release --verify now all reject it with file:line."""
    data = make_tree(tmp_path)
    escape = tmp_path / "escape"
    releases = _releases_with_version(tmp_path, version.format(escape=escape))
    out = tmp_path / "out"
    shown = version.format(escape=escape).strip("'")
    want_zh = "releases/index.yaml:4: version: 发布版本号不符合格式 YYYY.N"
    want_en = "| the release version does not match YYYY.N"
    expected = f"{want_zh}：“{shown}”（版本号形如 2025.1 或 2025.1.1，加引号；发布记录只增不改） {want_en}: “{shown}”"
    built = run_cli("build", "--data", data, "--out", out, "--releases", releases, "-q", cwd=tmp_path)
    assert built.returncode == 1
    assert built.stdout.splitlines()[0].startswith(expected), built.stdout
    assert "Traceback" not in built.stdout + built.stderr
    assert not escape.exists() and not (tmp_path.parent / "escape").exists()
    assert not out.exists() or not any(out.iterdir())
    checked = run_cli("validate", data, "-q", "--releases", releases, cwd=tmp_path)
    assert checked.returncode == 1 and checked.stdout.splitlines()[0].startswith(expected), checked.stdout
    verified = run_cli("release", "--verify", "--releases", releases, cwd=tmp_path)
    assert verified.returncode == 1 and verified.stderr.splitlines()[0].startswith(expected), verified.stderr
    assert not escape.exists()


def test_every_written_path_is_confined_to_its_folder(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    assert within(root, "downloads", "releases", "2025.1") == root / "downloads" / "releases" / "2025.1"
    for parts in (("/etc",), ("..", "x"), ("a/../../x",), ("link", "file"), ("",), ("a\x00b",)):
        with pytest.raises(OutsideTree):
            within(root, *parts)
    assert child(root, "x.md") == root / "x.md"
    for name in ("", ".", "..", "a/b", "../x", "a\x00"):
        with pytest.raises(OutsideTree):
            child(root, name)


def test_killed_builds_leave_no_temp_folders_after_the_next_build(tmp_path):
    """Issue 9 item 16: seven killed builds left 460 MB of OUT/.build-* folders. The next build removes the ones
    whose build is dead, and only those: a running build's folder and anything not ours stay."""
    import fcntl
    import signal
    import time

    data = make_tree(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "scripts", "build", "--data", str(data), "--out", str(out), "-q"],
                            cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob(".build-*/docs/products")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed = list(out.glob(".build-*"))
    assert len(killed) == 1 and any(killed[0].rglob("*.md"))  # the attack reproduced: the folder stays
    live = out / ".build-running"
    live.mkdir()
    fd = os.open(live / ".lock", os.O_CREAT | os.O_WRONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a concurrent build holding its lock
    old = out / ".build-before-locks"
    old.mkdir()
    os.utime(old, (time.time() - 3600, time.time() - 3600))  # killed before it could lock, an hour ago
    young = out / ".build-just-started"
    young.mkdir()  # no lock yet, but young: may be a build between mkdtemp and lock
    (tmp_path / "not-ours").mkdir()
    (out / ".build-link").symlink_to(tmp_path / "not-ours")
    (out / ".build-file").write_text("x", encoding="utf-8")
    try:
        result = run_cli("build", "--data", data, "--out", out, cwd=tmp_path)
    finally:
        os.close(fd)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "removed 2 folders left by killed builds" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".build-file", ".build-just-started", ".build-link",
                                                     ".build-running", "site"]
    assert (tmp_path / "not-ours").is_dir()


def _copy_dataset(data: Path, source: str, name: str) -> None:
    target = data / "registry" / name
    shutil.copytree(data / "registry" / source, target)
    meta = target / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(f"name: {source}\n", f"name: {name}\n", 1),
                    encoding="utf-8")


def test_dataset_names_sharing_31_characters_build_with_unique_sheet_names(tmp_path):
    """Issue 9 item 11: validate accepted two dataset names sharing their first 31 characters, then the build
    failed on the XLSX workbook (one sheet per dataset, names cut to 31). What validate accepts, build builds."""
    import openpyxl

    data = make_tree(tmp_path)
    names = ["scene-types-copy-with-a-long-name-one", "scene-types-copy-with-a-long-name-two"]
    assert names[0][:31] == names[1][:31]
    for name in names:
        _copy_dataset(data, "scene-types", name)
    assert run_cli("validate", data, "-q").returncode == 0
    out = tmp_path / "out"
    result = run_cli("build", "--data", data, "--out", out, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    book = openpyxl.load_workbook(out / "site" / "downloads" / "jiaxing-sanxin-open-data.xlsx", read_only=True)
    sheets = book.sheetnames
    assert len(sheets) == len({s.casefold() for s in sheets}) and all(len(s) <= 31 for s in sheets)
    assert "scene-types-copy-with-a-long-na" in sheets and "scene-types-copy-with-a-long-~2" in sheets


def test_xlsx_never_cuts_text_silently(tmp_path):
    """Issue 9 item 14: XLSX cut a 40,000-character cell to 32,767 without a mark. Data cells that long are
    rejected by validation (fixtures cell-over-32767-characters, registry-text-over-32767-characters); any other
    text the workbook writes (metadata) is cut with a visible mark pointing to the CSV."""
    from datetime import date

    import openpyxl

    from scripts.exports.formats import CUT_MARK, XLSX_CELL_LIMIT
    from scripts.exports.xlsx import Workbook

    book = Workbook(tmp_path / "b.xlsx", date(2025, 1, 1), "t", "a")
    book.about_sheet("说明 About", [("名称 / Title", "长" * 40000), ("短 / Short", "ok")], [])
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx").active
    cut = sheet.cell(1, 2).value
    assert len(cut) == XLSX_CELL_LIMIT and cut.endswith(CUT_MARK) and cut.startswith("长" * 1000)
    assert sheet.cell(2, 2).value == "ok"


PAYLOADS = ['<img src=x onerror=window.__pwned=1>', '<script>window.__pwned=1</script>', '"><svg onload=alert(1)>',
            ')[y](javascript:alert(1))', '[x](javascript:alert(1)){: onclick="alert(1)"}', '{{ 7*7 }}{% raw %}',
            '=cmd|" /C calc"!A0', '# heading\n> quote | cell |']


def test_dataset_yaml_text_never_becomes_markup_on_the_downloads_page_or_in_the_zip_readme(tmp_path):
    """Issue 9 item 1: licence.path was pasted raw into downloads/ and the zip's README.md. URLs are now checked at
    validation (fixtures licence-path-*); every other dataset.yaml text goes through the one escaper."""
    import dataclasses
    from datetime import date

    import markdown
    from bs4 import BeautifulSoup

    from scripts.exports import download_pages, downloads
    from scripts.load.loader import load_catalog

    catalog, _ = load_catalog(make_tree(tmp_path))
    payload = " ".join(PAYLOADS)
    for dataset in catalog.datasets.values():
        info = dataset.info
        dataset.info = dataclasses.replace(
            info, title=payload, title_en=payload, licence={**info.licence, "name": payload, "title": payload},
            publisher={**info.publisher, "name": payload, "name_en": payload},
            sources=({"title": payload, "path": "https://x.org/?q=%22%3E%3Cimg%20src=x%3E&a=javascript:1"},))
    readme = downloads.package_readme(catalog, "2025.1", date(2025, 1, 1), "https://example.org/")
    manifest = {}
    for dataset in catalog.datasets.values():
        for _year, stem in downloads.dataset_files(dataset):
            for suffix, *_ in downloads.FORMATS:
                manifest[stem + suffix] = {"bytes": 1, "sha256": "0" * 64}
    for name in (f"{downloads.PACKAGE}.zip", f"{downloads.PACKAGE}.xlsx"):
        manifest[name] = {"bytes": 1, "sha256": "0" * 64}
    page = download_pages.downloads_page(catalog, "2025.1", date(2025, 1, 1), "https://example.org/", manifest, [], False)
    for html in (markdown.markdown(readme, extensions=["attr_list", "tables"]),
                 markdown.markdown(page.split("---", 2)[2], extensions=["attr_list", "tables", "toc"])):
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find_all(["img", "script", "svg", "iframe"]) == []
        assert not [a["href"] for a in soup.find_all("a") if not a["href"].startswith(("https://", "../", "manifest"))
                    and (":" in a["href"] or "<" in a["href"])]
        assert not [t for t in soup.find_all(True) if any(k.startswith("on") for k in t.attrs)]
        assert "7*7" in soup.get_text() or "7\\*7" in soup.get_text()
    assert soup.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"


def test_a_company_with_thousands_of_records_gets_pages_of_at_most_150_kb(tmp_path):
    """Issue 9 item 15: 5,000 records of one company gave a 675 KB company page with 15,000 DOM nodes. The page is
    now paged (300 records a page) with the list pages' pager, every page below 150 KB, every record reachable.
    (1,000 records here keep the test short: a page holds 300 whatever the total; 5,000 give 17 pages of 59 KB.)"""
    from bs4 import BeautifulSoup

    data = make_tree(tmp_path)
    path = data / "products" / "2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines[1]
    assert first.startswith("P-2025-00001,") and ",91330402MA29GJ9Y6Y," in first
    extra = [first.replace("P-2025-00001", f"P-2025-{n:05d}", 1) for n in range(1001, 2001)]
    path.write_text("\n".join(lines + extra) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--data", data, "--out", out, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    company = out / "site" / "companies" / "91330402MA29GJ9Y6Y"
    pages = [company / "index.html"] + sorted((p / "index.html" for p in company.iterdir() if p.is_dir()),
                                              key=lambda p: int(p.parent.name))
    assert len(pages) == 4
    seen: list[str] = []
    for number, page in enumerate(pages, start=1):
        assert page.stat().st_size <= 150 * 1024, (page, page.stat().st_size)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one(".sx-company")
        seen += [a.get_text() for a in article.select("ul.sx-related a")]
        pager = article.select_one("nav.sx-pager")
        assert pager.select_one(".sx-page-no").get_text().startswith(f"第 {number} / {len(pages)} 页")
        nxt = pager.select_one("a.sx-next")
        assert (nxt is None) == (number == len(pages))
        if nxt is not None:
            assert (page.parent / nxt["href"]).resolve() == pages[number].parent.resolve()
    products = [i for i in seen if i.startswith("P-")]
    assert len(products) == len(set(products)) >= 1000


# --- issue 18 item 6: links where the build copies from ----------------------------------------------------------

BUILD_WITH_SOURCES = ("import sys; from pathlib import Path; from scripts.build import build; "
                      "sys.exit(build(Path(sys.argv[1]), Path(sys.argv[2]), config=Path(sys.argv[3]), quiet=True, "
                      "releases_dir=Path(sys.argv[4]), site_src=Path(sys.argv[5])))")
SECRET = "[http] extraheader = AUTHORIZATION: basic SECRET-TOKEN"


def _plant_theme_dir(repo: Path) -> Path:
    """A theme custom_dir outside site/ (mkdocs.yml may name any), holding a link to the git config."""
    shutil.copytree(repo / "site" / "overrides", repo / "theme")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("custom_dir: site/overrides", "custom_dir: theme"),
                      encoding="utf-8")
    (repo / "theme" / "leak.txt").symlink_to("../.git/config")
    return repo / "theme" / "leak.txt"


def _plant_release_manifest(repo: Path) -> Path:
    manifest = repo / "releases" / "2025.1" / "manifest.json"
    manifest.unlink()
    manifest.symlink_to("../../.git/config")
    return manifest


LINK_ATTACKS = {  # name -> plant(repo) -> the link
    "link_to_git_config_in_site": lambda repo: _link(repo / "site" / "leak.txt", "../.git/config"),
    "linked_folder_in_site": lambda repo: _link(repo / "site" / "assets" / "git", "../../.git"),
    "link_in_theme_overrides": lambda repo: _link(repo / "site" / "overrides" / "partials" / "leak.html",
                                                  "../../../.git/config"),
    "link_in_theme_custom_dir": _plant_theme_dir,
    "link_as_release_manifest": _plant_release_manifest,
}


def _link(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


@pytest.mark.parametrize("attack", sorted(LINK_ATTACKS))
def test_symlink_where_the_build_copies_from_stops_the_build_and_publishes_nothing(tmp_path, attack):
    """`ln -s ../.git/config site/leak.txt` published the git config (in Actions it held the checkout token). A link
    in site/, the theme overrides (in site/ or wherever mkdocs.yml's custom_dir points) or releases/ is named, the
    build exits 1 and the previous site stays as it was."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "site", repo / "site")
    shutil.copytree(REPO / "releases", repo / "releases")
    shutil.copyfile(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text(SECRET + "\n", encoding="utf-8")
    link = LINK_ATTACKS[attack](repo)
    data = make_tree(tmp_path)
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("old site", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", BUILD_WITH_SOURCES, str(data), str(out), str(repo / "mkdocs.yml"),
                           str(repo / "releases"), str(repo / "site")], cwd=REPO, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "提示/warning" not in line]  # the copy is no git clone
    assert lines[0] == (f"{link}:1: -: 是符号链接，构建复制的来源（site/、主题 overrides/、releases/）中不允许链接；构建已停止，"
                        "未发布任何文件（用真实的文件或目录代替这个链接，或删除它） | is a symbolic link; links are not "
                        "allowed where the build copies from (site/, theme overrides/, releases/): the build stopped and "
                        "published nothing (replace the link with the real file or folder, or delete it)"), proc.stdout
    assert lines[-1].startswith("✗ 校验未通过，未生成站点：1 个错误") and "Traceback" not in proc.stdout + proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["site"]
    assert [p.name for p in (out / "site").iterdir()] == ["index.html"]
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "old site"


def test_copy_never_follows_a_link_planted_after_the_check(tmp_path):
    """Defence in depth: the copy into the build's docs folder walks without following links, so a link that
    appears between the check and the copy is refused too (nothing of its target is read)."""
    src, dst = tmp_path / "site", tmp_path / "docs"
    (src / "assets").mkdir(parents=True)
    (src / "assets" / "site.css").write_text("a{}", encoding="utf-8")
    (src / ".hidden").write_text("x", encoding="utf-8")
    (tmp_path / "secret").write_text(SECRET, encoding="utf-8")
    copy_tree(src, dst, skip=lambda name: name.startswith("."))
    assert sorted(p.relative_to(dst).as_posix() for p in dst.rglob("*")) == ["assets", "assets/site.css"]
    (src / "assets" / "leak.txt").symlink_to(tmp_path / "secret")
    with pytest.raises(OutsideTree, match="leak.txt"):
        copy_tree(src, tmp_path / "docs2")
    assert not (tmp_path / "docs2").exists()
