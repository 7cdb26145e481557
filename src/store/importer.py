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
end, in the same transaction; all but the text-search index, which alone took as long as the rest of the
import (about 45 s at a million incidents): it is built after the commit, in a transaction of its own, while
the app already shows the new rows (a text search scans until it is there). Before it, a VACUUM marks the
loaded pages all-visible, so that the map's cells are counted from the indexes at once. Search text is
folded once per distinct string.

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
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import psycopg
import shapely

from src.dataset import load_dataset
from src.layers import by_name
from src.layers import incidents as incident_layer
from src.loading import _keep_in_kosovo, cycle_collector_paused
from src.problems import Problem
from src.reading import Rows, parse_csv, read_json, read_text
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
from src.text import fold
from src.validation import required_columns, validate_rows

PART_BYTES = 8 * 1024 * 1024  # text per worker task (about 18,000 incidents)
PARALLEL_BYTES = 2 * PART_BYTES  # a smaller file is validated in this process
BULK_ROWS = 100_000  # from this many lines, indexes and foreign keys are built after the load
MAINTENANCE_MEMORY = "512MB"  # for building indexes (1 GB built the text-search index no faster)


@dataclass
class Report:
    """What an import did: rows written per file, every rejected row, and whether anything was committed."""

    written: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    indexes_built: int = 0  # after the commit (a bulk load's text-search index)
    after_commit_seconds: float = 0.0  # a bulk load's VACUUM and those indexes (the rows show before)


# ------------------------------------------------------------------------------------------------- reading

# Appended to every part but the last: it comes back as a row of its own unless the part ended inside a
# quoted field (a record spanning the split), which is then found instead of trusted.
_SENTINEL = "\ue000end of part\ue000"


def _line_ends(text: str, start: int, stop: int) -> int:
    """Line ends in text[start:stop] as csv's reader counts them (\\n, \\r\\n and a lone \\r)."""
    return text.count("\n", start, stop) + text.count("\r", start, stop) - text.count("\r\n", start, stop)


