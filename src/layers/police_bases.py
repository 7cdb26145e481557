"""Kosovo Police stations and special-police bases, and KFOR or EULEX sites where a source places them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
from pydantic import model_validator

from src.layers.base import (
    DatePrecision,
    DrawContext,
    Latitude,
    LayerData,
    LocationPrecision,
    Longitude,
    NonEmptyIdList,
    OptionalDate,
    RequiredText,
    Row,
    Slug,
    Text,
    load_csv_points,
)
from src.layers.markers import add_shaped_markers

NAME = "police_bases"
LABEL = "Police bases"
FILE = "police_bases.csv"
COLUMNS = (
    "id",
    "name_en",
    "name_sq",
    "name_sr",
    "name_sr_cyrl",
    "operator",
    "kind",
    "municipality",
    "latitude",
    "longitude",
    "location_precision",
    "established",
    "established_precision",
    "sources",
    "notes",
)
OPERATORS = {"kosovo_police": "Kosovo Police", "kfor": "KFOR", "eulex": "EULEX"}


class PoliceBaseRow(Row):
    id: Slug
    name_en: RequiredText
    name_sq: RequiredText
    name_sr: RequiredText
    name_sr_cyrl: RequiredText
    operator: Literal["kosovo_police", "kfor", "eulex"]
    kind: Literal[
        "station",
        "substation",
        "special_police_base",
        "regional_directorate",
        "border_police",
        "military_camp",
        "other",
    ]
    municipality: Slug
    latitude: Latitude
    longitude: Longitude
    location_precision: LocationPrecision
    established: OptionalDate = None
    established_precision: DatePrecision | None = None
    sources: NonEmptyIdList
    notes: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _blank_precision(cls, data: Any) -> Any:
        if isinstance(data, dict) and not str(data.get("established_precision") or "").strip():
            data = {**data, "established_precision": None}
        return data

    @model_validator(mode="after")
    def _precision_goes_with_date(self) -> PoliceBaseRow:
        if (self.established is None) != (self.established_precision is None):
            raise ValueError("established and established_precision must be given together")
        return self


def load(data_dir: Path) -> LayerData:
    return load_csv_points(NAME, data_dir, FILE, PoliceBaseRow)


def _facts(record: Mapping[str, Any]) -> list[tuple[str, Any]]:
    established = record["established"]
    if established is not None and established == established:
        shown = {"day": "%d %B %Y", "month": "%B %Y", "year": "%Y"}[record["established_precision"]]
        established = established.strftime(shown)
    return [
        ("Operator", OPERATORS[record["operator"]]),
        ("Kind", record["kind"].replace("_", " ")),
        ("Established", established),
        ("Notes", record["notes"]),
    ]


def add_to_map(fmap: folium.Map, frame: gpd.GeoDataFrame, ctx: DrawContext) -> None:
    add_shaped_markers(fmap, frame, ctx, label=LABEL, shape_class="pt-base", facts=_facts)
