"""Briefing in a real browser: the arrow keys change the view, and the standalone export draws offline."""

from __future__ import annotations

import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.mapview import build_map
from src.standalone import standalone_html
from src.view import View
from tests.browser.conftest import App, OfflinePage


def file_only(context: object) -> list[str]:
    """Lets a browser context load only file: and data: URLs; every other request is aborted and recorded."""
    requests: list[str] = []

    def block(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("data:", "file:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            requests.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", block)  # type: ignore[attr-defined]
    return requests


def test_arrow_keys_change_the_view(app: App, offline_page: OfflinePage) -> None:
    page = offline_page.page
    page.goto(f"{app.url}/briefing")
    heading = page.locator("h2").first
    heading.wait_for(timeout=60_000)
    first = heading.inner_text()
    _leaflet(offline_page)  # the page is fully drawn, its shortcuts listening
    page.wait_for_timeout(500)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"document.querySelector('h2') && document.querySelector('h2').innerText !== {first!r}", timeout=30_000
    )
    assert "slide=2" in page.url
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"document.querySelector('h2').innerText === {first!r}", timeout=30_000)
    assert offline_page.blocked == []


def test_standalone_html_draws_with_every_request_blocked(browser: object, tmp_path: Path) -> None:
    data = load_dataset(DEFAULT_DATA_DIR)
    view = View(categories=("riot", "barricade", "armed_clash"))
    incidents = filter_incidents(data.incidents, view)
    path = tmp_path / "map.html"
    path.write_text(
        standalone_html(build_map(data, view, incidents, caption=("Title", "Sub", "Stamp"))), encoding="utf-8"
    )
    context = browser.new_context()  # type: ignore[attr-defined]
    requests = file_only(context)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector(f'[data-incidents-drawn="{len(incidents)}"]', state="attached", timeout=30_000)
    assert page.locator('.leaflet-overlay-pane path[stroke="#1b3a5c"]').count() == 4
    assert page.locator(".map-caption-title").inner_text() == "Title"
    assert requests == []
    context.close()


# Issue 16: build a briefing in the app, pictures, print, the whole deck offline, keys from inside the map.

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SLIDE_BUTTON = 'iframe[title$="slide_button"]'
FIND_MAP = "() => Object.keys(window).map(k => window[k]).find(v => v instanceof L.Map)"


def _leaflet(offline_page: OfflinePage) -> object:
    """The Leaflet map inside the st_folium frame, once drawn."""
    frame = offline_page.map_frame(timeout=120_000)
    frame.locator("[data-incidents-drawn]").wait_for(state="attached", timeout=120_000)  # type: ignore[attr-defined]
    return offline_page.map_window()


def _add_view(offline_page: OfflinePage, title: str, center: tuple[float, float], zoom: int, number: int) -> None:
    """On the Map page: type a title, pan and zoom the map (no rerun: only the browser knows where it is now),
    click "Add this view as a slide"."""
    page = offline_page.page
    frame = _leaflet(offline_page)
    panel = page.locator(".st-key-add_view_panel")
    if not page.get_by_label("Slide title").is_visible():
        panel.get_by_text("Add this view as a slide").first.click()
    page.get_by_label("Slide title").fill(title)
    frame.evaluate(f"() => ({FIND_MAP})().setView([{center[0]}, {center[1]}], {zoom}, {{animate: false}})")
    page.wait_for_timeout(400)
    page.frame_locator(SLIDE_BUTTON).get_by_role("button").click()
    page.get_by_text(f"Added slide {number}:").wait_for(timeout=30_000)


def test_two_map_views_become_a_briefing_that_downloads_and_opens_again(
    app: App, offline_page: OfflinePage, tmp_path: Path
) -> None:
    page = offline_page.page
    page.goto(app.url)
    _add_view(offline_page, "Jarinje up close", (43.1381, 20.6203), 13, 1)
    # Another view, as a briefer would find it: to the Briefing page and back (the same session).
    page.get_by_text("Open the draft briefing (1 slides)").click()
    page.locator("h2", has_text="Jarinje up close").wait_for(timeout=60_000)
    page.get_by_text("Add views as slides from the Map page").click()
    page.locator("h1", has_text="Northern Kosovo").wait_for(timeout=60_000)
    _add_view(offline_page, "The four municipalities", (42.95, 20.8), 10, 2)
    page.get_by_text("Open the draft briefing (2 slides)").click()
    page.locator("h2", has_text="The four municipalities").wait_for(timeout=60_000)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the draft briefing").click()
    saved = tmp_path / "briefing.json"
    download.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert [s["title"] for s in document["slides"]] == ["Jarinje up close", "The four municipalities"]
    # Where the map was at each click (Leaflet rounds to whole pixels), not where the page last loaded.
    assert [s["zoom"] for s in document["slides"]] == [13, 10]
    assert document["slides"][0]["center"] == pytest.approx([43.1381, 20.6203], abs=2e-3)
    assert document["slides"][1]["center"] == pytest.approx([42.95, 20.8], abs=2e-3)
    assert all({"notes", "highlight", "sources", "layers", "start", "end"} <= set(s) for s in document["slides"])

    page.goto(f"{app.url}/briefing")  # a new session: no draft
    page.locator("input[type=file]").wait_for(state="attached", timeout=60_000)
    page.locator("input[type=file]").set_input_files(str(saved))
    page.get_by_text(re.compile(r"Opened briefing\W*\.?json: 2 slides")).wait_for(timeout=60_000)
    page.locator("h2", has_text="Jarinje up close").wait_for(timeout=30_000)
    page.get_by_role("button", name="Next").click()
    page.locator("h2", has_text="The four municipalities").wait_for(timeout=30_000)
    assert offline_page.blocked == []


