"""The one sidebar every page shares: filters, language and layers, kept in the URL.

The URL is read when a session starts (opening a link, reloading); from then on the widgets hold the state
and every change is written back to the URL, so a copied link reopens the same view. Centre and zoom are
written into the URL by the map itself (see src/mapview.py), without a rerun, and read back on the next run.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from src.config import STATIC_DIR
from src.dataset import Dataset
from src.layers import by_name
from src.text import LANGUAGES, md_escape, name_in
from src.ui.data import sql_date_bounds
from src.view import (
    DATE_LIMITS,
    DATES_WIDGET,
    WIDGET,
    WIDGET_KEYS,
    Limits,
    View,
    from_query,
    from_widgets,
    ordered_dates,
    to_query,
    to_widgets,
)
from src.vocabulary import CATEGORIES, PRECISION_LABELS, PRECISIONS

VIEW_KEY = "_view"
NOTICES_KEY = "_url_notices"
PAGE_KEY = "_page"
DATE_KEYS_KEY = "_date_keys"
DATES_NOTICE_KEY = "_dates_notice"
# Query parameters that belong to one page (not to the shared view) and survive view updates.
PAGE_PARAMS = ("incident", "slide", "briefing")


def _set_widgets(view: View, date_bounds: tuple[dt.date, dt.date]) -> None:
    for key, value in to_widgets(view, date_bounds).items():
        st.session_state[key] = value


def set_dates(span: tuple[dt.date, dt.date]) -> None:
    """Sets the shared date range (from another widget's callback, e.g. a timeline selection)."""
    st.session_state[DATES_WIDGET] = span


def limits(dataset: Dataset) -> Limits:
    """What a link's values may be for this dataset: its municipalities and the dates it covers."""
    first, last = date_bounds(dataset)
    return Limits(frozenset(dataset.municipality_ids()), first, last)


def _current_page() -> str:
    context = get_script_run_ctx()
    return context.page_script_hash if context is not None else ""


def current_language(dataset: Dataset) -> str:
    """The session's name language (or the link's, on a page opened directly), for pages with no sidebar."""
    if VIEW_KEY in st.session_state:
        return st.session_state[VIEW_KEY].language
    return from_query({k: st.query_params[k] for k in st.query_params}, limits(dataset)).language


def date_bounds(dataset: Dataset) -> tuple[dt.date, dt.date]:
    """The first and last day any incident covers (today's year when there are none)."""
    incidents = dataset.incidents
    if incidents.empty and (in_sql := sql_date_bounds()) is not None:
        return in_sql
    if incidents.empty:
        today = dt.date.today()
        return dt.date(today.year, 1, 1), today
    last = incidents["end_date"].fillna(incidents["date"]).max()
    return incidents["date"].min().date(), max(last, incidents["date"].max()).date()


_date_keys = st.components.v2.component(
    "date_keys", js=(STATIC_DIR / "js" / "date-keys.js").read_text(encoding="utf-8")
)


def _note_reversed() -> None:
    """Callback: the dates were typed end before start; the widget puts them in order, and this says so."""
    typed = st.session_state[DATE_KEYS_KEY].reversed or {}
    try:
        start, end = dt.date.fromisoformat(typed["start"]), dt.date.fromisoformat(typed["end"])
    except (KeyError, TypeError, ValueError):
        return
    start, end, notice = ordered_dates(start, end)
    if notice:
        st.session_state[DATES_WIDGET] = (start, end)
        st.session_state[DATES_NOTICE_KEY] = ((start, end), notice)


def _dates_widget() -> None:
    """The date range; typed dates apply on Enter and Tab, and a reversed range is named while it is shown
    (static/js/date-keys.js: Streamlit applies typed dates only on blur, and swaps a reversed range silently)."""
    st.date_input(
        "Dates",
        min_value=DATE_LIMITS[0],
        max_value=DATE_LIMITS[1],
        key=DATES_WIDGET,
        persist_state="session",
    )
    shown, notice = st.session_state.get(DATES_NOTICE_KEY, (None, None))
    if notice and tuple(st.session_state[DATES_WIDGET]) == shown:
        st.info(md_escape(notice), icon="↔️")
    else:
        st.session_state.pop(DATES_NOTICE_KEY, None)


def view_controls(dataset: Dataset) -> View:
    """Draws the shared sidebar and returns the current view; keeps the URL in step with it."""
    bounds = date_bounds(dataset)
    url_params = {k: st.query_params[k] for k in st.query_params}
    url_view = from_query(url_params, limits(dataset))
    page = _current_page()
    if VIEW_KEY not in st.session_state:
        _set_widgets(url_view, bounds)
        st.session_state[NOTICES_KEY] = list(url_view.notices)
    elif st.session_state.get(PAGE_KEY) != page or any(k not in st.session_state for k in WIDGET_KEYS):
        # A new page builds new widgets: they start from the session's view, not from their defaults.
        _set_widgets(st.session_state[VIEW_KEY], bounds)
    st.session_state[PAGE_KEY] = page

    municipalities = dataset.frame("municipalities")
    muni_names = {r["id"]: name_in(r, st.session_state[WIDGET["language"]]) for r in municipalities.to_dict("records")}
    north = set(municipalities.loc[municipalities["north"], "id"])
    north_first = sorted(muni_names, key=lambda m: (m not in north, muni_names[m]))

    with st.sidebar:
        st.selectbox("Names in", list(LANGUAGES), format_func=LANGUAGES.get, key=WIDGET["language"])
        st.text_input(
            "Search",
            key=WIDGET["query"],
            placeholder="place, title… (any spelling)",
            help="Matches titles, descriptions and place names in Albanian, Serbian (Latin or Cyrillic) "
            "and English, with or without diacritics.",
        )
        _dates_widget()
        st.multiselect(
            "Categories",
            list(CATEGORIES),
            format_func=lambda c: CATEGORIES[c][0],
            key=WIDGET["categories"],
            placeholder="All categories",
        )
        st.multiselect(
            "Municipalities",
            north_first,
            format_func=muni_names.get,
            key=WIDGET["municipalities"],
            placeholder="All municipalities",
        )
        st.multiselect(
            "Location precision",
            list(PRECISIONS),
            format_func=PRECISION_LABELS.get,
            key=WIDGET["precisions"],
            placeholder="Any precision",
        )
        with st.expander("Layers"):
            st.multiselect(
                "Visible layers",
                list(by_name()),
                format_func=lambda n: by_name()[n].label,
                key=WIDGET["layers"],
                persist_state="session",
            )
            st.toggle("OpenStreetMap tiles (needs internet)", key=WIDGET["tiles"])
        _date_keys(key=DATE_KEYS_KEY, on_reversed_change=_note_reversed)  # last: its empty element adds a gap

    view = from_widgets(st.session_state, bounds, url_view)
    st.session_state[VIEW_KEY] = view
    wanted = to_query(view) | {k: url_params[k] for k in PAGE_PARAMS if k in url_params}
    if wanted != url_params:
        st.query_params.from_dict(wanted)
    return view
