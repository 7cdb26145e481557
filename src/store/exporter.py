"""Writes the store back out in the geodata/ file layout, byte for byte what was imported when unchanged.

CSV files are written as the curated ones are (comma-separated, minimal quoting, '\\n' line ends); GeoJSON
files by the same GDAL writer and options as scripts/build_geodata.py; JSON documents exactly as stored.
`python -m src.store.exporter postgresql://… OUT_DIR`
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psycopg
import shapely

from src.store.layout import CSV_TABLES, GEOJSON_TABLES, INCIDENTS, SESSION_SETUP, CsvTable, GeoJsonTable, text_select

GEOJSON_OPTIONS = {"RFC7946": "YES", "COORDINATE_PRECISION": "6", "WRITE_NAME": "NO"}


def csv_rows(conn: psycopg.Connection, table: CsvTable, limit: int | None = None) -> list[dict[str, str]]:
    """The table's rows as the CSV reader gives them ({column: text}), in file order."""
    order = "ord" if table.key else "id"  # a table without ids is numbered in file order
    query = f"{text_select(table)} ORDER BY t.{order}" + (" LIMIT %s" if limit is not None else "")
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        return cur.execute(query, (limit,) if limit is not None else ()).fetchall()  # type: ignore[arg-type]


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def geojson_frame(conn: psycopg.Connection, table: GeoJsonTable) -> gpd.GeoDataFrame:
    """The table as the GeoDataFrame GDAL reads from its file: model columns, then any extra properties."""
    columns = ", ".join(table.columns)
    rows = conn.execute(f"SELECT {columns}, extra, ST_AsBinary(geom) FROM {table.table} ORDER BY ord").fetchall()
    records = [{**dict(zip(table.columns, row[:-2], strict=True)), **row[-2]} for row in rows]
    frame = pd.DataFrame.from_records(records, columns=None if records else list(table.columns))
    for column, info in table.model.model_fields.items():
        if info.annotation in (int | None,):
            frame[column] = frame[column].astype("float64")  # GDAL reads an integer field with nulls as float
    return gpd.GeoDataFrame(frame, geometry=shapely.from_wkb([bytes(row[-1]) for row in rows]), crs="EPSG:4326")


def export(url: str, out_dir: Path, incident_limit: int | None = None) -> None:
    """Writes every file of the layout into `out_dir`; at most `incident_limit` incidents when given."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(url) as conn:
        conn.execute(SESSION_SETUP)  # type: ignore[arg-type]
        for table in CSV_TABLES:
            limit = incident_limit if table is INCIDENTS else None
            write_csv(out_dir / table.file, table.columns, csv_rows(conn, table, limit))
        for table in GEOJSON_TABLES:
            geojson_frame(conn, table).to_file(
                out_dir / table.file, driver="GeoJSON", engine="pyogrio", layer_options=GEOJSON_OPTIONS
            )
        for path, body in conn.execute("SELECT path, body::text FROM documents ORDER BY path"):
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body.encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="postgresql://user@host:port/database")
    parser.add_argument("out_dir", type=Path, help="folder to write the geodata/ files into")
    args = parser.parse_args(argv)
    export(args.url, args.out_dir)
    print(f"exported to {args.out_dir}")


if __name__ == "__main__":
    main()
