"""Loads a geodata/ folder, or one uploaded incidents CSV (the app's columns or ACLED's), into the store.

Every row goes through the file loader's own validation first (src/layers); valid rows are upserted by id,
every rejected row is reported by file, row and field, and everything is written in one transaction, so on
any failure the database is left exactly as it was. With --strict a single rejected row writes nothing.
One rule is stricter than the file loader's: a record citing a source the store does not hold is rejected
(the link table's foreign key), where the app would show it with a warning.

    python -m src.store.importer postgresql://… geodata/          # a folder in the geodata/ layout
    python -m src.store.importer postgresql://… my-export.csv     # incidents in the app's or ACLED's layout

Exit status: 0 all rows written, 1 some rows rejected (the valid ones written unless --strict), 2 nothing
written (a database error, or --strict with rejected rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import psycopg
import shapely

from src.dataset import load_dataset, search_texts
from src.layers import BY_NAME
from src.layers.base import (
    Problem,
    Row,
    check_in_kosovo,
    drop_duplicate_ids,
    read_csv_rows,
    read_json,
    required_columns,
    validate_rows,
)
from src.store.exporter import export, geojson_frame
from src.store.layout import (
    CSV_TABLES,
    DOCUMENT_PATTERNS,
    GEOJSON_TABLES,
    INCIDENTS,
    SESSION_SETUP,
    SOURCES,
    CsvTable,
    GeoJsonTable,
)
from src.store.migrate import migrate


@dataclass
class Report:
    """What an import did: rows written per file, every rejected row, and whether anything was committed."""

    written: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False


@dataclass
class _Batch:
    """Validated rows of one CSV table as database values, with the source ids each one cites."""

    table: CsvTable
    records: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    cited: list[list[str]] = field(default_factory=list)


def _db_values(table: CsvTable, row: Row, raw: dict[str, str]) -> dict[str, Any]:
    """A validated row as column values; coordinates keep the decimals they were written with."""
    values = {column: getattr(row, column) for column in table.stored}
    for column in ("latitude", "longitude"):
        if column in values:
            values[column] = Decimal(raw[column].strip())
    return values


def _validate_csv(table: CsvTable, data_dir: Path) -> tuple[_Batch, list[Problem]]:
    """The file loader's steps (src.layers.base.rows_to_layer), keeping each valid row's line number."""
    raw_rows, problems = read_csv_rows(data_dir / table.file, required_columns(table.model))
    raw_by_line = dict(raw_rows)
    rows, bad = validate_rows(table.file, raw_rows, table.model)
    rows, duplicates = drop_duplicate_ids(table.file, rows)
    outside: list[Problem] = []
    if table.points:
        rows, outside = check_in_kosovo(table.file, rows, data_dir)
    batch = _Batch(table)
    for line, row in rows:
        batch.records.append(_db_values(table, row, raw_by_line[line]))
        batch.lines.append(line)
        batch.cited.append(list(getattr(row, "sources", [])) if table.link else [])
    return batch, problems + bad + duplicates + outside


def _geojson_records(table: GeoJsonTable, data_dir: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Valid features (the layer's own loader) with the properties its model does not name kept in `extra`."""
    layer = BY_NAME[table.table].load(data_dir)
    document, _ = read_json(data_dir / table.file)
    extras = {}
    for feature in (document or {}).get("features") or []:
        properties = (feature or {}).get("properties") or {} if isinstance(feature, dict) else {}
        extras[str(properties.get("id"))] = {k: v for k, v in properties.items() if k not in table.model.model_fields}
    records = []
    for record in layer.frame.to_dict("records"):
        values = {column: record[column] for column in table.columns}
        if "population" in values:  # an integer with nulls comes out of the frame as a float
            values["population"] = None if pd.isna(values["population"]) else int(values["population"])
        values["extra"] = json.dumps(extras.get(record["id"], {}), ensure_ascii=False)
        values["geom"] = shapely.to_wkb(record["geometry"])
        records.append(values)
    return records, layer.problems


