"""Shared load on one server (a script, not a test; loopback only, bounded, stops by itself).

Two measures of the Map page, each for the app as configured (.streamlit/config.toml) and, in the same run,
for the same app with Streamlit's defaults this project turns off (a full garbage collection after every
script run, source-file watchers registered per session):
- script runs per second: new sessions opened back to back by a few websocket clients for a fixed time,
  each one a whole Map-page run for a visitor who has not been here before;
- 20 sessions arriving together: each fetches the page and the scripts and styles a browser fetches first
  (the list is taken from one real Chromium load), then opens its websocket and waits for the script's last
  message. The wait until then is what a visitor waits before the map starts drawing.

The websocket client speaks Streamlit's own protocol (a BackMsg asking for a run, ForwardMsgs until
`script_finished`), so 20 sessions cost this machine the server's work, not 20 browsers'.
Run: python bench/bench_load.py [--seconds 15] [--clients 3] [--sessions 20]; results in
bench/results/bench_load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
import urllib.request
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from src.config import chromium_path  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, App  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_load.json"
STREAMLIT_DEFAULTS = ("--runner.postScriptGC", "true", "--server.fileWatcherType", "auto")


async def map_page_run(url: str) -> float:
    """Seconds from opening a new session's websocket to the end of its first Map-page run."""
    start = time.perf_counter()
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as socket:  # type: ignore[list-item]
        ask = BackMsg()
        ask.rerun_script.query_string = ""
        await socket.send(ask.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket.recv())
            if message.WhichOneof("type") == "script_finished":
                if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"the Map page's run ended with {message.script_finished}")
                return time.perf_counter() - start


def first_fetches(url: str) -> list[str]:
    """What a browser fetches over HTTP to show the Map page (from one real Chromium load, empty cache)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url) if request.url.startswith(url) else None)
        page.goto(url)
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', state="attached", timeout=120_000)
        page.wait_for_timeout(3000)
        browser.close()
    return [u for u in dict.fromkeys(fetched) if "/_stcore/stream" not in u]


def _get(address: str) -> int:
    with urllib.request.urlopen(address, timeout=60) as response:
        return len(response.read())


async def arriving_session(url: str, fetches: list[str]) -> float:
    """One visitor: the page and its first scripts (six at a time, as a browser does), then the run."""
    start = time.perf_counter()
    limit = asyncio.Semaphore(6)

    async def fetch(address: str) -> int:
        async with limit:
            return await asyncio.to_thread(_get, address)

    await asyncio.gather(*(fetch(address) for address in fetches))
    await map_page_run(url)
    return time.perf_counter() - start


async def runs_per_second(url: str, clients: int, seconds: float) -> dict[str, float]:
    deadline = time.perf_counter() + seconds
    durations: list[float] = []

    async def client() -> None:
        while time.perf_counter() < deadline:
            durations.append(await map_page_run(url))

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    return {"runs": len(durations), "runs_per_s": round(len(durations) / elapsed, 2),
            "median_run_s": round(statistics.median(durations), 3)}  # fmt: skip


def server_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(options: tuple[str, ...], fetches: list[str] | None, args: argparse.Namespace) -> dict:
    app = App(options=options)
    try:
        asyncio.run(map_page_run(app.url))  # the first session loads the data files; the others share them
        fetches = fetches or first_fetches(app.url)
        fetches = [app.url + "/" + f.split("/", 3)[3] for f in fetches]  # this server's port
        cpu = server_cpu_s(app.process.pid)
        throughput = asyncio.run(runs_per_second(app.url, args.clients, args.seconds))
        throughput["server_cpu_per_run_s"] = round((server_cpu_s(app.process.pid) - cpu) / throughput["runs"], 3)

        async def crowd() -> list[float]:
            return await asyncio.gather(*(arriving_session(app.url, fetches) for _ in range(args.sessions)))

        waits = sorted(asyncio.run(crowd()))
        arrival = {"sessions": args.sessions, "http_fetches_each": len(fetches),
                   "median_wait_s": round(statistics.median(waits), 2),
                   "p95_wait_s": round(waits[max(0, round(0.95 * len(waits)) - 1)], 2),
                   "max_wait_s": round(waits[-1], 2)}  # fmt: skip
        return {"options": list(options), "script_runs": throughput, "arriving_together": arrival}, fetches
    finally:
        app.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    ours, fetches = measure((), None, args)
    print(json.dumps(ours), flush=True)
    defaults, _ = measure(STREAMLIT_DEFAULTS, fetches, args)
    print(json.dumps(defaults), flush=True)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),
        "as_configured": ours,
        "streamlit_defaults": defaults,
        "runs_per_s_ratio": round(ours["script_runs"]["runs_per_s"] / defaults["script_runs"]["runs_per_s"], 1),
        "median_wait_ratio": round(
            defaults["arriving_together"]["median_wait_s"] / ours["arriving_together"]["median_wait_s"], 1
        ),
    }
    print(json.dumps(report, indent=2))
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
