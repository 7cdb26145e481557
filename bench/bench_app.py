"""Benchmark of the real app as a user meets it (a script, not a test): Streamlit's websocket, the st_folium
iframe, headless Chromium with every non-local request blocked.

For each size it writes a GEODATA_DIR of synthetic incidents (bench/synthetic.py), starts `streamlit run`,
and measures: cold load until the map has drawn every incident (data-incidents-drawn), --cold-loads times,
each in a new browser session; filter changes (--changes searches typed and Enter, one after another, each a
word new to the server) until the map has redrawn with the right count; each reported as the median and
every sample; and date playback frames per second in the browser. The naive peer (bench/naive_app.py: one
CircleMarker per incident, rebuilt on every rerun) is measured in the same run for the same data. Results
go to bench/results/bench_app.json.

Run: python bench/bench_app.py [--sizes real 1000 10000 100000] [--naive-max 10000] [--changes 5] [--cold-loads 3]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from bench.synthetic import write_geodata  # noqa: E402
from src.config import DEFAULT_DATA_DIR, STATIC_DIR, chromium_path  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.filters import filter_incidents  # noqa: E402
from src.view import View  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, LOCAL_HOSTS, MAP_IFRAME, App, OfflinePage  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_app.json"
DRAWN = (
    "(() => { const c = document.querySelector('.leaflet-container'); return c ? c.dataset.incidentsDrawn : null; })()"
)
NAIVE_DRAWN = "document.querySelectorAll('path.leaflet-interactive').length"
# The searches timed one after another in a session: each asks for a word not searched before in that server
# (the app keeps each word's matches per dataset), as a journalist's next search would.
REAL_QUERIES = ["Banjska", "Jarinje", "Zvečan", "Leposaviq", "Brnjak", "KFOR", "barricade"]
SYNTHETIC_QUERIES = ["incident 7", "incident 3", "incident 5", "incident 9", "incident 1", "incident 4", "incident 8"]
# Every request that is not to this machine goes to a closed port and fails: nothing can leave.
NO_NETWORK_ARGS = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost;[::1]"]


class WatchedPage:
    """A page as a visitor's browser loads it (fresh profile, empty cache), offline: the browser's proxy makes
    every non-local request fail, and each one is recorded. Unlike the tests' OfflinePage it does not route
    (intercept) requests, which would add a round trip through Playwright to each of the page's ~110
    requests and switch off the HTTP cache."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        self.blocked: list[str] = []
        self.context.on("request", self._seen)
        self.page = self.context.new_page()

    def _seen(self, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if not url.startswith(("data:", "blob:", "about:")) and urlparse(url).hostname not in LOCAL_HOSTS:
            self.blocked.append(url)


def poll_map(page: OfflinePage | WatchedPage, script: str, done: Callable[[Any], bool], what: str,
             timeout_s: float) -> float:  # fmt: skip
    """Seconds until `script` evaluated in the map iframe gives a value `done` accepts (every benchmark that
    drives the app waits this way); a TimeoutError says the map never `what`."""
    start = time.perf_counter()
    value = None
    while time.perf_counter() - start < timeout_s:
        try:
            frame = page.page.locator(MAP_IFRAME).first.element_handle(timeout=1000).content_frame()
            value = frame.evaluate(script) if frame else None
        except Exception:  # noqa: BLE001 - the iframe is between documents while Streamlit reruns
            value = None
        if value is not None and done(value):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{page.page.url}: the map never {what} (last {value})")


def wait_for(page: OfflinePage | WatchedPage, script: str, expected: int, timeout_s: float = 180) -> float:
    """Seconds until `script` evaluated in the map iframe gives `expected`."""
    return poll_map(page, script, lambda value: int(value) == expected, f"showed {expected}", timeout_s)


def timed_load(page: OfflinePage | WatchedPage, url: str, wait: Callable[[], float]) -> float:
    """Seconds from opening `url` until `wait` returns (the map has drawn)."""
    start = time.perf_counter()
    page.page.goto(url)
    wait()
    return time.perf_counter() - start


def timed_search(page: OfflinePage | WatchedPage, query: str, wait: Callable[[], float]) -> float:
    """Seconds from pressing Enter on `query` typed into the sidebar's search until `wait` returns."""
    box = page.page.locator('input[aria-label="Search"]')
    box.fill(query)
    start = time.perf_counter()
    box.press("Enter")
    wait()
    return time.perf_counter() - start


def measure(browser: object, script: str, data_dir: Path, queries: dict[str, int], total: int,
            drawn_script: str, static_url: str, page_kind: type, cold_loads: int) -> dict[str, Any]:  # fmt: skip
    """`cold_loads` cold loads, each a new browser session, then one search after another in the last one
    (`queries`: each with the count it leaves)."""
    app = App(script=script, env={"GEODATA_DIR": str(data_dir), "NAIVE_STATIC_URL": static_url})
    try:
        warm = page_kind(browser)
        # The first session pays for loading the data files; users after it do not.
        timed_load(warm, app.url, lambda: wait_for(warm, drawn_script, total))
        warm.context.close()
        colds = []
        for number in range(cold_loads):
            page = page_kind(browser)
            colds.append(timed_load(page, app.url, functools.partial(wait_for, page, drawn_script, total)))
            if number < cold_loads - 1:
                assert page.blocked == [], page.blocked
                page.context.close()
        changes = [
            timed_search(page, query, functools.partial(wait_for, page, drawn_script, matching))
            for query, matching in queries.items()
        ]
        result = {
            "cold_load_s": round(statistics.median(colds), 2),
            "cold_loads_s": [round(cold, 2) for cold in colds],
            "filter_change_s": round(statistics.median(changes), 3),
            "filter_changes_s": [round(change, 3) for change in changes],
        }
        if drawn_script == DRAWN:
            result["playback_fps"] = playback_fps(page)
        assert page.blocked == [], page.blocked
        page.context.close()
        return result
    finally:
        app.stop()


def playback_fps(page: OfflinePage | WatchedPage) -> float:
    """Frames a second the layer can redraw while playing: month windows applied back to back in the browser."""
    frame = page.page.locator(MAP_IFRAME).first.element_handle().content_frame()
    return round(
        frame.evaluate(
            """(() => { const layer = Object.values(window.__incidentLayers)[0];
               const frames = layer.frames('month'); const base = layer._filter || {};
               const t0 = performance.now();
               frames.forEach(f => layer.setFilter(Object.assign({}, base, {start: f[0], end: f[1]})));
               return frames.length / ((performance.now() - t0) / 1000); })()"""
        ),
        1,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="*", default=["real", "1000", "10000", "100000"])
    parser.add_argument("--naive-max", type=int, default=10000)
    parser.add_argument("--changes", type=int, default=5, help="searches timed per size (the median is reported)")
    parser.add_argument("--cold-loads", type=int, default=3, help="cold loads timed per size (the median is reported)")
    parser.add_argument("--route", action="store_true", help="intercept every request (as the tests do)")
    args = parser.parse_args()
    page_kind = OfflinePage if args.route else WatchedPage
    from playwright.sync_api import sync_playwright

    rows = []
    handler = functools.partial(_Quiet, directory=str(STATIC_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    static_url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS + NO_NETWORK_ARGS, headless=True
        )
        for size in args.sizes:
            data_dir = DEFAULT_DATA_DIR if size == "real" else write_geodata(int(size), Path(tmp) / f"geodata-{size}")
            incidents = load_dataset(data_dir).incidents
            words = REAL_QUERIES if size == "real" else SYNTHETIC_QUERIES
            queries = {query: len(filter_incidents(incidents, View(query=query))) for query in words[: args.changes]}
            total = len(incidents)
            row = {"size": size, "incidents": total, "matching": queries}
            row["ours"] = measure(
                browser, "app.py", data_dir, queries, total, DRAWN, static_url, page_kind, args.cold_loads
            )
            if total <= args.naive_max:
                row["naive"] = measure(
                    browser,
                    "bench/naive_app.py",
                    data_dir,
                    queries,
                    total,
                    NAIVE_DRAWN,
                    static_url,
                    page_kind,
                    args.cold_loads,
                )
                row["filter_speed_up"] = round(row["naive"]["filter_change_s"] / row["ours"]["filter_change_s"], 1)
                row["cold_speed_up"] = round(row["naive"]["cold_load_s"] / row["ours"]["cold_load_s"], 1)
            print(json.dumps(row), flush=True)
            rows.append(row)
        browser.close()
    server.shutdown()
    report = {
        "machine": f"{platform.system()} {platform.machine()}, {platform.python_version()}",
        "requests": "intercepted (routed)" if args.route else "not intercepted; non-local ones fail at the proxy",
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),
        "rows": rows,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
