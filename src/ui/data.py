"""Data loaded once per data directory and shared by every session and page."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pandas as pd
import streamlit as st

from src.config import data_dir
from src.dataset import Dataset, load_dataset
from src.filters import filter_incidents, incident_mask
from src.store import store_url
from src.ui import session_scope
from src.upload import Upload
from src.view import View


@st.cache_resource(show_spinner="Loading the map data…")
def _dataset(directory: str) -> Dataset:
    loaded = load_dataset(Path(directory))
    # The data lives as long as the process: out of the cycle collector's full passes, which otherwise
    # rescan its objects now and then during some session's run (138 ms once at 100,000 incidents).
    gc.freeze()
    return loaded


def dataset() -> Dataset:
    """The dataset for GEODATA_DIR (or geodata/), or the PostGIS store GEODATA_URL names (fresh within
    GEODATA_TTL seconds). Shared, so callers must not modify it."""
    url = store_url()
    if url:
        from src.store.postgis import store  # local: psycopg is only needed with a store

        return store(url).dataset()
    return _dataset(str(data_dir()))


def incidents_in_sql() -> bool:
    """Whether the incidents stay in PostGIS (a store holding more than fits in memory)."""
    url = store_url()
    if not url:
        return False
    from src.store.postgis import store

    return store(url).incidents_in_sql()


def sql_date_bounds() -> tuple[dt.date, dt.date] | None:
    """The dates the store's incidents cover, when they stay in PostGIS (the dataset holds none of them)."""
    if not incidents_in_sql():
        return None
    from src.store.postgis import store

    return store(store_url()).date_bounds()  # type: ignore[arg-type]


def filtered(view: View) -> pd.DataFrame:
    """The incidents the view selects; with a store holding more than fits in memory, filtered in SQL (all
    of them when at most 10,000 match, else the newest 1,000: `matching_count` says how many)."""
    url = store_url()
    if url:
        from src.store.postgis import store

        return store(url).filtered(view)
    return filter_incidents(dataset().incidents, view)


def incident_total(data: Dataset) -> int:
    """How many incidents there are: the dataset's, or the store's when they stay in PostGIS."""
    if incidents_in_sql():
        from src.store.postgis import store

        return store(store_url()).total()  # type: ignore[arg-type]
    return len(data.incidents)


def matching_count(view: View) -> int:
    """How many incidents the view selects, without copying them (the Map page needs only the number)."""
    url = store_url()
    if url:
        from src.store.postgis import store

        if store(url).incidents_in_sql():
            return store(url).count(view)
    return int(incident_mask(dataset().incidents, view).sum())


UPLOAD_KEY = "_upload"


def uploaded() -> Upload | None:
    """This browser session's uploaded incidents, if any (kept in the session, never written anywhere)."""
    return session_scope.kept(UPLOAD_KEY)


def uploaded_in_view(view: View) -> pd.DataFrame | None:
    upload = uploaded()
    if upload is None or upload.frame.empty:
        return None
    return filter_incidents(upload.frame, view)
