"""From the main map to a municipality page: click the polygon, follow the link in its popup."""

from __future__ import annotations

import numpy as np
import shapely

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from tests.browser.conftest import App, OfflinePage


def quiet_point(municipality_id: str) -> tuple[float, float]:
    """A point inside the municipality as far as possible from any incident (so the click hits the polygon)."""
    data = load_dataset(DEFAULT_DATA_DIR)
    polygon = data.frame("municipalities").set_index("id").geometry[municipality_id]
    west, south, east, north = polygon.bounds
    xs, ys = np.meshgrid(np.linspace(west, east, 40), np.linspace(south, north, 40))
    candidates = [shapely.Point(x, y) for x, y in zip(xs.ravel(), ys.ravel(), strict=True)]
    inside = [p for p in candidates if polygon.buffer(-0.01).contains(p)]
    incidents = shapely.MultiPoint(list(data.incidents.geometry))
    best = max(inside, key=incidents.distance)
    return best.y, best.x


def test_popup_link_opens_the_municipality_page(app: App, offline_page: OfflinePage) -> None:
    lat, lon = quiet_point("leposavic")
    page = offline_page.page
    page.goto(f"{app.url}/?center={lat},{lon}&zoom=10")
    frame = offline_page.map_frame()
    frame.locator(".north-label").first.wait_for(timeout=60_000)
    frame.locator(".leaflet-container").click()  # the map is centred on a quiet spot of Leposavić
    link = frame.locator(".leaflet-popup a.page-link")
    link.wait_for(timeout=30_000)
    assert link.inner_text() == "Open the Leposavić page"
    # The map's frame may not navigate the whole page (Streamlit sandboxes it), so the page opens in a new tab.
    with offline_page.context.expect_page() as opened:
        link.click()
    municipality_page = opened.value
    municipality_page.wait_for_url("**/leposavic?lang=en", timeout=30_000)
    municipality_page.get_by_role("heading", name="Leposavić", exact=True).wait_for(timeout=60_000)
    assert offline_page.blocked == []
