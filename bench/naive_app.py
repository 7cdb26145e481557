"""The naive peer for bench/bench_app.py: one folium CircleMarker per incident through st_folium, rebuilt on
every rerun, with the same local assets (so it draws offline). Not part of the product.

Streamlit serves static files only beside the main script, so the benchmark serves static/ itself and
passes its address in NAIVE_STATIC_URL."""

import os
import sys
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from src.config import data_dir
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.offline import UNUSED_ASSETS, localise
from src.view import View
from src.vocabulary import CATEGORIES


@st.cache_resource
def data():  # noqa: ANN201
    return load_dataset(data_dir())


query = st.text_input("Search")
shown = filter_incidents(data().incidents, View(query=query))
st.markdown(f"**{len(shown):,}** incidents")
fmap = folium.Map(location=(42.99, 20.78), zoom_start=10, tiles=None, max_zoom=18)
for row in shown.itertuples():
    folium.CircleMarker(
        (row.latitude, row.longitude), radius=5, color=CATEGORIES[row.category][1], fill=True,
        popup=folium.Popup(row.title),
    ).add_to(fmap)  # fmt: skip
st_folium(
    # folium.Popup's script uses jQuery, which the app itself no longer loads
    localise(fmap, base_url=os.environ["NAIVE_STATIC_URL"], leave_out=UNUSED_ASSETS - {"jquery"}),
    height=640,
    use_container_width=True,
    returned_objects=[],
    key="naive",
)
