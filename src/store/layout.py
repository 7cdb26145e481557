"""How each file of the geodata/ layout maps onto the store's tables (shared by importer, exporter, reader)."""

from __future__ import annotations

from dataclasses import dataclass

from src import sources as source_table
from src.layers import crossings, incidents, municipalities, outline, police_bases, settlements
from src.layers.base import Row


@dataclass(frozen=True)
class CsvTable:
    """A CSV file as a table; `sources` (a ;-list of ids) lives in `link`, keyed by `link_key`."""

    file: str
    table: str
    model: type[Row]
    columns: tuple[str, ...]
    link: str | None = None
    link_key: str | None = None
    points: bool = True

    @property
    def stored(self) -> tuple[str, ...]:
        """The file's columns that are columns of the table (all but the linked sources)."""
        return tuple(c for c in self.columns if not (self.link and c == "sources"))


@dataclass(frozen=True)
class GeoJsonTable:
    """A GeoJSON FeatureCollection as a table: the model's properties as columns, any others in `extra`."""

    file: str
    table: str
    model: type[Row]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


SOURCES = CsvTable(source_table.FILE, "sources", source_table.SourceRow, source_table.COLUMNS, points=False)
CROSSINGS = CsvTable(
    crossings.FILE, "crossings", crossings.CrossingRow, crossings.COLUMNS, "crossing_sources", "crossing_id"
)
POLICE_BASES = CsvTable(
    police_bases.FILE,
    "police_bases",
    police_bases.PoliceBaseRow,
    police_bases.COLUMNS,
    "police_base_sources",
    "police_base_id",
)
INCIDENTS = CsvTable(
    incidents.FILE, "incidents", incidents.IncidentRow, incidents.COLUMNS, "incident_sources", "incident_id"
)
# Sources first: the other CSV tables cite them through foreign keys.
CSV_TABLES = (SOURCES, CROSSINGS, POLICE_BASES, INCIDENTS)
GEOJSON_TABLES = (
    GeoJsonTable(municipalities.FILE, "municipalities", municipalities.MunicipalityRow),
    GeoJsonTable(outline.FILE, "outline", outline.OutlineRow),
    GeoJsonTable(settlements.FILE, "settlements", settlements.SettlementRow),
)
# JSON documents kept as written: attribution, profiles and every briefing.
DOCUMENT_PATTERNS = ("attribution.json", "municipality_profiles.json", "briefings/*.json")
# Gives every value in the text form the CSV files use (ISO dates; numerics keep their written decimals).
SESSION_SETUP = "SET DateStyle = ISO, YMD; SET extra_float_digits = 1"


def text_select(table: CsvTable, *extra: str) -> str:
    """SELECT giving each row of `table` (as t) as the CSV file's columns, every value as text ('' for blank),
    then any `extra` expressions."""
    parts = []
    for column in table.columns:
        if column == "sources" and table.link:
            parts.append(
                f"coalesce((SELECT string_agg(l.source_id, ';' ORDER BY l.position) FROM {table.link} l"
                f" WHERE l.{table.link_key} = t.id), '') AS sources"
            )
        elif column == "related_ids":
            parts.append("array_to_string(t.related_ids, ';') AS related_ids")
        else:
            parts.append(f"coalesce(t.{column}::text, '') AS {column}")
    return f"SELECT {', '.join([*parts, *extra])} FROM {table.table} t"
