"""The live map: built once per session and view origin, then filtered in the browser.

st_folium re-creates its iframe whenever the map's script changes, so the map holds every incident of the
session and never depends on the filters; it is rebuilt only when the language, the visible layers or the
upload change. A filter change sends only a bitset of the matching incidents and the date window to the
incident layer (through a small component, static/components/incident_bridge), so the map stays mounted,
keeps its position and does not flicker. The counts, table and downloads use the same `filter_incidents`,
so they agree with the map. The component also plays the dates in the browser and, when playback stops,
hands the dates it shows back to the sidebar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from src.config import STATIC_DIR
from src.dataset import Dataset
from src.drawing.incidents import filter_of
from src.mapview import build_map
from src.ui.controls import set_dates
from src.ui.data import uploaded
from src.view import View

MAP_HEIGHT = 640
PLAYBACK_FPS = 10
_bridge = components.declare_component("incident_bridge", path=str(STATIC_DIR / "components" / "incident_bridge"))


def _map_view(view: View, origin: tuple[tuple[float, float], int]) -> View:
    """What the map's own script depends on: language, layers and where it first opened (not the filters)."""
    return replace(View(), language=view.language, layers=view.layers, center=origin[0], zoom=origin[1])


def live_map(
    dataset: Dataset, view: View, key: str = "map", height: int = MAP_HEIGHT, with_upload: bool = False
) -> None:
    """The map of every incident, with the view's filter applied in the browser, and date playback."""
    origin_key = f"_origin_{key}"
    origin = st.session_state.setdefault(origin_key, (view.center, view.zoom))
    upload = uploaded() if with_upload else None
    map_view = _map_view(view, origin)
    token = (map_view, id(upload) if upload is not None else None)
    cache_key = f"_map_{key}"
    cached = st.session_state.get(cache_key)
    if cached is None or cached[0] != token:
        fmap = build_map(
            dataset,
            map_view,
            dataset.incidents,
            uploaded=upload.frame if upload is not None and not upload.frame.empty else None,
            uploaded_sources=upload.sources if upload is not None else None,
            key=key,
        )
        st.session_state[cache_key] = cached = (token, fmap)
    st_folium(cached[1], height=height, use_container_width=True, returned_objects=[], key=key)
    filters = {f"{key}:incidents": filter_of(dataset.incidents, view)}
    if upload is not None and not upload.frame.empty:
        filters[f"{key}:uploaded"] = filter_of(upload.frame, view)
    _bridge(
        filters=filters,
        play_key=f"{key}:incidents",
        fps=PLAYBACK_FPS,
        key=f"{key}_bridge",
        default=None,
        on_change=_kept_dates,
        args=(f"{key}_bridge",),
    )


def _kept_dates(widget_key: str) -> None:
    """Callback: playback stopped on a window; the sidebar's dates (and so the URL) take it."""
    value: Any = st.session_state.get(widget_key)
    if isinstance(value, dict) and value.get("start") and value.get("end"):
        set_dates((dt.date.fromisoformat(value["start"]), dt.date.fromisoformat(value["end"])))
