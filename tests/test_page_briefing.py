"""AppTest of the briefing page: slides step forward and back; a bad briefing file is a clear message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from src.briefing import parse_briefing, read_briefing, slide_entry
from src.config import DEFAULT_DATA_DIR, chromium_path
from src.dataset import load_dataset
from src.text import md_escape
from src.ui import briefing_draft
from src.view import View
from tests.conftest import open_app


def briefing_page(**params: str) -> AppTest:
    return open_app("pages/briefing.py", **params)


def test_next_and_previous_step_through_the_slides() -> None:
    at = briefing_page()
    assert not at.exception
    first = at.header[0].value
    at.button(key="next_slide").click().run()
    assert at.query_params["slide"] == "2" and at.header[0].value != first
    at.button(key="previous_slide").click().run()
    assert at.header[0].value == first
    assert at.button(key="previous_slide").disabled


def test_slide_link_opens_that_slide_and_out_of_range_is_clamped() -> None:
    assert briefing_page(slide="8").query_params["slide"] == "8"
    assert briefing_page(slide="99").query_params["slide"] == "8"
    assert briefing_page(slide="x").query_params["slide"] == "1"


def test_bad_briefing_file_gives_a_message_naming_the_problem(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = {"title": "Broken", "slides": [{"title": "One", "center": [42.9, 20.8], "zoom": 30}]}
    (data_dir / "briefings" / "north-2021-2024.json").write_text(json.dumps(broken), encoding="utf-8")
    monkeypatch.setenv("GEODATA_DIR", str(data_dir))
    at = briefing_page()
    assert not at.exception
    assert md_escape("north-2021-2024.json") in at.error[0].value and "slide 1 zoom" in at.error[0].value


def test_timeline_chart_exports_as_svg_through_the_system_chromium() -> None:
    if chromium_path() is None and os.environ.get("CI", "").lower() != "true":
        pytest.skip("Chromium not installed (apt-get install chromium)")
    at = briefing_page()
    at.button(key="prepare_chart").click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Timeline chart (SVG)", "Timeline chart (PNG)"} <= set(labels)
    # Every download of the page, these included: a click that also reran the page could lose the file.
    assert all(b.proto.ignore_rerun for b in at.get("download_button")), labels
    assert at.session_state["_briefing_chart_svg"].startswith(b"<svg")
    assert at.session_state["_briefing_chart_png"].startswith(b"\x89PNG")
    assert not at.exception


def test_a_prepared_chart_is_not_offered_on_another_slide() -> None:
    at = briefing_page()
    at.session_state["_briefing_chart_svg"] = b"<svg>slide one</svg>"
    at.session_state["_briefing_chart_slide"] = ("north-2021-2024", 1)
    at.run()
    assert "Timeline chart (SVG)" in [b.proto.label for b in at.get("download_button")]
    at.button(key="next_slide").click().run()
    assert "Timeline chart (SVG)" not in [b.proto.label for b in at.get("download_button")]


# The editor (issue 16): the session's draft briefing.


def draft_page(slides: int = 3) -> AppTest:
    """The Briefing page with a draft of `slides` views in the session, as the Map page's button adds them."""
    at = briefing_page()
    at.run()
    entries = [slide_entry(View(center=(42.9 + n / 100, 20.8), zoom=10 + n), f"View {n + 1}") for n in range(slides)]
    at.session_state["briefing_draft"] = {
        "title": "Draft",
        "subtitle": "",
        "slides": [{"uid": n + 1, "entry": entry} for n, entry in enumerate(entries)],
        "uid": slides,
    }
    at.query_params["briefing"] = "draft"
    return at.run()


def titles(at: AppTest) -> list[str]:
    return [slide["entry"]["title"] for slide in at.session_state["briefing_draft"]["slides"]]


def test_the_draft_shows_as_a_briefing_and_its_slides_reorder_and_delete() -> None:
    at = draft_page()
    assert not at.exception
    assert at.header[0].value == "View 1"
    at.button(key="down_1").click().run()
    assert titles(at) == ["View 2", "View 1", "View 3"]
    assert at.header[0].value == "View 2"
    at.button(key="up_3").click().run()
    assert titles(at) == ["View 2", "View 3", "View 1"]
    at.button(key="delete_2").click().run()
    assert titles(at) == ["View 3", "View 1"]
    at.button(key="show_1").click().run()
    assert at.query_params["slide"] == "2" and at.header[0].value == "View 1"
    assert not at.exception


