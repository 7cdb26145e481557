"""Populated places of the four northern municipalities (GeoNames with GNS names), labelled at closer zoom."""

from __future__ import annotations

from src.layers.spec import LayerSpec
from src.validation import RequiredText, Row, Slug, Text


class SettlementRow(Row):
    id: Slug
    name: RequiredText
    name_sq: Text = ""
    name_sr: Text = ""
    name_sr_cyrl: Text = ""
    names: Text = ""
    feature_code: Text = ""
    population: int | None = None
    municipality: Slug
    source: Text = ""


LAYER = LayerSpec(
    name="settlements", label="Settlements", file="settlements.geojson", model=SettlementRow, drawer="places"
)
