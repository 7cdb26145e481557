"""Northern Kosovo map: every layer, filters in the shared sidebar (a filter change reruns only the sidebar,
the count and the map's filter), the view kept in the URL."""

import streamlit as st

from src.ui import briefing_draft, live_filters, panels
from src.ui.data import dataset
from src.ui.layout import page_setup

page_setup("Map")
data = dataset()

st.title("Northern Kosovo: crossings, police bases and incidents")
panels.data_health(data)
view = live_filters.filtered_map(data, rest_follows_filters=briefing_draft.add_view_panel_open)
briefing_draft.add_view_panel(data, view)
panels.attributions(data)