def _parts(text: str, count: int) -> list[tuple[int, int, int]]:
    """`text` cut into about `count` parts at record boundaries: (start, stop, line of the part's first record).

    A line end is a boundary when an even number of quotes comes before it; parts after the first are read
    with the header put in front, and each part's end is checked (the sentinel). One part when the header is
    not a plain line."""
    header_end = text.find("\n") + 1
    header = text[:header_end]
    if count < 2 or not header_end or '"' in header or len(header.splitlines()) != 1:
        return [(0, len(text), 1)]
    size = max(1, (len(text) - header_end) // count)
    parts, start, quotes, line = [], 0, 0, 1
    while start < len(text):
        stop = text.find("\n", max(start + 1, header_end + len(parts) * size + size - 1)) + 1 or len(text)
        quotes += text.count('"', start, stop)
        while quotes % 2 and stop < len(text):
            after = text.find("\n", stop) + 1 or len(text)
            quotes += text.count('"', stop, after)
            stop = after
        parts.append((start, stop, line))
        line += _line_ends(text, start, stop)
        start = stop
    return parts


class _Misaligned(Exception):
    """A part did not end at a record boundary (a quote inside an unquoted field): read the file in one part."""


def _read_part(name: str, text: str, part: tuple[int, int, int], required: list[str]) -> tuple[Rows, list[Problem]]:
    """The rows of one part, numbered by their line in the whole file, read by the file loader's own parser."""
    start, stop, line = part
    if start == 0 and stop == len(text):
        return parse_csv(name, text, required)
    header = text[: text.find("\n") + 1]
    last = stop == len(text)
    body = (header if start else "") + text[start:stop] + ("" if last else _SENTINEL + "\n")
    rows, problems = parse_csv(name, body, required)
    if not last:
        if not rows or next(iter(rows[-1][1].values())) != _SENTINEL:
            raise _Misaligned
        rows.pop()
    shift = line - 2 if start else 0
    if shift:
        rows = [(number + shift, record) for number, record in rows]
        problems = [replace(p, row=p.row + shift) if p.row is not None else p for p in problems]
    return rows, problems


# ---------------------------------------------------------------------------------------------- validation

OWN_TEXT_COLUMNS = ("title", "description", "actors", "id")


def own_search_texts(records: list[list[str]]) -> list[str]:
    """The folded words of each record itself (title, description, actors, id): the first part of
    src.layers.incidents.search_texts."""
    return [fold(" ".join(values)) for values in records]


@dataclass
class _Checked:
    """One part of a file validated: per model-valid row (line, key, why it is still left out or None, its
    line for COPY into the table, its link rows' lines per link), and the rows that failed validation."""

    rows: list[tuple[int, str, Problem | None, str, tuple[str, ...]]]
    invalid: list[Problem]


# Set before the workers fork, so they inherit them instead of receiving them.
_JOB: dict[str, Any] = {}


def table_columns(table: CsvTable) -> list[str]:
    """The table's columns a file row gives: the file's own (not the source lists) and the search text."""
    return [*table.stored, *(["search_text"] if table is INCIDENTS else [])]


def _csv_lines(rows: list[list[Any]]) -> list[str]:
    """Each row as one CSV record (a quoted field may hold line breaks, so the text is cut where each ends)."""
    out = io.StringIO()
    writer, ends = csv.writer(out, lineterminator="\n"), []
    for row in rows:
        writer.writerow(row)
        ends.append(out.tell())
    text = out.getvalue()
    return [text[start:stop] for start, stop in zip([0, *ends], ends, strict=False)]


def _check_part(index: int) -> _Checked:
    """The loader's steps for one part of the job's file (all but duplicate ids, which span parts), and each
    valid row as COPY lines: blank is NULL (text columns are read with FORCE_NOT_NULL), lists as arrays, the
    coordinates as written."""
    table: CsvTable = _JOB["table"]
    known: dict[str, set[str]] = _JOB["known"]
    with cycle_collector_paused():
        return _check_rows(table, index, known)


def _check_rows(table: CsvTable, index: int, known: dict[str, set[str]]) -> _Checked:
    raw_rows, problems = _read_part(table.file, _JOB["text"], _JOB["parts"][index], required_columns(table.model))
    rows, invalid = validate_rows(table.file, raw_rows, table.model)
    later: dict[int, Problem] = {}
    if table.points and rows:
        _, outside = _keep_in_kosovo(table.file, rows, _JOB["data_dir"])
        later.update({p.row: p for p in outside})  # type: ignore[misc]
    raw = dict(raw_rows) if table.points else {}
    columns = list(table.stored)
    arrays = [i for i, c in enumerate(columns) if c in table.arrays]
    written = [i for i, c in enumerate(columns) if c in ("latitude", "longitude")]  # the decimals as written
    sources, values, links = known["sources"], [], []
    for line, row in rows:
        fields = row.__dict__
        if line not in later:
            for link in table.links:
                unknown = [s for s in fields[link.column] if s not in sources]
                if unknown:
                    reason = f"cites unknown source {', '.join(map(repr, unknown))}"
                    later[line] = Problem(table.file, line, link.column, reason)
                    break
        for column, other in table.references:
            if line not in later and fields[column] not in known[other]:
                later[line] = Problem(table.file, line, column, f"unknown {other} id {fields[column]!r}")
        record = [fields[c] for c in columns]
        for i in arrays:
            record[i] = "{" + ",".join(record[i]) + "}"
        for i in written:
            record[i] = raw[line][columns[i]].strip()
        values.append(record)
        reference = fields[table.key] if table.key else line  # ids are slugs: nothing to quote
        links.append(
            tuple(
                "".join([f"{reference},{source},{position}\n" for position, source in enumerate(fields[link.column])])
                for link in table.links
            )
        )
    if table is INCIDENTS and rows:
        texts = own_search_texts([[row.__dict__[c] for c in OWN_TEXT_COLUMNS] for _, row in rows])
        for record, text in zip(values, texts, strict=True):
            record.append(text)
    key = table.key
    checked = [
        (line, row.__dict__[key] if key else "", later.get(line), text, row_links)
        for (line, row), text, row_links in zip(rows, _csv_lines(values), links, strict=True)
    ]
    return _Checked(checked, problems + invalid)


def _checked_parts(
    table: CsvTable, text: str, data_dir: Path, known: dict[str, set[str]], parallel: bool
) -> Iterator[_Checked]:
    """Validated parts in file order: in worker processes (one per core) for a large file."""
    workers = min(os.cpu_count() or 1, 4)
    parallel = parallel and len(text) >= PARALLEL_BYTES and workers > 1
    parallel = parallel and "fork" in multiprocessing.get_all_start_methods()
    parts = _parts(text, max(1, len(text) // PART_BYTES)) if parallel else [(0, len(text), 1)]
    _JOB.update(table=table, text=text, parts=parts, data_dir=data_dir, known=known)
    try:
        if len(parts) == 1:
            yield _check_part(0)
            return
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_check_part, range(len(parts)))
    finally:
        _JOB.clear()


# ------------------------------------------------------------------------------------------------- writing


@dataclass
class _Batch:
    """One CSV table's import: rows COPYed straight into the table (new keys), rows for the staging table
    (keys the table holds already, or a table without keys), link rows, and the keys written."""

    table: CsvTable
    data_dir: Path
    count: int = 0
    keys: set[str] = field(default_factory=set)
    staged: list[str] = field(default_factory=list)
    links: list[list[str]] = field(default_factory=list)


@dataclass
class _Deferred:
    """Secondary indexes and foreign keys dropped for a bulk load, to be built again after it: in the same
    transaction, or for a GIN (text-search) index, after the commit (its definition waits in pending_indexes,
    committed with the rows, so that an import stopped in between leaves it to the next: build_pending_indexes)."""

    statements: list[str] = field(default_factory=list)
    after_commit: list[str] = field(default_factory=list)

    def drop(self, cur: psycopg.Cursor, table: str, foreign_keys: bool = False) -> None:
        for name, definition in cur.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique",
            (table,),
        ).fetchall():
            cur.execute(f"DROP INDEX {name}")  # type: ignore[arg-type]
            (self.after_commit if " USING gin " in definition else self.statements).append(definition)
        if foreign_keys:
            for name, definition in cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype IN ('f', 'p') ORDER BY contype DESC",
                (table,),
            ).fetchall():
                cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")  # type: ignore[arg-type]
                self.statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")

    def rebuild(self, cur: psycopg.Cursor) -> None:
        for statement in self.statements:
            cur.execute(statement)  # type: ignore[arg-type]
        for definition in self.after_commit:
            cur.execute("INSERT INTO pending_indexes VALUES (%s) ON CONFLICT DO NOTHING", (definition,))
        self.statements.clear()
        self.after_commit.clear()


