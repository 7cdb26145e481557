"""Incidents: the filtered table (the keyboard-friendly alternative to the map), one record at a time
(?incident=<id>), downloads of exactly what is filtered, and incidents a user brings."""

import streamlit as st

from src.ui import explorer, panels
from src.ui.controls import view_controls
from src.ui.data import dataset, filtered
from src.ui.layout import page_setup

page_setup("Incidents")
data = dataset()
view = view_controls(data)

st.title("Incidents")
top, bottom = st.container(), st.container()
# The upload form sits at the bottom but runs first, so a file shows in the counts, table, record list and
# downloads of the same run that reads it.
with bottom:
    st.divider()
    explorer.upload_form(data)
    panels.attributions(data)
incidents = filtered(view)
rows = explorer.combined(data, view, incidents)
with top:
    panels.link_notices()
    panels.data_health(data)
    panels.match_count(len(incidents), data)
    explorer.incident_table(data, view, rows)
    explorer.record(data, view, rows)
    st.divider()
    explorer.downloads(data, rows)
