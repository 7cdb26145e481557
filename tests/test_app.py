"""AppTest of the map page: it runs, draws every layer from local assets, filters and keeps state in the URL."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from src.config import STATIC_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents
from src.text import md_escape
from src.view import View
from tests.conftest import open_app

DATA = load_dataset(Path(__file__).resolve().parents[1] / "geodata")


def run(**params: str) -> AppTest:
    return open_app(**params)


def map_args(at: AppTest) -> dict:
    [component] = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    return json.loads(component.proto.json_args)


def map_texts(at: AppTest) -> dict:
    """The popup texts of the map's dataset layer: the file the map names, which the layer fetches on click."""
    [url] = re.findall(r'"(/app/static/generated/[0-9a-f]{32}\.json)"', map_args(at)["script"])
    return published(url)


def published(url: str) -> dict:
    """The content of a file the app published for browsers to fetch (src/ui/published.py)."""
    assert re.fullmatch(r"/app/static/generated/[0-9a-f]{32}\.json", url), url
    return json.loads((STATIC_DIR / url.removeprefix("/app/static/")).read_text(encoding="utf-8"))


def count_text(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "incidents match" in m.value)


def test_app_runs_and_draws_every_layer_from_local_assets() -> None:
    at = run()
    assert not at.exception
    args = map_args(at)
    assert args["js_links"] and all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])
    script = args["script"]
    assert "L.incidentLayer(" in script and "north-label" in script
    assert count_text(at) == f"**{len(DATA.incidents)}** of {len(DATA.incidents)} incidents match the filters"
    assert args["returned_objects"] == []


def test_the_popup_texts_are_a_file_fetched_on_click_not_part_of_the_map() -> None:
    """The map carries what drawing and filtering need; its texts (7 of 10 MB at 100,000 incidents) are a
    file under static/generated the layer fetches on the first click."""
    at = run()
    script = map_args(at)["script"]
    longest = max(DATA.incidents["description"], key=len)
    assert longest not in script and DATA.incidents["id"].iloc[0] not in script
    texts = map_texts(at)
    assert texts["id"] == DATA.incidents["id"].tolist()
    assert longest in texts["desc"]["values"]


def test_url_filters_give_the_filtered_count() -> None:
    at = run(cat="riot,barricade", muni="zvecan", start="2022-01-01")
    view = View(categories=("riot", "barricade"), municipalities=("zvecan",), start=dt.date(2022, 1, 1))
    expected = filter_incidents(DATA.incidents, view)
    assert 0 < len(expected) < len(DATA.incidents)
    assert count_text(at).startswith(f"**{len(expected)}** of")
    assert at.multiselect(key="w_cat").value == ["riot", "barricade"]


def test_search_matches_any_spelling_of_a_place() -> None:
    counts = {q: count_text(run(q=q)) for q in ("Zvecan", "Zveçan", "Звечан", "Zvečan")}
    assert len(set(counts.values())) == 1
    assert not counts["Zvecan"].startswith("**0**")


def test_bad_url_values_are_ignored_with_a_notice() -> None:
    at = run(cat="riot,not_a_category", zoom="99", start="yesterday", lang="xx")
    assert not at.exception
    notices = " ".join(i.value for i in at.info).replace("\\", "")  # shown with Markdown escaped
    assert "not_a_category" in notices and "zoom='99'" in notices and "start='yesterday'" in notices
    assert at.multiselect(key="w_cat").value == ["riot"]


def test_changing_a_filter_updates_the_url() -> None:
    at = run()
    at.multiselect(key="w_muni").set_value(["leposavic"]).run()
    assert at.query_params["muni"] == "leposavic"
    at.selectbox(key="w_lang").set_value("sr_cyrl").run()
    assert at.query_params["lang"] == "sr_cyrl"
    assert "Лепосавић" in map_args(at)["script"]


def test_data_problems_are_listed_and_valid_data_still_shows(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_dir / "incidents.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",day,", ",fortnight,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("GEODATA_DIR", str(data_dir))
    at = run()
    assert not at.exception
    assert f"1 data problem(s) in {md_escape('incidents.csv')}" in at.warning[0].value  # names escaped
    problems = at.dataframe[0].value
    assert list(problems[["file", "row", "field"]].iloc[0]) == ["incidents.csv", 3, "date_precision"]
    assert count_text(at) == f"**{len(DATA.incidents) - 1}** of {len(DATA.incidents) - 1} incidents match the filters"
