"""AppTest of the Incidents page: links open records, uploads show as text, downloads are offered."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset, search_texts
from src.mapview import UPLOADED_LABEL
from src.upload import read_upload
from tests.conftest import GOOD_ROWS, csv_text

APP = str(Path(__file__).resolve().parents[1] / "app.py")
DATA = load_dataset(DEFAULT_DATA_DIR)


def incidents_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/incidents.py")
    return at.run()


def test_incident_link_opens_that_incident() -> None:
    record = DATA.incidents.iloc[40]
    at = incidents_page(incident=record["id"])
    assert not at.exception
    assert record["title"] in [s.value for s in at.subheader]
    assert at.query_params["incident"] == record["id"]


def test_unknown_incident_link_says_so() -> None:
    at = incidents_page(incident="inc-19990101-nothing")
    assert "No incident has the id" in at.warning[0].value


def test_table_lists_the_filtered_incidents_and_downloads_are_offered() -> None:
    at = incidents_page(muni="leposavic")
    table = at.dataframe[0].value
    expected = DATA.incidents[DATA.incidents["municipality"] == "leposavic"]
    assert list(table["id"]) == list(expected["id"])
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        f"Download these {len(expected)} incidents as CSV",
        f"Download these {len(expected)} incidents as GeoJSON",
    ]


def test_uploaded_title_with_html_is_shown_as_text() -> None:
    title = "<script>alert('x')</script> uploaded"
    row = {**GOOD_ROWS["incidents.csv"], "id": "inc-20230924-uploaded", "title": title}
    result = read_upload("mine.csv", csv_text([row]).encode(), DEFAULT_DATA_DIR, DATA.frame("municipalities"))
    result.frame = result.frame.assign(
        search_text=search_texts(result.frame, DATA.frame("municipalities"), DATA.frame("settlements"))
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_upload"] = result
    at.query_params["incident"] = "inc-20230924-uploaded"
    at.switch_page("pages/incidents.py").run()
    table = at.dataframe[0].value
    assert title in set(table["Title"]) and "your upload" in set(table["Origin"])
    assert title in [s.value for s in at.subheader]
    assert any("1 uploaded incident(s) loaded" in s.value for s in at.success)


def test_uploaded_incidents_are_their_own_layer_on_the_map() -> None:
    row = {**GOOD_ROWS["incidents.csv"], "id": "inc-20230924-uploaded"}
    result = read_upload("mine.csv", csv_text([row]).encode(), DEFAULT_DATA_DIR, DATA.frame("municipalities"))
    result.frame = result.frame.assign(
        search_text=search_texts(result.frame, DATA.frame("municipalities"), DATA.frame("settlements"))
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_upload"] = result
    at.run()
    [component] = at.get("component_instance")
    script = json.loads(component.proto.json_args)["script"]
    assert UPLOADED_LABEL in script and "inc-20230924-uploaded" in script
