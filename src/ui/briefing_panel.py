"""The briefing page: slides from a briefing file stepped with buttons or the arrow keys, and exports."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import replace

import pandas as pd
import streamlit as st

from src.briefing import Briefing, Slide, briefing_files, load_briefing, parse_briefing
from src.config import STATIC_DIR, chromium_path, data_dir
from src.dataset import Dataset
from src.deck import deck_html, slide_stamp
from src.drawing.controls import BriefingKeys
from src.filters import filter_incidents
from src.mapview import build_map
from src.pictures import SIZES, map_png
from src.sources import citation
from src.standalone import standalone_html
from src.text import md_escape, md_link
from src.timeviews import month_range, timeline
from src.ui import briefing_draft, panels
from src.ui.controls import current_language
from src.ui.data import dataset
from src.ui.download import download_button
from src.view import View

SLIDE_PARAM, BRIEFING_PARAM = "slide", "briefing"
DRAFT = briefing_draft.DRAFT_NAME
PICK_KEY = "briefing_pick"
UPLOAD_KEY = "briefing_upload"
UPLOAD_PROBLEMS_KEY = "_briefing_upload_problems"
CHART_KEY = "_briefing_chart_svg"
CHART_PNG_KEY = "_briefing_chart_png"
CHART_SLIDE_KEY = "_briefing_chart_slide"  # which slide the prepared chart belongs to
MAP_HEIGHT = 720


def page_style() -> None:
    """Large type and high contrast on screen, and a print stylesheet for one clean page."""
    st.html("<style>" + (STATIC_DIR / "css" / "briefing-page.css").read_text(encoding="utf-8") + "</style>")


def _choose(names: dict[str, str]) -> None:
    st.query_params[BRIEFING_PARAM] = st.session_state[PICK_KEY]
    st.query_params[SLIDE_PARAM] = "1"


def choose_briefing(data: Dataset) -> tuple[str, Briefing | None]:
    """The briefing named in the URL (the session's draft, or a file; by default the draft when it has
    slides, else the first file), with its problems shown plainly."""
    files = {path.stem: path for path in briefing_files(data_dir())}
    has_draft = bool(briefing_draft.draft()["slides"])
    names = {DRAFT: f"Your draft ({len(briefing_draft.draft()['slides'])} slides, this session)"} if has_draft else {}
    names |= {stem: f"{stem} (geodata/briefings)" for stem in files}
    if not names:
        st.info(
            "No briefing yet: add views as slides on the Map page (“Add this view as a slide”), or open a "
            "briefing file below."
        )
        return "", None
    wanted = st.query_params.get(BRIEFING_PARAM, next(iter(names)))
    if wanted == DRAFT and not has_draft:
        st.info("Your draft briefing has no slides yet: add views as slides on the Map page.")
        wanted = next(iter(names))
    if wanted in names:
        st.session_state[PICK_KEY] = wanted
    st.selectbox("Briefing", list(names), format_func=names.get, key=PICK_KEY, on_change=_choose, args=(names,))
    if wanted == DRAFT:
        return DRAFT, briefing_draft.as_briefing()
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


def show(data: Dataset) -> None:
    name, briefing = choose_briefing(data)
    if briefing is not None:
        slideshow(data, name, briefing)
    editor(data, name, briefing)


def slideshow(data: Dataset, name: str, briefing: Briefing) -> None:
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
    stamp = slide_stamp(slide, "shown", dt.date.today())
    fmap = build_map(data, view, incidents, caption=(slide.title, briefing.title, stamp), highlight=slide.highlight)
    BriefingKeys().add_to(fmap)
    with st.container(key="briefing_map"):
        panels.folium_map(fmap, height=MAP_HEIGHT, key=f"briefing_map_{name}_{number}")
    with st.container(key="briefing_words"):
        if slide.notes:
            st.markdown(md_escape(slide.notes))
        if slide.sources:
            st.markdown(
                "**Sources:** "
                + "; ".join(
                    md_link(citation(data.sources, s), data.sources.get(s, {}).get("url")) for s in slide.sources
                )
            )
        panels.attributions(data)
    exports(data, briefing, slide, view, incidents, name, number)


@st.cache_data(max_entries=32, show_spinner="Building the standalone map…")
def _standalone(briefing_title: str, slide: Slide, language: str, stamp: str) -> bytes:
    """The slide's map as one offline HTML file; built once per slide, not on every rerun."""
    data = dataset()
    view = replace(slide.view, language=language)
    incidents = filter_incidents(data.incidents, view)
    fmap = build_map(data, view, incidents, caption=(slide.title, briefing_title, stamp), highlight=slide.highlight)
    return standalone_html(fmap, title=f"{slide.title} · {briefing_title}").encode("utf-8")


