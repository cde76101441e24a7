"""Stage 3, build: load → validate → generate pages (and search index, packages) → MkDocs → replace OUT/site.

Nothing is written when validation fails. Everything is generated in a temporary folder inside OUT and the
finished site replaces OUT/site by renaming, so a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import multiprocessing
import os
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from . import packages, siteconfig
from .exports.feeds import dataset_jsonld, jsonld_script
from .load.loader import load_catalog
from .load.release_index import load_index
from .model.catalog import cap_problems, count_of, listed
from .paths import CONFIG, DATA, RELEASES, REPO, SCHEMAS, SITE_SRC
from .release.record import ReleaseMismatch
from .safefs import child, copy_tree, within
from .search import index as search
from .site import pages, shell, zensical_engine
from .site.precompress import add_counts, precompress, walk
from .site.sources import source_problems
from .validate.validator import release_problems, validate_catalog
from .workdir import clear_stale_work_dirs, work_dir

HELP = "生成站点 / validate and build the static site"
DESCRIPTION = """校验数据，生成页面、搜索索引和下载文件，用 MkDocs（--strict）生成导航页和页面外壳，再把生成的页面
套入外壳，站点写到 OUT/site。
校验失败时列出全部问题并退出（不写任何文件）；构建失败时保留原有站点。
Validate, generate pages, search index and downloads; MkDocs (--strict) builds the nav pages and one page
shell per kind of generated page, into which the generated pages are filled (OUT/site).
On a validation error nothing is written; a failed build leaves the previous site untouched."""

ENGINES = {"mkdocs": "MkDocs", "zensical": "Zensical"}


def add_arguments(parser) -> None:
    parser.add_argument("--data", default=str(DATA), help="数据目录 / data directory (default: data/)")
    parser.add_argument("--out", default=str(REPO / "build"), help="输出目录，站点写入 OUT/site / output folder (default: build/)")
    parser.add_argument("--schemas", default=str(SCHEMAS), help="表结构目录 / schema directory (default: schemas/)")
    parser.add_argument("--config", default=str(CONFIG), help="MkDocs 配置 / MkDocs config (default: mkdocs.yml)")
    parser.add_argument("--releases", default=str(RELEASES),
                        help="发布记录目录 / release records (default: releases/)")
    parser.add_argument("-j", "--jobs", type=int, default=0,
                        help="并行（1 或 2；默认按 CPU）：2 时搜索索引和下载在子进程中与页面同时生成，页面外壳与预压缩用 2 个进程"
                             " / 1 or 2 (default: by CPU count); with 2 the search index and downloads are written by"
                             " forked processes beside the pages, page shells and gzip copies in 2 processes")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度 / no progress lines")
    parser.add_argument("--engine", choices=sorted(ENGINES), default="mkdocs",
                        help="站点生成器 / site generator: mkdocs (default) or zensical (its successor, same mkdocs.yml)")
    parser.add_argument("--no-gzip", dest="gzip", action="store_false",
                        help="不写预压缩 .gz 文件 / no precompressed .gz copies (nginx gzip_static)")


def main(args) -> int:
    return build(Path(args.data), Path(args.out), Path(args.schemas), Path(args.config), quiet=args.quiet, jobs=args.jobs,
                 gzip_copies=args.gzip, engine=args.engine, releases_dir=Path(args.releases))


_T0 = [time.perf_counter()]


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(f"[{time.perf_counter() - _T0[0]:6.1f} s] {message}", file=sys.stderr, flush=True)


def source_date(catalog, pinned: str | None = None) -> int:
    """The build date, computed once per build: `pinned` (SOURCE_DATE_EPOCH as the caller's environment gives it) when
    it is a number, else taken from the data (newest year), so two builds of the same data are byte-identical. Never
    written back to the environment: a second build in the same process computes its own."""
    if pinned and pinned.isdigit():
        return int(pinned)
    newest = 2025
    for ds in catalog.lists():
        for r in ds.records:
            newest = max(newest, ds.info.year_of(r.values) or newest)
    return int(datetime(newest, 1, 1, tzinfo=timezone.utc).timestamp())


@contextlib.contextmanager
def generator_date(epoch: int):
    """SOURCE_DATE_EPOCH for the site generator only: MkDocs, run in this process, reads the build date nowhere else.
    The previous value (or its absence) is put back when the generator is done, so nothing carries over."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def build(data_dir: Path, out_dir: Path, schemas_dir: Path = SCHEMAS, config: Path = CONFIG, quiet: bool = False,
          jobs: int = 0, gzip_copies: bool = True, engine: str = "mkdocs", releases_dir: Path = RELEASES,
          fill_shells: bool = True, site_src: Path = SITE_SRC, epoch: int | None = None) -> int:
    """The whole build; `fill_shells=False` gives every generated page to the site generator as Markdown instead of
    filling page shells (the old way, kept for the golden test that compares the two); `site_src`: site/ (tests);
    `epoch`: the build date (default: source_date() of this build's data, or SOURCE_DATE_EPOCH when set)."""
    started = _T0[0] = time.perf_counter()
    _say(quiet, f"… 读取 / loading {data_dir}")
    catalog, problems = load_catalog(data_dir, schemas_dir)
    gc.freeze()  # the loaded catalog lives to the end: collections (here and in forked helpers) need not scan it
    # release versions become folder names and anchors: checked first, with each snapshot against its commit
    problems += release_problems(releases_dir)
    problems += source_problems(site_src, config, releases_dir)  # no link in what is copied into the site
    jobs = max(1, min(2, jobs or os.cpu_count() or 1))
    helpers: list = []
    work = lock = created = None
    if jobs > 1 and not any(p.severity == "error" for p in problems):
        # the search index and the downloads start in forked processes while this one validates: into a work folder
        # that is removed (and nothing else touched) if validation fails
        created = not out_dir.exists()
        try:
            work, lock, helpers = _start(catalog, out_dir, quiet, releases_dir, gzip_copies, site_src)
        except BaseException as exc:
            return _failed(exc)
    _say(quiet, "… 校验 / validating")
    problems += validate_catalog(catalog)
    problems = cap_problems(problems)
    errors = sum(count_of(p) for p in problems if p.severity == "error")
    if errors:
        _stop(helpers, work, lock)
        if created:
            shutil.rmtree(out_dir, ignore_errors=True)
        print(*listed(problems), sep="\n")
        files = len({p.path for p in problems if p.severity == "error"})
        print(f"✗ 校验未通过，未生成站点：{errors} 个错误，涉及 {files} 个文件"
              f" | invalid data, nothing built: {errors} errors in {files} files")
        return 1

    if work is None:
        try:
            work, lock, helpers = _start(catalog, out_dir, quiet, releases_dir, gzip_copies, site_src, fork=False)
        except BaseException as exc:
            return _failed(exc)
    try:
        for label in SEARCH_AND_DOWNLOADS if helpers else ():
            _say(quiet, f"… {label}")
        docs = work / "docs"
        raw = siteconfig.read(config)
        settings = pages.Settings(repo_url=raw.get("repo_url") or "", edit_uri=raw.get("edit_uri") or "",
                                  site_url=siteconfig.site_url(config),
                                  example=any(d.info.example for d in catalog.datasets.values()),
                                  releases=load_index(releases_dir))
        _say(quiet, "… 生成页面 / generating pages")
        count = 0
        folders: dict[str, Path] = {}
        nav = pages.nav(catalog)
        shells = shell.Shells(nav, work / "pages.staging",  # shells assume directory URLs (as mkdocs.yml sets)
                              enabled=fill_shells and raw.get("use_directory_urls", True) is not False)
        for rel, text in pages.iter_pages(catalog, settings):
            count += 1
            if shells.take(rel, text):  # filled into its page shell after the site generator has run
                continue
            folder, _, name = rel.rpartition("/")
            if folder not in folders:
                folders[folder] = within(docs, folder) if folder else docs
                folders[folder].mkdir(parents=True, exist_ok=True)
            with open(child(folders[folder], name), "w", encoding="utf-8") as fh:
                fh.write(text)
        for rel, text in shells.stubs():
            stub = within(docs, rel)
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text(text, encoding="utf-8")
        _say(quiet, f"  {count:,} 个文件 / files（{len(shells.entries):,} 页套用 {len(shells.stub_urls)} 个页面外壳"
                    f" / pages for {len(shells.stub_urls)} page shells）")
        if not helpers:
            _search_and_downloads(catalog, docs, quiet, releases_dir, gz=gzip_copies)
        # the site generator needs the downloads (their page, the manifest in the datasets' JSON-LD); only Zensical,
        # which copies every file itself, needs the search index too: otherwise it is awaited after the fill
        _join(helpers, quiet, [1] if engine == "mkdocs" else [0, 1])
        if engine != "mkdocs":  # Zensical copies every file itself: the finished search index goes into docs
            move_generated(docs, docs, only=0)
        embed_dataset_jsonld(catalog, docs)

        _say(quiet, f"… {ENGINES[engine]}（--strict）")
        if epoch is None:
            epoch = source_date(catalog, os.environ.get("SOURCE_DATE_EPOCH"))
        options = {"epoch": epoch, "config": str(config), "docs": str(docs), "nav": nav,
                   "not_in_nav": pages.not_in_nav(catalog) + shell.NOT_IN_NAV,
                   "extra": {**(raw.get("extra") or {}), "example_data": settings.example}}
        if engine == "zensical":
            site_tmp = zensical_engine.build_site(options, raw, work, site_src)
        else:
            site_tmp = work / "site-0"
            _mkdocs(options, str(site_tmp), EXCLUDE)
        _say(quiet, f"  {ENGINES[engine]} ✓")
        _say(quiet, "… 套用页面外壳 / filling page shells")
        filled = shells.fill_site(site_tmp, jobs, gzip_copies)
        shells.sitemap(site_tmp, epoch)
        _say(quiet, f"  {filled['pages']:,} 页 / pages ✓")
        done = _precompress(site_tmp, jobs, quiet, filled) if gzip_copies else None
        _join(helpers, quiet, [0, 1])
        if done is not None:
            _precompressed(quiet, done, work)
        move_generated(docs, site_tmp)

        final = out_dir / "site"
        old = work / "old-site"
        if final.exists():
            final.rename(old)
        try:
            site_tmp.rename(final)
        except BaseException:
            if old.exists() and not final.exists():
                old.rename(final)  # put the previous site back before the temporary folder goes
            raise
    except BaseException as exc:
        _stop(helpers, work, lock)
        return _failed(exc)
    shutil.rmtree(work, ignore_errors=True)
    assert lock is not None  # taken with the work folder above
    os.close(lock)
    html, size = filled["html"], filled["bytes"]  # the filled pages' folders are counted, not walked again
    for path, entry in walk(final, filled["leaves"]):
        html += path.endswith(".html")
        size += entry.stat(follow_symlinks=False).st_size
    seconds = time.perf_counter() - started
    print(f"✓ 站点已生成：{html:,} 个页面，{size / 1e6:.1f} MB，{seconds:.1f} 秒 → {final}"
          f" | site built: {html:,} pages, {size / 1e6:.1f} MB, {seconds:.1f} s")
    return 0