def build_pending_indexes(url: str) -> int:
    """Builds the indexes bulk imports left for after their commit, each in a transaction of its own (the app
    reads on meanwhile; writers wait), and says how many. Two importers never build the same one."""
    built = 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"SET maintenance_work_mem = '{MAINTENANCE_MEMORY}'")  # type: ignore[arg-type]
        while True:
            with conn.transaction():
                row = conn.execute("SELECT definition FROM pending_indexes LIMIT 1 FOR UPDATE SKIP LOCKED").fetchone()
                if row is None:
                    return built
                conn.execute(row[0].replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
                conn.execute("DELETE FROM pending_indexes WHERE definition = %s", row)
            built += 1


def _not_null(cur: psycopg.Cursor, table: str, columns: list[str]) -> list[str]:
    """The columns of text types (a blank is '', never NULL): COPY's FORCE_NOT_NULL list."""
    rows = cur.execute(
        "SELECT a.attname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped AND (SELECT typcategory"
        " FROM pg_type WHERE oid = coalesce(nullif(t.typbasetype, 0), a.atttypid)) = 'S'",
        (table,),
    ).fetchall()
    text = {row[0] for row in rows}
    return [c for c in columns if c in text]


def _copy(cur: psycopg.Cursor, table: str, columns: list[str], lines: Iterator[str] | list[str]) -> None:
    not_null = _not_null(cur, table, columns)
    options = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv{options})") as copy:  # type: ignore[arg-type]
        for text in lines:
            copy.write(text)