def test_a_slide_is_edited_and_a_bad_edit_is_refused_with_its_field() -> None:
    at = draft_page(2)
    some_incident = next(iter(load_dataset(DEFAULT_DATA_DIR).incidents["id"]))
    at.text_input(key="edit_title_2").input("Jarinje")
    at.text_area(key="edit_notes_2").input("What to say")
    at.multiselect(key="edit_highlight_2").select(some_incident)
    at.button(key="FormSubmitter:edit_form_2-Save the slide").click().run()
    entry = at.session_state["briefing_draft"]["slides"][1]["entry"]
    assert (entry["title"], entry["notes"], entry["highlight"]) == ("Jarinje", "What to say", [some_incident])
    at.text_input(key="edit_title_2").input(" ")
    at.button(key="FormSubmitter:edit_form_2-Save the slide").click().run()
    assert titles(at) == ["View 1", "Jarinje"]
    assert any("title" in e.value for e in at.error)


def test_the_draft_downloads_in_the_briefing_file_format() -> None:
    at = draft_page(2)
    [download] = [b for b in at.get("download_button") if "Download the draft briefing" in b.proto.label]
    assert "2 slides" in download.proto.label
    document = briefing_draft.document(at.session_state["briefing_draft"])
    briefing, problems = read_briefing(document, "draft.json", set(), set())
    assert problems == [] and [s.title for s in briefing.slides] == ["View 1", "View 2"]


def test_a_shipped_briefing_is_copied_into_the_draft_with_notes_highlights_and_sources() -> None:
    at = briefing_page()
    at.button(key="copy_to_draft").click().run()
    slides = at.session_state["briefing_draft"]["slides"]
    shipped = json.loads((DEFAULT_DATA_DIR / "briefings" / "north-2021-2024.json").read_text(encoding="utf-8"))
    assert len(slides) == len(shipped["slides"])
    for item, original in zip(slides, shipped["slides"], strict=True):
        for field in ("title", "notes", "highlight", "sources", "center", "zoom", "start", "end"):
            assert item["entry"][field] == original[field]
    assert at.query_params["briefing"] == "draft"


def test_a_bad_file_names_every_problem_by_slide_and_field_and_leaves_the_draft() -> None:
    document = {
        "title": "",
        "slides": [
            {"title": "Fine", "center": [42.9, 20.8], "zoom": 11},
            {"title": "", "center": [20.8, 42.9], "zoom": 30, "categories": ["riots"], "colour": "red"},
            {"notes": "no title, no place"},
        ],
    }
    briefing, problems = parse_briefing(json.dumps(document).encode(), "mine.json", set(), set())
    assert briefing is None
    assert [p.field for p in problems] == [
        "title",
        "slide 2 title",
        "slide 2 colour",
        "slide 2 categories",
        "slide 2 center",
        "slide 2 zoom",
        "slide 3 title",
        "slide 3 center",
        "slide 3 zoom",
    ]
    assert parse_briefing(b"{not json", "mine.json", set(), set())[1][0].reason.startswith("not valid JSON")
    assert parse_briefing(b"\xff\xfe", "mine.json", set(), set())[1][0].reason == "not a text file in UTF-8"


def test_a_new_slide_takes_the_position_the_browser_reports() -> None:
    view = View(categories=("riot",), center=(42.99, 20.78), zoom=10)
    entry = briefing_draft.new_slide(view, {"center": [43.13812345, 20.62], "zoom": 13}, "  A  view ", "", [], [], 1)
    assert (entry["center"], entry["zoom"], entry["title"], entry["categories"]) == (
        [43.13812, 20.62],
        13,
        "A view",
        ["riot"],
    )
    assert briefing_draft.new_slide(view, None, "", "", [], [], 4)["title"] == "Slide 4"
    with pytest.raises(ValueError, match="not near Kosovo"):
        briefing_draft.new_slide(view, {"center": [0, 0], "zoom": 9}, "x", "", [], [], 1)
