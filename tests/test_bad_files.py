"""Issue 15, "every bad file named, none fatal": a broken municipalities.geojson or briefing file gives a
data-health message naming it, and every page still works with the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from src.briefing import MAX_BRIEFING_BYTES, load_briefing
from src.dataset import load_dataset
from src.text import md_escape
from tests.conftest import open_app

PAGES = [None, "pages/incidents.py", "pages/time.py", "pages/briefing.py", "pages/zvecan.py", "pages/municipality.py"]


def _truncated(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8")[:5000], encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_text("", encoding="utf-8")


def _missing(path: Path) -> None:
    path.unlink()


def _self_intersecting(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    for feature in document["features"]:
        if feature["properties"]["id"] == "zvecan":
            (west, south, east, north) = (20.78, 42.88, 20.92, 42.98)
            bowtie = [[west, south], [east, north], [east, south], [west, north], [west, south]]
            feature["geometry"] = {"type": "Polygon", "coordinates": [bowtie]}
    path.write_text(json.dumps(document), encoding="utf-8")


BREAKS = {"truncated": _truncated, "empty": _empty, "missing": _missing, "self_intersecting": _self_intersecting}


@pytest.mark.parametrize("how", list(BREAKS))
def test_bad_municipalities_file_is_named_in_data_health(data_dir: Path, how: str) -> None:
    BREAKS[how](data_dir / "municipalities.geojson")
    data = load_dataset(data_dir)
    assert any(p.file == "municipalities.geojson" for p in data.problems)
    assert len(data.incidents) > 200  # incidents keep their stored municipality
    assert data.incidents["municipality"].ne("").all()


@pytest.mark.parametrize("how", list(BREAKS))
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "app.py")
def test_bad_municipalities_file_every_page_still_works(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, how: str, page: str | None
) -> None:
    BREAKS[how](data_dir / "municipalities.geojson")
    monkeypatch.setenv("GEODATA_DIR", str(data_dir))
    at = open_app(page, m="zvecan") if page == "pages/municipality.py" else open_app(page)
    assert not at.exception, at.exception[0].message
    assert any(md_escape("municipalities.geojson") in w.value for w in at.warning), [w.value for w in at.warning]


def _briefing(data_dir: Path, text: str) -> Path:
    path = data_dir / "briefings" / "north-2021-2024.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_briefing_nested_too_deeply_is_a_problem_not_a_recursion_error(data_dir: Path) -> None:
    path = _briefing(data_dir, "[" * 100_000 + "]" * 100_000)
    briefing, problems = load_briefing(path, set(), set())
    assert briefing is None and "nested" in problems[0].reason and problems[0].file == path.name


def test_briefing_over_the_size_limit_is_refused_with_a_message(data_dir: Path) -> None:
    document = json.loads((data_dir / "briefings" / "north-2021-2024.json").read_text(encoding="utf-8"))
    document["subtitle"] = "x" * (MAX_BRIEFING_BYTES + 1)
    path = _briefing(data_dir, json.dumps(document))
    briefing, problems = load_briefing(path, set(), set())
    assert briefing is None and "over the 2 MB limit" in problems[0].reason


def test_briefing_nested_too_deeply_page_shows_the_problem(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _briefing(data_dir, '{"title": ' + "[" * 50_000 + "]" * 50_000 + "}")
    monkeypatch.setenv("GEODATA_DIR", str(data_dir))
    at = open_app("pages/briefing.py")
    assert not at.exception
    assert any("nested" in e.value for e in at.error)
