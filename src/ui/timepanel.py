"""The Time page's pieces: the animated month map and the timeline whose selection sets the date filter."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from src.config import STATIC_DIR
from src.filters import filter_incidents
from src.timeviews import animated_map, month_range, span_from_selection, timeline
from src.ui.controls import set_dates
from src.ui.data import dataset
from src.view import View

TIMELINE_KEY = "timeline_chart"
FREQ_LABELS = {"M": "Month", "W": "Week"}

# Pauses a playing month map before a widget outside it reruns the page (see the script for why).
_playback_guard = st.components.v2.component(
    "playback_guard", js=(STATIC_DIR / "js" / "playback-guard.js").read_text(encoding="utf-8")
)


def _apply_selection() -> None:
    """Callback: a span selected on the timeline becomes the date filter (and so the URL)."""
    event: Any = st.session_state.get(TIMELINE_KEY)
    selection = getattr(event, "selection", None) or (event or {}).get("selection") or {}
    span = span_from_selection(dict(selection), st.session_state.get("w_freq", "M"))
    if span is not None:
        set_dates(span)


@st.cache_data(max_entries=16, show_spinner="Building the monthly frames…")
def _animated_figure(view: View, mode: str, window: int) -> go.Figure:
    """Built once per view and mode: the frames do not change on reruns that leave them alone."""
    data = dataset()
    incidents = filter_incidents(data.incidents, view)
    months = month_range(incidents, view.start, view.end)
    return animated_map(incidents, data.frame("municipalities"), months, mode, window, view.language)  # type: ignore[arg-type]


def animated(view: View, incidents: pd.DataFrame) -> None:
    left, right = st.columns([2, 1])
    mode = left.segmented_control(
        "Show",
        ["cumulative", "window"],
        format_func={"cumulative": "Everything up to the month", "window": "A sliding window"}.get,
        default="cumulative",
        key="w_mode",
        persist_state="session",
    )
    window = right.slider(
        "Window (months)", 1, 12, 3, key="w_window", disabled=mode != "window", persist_state="session"
    )
    if not month_range(incidents, view.start, view.end):
        st.info("No incidents match the filters, so there is nothing to animate.")
        return
    figure = _animated_figure(view, mode or "cumulative", window)
    # One chart per mode and window: a chart replaced in place under a running animation ends blank, so a
    # new key mounts a new chart; the guard pauses a playing one before any widget reruns the page.
    st.plotly_chart(figure, width="stretch", key=f"animated_map_{mode}_{window}", config={"displaylogo": False})
    _playback_guard(key="playback_guard")


def timeline_chart(view: View, incidents: pd.DataFrame) -> None:
    freq = (
        st.segmented_control(
            "Bars per",
            list(FREQ_LABELS),
            format_func=FREQ_LABELS.get,
            default="M",
            key="w_freq",
            persist_state="session",
        )
        or "M"
    )
    months = month_range(incidents, view.start, view.end)
    st.plotly_chart(
        timeline(incidents, months, freq),
        width="stretch",
        key=TIMELINE_KEY,
        on_select=_apply_selection,
        selection_mode=("box", "points"),
        config={"displaylogo": False},
    )
    st.caption("Drag across the timeline (or pick bars) to narrow the dates: the map below and the counts follow.")
