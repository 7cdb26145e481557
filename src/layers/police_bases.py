"""Kosovo Police stations and special-police bases, and KFOR or EULEX sites where a source places them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import model_validator

from src.layers.spec import LayerSpec, Symbol
from src.validation import (
    DatePrecision,
    Latitude,
    LocationPrecision,
    Longitude,
    NonEmptyIdList,
    OptionalDate,
    RequiredText,
    Row,
    Slug,
    Text,
)

OPERATORS = {"kosovo_police": "Kosovo Police", "kfor": "KFOR", "eulex": "EULEX"}
# What the latest source seen says of the base.
STATUSES = {
    "operating": "operating",
    "planned": "planned",
    "under_construction": "under construction",
    "closed": "closed",
    "unknown": "not known",
}


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
    location_source: Text = ""
    established: OptionalDate = None
    established_precision: DatePrecision | None = None
    sources: NonEmptyIdList
    notes: Text = ""
    status: Literal["operating", "planned", "under_construction", "closed", "unknown"] = "unknown"

    @model_validator(mode="before")
    @classmethod
    def _blank_precision(cls, data: Any) -> Any:
        if isinstance(data, dict) and not str(data.get("established_precision") or "").strip():
            data = {**data, "established_precision": None}
        if isinstance(data, dict) and not str(data.get("status") or "").strip():
            data = {**data, "status": "unknown"}
        return data

    @model_validator(mode="after")
    def _precision_goes_with_date(self) -> PoliceBaseRow:
        if (self.established is None) != (self.established_precision is None):
            raise ValueError("established and established_precision must be given together")
        return self


def _facts(record: Mapping[str, Any]) -> list[tuple[str, Any]]:
    established = record["established"]
    if established is not None and established == established:
        shown = {"day": "%d %B %Y", "month": "%B %Y", "year": "%Y"}[record["established_precision"]]
        established = established.strftime(shown)
    return [
        ("Operator", OPERATORS[record["operator"]]),
        ("Kind", record["kind"].replace("_", " ")),
        ("Status", STATUSES.get(record.get("status") or "unknown")),
        ("Established", established),
        ("Notes", record["notes"]),
    ]


LAYER = LayerSpec(
    name="police_bases",
    label="Police and KFOR bases",
    file="police_bases.csv",
    model=PoliceBaseRow,
    drawer="points",
    source_columns=("sources",),
    symbol=Symbol("square", "#0072B2", variant_column="operator", variants=OPERATORS),
    facts=_facts,
)
