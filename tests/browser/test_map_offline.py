"""The map draws with no internet: every script and style comes from the app itself."""

from __future__ import annotations

from pathlib import Path

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.drawing.areas import NORTH_STYLE, OTHER_STYLE
from src.drawing.places import LABEL_ZOOM
from tests.browser.conftest import App, OfflinePage

SCREENSHOT = Path(__file__).resolve().parents[2] / "build" / "screenshot-map.png"
NORTH_LABELS = ("Leposavić", "North Mitrovica", "Zubin Potok", "Zvečan")


def test_map_draws_the_four_northern_municipalities_with_no_request_leaving_localhost(
    app: App, offline_page: OfflinePage
) -> None:
    offline_page.page.goto(app.url)
    frame = offline_page.map_frame()
    labels = frame.locator(".north-label")
    labels.nth(len(NORTH_LABELS) - 1).wait_for(timeout=60_000)
    assert sorted(labels.all_inner_texts()) == sorted(NORTH_LABELS)
    # The polygons are SVG paths styled by src/layers/municipalities.py: 4 northern, 34 muted.
    north_stroke = NORTH_STYLE["color"]
    other_stroke = OTHER_STYLE["color"]
    assert frame.locator(f'.leaflet-overlay-pane path[stroke="{north_stroke}"]').count() == 4
    assert frame.locator(f'.leaflet-overlay-pane path[stroke="{other_stroke}"]').count() == 34
    assert offline_page.blocked == []
    offline_page.page.screenshot(path=str(SCREENSHOT))


def test_settlement_names_show_from_their_zoom_and_go_further_out(app: App, offline_page: OfflinePage) -> None:
    """src/drawing/places.py binds the names only at LABEL_ZOOM or closer (each open name costs a layout)."""
    offline_page.page.goto(f"{app.url}/?center=42.91000,20.86000&zoom={LABEL_ZOOM - 2}")
    frame = offline_page.map_frame()
    frame.locator(".north-label").first.wait_for(timeout=60_000)
    names = frame.locator(".settlement-label")
    assert names.count() == 0
    offline_page.map_window().evaluate(f"map.setZoom({LABEL_ZOOM}, {{animate: false}})")  # type: ignore[attr-defined]
    names.first.wait_for(timeout=10_000)
    shown = names.all_inner_texts()
    assert "Zvečan" in shown and len(shown) == len(load_dataset(DEFAULT_DATA_DIR).frame("settlements"))
    offline_page.map_window().evaluate(f"map.setZoom({LABEL_ZOOM - 1}, {{animate: false}})")  # type: ignore[attr-defined]
    names.first.wait_for(state="detached", timeout=10_000)
    assert names.count() == 0