def _write_batch(cur: psycopg.Cursor, batch: _Batch, known: dict[str, set[str]], deferred: _Deferred) -> list[Problem]:
    """Validates the table's file and writes its valid rows (upsert by key, file order) and their link rows;
    the rejected rows' problems."""
    table = batch.table
    text, problems = read_text(batch.data_dir / table.file)
    if text is None:
        return problems
    header_problems = parse_csv(table.file, text[: text.find("\n") + 1 or len(text)], required_columns(table.model))[1]
    if header_problems:
        return problems + header_problems
    if table.key and text.count("\n") >= BULK_ROWS:
        deferred.drop(cur, table.table)
        for link in table.links:
            deferred.drop(cur, link.table, foreign_keys=True)
    columns = table_columns(table)
    cur.execute("SAVEPOINT read_in_parts")
    try:
        rejected = _copy_new_rows(cur, batch, text, known, columns, parallel=True)
    except _Misaligned:  # a quote inside an unquoted field fooled the cut: read the file in one part
        cur.execute("ROLLBACK TO SAVEPOINT read_in_parts")
        batch.count, batch.keys, batch.staged, batch.links = 0, set(), [], []
        rejected = _copy_new_rows(cur, batch, text, known, columns, parallel=False)
    _write_staged(cur, batch, columns)
    return problems + rejected


def _copy_new_rows(
    cur: psycopg.Cursor, batch: _Batch, text: str, known: dict[str, set[str]], columns: list[str], parallel: bool
) -> list[Problem]:
    """COPYs the rows of new keys into the table as the validated parts come; keeps the others (and every
    row's link rows) in the batch for _write_staged. The rejected rows' problems."""
    table, problems, first_line = batch.table, [], {}
    existing = _known(cur, table.table, table.key) if table.key else set()

    def new_rows() -> Iterator[str]:
        for checked in _checked_parts(table, text, batch.data_dir, known, parallel):
            problems.extend(checked.invalid)
            lines = []
            for line, key, left_out, row_text, links in checked.rows:
                if table.key:
                    if key in first_line:
                        reason = f"duplicate id {key!r} (first on row {first_line[key]})"
                        problems.append(Problem(table.file, line, "id", reason))
                        continue
                    first_line[key] = line
                if left_out is not None:
                    problems.append(left_out)
                    continue
                batch.count += 1
                batch.links.append(links)
                if table.key and key not in existing:
                    lines.append(row_text)
                else:
                    batch.staged.append(f"{line},{row_text}")
                if table.key:
                    batch.keys.add(key)
            yield "".join(lines)

    _copy(cur, table.table, columns, new_rows())
    return problems