def _copy_rows(cur: psycopg.Cursor, table: str, columns: list[str], rows: Iterable[Iterable[Any]]) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _upsert(cur: psycopg.Cursor, table: str, columns: list[str], rows: list[list[Any]], geom: bool = False) -> None:
    """Upserts rows by id through a staging table filled with COPY (fast at a million rows)."""
    stage = f"stage_{table}"
    staged = ", ".join("NULL::bytea AS geom" if geom and c == "geom" else c for c in columns)
    cur.execute(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {staged} FROM {table} WITH NO DATA")
    _copy_rows(cur, stage, columns, rows)
    selected = ", ".join("ST_GeomFromWKB(geom, 4326)" if geom and c == "geom" else c for c in columns)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "id")
    cur.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selected} FROM {stage} ORDER BY ctid"
        f" ON CONFLICT (id) DO UPDATE SET {updates}"
    )


def _write_batch(cur: psycopg.Cursor, batch: _Batch) -> None:
    table = batch.table
    columns = [*table.stored, *(["search_text"] if table is INCIDENTS else [])]
    _upsert(cur, table.table, columns, [[r[c] for c in columns] for r in batch.records])
    if table.link:
        ids = [r["id"] for r in batch.records]
        cur.execute(f"DELETE FROM {table.link} WHERE {table.link_key} = ANY(%s)", (ids,))
        links = (
            (row_id, source, position)
            for row_id, cited in zip(ids, batch.cited, strict=True)
            for position, source in enumerate(cited)
        )
        _copy_rows(cur, table.link, [table.link_key, "source_id", "position"], links)  # type: ignore[list-item]


def _drop_unknown_sources(batch: _Batch, known: set[str]) -> list[Problem]:
    """Rejects rows citing a source the store will not hold (the foreign key would refuse them)."""
    keep, problems = [], []
    for index, (line, cited) in enumerate(zip(batch.lines, batch.cited, strict=True)):
        unknown = [s for s in cited if s not in known]
        if unknown:
            reason = f"cites unknown source {', '.join(map(repr, unknown))}"
            problems.append(Problem(batch.table.file, line, "sources", reason))
        else:
            keep.append(index)
    batch.records = [batch.records[i] for i in keep]
    batch.lines = [batch.lines[i] for i in keep]
    batch.cited = [batch.cited[i] for i in keep]
    return problems


def _search_texts(records: list[dict[str, Any]], municipalities: pd.DataFrame, settlements: pd.DataFrame) -> None:
    """Stores what the free-text filter matches (src.dataset.search_texts), so SQL can filter by text."""
    if records:
        texts = search_texts(pd.DataFrame.from_records(records), municipalities, settlements)
        for record, text in zip(records, texts, strict=True):
            record["search_text"] = text


def _reference_frames(conn: psycopg.Connection) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    by_table = {t.table: t for t in GEOJSON_TABLES}
    return geojson_frame(conn, by_table["municipalities"]), geojson_frame(conn, by_table["settlements"])


def _commit(
    url: str,
    batches: list[_Batch],
    features: dict[GeoJsonTable, list[dict[str, Any]]],
    documents: dict[str, str],
    report: Report,
    strict: bool,
) -> Report:
    """Writes everything in one transaction; any error rolls it all back and is reported."""
    migrate(url)
    try:
        with psycopg.connect(url) as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(SESSION_SETUP)  # type: ignore[arg-type]
            for table, records in features.items():
                columns = [*table.columns, "extra", "geom"]
                _upsert(cur, table.table, columns, [[r[c] for c in columns] for r in records], geom=True)
                report.written[table.file] = len(records)
            known = {row[0] for row in cur.execute("SELECT id FROM sources")}
            known |= {r["id"] for b in batches if b.table is SOURCES for r in b.records}
            for batch in batches:
                report.problems += _drop_unknown_sources(batch, known)
            if strict and report.problems:
                raise _Rejected
            municipalities, settlements = _reference_frames(conn)
            for batch in batches:
                if batch.table is INCIDENTS:
                    _search_texts(batch.records, municipalities, settlements)
                _write_batch(cur, batch)
                report.written[batch.table.file] = len(batch.records)
            for path, body in documents.items():
                cur.execute(
                    "INSERT INTO documents (path, body) VALUES (%s, %s)"
                    " ON CONFLICT (path) DO UPDATE SET body = EXCLUDED.body",
                    (path, body),
                )
                report.written[path] = 1
    except _Rejected:
        report.written = {}
        return report
    except psycopg.Error as err:
        report.written = {}
        report.problems.append(Problem("(database)", None, "", f"nothing written: {err}".strip()))
        return report
    report.committed = True
    return report


