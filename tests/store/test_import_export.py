"""Import (the file loader's validation, one transaction, upsert by id) and the byte-for-byte export."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import psycopg
import pytest

from src.config import DEFAULT_DATA_DIR
from src.store import importer, postgis
from src.store.exporter import export
from src.view import View
from tests.conftest import GOOD_ROWS, csv_text

DATA_FILES = sorted(str(p.relative_to(DEFAULT_DATA_DIR)) for p in DEFAULT_DATA_DIR.rglob("*.*") if p.suffix != ".md")


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.suffix != ".md"}


def append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as out:
        header = next(csv.reader([path.read_text(encoding="utf-8").splitlines()[0]]))
        csv.DictWriter(out, fieldnames=header, lineterminator="\n").writerows(rows)


def test_geodata_round_trips_byte_for_byte(pg_url, tmp_path) -> None:
    report = importer.import_dir(pg_url, DEFAULT_DATA_DIR)
    assert report.committed and report.problems == []
    export(pg_url, tmp_path / "out")
    exported = files(tmp_path / "out")
    assert sorted(exported) == DATA_FILES
    for name, content in files(DEFAULT_DATA_DIR).items():
        assert exported[name] == content, name


def test_rejected_rows_are_named_and_the_valid_ones_written(pg_url, data_dir, tmp_path) -> None:
    good = GOOD_ROWS["incidents.csv"] | {"sources": "icg-20240402-northern-kosovo"}
    append_rows(
        data_dir / "incidents.csv",
        [
            good,  # line 238
            good | {"id": "inc-bad-category", "category": "picnic"},  # line 239
            good | {"id": "inc-unknown-source", "sources": "no-such-source"},  # line 240
            good | {"id": "inc-outside", "latitude": "45.0"},  # line 241
        ],
    )
    report = importer.import_dir(pg_url, data_dir)
    assert report.committed
    where = {(p.file, p.row, p.field) for p in report.problems}
    assert where == {
        ("incidents.csv", 239, "category"),
        ("incidents.csv", 240, "sources"),
        ("incidents.csv", 241, "latitude/longitude"),
    }
    assert report.written["incidents.csv"] == 237
    with psycopg.connect(pg_url) as conn:
        ids = {row[0] for row in conn.execute("SELECT id FROM incidents")}
    assert good["id"] in ids and "inc-bad-category" not in ids and "inc-unknown-source" not in ids


def test_import_upserts_by_id(pg_url, data_dir) -> None:
    importer.import_dir(pg_url, DEFAULT_DATA_DIR)
    path = data_dir / "incidents.csv"
    text = path.read_text(encoding="utf-8")
    first_id = text.splitlines()[1].split(",")[0]
    path.write_text(text.replace("Serbs block road to Brnjak", "Road to Brnjak blocked", 1), encoding="utf-8")
    assert importer.import_dir(pg_url, data_dir).committed
    with psycopg.connect(pg_url) as conn:
        count, title = conn.execute(
            "SELECT count(*), max(title) FILTER (WHERE id = %s) FROM incidents", (first_id,)
        ).fetchone()
    assert count == 236 and title.startswith("Road to Brnjak blocked")


def test_strict_import_with_a_bad_row_changes_nothing(pg_url, data_dir, tmp_path) -> None:
    importer.import_dir(pg_url, DEFAULT_DATA_DIR)
    path = data_dir / "incidents.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Serbs block", "Changed", 1), encoding="utf-8")
    append_rows(path, [GOOD_ROWS["incidents.csv"] | {"category": "picnic"}])
    report = importer.import_dir(pg_url, data_dir, strict=True)
    assert not report.committed and report.problems
    export(pg_url, tmp_path / "out")
    assert files(tmp_path / "out") == files(DEFAULT_DATA_DIR)


def test_a_database_error_midway_leaves_the_database_as_it_was(pg_url, data_dir, tmp_path, monkeypatch) -> None:
    importer.import_dir(pg_url, DEFAULT_DATA_DIR)
    path = data_dir / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Radio Free Europe", "RFE", 1), encoding="utf-8")
    real = importer._write_batch

    def failing(cur, batch, *rest):
        if batch.table is importer.INCIDENTS:
            raise psycopg.OperationalError("connection lost (simulated)")
        return real(cur, batch, *rest)

    monkeypatch.setattr(importer, "_write_batch", failing)
    report = importer.import_dir(pg_url, data_dir)
    assert not report.committed
    assert "connection lost" in str(report.problems[-1])
    export(pg_url, tmp_path / "out")
    assert files(tmp_path / "out") == files(DEFAULT_DATA_DIR)


def test_an_acled_upload_imports_as_the_app_reads_it(pg_url, tmp_path) -> None:
    importer.import_dir(pg_url, DEFAULT_DATA_DIR)
    row = {
        "event_id_cnty": "XKX123",
        "event_date": "2024-03-05",
        "event_type": "Protests",
        "sub_event_type": "Peaceful protest",
        "latitude": "42.8914",
        "longitude": "20.8660",
        "geo_precision": "1",
        "time_precision": "1",
        "location": "Mitrovica",
        "source": "Koha",
        "fatalities": "0",
    }
    upload = tmp_path / "acled.csv"
    upload.write_text(csv_text([row, row | {"event_id_cnty": "XKX124", "event_type": ""}]), encoding="utf-8")
    assert importer.main([pg_url, str(upload)]) in (0, 1)
    with psycopg.connect(pg_url) as conn:
        incident = conn.execute("SELECT category, date_precision FROM incidents WHERE id = 'acled-xkx123'").fetchone()
        cited = conn.execute("SELECT source_id FROM incident_sources WHERE incident_id = 'acled-xkx123'").fetchall()
    assert incident == ("protest", "day")
    assert cited == [("upload-koha",)]


def test_command_line_reports_rejected_rows(pg_url, data_dir, capsys) -> None:
    append_rows(data_dir / "incidents.csv", [GOOD_ROWS["incidents.csv"] | {"date": "yesterday"}])
    assert importer.main([pg_url, str(data_dir)]) == 1
    assert "rejected: incidents.csv, row 238, date:" in capsys.readouterr().err


@pytest.mark.parametrize("strict", [True, False])
def test_an_empty_folder_writes_nothing(pg_url, tmp_path, strict) -> None:
    report = importer.import_dir(pg_url, tmp_path, strict=strict)
    assert report.problems == [] and report.written == {}


def test_parts_are_cut_between_records_and_numbered_by_file_line() -> None:
    text = 'id,title\r\na,"two\nlines"\nb,plain\n\nc,"quote "" and\n\nbreak"\nd,last'
    parts = importer._parts(text, 5)
    assert len(parts) > 1 and parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(stop == start for (_, stop, _), (start, _, _) in itertools.pairwise(parts))
    rows = [row for part in parts for row in importer._read_part("x.csv", text, part, ["id"])[0]]
    whole = importer.parse_csv("x.csv", text, ["id"])[0]
    assert rows == whole and [line for line, _ in whole] == [3, 4, 8, 9]


def test_a_quote_inside_an_unquoted_field_is_found_not_trusted() -> None:
    text = 'id,title\na,5" tall\nb,"x\ny"\nc,z\n'  # the literal quote makes the quote count lie
    parts = importer._parts(text, 4)
    with pytest.raises(importer._Misaligned):
        for part in parts:
            importer._read_part("x.csv", text, part, ["id"])


@pytest.fixture
def in_parts(monkeypatch) -> None:
    """Every file read in parts by worker processes, and written the bulk way (indexes rebuilt after)."""
    monkeypatch.setattr(importer, "PART_BYTES", 4096)
    monkeypatch.setattr(importer, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(importer, "BULK_ROWS", 0)


def test_read_in_parts_the_import_is_the_same(pg_url, data_dir, tmp_path, in_parts) -> None:
    good = GOOD_ROWS["incidents.csv"] | {"sources": "icg-20240402-northern-kosovo"}
    rows = [good | {"id": f"inc-extra-{i}", "description": f'line one\nline "{i}"'} for i in range(40)]
    rows[7] |= {"category": "picnic"}
    rows[21] |= {"id": "inc-extra-3"}  # a duplicate of a row in another part
    rows[30] |= {"latitude": "45.0"}
    append_rows(data_dir / "incidents.csv", rows)
    with psycopg.connect(pg_url) as conn:
        indexes = conn.execute("SELECT count(*) FROM pg_indexes").fetchone()
        constraints = conn.execute("SELECT count(*) FROM pg_constraint").fetchone()
    report = importer.import_dir(pg_url, data_dir)
    assert report.committed and report.written["incidents.csv"] == 236 + 37
    lines = [3 + sum(r["description"].count("\n") + 1 for r in rows[:i]) + 236 for i in (7, 21, 30)]
    where = {(p.file, p.row, p.field) for p in report.problems}
    assert where == {("incidents.csv", lines[0], "category"), ("incidents.csv", lines[1], "id"),
                     ("incidents.csv", lines[2], "latitude/longitude")}  # fmt: skip
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_indexes").fetchone() == indexes
        assert conn.execute("SELECT count(*) FROM pg_constraint").fetchone() == constraints
    export(pg_url, tmp_path / "out")
    exported = (tmp_path / "out" / "incidents.csv").read_text(encoding="utf-8")
    assert exported.startswith((DEFAULT_DATA_DIR / "incidents.csv").read_text(encoding="utf-8"))
    assert exported.count("inc-extra-") == 37


def test_read_in_parts_geodata_round_trips(pg_url, tmp_path, in_parts) -> None:
    assert importer.import_dir(pg_url, DEFAULT_DATA_DIR).committed
    assert importer.import_dir(pg_url, DEFAULT_DATA_DIR).committed  # every id again: the upsert path
    export(pg_url, tmp_path / "out")
    for name, content in files(DEFAULT_DATA_DIR).items():
        assert files(tmp_path / "out")[name] == content, name


def test_a_cut_inside_a_record_is_read_again_in_one_part(pg_url, data_dir, monkeypatch, in_parts) -> None:
    good = GOOD_ROWS["incidents.csv"] | {"sources": "icg-20240402-northern-kosovo"}
    append_rows(data_dir / "incidents.csv", [good | {"description": "one\ntwo"}])
    real = importer._parts

    def cut_inside_the_quotes(text: str, count: int) -> list[tuple[int, int, int]]:
        if "one\ntwo" not in text:  # another file
            return real(text, count)
        inside = text.index("one\ntwo") + 4  # just after the line break inside the quoted description
        return [(0, inside, 1), (inside, len(text), text.count("\n", 0, inside) + 1)]

    monkeypatch.setattr(importer, "_parts", cut_inside_the_quotes)
    report = importer.import_dir(pg_url, data_dir)
    assert report.committed and report.problems == [] and report.written["incidents.csv"] == 237
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT description FROM incidents WHERE id = %s", (good["id"],)).fetchone() == (
            "one\ntwo",
        )


def test_an_import_stopped_before_its_text_index_leaves_it_to_the_next(pg_url, monkeypatch, in_parts) -> None:
    """A bulk import builds its text-search index after the commit; stopped in between, the next import builds it."""
    monkeypatch.setattr(importer, "build_pending_indexes", lambda url: 0)  # the process ends at the commit
    assert importer.import_dir(pg_url, DEFAULT_DATA_DIR).committed
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'incidents_search'").fetchone() == (0,)
        (pending,) = conn.execute("SELECT definition FROM pending_indexes").fetchone()
    assert "USING gin (search_text gin_trgm_ops)" in pending
    monkeypatch.undo()  # the in_parts settings too: the next import is a small one, and still builds it
    report = importer.import_dir(pg_url, DEFAULT_DATA_DIR)
    assert report.committed and report.indexes_built == 1
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'incidents_search'").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM pending_indexes").fetchone() == (0,)


def test_after_a_bulk_import_a_category_s_cells_are_counted_from_an_index_alone(pg_url, in_parts) -> None:
    """The category index carries the cell, and the import's VACUUM marks the pages all-visible: no row is read."""
    assert importer.import_dir(pg_url, DEFAULT_DATA_DIR).committed
    condition, params = postgis.where_clause(View(categories=("riot",)), lambda word: [])
    with psycopg.connect(pg_url) as conn:
        conn.execute("SET enable_seqscan = off; SET enable_bitmapscan = off")
        query = f"EXPLAIN (ANALYZE, COSTS OFF) SELECT t.cell, count(*) FROM incidents t WHERE {condition} GROUP BY 1"
        plan = "\n".join(row[0] for row in conn.execute(query, params).fetchall())
    assert "Index Only Scan" in plan and "Heap Fetches: 0" in plan, plan
