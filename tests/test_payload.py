"""The incident payload: what Python sends is what the browser decodes, and places fall back sensibly."""

from __future__ import annotations

import pandas as pd

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.drawing.incidents import payload, places_in
from src.vocabulary import CATEGORIES, PRECISIONS

DATA = load_dataset(DEFAULT_DATA_DIR)


def decode(column: dict, i: int):
    return column["values"][column["codes"][i]]


def test_payload_columns_decode_to_every_incident() -> None:
    frame = DATA.incidents
    draw, texts = payload(frame, "en", DATA.sources)
    assert len(draw["lat"]) == len(frame) == len(texts["id"])
    for i, row in enumerate(frame.to_dict("records")):
        assert texts["id"][i] == row["id"] and texts["title"][i] == row["title"]
        assert abs(draw["lat"][i] - row["latitude"]) < 1e-5 and abs(draw["lon"][i] - row["longitude"]) < 1e-5
        assert list(CATEGORIES)[draw["cat"][i]] == row["category"]
        assert PRECISIONS[draw["prec"][i]] == row["location_precision"]
        assert decode(texts["date"], i) == row["date_label"] and decode(texts["cas"], i) == row["casualties"]
        cited = [texts["sources"][s][0] for s in decode(texts["src"], i)]
        assert len(cited) == len(row["sources"])


def test_a_place_without_the_languages_form_falls_back_to_english() -> None:
    frame = pd.DataFrame({"place": ["Banjska", "Rudare"], "place_sq": ["Banjskë", ""]})
    assert places_in(frame, "sq").tolist() == ["Banjskë", "Rudare"]
    assert places_in(frame, "en").tolist() == ["Banjska", "Rudare"]
