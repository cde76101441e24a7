"""Precompressed copies for the web server: NAME.gz beside each text file of the finished site (nginx gzip_static).

Deterministic: gzip level 6 (level 9 saves 0.5 % more at 1.4× the time), no file name and mtime 0 in the header, so two builds of the same data are
byte-identical. Only text types, only files of at least MIN_BYTES, and only where the copy is smaller.
"""

from __future__ import annotations

import gzip
import multiprocessing
import os
import struct
import zlib
from pathlib import Path

TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".csv", ".xml", ".svg", ".txt", ".map",
                           ".atom", ".jsonld"})
MIN_BYTES = 256
_CHUNK = 64


def walk(root: Path | str, prune: frozenset[str] | set[str] = frozenset()):
    """(path, directory entry) of every regular file under `root`, symlinks not followed, not entering the folders
    in `prune` (paths relative to root: the filled pages' own folders, whose files the fill wrote and counted).
    os.scandir knows a file from a folder without a stat call (Path.rglob + stat took seconds at 45,000 files)."""
    root = os.path.normpath(root)
    cut = len(root) + 1
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path[cut:] not in prune:
                        stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    yield entry.path, entry


def candidates(site: Path, prune: frozenset[str] | set[str] = frozenset()) -> list[Path]:
    """The files worth a .gz copy, in a stable order; none in the folders of `prune` (see walk)."""
    return sorted(Path(path) for path, entry in walk(site, prune)
                  if os.path.splitext(path)[1].lower() in TEXT_SUFFIXES
                  and entry.stat(follow_symlinks=False).st_size >= MIN_BYTES)


def gz_copy(data: bytes) -> bytes | None:
    """The .gz copy of `data` (level 6, mtime 0), or None where none is worth writing: under MIN_BYTES, or not
    smaller. The one rule for this module and for the pages scripts/site/shell.py writes."""
    if len(data) < MIN_BYTES:
        return None
    packed = gzip.compress(data, compresslevel=6, mtime=0)
    return packed if len(packed) < len(data) else None


# A gzip member made of pieces (scripts/site/shell.py: a page is its shell's constant pieces around its own content).
# Each piece is raw deflate ended by a full flush, which leaves the stream byte-aligned with nothing referring back
# across it, so pieces compressed once (the shell's) and pieces compressed per page can be concatenated.
GZ_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"  # deflate, no name, mtime 0, Unix: as gzip.compress
GZ_LAST = b"\x03\x00"  # an empty final block (fixed Huffman, end-of-block)


class Deflater:
    """Raw deflate pieces at level 6. One compressor serves every piece: a full flush resets its history, so a
    piece's bytes do not depend on the pieces before it (and a fresh compressor per piece costs more than the piece)."""

    def __init__(self):
        self._z = zlib.compressobj(6, zlib.DEFLATED, -15)

    def piece(self, data: bytes) -> bytes:
        return self._z.compress(data) + self._z.flush(zlib.Z_FULL_FLUSH)


def gz_pieces(raw: bytes, pieces: list[bytes]) -> bytes | None:
    """The .gz copy of `raw`, given as deflate `pieces` (Deflater.piece) that together hold exactly `raw`; None where
    gz_copy's rule writes none (under MIN_BYTES, or not smaller)."""
    if len(raw) < MIN_BYTES:
        return None
    packed = b"".join([GZ_HEADER, *pieces, GZ_LAST, struct.pack("<II", zlib.crc32(raw), len(raw) & 0xFFFFFFFF)])
    return packed if len(packed) < len(raw) else None


def _compress(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    packed = gz_copy(data)
    target = path.with_name(path.name + ".gz")
    if packed is None:
        target.unlink(missing_ok=True)
        return len(data), len(data)
    target.write_bytes(packed)
    return len(data), len(packed)


def add_counts(a: dict, b: dict) -> dict:
    """The sum of two counts of .gz copies (precompress's "files", "raw", "gzipped")."""
    return {key: a[key] + b[key] for key in ("files", "raw", "gzipped")}


def precompress(site: Path, jobs: int = 1, prune: frozenset[str] | set[str] = frozenset()) -> dict:
    """Write the .gz copies (with `jobs` processes); return counts and sizes for the build's progress line. The
    build passes in `prune` the folders of the pages scripts/site/shell.py filled, .gz copies and all."""
    files = candidates(site, prune)
    if jobs > 1 and len(files) > 4 * _CHUNK:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            sizes = pool.map(_compress, files, chunksize=_CHUNK)
    else:
        sizes = [_compress(p) for p in files]
    written = sum(1 for raw, packed in sizes if packed < raw)
    return {"files": written, "raw": sum(raw for raw, _ in sizes), "gzipped": sum(packed for _, packed in sizes)}


def bench_report(work_dir: Path) -> list[tuple[str, str]]:
    """For `make bench`: the .gz copies the build wrote (the build stage's time includes them): how many, and the
    size of the files they copy against theirs."""
    site = Path(work_dir) / "out" / "site"
    if not (site / "index.html").exists():
        return [("gzip", "site not built")]
    files = raw = packed = 0
    for path, entry in walk(site):
        if path.endswith(".gz") and os.path.exists(path[:-3]):
            files += 1
            packed += entry.stat(follow_symlinks=False).st_size
            raw += os.path.getsize(path[:-3])
    saved = 1 - packed / raw if raw else 0
    return [("gzip copies", f"{files:,} files, {raw / 1e6:.1f} → {packed / 1e6:.1f} MB (-{saved:.0%}), written by the "
                            "build (filled pages from deflated shell pieces)")]
