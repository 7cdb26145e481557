"""deploy/start.sh for real: PostGIS, two replicas and HAProxy, driven in headless Chromium through HAProxy.

An upload (an HTTP request of its own, beside the session's websocket) and the downloads after it must reach
the session's replica: the cookie keeps them there. When a replica is killed, its browsers reconnect to the
other one and draw again, and new sessions keep working. One deployment serves the module (it starts in
~20 s); the failover test kills a replica, so it runs last (pytest keeps the file's order).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.store import cluster
from src.store.deployment import replica_stats
from src.store.deployment import running as deployment_running
from src.view import View
from tests.browser.conftest import OfflinePage, wait_drawn

HTTP_PORT, REPLICA_PORT = 18180, 18190
URL = f"http://127.0.0.1:{HTTP_PORT}"
COOKIE = "NKMAP_REPLICA"
DATA = load_dataset(DEFAULT_DATA_DIR)  # deploy/start.sh imports this directory into its empty store
TITLE = "Brought by this browser"
pytestmark = pytest.mark.browser


def get(path: str, cookie: str | None = None) -> tuple[int, str]:
    """Status and the replica cookie HAProxy sets, for a request through it."""
    request = urllib.request.Request(f"{URL}{path}", headers={"Cookie": cookie or ""})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("Set-Cookie") or ""


@pytest.fixture(scope="module")
def deployment() -> Iterator[Path]:
    if shutil.which("haproxy") is None or not cluster.available():
        if os.environ.get("CI") == "true":
            pytest.fail("HAProxy or PostgreSQL/PostGIS is not installed")
        pytest.skip("HAProxy or PostgreSQL/PostGIS is not installed")
    with deployment_running(2, HTTP_PORT, REPLICA_PORT, prefix="nk-deploy-test-", timeout_s=240) as state:
        yield state


def replica_of(page: OfflinePage) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)  # type: ignore[attr-defined]


def times_marked_down(state: Path) -> dict[str, int]:
    """HAProxy's own count, per replica, of the times its health checks marked it down."""
    return {r["svname"]: int(r["chkdown"]) for r in replica_stats(state)}


def own_upload(folder: Path) -> tuple[Path, set[str]]:
    """Three incidents of the committed data under new ids and one title no record has, as an upload."""
    with (DEFAULT_DATA_DIR / "incidents.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        rows = [next(reader) for _ in range(3)]
    ids = {f"upload-{n}" for n in range(3)}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, "id": f"upload-{n}", "title": TITLE, "related_ids": ""} for n, row in enumerate(rows))
    path = folder / "mine.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, ids


def search(page: OfflinePage, text: str) -> None:
    box = page.page.locator('input[aria-label="Search"]')
    box.fill(text, timeout=60_000)
    box.press("Enter")


def search_until_drawn(page: OfflinePage, query: str, expected: int) -> int:
    """Searches until the map draws `expected`. Text typed while a session moves to another replica can be
    lost: the new session's first run empties the box, or the box keeps it but the server never got it."""
    box = page.page.locator('input[aria-label="Search"]')
    deadline = time.monotonic() + 60
    drawn = -1
    while drawn != expected and time.monotonic() < deadline:
        if box.input_value(timeout=60_000) == query:
            search(page, "")
        search(page, query)
        drawn = wait_drawn(page, expected, timeout_s=10)
    return drawn


def downloaded_ids(page: OfflinePage, rows: int) -> set[str]:
    """The ids in the Incidents page's CSV download (a request to the session's replica, which holds the
    file), once the button of the run that shows `rows` rows is there (a stale one's file is gone)."""
    label = re.compile(rf"^Download these {rows} incidents as CSV")
    with page.page.expect_download(timeout=60_000) as download:
        page.page.get_by_role("button", name=label).click(timeout=60_000)
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return {row["id"] for row in csv.DictReader(io.StringIO(text))}


def test_an_upload_and_the_downloads_after_it_stay_in_the_session(deployment, browser, tmp_path) -> None:
    status, cookie = get("/")
    assert status == 200 and cookie.startswith(f"{COOKIE}=app")
    assert get("/", cookie.split(";")[0]) == (200, "")  # a browser with the cookie keeps it
    upload, mine = own_upload(tmp_path)
    page = OfflinePage(browser)
    other = OfflinePage(browser)
    try:
        page.page.goto(f"{URL}/incidents")
        page.page.locator("input[type=file]").set_input_files(str(upload), timeout=60_000)
        page.page.get_by_text("3 uploaded incident(s) loaded").wait_for(timeout=60_000)
        replica = replica_of(page)
        assert mine <= downloaded_ids(page, len(DATA.incidents) + 3)
        search(page, TITLE)
        assert downloaded_ids(page, 3) == mine
        assert replica_of(page) == replica
        # Another browser sent to the very same replica (process) does not see it: it is this session's.
        other.context.add_cookies([{"name": COOKIE, "value": replica, "url": URL}])  # type: ignore[attr-defined]
        other.page.goto(f"{URL}/incidents")
        assert not downloaded_ids(other, len(DATA.incidents)) & mine
        assert replica_of(other) == replica
        assert page.blocked == [] and other.blocked == []
    finally:
        page.context.close()  # type: ignore[attr-defined]
        other.context.close()  # type: ignore[attr-defined]


def test_when_a_replica_is_killed_its_sessions_reconnect_to_the_other_and_draw_again(deployment, browser) -> None:
    query = "banjska"
    expected = len(filter_incidents(DATA.incidents, View(query=query)))
    page = OfflinePage(browser)
    try:
        page.page.goto(URL)
        page.map_frame()
        assert wait_drawn(page, len(DATA.incidents)) == len(DATA.incidents)
        killed = replica_of(page)
        with page.page.expect_websocket(timeout=60_000):  # the page reconnects by itself
            os.kill(int((deployment / f"replica{killed.removeprefix('app')}.pid").read_text()), signal.SIGKILL)
        drawn = search_until_drawn(page, query, expected)
        assert drawn == expected
        moved_to = replica_of(page)
        assert moved_to != killed
        fresh = OfflinePage(browser)
        try:
            fresh.page.goto(URL)
            fresh.map_frame()
            assert wait_drawn(fresh, len(DATA.incidents)) == len(DATA.incidents)
            assert replica_of(fresh) == moved_to
        finally:
            fresh.context.close()  # type: ignore[attr-defined]
        status, cookie = get("/", f"{COOKIE}={killed}")  # a browser still naming the dead one is moved
        assert status == 200 and cookie.startswith(f"{COOKIE}={moved_to}")
        deadline = time.monotonic() + 20  # three failed checks, two seconds apart
        while times_marked_down(deployment)[killed] == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert times_marked_down(deployment) == {killed: 1, moved_to: 0}  # the survivor never flapped
        assert page.blocked == []
    finally:
        page.context.close()  # type: ignore[attr-defined]
