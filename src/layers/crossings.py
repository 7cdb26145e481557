"""Road crossings between Kosovo and Serbia, with their status and sources.

Their dated status history is crossing_status.csv (src/crossing_status.py); the dataset adds it to each
crossing as `status_history`, which the popup lists newest first. Events at a crossing are incidents whose
related_ids name it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from src.layers.spec import LayerSpec, Symbol
from src.validation import Latitude, LocationPrecision, Longitude, NonEmptyIdList, RequiredText, Row, Slug, Text

STATUSES = {"open": "open", "closed": "closed", "proposed": "proposed, not built", "seasonal": "seasonal"}


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
    location_source: Text = ""
    sources: NonEmptyIdList
    notes: Text = ""


def _facts(record: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [
        ("Kind", record["kind"]),
        ("Status", STATUSES[record["status"]]),
        ("Status history", list(record.get("status_history") or ())),
        ("Notes", record["notes"]),
    ]


LAYER = LayerSpec(
    name="crossings",
    label="Crossings",
    file="crossings.csv",
    model=CrossingRow,
    drawer="points",
    source_columns=("sources",),
    symbol=Symbol("diamond", "#E69F00", variant_column="status", variants=STATUSES),
    facts=_facts,
)
