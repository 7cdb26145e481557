"""Page setup every page shares: page config and one navigation with readable names.

Streamlit runs `pages/` as its own multipage app (each file is a page at /<file name>); its automatic
navigation names pages after files, so it is hidden (.streamlit/config.toml) and drawn here instead.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

NAVIGATION: dict[str, list[tuple[str, str, str]]] = {
    "Explore": [
        ("app.py", "Map", ":material/map:"),
        ("pages/time.py", "Time", ":material/calendar_month:"),
        ("pages/incidents.py", "Incidents", ":material/table_view:"),
        ("pages/briefing.py", "Briefing", ":material/slideshow:"),
    ],
    "Municipalities": [
        ("pages/leposavic.py", "Leposavić", ":material/location_on:"),
        ("pages/north_mitrovica.py", "North Mitrovica", ":material/location_on:"),
        ("pages/zubin_potok.py", "Zubin Potok", ":material/location_on:"),
        ("pages/zvecan.py", "Zvečan", ":material/location_on:"),
    ],
}


FAVICON = "🗺️"  # an emoji: a Material icon as favicon would be fetched from a font CDN


def page_setup(title: str, sidebar: Literal["auto", "expanded", "collapsed"] = "auto") -> None:
    """Call first on every page: wide layout, the page's title in the tab, the shared navigation."""
    st.set_page_config(
        page_title=f"{title} · Northern Kosovo map", page_icon=FAVICON, layout="wide", initial_sidebar_state=sidebar
    )
    with st.sidebar:
        for section, pages in NAVIGATION.items():
            st.caption(section)
            for path, label, page_icon in pages:
                st.page_link(path, label=label, icon=page_icon)
        st.divider()
