"""Benchmark: an ACLED export of N rows uploaded, parsed, validated, mapped and placed (a script, not a test).

Ours (src/upload.py, by column: one spatial join, one date parse per format) against the naive way in the
same run (each row placed by its own point-in-polygon test and its own date parse).
Run: python bench/bench_upload.py [--rows 30000]; results in bench/results/bench_upload.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.synthetic import raw_incidents  # noqa: E402
from src.config import DEFAULT_DATA_DIR  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.upload import read_upload  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_upload.json"
HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
          "actor2", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "source", "notes",
          "fatalities"]  # fmt: skip


def acled_export(rows: int, municipalities: pd.DataFrame) -> bytes:
    """An ACLED-shaped CSV of synthetic events (dates in both of ACLED's usual forms)."""
    base = raw_incidents(rows, municipalities)
    dates = pd.to_datetime(base["date"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    rng = np.random.default_rng(3)
    for i, (day, lat, lon) in enumerate(zip(dates, base["latitude"], base["longitude"], strict=True)):
        text = day.strftime("%Y-%m-%d") if i % 2 else day.strftime("%d %B %Y")
        writer.writerow([f"XKX{i}", text, day.year, rng.integers(1, 4), "Protests", "Peaceful protest",
                         "Protesters (Kosovo)", "", "Mitrovica", "Zvecan", "Zvecan", lat, lon, rng.integers(1, 4),
                         "KoSSev; N1", "A synthetic protest used to measure upload speed.", 0])  # fmt: skip
    return out.getvalue().encode()


def naive_placement(raw: bytes, municipalities: pd.DataFrame) -> float:
    """What row-by-row placement and date parsing alone cost (without any validation)."""
    start = time.perf_counter()
    reader = csv.DictReader(io.StringIO(raw.decode()))
    for record in reader:
        point = shapely.Point(float(record["longitude"]), float(record["latitude"]))
        municipalities[municipalities.contains(point)]
        pd.to_datetime(record["event_date"], errors="coerce", dayfirst=True, format="mixed")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=3, help="uploads timed; the best is reported")
    parser.add_argument("--naive-rows", type=int, default=3000, help="the naive way is timed on fewer rows")
    args = parser.parse_args()
    data = load_dataset(DEFAULT_DATA_DIR)
    municipalities = data.frame("municipalities")
    raw = acled_export(args.rows, municipalities)
    walls, cpus = [], []
    for _ in range(args.repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = read_upload("acled.csv", raw, DEFAULT_DATA_DIR, data)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    ours = min(walls)
    naive_small = naive_placement(acled_export(args.naive_rows, municipalities), municipalities)
    naive = naive_small * args.rows / args.naive_rows
    report = {
        "rows": args.rows,
        "megabytes": round(len(raw) / 1e6, 2),
        "loaded": len(result.frame),
        "problems": len(result.problems),
        "ours_s": round(ours, 2),
        "ours_cpu_s": round(min(cpus), 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "naive_placement_s_extrapolated": round(naive, 1),
        "naive_measured_on_rows": args.naive_rows,
        "speed_up": round(naive / ours, 1),
    }
    print(json.dumps(report, indent=2))
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
