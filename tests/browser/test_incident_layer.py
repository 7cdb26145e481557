"""The incident layer in a real browser: it draws exactly the filtered incidents, and text is never HTML."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.view import View
from tests.browser.conftest import App, OfflinePage
from tests.conftest import GOOD_ROWS

HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
HOSTILE = {
    **GOOD_ROWS["incidents.csv"],
    "id": "inc-20230924-hostile-title",
    "title": HOSTILE_TITLE,
    "description": "Xylophonequest <b>bold?</b>",
    "sources": "icg-20240402-northern-kosovo",
}


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, Path]]:
    data_dir = tmp_path_factory.mktemp("data") / "geodata"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    header = (data_dir / "incidents.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    with open(data_dir / "incidents.csv", "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(HOSTILE)
    app = App(env={"GEODATA_DIR": str(data_dir)})
    yield app, data_dir
    app.stop()


def drawn(frame: object) -> int:
    container = frame.locator(".leaflet-container")  # type: ignore[attr-defined]
    container.and_(frame.locator("[data-incidents-drawn]")).wait_for(state="attached", timeout=60_000)  # type: ignore[attr-defined]
    return int(container.get_attribute("data-incidents-drawn"))


def test_drawn_incidents_equal_the_filtered_count(hostile_app: tuple[App, Path], offline_page: OfflinePage) -> None:
    app, data_dir = hostile_app
    incidents = load_dataset(data_dir).incidents
    expected = len(filter_incidents(incidents, View(municipalities=("zvecan",), categories=("riot", "armed_clash"))))
    offline_page.page.goto(f"{app.url}/?muni=zvecan&cat=riot,armed_clash")
    assert drawn(offline_page.map_frame()) == expected > 0
    offline_page.page.goto(app.url)
    assert drawn(offline_page.map_frame()) == len(incidents)
    assert offline_page.blocked == []


def test_popup_shows_hostile_title_as_text_and_runs_nothing(
    hostile_app: tuple[App, Path], offline_page: OfflinePage
) -> None:
    app, _ = hostile_app
    lat, lon = HOSTILE["latitude"], HOSTILE["longitude"]
    offline_page.page.goto(f"{app.url}/?q=xylophonequest&center={lat},{lon}&zoom=13")
    frame = offline_page.map_frame()
    assert drawn(frame) == 1
    frame.locator(".leaflet-container").click()  # the view is centred on the incident
    popup = frame.locator(".incident-popup")
    popup.wait_for(timeout=30_000)
    assert HOSTILE_TITLE in popup.locator("h4").inner_text()
    assert "<b>bold?</b>" in popup.inner_text()
    assert popup.locator("img, script, b").count() == 0
    assert offline_page.map_window().evaluate("window.__pwned === undefined")
    assert offline_page.page.evaluate("window.__pwned === undefined")
    assert offline_page.blocked == []
