"""AppTest of the briefing page: slides step forward and back; a bad briefing file is a clear message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from src.config import chromium_path
from src.text import md_escape
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
    [prepare] = [b for b in at.button if b.label == "Prepare the timeline chart as SVG"]
    prepare.click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Timeline chart (SVG)" in labels
    assert at.session_state["_briefing_chart_svg"].startswith(b"<svg")
    assert not at.exception


def test_a_prepared_chart_is_not_offered_on_another_slide() -> None:
    at = briefing_page()
    at.session_state["_briefing_chart_svg"] = b"<svg>slide one</svg>"
    at.session_state["_briefing_chart_slide"] = ("north-2021-2024", 1)
    at.run()
    assert "Timeline chart (SVG)" in [b.proto.label for b in at.get("download_button")]
    at.button(key="next_slide").click().run()
    assert "Timeline chart (SVG)" not in [b.proto.label for b in at.get("download_button")]
