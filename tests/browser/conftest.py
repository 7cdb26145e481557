"""Starts the app on a free port and drives it in the system Chromium with every non-local request blocked.

Chromium comes from the Debian package (never `playwright install`). Without it these tests skip locally,
and fail in CI (CI=true), where a missing browser must not pass unnoticed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from src.config import chromium_path

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App:
    """A running `streamlit run` of one of the project's scripts."""

    def __init__(
        self,
        script: str = "app.py",
        env: dict[str, str] | None = None,
        options: tuple[str, ...] = (),
        launcher: tuple[str, ...] = ("-m", "src.serve"),
    ) -> None:
        """`options`: more `streamlit run` flags (a benchmark compares configurations with them); `launcher`:
        what runs `streamlit` (a test may look inside the server through tests/browser/census_server.py)."""
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._command = [
            sys.executable,
            *launcher,
            "run",
            script,
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *options,
        ]
        self._env = {**os.environ, **(env or {})}
        self._start()

    def _start(self) -> None:
        self.process = subprocess.Popen(
            self._command,
            cwd=PROJECT_DIR,
            env=self._env,
            stdout=subprocess.DEVNULL,  # never read: a full pipe would stall the server
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not start within 60 s")

    def restart(self) -> None:
        """A new server on the same port: it holds no session of the browsers that reconnect to it."""
        self.stop()
        self._start()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def chromium() -> Iterator[object]:
    """Headless Chromium for a whole test run: the `browser` fixture in tests/conftest.py, defined once there
    because Playwright's sync API runs one instance at a time (the store's browser tests share it)."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is missing: CI must run the browser tests (apt-get install chromium)")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def app() -> Iterator[App]:
    running = App()
    yield running
    running.stop()


class OfflinePage:
    """A browser page that aborts and records every request that would leave this machine."""

    def __init__(self, browser: object, viewport: dict[str, int] | None = None) -> None:
        self.context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        self.blocked: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    def map_window(self) -> object:
        """The map iframe's own window (to evaluate script in it)."""
        return self.page.locator(MAP_IFRAME).element_handle().content_frame()

    def map_frame(self, timeout: float = 60_000) -> object:
        """The st_folium iframe once Leaflet has drawn into it."""
        self.page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout)
        frame = self.page.frame_locator(MAP_IFRAME)
        frame.locator(".leaflet-container").wait_for(state="attached", timeout=timeout)
        return frame


@pytest.fixture
def offline_page(browser: object) -> Iterator[OfflinePage]:
    page = OfflinePage(browser)
    yield page
    page.context.close()


def wait_drawn(page: OfflinePage, expected: int, timeout_s: float = 30) -> int:
    """Waits until the map's incident layer draws `expected` incidents (after the filter reaches it)."""
    deadline = time.monotonic() + timeout_s
    value = None
    while time.monotonic() < deadline:
        try:
            value = page.map_window().evaluate(  # type: ignore[attr-defined]
                "(() => { const c = document.querySelector('.leaflet-container');"
                " return c && c.dataset.incidentsDrawn !== undefined ? Number(c.dataset.incidentsDrawn) : null; })()"
            )
        except Exception:  # noqa: BLE001 - the iframe may be between documents while Streamlit reruns
            value = None
        if value == expected:
            return value
        time.sleep(0.1)
    return value if value is not None else -1