def _start(catalog, out_dir: Path, quiet: bool, releases_dir: Path, gz: bool, site_src: Path,
           fork: bool = True) -> tuple[Path, int, list]:
    """The build's work folder (OUT/.build-*, locked) with the site sources copied into work/docs, and, when `fork`,
    the search index and the downloads started in forked processes writing into it: [(process, failure pipe)]."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cleared = clear_stale_work_dirs(out_dir)
    if cleared:
        _say(quiet, f"… 清理了 {cleared} 个中断构建留下的临时目录 / removed {cleared} folders left by killed builds")
    work, lock = work_dir(out_dir)
    helpers: list = []
    try:
        docs = work / "docs"
        copy_tree(site_src, docs, skip=lambda name: name in ("overrides", "__pycache__") or name.startswith("."))
        ctx = multiprocessing.get_context("fork")
        for stage in range(len(SEARCH_AND_DOWNLOADS)) if fork else ():
            failure, report = ctx.Pipe(duplex=False)
            helper = ctx.Process(target=_search_and_downloads_child,
                                 args=(catalog, docs, quiet, releases_dir, report, stage, gz))
            helper.start()
            report.close()
            helpers.append((helper, failure))
    except BaseException:
        _stop(helpers, work, lock)
        raise
    return work, lock, helpers


def _failed(exc: BaseException) -> int:
    if isinstance(exc, KeyboardInterrupt):
        raise exc
    print(f"✗ 构建失败，原有站点保持不变 / build failed, previous site left untouched: {exc}")
    return 1


def _stop(helpers: list, work: Path | None, lock: int | None) -> None:
    """Stop the forked helpers that still run and remove the work folder (a failed or refused build)."""
    for helper, _failure in helpers:
        if helper.is_alive():
            helper.terminate()
            helper.join()
    if work is not None and lock is not None:  # the two are taken together
        shutil.rmtree(work, ignore_errors=True)
        os.close(lock)


def _join(helpers: list, quiet: bool, stages: list[int]) -> None:
    """Wait for the forked helpers of these stages (those not yet awaited); a failure raises its message."""
    for stage in stages:
        if stage >= len(helpers) or helpers[stage][1].closed:
            continue
        helper, failure = helpers[stage]
        try:  # before join: a long message would fill the pipe and block the child
            message = failure.recv()
        except EOFError:  # the child finished without a word: success
            message = None
        failure.close()
        helper.join()
        if helper.exitcode != 0:  # the same message as -j 1 gives, from the child that met it
            raise RuntimeError(message or f"search index or downloads failed (exit {helper.exitcode})")
        _say(quiet, f"  {SEARCH_AND_DOWNLOADS[stage]} ✓")


def _precompress(site: Path, jobs: int, quiet: bool, filled: dict) -> dict:
    """.gz copies of the finished site's text files, for a web server's gzip_static (deploy/nginx/); those of the
    filled pages are written by the fill (`filled`, scripts/site/shell.py) and only counted here."""
    _say(quiet, "… 预压缩 / gzip copies")
    return add_counts(precompress(site, jobs, prune=filled["leaves"]), filled)


def _precompressed(quiet: bool, done: dict, work: Path) -> None:
    """The progress line of the .gz copies, with those of the MOVED folders, written by the processes that wrote
    them (work/gz-*.json)."""
    for part in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(work.glob("gz-*.json"))):
        done = add_counts(done, part)
    saved = 1 - done["gzipped"] / done["raw"] if done["raw"] else 0
    _say(quiet, f"  {done['files']:,} 个 .gz / files, {done['raw'] / 1e6:.1f} → {done['gzipped'] / 1e6:.1f} MB"
                f"（-{saved:.0%}）")


SEARCH_AND_DOWNLOADS = ("搜索索引 / search index", "下载与数据包 / downloads and packages")
# the bulky folders they write (thousands of files), which the site generator does not copy: their .gz copies are
# written by the process that wrote them, and the finished folders are moved into the built site (move_generated)
MOVED = ("assets/search", "downloads")
# where each writes: the search index, still being written while the site generator runs, into a folder beside docs
# that the generator never reads (a half-written index is no input of it); the downloads into docs (their page)
LATE = "late"


def stage_root(docs: Path, number: int) -> Path:
    return docs.parent / LATE if number == 0 else docs


# of the downloads, written into docs, the site generator reads only their page (the search index is not in docs)
EXCLUDE = f"/overrides/\n/{MOVED[1]}/*\n!/{MOVED[1]}/index.md\n"


def _search_and_downloads(catalog, docs: Path, quiet: bool, releases_dir: Path = RELEASES,
                          only: int | None = None, gz: bool = True) -> None:
    """The search index and the downloads (data packages, releases, changelog, feeds); `only` one of them.
    With -j 2 each runs in its own forked process beside the pages: three processes on two cores finish sooner
    than two, as the three loads differ (pages ≈ search > downloads at 1x)."""
    writers = (search.write_search_index, lambda c, d: packages.write_packages(c, d, releases_dir=releases_dir))
    for number, (label, write) in enumerate(zip(SEARCH_AND_DOWNLOADS, writers)):
        if only is not None and number != only:
            continue
        if only is None:  # a forked helper starts before validation has passed: the parent speaks for it
            _say(quiet, f"… {label}")
        write(catalog, stage_root(docs, number))
        if gz:  # beside the pages, not after them: the .gz copies of what this stage wrote, counted for the summary
            done = precompress(stage_root(docs, number) / MOVED[number])
            (docs.parent / f"gz-{number}.json").write_text(json.dumps(done), encoding="utf-8")
        if only is None:
            _say(quiet, f"  {label} ✓")


def embed_dataset_jsonld(catalog, docs: Path) -> None:
    """schema.org Dataset JSON-LD (with every download's size and SHA-256) on each list dataset's page.

    The downloads are written in parallel with the pages, so their manifest is only known now."""
    manifest = json.loads((docs / "downloads" / "manifest.json").read_text(encoding="utf-8"))
    for dataset in catalog.lists():
        page = docs / dataset.name / "index.md"
        script = jsonld_script(dataset_jsonld(catalog, dataset.name, manifest))
        with page.open("a", encoding="utf-8") as fh:
            fh.write("\n\n" + script + "\n")


def _search_and_downloads_child(catalog, docs: Path, quiet: bool, releases_dir: Path, report,
                                only: int | None = None, gz: bool = True) -> None:
    """A forked helper of a -j 2 build (search index or downloads): a known failure (a tampered release) goes back to
    the parent as its message, which the parent prints as -j 1 does; anything else is a defect and keeps its
    traceback."""
    try:
        _search_and_downloads(catalog, docs, quiet, releases_dir, only, gz)
    except ReleaseMismatch as exc:
        report.send(str(exc))
        os._exit(1)
    except BaseException:
        import traceback
        report.send(traceback.format_exc())
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def move_generated(docs: Path, site: Path, only: int | None = None) -> None:
    """Move the MOVED folders' files from where they were written (stage_root) into the built site, where the site
    generator has not copied them (Zensical copies everything: there is nothing left to move); `only` one of them.
    Renames only: no bytes are copied."""
    for folder, source in ((f, stage_root(docs, n) / f) for n, f in enumerate(MOVED) if only in (None, n)):
        if not source.is_dir():
            continue
        target = within(site, folder)
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(source)):
            empty = (source / name).is_dir() and not os.listdir(source / name)  # a generator makes no empty folder
            if name != "index.md" and not empty and not os.path.lexists(target / name):
                os.rename(source / name, target / name)



def _mkdocs(options: dict, site_dir: str, exclude: str) -> None:
    import mkdocs.config
    from mkdocs.commands import build as mkdocs_build

    cfg = mkdocs.config.load_config(
        config_file=options["config"], docs_dir=options["docs"], site_dir=site_dir, strict=True,
        nav=options["nav"], not_in_nav=options["not_in_nav"], extra=options["extra"], exclude_docs=exclude)
    _quiet_mkdocs_logging()
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        with generator_date(options["epoch"]):
            mkdocs_build.build(cfg)
    finally:
        cfg.plugins.on_shutdown()


class _MkdocsHandler(logging.StreamHandler):
    """The one handler this module adds to MkDocs' logger (recognised by its _sx mark, so it is added once)."""
    _sx = True


def _quiet_mkdocs_logging() -> None:
    log = logging.getLogger("mkdocs")
    if not any(getattr(h, "_sx", False) for h in log.handlers):
        handler = _MkdocsHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
