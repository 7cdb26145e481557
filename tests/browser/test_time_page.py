"""The Time page as a browser draws it: the timeline's legend clear of its title, every lasting event's row
labelled, the month slider's labels whole at both ends, and the animated map still drawn when the mode is
switched while it plays, or paused."""

from __future__ import annotations

import time

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from tests.browser.conftest import App, OfflinePage

DATA = load_dataset(DEFAULT_DATA_DIR)
POINTS = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  if (!plot || !plot.data) return -1;
  return plot.data.reduce((sum, trace) => sum + (trace.lat ? trace.lat.length : 0), 0);
}"""
BOX = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def open_time_page(app: App, offline_page: OfflinePage) -> object:
    page = offline_page.page
    page.goto(f"{app.url}/time")
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas", timeout=60_000)
    page.wait_for_function(f"({POINTS})() > 0", timeout=30_000)
    page.locator(".js-plotly-plot").nth(1).locator(".legend").wait_for(timeout=30_000)
    return page


def test_timeline_legend_clear_of_the_chart_title(app: App, offline_page: OfflinePage) -> None:
    """Issue 15: the legend, two lines above the chart, covered "Incidents per month"."""
    page = open_time_page(app, offline_page)
    timeline = page.locator(".js-plotly-plot").nth(1)
    legend = timeline.locator(".legend").evaluate(BOX)
    titles = [t.evaluate(BOX) for t in timeline.locator(".annotation-text").all()]
    assert len(titles) == 2
    assert not any(overlap(legend, title) for title in titles), (legend, titles)


def test_lasting_event_rows_are_labelled(app: App, offline_page: OfflinePage) -> None:
    """Issue 15: with more than 12 lasting events their rows had no labels."""
    page = open_time_page(app, offline_page)
    labels = (
        page.locator(".js-plotly-plot").nth(1).locator(".y2tick text").evaluate_all("ts => ts.map(t => t.textContent)")
    )
    lasting = DATA.incidents.dropna(subset=["end_date"])
    assert len(lasting) > 12
    assert len(labels) == len(lasting) and all(labels)
    assert len(set(labels)) == len(labels)


def test_slider_labels_whole_at_both_ends(app: App, offline_page: OfflinePage) -> None:
    """Issue 15: the month slider's first and last labels were cut by the chart's edges."""
    page = open_time_page(app, offline_page)
    plot = page.locator(".js-plotly-plot").first
    edge = plot.evaluate(BOX)
    labels = [label.evaluate(BOX) for label in plot.locator(".slider-label").all() if label.text_content()]
    assert labels
    assert all(edge[0] <= box[0] and box[2] <= edge[2] for box in labels), (edge, labels[0], labels[-1])


QUEUED_FRAMES = "() => (document.querySelector('.js-plotly-plot')._transitionData._frameQueue || []).length"


def test_pausing_the_month_map_raises_no_error(app: App, offline_page: OfflinePage) -> None:
    """Plotly rejects an interrupted animation's promise and Streamlit's chart did not catch it: every Pause
    was an uncaught error."""
    errors: list[str] = []
    offline_page.page.on("pageerror", lambda error: errors.append(str(error)))
    page = open_time_page(app, offline_page)
    page.get_by_text("▶ Play").first.click()
    page.wait_for_function(f"({QUEUED_FRAMES})() > 0", timeout=10_000)
    page.get_by_text("❚❚ Pause").first.click()
    page.wait_for_function(f"({QUEUED_FRAMES})() === 0", timeout=10_000)
    time.sleep(1.0)
    assert errors == []


def test_a_widget_pauses_a_playing_map_before_it_reruns_the_page(app: App, offline_page: OfflinePage) -> None:
    """The map is paused as the pointer goes down on the mode control, before the click reruns the page and
    replaces the chart under a running animation."""
    page = open_time_page(app, offline_page)
    page.get_by_text("▶ Play").first.click()
    page.wait_for_function(f"({QUEUED_FRAMES})() > 0", timeout=10_000)
    box = page.get_by_text("A sliding window").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    assert page.evaluate(QUEUED_FRAMES) == 0
    page.mouse.up()


def test_switching_the_mode_after_play_keeps_the_map(app: App, offline_page: OfflinePage) -> None:
    """Issue 15: switching to the sliding window while playing raised an uncaught error (Plotly drawing a frame
    into the chart Streamlit had just replaced) in about one try in six. Switched while playing, at several
    moments of a frame, back and forth."""
    errors: list[str] = []
    offline_page.page.on("pageerror", lambda error: errors.append(str(error)))
    page = open_time_page(app, offline_page)
    for number, delay in enumerate((1.0, 0.3, 1.6, 0.7, 1.2, 0.45)):
        page.get_by_text("▶ Play").first.click()
        time.sleep(delay)
        page.get_by_text("A sliding window" if number % 2 == 0 else "Everything up to the month").first.click()
        page.wait_for_function(f"({POINTS})() > 0", timeout=30_000)
        time.sleep(1.0)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator(".js-plotly-plot").first.locator(".maplibregl-canvas").count() == 1
    assert errors == []
    assert offline_page.blocked == []
