"""AppTest of the Incidents page: links open records, uploads show as text, downloads are offered."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from src.config import DEFAULT_DATA_DIR, STATIC_DIR
from src.dataset import load_dataset
from src.mapview import UPLOADED_LABEL
from src.text import md_escape
from src.ui.data import UPLOAD_KEY
from src.ui.session_scope import Box
from src.upload import Upload, read_upload
from tests.conftest import GOOD_ROWS, csv_text, open_app

DATA = load_dataset(DEFAULT_DATA_DIR)


def uploaded(**changes: str) -> Upload:
    """One uploaded incident, prepared as the page prepares an upload."""
    row = {**GOOD_ROWS["incidents.csv"], "id": "inc-20230924-uploaded", **changes}
    return read_upload("mine.csv", csv_text([row]).encode(), DEFAULT_DATA_DIR, DATA)


def incidents_page(**params: str) -> AppTest:
    return open_app("pages/incidents.py", **params)


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
    # A click that also reran the page could lose the file (tests/browser/test_downloads.py).
    assert all(b.proto.ignore_rerun for b in at.get("download_button"))


def test_uploaded_title_with_html_is_shown_as_text() -> None:
    title = "<script>alert('x')</script> uploaded"
    result = uploaded(title=title)
    at = open_app("pages/incidents.py", session={UPLOAD_KEY: Box(result)}, incident="inc-20230924-uploaded")
    table = at.dataframe[0].value
    assert title in set(table["Title"]) and "your upload" in set(table["Origin"])
    assert md_escape(title) in [s.value for s in at.subheader]  # escaped: Markdown shows it as text
    assert any("1 uploaded incident(s) loaded" in s.value for s in at.success)


def test_uploaded_incidents_are_their_own_layer_on_the_map() -> None:
    result = uploaded()
    at = open_app(session={UPLOAD_KEY: Box(result)})
    [component] = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    script = json.loads(component.proto.json_args)["script"]
    assert UPLOADED_LABEL in script and "inc-20230924-uploaded" in script
    # The upload's texts stay inside this session's map: none of the files published for browsers has them.
    published = (STATIC_DIR / "generated").glob("*.json")
    assert not any("inc-20230924-uploaded" in file.read_text(encoding="utf-8") for file in published)


def test_open_a_record_honours_every_choice() -> None:
    """Issue 15: "Open a record" ignored every second choice (its widget was rebuilt with the URL's index)."""
    at = incidents_page()
    for record in DATA.incidents.iloc[[3, 7, 12, 20, 7]].to_dict("records"):
        [box] = [s for s in at.selectbox if s.label == "Open a record"]
        box.set_value(record["id"]).run()
        assert not at.exception
        assert at.query_params["incident"] == record["id"]
        assert md_escape(record["title"]) in [s.value for s in at.subheader]


def test_open_a_record_after_a_link_honours_every_choice() -> None:
    """A record opened from a link shows in the box, and each later choice opens its own record."""
    at = incidents_page(incident=DATA.incidents.iloc[5]["id"])
    for record in DATA.incidents.iloc[[9, 14, 2]].to_dict("records"):
        [box] = [s for s in at.selectbox if s.label == "Open a record"]
        box.set_value(record["id"]).run()
        assert at.query_params["incident"] == record["id"]
        assert md_escape(record["title"]) in [s.value for s in at.subheader]
