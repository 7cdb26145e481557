"""Municipalities of Kosovo: the four northern ones highlighted and labelled, the rest muted."""

from __future__ import annotations

import geopandas as gpd
from pydantic import Field

from src.layers.spec import LayerSpec
from src.validation import RequiredText, Row, Slug

FILE = "municipalities.geojson"
METRIC_CRS = "EPSG:32634"
NEIGHBOUR_TOLERANCE_M = 100


class MunicipalityRow(Row):
    id: Slug
    name_en: RequiredText
    name_sq: RequiredText
    name_sr: RequiredText
    name_sr_cyrl: RequiredText
    north: bool
    area_km2: float = Field(gt=0)
    rep_lat: float = Field(ge=-90, le=90)
    rep_lon: float = Field(ge=-180, le=180)
    source_id: str = ""


def page_url(municipality_id: str) -> str:
    """The app path of a northern municipality's page (pages/<id with underscores>.py)."""
    return "/" + municipality_id.replace("-", "_")


LAYER = LayerSpec(
    name="municipalities",
    label="Municipalities",
    file=FILE,
    model=MunicipalityRow,
    drawer="municipalities",
)


def neighbours(frame: gpd.GeoDataFrame, municipality_id: str) -> list[str]:
    """Ids of the municipalities sharing a boundary with this one (within 100 m: the outlines are simplified)."""
    metric = frame.set_index("id").to_crs(METRIC_CRS)
    shape = metric.geometry[municipality_id].buffer(NEIGHBOUR_TOLERANCE_M)
    return sorted(i for i, geometry in metric.geometry.items() if i != municipality_id and geometry.intersects(shape))
