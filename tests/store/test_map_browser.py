"""The Map page on a store too large to send to the browser, in Chromium against a real PostGIS: the view
drawn from SQL as counts per cell or as its incidents, agreeing with the page's count, a filter change
that redraws without rebuilding the map, and the incidents' popup texts fetched as a file on the first
click (not sent with the view)."""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.store import importer, postgis
from src.view import View
from tests.browser.conftest import MAP_IFRAME, App, OfflinePage
from tests.browser.test_live_map import map_identity, search

FILES = load_dataset(DEFAULT_DATA_DIR)
COPIES = 50  # 236 incidents and 50 copies of them: more than the map draws one by one
STATE = (
    "(() => { const c = document.querySelector('.leaflet-container');"
    " return c ? [c.dataset.storeView || '', Number(c.dataset.incidentsDrawn)] : null; })()"
)


def copies(folder: Path) -> Path:
    """geodata/'s incidents.csv again COPIES times under new ids."""
    with (DEFAULT_DATA_DIR / "incidents.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    folder.mkdir()
    with (folder / "incidents.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(row | {"id": f"{row['id']}-copy-{n}"} for n in range(COPIES) for row in rows)
    return folder


@pytest.fixture
def large_store_app(pg_url, tmp_path) -> Iterator[App]:
    assert importer.import_dir(pg_url, DEFAULT_DATA_DIR).committed
    assert importer.import_dir(pg_url, copies(tmp_path / "copies")).committed
    app = App(env={"GEODATA_URL": pg_url, "GEODATA_TTL": "600", postgis.INLINE_VARIABLE: "10000"})
    yield app
    app.stop()


def wait_state(page: OfflinePage, kind: str, drawn: int, timeout_s: float = 90) -> list:
    deadline, value = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        try:
            value = page.map_window().evaluate(STATE)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the iframe may be between documents while Streamlit reruns
            value = None
        if value == [kind, drawn]:
            break
        time.sleep(0.1)
    return value  # type: ignore[return-value]


# Where the first incident mark of the view's points is drawn (a point in the map's container).
FIRST_MARK = """(() => { const layer = window.__incidentLayers['map:incidents:points'];
  const mark = layer._marks.find(m => m.kind !== 'municipality'); return [mark.x, mark.y]; })()"""


def page_count(page: OfflinePage) -> str:
    return page.page.get_by_text(re.compile(r"of [\d,]+ incidents match")).inner_text()


def test_a_large_store_is_drawn_per_view_from_sql(large_store_app, browser) -> None:
    total = len(FILES.incidents) * (COPIES + 1)
    page = OfflinePage(browser)
    try:
        page.page.goto(large_store_app.url)
        page.map_frame(timeout=120_000)
        assert wait_state(page, "cells", total) == ["cells", total]  # every incident counted in a cell
        assert page_count(page) == f"{total:,} of {total:,} incidents match the filters"
        discs = page.map_window().evaluate("Number(document.querySelector('.leaflet-container').dataset.storeDiscs)")  # type: ignore[attr-defined]
        assert 1 < discs < 200
        born = map_identity(page)
        search(page, "Banjska")
        matching = len(filter_incidents(FILES.incidents, View(query="Banjska"))) * (COPIES + 1)
        assert 0 < matching <= postgis.POINT_LIMIT
        assert wait_state(page, "points", matching) == ["points", matching]  # each one drawn by the incident layer
        assert page_count(page).startswith(f"{matching:,} of {total:,}")
        fetched: list[str] = []
        page.page.on("request", lambda request: fetched.append(request.url) if "/generated/" in request.url else None)
        x, y = page.map_window().evaluate(FIRST_MARK)  # type: ignore[attr-defined]
        page.page.frame_locator(MAP_IFRAME).locator(".leaflet-container").click(position={"x": x, "y": y})
        popup = page.page.frame_locator(MAP_IFRAME).locator(".incident-popup")
        popup.wait_for(timeout=30_000)
        titles = filter_incidents(FILES.incidents, View(query="Banjska"))["title"]
        assert any(title in popup.inner_text() for title in titles)
        assert len(fetched) == 1  # the texts came as a file on this click
        search(page, "")
        assert wait_state(page, "cells", total) == ["cells", total]
        assert map_identity(page) == born  # the map was never rebuilt
        assert page.blocked == []
    finally:
        page.context.close()
