"""AppTest of the Time page: the slider's frames are the filtered months, the timeline totals the count."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import plotly.io as pio
from streamlit.testing.v1 import AppTest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.timeviews import months_between, timeline_total
from src.view import View
from tests.conftest import open_app

DATA = load_dataset(DEFAULT_DATA_DIR)


def time_page(**params: str) -> AppTest:
    """Opened on the map page and then switched, so the view must survive the page change."""
    return open_app(**params).switch_page("pages/time.py").run()


def figures(at: AppTest) -> list[go.Figure]:
    return [pio.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_slider_frames_are_the_months_of_the_filtered_range() -> None:
    at = time_page(start="2022-11-01", end="2023-05-31", muni="zvecan,north-mitrovica")
    assert not at.exception
    animated, _ = figures(at)
    expected = [str(m) for m in months_between(dt.date(2022, 11, 1), dt.date(2023, 5, 31))]
    assert [frame.name for frame in animated.frames] == expected
    assert [step.label for step in animated.layout.sliders[0].steps] == expected


def test_timeline_totals_equal_the_filtered_incidents() -> None:
    at = time_page(cat="protest,riot,barricade")
    _, timeline = figures(at)
    bars = timeline_total(timeline)
    expected = filter_incidents(DATA.incidents, View(categories=("protest", "riot", "barricade")))
    assert bars == len(expected) > 0
    assert any(f"**{len(expected)}** of" in m.value for m in at.markdown)


def test_sliding_window_keeps_the_months_and_shows_fewer_points() -> None:
    at = time_page(start="2023-01-01", end="2023-12-31")
    cumulative, _ = figures(at)
    at.button_group(key="w_mode").set_value("window").run()
    at.slider(key="w_window").set_value(1).run()
    window, _ = figures(at)
    assert [f.name for f in window.frames] == [f.name for f in cumulative.frames] and len(window.frames) == 12

    def markers(figure: go.Figure) -> int:
        return sum(sum(point[0] for point in trace.customdata or []) for frame in figure.frames for trace in frame.data)

    assert markers(window) < markers(cumulative)
