"""Streamlit wiring shared by the pages: cached data, the shared sidebar, the map panel, notices."""
