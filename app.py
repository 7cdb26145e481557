"""Northern Kosovo map: every layer, filters in the sidebar, the view kept in the URL."""

import streamlit as st

from src.ui import panels
from src.ui.controls import view_controls
from src.ui.data import dataset, filtered

st.set_page_config(page_title="Northern Kosovo map", page_icon="🗺️", layout="wide")

data = dataset()
view = view_controls(data)
incidents = filtered(view)

st.title("Northern Kosovo: crossings, police bases and incidents")
panels.link_notices()
panels.data_health(data)
panels.match_count(incidents, data)
panels.incident_map(data, view, incidents)
panels.attributions(data)
