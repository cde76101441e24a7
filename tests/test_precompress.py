"""The build's .gz copies for gzip_static: text types only, above a minimum size, deterministic headers."""

from __future__ import annotations

import gzip
import os

from scripts.site.precompress import MIN_BYTES, Deflater, gz_copy, gz_pieces, precompress

TEXT = ("<p>嘉兴“三新”开放数据 / Jiaxing open data</p>\n" * 40).encode("utf-8")


def write(path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_text_files_above_the_minimum_get_a_deterministic_gz_copy(tmp_path):
    site = tmp_path / "site"
    texts = ["index.html", "assets/site.css", "assets/list.js", "listdata/x.json", "downloads/p/p.csv",
             "sitemap.xml", "assets/icon.svg", "robots.txt", "assets/bundle.min.js.map", "releases.atom",
             "catalog.jsonld"]
    for name in texts:
        write(site / name, TEXT)
    write(site / "tiny.html", b"<p>x</p>")                                # below MIN_BYTES
    write(site / "downloads/p/p.xlsx", TEXT)                              # not a text type
    write(site / "downloads/p.zip", TEXT)
    write(site / "assets/logo.png", TEXT)
    write(site / "random.json", os.urandom(4 * MIN_BYTES))                # does not shrink: no copy
    done = precompress(site, jobs=1)

    copies = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.gz"))
    assert copies == sorted(f"{name}.gz" for name in texts)
    assert done["files"] == len(texts)
    for name in texts:
        packed = (site / f"{name}.gz").read_bytes()
        assert gzip.decompress(packed) == TEXT
        assert packed[3] & 0x08 == 0, "no file name in the header"
        assert packed[4:8] == b"\0\0\0\0", "mtime 0 in the header"
    assert done["raw"] == len(texts) * len(TEXT) + 4 * MIN_BYTES


def test_two_runs_and_two_processes_write_the_same_bytes(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for site in (one, two):
        for k in range(300):  # enough files for the two-process path
            write(site / f"d{k % 7}" / f"p{k}.html", TEXT + str(k).encode())
    precompress(one, jobs=1)
    precompress(two, jobs=2)
    first = {p.relative_to(one): p.read_bytes() for p in one.rglob("*.gz")}
    second = {p.relative_to(two): p.read_bytes() for p in two.rglob("*.gz")}
    assert len(first) == 300 and first == second


def test_a_stale_copy_of_a_file_that_no_longer_shrinks_is_removed(tmp_path):
    site = tmp_path / "site"
    write(site / "data.json", os.urandom(4 * MIN_BYTES))
    write(site / "data.json.gz", b"stale")
    precompress(site)
    assert not (site / "data.json.gz").exists()


def test_a_copy_made_of_pieces_is_one_valid_gzip_member_with_the_same_header():
    shell_head, shell_tail = TEXT[:700], TEXT[700:]
    once = Deflater()
    head, tail = once.piece(shell_head), once.piece(shell_tail)  # a shell's pieces: deflated once, reused per page
    pages = [f"<article>第 {k} 页 / page {k}</article>".encode("utf-8") * 20 for k in range(3)]
    per_page = Deflater()
    copies = []
    for page in pages:
        raw = shell_head + page + shell_tail
        packed = gz_pieces(raw, [head, per_page.piece(page), tail])
        assert gzip.decompress(packed) == raw
        assert packed[:10] == gz_copy(raw)[:10]  # no file name, mtime 0: the header gzip.compress writes
        copies.append(packed)
    # a piece does not depend on the pieces deflated before it: a fresh deflater gives the same bytes
    assert gz_pieces(shell_head + pages[2] + shell_tail, [head, Deflater().piece(pages[2]), tail]) == copies[2]
    # the same rule as gz_copy: nothing under MIN_BYTES, nothing that does not shrink
    assert gz_pieces(b"<p>x</p>", [Deflater().piece(b"<p>x</p>")]) is None
    noise = os.urandom(4 * MIN_BYTES)
    assert gz_pieces(noise, [Deflater().piece(noise)]) is None
