"""AppTest of the four municipality pages (one template) and of the page for an unknown municipality."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from tests.conftest import open_app

DATA = load_dataset(DEFAULT_DATA_DIR)
PAGES = {
    "leposavic": "pages/leposavic.py",
    "north-mitrovica": "pages/north_mitrovica.py",
    "zubin-potok": "pages/zubin_potok.py",
    "zvecan": "pages/zvecan.py",
}


def open_page(page: str, **params: str) -> AppTest:
    return open_app(page, **params)


@pytest.mark.parametrize("municipality_id", list(PAGES))
def test_page_shows_names_area_and_the_datasets_incident_count(municipality_id: str) -> None:
    at = open_page(PAGES[municipality_id])
    assert not at.exception
    record = DATA.frame("municipalities").set_index("id").loc[municipality_id]
    names = at.table[0].value.iloc[0].tolist()
    assert names == [record["name_en"], record["name_sq"], record["name_sr"], record["name_sr_cyrl"]]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Area"] == f"{record['area_km2']:,.1f} km²"
    expected = int((DATA.incidents["municipality"] == municipality_id).sum())
    assert metrics["Incidents in the dataset"] == str(expected) and expected > 0
    population = at.dataframe[0].value
    assert "Census count" in set(population["Kind"]) and population["Source"].str.len().min() > 0
    assert [t.value for t in at.title] == [record["name_en"]]


def test_neighbours_link_to_their_pages() -> None:
    at = open_page(PAGES["zvecan"])
    main = at.main.get("page_link")
    assert {(link.proto.page, link.proto.label) for link in main} == {
        ("leposavic", "Leposavić"),
        ("north_mitrovica", "North Mitrovica"),
        ("zubin_potok", "Zubin Potok"),
    }


@pytest.mark.parametrize("value", ["belgrade", "<script>alert(1)</script>", ""])
def test_unknown_municipality_gives_a_friendly_message_with_the_four_pages(value: str) -> None:
    at = open_page("pages/municipality.py", m=value)
    assert not at.exception
    assert "not one of the four northern municipalities" in at.info[0].value
    pages = {link.proto.page for link in at.main.get("page_link")}
    assert pages == {"leposavic", "north_mitrovica", "zubin_potok", "zvecan"}


def test_known_municipality_by_id_renders_its_page() -> None:
    at = open_page("pages/municipality.py", m="zubin-potok")
    assert [t.value for t in at.title] == ["Zubin Potok"]
