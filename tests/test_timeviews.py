"""The time figures: frames are the filtered months, totals add up, selections become date spans."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.timeviews import (
    animated_map,
    frame_counts,
    month_range,
    months_between,
    span_from_selection,
    timeline,
    timeline_total,
)
from src.view import View

DATA = load_dataset(DEFAULT_DATA_DIR)


def test_months_between_includes_both_ends() -> None:
    assert [str(m) for m in months_between(dt.date(2022, 11, 15), dt.date(2023, 2, 1))] == [
        "2022-11",
        "2022-12",
        "2023-01",
        "2023-02",
    ]


def test_cumulative_frames_grow_and_window_frames_do_not_accumulate() -> None:
    incidents = DATA.incidents
    months = month_range(incidents, None, None)
    cumulative = frame_counts(incidents, months, "cumulative", 3)[0].sum(axis=1)
    assert list(cumulative) == sorted(cumulative) and cumulative[-1] == len(incidents)
    window = frame_counts(incidents, months, "window", 1)[0].sum(axis=1)
    per_month = incidents["date"].dt.to_period("M").value_counts()
    # A one-month window holds that month's incidents plus lasting ones still running then.
    assert all(w >= per_month.get(m, 0) for w, m in zip(window, months, strict=True))
    lasting = incidents.dropna(subset=["end_date"])
    assert (
        window.sum()
        == sum(
            (e.to_period("M") - d.to_period("M")).n + 1
            for d, e in zip(incidents["date"], incidents["end_date"].fillna(incidents["date"]), strict=True)
        )
        > len(incidents) - len(lasting)
    )


def test_animated_map_has_one_frame_per_month_and_no_network_style() -> None:
    view = View(start=dt.date(2022, 7, 1), end=dt.date(2023, 6, 30))
    incidents = filter_incidents(DATA.incidents, view)
    months = month_range(incidents, view.start, view.end)
    figure = animated_map(incidents, DATA.frame("municipalities"), months)
    assert [f.name for f in figure.frames] == [str(m) for m in months] and len(months) == 12
    assert [s.label for s in figure.layout.sliders[0].steps] == [str(m) for m in months]
    assert figure.layout.map.style == "white-bg"
    assert figure.layout.uirevision
    last = figure.frames[-1].data
    assert sum(sum(t.customdata[i][0] for i in range(len(t.lat))) for t in last) == len(incidents)


def test_timeline_bars_total_the_filtered_incidents() -> None:
    incidents = filter_incidents(DATA.incidents, View(municipalities=("zvecan", "leposavic")))
    figure = timeline(incidents, month_range(incidents, None, None), "W")
    assert timeline_total(figure) == len(incidents)
    lasting = incidents["end_date"].notna().sum()
    assert len([t for t in figure.data if t.type == "scatter"]) == lasting


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"box": [{"x": ["2022-12-03 10:00", "2023-01-20"]}]}, (dt.date(2022, 12, 3), dt.date(2023, 1, 20))),
        ({"points": [{"x": "2023-05-01"}, {"x": "2023-03-01"}]}, (dt.date(2023, 3, 1), dt.date(2023, 5, 31))),
        ({"points": []}, None),
        ({"box": [{"x": ["not a date"]}]}, None),
    ],
)
def test_span_from_selection(selection: dict, expected: tuple | None) -> None:
    assert span_from_selection(selection, "M") == expected


def test_empty_filter_gives_no_months() -> None:
    assert month_range(DATA.incidents.iloc[:0], None, None) == []
    assert isinstance(timeline(DATA.incidents.iloc[:0], [], "M").data, tuple)
    assert pd.Series(dtype=int).sum() == 0
