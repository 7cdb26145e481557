"""Load test of the replicated deployment (a script, not a test; loopback only, bounded, stops by itself).

Starts deploy/start.sh (a private PostGIS cluster holding geodata/, 2 app replicas, HAProxy in front) in a
temporary folder, then drives headless Chromium (Debian's /usr/bin/chromium; every non-local request
aborted):
1. SESSIONS concurrent sessions (one browser context each, so one HAProxy cookie each) open the Map page
   and wait until the incident layer has drawn (the st_folium iframe's .leaflet-container carries
   data-incidents-drawn); then each types a search into the sidebar and waits until the map has redrawn
   with the filter (the attribute's count changes).
2. One replica is stopped (SIGTERM by its pid file). Every open session changes its filter again: those on
   the stopped replica must reconnect (HAProxy's health checks and redispatch send them to the other one,
   where Streamlit opens a new session) and redraw.
3. NEW_SESSIONS new sessions open the Map page and change a filter, all on the remaining replica.
Every step has a timeout; a timeout or an exception is an error. Results: bench/results/bench_replicas.json
(median and 95th percentile of time to drawn and of a filter change, per phase, and the error count).
Everything started is stopped at the end (deploy/stop.sh), and the folder removed.

Run: python bench/bench_replicas.py [--sessions 50] [--new-sessions 10]
"""

from __future__ import annotations

import argparse
import asyncio
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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from src.store import cluster  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_replicas.json"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-extensions"]
HTTP_PORT, REPLICA_PORT = 18280, 18290
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
DRAWN = ".leaflet-container[data-incidents-drawn]"
STEP_TIMEOUT_MS = 180_000
WALL_SECONDS = 1500  # the whole run stops after this, whatever happens
QUERIES = ("banjska", "zvecan", "jarinje")


@dataclass
class Session:
    number: int
    replica: str = ""
    drawn_s: float | None = None
    filter_s: float | None = None
    after_stop_s: float | None = None
    moved_to: str = ""
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))], 2)


def summary(values: list[float | None]) -> dict[str, float | int | None]:
    got = [v for v in values if v is not None]
    return {
        "n": len(got),
        "median_s": round(statistics.median(got), 2) if got else None,
        "p95_s": percentile(got, 0.95),
        "max_s": round(max(got), 2) if got else None,
    }


async def _local_only(route: object) -> None:
    url = route.request.url  # type: ignore[attr-defined]
    if url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in ("127.0.0.1", "localhost"):
        await route.continue_()  # type: ignore[attr-defined]
    else:
        await route.abort()  # type: ignore[attr-defined]


async def _drawn_count(page: object, other_than: str | None = None) -> str:
    """Waits until the map has drawn (with a count other than `other_than`) and returns the count."""
    selector = DRAWN if other_than is None else f'{DRAWN}:not([data-incidents-drawn="{other_than}"])'
    frame = page.frame_locator(MAP_IFRAME)  # type: ignore[attr-defined]
    locator = frame.locator(selector)
    await locator.wait_for(state="attached", timeout=STEP_TIMEOUT_MS)
    return await locator.get_attribute("data-incidents-drawn")


async def _search(page: object, text: str) -> None:
    box = page.get_by_role("textbox", name="Search").first  # type: ignore[attr-defined]
    await box.fill(text, timeout=STEP_TIMEOUT_MS)
    await box.press("Enter", timeout=STEP_TIMEOUT_MS)


async def _replica(context: object) -> str:
    cookies = await context.cookies()  # type: ignore[attr-defined]
    return next((c["value"] for c in cookies if c["name"] == "NKMAP_REPLICA"), "")


