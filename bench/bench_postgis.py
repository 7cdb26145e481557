"""Benchmark of the PostGIS store at scale (a script, not a test; bounded: one import, a few queries).

Starts a private cluster (Debian's PostgreSQL 15 + PostGIS) on a loopback port in a temporary folder,
imports geodata/, then N synthetic incidents (default 1,000,000) through the real importer (validation,
COPY, upsert, one transaction; the import's time is until its commit, when the app shows the rows; the
VACUUM and text-search index that follow the commit are timed apart), and times typical filtered views
through the app's reader (median of 5), each as first asked (the reader keeps answers per data version):
- count: how many match;
- view: what the Map page fetches for the view: the count, then the matching incidents prepared for drawing
  when at most POINT_LIMIT match, else their counts per grid cell;
- points: the matching records (at most POINT_LIMIT, else the newest NEWEST_LIMIT), prepared;
- cells: counts per grid cell; and the same view inside the bounding box of its centre and zoom (bbox_*).
The machine is shared: `uptime` is recorded before and after. The previous design's figures (one run at load
7-14) are kept beside the new ones. Prints a table and writes bench/results/bench_postgis.json. The cluster
is stopped and removed at the end.

Run: python bench/bench_postgis.py [--rows 1000000] [--feed DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from src.config import DEFAULT_DATA_DIR  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.layers import incidents as incident_layer  # noqa: E402
from src.store import cluster, importer, postgis  # noqa: E402
from src.view import View  # noqa: E402
from src.vocabulary import CATEGORIES, PRECISIONS  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_postgis.json"
NORTH = ("leposavic", "north-mitrovica", "zubin-potok", "zvecan")
# A server sized for a bulk load (the defaults checkpoint every 1 GB of WAL); durability stays on.
SETTINGS = {"max_wal_size": "8GB", "shared_buffers": "512MB", "maintenance_work_mem": "512MB", "work_mem": "32MB"}
VIEWS = {
    "one year, two categories, zoom 12": View(
        start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), categories=("riot", "protest"), zoom=12
    ),
    "text search 'banjska', zoom 10": View(query="banjska"),
    "one municipality, exact only, one month": View(
        municipalities=("zvecan",), precisions=("exact",), start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 31)
    ),
    "everything, zoom 9 (capped points)": View(zoom=9),
}


# The previous design's one run (commit 9b12fb0, machine at load 7-14): seconds.
PREVIOUS = {
    "import_s": 943.7,
    "reader_cold_load_s": 7.73,
    "views_count_s": {"one year, two categories": 1.59, "text 'banjska'": 2.90, "municipality, exact, month": 1.45},
    "views_fetch_s": {"one year, two categories": 6.75, "text 'banjska'": 19.34, "municipality, exact, month": 2.05},
}


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def synthetic_csv(path: Path, n: int, seed: int = 7) -> None:
    """N incidents at settlement points of the north (jittered inside Kosovo), with realistic text lengths:
    each has its own title, a description shared by about 50 records, two cited sources and, for one in four,
    casualty counts with a range and the source giving them."""
    data = load_dataset(DEFAULT_DATA_DIR)
    settlements = data.frame("settlements")
    settlements = settlements[settlements["municipality"].isin(NORTH)]
    area = data.frame("outline").union_all()
    sources = np.array(list(data.sources))
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(settlements), n)
    x, y = settlements.geometry.x.to_numpy()[picks], settlements.geometry.y.to_numpy()[picks]
    lons, lats = x + rng.normal(0, 0.01, n), y + rng.normal(0, 0.01, n)
    outside = ~shapely.contains_xy(area, lons, lats)
    lons[outside], lats[outside] = x[outside], y[outside]
    names = settlements["name"].to_numpy()[picks].astype(object)
    categories = np.array(list(CATEGORIES))[rng.integers(0, len(CATEGORIES), n)]
    labels = pd.Series(categories).map({c: v[0] for c, v in CATEGORIES.items()})
    index = pd.Series(np.arange(n)).astype(str)
    dates = pd.Series(np.datetime64("2021-09-01") + rng.integers(0, 365 * 4, n).astype("timedelta64[D]"))
    first, second = sources[rng.integers(0, len(sources), n)], sources[rng.integers(0, len(sources), n)]
    cited = pd.Series(first).where(first == second, pd.Series(first) + ";" + pd.Series(second))
    counted = rng.random(n) < 0.25
    best = rng.integers(1, 5, n)
    blank = pd.Series("", index=range(n))
    frame = pd.DataFrame(
        {
            "id": "inc-synthetic-" + index,
            "date": dates.dt.strftime("%Y-%m-%d"),
            "end_date": "",
            "date_precision": "day",
            "category": categories,
            "title": labels + " in " + names + " (synthetic " + index + ")",
            "description": "A synthetic "
            + labels.str.lower()
            + " near "
            + names
            + " (batch "
            + (pd.Series(np.arange(n)) // 50).astype(str)
            + "), used only to measure the store at scale; "
            "sources disagree on the number of people involved.",
            "place": names,
            "place_sq": names,
            "place_sr": names,
            "municipality": settlements["municipality"].to_numpy()[picks],
            "latitude": pd.Series(lats).map("{:.5f}".format),
            "longitude": pd.Series(lons).map("{:.5f}".format),
            "location_precision": np.array(PRECISIONS)[rng.integers(0, 3, n)],
            "location_source": "geonames:" + settlements["id"].to_numpy()[picks].astype(object),
            "fatalities": blank.where(~counted, pd.Series(best).astype(str)),
            "fatalities_low": blank.where(~counted, pd.Series(best - 1).astype(str)),
            "fatalities_high": blank.where(~counted, pd.Series(best + 1).astype(str)),
            "injuries": blank.where(~counted, "0"),
            "injuries_low": "",
            "injuries_high": "",
            "casualty_sources": blank.where(~counted, pd.Series(first)),
            "actors": "local residents; Kosovo Police",
            "sources": cited,
            "related_ids": "",
        },
        columns=list(incident_layer.COLUMNS),
    )
    frame.to_csv(path, index=False, lineterminator="\n")


def map_view(store: postgis.Store, view: View) -> tuple[int, bool]:
    """What the Map page asks for a view (src/ui/store_map.view_for_map): the count, then points or cells."""
    matching = store.count(view)
    if matching <= postgis.POINT_LIMIT:
        return matching, len(store.filtered(view)) > 0
    return matching, len(store.cells(view)) == 0


def timed(function: object, repeat: int = 5) -> tuple[float, object]:
    """Median of `repeat` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--feed", type=Path, help="a folder holding the synthetic incidents.csv of --rows already")
    args = parser.parse_args(argv)
    load_before = uptime()
    folder = Path(tempfile.mkdtemp(prefix="nk-bench-pg-"))
    folder.chmod(0o755)  # the server runs as the postgres user and must reach its folder inside
    server = cluster.start(folder / "cluster", settings=SETTINGS)
    try:
        assert importer.import_dir(server.url, DEFAULT_DATA_DIR).committed
        feed, generated = args.feed, None
        if feed is None:
            feed = folder / "feed"
            feed.mkdir()
            started = time.perf_counter()
            synthetic_csv(feed / incident_layer.FILE, args.rows)
            generated = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        report = importer.import_dir(server.url, feed)
        import_seconds = time.perf_counter() - started - report.after_commit_seconds
        assert report.committed and not report.problems, report.problems[:5]
        store = postgis.Store(server.url, ttl=3600)
        started = time.perf_counter()
        store.dataset()
        cold = time.perf_counter() - started
        views = {}
        for name, view in VIEWS.items():
            bbox = postgis.view_bbox(view)
            row: dict[str, object] = {}
            for label, ask in (
                ("count", lambda view=view: store.count(view)),
                ("view", lambda view=view: map_view(store, view)),
                ("points", lambda view=view: store.filtered(view)),
                ("cells", lambda view=view: store.cells(view)),
                ("bbox_count", lambda view=view, bbox=bbox: store.count(view, bbox)),
                ("bbox_points", lambda view=view, bbox=bbox: store.filtered(view, bbox)),
            ):
                seconds, answer = timed(lambda ask=ask: (store.forget_answers(), ask())[1])
                row[f"{label}_s"] = round(seconds, 4)
                if label in ("count", "bbox_count"):
                    row[label.replace("count", "matching")] = answer
                if label == "view":
                    row["drawn_as"] = "points" if answer[1] else "cells"
            views[name] = row
        result = {
            "date": dt.date.today().isoformat(),
            "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}",
            "rows": args.rows,
            "generate_csv_s": generated,
            "import_s": round(import_seconds, 1),
            "vacuum_and_text_index_after_commit_s": round(report.after_commit_seconds, 1),
            "reader_cold_load_s": round(cold, 2),
            "point_limit": postgis.POINT_LIMIT,
            "views": views,
            "server_settings": SETTINGS,
            "load_before": load_before,
            "load_after": uptime(),
            "before_this_design": PREVIOUS,
        }
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"{args.rows:,} incidents: import {result['import_s']} s (then {report.after_commit_seconds:.1f} s to vacuum"
        f" and build the text-search index), reader cold load {result['reader_cold_load_s']} s"
    )
    print(json.dumps(views, indent=1))
    print(load_before, "->", result["load_after"])
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
