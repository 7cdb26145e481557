"""Loads a geodata/ folder, or one uploaded incidents CSV (the app's columns or ACLED's), into the store.

Every row goes through the file loader's own steps first (src/reading, src/validation, src/loading: the
layer's pydantic model, duplicate ids, the point inside Kosovo); valid rows are upserted by id, every
rejected row is reported by file, row and field, and everything is written in one transaction, so on any
failure the database is left exactly as it was. With --strict a single rejected row writes nothing.
One rule is stricter than the file loader's: a record citing a source (or a crossing) the store does not
hold is rejected (the foreign key), where the app would show it with a warning.

How a million rows load within a minute: the rows are validated in worker processes (one per core) that
turn each valid row into one CSV line of text; the lines are COPYed into a temporary staging table as they
come, and one INSERT … SELECT casts them into the table (ON CONFLICT: upsert by id). For a bulk load the
table's secondary indexes and the link tables' foreign keys are dropped first and built again once, at the
end, in the same transaction. Search text is folded once per distinct string.

    python -m src.store.importer postgresql://… geodata/          # a folder in the geodata/ layout
    python -m src.store.importer postgresql://… my-export.csv     # incidents in the app's or ACLED's layout

Exit status: 0 all rows written, 1 some rows rejected (the valid ones written unless --strict), 2 nothing
written (a database error, or --strict with rejected rows).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import psycopg
import shapely

from src.dataset import load_dataset
from src.layers import by_name
from src.layers import incidents as incident_layer
from src.loading import _keep_in_kosovo
from src.problems import Problem
from src.reading import read_csv_rows, read_json
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
from src.text import fold_series
from src.validation import required_columns, validate_rows

CHUNK_ROWS = 25_000  # rows per worker task
PARALLEL_ROWS = 50_000  # fewer rows are validated in this process
BULK_ROWS = 100_000  # from this many staged rows, indexes and foreign keys are built after the load
OWN_TEXT_COLUMNS = ("title", "description", "actors")


@dataclass
class Report:
    """What an import did: rows written per file, every rejected row, and whether anything was committed."""

    written: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False


@dataclass
class _Staged:
    """One CSV table's valid rows, COPYed into a staging table (`stage`), and the lines left out of it."""

    table: CsvTable
    stage: str
    count: int = 0
    keys: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------------------------- validation


def _text(column: str, value: Any, raw: dict[str, str], table: CsvTable) -> str:
    """A validated value as the text the staging table takes ('' for blank: cast back to NULL in SQL)."""
    if value is None:
        return ""
    if column in ("latitude", "longitude"):
        return raw[column].strip()  # the decimals as written
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _stage_columns(table: CsvTable) -> list[str]:
    return ["line", *table.columns, *(["search_text"] if table is INCIDENTS else [])]


def own_texts(frame: pd.DataFrame) -> pd.Series:
    """The folded words of each record itself (title, description, actors, id): the first part of
    src.layers.incidents.search_texts, folded once per distinct string."""
    parts = []
    for column in OWN_TEXT_COLUMNS:
        values = frame[column].fillna("").astype(str)
        distinct = pd.unique(values)
        folded = dict(zip(distinct, fold_series(pd.Series(distinct, dtype=object)), strict=True))
        parts.append(values.map(folded))
    parts.append(fold_series(frame["id"]) if len(frame) else frame["id"])
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.str.cat(part, sep=" ")
    return joined.str.split().str.join(" ") if len(frame) else joined


@dataclass
class _Checked:
    """What validating one chunk gives: CSV text of its model-valid rows, their (line, key), and problems."""

    text: str
    valid: list[tuple[int, str]]
    invalid: list[Problem]
    later: dict[int, Problem]  # line -> why a valid row is still left out (outside Kosovo, unknown reference)


# Set before the workers fork, so they inherit them instead of receiving them.
_JOB: dict[str, Any] = {}


