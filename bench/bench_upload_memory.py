"""Benchmark: memory of a 10 MB upload of invalid lines (a script, not a test).

Run: python bench/bench_upload_memory.py [--in-process-only]; writes bench/results/bench_upload_memory.json.

Two measurements, in one run:
- in-process: read_upload on the bytes (the work a session does on upload), resident memory before, at peak
  and after;
- real server: `streamlit run app.py`, the file sent through the Incidents page's upload widget in headless
  Chromium, the server process's resident memory (/proc/<pid>/status) sampled every 0.1 s: before, at peak,
  once the page says what it made of the file, and for 150 s after the tab is closed (Streamlit ends a
  disconnected session after server.disconnectedSessionTTL, 120 s).
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from src.config import DEFAULT_DATA_DIR, MAX_UPLOAD_BYTES, chromium_path  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.upload import read_upload  # noqa: E402
from tests.conftest import GOOD_ROWS  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_upload_memory.json"
AFTER_CLOSE_S = 150  # Streamlit keeps a closed tab's session for server.disconnectedSessionTTL (120 s)


def rss_mb(pid: str | int = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


# The widget refuses a file over 10,000,000 bytes (its "10 MB"), below MAX_UPLOAD_BYTES (10 MiB).
UPLOAD_BYTES = min(MAX_UPLOAD_BYTES, 10_000_000) - 4096


def invalid_lines() -> bytes:
    """Just under the widget's limit: the incident header, then lines that are not incidents."""
    header = ",".join(GOOD_ROWS["incidents.csv"]) + "\n"
    return (header + "x\n" * ((UPLOAD_BYTES - len(header)) // 2)).encode()


def in_process(raw: bytes) -> dict[str, float]:
    data = load_dataset(DEFAULT_DATA_DIR)
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    result = read_upload("invalid.csv", raw, DEFAULT_DATA_DIR, data)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kept = len(result.problems)
    del result
    gc.collect()
    return {
        "seconds": round(seconds, 2),
        "problems_kept": kept,
        "rss_before_mb": round(before),
        "rss_peak_mb": round(peak),
        "rss_after_mb": round(rss_mb()),
    }


class Sampler:
    """The server's resident memory, sampled in the background; `peak` since the last `reset`."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.running = pid, 0.0, True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.1)

    def reset(self) -> None:
        self.peak = rss_mb(self.pid)

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def real_server(raw: bytes) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, App

    app = App()
    sampler = Sampler(app.process.pid)
    try:
        with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
            path = Path(folder) / "invalid.csv"
            path.write_bytes(raw)
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(f"{app.url}/incidents")
            page.wait_for_selector("input[type=file]", state="attached", timeout=120_000)
            time.sleep(3)
            before = rss_mb(app.process.pid)
            sampler.reset()
            started = time.perf_counter()
            page.locator("input[type=file]").set_input_files(str(path))
            said = page.locator("[data-testid=stAlert]").filter(has_text="upload")
            said.first.wait_for(timeout=120_000)
            answered_s = time.perf_counter() - started
            time.sleep(2)
            message = said.first.inner_text()
            loaded = rss_mb(app.process.pid)
            peak = sampler.peak
            context.close()  # the tab closes: the websocket goes, and the session with it
            after: list[tuple[float, float]] = []
            for second in range(AFTER_CLOSE_S + 1):
                if second % 10 == 0:
                    after.append((second, round(rss_mb(app.process.pid))))
                time.sleep(1)
            browser.close()
    finally:
        sampler.stop()
        app.stop()
    return {
        "upload_mb": round(len(raw) / 1e6, 1),
        "answered_s": round(answered_s, 1),
        "page_said": message[:200],
        "rss_before_mb": round(before),
        "rss_peak_mb": round(peak),
        "rss_loaded_mb": round(loaded),
        "rss_after_tab_closed_mb": after,
    }


def main() -> None:
    raw = invalid_lines()
    results: dict[str, object] = {"in_process": in_process(raw)}
    print("in-process", results["in_process"])
    if "--in-process-only" not in sys.argv:
        results["real_server"] = real_server(raw)
        print("real server", results["real_server"])
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
