"""The incident payload: what Python sends is what the browser decodes, the filter bitset selects exactly
what `filter_incidents` does, and places fall back sensibly."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pandas as pd

from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.drawing.incidents import filter_of, payload, places_in
from src.filters import filter_incidents
from src.view import View
from src.vocabulary import CATEGORIES, PRECISIONS

DATA = load_dataset(DEFAULT_DATA_DIR)
EPOCH = dt.date(1970, 1, 1)


def column(draw: dict, name: str, dtype: type) -> np.ndarray:
    return np.frombuffer(base64.b64decode(draw[name]), dtype=dtype)


def decode(texts: dict, i: int):
    return texts["values"][texts["codes"][i]]


def test_payload_columns_decode_to_every_incident() -> None:
    frame = DATA.incidents
    draw, texts = payload(frame, "en", DATA.sources, DATA.frame("municipalities"))
    lat, lon = column(draw, "lat", np.int32), column(draw, "lon", np.int32)
    day, span = column(draw, "day", np.int32), column(draw, "span", np.uint16)
    cat, prec, muni = (column(draw, name, np.uint8) for name in ("cat", "prec", "muni"))
    assert draw["n"] == len(frame) == len(lat) == len(span) == len(muni) == len(texts["id"])
    for i, row in enumerate(frame.to_dict("records")):
        assert texts["id"][i] == row["id"] and texts["title"][i] == row["title"]
        assert abs(lat[i] / 1e5 - row["latitude"]) < 1e-5 and abs(lon[i] / 1e5 - row["longitude"]) < 1e-5
        assert EPOCH + dt.timedelta(days=int(day[i])) == row["date"].date()
        assert EPOCH + dt.timedelta(days=int(day[i] + span[i])) == row["last_date"].date()
        assert list(CATEGORIES)[cat[i]] == row["category"] and PRECISIONS[prec[i]] == row["location_precision"]
        assert draw["municipalities"][muni[i]]["id"] == row["municipality"]
        assert decode(texts["date"], i) == row["date_label"] and decode(texts["cas"], i) == row["casualties"]
        assert len(decode(texts["src"], i)) == len(row["sources"])


def test_what_drawing_and_filtering_need_is_at_most_25_bytes_an_incident() -> None:
    draw, _ = payload(DATA.incidents, "en", DATA.sources, DATA.frame("municipalities"))
    columns = sum(len(json.dumps(draw[name])) for name in ("lat", "lon", "day", "span", "cat", "prec", "muni"))
    assert columns / len(DATA.incidents) <= 25


def browser_count(frame: pd.DataFrame, view: View) -> int:
    """What static/js/incident-layer.js draws for a filter: the mask and the date window, as it computes them."""
    draw, _ = payload(frame, "en", DATA.sources, DATA.frame("municipalities"))
    day, span = column(draw, "day", np.int32), column(draw, "span", np.uint16).astype(np.int64)
    f = filter_of(frame, view)
    bits = np.unpackbits(np.frombuffer(base64.b64decode(f["mask"]), dtype=np.uint8), bitorder="little")[: len(day)]
    start = -np.inf if f["start"] is None else f["start"]
    end = np.inf if f["end"] is None else f["end"]
    return int((bits.astype(bool) & (day <= end) & (day + span >= start)).sum())


def test_the_browser_filter_selects_exactly_what_the_server_counts() -> None:
    views = [
        View(),
        View(query="Banjska"),
        View(start=dt.date(2023, 5, 1), end=dt.date(2023, 6, 30), categories=("riot", "attack", "protest")),
        View(municipalities=("zvecan", "leposavic"), precisions=("settlement",)),
        View(start=dt.date(2022, 12, 15), end=dt.date(2022, 12, 16)),  # lasting barricades overlap
    ]
    for view in views:
        assert browser_count(DATA.incidents, view) == len(filter_incidents(DATA.incidents, view)), view


def test_a_place_without_the_languages_form_falls_back_to_english() -> None:
    frame = pd.DataFrame({"place": ["Banjska", "Rudare"], "place_sq": ["Banjskë", ""]})
    assert places_in(frame, "sq").tolist() == ["Banjskë", "Rudare"]
    assert places_in(frame, "en").tolist() == ["Banjska", "Rudare"]