def _write_staged(cur: psycopg.Cursor, batch: _Batch, columns: list[str]) -> None:
    """The rows that need SQL: an upsert of keys the table holds already, or a keyless table's rows replaced
    per parent; then every written row's link rows."""
    table = batch.table
    links = [[lines[i] for lines in batch.links] for i in range(len(table.links))]
    stage = f"stage_{table.table}"
    cur.execute(
        f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT 0::bigint AS line, {', '.join(columns)}"  # type: ignore[arg-type]
        f" FROM {table.table} WITH NO DATA"
    )
    _copy(cur, stage, ["line", *columns], batch.staged)
    selected = ", ".join(columns)
    if table.key:
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != table.key)
        cur.execute(
            f"INSERT INTO {table.table} ({selected}) SELECT {selected} FROM {stage} ORDER BY line"  # type: ignore[arg-type]
            f" ON CONFLICT ({table.key}) DO UPDATE SET {updates}"
        )
        for link in table.links:
            cur.execute(
                f"DELETE FROM {link.table} WHERE {link.key} IN (SELECT {table.key} FROM {stage})"  # type: ignore[arg-type]
            )
        for link, lines in zip(table.links, links, strict=True):
            _copy(cur, link.table, [link.key, "source_id", "position"], lines)
        return
    # No key: the parent's rows are replaced, numbered in file order; link rows name their row by its line.
    cur.execute(f"DELETE FROM {table.table} WHERE {table.parent} IN (SELECT {table.parent} FROM {stage})")  # type: ignore[arg-type]
    cur.execute(f"ALTER TABLE {stage} ADD COLUMN record_id bigint")  # type: ignore[arg-type]
    sequence = f"pg_get_serial_sequence('{table.table}', 'id')"
    cur.execute(
        f"UPDATE {stage} s SET record_id = n.id FROM (SELECT line, nextval({sequence}) AS id FROM"  # type: ignore[arg-type]
        f" (SELECT line FROM {stage} ORDER BY line) o) n WHERE n.line = s.line"
    )
    cur.execute(
        f"INSERT INTO {table.table} (id, {selected}) SELECT record_id, {selected} FROM {stage} ORDER BY line"  # type: ignore[arg-type]
    )
    for link, lines in zip(table.links, links, strict=True):
        link_stage = f"stage_{link.table}"
        cur.execute(
            f"CREATE TEMP TABLE {link_stage} (line bigint, source_id text, position smallint) ON COMMIT DROP"  # type: ignore[arg-type]
        )
        _copy(cur, link_stage, ["line", "source_id", "position"], lines)
        cur.execute(
            f"INSERT INTO {link.table} ({link.key}, source_id, position) SELECT s.record_id, l.source_id,"  # type: ignore[arg-type]
            f" l.position FROM {link_stage} l JOIN {stage} s USING (line)"
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
    """Validates and writes everything in one transaction; any error rolls it all back."""
    migrate(url)
    try:
        with psycopg.connect(url) as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(SESSION_SETUP)  # type: ignore[arg-type]
            # Nothing is lost by not waiting for the commit's WAL flush but the last moment's import itself.
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MEMORY}'")  # type: ignore[arg-type]
            cur.execute("SET temp_buffers = '512MB'")  # the staging tables (before their first use)
            for table, records in features.items():
                _upsert_features(cur, table, records)
                report.written[table.file] = len(records)
            known = {"sources": _known(cur, "sources"), "crossings": _known(cur, "crossings")}
            deferred, batches = _Deferred(), []
            for table in tables:
                batch = _Batch(table, data_dir)
                report.problems += _write_batch(cur, batch, known, deferred)
                report.written[table.file] = batch.count
                if table.table in known:
                    known[table.table] |= batch.keys
                batches.append(batch)
            if strict and report.problems:
                raise _Rejected
            deferred.rebuild(cur)
            bulk = [b.table.table for b in batches if b.count >= BULK_ROWS]
            bulk += [link.table for b in batches if b.count >= BULK_ROWS for link in b.table.links]
            for table in bulk:  # fresh statistics, or the planner guesses with the old ones
                cur.execute(f"ANALYZE {table}")  # type: ignore[arg-type]
            if any(batch.table is INCIDENTS for batch in batches) or report.written.keys() & {
                "settlements.geojson",
                "municipalities.geojson",
            }:
                refresh_place_texts(conn, cur)
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
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in bulk:  # pages marked all-visible: a view's cells are counted from an index alone
            conn.execute(f"VACUUM {table}")  # type: ignore[arg-type]
    report.indexes_built = build_pending_indexes(url)
    report.after_commit_seconds = time.perf_counter() - started
    return report


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
    seconds = (dt.datetime.now() - started).total_seconds() - report.after_commit_seconds
    if not report.committed:
        print(f"nothing written ({len(report.problems)} problems)", file=sys.stderr)
        return 2
    written = ", ".join(f"{name} {count:,}" for name, count in report.written.items())
    print(f"written in {seconds:.1f} s: {written}; {len(report.problems)} rows rejected")
    if report.after_commit_seconds >= 1:
        print(f"then {report.after_commit_seconds:.1f} s to vacuum and build {report.indexes_built} index(es) again")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
