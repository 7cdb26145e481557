"""The view's one definition: every form (URL, widgets, slide) round-trips, and a link is read leniently."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from src.layers import by_name, default_layers
from src.text import LANGUAGES
from src.view import (
    FIELDS,
    WIDGET,
    Limits,
    View,
    from_query,
    from_slide,
    from_widgets,
    to_query,
    to_slide,
    to_widgets,
)
from src.vocabulary import CATEGORIES, PRECISIONS

MUNICIPALITIES = ("leposavic", "north-mitrovica", "zubin-potok", "zvecan")
LIMITS = Limits(frozenset(MUNICIPALITIES), dt.date(2021, 9, 1), dt.date(2026, 3, 1))
BOUNDS = (LIMITS.first_day, LIMITS.last_day)


def subsets(values) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(sorted(values)), unique=True, max_size=4).map(tuple)


days = st.dates(min_value=dt.date(2021, 9, 2), max_value=dt.date(2026, 2, 28))


@st.composite
def views(draw: st.DrawFn) -> View:
    start, end = sorted(
        [draw(st.one_of(st.none(), days)), draw(st.one_of(st.none(), days))], key=lambda d: d or dt.date.min
    )
    return View(
        language=draw(st.sampled_from(list(LANGUAGES))),
        layers=draw(st.one_of(st.just(default_layers()), subsets(by_name()))),
        start=start,
        end=end,
        categories=draw(subsets(CATEGORIES)),
        municipalities=draw(subsets(MUNICIPALITIES)),
        precisions=draw(subsets(PRECISIONS)),
        query=" ".join(draw(st.lists(st.text("abcčćđšžабв1<>[]()!", min_size=1, max_size=6), max_size=3))),
        center=(draw(st.floats(41.5, 43.5)), draw(st.floats(19.5, 22.0))),
        zoom=draw(st.integers(7, 18)),
    )


def rounded(view: View) -> View:
    """What a URL can hold: the centre to five decimals."""
    from dataclasses import replace

    return replace(view, center=(round(view.center[0], 5), round(view.center[1], 5)))


@settings(max_examples=200, deadline=None)
@given(views())
def test_view_to_url_to_view_is_the_same_view(view: View) -> None:
    back = from_query(to_query(view), LIMITS)
    assert back == rounded(view) and back.notices == ()


@settings(max_examples=200, deadline=None)
@given(views())
def test_view_to_slide_to_view_is_the_same_view_but_language(view: View) -> None:
    assert from_slide(to_slide(rounded(view)), LIMITS, language=view.language) == rounded(view)


@settings(max_examples=100, deadline=None)
@given(views())
def test_view_to_widgets_to_view_keeps_what_the_widgets_hold(view: View) -> None:
    assert from_widgets(to_widgets(view, BOUNDS), BOUNDS, base=view) == view


def test_every_field_but_tiles_is_in_the_url_and_every_widget_is_distinct() -> None:
    assert {f.attr for f in FIELDS if f.param} == {f.attr for f in FIELDS} - {"tiles"}
    assert len(set(WIDGET.values())) == len(WIDGET)


def test_old_links_open_their_view() -> None:
    view = from_query(
        {"cat": "riot,barricade", "muni": "zvecan", "center": "42.90000,20.80000", "zoom": "12", "start": "2023-01-01"},
        LIMITS,
    )
    assert view.categories == ("riot", "barricade") and view.municipalities == ("zvecan",)
    assert view.center == (42.9, 20.8) and view.zoom == 12 and view.start == dt.date(2023, 1, 1)


def test_unknown_values_are_dropped_with_a_notice_and_known_ones_kept() -> None:
    view = from_query({"cat": "riot,nope", "zoom": "99", "lang": "xx", "center": "north"}, LIMITS)
    assert view.categories == ("riot",) and view.zoom == View().zoom and view.language == "en"
    assert view.center == View().center
    assert len(view.notices) == 4


def test_dates_outside_the_data_are_clamped_with_a_notice() -> None:
    view = from_query({"start": "1999-01-01", "end": "2200-01-01"}, LIMITS)
    assert view.start is None and view.end is None  # outside what the widget accepts: dropped
    view = from_query({"start": "2001-01-01", "end": "2099-01-01"}, LIMITS)
    assert (view.start, view.end) == BOUNDS and len(view.notices) == 2


def test_a_reversed_range_is_swapped_with_a_notice() -> None:
    view = from_query({"start": "2024-01-01", "end": "2023-01-01"}, LIMITS)
    assert (view.start, view.end) == (dt.date(2023, 1, 1), dt.date(2024, 1, 1)) and view.notices


def test_a_link_cannot_switch_online_tiles_on() -> None:
    view = from_query({"tiles": "osm"}, LIMITS)
    assert view.tiles is False and view.notices


def test_a_long_query_is_capped() -> None:
    assert len(from_query({"q": "x" * 5000}, LIMITS).query) == 200
