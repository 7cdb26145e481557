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
import threading
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any

import folium
import streamlit as st
import streamlit.components.v1 as components
import streamlit_folium

from src.config import STATIC_DIR
from src.dataset import Dataset
from src.drawing.incidents import filter_of
from src.mapview import build_map
from src.ui import session_scope
from src.ui.controls import set_dates
from src.ui.data import incidents_in_sql, uploaded
from src.ui.published import published_json
from src.upload import Upload
from src.view import View

MAP_HEIGHT = 640
PLAYBACK_FPS = 10
_bridge = components.declare_component("incident_bridge", path=str(STATIC_DIR / "components" / "incident_bridge"))
_CAPTURE = threading.Lock()


def _component_args(fmap: folium.Map, height: int, key: str) -> dict[str, Any]:
    """What st_folium would send the browser for this map, worked out without showing it.

    st_folium renders the map again on every call, and a map rendered twice gives a different script, which
    makes Streamlit create a new iframe. So the map is rendered once, its component arguments kept, and
    the same arguments sent on every rerun: Streamlit then re-sends nothing (its message cache) and the map
    stays mounted. Every map of the app goes through here, under one lock, because the capture briefly
    swaps st_folium's component function (streamlit-folium 0.27.4, pinned)."""
    captured: dict[str, Any] = {}
    with _CAPTURE:
        real = streamlit_folium._component_func
        streamlit_folium._component_func = lambda **kwargs: captured.update(kwargs)
        try:
            streamlit_folium.st_folium(fmap, height=height, use_container_width=True, returned_objects=[], key=key)
        finally:
            streamlit_folium._component_func = real
    captured.pop("on_change", None)
    return captured


@st.cache_resource(max_entries=32, show_spinner=False)
def _shared_args(token: Hashable, _build: Callable[[], folium.Map], height: int, key: str) -> dict[str, Any]:
    """Component arguments shared by every session showing the same map (the default view's, above all)."""
    return _component_args(_build(), height, key)


def _session_args(token: Hashable, build: Callable[[], folium.Map], height: int, key: str) -> dict[str, Any]:
    """Component arguments kept for this session only (a map with the session's upload): never shared, and
    freed with the session."""
    state_key = f"_map_args_{key}"
    kept = session_scope.kept(state_key)
    if kept is None or kept[0] != token:
        kept = (token, _component_args(build(), height, key))
        session_scope.keep(state_key, kept)
    return kept[1]


def show_map(
    build: Callable[[], folium.Map], height: int, key: str, token: Hashable | None = None, private: bool = False
) -> None:
    """Shows a map built by `build`. With a `token` (everything the map depends on), it is built once and
    re-sent unchanged on reruns: once for all sessions, or once for this session when the map is `private`
    (it shows an upload); without a token it is built for this run."""
    if token is None:
        args = _component_args(build(), height, key)
    elif private:
        args = _session_args(token, build, height, key)
    else:
        args = _shared_args(token, build, height, key)
    streamlit_folium._component_func(**args)


def origin_view(view: View, origin: tuple[tuple[float, float], int]) -> View:
    """What the map's own script depends on: language, layers and where it first opened (not the filters)."""
    return replace(View(), language=view.language, layers=view.layers, center=origin[0], zoom=origin[1])


def live_map(
    dataset: Dataset, view: View, key: str = "map", height: int = MAP_HEIGHT, with_upload: bool = False
) -> None:
    """The map of every incident, with the view's filter applied in the browser, and date playback."""
    # The filter is sent before the map, though it shows under it: on a rerun the map's arguments (unchanged,
    # but megabytes to serialise and hash again) no longer delay the new filter on its way to the browser.
    map_slot, filter_slot = st.container(), st.container()
    with filter_slot:
        send_filter(dataset, view, key, with_upload)
    with map_slot:
        show_live_map(dataset, view, key, height, with_upload)


def show_live_map(
    dataset: Dataset, view: View, key: str = "map", height: int = MAP_HEIGHT, with_upload: bool = False
) -> None:
    """The map itself, built once per language, layers and the position it first opened at (not per filter):
    `send_filter` tells it what to draw."""
    origin = st.session_state.setdefault(f"_origin_{key}", (view.center, view.zoom))
    upload = shown_upload(with_upload)
    map_view = origin_view(view, origin)
    in_sql = incidents_in_sql()  # too many to send to the browser: drawn per view from SQL instead
    if in_sql:
        from src.ui import store_map  # local: it builds on this module

        build = store_map.map_of_store(dataset, map_view, key, upload)
    else:

        def build() -> folium.Map:
            return build_map(
                dataset,
                map_view,
                dataset.incidents,
                uploaded=upload.frame if upload else None,
                uploaded_sources=upload.sources if upload else None,
                key=key,
                publish_texts=published_json,
            )

    token = (dataset.serial, map_view, height, key, upload.serial if upload else None, in_sql)
    show_map(build, height, key, token, private=upload is not None)


def send_filter(dataset: Dataset, view: View, key: str = "map", with_upload: bool = False) -> None:
    """The view's filter to the live map's incident layer (and the upload's), through the bridge: the map is
    not rebuilt."""
    if incidents_in_sql():
        from src.ui import store_map

        return store_map.send_store_view(dataset, view, key, with_upload)
    upload = shown_upload(with_upload)
    filters = {f"{key}:incidents": filter_of(dataset.incidents, view)}
    if upload:
        filters[f"{key}:uploaded"] = filter_of(upload.frame, view)
    _bridge(
        filters=filters,
        play_key=f"{key}:incidents",
        fps=PLAYBACK_FPS,
        key=f"{key}_bridge",
        default=None,
        on_change=lambda: _kept_dates(f"{key}_bridge"),
    )


def shown_upload(with_upload: bool) -> Upload | None:
    """The session's upload when the map shows it and it has rows."""
    upload = uploaded() if with_upload else None
    return upload if upload is not None and not upload.frame.empty else None


def _kept_dates(widget_key: str) -> None:
    """Callback: playback stopped on a window; the sidebar's dates (and so the URL) take it."""
    value: Any = st.session_state.get(widget_key)
    if isinstance(value, dict) and value.get("start") and value.get("end"):
        set_dates((dt.date.fromisoformat(value["start"]), dt.date.fromisoformat(value["end"])))