def _check_chunk(bounds: tuple[int, int]) -> _Checked:
    """The loader's steps for rows[start:stop] of the job's table (all but duplicates, which span chunks)."""
    table: CsvTable = _JOB["table"]
    raw_rows = _JOB["rows"][bounds[0] : bounds[1]]
    known: dict[str, set[str]] = _JOB["known"]
    rows, invalid = validate_rows(table.file, raw_rows, table.model)
    later: dict[int, Problem] = {}
    if table.points and rows:
        _, outside = _keep_in_kosovo(table.file, rows, _JOB["data_dir"])
        later.update({p.row: p for p in outside})  # type: ignore[misc]
    for line, row in rows:
        if line in later:
            continue
        for link in table.links:
            unknown = [s for s in getattr(row, link.column) if s not in known["sources"]]
            if unknown:
                reason = f"cites unknown source {', '.join(map(repr, unknown))}"
                later[line] = Problem(table.file, line, link.column, reason)
                break
        for column, other in table.references:
            if line not in later and getattr(row, column) not in known[other]:
                later[line] = Problem(table.file, line, column, f"unknown {other} id {getattr(row, column)!r}")
    raw_by_line = dict(raw_rows)
    values = [[_text(c, getattr(row, c), raw_by_line[line], table) for c in table.columns] for line, row in rows]
    if table is INCIDENTS and rows:
        frame = pd.DataFrame(values, columns=list(table.columns), dtype=object)
        for texts, search in zip(values, own_texts(frame).tolist(), strict=True):
            texts.append(search)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerows([line, *texts] for (line, _), texts in zip(rows, values, strict=True))
    key = table.key
    valid = [(line, getattr(row, key) if key else "") for line, row in rows]
    return _Checked(out.getvalue(), valid, invalid, later)


def _chunks(count: int) -> list[tuple[int, int]]:
    return [(start, min(start + CHUNK_ROWS, count)) for start in range(0, count, CHUNK_ROWS)]


def _checked_chunks(table: CsvTable, rows: list, data_dir: Path, known: dict[str, set[str]]) -> Iterator[_Checked]:
    """Validated chunks in file order: in worker processes when there are many rows."""
    _JOB.update(table=table, rows=rows, data_dir=data_dir, known=known)
    try:
        workers = min(os.cpu_count() or 1, 4)
        if len(rows) < PARALLEL_ROWS or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            yield from map(_check_chunk, _chunks(len(rows)) or [(0, 0)])
            return
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_check_chunk, _chunks(len(rows)))
    finally:
        _JOB.clear()


# ------------------------------------------------------------------------------------------------- writing


def _columns_by_type(cur: psycopg.Cursor, table: str) -> dict[str, tuple[str, str]]:
    """Each column's declared type and its base type's category (S string, A array, …)."""
    rows = cur.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
        " (SELECT typcategory FROM pg_type WHERE oid = coalesce(nullif(t.typbasetype, 0), a.atttypid))"
        " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        (table,),
    ).fetchall()
    return {name: (declared, category) for name, declared, category in rows}


def _cast(column: str, declared: str, category: str) -> str:
    if category == "A":
        return f"string_to_array(s.{column}, ';')::{declared}"
    if category == "S":
        return f"s.{column}::{declared}"
    return f"nullif(s.{column}, '')::{declared}"


