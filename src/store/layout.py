"""How each file of the geodata/ layout maps onto the store's tables (shared by importer, exporter, reader).

The CSV layers come from the layer registry (src/layers: file, model, source columns); the sources, the
crossings' status history and the sites are the other CSV files. Every ;-list of source ids lives in a link
table; other ;-lists of ids (related_ids) are text arrays.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import cached_property

from src import crossing_status
from src import sources as source_table
from src.layers import LAYERS, by_name
from src.validation import Latitude, LocationPrecision, Longitude, RequiredText, Row, Slug, Text


class SiteRow(Row):
    """A row of sites.csv: a named point that records place themselves at (location_source `site:<id>`)."""

    site_id: Slug
    name_en: RequiredText
    name_sq: Text = ""
    name_sr: Text = ""
    municipality: Slug
    latitude: Latitude
    longitude: Longitude
    location_precision: LocationPrecision
    location_source: Text = ""
    note: Text = ""


@dataclass(frozen=True)
class Link:
    """A file column holding a ;-list of source ids, kept as rows of `table` (record, source_id, position)."""

    column: str
    table: str
    key: str


@dataclass(frozen=True)
class CsvTable:
    """A CSV file as a table. `key` is the id column; a file without one (key None) has its rows replaced
    per `parent` (a crossing's whole history) and numbered by the table's identity column."""

    file: str
    table: str
    model: type[Row]
    columns: tuple[str, ...]
    key: str | None = "id"
    links: tuple[Link, ...] = ()
    parent: str | None = None
    # Columns that must name a row of another table: column -> table (checked on import, then by foreign keys).
    references: tuple[tuple[str, str], ...] = ()

    @cached_property
    def linked(self) -> frozenset[str]:
        return frozenset(link.column for link in self.links)

    @cached_property
    def stored(self) -> tuple[str, ...]:
        """The file's columns that are columns of the table (all but the linked source lists)."""
        return tuple(c for c in self.columns if c not in self.linked)

    @cached_property
    def arrays(self) -> frozenset[str]:
        """;-lists of ids kept as text arrays."""
        return frozenset(c for c in self.stored if typing.get_origin(self.model.model_fields[c].annotation) is list)

    @property
    def points(self) -> bool:
        """Whether rows are points the loader keeps only inside Kosovo."""
        return {"latitude", "longitude"} <= set(self.columns)

    @property
    def record_key(self) -> str:
        """The column link tables name a record by: the key, or the identity column."""
        return self.key or "id"


@dataclass(frozen=True)
class GeoJsonTable:
    """A GeoJSON FeatureCollection as a table: the model's properties as columns, any others in `extra`."""

    file: str
    table: str
    model: type[Row]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


def _layer_table(name: str) -> CsvTable:
    spec = by_name()[name]
    singular = name.removesuffix("s")
    links = tuple(Link(c, f"{singular}_{c}", f"{singular}_id") for c in spec.source_columns)
    return CsvTable(spec.file, name, spec.model, tuple(spec.model.model_fields), links=links)


SOURCES = CsvTable(source_table.FILE, "sources", source_table.SourceRow, source_table.COLUMNS)
CROSSINGS = _layer_table("crossings")
POLICE_BASES = _layer_table("police_bases")
INCIDENTS = _layer_table("incidents")
SITES = CsvTable("sites.csv", "sites", SiteRow, tuple(SiteRow.model_fields), key="site_id")
CROSSING_STATUS = CsvTable(
    crossing_status.FILE,
    "crossing_status",
    crossing_status.CrossingStatusRow,
    crossing_status.COLUMNS,
    key=None,
    links=(Link("sources", "crossing_status_sources", "status_id"),),
    parent="crossing_id",
    references=(("crossing_id", "crossings"),),
)
# Sources first (the other tables cite them), crossings before their status history.
CSV_TABLES = (SOURCES, CROSSINGS, POLICE_BASES, SITES, INCIDENTS, CROSSING_STATUS)
GEOJSON_TABLES = tuple(
    GeoJsonTable(layer.file, layer.name, layer.model) for layer in LAYERS if layer.file.endswith(".geojson")
)
# JSON documents kept as written: attribution, profiles and every briefing.
DOCUMENT_PATTERNS = ("attribution.json", "municipality_profiles.json", "briefings/*.json")
# Gives every value in the text form the CSV files use (ISO dates; numerics keep their written decimals).
SESSION_SETUP = "SET DateStyle = ISO, YMD; SET extra_float_digits = 1"


def text_select(table: CsvTable, *extra: str) -> str:
    """SELECT giving each row of `table` (as t) as the CSV file's columns, every value as text ('' for blank),
    then any `extra` expressions."""
    links = {link.column: link for link in table.links}
    parts = []
    for column in table.columns:
        if column in links:
            link = links[column]
            parts.append(
                f"coalesce((SELECT string_agg(l.source_id, ';' ORDER BY l.position) FROM {link.table} l"
                f" WHERE l.{link.key} = t.{table.record_key}), '') AS {column}"
            )
        elif column in table.arrays:
            parts.append(f"array_to_string(t.{column}, ';') AS {column}")
        else:
            parts.append(f"coalesce(t.{column}::text, '') AS {column}")
    return f"SELECT {', '.join([*parts, *extra])} FROM {table.table} t"
