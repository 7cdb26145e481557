"""Filtering by a view: vectorised, so a filter change over 100,000 incidents takes milliseconds."""

from __future__ import annotations

import functools
import threading
import weakref

import numpy as np
import pandas as pd

from src.layers import incidents as incident_layer
from src.layers.spec import LayerSpec
from src.text import fold
from src.view import View


def in_date_range(frame: pd.DataFrame, dates: tuple[str, str | None], view: View) -> pd.Series:
    """Which rows the view's dates select. A row that lasts (an end column) matches when it overlaps."""
    start_column, end_column = dates
    keep = pd.Series(True, index=frame.index)
    if view.start is not None:
        last_day = frame[end_column].fillna(frame[start_column]) if end_column else frame[start_column]
        keep &= last_day >= pd.Timestamp(view.start)
    if view.end is not None:
        keep &= frame[start_column] <= pd.Timestamp(view.end)
    return keep


WORDS_KEPT = 64  # per frame: the latest searched words' row masks
_word_masks: dict[int, tuple[weakref.ref, dict[str, np.ndarray]]] = {}
_word_masks_lock = threading.RLock()  # re-entrant: a frame's weak reference may fire inside it


def _word_mask(incidents: pd.DataFrame, word: str) -> np.ndarray:
    """Which rows' folded search text holds `word` (read-only). A substring scan of 100,000 texts takes
    20-60 ms, and one rerun asks for the same words several times (the count, the map's bitset, the table),
    so the answer is kept per frame (by a weak reference: a frame that goes takes its masks with it)."""
    key = id(incidents)
    with _word_masks_lock:
        owner, masks = _word_masks.get(key, (None, {}))
        if owner is None or owner() is not incidents:
            masks = {}
            _word_masks[key] = (weakref.ref(incidents, functools.partial(_forget, key)), masks)
        mask = masks.pop(word, None)
    if mask is None:
        mask = incidents["search_text"].str.contains(word, regex=False).to_numpy(dtype=bool)
        mask.setflags(write=False)
    with _word_masks_lock:
        masks[word] = mask  # the newest last
        while len(masks) > WORDS_KEPT:
            del masks[next(iter(masks))]
    return mask


def _forget(key: int, _gone: weakref.ref) -> None:
    with _word_masks_lock:
        entry = _word_masks.get(key)
        if entry is not None and entry[0]() is None:
            del _word_masks[key]


def incident_mask(incidents: pd.DataFrame, view: View) -> np.ndarray:
    """Which incidents a view selects (dates, categories, municipalities, precision and free text), as one
    boolean per row: the map's bitset and the count need no copy of the rows."""
    keep = in_date_range(incidents, incident_layer.LAYER.dates, view).to_numpy(dtype=bool, copy=True)  # type: ignore[arg-type]
    if view.categories:
        keep &= incidents["category"].isin(view.categories).to_numpy()
    if view.municipalities:
        keep &= incidents["municipality"].isin(view.municipalities).to_numpy()
    if view.precisions:
        keep &= incidents["location_precision"].isin(view.precisions).to_numpy()
    if view.query.strip():
        for word in fold(view.query).split():
            keep &= _word_mask(incidents, word)
    return keep


def filter_incidents(incidents: pd.DataFrame, view: View) -> pd.DataFrame:
    """The incidents a view selects (the rows of `incident_mask`)."""
    return incidents[incident_mask(incidents, view)]


def filter_layer(layer: LayerSpec, frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """Any other layer under the view: a dated layer follows the date range; the rest show whole."""
    if not layer.dates or frame.empty:
        return frame
    return frame[in_date_range(frame, layer.dates, view)]
