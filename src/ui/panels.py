"""Pieces several pages show: the data-health notice, the match count, the map and the attributions."""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st

from src.dataset import Dataset
from src.mapview import build_map
from src.text import md_escape
from src.ui.controls import NOTICES_KEY
from src.ui.mapbridge import show_map
from src.view import View

MAP_HEIGHT = 640


def link_notices() -> None:
    """Says which values of the opened link were ignored (shown for the run that read the link)."""
    for notice in st.session_state.pop(NOTICES_KEY, []):
        st.info(md_escape(notice), icon="🔗")


def data_health(dataset: Dataset) -> None:
    """A visible notice when any input file had problems, listing each; valid data still shows."""
    if not dataset.problems:
        return
    files = sorted({md_escape(p.file) for p in dataset.problems})
    st.warning(f"{len(dataset.problems)} data problem(s) in {', '.join(files)}; everything valid is shown.", icon="⚠️")
    with st.expander("Data problems"):
        st.dataframe(
            pd.DataFrame([vars(p) for p in dataset.problems]).astype({"row": "Int64"}),
            hide_index=True,
            width="stretch",
        )


def match_count(matching: int, dataset: Dataset) -> None:
    st.markdown(f"**{matching:,}** of {len(dataset.incidents):,} incidents match the filters")


def incident_map(
    dataset: Dataset,
    view: View,
    incidents: pd.DataFrame,
    height: int = MAP_HEIGHT,
    key: str = "map",
    bounds: list[list[float]] | None = None,
) -> None:
    """A map of just these incidents, drawn once (a record, a municipality); the Map page's own map is
    src/ui/mapbridge.live_map, which filters in the browser."""
    folium_map(build_map(dataset, view, incidents, bounds=bounds, key=key), height=height, key=key)


def folium_map(fmap: folium.Map, height: int = MAP_HEIGHT, key: str = "map") -> None:
    """Shows a built map; panning and zooming never rerun the script."""
    show_map(lambda: fmap, height, key)


def attributions(dataset: Dataset) -> None:
    st.caption(
        "Data: incidents, crossings and bases compiled from the cited sources. "
        + " ".join(md_escape(text) for text in dataset.attributions)
    )