def _picture(briefing_title: str, slide: Slide, language: str, stamp: str, size: str) -> bytes:
    """The slide's map as a PNG (built when the download button is clicked, never on a rerun)."""
    html = _standalone(briefing_title, slide, language, stamp).decode("utf-8")
    return map_png(html, SIZES[size])


def _deck(briefing: Briefing, language: str) -> bytes:
    return deck_html(dataset(), briefing, language).encode("utf-8")


def exports(
    data: Dataset, briefing: Briefing, slide: Slide, view: View, incidents: pd.DataFrame, name: str, number: int
) -> None:
    with st.expander("Export and share"):
        stamp = slide_stamp(slide, "exported", dt.date.today())
        html = _standalone(briefing.title, slide, view.language, stamp)
        download_button(
            st,
            f"Map as a standalone HTML file ({len(html) / 1e6:.1f} MB, opens offline)",
            html,
            f"{name}-slide-{number}.html",
            "text/html",
        )
        if chromium_path() is None:
            st.caption("Pictures of the map need Chromium on the server (Debian package chromium).")
        else:
            pictures = st.container(horizontal=True)
            for size, label in (("a4", "A4 landscape, 300 dpi: 3508 × 2480"), ("screen", "screen: 1920 × 1080")):
                download_button(
                    pictures,
                    f"Map picture (PNG, {label})",
                    lambda size=size: _picture(briefing.title, slide, view.language, stamp, size),
                    f"{name}-slide-{number}-{size}.png",
                    "image/png",
                    key=f"picture_{size}",
                    help="Made when you click (a few seconds): title, date stamp, legend, scale bar, north arrow "
                    "and attribution on the map.",
                )
        if st.button("Prepare the timeline chart (SVG and PNG)", key="prepare_chart"):
            figure = timeline(incidents, month_range(incidents, view.start, view.end), "M")
            st.session_state[CHART_KEY] = chart_image(figure, "svg")
            st.session_state[CHART_PNG_KEY] = chart_image(figure, "png") if st.session_state[CHART_KEY] else None
            st.session_state[CHART_SLIDE_KEY] = (name, number)
        if st.session_state.get(CHART_SLIDE_KEY) == (name, number):
            charts = st.container(horizontal=True)
            if st.session_state.get(CHART_KEY):
                download_button(
                    charts,
                    "Timeline chart (SVG)",
                    st.session_state[CHART_KEY],
                    f"{name}-slide-{number}-timeline.svg",
                    "image/svg+xml",
                )
            if st.session_state.get(CHART_PNG_KEY):
                download_button(
                    charts,
                    "Timeline chart (PNG)",
                    st.session_state[CHART_PNG_KEY],
                    f"{name}-slide-{number}-timeline.png",
                    "image/png",
                )
        download_button(
            st,
            f"The whole briefing as one offline HTML file ({len(briefing.slides)} slides)",
            lambda: _deck(briefing, view.language),
            f"{name}-briefing.html",
            "text/html",
            key="deck_download",
            help="Every slide in one file that opens from disk with no network: ← and → step, N shows the notes.",
        )
        download_button(
            st,
            "This slide as a briefing entry (JSON)",
            json.dumps(slide.entry(), indent=2, ensure_ascii=False),
            f"{name}-slide-{number}.json",
            "application/json",
        )
        st.caption(
            "Print: use the browser's Print; the slide prints as one landscape page with its legend, scale and "
            "attribution."
        )


