"""The one template behind the four municipality pages (pages/<id>.py) and the lookup page for any id."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from src.dataset import Dataset
from src.layers.municipalities import neighbours, page_url
from src.mapview import bounds_of
from src.profiles import Figure, Share
from src.sources import citation
from src.text import md_escape, md_link, name_in
from src.timeviews import month_range, timeline
from src.ui import panels
from src.ui.controls import current_language
from src.ui.data import dataset
from src.ui.layout import page_setup
from src.view import View
from src.vocabulary import CATEGORIES

NORTH_PAGES = {m: f"pages{page_url(m)}.py" for m in ("leposavic", "north-mitrovica", "zubin-potok", "zvecan")}
KIND_LABELS = {"census": "Census count", "estimate": "Estimate", "registered": "Registered voters", "other": "Other"}


def _source_cell(data: Dataset, source_id: str) -> tuple[str, str]:
    source = data.sources.get(source_id, {})
    text = ", ".join(str(source[k]) for k in ("publisher", "date") if source.get(k)) or source_id
    return text, str(source.get("url") or "")


def _figures_table(data: Dataset, items: list[Figure] | list[Share], columns: dict[str, Any]) -> None:
    rows = []
    for item in items:
        text, url = _source_cell(data, item.source_id)
        rows.append({**{label: getter(item) for label, getter in columns.items()}, "Source": text, "Link": url or None})
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "Link": st.column_config.LinkColumn("Link", display_text="open"),
            "Note": st.column_config.TextColumn(width="large"),
        },
    )


def _source_list(data: Dataset, source_ids: list[str]) -> str:
    lines = []
    for source_id in dict.fromkeys(source_ids):
        url = (data.sources.get(source_id) or {}).get("url")
        lines.append(f"- {md_link(citation(data.sources, source_id), url)}")
    return "\n".join(lines)


def municipality_incidents(data: Dataset, municipality_id: str) -> pd.DataFrame:
    return data.incidents[data.incidents["municipality"] == municipality_id]


def render(municipality_id: str) -> None:
    """Draws the page of one northern municipality, or a friendly list of the four for any other id."""
    data = dataset()
    names = data.frame("municipalities").set_index("id")["name_en"]
    page_setup(str(names.get(municipality_id, "Municipality")))
    panels.data_health(data)
    language = current_language(data)
    municipalities = data.frame("municipalities").set_index("id", drop=False)
    profiles = data.profiles.municipalities if data.profiles else {}
    if municipality_id not in NORTH_PAGES or municipality_id not in municipalities.index:
        unknown_municipality(municipality_id)
        return
    record = municipalities.loc[municipality_id].to_dict()
    profile = profiles.get(municipality_id)
    incidents = municipality_incidents(data, municipality_id)

    st.title(md_escape(record["name_en"]), anchor=False)
    st.table(
        pd.DataFrame(
            [[md_escape(record[c]) for c in ("name_en", "name_sq", "name_sr", "name_sr_cyrl")]],
            columns=["English", "Albanian", "Serbian (Latin)", "Serbian (Cyrillic)"],
        ),
        hide_index=True,
    )
    seat, area, count = st.columns(3)
    seat.metric(
        "Seat",
        profile.seat.en if profile else "–",
        help=md_escape(f"{profile.seat.sq} / {profile.seat.sr}") if profile else None,
    )
    area.metric("Area", f"{record['area_km2']:,.1f} km²", help="Computed in UTM 34N from the geoBoundaries outline")
    count.metric("Incidents in the dataset", f"{len(incidents)}")

    if profile is not None:
        st.subheader("Since 2021")
        st.markdown(md_escape(profile.overview))
        with st.expander("Sources of this overview"):
            st.markdown(_source_list(data, profile.overview_sources))
        st.subheader("Population")
        st.markdown(
            "No census has fully counted the north since 1991: the 2011 census was not held there and the 2024 "
            "census was largely boycotted. Every figure below is shown with its kind, year and source."
        )
        _figures_table(
            data,
            profile.population,
            {
                "Figure": lambda f: f"{f.value:,}",
                "Year": lambda f: str(f.year or "undated"),
                "Kind": lambda f: KIND_LABELS[f.kind],
                "Note": lambda f: f.note,
            },
        )
        if data.profiles and data.profiles.region.population:
            region = data.profiles.region.population[0]
            text, _ = _source_cell(data, region.source_id)
            st.caption(f"{md_escape(region.note)} ({md_escape(text)})")
        if profile.ethnic_composition:
            st.subheader("Ethnic composition")
            _figures_table(
                data,
                profile.ethnic_composition,
                {
                    "Group": lambda s: s.group,
                    "Share": lambda s: f"{s.share_percent:g} %" if s.share_percent is not None else "",
                    "People": lambda s: f"{s.value:,}" if s.value is not None else "",
                    "Year": lambda s: str(s.year or "undated"),
                    "Note": lambda s: s.note,
                },
            )

    st.subheader("Map")
    view = View(language=language)
    panels.incident_map(
        data, view, incidents, height=520, key=f"map_{municipality_id}", bounds=bounds_of(record["geometry"])
    )

    st.subheader("Incidents over time")
    by_category = incidents["category"].value_counts()
    st.dataframe(
        pd.DataFrame({"Category": [CATEGORIES[c][0] for c in by_category.index], "Incidents": by_category.to_numpy()}),
        hide_index=True,
    )
    if len(incidents):
        st.plotly_chart(
            timeline(incidents, month_range(incidents, None, None), "M"),
            width="stretch",
            key=f"timeline_{municipality_id}",
        )

    st.subheader("Neighbours")
    for neighbour in neighbours(data.frame("municipalities"), municipality_id):
        name = name_in(municipalities.loc[neighbour].to_dict(), language)
        if neighbour in NORTH_PAGES:
            st.page_link(NORTH_PAGES[neighbour], label=md_escape(name), icon=":material/arrow_forward:")
        else:
            st.markdown(f"- {md_escape(name)}")
    panels.attributions(data)


def unknown_municipality(municipality_id: str | None) -> None:
    shown = f"“{md_escape(municipality_id)}”" if municipality_id else "No municipality"
    st.title("Municipality pages")
    st.info(f"{shown} is not one of the four northern municipalities this app has pages for. Pick one:")
    names = dataset().frame("municipalities").set_index("id")["name_en"]
    for municipality_id, page in NORTH_PAGES.items():
        st.page_link(page, label=md_escape(names.get(municipality_id, municipality_id)), icon=":material/location_on:")