def _stage(
    cur: psycopg.Cursor, table: CsvTable, data_dir: Path, known: dict[str, set[str]]
) -> tuple[_Staged, list[Problem]]:
    """Validates the table's file and COPYs its valid rows into a staging table; the rejected rows' problems."""
    raw_rows, problems = read_csv_rows(data_dir / table.file, required_columns(table.model))
    staged = _Staged(table, f"stage_{table.table}")
    columns = _stage_columns(table)
    definition = ", ".join(f"{c} {'bigint' if c == 'line' else 'text'}" for c in columns)
    cur.execute(f"CREATE TEMP TABLE {staged.stage} ({definition}) ON COMMIT DROP")  # type: ignore[arg-type]
    first_line: dict[str, int] = {}
    left_out: list[int] = []
    with cur.copy(f"COPY {staged.stage} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy:  # type: ignore[arg-type]
        for checked in _checked_chunks(table, raw_rows, data_dir, known):
            copy.write(checked.text)
            problems += checked.invalid
            for line, key in checked.valid:
                if table.key and key in first_line:
                    reason = f"duplicate id {key!r} (first on row {first_line[key]})"
                    problems.append(Problem(table.file, line, "id", reason))
                    left_out.append(line)
                    continue
                first_line[key] = line
                if line in checked.later:
                    problems.append(checked.later[line])
                    left_out.append(line)
                    continue
                staged.count += 1
                if table.key:
                    staged.keys.add(key)
    if left_out:
        cur.execute(f"DELETE FROM {staged.stage} WHERE line = ANY(%s)", (left_out,))  # type: ignore[arg-type]
    return staged, problems


@dataclass
class _Deferred:
    """Secondary indexes and foreign keys dropped for a bulk load, to be built again after it."""

    statements: list[str] = field(default_factory=list)

    def drop(self, cur: psycopg.Cursor, table: str, foreign_keys: bool = False) -> None:
        for name, definition in cur.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique",
            (table,),
        ).fetchall():
            cur.execute(f"DROP INDEX {name}")  # type: ignore[arg-type]
            self.statements.append(definition)
        if foreign_keys:
            for name, definition in cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'",
                (table,),
            ).fetchall():
                cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")  # type: ignore[arg-type]
                self.statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")

    def rebuild(self, cur: psycopg.Cursor) -> None:
        for statement in self.statements:
            cur.execute(statement)  # type: ignore[arg-type]
        self.statements.clear()


def _write(cur: psycopg.Cursor, staged: _Staged, deferred: _Deferred) -> None:
    """Casts the staged rows into the table (upsert by key, file order) and replaces their link rows."""
    table, stage = staged.table, f"{staged.stage}"
    bulk = staged.count >= BULK_ROWS
    if bulk:
        deferred.drop(cur, table.table)
        for link in table.links:
            deferred.drop(cur, link.table, foreign_keys=True)
    types = _columns_by_type(cur, table.table)
    columns = [*table.stored, *(["search_text"] if table is INCIDENTS else [])]
    selected = ", ".join(_cast(c, *types[c]) for c in columns)
    if table.key:
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != table.key)
        cur.execute(
            f"INSERT INTO {table.table} ({', '.join(columns)}) SELECT {selected} FROM {stage} s ORDER BY s.line"  # type: ignore[arg-type]
            f" ON CONFLICT ({table.key}) DO UPDATE SET {updates}"
        )
        record = f"s.{table.key}"
    else:  # no id: the parent's rows are replaced, numbered in file order
        cur.execute(
            f"DELETE FROM {table.table} WHERE {table.parent} IN (SELECT {table.parent} FROM {stage})"  # type: ignore[arg-type]
        )
        cur.execute(f"ALTER TABLE {stage} ADD COLUMN record_id bigint")  # type: ignore[arg-type]
        sequence = f"pg_get_serial_sequence('{table.table}', 'id')"
        cur.execute(
            f"UPDATE {stage} s SET record_id = n.id FROM (SELECT line, nextval({sequence}) AS id FROM"  # type: ignore[arg-type]
            f" (SELECT line FROM {stage} ORDER BY line) o) n WHERE n.line = s.line"
        )
        cur.execute(
            f"INSERT INTO {table.table} (id, {', '.join(columns)}) SELECT s.record_id, {selected}"  # type: ignore[arg-type]
            f" FROM {stage} s ORDER BY s.line"
        )
        record = "s.record_id"
    for link in table.links:
        if table.key:
            cur.execute(
                f"DELETE FROM {link.table} WHERE {link.key} IN (SELECT {table.key} FROM {stage})"  # type: ignore[arg-type]
            )
        cur.execute(
            f"INSERT INTO {link.table} ({link.key}, source_id, position)"  # type: ignore[arg-type]
            f" SELECT {record}, p.source_id, p.position - 1 FROM {stage} s,"
            f" unnest(string_to_array(s.{link.column}, ';')) WITH ORDINALITY AS p(source_id, position)"
        )


