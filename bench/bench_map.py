"""Benchmark of the map page's hot path (a script, not a test).

For N synthetic incidents placed inside the four northern municipalities it measures:
- ours: filter + build the whole Folium map + serialise it to HTML (seconds, bytes);
- baseline: the same map with one folium CircleMarker per incident instead of the canvas layer;
- drawn: time from navigation until the incident layer has drawn, in headless Chromium (every
  non-local request blocked), for our map.
It prints a table and writes bench/results/bench_map.json.

Run: python bench/bench_map.py [--sizes 1000 10000 50000 100000] [--baseline-max 50000] [--no-browser]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import http.server
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import folium
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.synthetic import prepared_incidents  # noqa: E402
from src.config import DEFAULT_DATA_DIR, STATIC_DIR  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.filters import filter_incidents  # noqa: E402
from src.mapview import build_map  # noqa: E402
from src.view import View  # noqa: E402
from src.vocabulary import CATEGORIES  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_map.json"


def synthetic_incidents(n: int, municipalities: pd.DataFrame) -> pd.DataFrame:
    return prepared_incidents(n, municipalities)


def timed(function: object, repeat: int) -> tuple[float, object]:
    """Best of `repeat` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best, result


def ours(dataset: object, incidents: pd.DataFrame, view: View) -> str:
    shown = filter_incidents(incidents, view)
    return build_map(dataset, view, shown).get_root().render()  # type: ignore[arg-type]


def baseline(dataset: object, incidents: pd.DataFrame, view: View) -> str:
    """The naive way: the same map, but one CircleMarker object per incident."""
    shown = filter_incidents(incidents, view)
    fmap = build_map(
        dataset, dataclasses.replace(view, layers=tuple(n for n in view.layers if n != "incidents")), shown.iloc[:0]
    )  # type: ignore[arg-type]
    group = folium.FeatureGroup(name="Incidents (baseline)").add_to(fmap)
    for row in shown.itertuples():
        folium.CircleMarker(
            (row.latitude, row.longitude),
            radius=5,
            color=CATEGORIES[row.category][1],
            fill=True,
            popup=folium.Popup(row.title),
        ).add_to(group)
    return fmap.get_root().render()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def time_to_draw(html: str, expected: int, browser: object, root: Path) -> float:
    """Seconds from navigation start until the incident layer reports it has drawn `expected` points."""
    (root / "index.html").write_text(html, encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html", wait_until="commit")
        page.wait_for_function(
            f"document.querySelector('[data-incidents-drawn=\"{expected}\"]') !== null", timeout=120_000, polling=20
        )
        drawn_at = page.evaluate("performance.now()") / 1000
        page.close()
        return drawn_at
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000, 100_000])
    parser.add_argument("--baseline-max", type=int, default=50_000, help="skip the slow baseline above this N")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    dataset = load_dataset(DEFAULT_DATA_DIR)
    view = View(start=dt.date(2021, 9, 1))
    rows = []
    browser = playwright = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        sys.path.insert(0, str(PROJECT_DIR))
        from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "app").mkdir()
        (root / "app" / "static").symlink_to(STATIC_DIR)
        for n in args.sizes:
            incidents = synthetic_incidents(n, dataset.frame("municipalities"))
            filter_s, shown = timed(lambda: filter_incidents(incidents, view), 3)  # noqa: B023
            ours_s, html = timed(lambda: ours(dataset, incidents, view), 3)  # noqa: B023
            row = {
                "n": n,
                "filter_s": round(filter_s, 4),
                "ours_s": round(ours_s, 3),
                "ours_mb": round(len(html.encode()) / 1e6, 2),
            }
            if n <= args.baseline_max:
                base_s, base_html = timed(lambda: baseline(dataset, incidents, view), 1)  # noqa: B023
                row |= {
                    "baseline_s": round(base_s, 2),
                    "baseline_mb": round(len(base_html.encode()) / 1e6, 1),
                    "speedup": round(base_s / ours_s, 1),
                }
            if browser is not None:
                row["drawn_s"] = round(time_to_draw(html, len(shown), browser, root), 2)
            rows.append(row)
            print(row, flush=True)
    if browser is not None:
        browser.close()
        playwright.stop()  # type: ignore[union-attr]
    machine = f"{platform.platform()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    machine += f", {os.cpu_count()} cores"
    print(f"\nMachine: {machine}\n")
    print(
        "| incidents | filter s | ours: filter+build+serialise s | ours MB "
        "| baseline s | baseline MB | speed-up | drawn s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['filter_s']} | {r['ours_s']} | {r['ours_mb']} | {r.get('baseline_s', '–')} | "
            f"{r.get('baseline_mb', '–')} | {r.get('speedup', '–')} | {r.get('drawn_s', '–')} |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": machine, "date": dt.date.today().isoformat(), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
