"""The Map page's filters as a fragment: a filter change reruns the sidebar, the match count and the map's
filter, not the whole page.

On a full rerun Streamlit sends every element of the page again and the browser renders them all again;
on the Map page that rendering, not the server, was most of a filter change's time (Chromium spent 0.4-1.2
CPU-seconds on one change at 100,000 incidents, the server 0.08). So the sidebar, the count and the
filter the map's bridge carries run as one `st.fragment`, written into places the page laid out: the
title, the map and the rest of the page are not sent again. The count and the map's filter still come from
the same view in the same run, so they agree.

A change that more of the page depends on reruns the whole page from the fragment: the language or the
layers (the map is built with them), the online tiles, and any filter while `rest_follows_filters()` says
another part of the page shows the filtered incidents (the add-a-slide panel while it is open).

A filter change sent to a server that never ran the page (a browser moved to another replica, or a restarted
server) runs the whole page: src/ui/fragment_reruns.py.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from src.dataset import Dataset
from src.ui import mapbridge, panels
from src.ui.controls import view_controls
from src.ui.data import matching_count
from src.ui.fragment_reruns import rerun_unknown_fragments
from src.view import View


def _page_depends_on(view: View, follows_filters: bool) -> Hashable:
    """What of the view the page outside the fragment shows: the map's build, and the filters when asked."""
    return (view.language, view.layers, view.tiles, view if follows_filters else None)


def _fragment_rerun() -> bool:
    """Whether this run is a fragment's own rerun (not the full run that also runs the fragment)."""
    context = get_script_run_ctx()
    return bool(context is not None and context.fragment_ids_this_run)


def filtered_map(
    dataset: Dataset,
    key: str = "map",
    height: int = mapbridge.MAP_HEIGHT,
    rest_follows_filters: Callable[[], bool] = lambda: False,
) -> View:
    """The shared sidebar, what a link's ignored values were, the match count and the live map with the
    session's upload; returns the view. A filter change reruns only the sidebar, the count and the map's
    filter."""
    rerun_unknown_fragments()  # in case the server was started without src/serve.py
    notice_slot, count_slot, map_slot, filter_slot = st.container(), st.container(), st.container(), st.container()
    state_key = f"_page_view_{key}"

    @st.fragment
    def filters() -> View:
        view = view_controls(dataset)
        depends = _page_depends_on(view, rest_follows_filters())
        if _fragment_rerun() and st.session_state.get(state_key) != depends:
            st.rerun(scope="app")
        st.session_state[state_key] = depends
        with notice_slot:
            panels.link_notices()  # set by view_controls when it reads a link
        with count_slot:
            panels.match_count(matching_count(view), dataset)
        with filter_slot:
            mapbridge.send_filter(dataset, view, key, with_upload=True)
        return view

    view = filters()
    with map_slot:
        mapbridge.show_live_map(dataset, view, key, height, with_upload=True)
    return view