def chart_image(figure: object, fmt: str = "svg") -> bytes | None:
    """A chart as SVG or PNG, rendered by kaleido through the system Chromium (no browser is ever downloaded)."""
    browser = chromium_path()
    if browser is None:
        st.error("Chart images need Chromium on the server (Debian package chromium).")
        return None
    os.environ.setdefault("BROWSER_PATH", browser)
    try:
        if fmt == "png":
            return figure.to_image(format="png", width=1200, height=500, scale=2)  # type: ignore[attr-defined]
        return figure.to_image(format=fmt)  # type: ignore[attr-defined]
    except (ValueError, RuntimeError, OSError) as err:  # kaleido missing, or Chromium failed to start
        st.error(f"The chart image could not be made: {err}")
        return None


# The editor: the session's draft briefing, slide by slide.


def _open_file(known: tuple[set[str], set[str]]) -> None:
    """Callback of the file picker: a valid briefing file becomes the draft; a bad one leaves the draft as
    it was and every problem is listed by slide and field."""
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return
    briefing, problems = parse_briefing(upload.getvalue(), upload.name, *known)
    st.session_state[UPLOAD_PROBLEMS_KEY] = (upload.name, briefing is not None, [str(p) for p in problems])
    if briefing is not None:
        briefing_draft.replace_all(briefing)
        st.query_params[BRIEFING_PARAM], st.query_params[SLIDE_PARAM] = DRAFT, "1"


def _copy_to_draft(briefing: Briefing) -> None:
    briefing_draft.replace_all(briefing)
    st.query_params[BRIEFING_PARAM], st.query_params[SLIDE_PARAM] = DRAFT, "1"


def _show_slide(number: int) -> None:
    st.query_params[BRIEFING_PARAM], st.query_params[SLIDE_PARAM] = DRAFT, str(number)


def _cover_changed() -> None:
    state = briefing_draft.draft()
    state["title"] = " ".join(str(st.session_state.get("draft_title", "")).split()) or briefing_draft.DEFAULT_TITLE
    state["subtitle"] = str(st.session_state.get("draft_subtitle", "")).strip()


def _save_slide(uid: int) -> None:
    changes = {
        "title": " ".join(str(st.session_state.get(f"edit_title_{uid}", "")).split()),
        "notes": str(st.session_state.get(f"edit_notes_{uid}", "")).strip(),
        "highlight": list(st.session_state.get(f"edit_highlight_{uid}", [])),
        "sources": list(st.session_state.get(f"edit_sources_{uid}", [])),
    }
    problems = briefing_draft.update(uid, **changes)
    st.session_state[f"_edit_problems_{uid}"] = problems


