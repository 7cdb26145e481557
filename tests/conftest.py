"""Shared fixtures: a private copy of geodata/ that a test may change, and one good row per CSV layer."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from src.config import DEFAULT_DATA_DIR

APP = str(Path(__file__).resolve().parents[1] / "app.py")

GOOD_ROWS: dict[str, dict[str, str]] = {
    "crossings.csv": {
        "id": "test-crossing",
        "name_en": "Jarinje",
        "name_sq": "Jarinjë",
        "name_sr": "Jarinje",
        "name_sr_cyrl": "Јариње",
        "kind": "road",
        "status": "open",
        "municipality": "leposavic",
        "latitude": "43.20028",
        "longitude": "20.72056",
        "location_precision": "settlement",
        "sources": "test-source",
        "notes": "",
    },
    "police_bases.csv": {
        "id": "test-base",
        "name_en": "Leposavić station",
        "name_sq": "Stacioni Leposaviq",
        "name_sr": "Stanica Leposavić",
        "name_sr_cyrl": "Станица Лепосавић",
        "operator": "kosovo_police",
        "kind": "station",
        "municipality": "leposavic",
        "latitude": "43.10389",
        "longitude": "20.80278",
        "location_precision": "settlement",
        "established": "",
        "established_precision": "",
        "sources": "test-source",
        "notes": "",
    },
    "incidents.csv": {
        "id": "inc-20230924-test",
        "date": "2023-09-24",
        "end_date": "",
        "date_precision": "day",
        "category": "armed_clash",
        "title": "Test clash",
        "description": "A test record.",
        "place": "Banjska",
        "place_sq": "Banjskë",
        "place_sr": "Banjska",
        "municipality": "zvecan",
        "latitude": "42.97333",
        "longitude": "20.78083",
        "location_precision": "settlement",
        "fatalities": "4",
        "injuries": "",
        "actors": "Kosovo Police",
        "sources": "test-source",
        "related_ids": "",
    },
}


def csv_text(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from tests.browser.conftest import chromium

    yield from chromium()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the committed geodata/ in a temporary folder."""
    target = tmp_path / "geodata"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def open_app(page: str | None = None, session: dict | None = None, **params: str) -> AppTest:
    """The app opened as from a link with these query parameters (and session state), on `page` if given."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if page is not None:
        at.switch_page(page)
    return at.run()