def place_texts(conn: psycopg.Connection, frame: pd.DataFrame) -> pd.Series:
    """What each distinct place adds to the search text (src.layers.incidents.search_texts without the
    record's own words): its names in every language, the gazetteer's variants, the municipality's names."""
    by_table = {t.table: t for t in GEOJSON_TABLES}
    gazetteer = incident_layer.Gazetteer.of(
        geojson_frame(conn, by_table["municipalities"]), geojson_frame(conn, by_table["settlements"])
    )
    blank = frame.assign(**{c: "" for c in (*OWN_TEXT_COLUMNS, "id")})
    return incident_layer.search_texts(blank, gazetteer).str.removeprefix(" | ")


def refresh_place_texts(conn: psycopg.Connection, cur: psycopg.Cursor) -> None:
    """Rebuilds incident_place_texts from the incidents' distinct places (and the current gazetteer)."""
    key = ["place", "place_sq", "place_sr", "municipality"]
    frame = pd.DataFrame(
        cur.execute(f"SELECT DISTINCT {', '.join(key)} FROM incidents").fetchall(), columns=key, dtype=object
    )
    texts = place_texts(conn, frame) if len(frame) else pd.Series(dtype=object)
    cur.execute("DELETE FROM incident_place_texts")
    with cur.copy(
        "COPY incident_place_texts (place, place_sq, place_sr, municipality, search_text) FROM STDIN"
    ) as copy:
        for values, text in zip(frame.itertuples(index=False), texts, strict=True):
            copy.write_row((*values, text))


# --------------------------------------------------------------------------------------------- the import