def editor(data: Dataset, name: str, briefing: Briefing | None) -> None:
    """Reorder, edit, delete and show the draft's slides; download it; open a briefing file from disk."""
    known = (set(data.incidents["id"]), set(data.sources))
    with st.container(key="briefing_editor"):
        st.subheader("Briefing editor", anchor=False)
        state = briefing_draft.draft()
        st.page_link("app.py", label="Add views as slides from the Map page", icon=":material/map:")
        if name != DRAFT and briefing is not None:
            st.button(
                f"Edit a copy of “{md_escape(briefing.title)}” as your draft",
                on_click=_copy_to_draft,
                args=(briefing,),
                key="copy_to_draft",
                help="Your draft is replaced by this briefing's slides (notes, highlights and sources kept).",
            )
        st.file_uploader(
            "Open a briefing file (JSON) as your draft",
            type=["json"],
            key=UPLOAD_KEY,
            on_change=_open_file,
            args=(known,),
            help="Checked as the files in geodata/briefings/ are; a file with problems leaves your draft as it is.",
        )
        opened = st.session_state.get(UPLOAD_PROBLEMS_KEY)
        if opened:
            file_name, usable, problems = opened
            listing = "\n".join(f"- {md_escape(p)}" for p in problems)
            if not usable:
                st.error(f"{md_escape(file_name)} was not opened; your draft is unchanged. Problems:\n\n{listing}")
            elif problems:
                st.warning(f"Opened {md_escape(file_name)}, with these problems (kept as they are):\n\n{listing}")
            else:
                st.success(f"Opened {md_escape(file_name)}: {len(state['slides'])} slides.")
        if not state["slides"]:
            st.caption("Your draft is empty: add views as slides from the Map page, or open a file.")
            return
        st.session_state.setdefault("draft_title", state["title"])
        st.session_state.setdefault("draft_subtitle", state["subtitle"])
        cover = st.container(horizontal=True)
        cover.text_input("Draft title", key="draft_title", on_change=_cover_changed)
        cover.text_input("Subtitle", key="draft_subtitle", on_change=_cover_changed)
        download_button(
            st,
            f"Download the draft briefing ({len(state['slides'])} slides, JSON)",
            json.dumps(briefing_draft.document(), indent=2, ensure_ascii=False),
            _file_name(state["title"]),
            "application/json",
            key="download_draft",
            help="The format of geodata/briefings/: put it there to ship it, or open it here again.",
        )
        labels = {row.id: f"{row.date:%Y-%m-%d} · {row.title}" for row in data.incidents.itertuples()}
        count = len(state["slides"])
        for position, item in enumerate(state["slides"], start=1):
            _slide_editor(data, item, position, count, labels)


def _file_name(title: str) -> str:
    slug = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())[:60]
    return f"{slug or 'briefing'}.json"


def _slide_editor(data: Dataset, item: dict, position: int, count: int, labels: dict[str, str]) -> None:
    uid, entry = item["uid"], item["entry"]
    with st.container(key=f"draft_slide_{uid}", border=True):
        row = st.container(horizontal=True, vertical_alignment="center")
        row.markdown(f"**{position}.** {md_escape(entry['title'])} · zoom {entry['zoom']}")
        row.button("Show", key=f"show_{uid}", on_click=_show_slide, args=(position,), icon=":material/visibility:")
        row.button("Up", key=f"up_{uid}", on_click=briefing_draft.move, args=(uid, -1), disabled=position == 1)
        row.button("Down", key=f"down_{uid}", on_click=briefing_draft.move, args=(uid, 1), disabled=position == count)
        row.button("Delete", key=f"delete_{uid}", on_click=briefing_draft.delete, args=(uid,), icon=":material/delete:")
        with st.expander("Edit"):
            with st.form(key=f"edit_form_{uid}", border=False):
                st.text_input("Title", value=entry["title"], key=f"edit_title_{uid}", max_chars=120)
                st.text_area("Notes", value=entry["notes"], key=f"edit_notes_{uid}")
                st.multiselect(
                    "Highlighted incidents",
                    list(dict.fromkeys([*entry["highlight"], *labels])),
                    default=entry["highlight"],
                    format_func=lambda i: labels.get(i, f"{i} (not in the data)"),
                    key=f"edit_highlight_{uid}",
                )
                st.multiselect(
                    "Sources",
                    list(dict.fromkeys([*entry["sources"], *data.sources])),
                    default=entry["sources"],
                    format_func=lambda s: citation(data.sources, s),
                    key=f"edit_sources_{uid}",
                )
                st.form_submit_button("Save the slide", on_click=_save_slide, args=(uid,))
            for problem in st.session_state.get(f"_edit_problems_{uid}", []):
                st.error(md_escape(problem))
