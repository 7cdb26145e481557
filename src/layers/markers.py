"""Drawing shared by the small point layers (crossings, police bases): shaped markers and sourced popups.

Markers are CSS shapes (no images, nothing to download); how precisely a place is known shows in the fill:
solid for an exact site, a hollow outline for a settlement, a dashed halo for a whole municipality.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import folium
import geopandas as gpd

from src.layers.base import DrawContext
from src.text import esc, name_in

PRECISION_TEXT = {
    "exact": "exact site",
    "settlement": "placed at the settlement, not the site itself",
    "municipality": "placed at the municipality's centre; site not known",
}


def safe_url(url: Any) -> str:
    """Only http(s) links become links; anything else (javascript:, data:) is dropped."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


def citation(sources: Mapping[str, Mapping[str, Any]], source_id: str) -> str:
    """'Publisher, title, date' of a cited source (plain text); the bare id when the table does not hold it."""
    source = sources.get(source_id) or {}
    return ", ".join(str(source[k]) for k in ("publisher", "title", "date") if source.get(k)) or source_id


def sources_html(ids: Iterable[str], sources: Mapping[str, Mapping[str, Any]]) -> str:
    """An ordered list of the record's sources, each as publisher, title and date, linked when it has a URL."""
    items = []
    for source_id in ids:
        text = esc(citation(sources, source_id))
        url = safe_url((sources.get(source_id) or {}).get("url"))
        items.append(
            f'<li><a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{text}</a></li>'
            if url
            else f"<li>{text}</li>"
        )
    return f"<ol>{''.join(items)}</ol>" if items else "<i>no source</i>"


def other_names(record: Mapping[str, Any], language: str) -> str:
    shown = name_in(record, language)
    variants = [record.get(k) for k in ("name_sq", "name_sr", "name_sr_cyrl")]
    return " / ".join(dict.fromkeys(v for v in variants if v and v != shown))


def record_popup(record: Mapping[str, Any], ctx: DrawContext, facts: list[tuple[str, Any]]) -> str:
    """Popup HTML for a named, sourced record; every value from data is escaped here."""
    rows = "".join(f"<div><b>{esc(label)}:</b> {esc(value)}</div>" for label, value in facts if value not in (None, ""))
    return (
        f'<div class="map-popup"><h4>{esc(name_in(record, ctx.language))}</h4>'
        f'<div class="names">{esc(other_names(record, ctx.language))}</div>{rows}'
        f"<div><b>Location:</b> {esc(PRECISION_TEXT.get(record.get('location_precision'), ''))}</div>"
        f"<div><b>Sources:</b>{sources_html(record.get('sources') or [], ctx.sources)}</div></div>"
    )


def add_shaped_markers(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    ctx: DrawContext,
    *,
    label: str,
    shape_class: str,
    facts: Callable[[Mapping[str, Any]], list[tuple[str, Any]]],
) -> None:
    """One DivIcon marker per row (these layers hold dozens of rows, not thousands)."""
    group = folium.FeatureGroup(name=label, show=ctx.visible)
    for record in frame.drop(columns="geometry").to_dict("records"):
        icon = folium.DivIcon(
            html=f'<div class="pt {shape_class} prec-{esc(record["location_precision"])}"></div>',
            icon_size=(16, 16),
            icon_anchor=(8, 8),
        )
        folium.Marker(
            location=(record["latitude"], record["longitude"]),
            icon=icon,
            tooltip=esc(name_in(record, ctx.language)),
            popup=folium.Popup(record_popup(record, ctx, facts(record)), max_width=340),
        ).add_to(group)
    group.add_to(fmap)
