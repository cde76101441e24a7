"""The build's work folder: OUT/.build-* with a lock held for as long as the build (and the processes it forks) runs,
and the removal of the folders that killed builds left behind."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

WORK_PREFIX = ".build-"
WORK_LOCK = ".lock"
UNLOCKED_GRACE = 600  # seconds: a work folder without a lock file is only a build's if it is this young


def work_dir(out_dir: Path) -> tuple[Path, int]:
    """A fresh OUT/.build-* folder and a lock held on OUT/.build-*/.lock for as long as this build (and the
    processes it forks) runs. The kernel drops the lock when they die, however they die."""
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out_dir))
    fd = os.open(work / WORK_LOCK, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return work, fd


def clear_stale_work_dirs(out_dir: Path) -> int:
    """Remove the OUT/.build-* folders of builds that were killed: their lock is free (or, for a folder without a
    lock file, it is older than UNLOCKED_GRACE). A concurrent build holds its lock and is left alone; only real
    folders named .build-* directly in OUT are considered, never a symlink or anything else."""
    removed = 0
    for entry in sorted(os.scandir(out_dir), key=lambda e: e.name):
        if not entry.name.startswith(WORK_PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            fd = os.open(os.path.join(entry.path, WORK_LOCK), os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            if time.time() - entry.stat(follow_symlinks=False).st_mtime > UNLOCKED_GRACE:
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a running build
        else:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
        finally:
            os.close(fd)
    return removed