async def open_and_filter(browser: object, session: Session, url: str) -> tuple[object, object, str]:
    """Phase 1 (or 3) for one session: open the Map page, wait for the draw, change the search."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    await context.route("**/*", _local_only)
    page = await context.new_page()
    count = ""
    try:
        started = time.perf_counter()
        await page.goto(url, timeout=STEP_TIMEOUT_MS)
        count = await _drawn_count(page)
        session.drawn_s = time.perf_counter() - started
        session.replica = await _replica(context)
        started = time.perf_counter()
        await _search(page, QUERIES[0])
        count = await _drawn_count(page, other_than=count)
        session.filter_s = time.perf_counter() - started
    except Exception as err:  # noqa: BLE001 - every failure of a session is counted and reported
        session.errors.append(f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
    return context, page, count


async def filter_after_stop(page: object, context: object, session: Session, count: str) -> None:
    """Phase 2 for one open session: change the search again (after reconnecting, if its replica stopped)."""
    try:
        started = time.perf_counter()
        await _search(page, QUERIES[1])
        await _drawn_count(page, other_than=count)
        session.after_stop_s = time.perf_counter() - started
        session.moved_to = await _replica(context)
    except Exception as err:  # noqa: BLE001
        session.errors.append(f"after stop: {type(err).__name__}: {str(err).splitlines()[0][:200]}")


async def run(sessions: int, new_sessions: int, state: Path) -> dict:
    from playwright.async_api import async_playwright

    url = f"http://127.0.0.1:{HTTP_PORT}/"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            first = [Session(i) for i in range(sessions)]
            started = time.perf_counter()
            opened = await asyncio.gather(*(open_and_filter(browser, s, url) for s in first))
            phase1_s = time.perf_counter() - started
            by_replica = {r: sum(s.replica == r for s in first) for r in sorted({s.replica for s in first} - {""})}
            print(f"phase 1 in {phase1_s:.0f} s: {by_replica}; errors: {[e for s in first for e in s.errors][:3]}")
            stopped = max(by_replica, key=lambda r: by_replica[r]) if by_replica else "app1"
            pid_file = state / f"replica{stopped.removeprefix('app')}.pid"
            os.kill(int(pid_file.read_text()), 15)
            stopped_at = time.perf_counter()
            await asyncio.gather(
                *(
                    filter_after_stop(page, context, s, count)
                    for s, (context, page, count) in zip(first, opened, strict=True)
                    if not s.errors
                )
            )
            phase2_s = time.perf_counter() - stopped_at
            fresh = [Session(sessions + i) for i in range(new_sessions)]
            more = await asyncio.gather(*(open_and_filter(browser, s, url) for s in fresh))
            for context, _, _ in [*opened, *more]:
                await context.close()  # type: ignore[attr-defined]
        finally:
            await browser.close()
    moved = [s for s in first if s.replica == stopped]
    stayed = [s for s in first if s.replica != stopped]
    errors = [e for s in [*first, *fresh] for e in s.errors]
    return {
        "sessions": sessions,
        "replicas": 2,
        "errors": len(errors),
        "error_messages": sorted(set(errors))[:20],
        "sessions_per_replica": by_replica,
        "phase1_wall_s": round(phase1_s, 1),
        "time_to_drawn": summary([s.drawn_s for s in first]),
        "filter_change": summary([s.filter_s for s in first]),
        "stopped_replica": stopped,
        "after_stop": {
            "wall_s": round(phase2_s, 1),
            "moved_sessions": len(moved),
            "moved_sessions_redrawn": sum(s.after_stop_s is not None for s in moved),
            "moved_to": sorted({s.moved_to for s in moved if s.moved_to}),
            "reconnect_and_filter": summary([s.after_stop_s for s in moved]),
            "other_sessions_filter_change": summary([s.after_stop_s for s in stayed]),
        },
        "new_sessions_after_stop": {
            "sessions": new_sessions,
            "replicas": sorted({s.replica for s in fresh if s.replica}),
            "time_to_drawn": summary([s.drawn_s for s in fresh]),
            "filter_change": summary([s.filter_s for s in fresh]),
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--new-sessions", type=int, default=10)
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 100 or not 0 <= args.new_sessions <= 50:
        parser.error("at most 100 sessions and 50 new sessions")
    state = Path(tempfile.mkdtemp(prefix="nk-bench-replicas-"))
    state.chmod(0o755)
    env = {
        **os.environ,
        "STATE_DIR": str(state),
        "HTTP_PORT": str(HTTP_PORT),
        "REPLICA_PORT": str(REPLICA_PORT),
        "PG_PORT": str(cluster.free_port()),
        "VENV": str(Path(sys.executable).parent.parent),
    }
    try:
        subprocess.run(["bash", "deploy/start.sh", "2"], cwd=PROJECT_DIR, env=env, check=True, timeout=300)
        result = asyncio.run(asyncio.wait_for(run(args.sessions, args.new_sessions, state), WALL_SECONDS))
    finally:
        subprocess.run(["bash", "deploy/stop.sh"], cwd=PROJECT_DIR, env=env, check=False, timeout=120)
        shutil.rmtree(state, ignore_errors=True)
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        **result,
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
