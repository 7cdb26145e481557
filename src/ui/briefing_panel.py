"""The briefing page: slides from a briefing file stepped with buttons or the arrow keys, and exports."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import replace

import pandas as pd
import streamlit as st

from src.briefing import Briefing, Slide, briefing_files, load_briefing
from src.config import STATIC_DIR, chromium_path, data_dir
from src.dataset import Dataset
from src.filters import filter_incidents
from src.mapview import build_map
from src.sources import citation
from src.standalone import standalone_html
from src.text import md_escape, md_link
from src.timeviews import month_range, timeline
from src.ui import panels
from src.ui.controls import current_language
from src.ui.data import dataset
from src.view import View

SLIDE_PARAM, BRIEFING_PARAM = "slide", "briefing"
CHART_KEY = "_briefing_chart_svg"
CHART_SLIDE_KEY = "_briefing_chart_slide"  # which slide the prepared chart belongs to
MAP_HEIGHT = 720


def page_style() -> None:
    """Large type and high contrast on screen, and a print stylesheet for one clean page."""
    st.html("<style>" + (STATIC_DIR / "css" / "briefing-page.css").read_text(encoding="utf-8") + "</style>")


def choose_briefing(data: Dataset) -> tuple[str, Briefing | None]:
    """The briefing named in the URL (or the first one), with its problems shown plainly."""
    files = {path.stem: path for path in briefing_files(data_dir())}
    if not files:
        st.info("No briefing files in geodata/briefings/. Save views from the map page to start one.")
        return "", None
    wanted = st.query_params.get(BRIEFING_PARAM, next(iter(files)))
    if wanted not in files:
        st.warning(f"No briefing named “{md_escape(wanted)}”; showing “{md_escape(next(iter(files)))}”.")
        wanted = next(iter(files))
    briefing, problems = load_briefing(files[wanted], set(data.incidents["id"]), set(data.sources))
    if problems:
        message = "\n".join(f"- {md_escape(problem)}" for problem in problems)
        (st.error if briefing is None else st.warning)(
            f"Problems in briefing file {md_escape(files[wanted].name)}:\n\n{message}"
        )
    return wanted, briefing


def _slide_number(count: int) -> int:
    try:
        number = int(st.query_params.get(SLIDE_PARAM, "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), count)


def _go(step: int, count: int) -> None:
    st.query_params[SLIDE_PARAM] = str(min(max(_slide_number(count) + step, 1), count))


def _range_text(slide: Slide) -> str:
    if slide.view.start and slide.view.end:
        return f"{slide.view.start:%-d %b %Y} – {slide.view.end:%-d %b %Y}"
    return "all dates"


def show(data: Dataset) -> None:
    name, briefing = choose_briefing(data)
    if briefing is None:
        return
    count = len(briefing.slides)
    number = _slide_number(count)
    slide = briefing.slides[number - 1]
    st.query_params[BRIEFING_PARAM], st.query_params[SLIDE_PARAM] = name, str(number)
    view = replace(slide.view, language=current_language(data))
    incidents = filter_incidents(data.incidents, view)

    controls = st.container(horizontal=True, key="briefing_controls")
    controls.button(
        "Previous",
        icon=":material/arrow_back:",
        shortcut="Left",
        on_click=_go,
        args=(-1, count),
        disabled=number == 1,
        key="previous_slide",
    )
    controls.button(
        "Next",
        icon=":material/arrow_forward:",
        shortcut="Right",
        on_click=_go,
        args=(1, count),
        disabled=number == count,
        key="next_slide",
    )
    controls.markdown(f"**Slide {number} of {count}** · use ← and → to step")
    st.header(md_escape(slide.title), anchor=False)
    stamp = f"{_range_text(slide)} · shown {dt.date.today():%-d %B %Y}"
    fmap = build_map(data, view, incidents, caption=(slide.title, briefing.title, stamp), highlight=slide.highlight)
    panels.folium_map(fmap, height=MAP_HEIGHT, key=f"briefing_map_{name}_{number}")
    if slide.notes:
        st.markdown(md_escape(slide.notes))
    if slide.sources:
        st.markdown(
            "**Sources:** "
            + "; ".join(md_link(citation(data.sources, s), data.sources.get(s, {}).get("url")) for s in slide.sources)
        )
    panels.attributions(data)
    exports(briefing, slide, view, incidents, name, number)


@st.cache_data(max_entries=32, show_spinner="Building the standalone map…")
def _standalone(briefing_title: str, slide: Slide, language: str, stamp: str) -> bytes:
    """The slide's map as one offline HTML file; built once per slide, not on every rerun."""
    data = dataset()
    view = replace(slide.view, language=language)
    incidents = filter_incidents(data.incidents, view)
    fmap = build_map(data, view, incidents, caption=(slide.title, briefing_title, stamp), highlight=slide.highlight)
    return standalone_html(fmap).encode("utf-8")


def exports(briefing: Briefing, slide: Slide, view: View, incidents: pd.DataFrame, name: str, number: int) -> None:
    with st.expander("Export and share"):
        stamp = f"{_range_text(slide)} · exported {dt.date.today():%-d %B %Y}"
        html = _standalone(briefing.title, slide, view.language, stamp)
        st.download_button(
            f"Map as a standalone HTML file ({len(html) / 1e6:.1f} MB, opens offline)",
            html,
            f"{name}-slide-{number}.html",
            "text/html",
        )
        if st.button("Prepare the timeline chart as SVG"):
            figure = timeline(incidents, month_range(incidents, view.start, view.end), "M")
            st.session_state[CHART_KEY] = chart_svg(figure)
            st.session_state[CHART_SLIDE_KEY] = (name, number)
        if st.session_state.get(CHART_KEY) and st.session_state.get(CHART_SLIDE_KEY) == (name, number):
            st.download_button(
                "Timeline chart (SVG)",
                st.session_state[CHART_KEY],
                f"{name}-slide-{number}-timeline.svg",
                "image/svg+xml",
            )
        st.download_button(
            "This slide as a briefing entry (JSON)",
            json.dumps(slide.entry(), indent=2, ensure_ascii=False),
            f"{name}-slide-{number}.json",
            "application/json",
        )
        st.caption("Print: use the browser's Print; the page prints as one landscape map with legend and attribution.")


def chart_svg(figure: object) -> bytes | None:
    """A chart as SVG, rendered by kaleido through the system Chromium (no browser is ever downloaded)."""
    browser = chromium_path()
    if browser is None:
        st.error("Chart images need Chromium on the server (Debian package chromium).")
        return None
    os.environ.setdefault("BROWSER_PATH", browser)
    try:
        return figure.to_image(format="svg")  # type: ignore[attr-defined]
    except (ValueError, RuntimeError, OSError) as err:  # kaleido missing, or Chromium failed to start
        st.error(f"The chart image could not be made: {err}")
        return None
