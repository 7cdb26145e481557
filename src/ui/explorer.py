"""The Incidents page's pieces: the table, one record (linked as ?incident=<id>), downloads and uploads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.config import MAX_UPLOAD_MB, data_dir
from src.dataset import Dataset
from src.drawing.incidents import places_in
from src.exports import to_csv, to_geojson
from src.sources import citation
from src.text import md_escape, md_link, name_in
from src.ui import panels, session_scope
from src.ui.data import UPLOAD_KEY, uploaded, uploaded_in_view
from src.ui.download import download_button
from src.upload import read_upload
from src.view import View
from src.vocabulary import CATEGORIES, PRECISION_TEXT

UPLOAD_FILE_KEY = "_upload_file_id"
INCIDENT_PARAM = "incident"
RECORD_KEY = "record_choice"
ORIGIN_DATASET, ORIGIN_UPLOAD = "dataset", "your upload"


def table_frame(data: Dataset, incidents: pd.DataFrame, language: str) -> pd.DataFrame:
    """The rows the table shows, by column: plain text only (the grid renders text, never HTML)."""
    municipalities = data.frame("municipalities")
    names = pd.Series([name_in(r, language) for r in municipalities.to_dict("records")], index=municipalities["id"])
    labels = pd.Series({c: label for c, (label, _, _) in CATEGORIES.items()})
    return pd.DataFrame(
        {
            "Date": incidents["date"].dt.date,
            "Precision (date)": incidents["date_precision"],
            "Title": incidents["title"],
            "Category": incidents["category"].map(labels),
            "Place": places_in(incidents, language),
            "Municipality": incidents["municipality"].map(names).fillna(incidents["municipality"]),
            "Location": incidents["location_precision"],
            "Casualties": incidents["casualties"],
            "Origin": incidents["origin"],
            "id": incidents["id"],
        }
    ).reset_index(drop=True)


def combined(data: Dataset, view: View, incidents: pd.DataFrame) -> pd.DataFrame:
    """The dataset's filtered incidents and this session's uploaded ones, marked by origin."""
    parts = [incidents.assign(origin=ORIGIN_DATASET)]
    extra = uploaded_in_view(view)
    if extra is not None:
        parts.append(extra.assign(origin=ORIGIN_UPLOAD))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)


def _open_selected(table: pd.DataFrame) -> None:
    """Callback: choosing a row opens that record (and puts it in the URL)."""
    rows = st.session_state["incident_table"].selection.rows
    if rows:
        st.query_params[INCIDENT_PARAM] = str(table["id"].iloc[rows[0]])


def _open_chosen() -> None:
    """Callback: choosing in "Open a record" puts that record in the URL, which says what is open."""
    chosen = st.session_state[RECORD_KEY]
    if chosen is None:
        st.query_params.pop(INCIDENT_PARAM, None)
    else:
        st.query_params[INCIDENT_PARAM] = chosen


def incident_table(data: Dataset, view: View, rows: pd.DataFrame) -> None:
    table = table_frame(data, rows, view.language)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=420,
        key="incident_table",
        on_select=lambda: _open_selected(table),
        selection_mode="single-row",
        column_config={
            "Title": st.column_config.TextColumn(width="large"),
            "id": st.column_config.TextColumn("Record id"),
        },
    )
    st.caption("Sort by clicking a column, search with the table's search button, choose a row to open it.")


def record(data: Dataset, view: View, rows: pd.DataFrame) -> None:
    """The full record named by ?incident=<id>, with its sources as links and a small map."""
    options = rows["id"].tolist()
    wanted = st.query_params.get(INCIDENT_PARAM)
    if wanted and wanted not in options:
        everything = combined(data, View(), data.incidents)
        if wanted in set(everything["id"]):
            rows = everything
            options = rows["id"].tolist()
            st.info("This record is outside the current filters; it is shown anyway.")
        else:
            st.warning(f"No incident has the id “{md_escape(wanted)}”. Choose one from the table.")
            wanted = None
    labels = dict(zip(rows["id"], rows["date_label"] + " · " + rows["title"], strict=True))
    # The URL names the open record (a link, a table row or this box set it); the box follows it. With a key
    # and no index, the box keeps one identity, so no choice is lost to a widget rebuilt with a new index.
    if st.session_state.get(RECORD_KEY) != wanted:
        st.session_state[RECORD_KEY] = wanted
    chosen = st.selectbox(
        "Open a record",
        options,
        index=None,
        key=RECORD_KEY,
        on_change=_open_chosen,
        format_func=labels.get,
        placeholder="Choose an incident (or a row in the table)",
    )
    if chosen is None:
        return
    item = rows[rows["id"] == chosen].iloc[0]
    municipalities = data.frame("municipalities").set_index("id")
    place_names = " / ".join(dict.fromkeys(p for p in (item["place"], item["place_sq"], item["place_sr"]) if p))
    municipality = (
        municipalities.loc[item["municipality"]].to_dict() if item["municipality"] in municipalities.index else {}
    )
    sources = {**data.sources, **(uploaded().sources if uploaded() else {})}
    st.subheader(md_escape(item["title"]), anchor=False)
    facts = {
        "Date": f"{item['date_label']}"
        + (f" to {item['end_date']:%-d %B %Y}" if pd.notna(item["end_date"]) else "")
        + f" (known to the {item['date_precision']})",
        "Category": CATEGORIES[item["category"]][0],
        "Place": place_names,
        "Municipality": name_in(municipality, view.language) if municipality else item["municipality"],
        "Location": PRECISION_TEXT[item["location_precision"]],
        "Casualties": item["casualties"],
        "Actors": item["actors"] or "not stated",
        "Record": item["origin"],
    }
    # st.table renders Markdown in its cells: every value from a file or an upload is escaped.
    st.table(
        pd.DataFrame({"field": list(facts), "value": [md_escape(v) for v in facts.values()]}),
        hide_index=True,
        hide_header=True,
    )
    if item["description"]:
        st.markdown(md_escape(item["description"]))
    lines = [
        f"{n}. {md_link(citation(sources, source_id), (sources.get(source_id) or {}).get('url'))}"
        for n, source_id in enumerate(item["sources"], start=1)
    ]
    st.markdown("**Sources**\n\n" + "\n".join(lines))
    st.markdown(f"Link to this record: ?{INCIDENT_PARAM}={md_escape(chosen)}")
    one = rows[rows["id"] == chosen]
    focus = View(language=view.language, center=(float(item["latitude"]), float(item["longitude"])), zoom=12)
    panels.incident_map(data, focus, one, height=320, key="record_map")


def downloads(data: Dataset, rows: pd.DataFrame) -> None:
    """Downloads of exactly the rows shown; each file is built only when its button is clicked."""
    sources = {**data.sources, **(uploaded().sources if uploaded() else {})}
    left, right = st.columns(2)
    download_button(
        left,
        f"Download these {len(rows)} incidents as CSV",
        lambda: to_csv(rows, sources),
        "northern-kosovo-incidents.csv",
        "text/csv",
        help="Opens safely in a spreadsheet: cells that would run as formulas are neutralised.",
    )
    download_button(
        right,
        f"Download these {len(rows)} incidents as GeoJSON",
        lambda: to_geojson(rows, sources),
        "northern-kosovo-incidents.geojson",
        "application/geo+json",
    )
    st.caption("Each file carries the records' sources and the data's licence (CC BY 4.0 for the compilation).")


def problem_frame(problems: list) -> pd.DataFrame:
    return pd.DataFrame([vars(p) for p in problems], columns=["file", "row", "field", "reason"]).astype(
        {"row": "Int64"}
    )


def all_problems_csv(name: str, raw: bytes, data: Dataset) -> str:
    """Every problem of an upload, read again when the download is clicked (the session keeps only the first)."""
    return problem_frame(read_upload(name, raw, data_dir(), data, keep_problems=None).problems).to_csv(index=False)


def upload_form(data: Dataset) -> None:
    st.subheader("Bring your own incidents", anchor=False)
    st.markdown(
        f"Upload a CSV **up to {MAX_UPLOAD_MB} MB** in this app's incident columns (see the data README) or an "
        "export in ACLED's column layout. Your incidents show as their own layer on the map and in this table, "
        "for this browser session only; nothing is stored."
    )
    file = st.file_uploader("CSV of incidents", type=["csv"], key="upload_widget", max_upload_size=MAX_UPLOAD_MB)
    if file is not None and st.session_state.get(UPLOAD_FILE_KEY) != file.file_id:
        result = read_upload(file.name, file.getvalue(), data_dir(), data)
        session_scope.keep(UPLOAD_KEY, result)
        st.session_state[UPLOAD_FILE_KEY] = file.file_id
    result = uploaded()
    if result is None:
        return
    layout = {"acled": "ACLED layout", "app": "this app's layout", "none": "not recognised"}[result.layout]
    st.success(f"{len(result.frame)} uploaded incident(s) loaded ({layout}).")
    if result.problems:
        st.warning(f"{result.problem_count:,} problem(s) in the upload; the valid rows are shown.")
        st.dataframe(problem_frame(result.problems), hide_index=True)
    if result.problems_left_out and file is not None:
        st.caption(f"The first {len(result.problems):,} are listed; {result.problems_left_out:,} more are not.")
        download_button(
            st,
            f"Download all {result.problem_count:,} problems (CSV)",
            lambda: all_problems_csv(file.name, file.getvalue(), data),
            "upload-problems.csv",
            "text/csv",
        )
    if st.button("Remove the uploaded incidents"):
        session_scope.drop(UPLOAD_KEY)
        st.rerun()
