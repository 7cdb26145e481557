"""The Map page's live map when the store holds too many incidents to send (src/ui/mapbridge.live_map hands
over to `map_of_store` and `send_store_view` here).

The map itself (every other layer, and an empty store layer) is built once per language, layers and origin,
as on a small store. Each rerun asks PostGIS for the view (the count, then the matching incidents or their
counts per grid cell, src/drawing/store_view.py) and sends it through the incident bridge, so the map stays
mounted and keeps its position. The count the page shows and what the map draws come from the same SQL
filter (src/store/postgis.where_clause). There is no date playback: the browser does not hold the incidents.
"""

from __future__ import annotations

from collections.abc import Callable

import folium
import streamlit.components.v1 as components

from src.config import STATIC_DIR
from src.dataset import Dataset
from src.drawing import store_view as store_layer
from src.drawing.incidents import filter_of
from src.drawing.store_view import StoreView, StoreViewLayer, view_payload
from src.layers import incidents as incident_layer
from src.layers.spec import DrawContext
from src.mapview import build_map
from src.store import store_url
from src.store.postgis import store
from src.ui.mapbridge import shown_upload
from src.ui.published import published_json
from src.upload import Upload
from src.view import View

_bridge = components.declare_component("store_bridge", path=str(STATIC_DIR / "components" / "incident_bridge"))


def view_for_map(view: View) -> StoreView:
    """The view as the map draws it: its incidents when at most MAP_POINT_LIMIT match, else counts per cell."""
    shop = store(store_url())  # type: ignore[arg-type]  # only called with a store
    matching, limit = shop.count(view), store_layer.MAP_POINT_LIMIT
    if matching <= limit:
        return StoreView(matching, points=shop.filtered(view, limit=limit))
    return StoreView(matching, cells=shop.cells(view))


def map_of_store(dataset: Dataset, map_view: View, key: str, upload: Upload | None) -> Callable[[], folium.Map]:
    """What builds the map with an empty store layer (src/ui/mapbridge.show_live_map shows it, built once per
    language, layers and origin as on a small store)."""
    counts = store(store_url()).category_counts()  # type: ignore[arg-type]

    def build() -> folium.Map:
        overlay = StoreViewLayer(
            incident_layer.LAYER.label,
            {"key": f"{key}:incidents", "recordUrl": DrawContext().record_url},
            show=incident_layer.LAYER.name in map_view.layers,
        )
        return build_map(
            dataset,
            map_view,
            uploaded=upload.frame if upload else None,
            uploaded_sources=upload.sources if upload else None,
            key=key,
            incident_overlay=overlay,
            incident_counts=counts,
        )

    return build


def send_store_view(dataset: Dataset, view: View, key: str, with_upload: bool) -> None:
    """The store's incidents for the view, from SQL, to the map's store layer through the bridge."""
    upload = shown_upload(with_upload)
    drawn = view_payload(
        view_for_map(view), view.language, dataset.sources, dataset.frame("municipalities"), published_json
    )
    filters = {f"{key}:incidents": drawn}
    if upload:
        filters[f"{key}:uploaded"] = filter_of(upload.frame, view)
    _bridge(filters=filters, play_key=None, fps=1, key=f"{key}_bridge", default=None)