class _Rejected(Exception):
    """--strict and some rows were rejected: roll the transaction back."""


def import_dir(url: str, data_dir: Path, strict: bool = False) -> Report:
    """Imports every file of the geodata/ layout found in `data_dir` (a missing file is simply not imported)."""
    report = Report()
    batches = []
    for table in CSV_TABLES:
        if (data_dir / table.file).exists():
            batch, problems = _validate_csv(table, data_dir)
            batches.append(batch)
            report.problems += problems
    features = {}
    for table in GEOJSON_TABLES:
        if (data_dir / table.file).exists():
            features[table], problems = _geojson_records(table, data_dir)
            report.problems += problems
    documents = {}
    for pattern in DOCUMENT_PATTERNS:
        for path in sorted(data_dir.glob(pattern)):
            name = path.relative_to(data_dir).as_posix()
            document, problems = read_json(path)
            report.problems += problems
            if document is not None:
                documents[name] = path.read_bytes().decode("utf-8-sig")
    return _commit(url, batches, features, documents, report, strict)


def _upload_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Incidents read by src.upload (prepared frame) back as column values."""
    records = []
    for record in frame.to_dict("records"):
        values = {c: record.get(c) for c in INCIDENTS.stored}
        values["date"] = pd.Timestamp(record["date"]).date()
        values["end_date"] = None if pd.isna(record["end_date"]) else pd.Timestamp(record["end_date"]).date()
        for column in ("fatalities", "injuries"):
            values[column] = None if pd.isna(values[column]) else int(values[column])
        for column in ("latitude", "longitude"):
            values[column] = Decimal(repr(float(values[column])))
        values["search_text"] = record["search_text"]
        records.append(values)
    return records


def import_upload(url: str, path: Path, strict: bool = False) -> Report:
    """Imports one incidents CSV in the app's or ACLED's layout, read exactly as the app's upload reads it."""
    from src.upload import read_upload  # local: it pulls in the whole dataset module only for this path

    with tempfile.TemporaryDirectory() as snapshot:
        export(url, Path(snapshot), incident_limit=0)
        reference = load_dataset(Path(snapshot))
        upload = read_upload(path.name, path.read_bytes(), Path(snapshot), reference)
    report = Report(problems=list(upload.problems))
    if upload.layout == "none":
        return report
    sources = _Batch(SOURCES, records=[{c: s.get(c, "") for c in SOURCES.columns} for s in upload.sources.values()])
    sources.lines = [None] * len(sources.records)
    sources.cited = [[] for _ in sources.records]
    incidents = _Batch(INCIDENTS, records=_upload_records(upload.frame))
    incidents.lines = [None] * len(incidents.records)
    incidents.cited = [list(ids) for ids in upload.frame["sources"]]
    return _commit(url, [sources, incidents], {}, {}, report, strict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="postgresql://user@host:port/database")
    parser.add_argument("path", type=Path, help="a folder in the geodata/ layout, or one incidents CSV file")
    parser.add_argument("--strict", action="store_true", help="write nothing if any row is rejected")
    args = parser.parse_args(argv)
    started = dt.datetime.now()
    if args.path.is_dir():
        report = import_dir(args.url, args.path, args.strict)
    else:
        report = import_upload(args.url, args.path, args.strict)
    for problem in report.problems:
        print(f"rejected: {problem}", file=sys.stderr)
    seconds = (dt.datetime.now() - started).total_seconds()
    if not report.committed:
        print(f"nothing written ({len(report.problems)} problems)", file=sys.stderr)
        return 2
    written = ", ".join(f"{name} {count:,}" for name, count in report.written.items())
    print(f"written in {seconds:.1f} s: {written}; {len(report.problems)} rows rejected")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
