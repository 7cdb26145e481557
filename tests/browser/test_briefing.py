"""Briefing in a real browser: the arrow keys change the view, and the standalone export draws offline."""

from __future__ import annotations

from pathlib import Path

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.mapview import build_map
from src.standalone import standalone_html
from src.view import View
from tests.browser.conftest import App, OfflinePage


def test_arrow_keys_change_the_view(app: App, offline_page: OfflinePage) -> None:
    page = offline_page.page
    page.goto(f"{app.url}/briefing")
    heading = page.locator("h2").first
    heading.wait_for(timeout=60_000)
    first = heading.inner_text()
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
    requests: list[str] = []

    def block(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("data:", "file:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            requests.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", block)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector(f'[data-incidents-drawn="{len(incidents)}"]', state="attached", timeout=30_000)
    assert page.locator('.leaflet-overlay-pane path[stroke="#1b3a5c"]').count() == 4
    assert page.locator(".map-caption-title").inner_text() == "Title"
    assert requests == []
    context.close()
