"""Every CSV point layer on good and bad files: problems name file, row, field and reason; valid rows load."""

from __future__ import annotations

from pathlib import Path

import pytest

from src.layers import crossings, incidents, police_bases
from tests.conftest import GOOD_ROWS, csv_text

CSV_LAYERS = [crossings.LAYER, police_bases.LAYER, incidents.LAYER]


def write(data_dir: Path, layer, rows: list[dict[str, str]], delimiter: str = ",", encoding: str = "utf-8") -> None:
    (data_dir / layer.file).write_bytes(csv_text(rows, delimiter).encode(encoding))


def good(layer, **changes: str) -> dict[str, str]:
    return {**GOOD_ROWS[layer.file], **changes}


@pytest.fixture(params=CSV_LAYERS, ids=lambda layer: layer.name)
def layer(request):
    return request.param


def test_good_row_loads_with_no_problem(layer, data_dir: Path) -> None:
    write(data_dir, layer, [good(layer)])
    loaded = layer.load(data_dir)
    assert loaded.problems == []
    assert len(loaded.frame) == 1
    point = loaded.frame.geometry.iloc[0]
    assert (round(point.y, 5), round(point.x, 5)) == (
        float(GOOD_ROWS[layer.file]["latitude"]),
        float(GOOD_ROWS[layer.file]["longitude"]),
    )


def test_missing_file_is_one_problem(layer, data_dir: Path) -> None:
    (data_dir / layer.file).unlink()
    loaded = layer.load(data_dir)
    assert len(loaded.frame) == 0
    assert [(p.file, p.row, p.reason.split(" in ")[0]) for p in loaded.problems] == [
        (layer.file, None, "file not found")
    ]


def test_empty_file_is_one_problem(layer, data_dir: Path) -> None:
    (data_dir / layer.file).write_bytes(b"")
    loaded = layer.load(data_dir)
    assert [(p.file, p.reason) for p in loaded.problems] == [(layer.file, "file is empty")]


def test_missing_column_names_the_column(layer, data_dir: Path) -> None:
    row = good(layer)
    del row["latitude"]
    write(data_dir, layer, [row])
    loaded = layer.load(data_dir)
    assert len(loaded.frame) == 0
    assert [(p.row, p.field) for p in loaded.problems] == [(1, "latitude")]
    assert "required column missing" in loaded.problems[0].reason


def test_unparseable_number_names_row_and_field_and_keeps_other_rows(layer, data_dir: Path) -> None:
    write(data_dir, layer, [good(layer), good(layer, id="second-row", longitude="20,7x")])
    loaded = layer.load(data_dir)
    assert list(loaded.frame["id"]) == [GOOD_ROWS[layer.file]["id"]]
    assert [(p.row, p.field) for p in loaded.problems] == [(3, "longitude")]
    assert "'20,7x'" in loaded.problems[0].reason


def test_point_outside_kosovo_is_reported(layer, data_dir: Path) -> None:
    write(data_dir, layer, [good(layer, latitude="44.81", longitude="20.46")])  # Belgrade
    loaded = layer.load(data_dir)
    assert len(loaded.frame) == 0
    assert loaded.problems[0].field == "latitude/longitude"
    assert "outside Kosovo" in loaded.problems[0].reason


def test_swapped_latitude_and_longitude_are_recognised(layer, data_dir: Path) -> None:
    row = good(layer)
    write(data_dir, layer, [good(layer, latitude=row["longitude"], longitude=row["latitude"])])
    loaded = layer.load(data_dir)
    assert len(loaded.frame) == 0
    assert loaded.problems[0].reason == "latitude and longitude look swapped"


def test_duplicate_id_keeps_the_first_and_reports_the_second(layer, data_dir: Path) -> None:
    write(data_dir, layer, [good(layer), good(layer)])
    loaded = layer.load(data_dir)
    assert len(loaded.frame) == 1
    assert [(p.row, p.field) for p in loaded.problems] == [(3, "id")]
    assert "first on row 2" in loaded.problems[0].reason


def test_byte_order_mark_is_ignored(layer, data_dir: Path) -> None:
    write(data_dir, layer, [good(layer)], encoding="utf-8-sig")
    loaded = layer.load(data_dir)
    assert loaded.problems == [] and len(loaded.frame) == 1


def test_latin1_bytes_load_with_an_encoding_notice(layer, data_dir: Path) -> None:
    row = {k: v if all(ord(c) < 256 for c in v) else "Zvecan" for k, v in good(layer).items()}  # no Cyrillic in Latin-1
    row |= {"notes": "Zveçan", "description": "Zveçan"}
    write(data_dir, layer, [row], encoding="latin-1")
    loaded = layer.load(data_dir)
    assert len(loaded.frame) == 1
    assert [p.field for p in loaded.problems] == ["encoding"]
    text_column = "description" if layer is incidents.LAYER else "notes"
    assert loaded.frame[text_column].iloc[0] == "Zveçan"


def test_semicolon_delimited_file_loads(layer, data_dir: Path) -> None:
    write(data_dir, layer, [good(layer)], delimiter=";")
    loaded = layer.load(data_dir)
    assert loaded.problems == [] and len(loaded.frame) == 1


def test_unknown_vocabulary_value_is_named(layer, data_dir: Path) -> None:
    field = {"crossings": "status", "police_bases": "operator", "incidents": "category"}[layer.name]
    write(data_dir, layer, [good(layer, **{field: "something_else"})])
    loaded = layer.load(data_dir)
    assert [(p.row, p.field) for p in loaded.problems] == [(2, field)]


def test_record_without_source_is_rejected(layer, data_dir: Path) -> None:
    write(data_dir, layer, [good(layer, sources="")])
    loaded = layer.load(data_dir)
    assert [(p.row, p.field) for p in loaded.problems] == [(2, "sources")]


def test_incident_end_before_start_is_rejected(data_dir: Path) -> None:
    write(data_dir, incidents.LAYER, [good(incidents.LAYER, end_date="2023-09-01")])
    loaded = incidents.LAYER.load(data_dir)
    assert len(loaded.frame) == 0
    assert "before date" in loaded.problems[0].reason


def test_blank_casualties_stay_unknown_not_zero(data_dir: Path) -> None:
    write(data_dir, incidents.LAYER, [good(incidents.LAYER, fatalities="", injuries="0")])
    frame = incidents.LAYER.load(data_dir).frame
    assert frame["fatalities"].isna().iloc[0]
    assert frame["injuries"].iloc[0] == 0
    assert list(incidents.casualties_labels(frame)) == ["killed: unknown, 0 injured"]


def test_base_date_and_precision_go_together(data_dir: Path) -> None:
    write(data_dir, police_bases.LAYER, [good(police_bases.LAYER, established="2023-10-01")])
    loaded = police_bases.LAYER.load(data_dir)
    assert len(loaded.frame) == 0
    assert "together" in loaded.problems[0].reason