def test_map_picture_has_the_stated_size_and_is_not_blank() -> None:
    from PIL import Image, ImageStat

    from src.pictures import SIZES, map_png

    data = load_dataset(DEFAULT_DATA_DIR)
    view = View(center=(42.95, 20.8), zoom=10)
    html = standalone_html(build_map(data, view, data.incidents, caption=("Title", "Sub", "Stamp")))
    for size, pixels in (("a4", (3508, 2480)), ("screen", (1920, 1080))):
        with ThreadPoolExecutor(1) as pool:  # this thread already runs the tests' own Playwright
            png = pool.submit(map_png, html, SIZES[size]).result()
        picture = Image.open(io.BytesIO(png)).convert("RGB")
        assert picture.size == pixels
        assert len(picture.getcolors(maxcolors=1 << 20) or []) > 50  # map, legend, caption: many colours
        assert min(ImageStat.Stat(picture).stddev) > 10  # not one flat colour


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_printing_a_slide_gives_one_landscape_page_with_the_whole_map(app: App, offline_page: OfflinePage) -> None:
    page = offline_page.page
    page.goto(f"{app.url}/briefing?slide=6")
    _leaflet(offline_page)
    page.wait_for_timeout(500)
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    frame = offline_page.map_window()
    box = frame.evaluate("() => document.querySelector('.leaflet-container').getBoundingClientRect().bottom")
    for furniture in (".map-legend", ".leaflet-control-scale", ".leaflet-control-attribution", ".map-caption"):
        bottom = frame.evaluate(f"() => document.querySelector('{furniture}').getBoundingClientRect().bottom")
        assert 0 < bottom <= box + 1, furniture  # on the printed map, not cut off below it
    pdf = page.pdf(format="A4", landscape=True)
    assert _pages(pdf) == 1
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert width > height  # landscape
    assert offline_page.blocked == []


def test_deck_opens_from_disk_offline_and_the_arrows_step_it_even_from_the_map(browser: object, tmp_path: Path) -> None:
    from src.briefing import load_briefing
    from src.deck import deck_html

    data = load_dataset(DEFAULT_DATA_DIR)
    example = DEFAULT_DATA_DIR / "briefings" / "north-2021-2024.json"
    briefing, _ = load_briefing(example, set(data.incidents["id"]), set(data.sources))
    path = tmp_path / "deck.html"
    path.write_text(deck_html(data, briefing, "en"), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    requests = file_only(context)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("#slide-1.current [data-incidents-drawn]", state="attached", timeout=30_000)
    assert page.title().startswith(briefing.slides[0].title)
    assert page.locator("#slide-number").inner_text() == f"Slide 1 of {len(briefing.slides)}"
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#slide-2.current", state="attached", timeout=5_000)
    assert page.locator("#slide-2 .map-caption-title").inner_text() == briefing.slides[1].title
    page.locator("#slide-2 .leaflet-container").click(position={"x": 300, "y": 500})  # focus in the map
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#slide-3.current", state="attached", timeout=5_000)
    page.get_by_role("button", name="Notes").click()
    assert page.locator("#slide-3 .slide-notes").is_visible()
    assert requests == []
    context.close()


def test_arrow_keys_step_slides_after_a_click_in_the_map_and_escape_closes_a_popup(
    app: App, offline_page: OfflinePage
) -> None:
    page = offline_page.page
    page.goto(f"{app.url}/briefing")
    first = page.locator("h2").first
    first.wait_for(timeout=60_000)
    title = first.inner_text()
    _leaflet(offline_page)
    page.wait_for_timeout(500)
    frame = offline_page.map_window()
    page.locator(MAP_IFRAME).click(position={"x": 150, "y": 600})  # focus moves into the map's frame
    assert page.evaluate("() => document.activeElement.tagName") == "IFRAME"
    frame.evaluate(f"() => {{ var m = ({FIND_MAP})(); m.openPopup('A popup', m.getCenter()); }}")
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-popup').length") == 1
    page.keyboard.press("Escape")
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 0", timeout=5_000)
    page.keyboard.press("ArrowRight")  # the focus is still in the map's frame
    page.wait_for_function(f"document.querySelector('h2') && document.querySelector('h2').innerText !== {title!r}")
    assert "slide=2" in page.url
    assert offline_page.blocked == []
