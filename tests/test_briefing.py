"""Briefing files: the shipped example is valid and sourced; a bad file is named precisely, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from src.briefing import Slide, briefing_files, load_briefing, slide_entry
from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.view import View

DATA = load_dataset(DEFAULT_DATA_DIR)
KNOWN = (set(DATA.incidents["id"]), set(DATA.sources))
EXAMPLE = DEFAULT_DATA_DIR / "briefings" / "north-2021-2024.json"


def test_example_briefing_tells_2021_to_2024_in_six_to_ten_sourced_views() -> None:
    assert EXAMPLE in briefing_files(DEFAULT_DATA_DIR)
    briefing, problems = load_briefing(EXAMPLE, *KNOWN)
    assert problems == []
    assert 6 <= len(briefing.slides) <= 10
    assert all(slide.sources and slide.notes for slide in briefing.slides)
    years = {slide.view.start.year for slide in briefing.slides}
    assert {2021, 2022, 2023, 2024} <= years
    starts = [slide.view.start for slide in briefing.slides]
    assert starts == sorted(starts)


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def good_slide(**changes: object) -> dict:
    return {"title": "A view", "center": [42.95, 20.8], "zoom": 11, **changes}


def test_malformed_json_is_named_with_its_line(tmp_path: Path) -> None:
    briefing, problems = load_briefing(write(tmp_path, '{"title": "x",\n "slides": [}'), *KNOWN)
    assert briefing is None
    assert [(p.file, p.reason.split(" at ")[0]) for p in problems] == [("bad.json", "not valid JSON: Expecting value")]
    assert "line 2" in problems[0].reason


@pytest.mark.parametrize(
    ("slide", "field", "words"),
    [
        (good_slide(zoom=99), "slide 2 zoom", "outside 7 to 18"),
        (good_slide(categories=["riots"]), "slide 2 categories", "unknown categor"),
        (good_slide(center=[20.8, 42.95]), "slide 2 center", "not near Kosovo"),
        (good_slide(layers=["incidents", "roads"]), "slide 2 layers", "unknown layer"),
        (good_slide(start="2023-05-01", end="2023-01-01"), "slide 2 end", "before start"),
        ({"center": [42.95, 20.8], "zoom": 11}, "slide 2 title", "Field required"),
    ],
)
def test_bad_slide_names_the_slide_and_field(tmp_path: Path, slide: dict, field: str, words: str) -> None:
    document = {"title": "Test", "slides": [good_slide(), slide]}
    briefing, problems = load_briefing(write(tmp_path, document), *KNOWN)
    assert briefing is None
    assert [p.field for p in problems] == [field]
    assert words in problems[0].reason


def test_unknown_highlight_and_source_are_named_but_the_briefing_still_shows(tmp_path: Path) -> None:
    document = {"title": "Test", "slides": [good_slide(highlight=["inc-nope"], sources=["no-such-source"])]}
    briefing, problems = load_briefing(write(tmp_path, document), *KNOWN)
    assert briefing is not None
    assert [(p.field, p.reason) for p in problems] == [
        ("slide 1 highlight", "no incident with id 'inc-nope'"),
        ("slide 1 sources", "no source with id 'no-such-source'"),
    ]


def test_saved_view_is_a_valid_slide_that_reopens_the_same_view() -> None:
    view = View(center=(42.9, 20.8), zoom=12, categories=("riot",), layers=("municipalities", "incidents"))
    entry = slide_entry(view, "Riots")
    slide = Slide.model_validate(entry)
    assert slide.view == view
