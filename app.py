"""Northern Kosovo map: every layer, filters in the shared sidebar, the view kept in the URL."""

import streamlit as st

from src.ui import briefing_draft, mapbridge, panels
from src.ui.controls import view_controls
from src.ui.data import dataset, matching_count
from src.ui.layout import page_setup

page_setup("Map")
data = dataset()
view = view_controls(data)

st.title("Northern Kosovo: crossings, police bases and incidents")
panels.link_notices()
panels.data_health(data)
panels.match_count(matching_count(view), data)
mapbridge.live_map(data, view, with_upload=True)
briefing_draft.add_view_panel(data, view)
panels.attributions(data)
