"""Road crossings between Kosovo and Serbia, with their status and sources. Their history is in incidents."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd

from src.layers.base import (
    DrawContext,
    Latitude,
    LayerData,
    LocationPrecision,
    Longitude,
    NonEmptyIdList,
    RequiredText,
    Row,
    Slug,
    Text,
    load_csv_points,
)
from src.layers.markers import add_shaped_markers

NAME = "crossings"
LABEL = "Crossings"
FILE = "crossings.csv"
COLUMNS = (
    "id",
    "name_en",
    "name_sq",
    "name_sr",
    "name_sr_cyrl",
    "kind",
    "status",
    "municipality",
    "latitude",
    "longitude",
    "location_precision",
    "sources",
    "notes",
)


class CrossingRow(Row):
    id: Slug
    name_en: RequiredText
    name_sq: RequiredText
    name_sr: RequiredText
    name_sr_cyrl: RequiredText
    kind: Literal["road", "rail", "pedestrian"]
    status: Literal["open", "closed", "proposed", "seasonal"]
    municipality: Slug
    latitude: Latitude
    longitude: Longitude
    location_precision: LocationPrecision
    sources: NonEmptyIdList
    notes: Text = ""


def load(data_dir: Path) -> LayerData:
    return load_csv_points(NAME, data_dir, FILE, CrossingRow)


def _facts(record: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [("Kind", record["kind"]), ("Status", record["status"]), ("Notes", record["notes"])]


def add_to_map(fmap: folium.Map, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    add_shaped_markers(fmap, frame, ctx, label=LABEL, shape_class="pt-crossing", facts=_facts)
