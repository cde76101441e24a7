"""Run one stage as its own process and measure it: wall time, CPU time and peak memory (max RSS). Used by
`make bench` (scripts/tools/bench.py) and the stages' own bench reports (e.g. scripts/release/diff.py), so those never import the
bench."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from .paths import REPO


def run_stage(argv: list[str]) -> tuple[float, float, int]:
    """Run `python -m scripts argv`; return (seconds, peak RSS in MiB, exit code)."""
    seconds, _cpu, peak, code = measure(argv)
    return seconds, peak, code


def measure(argv: list[str]) -> tuple[float, float, float, int]:
    """Run `python -m scripts argv`; return (wall seconds, CPU seconds of it and the children it waited for,
    peak RSS in MiB, exit code). On a shared machine the CPU time is the steadier figure."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "scripts", *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, cwd=REPO)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode and proc.stderr is not None:
        sys.stderr.write(proc.stderr.read().decode("utf-8", "replace")[-2000:])
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode
