"""Load test of the replicated deployment (a script, not a test; loopback only, bounded, stops by itself).

Starts deploy/start.sh (a private PostGIS cluster holding geodata/, 2 app replicas, HAProxy in front) in a
temporary folder, then drives one headless Chromium (Debian's /usr/bin/chromium; every non-local request
aborted) with one browser context per session, so one HAProxy cookie and one Streamlit session each:
1. SESSIONS sessions start STAGGER_S apart, at most --loading of them loading at once (one Chromium on 2
   shared cores cannot load 50 pages at the same time: each load costs it several CPU seconds), and all
   stay open: 50 concurrent sessions, each with its websocket. Each opens the Map page and waits until the
   incident layer has drawn every incident (the st_folium iframe's .leaflet-container carries
   data-incidents-drawn), then types a search into the sidebar and waits until the map draws exactly the
   number of incidents that search matches. UPLOADS of them then go to the Incidents page (same session),
   upload a CSV of three incidents of their own and download the filtered incidents twice (once after
   another search): each download must hold their own uploaded ids and no other session's.
2. The replica holding more sessions is killed (SIGKILL, as a crash). Every open session searches again:
   those on the killed replica must reconnect (HAProxy sends them to the other one, where Streamlit opens a
   new session) and draw the new count; an upload on the killed replica is gone with it (expected, it lived
   in that process), one on the other replica must still be there.
3. NEW_SESSIONS new sessions open the Map page and search, all on the remaining replica.
Every step has a timeout (a timeout, an exception or a wrong count is an error), each phase stops after
PHASE_SECONDS (a third of it for phases 2 and 3) and the whole run after WALL_SECONDS. The machine's load
average is sampled throughout (the machine is shared), and the CPU time the replicas and the browser spend.
Results: bench/results/bench_replicas.json (median and 95th percentile of time to drawn and of a filter
change, per phase, the error count and HAProxy's own counters). Everything started is stopped at the end.

Run: python bench/bench_replicas.py [--sessions 50] [--new-sessions 10] [--uploads 10] [--loading 3]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import io
import json
import math
import os
import platform
import re
import signal
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.async_api import TimeoutError as PlaywrightTimeout

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from src.config import DEFAULT_DATA_DIR  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.filters import filter_incidents  # noqa: E402
from src.store.deployment import replica_stats  # noqa: E402
from src.store.deployment import running as deployment_running  # noqa: E402
from src.view import View  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_replicas.json"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-extensions"]
HTTP_PORT, REPLICA_PORT = 18280, 18290
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
STEP_TIMEOUT_MS = 300_000
STAGGER_S = 1.0  # a new session every second at most (and at most --loading at once)
PHASE_SECONDS = 1200  # phase 1 stops after this (phases 2 and 3: a third of it); what did not finish is an error
WALL_SECONDS = 2100  # and the whole run after this, whatever happens
QUERIES = ("jarinje", "banjska", "zvecan")  # first search, search after the kill, new sessions' search
UPLOAD_ROWS = 3
DATA = load_dataset(DEFAULT_DATA_DIR)  # deploy/start.sh imports this very directory into the store


def matching(query: str) -> int:
    return len(filter_incidents(DATA.incidents, View(query=query)))


def upload_csv(session: int) -> bytes:
    """Three incidents of the committed data under new ids: this session's own upload (app's layout)."""
    with (DEFAULT_DATA_DIR / "incidents.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        rows = [next(reader) for _ in range(UPLOAD_ROWS)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(rows):
        writer.writerow({**row, "id": upload_id(session, n), "title": upload_title(session), "related_ids": ""})
    return out.getvalue().encode()


def upload_id(session: int, n: int) -> str:
    return f"upload-s{session}-{n}"


def upload_title(session: int) -> str:
    """A title no other record has: searching it leaves only this session's upload."""
    return f"Brought by session {session}"


async def wait_match_count(page: object, count: int, timeout_ms: int = STEP_TIMEOUT_MS) -> None:
    """Until the page's "N of M incidents match" line shows N = count (the rerun has finished)."""
    line = re.compile(rf"^{count} of {len(DATA.incidents)} incidents match")
    await page.get_by_text(line).wait_for(timeout=timeout_ms)  # type: ignore[attr-defined]


@dataclass
class Session:
    number: int
    uploads: bool = False
    replica: str = ""
    drawn_s: float | None = None
    filter_s: float | None = None
    upload_s: float | None = None
    upload_kept: bool | None = None  # its downloads held its own upload, before the kill
    after_kill_s: float | None = None
    reconnect_s: float | None = None  # killed replica's sessions: until the new websocket opened
    typed_again: int = 0  # times the search had to be typed again (the reconnect reran with an empty box)
    queued_s: float | None = None  # waited for the load generator (see --loading)
    sockets: list[float] = field(default_factory=list)  # when each of its websockets opened (perf_counter)
    finished: set[str] = field(default_factory=set)  # the phases it got through (with or without an error)
    context: object = None
    page: object = None
    upload_after_kill: bool | None = None
    moved_to: str = ""
    errors: list[str] = field(default_factory=list)

    def fail(self, step: str, err: Exception) -> None:
        self.errors.append(f"{step}: {type(err).__name__}: {str(err).splitlines()[0][:160]}")


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(len(ordered) * share)  # an int: a float index was a TypeError at the end of a run
    return round(ordered[min(len(ordered) - 1, max(0, rank - 1))], 2)


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


async def wait_drawn(page: object, count: int, timeout_ms: float = STEP_TIMEOUT_MS) -> None:
    """Until the map's incident layer has drawn exactly `count` incidents."""
    frame = page.frame_locator(MAP_IFRAME)  # type: ignore[attr-defined]
    selector = f'.leaflet-container[data-incidents-drawn="{count}"]'
    await frame.locator(selector).wait_for(state="attached", timeout=timeout_ms)


async def search(page: object, text: str) -> None:
    """Types into the sidebar's Search (Playwright waits until the box is enabled, i.e. connected)."""
    box = page.locator('input[aria-label="Search"]')  # type: ignore[attr-defined]
    await box.fill(text, timeout=STEP_TIMEOUT_MS)
    await box.press("Enter", timeout=STEP_TIMEOUT_MS)


async def replica_of(context: object) -> str:
    cookies = await context.cookies()  # type: ignore[attr-defined]
    return next((c["value"] for c in cookies if c["name"] == "NKMAP_REPLICA"), "")


async def downloaded_ids(page: object, rows: str) -> set[str]:
    """The ids in the Incidents page's CSV download of the filtered incidents: a request to the session's
    replica, which holds the file. Waits for the button of this run (its label says `rows`, a regex), as
    a stale button from the run before would fetch a file the replica has already dropped."""
    label = re.compile(rf"^Download these ({rows}) incidents as CSV")
    button = page.get_by_role("button", name=label)  # type: ignore[attr-defined]
    async with page.expect_download(timeout=STEP_TIMEOUT_MS) as info:  # type: ignore[attr-defined]
        await button.click(timeout=STEP_TIMEOUT_MS)
    path = await (await info.value).path()
    return {row["id"] for row in csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig")))}


async def upload_and_download(page: object, session: Session, folder: Path) -> None:
    """On the Incidents page of this session: upload a CSV, then download the filtered incidents twice."""
    mine = {upload_id(session.number, n) for n in range(UPLOAD_ROWS)}
    file = folder / f"upload-{session.number}.csv"
    file.write_bytes(upload_csv(session.number))
    started = time.perf_counter()
    await page.get_by_role("link", name="Incidents").first.click(timeout=STEP_TIMEOUT_MS)  # type: ignore[attr-defined]
    await page.locator("input[type=file]").set_input_files(str(file), timeout=STEP_TIMEOUT_MS)  # type: ignore[attr-defined]
    loaded = page.get_by_text(f"{UPLOAD_ROWS} uploaded incident(s) loaded")  # type: ignore[attr-defined]
    await loaded.wait_for(timeout=STEP_TIMEOUT_MS)
    session.upload_s = time.perf_counter() - started
    await search(page, upload_title(session.number))
    await wait_match_count(page, 0)
    first = await downloaded_ids(page, str(UPLOAD_ROWS))
    await search(page, "")
    await wait_match_count(page, len(DATA.incidents))
    second = await downloaded_ids(page, str(len(DATA.incidents) + UPLOAD_ROWS))
    session.upload_kept = first == mine and second == mine | set(DATA.incidents["id"])
    if not session.upload_kept:
        session.errors.append(f"upload: downloads held {sorted(first)[:5]}, then {len(second)} ids")


async def open_and_filter(
    browser: object, session: Session, url: str, delay: float, folder: Path, loading: asyncio.Semaphore
) -> None:
    """Phases 1 and 3 for one session: open the Map page, wait for the draw, search, (upload). At most
    `loading` sessions do this at once; the ones done stay open, so all are concurrent sessions."""
    await asyncio.sleep(delay)
    queued = time.perf_counter()
    async with loading:
        session.queued_s = time.perf_counter() - queued
        return await _open_and_filter(browser, session, url, folder)


async def _open_and_filter(browser: object, session: Session, url: str, folder: Path) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    await context.route("**/*", _local_only)
    page = await context.new_page()
    session.context, session.page = context, page
    page.on("websocket", lambda _: session.sockets.append(time.perf_counter()))
    try:
        started = time.perf_counter()
        await page.goto(url, timeout=STEP_TIMEOUT_MS)
        await wait_drawn(page, len(DATA.incidents))
        session.drawn_s = time.perf_counter() - started
        session.replica = await replica_of(context)
        started = time.perf_counter()
        await search(page, QUERIES[0])
        await wait_drawn(page, matching(QUERIES[0]))
        session.filter_s = time.perf_counter() - started
    except Exception as err:  # noqa: BLE001 - every failure of a session is counted and reported
        session.fail("open and search", err)
        return
    if session.uploads:
        try:
            await upload_and_download(page, session, folder)
        except Exception as err:  # noqa: BLE001
            session.fail("upload", err)
    print(f"session {session.number}: drawn in {session.drawn_s:.1f} s on {session.replica}", flush=True)


async def reconnected(session: Session, since: float) -> float:
    """Seconds from `since` until this session opened a new websocket (Streamlit reconnecting)."""
    deadline = time.perf_counter() + STEP_TIMEOUT_MS / 1000
    while time.perf_counter() < deadline:
        later = [t for t in session.sockets if t > since]
        if later:
            return later[0] - since
        await asyncio.sleep(0.2)
    raise TimeoutError("no new websocket")


async def search_until(page: object, session: Session, query: str, arrived: Callable[[], Awaitable[None]]) -> None:
    """Searches and waits until `arrived` (within 10 s), typing again if not: text typed while a session moves
    to another replica can be lost (the new session's first run empties the box, or the box keeps it but the
    server never got it, so it is cleared first)."""
    deadline = time.perf_counter() + STEP_TIMEOUT_MS / 1000
    box = page.locator('input[aria-label="Search"]')  # type: ignore[attr-defined]
    await search(page, query)
    while True:
        try:
            await arrived()
            return
        except PlaywrightTimeout:  # not there yet
            if time.perf_counter() > deadline:
                raise
        session.typed_again += 1
        if await box.input_value(timeout=STEP_TIMEOUT_MS) == query:
            await search(page, "")
        await search(page, query)


async def after_kill(session: Session, killed: str, killed_at: float) -> None:
    """Phase 2 for one open session: search again (once reconnected, if its replica was killed)."""
    page, context = session.page, session.context
    try:
        if session.replica == killed:
            session.reconnect_s = await reconnected(session, killed_at)
        if session.uploads:  # on the Incidents page: is the upload still in this session?
            await search_until(
                page, session, upload_title(session.number), lambda: wait_match_count(page, 0, timeout_ms=10_000)
            )
            ids = await downloaded_ids(page, f"0|{UPLOAD_ROWS}")  # 0: the upload went with its replica
            session.upload_after_kill = upload_id(session.number, 0) in ids
        else:
            await search_until(
                page, session, QUERIES[1], lambda: wait_drawn(page, matching(QUERIES[1]), timeout_ms=10_000)
            )
        session.after_kill_s = time.perf_counter() - killed_at
        session.moved_to = await replica_of(context)
    except Exception as err:  # noqa: BLE001
        session.fail("after the kill", err)


def haproxy_servers(state: Path) -> dict[str, dict[str, str]]:
    """HAProxy's own counters per replica (status, failed checks, times marked down, sessions)."""
    keep = ("status", "chkfail", "chkdown", "stot", "smax", "wredis", "econ", "hrsp_5xx")
    return {r["svname"]: {k: r[k] for k in keep} for r in replica_stats(state)}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time these processes have used so far (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """`root` and every process below it (here: this script, Playwright's driver and Chromium)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


async def phase(name: str, sessions: list[Session], steps: list, seconds: float) -> float:
    """Runs one phase's steps together for at most `seconds`; a session not through by then is an error.
    Returns the phase's wall time."""

    async def tracked(session: Session, step: object) -> None:
        await step  # type: ignore[misc]
        session.finished.add(name)

    started = time.perf_counter()
    try:
        await asyncio.wait_for(
            asyncio.gather(*(tracked(s, step) for s, step in zip(sessions, steps, strict=True))), seconds
        )
    except TimeoutError:
        for session in sessions:
            if name not in session.finished:
                session.errors.append(f"{name}: not through within the phase's {seconds:.0f} s")
    wall = time.perf_counter() - started
    print(f"{name}: {wall:.0f} s; errors: {sorted({e for s in sessions for e in s.errors})[:3]}", flush=True)
    return wall


async def sample_load(samples: list[float]) -> None:
    while True:
        samples.append(os.getloadavg()[0])
        await asyncio.sleep(2)


async def run(args: argparse.Namespace, state: Path) -> dict:
    from playwright.async_api import async_playwright

    url = f"http://127.0.0.1:{HTTP_PORT}/"
    load: list[float] = []
    loading = asyncio.Semaphore(args.loading)
    sampler = asyncio.create_task(sample_load(load))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            # One session per replica first, so each has run the script once (imports, data) before the clock.
            warm = [Session(-1), Session(-2)]
            for session in warm:
                await open_and_filter(browser, session, url, 0, state, loading)
            for session in warm:
                await session.context.close()  # type: ignore[attr-defined]
            first = [Session(i, uploads=i < args.uploads * 5 and i % 5 == 0) for i in range(args.sessions)]
            replicas = [int(f.read_text()) for f in sorted(state.glob("replica*.pid"))]
            cpu_before = cpu_seconds(replicas), cpu_seconds(descendants(os.getpid()))
            steps = [open_and_filter(browser, s, url, s.number * STAGGER_S, state, loading) for s in first]
            phase1_s = await phase("open, search, upload", first, steps, PHASE_SECONDS)
            by_replica = {r: sum(s.replica == r for s in first) for r in sorted({s.replica for s in first} - {""})}
            load_phase1 = max(load)
            cpu_replicas = cpu_seconds(replicas) - cpu_before[0]
            cpu_browser = cpu_seconds(descendants(os.getpid())) - cpu_before[1]
            killed = max(by_replica, key=lambda r: by_replica[r]) if by_replica else "app1"
            os.kill(int((state / f"replica{killed.removeprefix('app')}.pid").read_text()), signal.SIGKILL)
            killed_at = time.perf_counter()
            alive = [s for s in first if not s.errors]
            steps = [after_kill(s, killed, killed_at) for s in alive]
            phase2_s = await phase("after the kill", alive, steps, PHASE_SECONDS / 3)
            fresh = [Session(args.sessions + i) for i in range(args.new_sessions)]
            steps = [open_and_filter(browser, s, url, i * STAGGER_S, state, loading) for i, s in enumerate(fresh)]
            phase3_s = await phase("new sessions", fresh, steps, PHASE_SECONDS / 3)
            servers = haproxy_servers(state)
            for session in [*first, *fresh]:
                if session.context is not None:
                    await session.context.close()  # type: ignore[attr-defined]
        finally:
            await browser.close()
            sampler.cancel()
    moved = [s for s in first if s.replica == killed]
    stayed = [s for s in first if s.replica and s.replica != killed]
    errors = [e for s in [*warm, *first, *fresh] for e in s.errors]
    uploads = [s for s in first if s.uploads]
    return {
        "sessions": args.sessions,
        "replicas": 2,
        "stagger_s": STAGGER_S,
        "loading_at_once": args.loading,
        "errors": len(errors),
        "error_messages": sorted(set(errors))[:20],
        "sessions_per_replica": by_replica,
        "phase1": {
            "wall_s": round(phase1_s, 1),
            "time_to_drawn": summary([s.drawn_s for s in first]),
            "filter_change": summary([s.filter_s for s in first]),
            "queued_in_load_generator": summary([s.queued_s for s in first]),
            "load_average_1min_max": round(load_phase1, 1),
            "cpu_s_per_session_replicas": round(cpu_replicas / args.sessions, 2),
            "cpu_s_per_session_browser_and_driver": round(cpu_browser / args.sessions, 2),
        },
        "uploads": {
            "sessions": len(uploads),
            "upload_to_loaded": summary([s.upload_s for s in uploads]),
            "kept_in_own_session": sum(bool(s.upload_kept) for s in uploads),
            "after_kill_kept_on_surviving_replica": sum(
                bool(s.upload_after_kill) for s in uploads if s.replica != killed
            ),
            "on_surviving_replica": sum(s.replica != killed for s in uploads),
            "after_kill_on_killed_replica_still_there": sum(
                bool(s.upload_after_kill) for s in uploads if s.replica == killed
            ),
            "on_killed_replica": sum(s.replica == killed for s in uploads),
        },
        "killed_replica": killed,
        "after_kill": {
            "wall_s": round(phase2_s, 1),
            "moved_sessions": len(moved),
            "moved_sessions_redrawn": sum(s.after_kill_s is not None for s in moved),
            "moved_to": sorted({s.moved_to for s in moved if s.moved_to}),
            "reconnect": summary([s.reconnect_s for s in moved]),
            "reconnect_and_filter": summary([s.after_kill_s for s in moved]),
            "moved_sessions_that_typed_again": sum(s.typed_again > 0 for s in moved),
            "other_sessions_filter_change": summary([s.after_kill_s for s in stayed]),
        },
        "new_sessions_after_kill": {
            "sessions": args.new_sessions,
            "wall_s": round(phase3_s, 1),
            "replicas": sorted({s.replica for s in fresh if s.replica}),
            "time_to_drawn": summary([s.drawn_s for s in fresh]),
            "filter_change": summary([s.filter_s for s in fresh]),
        },
        "haproxy_servers_at_end": servers,
        "load_average_1min_max": round(max(load), 1),
        "one_session_alone_cold_replica_time_to_drawn_s": [round(s.drawn_s, 2) if s.drawn_s else None for s in warm],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--new-sessions", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=10, help="sessions (of --sessions) that also upload")
    parser.add_argument(
        "--loading", type=int, default=3, help="sessions loading at once (one Chromium on 2 cores cannot load 50)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 100 or not 0 <= args.new_sessions <= 50 or not 0 <= args.uploads * 5 <= args.sessions:
        parser.error("at most 100 sessions and 50 new sessions; at most one session in five uploads")
    load_before = [round(x, 1) for x in os.getloadavg()]
    with deployment_running(2, HTTP_PORT, REPLICA_PORT, prefix="nk-bench-replicas-", timeout_s=300) as state:
        result = asyncio.run(asyncio.wait_for(run(args, state), WALL_SECONDS))
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_before": load_before,
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        **result,
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
