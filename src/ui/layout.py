"""Page setup every page shares: page config and one navigation with readable names.

Streamlit runs `pages/` as its own multipage app (each file is a page at /<file name>); its automatic
navigation names pages after files, so it is hidden (.streamlit/config.toml) and drawn here instead.
"""

from __future__ import annotations

import streamlit as st

NAVIGATION: dict[str, list[tuple[str, str, str]]] = {
    "Explore": [
        ("app.py", "Map", "🗺️"),
        ("pages/time.py", "Time", "🗓️"),
    ],
    "Municipalities": [
        ("pages/leposavic.py", "Leposavić", "📍"),
        ("pages/north_mitrovica.py", "North Mitrovica", "📍"),
        ("pages/zubin_potok.py", "Zubin Potok", "📍"),
        ("pages/zvecan.py", "Zvečan", "📍"),
    ],
}


def page_setup(title: str, icon: str = "🗺️") -> None:
    """Call first on every page: wide layout, the page's title in the tab, the shared navigation."""
    st.set_page_config(page_title=f"{title} · Northern Kosovo map", page_icon=icon, layout="wide")
    with st.sidebar:
        for section, pages in NAVIGATION.items():
            st.caption(section)
            for path, label, page_icon in pages:
                st.page_link(path, label=label, icon=page_icon)
        st.divider()
