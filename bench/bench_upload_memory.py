"""Benchmark: peak memory of reading a 10 MB upload of invalid lines (a script, not a test).

Run: python bench/bench_upload_memory.py; prints the process's resident memory before, at peak and after.
This measures read_upload in-process (the work a session does on upload), not a running server.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from src.config import DEFAULT_DATA_DIR, MAX_UPLOAD_BYTES  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.upload import read_upload  # noqa: E402
from tests.conftest import GOOD_ROWS  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def main() -> None:
    data = load_dataset(DEFAULT_DATA_DIR)
    header = ",".join(GOOD_ROWS["incidents.csv"]) + "\n"
    raw = (header + "x\n" * ((MAX_UPLOAD_BYTES - len(header)) // 2)).encode()
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    result = read_upload("invalid.csv", raw, DEFAULT_DATA_DIR, data)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kept = len(result.problems)
    del result
    gc.collect()
    print(f"{len(raw) / 1e6:.1f} MB of invalid lines: {seconds:.2f} s, problems kept {kept}")
    print(f"RSS before {before:.0f} MB, peak {peak:.0f} MB, after {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