def _geojson_records(table: GeoJsonTable, data_dir: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Valid features (the layer's own loader) with the properties its model does not name kept in `extra`."""
    layer = by_name()[table.table].load(data_dir)
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


def _upsert_features(cur: psycopg.Cursor, table: GeoJsonTable, records: list[dict[str, Any]]) -> None:
    columns = [*table.columns, "extra", "geom"]
    stage = f"stage_{table.table}"
    staged = ", ".join("NULL::bytea AS geom" if c == "geom" else c for c in columns)
    cur.execute(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {staged} FROM {table.table} WITH NO DATA")  # type: ignore[arg-type]
    with cur.copy(f"COPY {stage} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[arg-type]
        for record in records:
            copy.write_row([record[c] for c in columns])
    selected = ", ".join("ST_GeomFromWKB(geom, 4326)" if c == "geom" else c for c in columns)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "id")
    cur.execute(
        f"INSERT INTO {table.table} ({', '.join(columns)}) SELECT {selected} FROM {stage} ORDER BY ctid"  # type: ignore[arg-type]
        f" ON CONFLICT (id) DO UPDATE SET {updates}"
    )


class _Rejected(Exception):
    """--strict and some rows were rejected: roll the transaction back."""


def _known(cur: psycopg.Cursor, table: str, key: str = "id") -> set[str]:
    return {row[0] for row in cur.execute(f"SELECT {key} FROM {table}")}  # type: ignore[arg-type]


def import_dir(url: str, data_dir: Path, strict: bool = False) -> Report:
    """Imports every file of the geodata/ layout found in `data_dir` (a missing file is simply not imported)."""
    report = Report()
    features: dict[GeoJsonTable, list[dict[str, Any]]] = {}
    for table in GEOJSON_TABLES:
        if (data_dir / table.file).exists():
            features[table], problems = _geojson_records(table, data_dir)
            report.problems += problems
    documents = {}
    for pattern in DOCUMENT_PATTERNS:
        for path in sorted(data_dir.glob(pattern)):
            document, problems = read_json(path)
            report.problems += problems
            if document is not None:
                documents[path.relative_to(data_dir).as_posix()] = path.read_bytes().decode("utf-8-sig")
    tables = [t for t in CSV_TABLES if (data_dir / t.file).exists()]
    return _commit(url, data_dir, tables, features, documents, report, strict)


def _commit(
    url: str,
    data_dir: Path,
    tables: list[CsvTable],
    features: dict[GeoJsonTable, list[dict[str, Any]]],
    documents: dict[str, str],
    report: Report,
    strict: bool,
) -> Report:
    """Validates, stages and writes everything in one transaction; any error rolls it all back."""
    migrate(url)
    try:
        with psycopg.connect(url) as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(SESSION_SETUP)  # type: ignore[arg-type]
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cur.execute("SET temp_buffers = '512MB'")  # the staging tables (before their first use)
            for table, records in features.items():
                _upsert_features(cur, table, records)
                report.written[table.file] = len(records)
            known = {"sources": _known(cur, "sources"), "crossings": _known(cur, "crossings")}
            staged = []
            for table in tables:
                batch, problems = _stage(cur, table, data_dir, known)
                report.problems += problems
                if table.table in known:
                    known[table.table] |= batch.keys
                staged.append(batch)
            if strict and report.problems:
                raise _Rejected
            _write_all(conn, cur, staged, report)
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


def _write_all(conn: psycopg.Connection, cur: psycopg.Cursor, staged: list[_Staged], report: Report) -> None:
    deferred = _Deferred()
    for batch in staged:
        _write_batch(cur, batch, deferred)
        report.written[batch.table.file] = batch.count
    deferred.rebuild(cur)
    for batch in staged:
        if batch.count >= BULK_ROWS:  # fresh statistics, or the planner guesses with the old ones
            cur.execute(f"ANALYZE {batch.table.table}")  # type: ignore[arg-type]
            for link in batch.table.links:
                cur.execute(f"ANALYZE {link.table}")  # type: ignore[arg-type]
    if any(batch.table is INCIDENTS for batch in staged) or report.written.keys() & {
        "settlements.geojson",
        "municipalities.geojson",
    }:
        refresh_place_texts(conn, cur)


def _write_batch(cur: psycopg.Cursor, batch: _Staged, deferred: _Deferred) -> None:
    _write(cur, batch, deferred)


# ------------------------------------------------------------------------------------------------ uploads


def _upload_csv(frame: pd.DataFrame, folder: Path) -> None:
    """Incidents read by src.upload (a prepared frame) written back as an incidents.csv for the importer."""
    out = pd.DataFrame(index=frame.index)
    for column in INCIDENTS.columns:
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        if column in ("date", "end_date"):
            values = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif column in ("latitude", "longitude"):
            values = values.map(lambda v: repr(float(v)))
        elif values.map(lambda v: isinstance(v, list | tuple)).any():
            values = values.map(lambda v: ";".join(v) if isinstance(v, list | tuple) else "")
        elif pd.api.types.is_numeric_dtype(values):
            values = values.astype("Int64")
        out[column] = values.astype(object).where(values.notna(), "")
    out.to_csv(folder / INCIDENTS.file, index=False)


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
        with tempfile.TemporaryDirectory() as folder:
            staged = Path(folder)
            for name in ("kosovo.geojson",):  # the loader's Kosovo check reads the outline from the folder
                (staged / name).write_bytes((Path(snapshot) / name).read_bytes())
            sources = pd.DataFrame([{c: s.get(c, "") for c in SOURCES.columns} for s in upload.sources.values()])
            sources.reindex(columns=list(SOURCES.columns)).to_csv(staged / SOURCES.file, index=False)
            _upload_csv(upload.frame, staged)
            tables = [SOURCES, INCIDENTS]
            return _commit(url, staged, tables, {}, {}, report, strict)


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
