"""What a layer is: everything the app needs to know about one, declared in one place by its module.

The loaders, the default view, the layer control, the legend, date filtering, source checks and data health
all read these declarations; none of them names a layer. Drawing is chosen by `drawer` (src/drawing/), so
this module and the layer modules import nothing from folium.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from src.loading import LayerData, load_csv_points, load_geojson
from src.validation import Row

Drawer = Literal["municipalities", "outline", "places", "points", "incidents"]


@dataclass(frozen=True)
class Symbol:
    """How a point layer's records look. The markers and the legend are both drawn from it, so they match.

    `variant_column` names a column whose values change the look (a crossing's status); `variants` maps each
    value to the words the legend uses for it."""

    shape: Literal["diamond", "square", "circle", "triangle"]
    color: str
    variant_column: str | None = None
    variants: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LayerSpec:
    name: str
    label: str
    file: str
    model: type[Row]
    drawer: Drawer
    default_visible: bool = True
    # (start column, end column or None): a dated layer follows the view's date range.
    dates: tuple[str, str | None] | None = None
    source_columns: tuple[str, ...] = ()
    attribution: str = ""
    symbol: Symbol | None = None
    # Popup facts of a point record: (label, value) pairs, plain text.
    facts: Callable[[Mapping[str, Any]], list[tuple[str, Any]]] | None = None
    # Columns added once after loading (the incidents' prepared columns).
    prepare: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None

    def load(self, data_dir: Path) -> LayerData:
        """The layer's file from `data_dir`, validated; date columns become timestamps; then `prepare`."""
        if self.file.endswith(".csv"):
            loaded = load_csv_points(self.name, data_dir, self.file, self.model)
        else:
            loaded = load_geojson(self.name, data_dir, self.file, self.model)
        for column in self.dates or ():
            if column and column in loaded.frame:
                loaded.frame[column] = pd.to_datetime(loaded.frame[column])
        if self.prepare is not None:
            loaded.frame = self.prepare(loaded.frame)
        return loaded


@dataclass(frozen=True)
class DrawContext:
    """What a layer needs to know to draw itself: the name language and whether it starts switched on."""

    language: str = "en"
    visible: bool = True
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    highlight: tuple[str, ...] = ()  # ids of records to ring (briefing slides)
    # For the incident layer: the municipalities (names, and where their count of incidents with no known
    # place goes), the key the page's filter names it by, its first filter and where a record opens.
    municipalities: Any = None
    key: str = ""
    filter: Mapping[str, Any] | None = None
    record_url: str = "/incidents?incident="
    # Where the incident layer's popup texts go for the browser to fetch on the first click (the live app's
    # shared dataset: src/ui/published.py); it returns their URL, or None to keep them inside the map
    # (standalone files, uploads).
    publish_texts: Callable[[dict[str, Any]], str | None] | None = None
