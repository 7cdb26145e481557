"""The animated map in a real browser with no network: moving the slider and playing change what is drawn."""

from __future__ import annotations

from tests.browser.conftest import App, OfflinePage

POINTS = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  if (!plot || !plot.data) return -1;
  return plot.data.reduce((sum, trace) => sum + (trace.lat ? trace.lat.length : 0), 0);
}"""


def test_slider_and_play_change_the_drawn_points(app: App, offline_page: OfflinePage) -> None:
    page = offline_page.page
    page.goto(f"{app.url}/time?start=2021-09-01&end=2023-12-31")
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas", timeout=60_000)
    page.wait_for_function(f"({POINTS})() > 0", timeout=30_000)
    last_month = page.evaluate(POINTS)

    rail = page.locator(".js-plotly-plot").first.locator(".slider-rail-rect")
    box = rail.bounding_box()
    page.mouse.click(box["x"] + 2, box["y"] + box["height"] / 2)  # the first month
    page.wait_for_function(f"({POINTS})() < {last_month}", timeout=15_000)
    first_month = page.evaluate(POINTS)
    assert 0 <= first_month < last_month

    page.get_by_text("▶ Play").first.click()
    page.wait_for_function(f"({POINTS})() > {first_month}", timeout=30_000)
    assert offline_page.blocked == []
