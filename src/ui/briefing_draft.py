"""The session's draft briefing: slides added from the Map page, edited, reordered and deleted on the
Briefing page, downloaded as a briefing file and opened again from disk.

It lives in st.session_state as the file format's own entries (src/briefing.Slide.entry), each with a uid
of this session so that the editor's widgets follow a slide when it moves. A draft is a valid briefing at
every step: an edit that a slide does not accept is refused with the field named.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from pydantic import ValidationError

from src.briefing import Briefing, Slide, slide_entry
from src.config import STATIC_DIR
from src.dataset import Dataset
from src.sources import citation
from src.text import md_escape
from src.ui.data import filtered
from src.view import View

DRAFT_KEY = "briefing_draft"
DRAFT_NAME = "draft"  # the Briefing page's ?briefing= for the draft
ADDED_KEY = "_slide_added"
CLICK_KEY = "new_slide_click"
NEW_FIELDS = {"title": "new_slide_title", "notes": "new_slide_notes", "highlight": "new_slide_highlight"}
NEW_SOURCES = "new_slide_sources"
DEFAULT_TITLE = "My briefing"

_slide_button = components.declare_component("slide_button", path=str(STATIC_DIR / "components" / "slide_button"))


def draft() -> dict[str, Any]:
    return st.session_state.setdefault(DRAFT_KEY, {"title": DEFAULT_TITLE, "subtitle": "", "slides": [], "uid": 0})


def document(state: dict[str, Any] | None = None) -> dict[str, Any]:
    """The draft as a briefing file holds it."""
    state = state or draft()
    return {
        "title": state["title"] or DEFAULT_TITLE,
        "subtitle": state["subtitle"],
        "slides": [slide["entry"] for slide in state["slides"]],
    }


def as_briefing() -> Briefing | None:
    """The draft as a briefing; None while it has no slides."""
    state = draft()
    return Briefing.model_validate(document(state)) if state["slides"] else None


def add(entry: dict[str, Any]) -> int:
    """Adds a slide entry at the end; its number."""
    state = draft()
    state["uid"] += 1
    state["slides"].append({"uid": state["uid"], "entry": Slide.model_validate(entry).entry()})
    return len(state["slides"])


def replace_all(briefing: Briefing) -> None:
    """The draft becomes `briefing`, every slide complete (notes, highlights and sources kept)."""
    state = draft()
    state["title"], state["subtitle"], state["slides"] = briefing.title, briefing.subtitle, []
    for slide in briefing.slides:
        add(slide.entry())


def _index(uid: int) -> int:
    return next(i for i, slide in enumerate(draft()["slides"]) if slide["uid"] == uid)


def move(uid: int, step: int) -> None:
    slides = draft()["slides"]
    i = _index(uid)
    j = min(max(i + step, 0), len(slides) - 1)
    slides[i], slides[j] = slides[j], slides[i]


def delete(uid: int) -> None:
    del draft()["slides"][_index(uid)]


def update(uid: int, **changes: Any) -> list[str]:
    """Changes a slide's words, highlights or sources; the problems (field: reason) if it refuses them."""
    slides = draft()["slides"]
    i = _index(uid)
    try:
        slide = Slide.model_validate({**slides[i]["entry"], **changes})
    except ValidationError as err:
        return [f"{'.'.join(str(p) for p in e['loc']) or 'slide'}: {e['msg']}" for e in err.errors(include_url=False)]
    slides[i]["entry"] = slide.entry()
    return []


def new_slide(
    view: View, position: Any, title: str, notes: str, highlight: list[str], sources: list[str], number: int
) -> dict[str, Any]:
    """A slide entry of the view on screen: `position` is what the browser said at the click
    ({"center": [lat, lon], "zoom": z}); without one the view's own centre and zoom are used."""
    if isinstance(position, dict) and position.get("center") and position.get("zoom") is not None:
        lat, lon = (float(part) for part in position["center"])
        view = replace(view, center=(round(lat, 5), round(lon, 5)), zoom=round(float(position["zoom"])))
    return slide_entry(
        view,
        title=" ".join(title.split())[:120] or f"Slide {number}",
        notes=notes.strip(),
        highlight=tuple(highlight),
        sources=tuple(sources),
    )


