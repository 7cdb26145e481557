"""Time: incidents by month on an animated map, a timeline whose selection narrows the dates, and the map."""

import streamlit as st

from src.ui import mapbridge, panels, timepanel
from src.ui.controls import view_controls
from src.ui.data import dataset, filtered
from src.ui.layout import page_setup

page_setup("Time")
data = dataset()
view = view_controls(data)
incidents = filtered(view)

st.title("Time: what happened when")
panels.link_notices()
panels.data_health(data)
panels.match_count(len(incidents), data)
timepanel.animated(view, incidents)
timepanel.timeline_chart(view, incidents)
mapbridge.live_map(data, view, key="time_map")
