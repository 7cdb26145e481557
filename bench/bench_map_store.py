"""Benchmark of the Map page on a PostGIS store of a million incidents, through the real app (a script, not a
test; bounded: a few page loads, each with a timeout): Streamlit's websocket, the st_folium iframe, headless
Chromium with every non-local request blocked.

The store is the one --url names, or a private cluster built here (geodata/ plus --rows synthetic incidents,
bench/bench_postgis.py's). It starts `streamlit run app.py` with GEODATA_URL and measures:
- first session: the first page load after the app started (the process reads the store's small layers);
- cold load: a new browser session until the map has drawn the whole view (data-incidents-drawn = the
  count the page shows: counts per cell, since a million incidents match);
- filter changes until the map has drawn the new view: searches that leave few enough incidents to draw
  each one (points), and categories added one by one, which leave too many (cells).
Each figure is the median of COLD_LOADS loads or of one change per word or category, every one new to the
server (which keeps the answers to the views it was asked); every sample is kept in the results.
For scale, the same steps on the app reading geodata/ (236 incidents) in the same run. The naive
peer is the app as it was for a small store: every incident held in memory and sent to the browser
(GEODATA_INLINE_LIMIT above the row count), given --naive-timeout seconds to draw.
Results, with the machine's load (`uptime`) before and after, go to bench/results/bench_map_store.json.

Run: python bench/bench_map_store.py [--url postgresql://…] [--rows 1000000] [--naive-timeout 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.bench_app import poll_map, timed_load, timed_search  # noqa: E402
from bench.bench_postgis import SETTINGS, synthetic_csv  # noqa: E402
from src.config import DEFAULT_DATA_DIR, chromium_path  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.filters import filter_incidents  # noqa: E402
from src.layers import incidents as incident_layer  # noqa: E402
from src.store import cluster, importer, postgis  # noqa: E402
from src.view import View  # noqa: E402
from src.vocabulary import CATEGORIES  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, App, OfflinePage  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_map_store.json"
STATE = "(() => { const c = document.querySelector('.leaflet-container');" \
    " return c ? [c.dataset.incidentsDrawn, c.dataset.storeView || ''] : null; })()"  # fmt: skip
QUERIES = ("banjska", "rudare", "brnjak")  # each leaves fewer than POINT_LIMIT of the synthetic incidents
QUERY = QUERIES[0]  # the files app's search
CATEGORY_STEPS = ("riot", "protest", "arrest")  # selected one after another: three views of cells
COLD_LOADS = 3


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def wait_drawn(page: OfflinePage, expected: int, kind: str, timeout_s: float) -> float:
    """Seconds until the map iframe reports `expected` incidents drawn (as `kind`: points, cells or '')."""

    def done(value: list) -> bool:
        return value[0] is not None and int(value[0]) == expected and value[1] == kind

    return poll_map(page, STATE, done, f"drew {expected} as {kind!r}", timeout_s)


def select_category(page: OfflinePage, label: str) -> None:
    box = page.page.get_by_role("combobox", name="Categories")
    box.click()
    page.page.get_by_role("option", name=label, exact=True).click()
    page.page.keyboard.press("Escape")


def measure_ours(browser: object, url: str, total: int, points: dict[str, int], cells: list[int]) -> dict[str, object]:
    """Medians of cold loads, searches (`points`: each word with the count it leaves) and category steps
    (`cells`: the count after each step), through the app on the store at `url`."""
    app = App(env={"GEODATA_URL": url, "GEODATA_TTL": "600"})
    try:
        first = OfflinePage(browser)
        first_session = timed_load(first, app.url, lambda: wait_drawn(first, total, "cells", 300))
        first.context.close()
        colds = []
        for _ in range(COLD_LOADS):
            page = OfflinePage(browser)
            colds.append(timed_load(page, app.url, partial(wait_drawn, page, total, "cells", 120)))
            if len(colds) < COLD_LOADS:
                page.context.close()
        to_points = []
        for word, matching in points.items():
            to_points.append(timed_search(page, word, partial(wait_drawn, page, matching, "points", 60)))
            timed_search(page, "", lambda: wait_drawn(page, total, "cells", 60))
        to_cells = []
        for category, matching in zip(CATEGORY_STEPS, cells, strict=True):
            start = time.perf_counter()
            select_category(page, CATEGORIES[category][0])
            wait_drawn(page, matching, "cells", 60)
            to_cells.append(time.perf_counter() - start)
        assert page.blocked == [], page.blocked
        page.page.screenshot(path=str(RESULTS.with_suffix(".png")))
        page.context.close()
        return {
            "first_session_s": round(first_session, 2),
            "cold_load_s": round(statistics.median(colds), 2),
            "filter_change_to_points_s": round(statistics.median(to_points), 3),
            "filter_change_to_cells_s": round(statistics.median(to_cells), 3),
            "samples": {
                "cold_load_s": [round(x, 2) for x in colds],
                "to_points_s": dict(zip(points, (round(x, 3) for x in to_points), strict=True)),
                "to_cells_s": dict(zip(CATEGORY_STEPS, (round(x, 3) for x in to_cells), strict=True)),
            },
        }
    finally:
        app.stop()


def measure_files(browser: object) -> dict[str, float]:
    """The same steps on the app reading geodata/ (236 incidents, sent whole): what this machine, at its load
    in this run, takes for a page with nothing large in it."""
    data = load_dataset(DEFAULT_DATA_DIR)
    total = len(data.incidents)
    matching = len(filter_incidents(data.incidents, View(query=QUERY)))
    app = App()
    try:
        warm = OfflinePage(browser)
        timed_load(warm, app.url, lambda: wait_drawn(warm, total, "", 120))
        warm.context.close()
        page = OfflinePage(browser)
        cold = timed_load(page, app.url, lambda: wait_drawn(page, total, "", 120))
        change = timed_search(page, QUERY, lambda: wait_drawn(page, matching, "", 60))
        page.context.close()
        return {"incidents": total, "cold_load_s": round(cold, 2), "filter_change_s": round(change, 3)}
    finally:
        app.stop()


def measure_naive(browser: object, url: str, total: int, timeout_s: float) -> dict[str, object]:
    """Every incident in memory and sent whole, as for a small store; given `timeout_s` to draw."""
    app = App(env={"GEODATA_URL": url, "GEODATA_TTL": "600", postgis.INLINE_VARIABLE: str(total + 1)})
    try:
        page = OfflinePage(browser)
        start = time.perf_counter()
        try:
            page.page.goto(app.url, timeout=timeout_s * 1000)
            wait_drawn(page, total, "", timeout_s)
            return {"first_session_s": round(time.perf_counter() - start, 2)}
        except Exception as err:  # noqa: BLE001 - a timeout is the result
            return {"first_session_s": None, "gave_up_after_s": round(time.perf_counter() - start, 1),
                    "why": str(err).splitlines()[0][:200]}  # fmt: skip
        finally:
            page.context.close()
    finally:
        app.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a store already holding the incidents (else one is built here)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--naive-timeout", type=float, default=300)
    parser.add_argument("--feed", type=Path, help="a folder holding the synthetic incidents.csv of --rows already")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder, server, url, imported, after_commit_seconds = None, None, args.url, None, None
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="nk-bench-map-"))
        folder.chmod(0o755)
        server = cluster.start(folder / "cluster", settings=SETTINGS)
        url = server.url
        assert importer.import_dir(url, DEFAULT_DATA_DIR).committed
        feed = args.feed or folder / "feed"
        if args.feed is None:
            feed.mkdir()
            synthetic_csv(feed / incident_layer.FILE, args.rows)
        started = time.perf_counter()
        report = importer.import_dir(url, feed)
        assert report.committed
        imported = round(time.perf_counter() - started - report.after_commit_seconds, 1), load()
        after_commit_seconds = round(report.after_commit_seconds, 1)
    try:
        store = postgis.Store(url, ttl=600)
        os.environ.pop(postgis.INLINE_VARIABLE, None)
        total = store.total()
        points = {word: store.count(View(query=word)) for word in QUERIES}
        cells = [store.count(View(categories=CATEGORY_STEPS[: i + 1])) for i in range(len(CATEGORY_STEPS))]
        assert max(points.values()) <= postgis.POINT_LIMIT < min(cells), (points, cells)
        result: dict[str, object] = {
            "date": dt.date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "load_before": load(),
            "incidents": total,
            "import_s_and_load_after": imported,  # when the store was built here (until the commit)
            "vacuum_and_text_index_after_commit_s": after_commit_seconds,
            "views": {"searches": points, "categories_added": dict(zip(CATEGORY_STEPS, cells, strict=True))},
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
            result["ours"] = measure_ours(browser, url, total, points, cells)
            print(json.dumps(result["ours"]), flush=True)
            result["same_run_files_app"] = measure_files(browser)
            print(json.dumps(result["same_run_files_app"]), flush=True)
            result["load_after_ours"] = load()
            result["naive_every_incident_sent"] = measure_naive(browser, url, total, args.naive_timeout)
            browser.close()
        result["load_after"] = load()
    finally:
        if server is not None:
            server.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result, indent=2))
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
