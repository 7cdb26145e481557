"""Benchmark of the Time page's figures (a script, not a test): build + JSON for the real data and synthetic N.

Run: python bench/bench_time.py [--sizes 50000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(PROJECT_DIR / "bench"))

from bench_map import synthetic_incidents, timed  # noqa: E402

from src.config import DEFAULT_DATA_DIR  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.timeviews import animated_map, month_range, timeline  # noqa: E402


def measure(label: str, incidents: object, municipalities: object) -> None:
    months = month_range(incidents, None, None)  # type: ignore[arg-type]
    for mode in ("cumulative", "window"):
        seconds, figure = timed(lambda: animated_map(incidents, municipalities, months, mode).to_json(), 2)  # noqa: B023
        print(f"| {label} | animated map ({mode}), {len(months)} frames | {seconds:.2f} | {len(figure) / 1e6:.1f} |")
    seconds, figure = timed(lambda: timeline(incidents, months, "M").to_json(), 2)  # type: ignore[arg-type]
    print(f"| {label} | timeline (months) | {seconds:.2f} | {len(figure) / 1e6:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000])
    args = parser.parse_args()
    dataset = load_dataset(DEFAULT_DATA_DIR)
    municipalities = dataset.frame("municipalities")
    print("| data | figure | build + JSON s | MB |\n|---|---|---|---|")
    measure(f"real ({len(dataset.incidents)})", dataset.incidents, municipalities)
    for n in args.sizes:
        measure(f"synthetic {n:,}", synthetic_incidents(n, municipalities), municipalities)


if __name__ == "__main__":
    main()
