"""Filtering: each filter does what it says, lasting events match when they overlap, every dated layer follows."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from src import filters
from src.config import DEFAULT_DATA_DIR
from src.dataset import load_dataset
from src.filters import filter_incidents, in_date_range, incident_mask
from src.view import View

DATA = load_dataset(DEFAULT_DATA_DIR)
INCIDENTS = DATA.incidents


def test_each_filter_selects_exactly_its_rows() -> None:
    for precision in ("exact", "settlement", "municipality"):
        got = filter_incidents(INCIDENTS, View(precisions=(precision,)))
        assert set(got["location_precision"]) <= {precision}
        assert len(got) == (INCIDENTS["location_precision"] == precision).sum()
    got = filter_incidents(INCIDENTS, View(categories=("riot", "protest")))
    assert len(got) == INCIDENTS["category"].isin(["riot", "protest"]).sum()
    got = filter_incidents(INCIDENTS, View(municipalities=("zvecan",)))
    assert len(got) == (INCIDENTS["municipality"] == "zvecan").sum() > 0


def test_a_lasting_event_matches_a_range_it_overlaps() -> None:
    frame = pd.DataFrame(
        {"date": pd.to_datetime(["2023-01-01", "2023-01-05"]), "end_date": pd.to_datetime(["2023-03-01", None])}
    )
    keep = in_date_range(frame, ("date", "end_date"), View(start=dt.date(2023, 2, 1), end=dt.date(2023, 2, 10)))
    assert keep.tolist() == [True, False]


def test_start_and_end_bound_the_range() -> None:
    view = View(start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    got = filter_incidents(INCIDENTS, view)
    last = got["end_date"].fillna(got["date"])
    assert (got["date"] <= pd.Timestamp("2023-05-31")).all() and (last >= pd.Timestamp("2023-05-01")).all()
    assert len(got) > 0


def test_search_words_all_have_to_match() -> None:
    one = filter_incidents(INCIDENTS, View(query="Banjska"))
    two = filter_incidents(INCIDENTS, View(query="Banjska police"))
    assert 0 < len(two) <= len(one)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["mitrovica", "jarinje", "kfor", "a", "e", "police", "zzz", "bridge", "1"]), max_size=3)
)
def test_a_kept_word_mask_is_the_scan_it_replaces(words: list[str]) -> None:
    """The search's word masks are kept per frame: asked again (in any order), they equal a fresh scan."""
    incidents = DATA.incidents
    view = replace(View(), query=" ".join(words))
    expected = np.ones(len(incidents), dtype=bool)
    for word in words:
        expected &= incidents["search_text"].str.contains(word, regex=False).to_numpy(dtype=bool)
    assert (incident_mask(incidents, view) == expected).all()
    assert (incident_mask(incidents, view) == expected).all()  # the second time from the kept masks


def test_kept_word_masks_belong_to_their_frame() -> None:
    """Another frame (an upload) gets its own masks, and a frame that goes takes them with it."""
    words = replace(View(), query="kfor")
    first = DATA.incidents.copy()
    second = DATA.incidents.iloc[::2].copy()
    assert (incident_mask(second, words) == incident_mask(first, words)[::2]).all()
    key = id(second)
    assert key in filters._word_masks
    del second
    gc.collect()
    assert key not in filters._word_masks
    kept = filters._word_mask(first, "kfor")
    with pytest.raises(ValueError):
        kept[0] = not kept[0]  # read-only: a caller's &= can never change what the next one gets
