"""Drawing the registered layers on a Folium map: each layer's `drawer` names one function here."""

from __future__ import annotations

from collections.abc import Callable

import folium
import pandas as pd

from src.drawing.areas import add_municipalities, add_outline
from src.drawing.incidents import add_incidents
from src.drawing.markers import add_points
from src.drawing.places import add_places
from src.layers.spec import DrawContext, LayerSpec

DRAWERS: dict[str, Callable[[folium.Map, LayerSpec, pd.DataFrame, DrawContext], None]] = {
    "municipalities": add_municipalities,
    "outline": add_outline,
    "places": add_places,
    "points": add_points,
    "incidents": add_incidents,
}


def draw_layer(fmap: folium.Map, layer: LayerSpec, frame: pd.DataFrame, ctx: DrawContext) -> None:
    DRAWERS[layer.drawer](fmap, layer, frame, ctx)