def _add_clicked(view: View, incidents_sources: dict[str, list[str]]) -> None:
    """Callback of the slide button: adds the view the browser reported, with the words typed."""
    state = st.session_state
    highlight = list(state.get(NEW_FIELDS["highlight"]) or [])
    sources = list(state.get(NEW_SOURCES) or [])
    if not sources:  # the highlighted incidents' own sources, when none are chosen
        sources = list(dict.fromkeys(s for i in highlight for s in incidents_sources.get(i, [])))
    try:
        entry = new_slide(
            view,
            state.get(CLICK_KEY),
            state.get(NEW_FIELDS["title"]) or "",
            state.get(NEW_FIELDS["notes"]) or "",
            highlight,
            sources,
            len(draft()["slides"]) + 1,
        )
    except ValueError as err:  # a centre the browser gave that is not near Kosovo, say
        state[ADDED_KEY] = ("error", f"The view could not be added: {err}")
        return
    number = add(entry)
    where = f"centre {entry['center'][0]:.4f}, {entry['center'][1]:.4f}, zoom {entry['zoom']}"
    state[ADDED_KEY] = ("ok", f"Added slide {number}: “{entry['title']}” ({where}).")
    for key in (*NEW_FIELDS.values(), NEW_SOURCES):
        state[key] = [] if key in (NEW_FIELDS["highlight"], NEW_SOURCES) else ""


MAX_HIGHLIGHT_CHOICES = 300  # a slide rings a few incidents; offering 50,000 would cost every rerun


def _incident_label(incidents: pd.DataFrame) -> dict[str, str]:
    """Labels of the newest filtered incidents a slide can ring, built by column."""
    newest = incidents.nlargest(MAX_HIGHLIGHT_CHOICES, "date").sort_values("date")
    return dict(zip(newest["id"], newest["date"].dt.strftime("%Y-%m-%d") + " · " + newest["title"], strict=True))


PANEL_KEY = "add_view_panel"


def add_view_panel_open() -> bool:
    """Whether the add-a-slide panel is open (it shows the filtered incidents, so it follows every filter)."""
    return bool(st.session_state.get(PANEL_KEY))


def add_view_panel(dataset: Dataset, view: View) -> None:
    """The Map page's "add this view as a slide": the words, the highlights (from the filtered incidents)
    and sources, and a button that takes the map's centre and zoom as they are on screen at the click. Its
    content runs only while it is open, so a closed panel costs a filter change nothing."""
    state = draft()
    panel = st.expander("Add this view as a slide", icon=":material/slideshow:", key=PANEL_KEY, on_change="rerun")
    if not panel.open:
        return
    incidents = filtered(view)
    with panel:
        st.text_input("Slide title", key=NEW_FIELDS["title"], max_chars=120, placeholder="e.g. May 2023: Zvečan")
        st.text_area("Notes for the briefer", key=NEW_FIELDS["notes"], height=90)
        labels = _incident_label(incidents)
        if len(incidents) > len(labels):
            st.caption(
                f"Highlights can be chosen among the newest {len(labels)} filtered incidents; filter to reach others."
            )
        st.multiselect(
            "Highlighted incidents (from the filtered ones)",
            list(labels),
            format_func=labels.get,
            key=NEW_FIELDS["highlight"],
            placeholder="None",
        )
        st.multiselect(
            "Sources",
            list(dataset.sources),
            format_func=lambda s: citation(dataset.sources, s),
            key=NEW_SOURCES,
            placeholder="The highlighted incidents' own sources",
        )
        st.caption(
            "The slide keeps the filters and layers above and the map's centre and zoom as they are on "
            "screen when you click."
        )
        chosen = incidents[incidents["id"].isin(list(labels))]
        sources_of = dict(zip(chosen["id"], chosen["sources"].map(list), strict=True))
        _slide_button(
            label="➕ Add this view as a slide",
            key=CLICK_KEY,
            default=None,
            on_change=partial(_add_clicked, view, sources_of),  # a component passes its kwargs to the browser
        )
        message = st.session_state.pop(ADDED_KEY, None)
        if message:
            (st.success if message[0] == "ok" else st.error)(md_escape(message[1]))
        if state["slides"]:
            st.page_link(
                Path("pages/briefing.py").as_posix(),
                label=f"Open the draft briefing ({len(state['slides'])} slides) to edit, show and download it",
                icon=":material/slideshow:",
                query_params={"briefing": DRAFT_NAME, "slide": str(len(state["slides"]))},
            )
