"""Widget callbacks that AppTest cannot trigger: a timeline selection sets the dates, a table row opens it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest
import streamlit as st

from src.ui import explorer, timepanel
from src.view import DATES_WIDGET


@pytest.fixture
def state(monkeypatch: pytest.MonkeyPatch) -> dict:
    fake: dict = {}
    monkeypatch.setattr(st, "session_state", fake)
    return fake


def test_a_timeline_selection_becomes_the_date_filter(state: dict) -> None:
    state[timepanel.TIMELINE_KEY] = {"selection": {"box": [{"x": ["2023-05-01", "2023-06-30"]}]}}
    timepanel._apply_selection()
    assert state[DATES_WIDGET] == (dt.date(2023, 5, 1), dt.date(2023, 6, 30))


def test_choosing_a_table_row_opens_that_record(state: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    params: dict = {}
    monkeypatch.setattr(st, "query_params", params)
    table = pd.DataFrame({"id": ["inc-a", "inc-b", "inc-c"]})
    state["incident_table"] = SimpleNamespace(selection=SimpleNamespace(rows=[2]))
    explorer._open_selected(table)
    assert params[explorer.INCIDENT_PARAM] == "inc-c"
