"""Every incident can be reached with the mouse: at zoom 15 over its own place, one click opens a popup that
lists it (a stack lists all it holds); one known only to its municipality is listed by the municipality's
badge. On the Map page, on a municipality page and on a briefing slide."""

from __future__ import annotations

import pandas as pd

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.view import View
from tests.browser.conftest import MAP_IFRAME, App, OfflinePage, wait_drawn

DATA = load_dataset(DEFAULT_DATA_DIR)
# Before moving to the next place: no popup open, and no pan still running from the last one's autopan.
# A closed popup fades out for a moment; it is removed at once so the next place never reads its text.
SETTLE = (
    "window.map.closePopup(); window.map.stop(); document.querySelectorAll('.leaflet-popup').forEach(p => p.remove());"
)


def popup_text_after_click(page: OfflinePage, place_script: str) -> str:
    """Centres the map on a place (`place_script` sets the view and returns the container point to click),
    clicks there with the mouse and returns the text of the popup that opens (every page of a long list
    shown), closing it again. A click lost while the page was still settling is made again, as a user would."""
    for attempt in range(4):
        point = page.map_window().evaluate(place_script)  # type: ignore[attr-defined]
        if point is None:
            return ""
        text = _click_once(page, *point, scrolled_by_playwright=attempt % 2 == 1)
        if text:
            return text
        page.page.wait_for_timeout(500)
    return ""


def _click_once(page: OfflinePage, x: float, y: float, scrolled_by_playwright: bool) -> str:
    """A real mouse click at that point of the map's frame (the frame scrolled into view by the test, or by
    Playwright's own click), then the popup's text."""
    frame = page.page.locator(MAP_IFRAME).first
    if scrolled_by_playwright:
        frame.click(position={"x": x, "y": y})
    else:
        frame.scroll_into_view_if_needed()
        box = frame.bounding_box()
        page.page.mouse.click(box["x"] + x, box["y"] + y)
    window = page.map_window()
    return window.evaluate(  # type: ignore[attr-defined]
        """async () => {
          const wait = () => new Promise(r => setTimeout(r, 50));
          for (let t = 0; t < 100 && !document.querySelector('.incident-popup'); t++) await wait();
          const popup = document.querySelector('.incident-popup');
          if (!popup) { window.map.closePopup(); return ''; }  // a marker's own popup: close it before retrying
          let more;
          while ((more = popup.querySelector('button.more'))) more.click();
          const text = popup.textContent;
          window.map.closePopup();
          return text;
        }"""
    )


def unreachable(page: OfflinePage, incidents: pd.DataFrame) -> list[str]:
    """Ids of incidents whose title is not in the popup a click on their drawn place opens."""
    missing = []
    placed = incidents[incidents["location_precision"] != "municipality"]
    for (lat, lon), group in placed.groupby(["latitude", "longitude"]):
        text = popup_text_after_click(
            page,
            f"(() => {{ {SETTLE} window.map.setView([{lat}, {lon}], 15, {{animate: false}});"
            f" const p = window.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }})()",
        )
        missing += [i for i, title in zip(group["id"], group["title"], strict=True) if title not in text]
    vague = incidents[incidents["location_precision"] == "municipality"]
    for municipality, group in vague.groupby("municipality"):
        row = DATA.frame("municipalities").set_index("id").loc[municipality]
        text = popup_text_after_click(
            page,
            f"""(() => {{ {SETTLE} window.map.setView([{row.rep_lat}, {row.rep_lon}], 15, {{animate: false}});
            const layer = Object.values(window.__incidentLayers)[0];
            const code = layer._data.municipalities.findIndex(m => m.id === {municipality!r});
            const p = layer._badgeAt[code]; return p ? [p.x, p.y] : null; }})()""",
        )
        missing += [i for i, title in zip(group["id"], group["title"], strict=True) if title not in text]
    return missing


def test_every_incident_on_the_map_page_is_reachable(app: App, offline_page: OfflinePage) -> None:
    offline_page.page.goto(app.url)
    offline_page.map_frame()
    assert wait_drawn(offline_page, len(DATA.incidents)) == len(DATA.incidents)
    assert unreachable(offline_page, DATA.incidents) == []
    assert offline_page.blocked == []


def test_every_incident_on_north_mitrovicas_page_is_reachable(app: App, offline_page: OfflinePage) -> None:
    shown = DATA.incidents[DATA.incidents["municipality"] == "north-mitrovica"]
    offline_page.page.goto(f"{app.url}/north_mitrovica")
    offline_page.map_frame()
    assert wait_drawn(offline_page, len(shown)) == len(shown) > 20
    assert unreachable(offline_page, shown) == []


def test_every_incident_on_a_briefing_slide_is_reachable(app: App, offline_page: OfflinePage) -> None:
    from src.briefing import briefing_files, load_briefing

    briefing, _ = load_briefing(briefing_files(DEFAULT_DATA_DIR)[0], set(DATA.incidents["id"]), set(DATA.sources))
    slide = briefing.slides[1]
    shown = filter_incidents(DATA.incidents, View(start=slide.view.start, end=slide.view.end,
                                                  categories=slide.view.categories))  # fmt: skip
    offline_page.page.goto(f"{app.url}/briefing?slide=2")
    offline_page.map_frame()
    assert wait_drawn(offline_page, len(shown)) == len(shown) > 0
    assert unreachable(offline_page, shown) == []
