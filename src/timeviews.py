"""Plotly figures for time: an animated monthly map and a timeline, both offline and coloured as the map.

The animated map is `scattermap` (MapLibre, bundled with Streamlit's plotly.js) on the `white-bg` style with
the municipality polygons as map layers, so it needs no tile or style server. Incidents are counted per
place and category in each frame; the number of frames is the number of months in the filtered range.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.subplots import make_subplots

from src.drawing.areas import NORTH_STYLE, OTHER_STYLE
from src.layers.incidents import PLACE_COLUMNS
from src.vocabulary import CATEGORIES

Mode = Literal["cumulative", "window"]
CELL_DEG = 0.01  # about 1 km: incidents closer than this share one marker in the animated map
MAX_CELLS = 600  # more places than this and the cells grow, so every frame stays small
MAX_INCIDENTS_WITH_TITLES = 3000  # above this, hovers give counts only (titles per frame would be megabytes)
MAX_TITLES_IN_HOVER = 3
UIREVISION = "keep-view"
SLIDER_PAD_PX = 32  # room at both ends of the month slider, so its first and last labels show whole
BARS_PX = 330  # height of the timeline's bars
LASTING_ROW_PX = 20  # height per lasting event, so each gets a readable label
MAX_LABELLED_LASTING = 40  # above this, lasting events are named on hover only


def months_between(start: dt.date, end: dt.date) -> list[pd.Period]:
    return list(pd.period_range(pd.Period(start, "M"), pd.Period(end, "M"), freq="M"))


def month_range(incidents: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> list[pd.Period]:
    """The months a view covers: its date range, or else the filtered incidents' own span."""
    if incidents.empty and (start is None or end is None):
        return []
    first = start or incidents["date"].min().date()
    last = end or incidents["end_date"].fillna(incidents["date"]).max().date()
    return months_between(first, last)


def _map_layers(municipalities: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The municipalities as MapLibre fill and line layers: the north highlighted, the rest muted."""
    layers = []
    for north, style, opacity, width in ((False, OTHER_STYLE, 0.45, 0.7), (True, NORTH_STYLE, 0.22, 2)):
        shapes = municipalities[municipalities["north"] == north][["id", "geometry"]].__geo_interface__
        layers.append({"source": shapes, "type": "fill", "color": style["fillColor"], "opacity": opacity})
        layers.append({"source": shapes, "type": "line", "color": style["color"], "line": {"width": width}})
    return layers


def _cell_size(incidents: pd.DataFrame) -> float:
    """Grows the cell until there are few enough places to draw every frame quickly."""
    size = CELL_DEG
    while size < 0.32:
        rows = (incidents["latitude"].to_numpy() // size).astype(np.int64)
        columns = (incidents["longitude"].to_numpy() // size).astype(np.int64)
        if len(np.unique(rows * 100_000 + columns)) <= MAX_CELLS:
            break
        size *= 2
    return size


def frame_counts(
    incidents: pd.DataFrame, months: list[pd.Period], mode: Mode, window: int
) -> tuple[np.ndarray, pd.DataFrame, np.ndarray, np.ndarray]:
    """Counts per frame (months x cells) for all frames at once, with each cell's place and category.

    An incident adds one to its cell from its start month on: to the last frame (cumulative), or until
    `window` months after it ended (sliding window). A difference array makes that one cumulative sum.
    Also returns each incident's cell and its first and (exclusive) last frame.
    """
    size = _cell_size(incidents) if len(incidents) else CELL_DEG
    keys = pd.DataFrame(
        {
            "lat": ((incidents["latitude"] / size).round() * size).round(4).to_numpy(),
            "lon": ((incidents["longitude"] / size).round() * size).round(4).to_numpy(),
            "category": incidents["category"].to_numpy(),
        }
    )
    cell = keys.groupby(["lat", "lon", "category"], sort=False).ngroup().to_numpy()
    cells = keys.drop_duplicates().reset_index(drop=True)  # same first-appearance order as ngroup(sort=False)
    first = pd.Period(months[0], "M").ordinal if months else 0
    start = np.clip(incidents["date"].dt.to_period("M").array.asi8 - first, 0, None)
    ended = incidents["end_date"].fillna(incidents["date"]).dt.to_period("M").array.asi8 - first
    stop = np.full(len(incidents), len(months)) if mode == "cumulative" else np.minimum(ended + window, len(months))
    shown = start < np.maximum(stop, 0)
    diff = np.zeros((len(months) + 1, len(cells)), dtype=np.int64)
    np.add.at(diff, (start[shown], cell[shown]), 1)
    np.add.at(diff, (np.clip(stop[shown], 0, None), cell[shown]), -1)
    return np.cumsum(diff[:-1], axis=0), cells, cell, np.where(shown, stop, start)


def _hover_titles(incidents: pd.DataFrame, cell: np.ndarray, start: np.ndarray, stop: np.ndarray, frame: int) -> dict:
    """The latest few titles per cell in one frame (only for small selections; large ones show counts)."""
    active = np.flatnonzero((start <= frame) & (frame < stop))
    titles: dict[int, list[str]] = {}
    for i in active[::-1]:
        titles.setdefault(int(cell[i]), []).append(incidents["hover"].iat[i])
    return {
        c: "<br>".join(t[:MAX_TITLES_IN_HOVER]) + ("<br>…" if len(t) > MAX_TITLES_IN_HOVER else "")
        for c, t in titles.items()
    }


def _frame_traces(counts: np.ndarray, cells: pd.DataFrame, titles: dict[int, str]) -> list[dict[str, Any]]:
    """One trace per category (always all of them, so legend and colours stay put between frames)."""
    traces = []
    for category, (label, color, _) in CATEGORIES.items():
        columns = np.flatnonzero((cells["category"].to_numpy() == category) & (counts > 0))
        n = counts[columns]
        traces.append(
            {
                "type": "scattermap",
                "mode": "markers",
                "name": label,
                "lat": cells["lat"].to_numpy()[columns].tolist(),
                "lon": cells["lon"].to_numpy()[columns].tolist(),
                "marker": {"color": color, "size": (6 + 3 * np.minimum(n, 12)).tolist(), "opacity": 0.85},
                "customdata": [[int(k), titles.get(int(c), "")] for k, c in zip(n, columns, strict=True)],
                "hovertemplate": "<b>%{customdata[0]} incident(s)</b><br>%{customdata[1]}<extra>" + label + "</extra>",
            }
        )
    return traces


def animated_map(
    incidents: pd.DataFrame,
    municipalities: gpd.GeoDataFrame,
    months: list[pd.Period],
    mode: Mode = "cumulative",
    window: int = 3,
    language: str = "en",
) -> go.Figure:
    """A MapLibre map with one frame per month, a slider and a play button; works with no network."""
    place = incidents.get(PLACE_COLUMNS.get(language, "place"), incidents["place"]).fillna("")
    prepared = incidents.assign(
        hover=incidents["date_label"] + " · " + incidents["title"].str.slice(0, 70) + " · " + place
    )
    counts, cells, cell, stop = frame_counts(prepared, months, mode, window)
    start = np.clip(prepared["date"].dt.to_period("M").array.asi8 - (months[0].ordinal if months else 0), 0, None)
    with_titles = len(prepared) <= MAX_INCIDENTS_WITH_TITLES
    frames = [
        {
            "name": str(month),
            "data": _frame_traces(
                counts[k], cells, _hover_titles(prepared, cell, start, stop, k) if with_titles else {}
            ),
        }
        for k, month in enumerate(months)
    ]
    first = frames[-1]["data"] if frames else _frame_traces(np.zeros(len(cells), dtype=int), cells, {})
    north = municipalities[municipalities["north"].astype(bool)] if len(municipalities) else municipalities
    # Without municipalities (a broken file, named in the data-health notice) the map centres on the north.
    centre = gpd.GeoSeries(north.geometry).union_all().centroid if len(north) else shapely.Point(20.78, 42.99)
    layout = {
        "map": {
            "style": "white-bg",
            "center": {"lat": centre.y, "lon": centre.x},
            "zoom": 8.6,
            "layers": _map_layers(municipalities),
        },
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "height": 600,
        "uirevision": UIREVISION,
        "legend": {"x": 0.99, "y": 0.99, "xanchor": "right", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.85)"},
        "updatemenus": [
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"r": 6, "t": 6},
                "buttons": [
                    {
                        "label": "▶ Play",
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": 500, "redraw": True},
                                "fromcurrent": True,
                                "transition": {"duration": 0},
                            },
                        ],
                    },
                    {
                        "label": "❚❚ Pause",
                        "method": "animate",
                        "args": [[None], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
                    },
                ],
            }
        ],
        "sliders": [
            {
                "active": max(len(months) - 1, 0),
                "currentvalue": {"prefix": "Month: "},
                "pad": {"t": 30, "l": SLIDER_PAD_PX, "r": SLIDER_PAD_PX},
                "steps": [
                    {
                        "label": str(m),
                        "method": "animate",
                        "args": [[str(m)], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
                    }
                    for m in months
                ],
            }
        ],
    }
    return go.Figure({"data": first, "layout": layout, "frames": frames})


def timeline(incidents: pd.DataFrame, months: list[pd.Period], freq: Literal["W", "M"] = "M") -> go.Figure:
    """Incidents per week or month stacked by category, with lasting events as bars spanning their duration."""
    lasting = incidents.dropna(subset=["end_date"])
    labelled = len(lasting) <= MAX_LABELLED_LASTING
    lasting_px = max(120, LASTING_ROW_PX * min(len(lasting), MAX_LABELLED_LASTING))
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[BARS_PX, lasting_px],
        vertical_spacing=0.06,
        subplot_titles=(
            "Incidents per " + ("week" if freq == "W" else "month"),
            "Lasting events (start to end)" + ("" if labelled else ": hover a bar for its title"),
        ),
    )
    periods = incidents["date"].dt.to_period(freq).dt.start_time
    for category, (label, color, _) in CATEGORIES.items():
        in_category = periods[incidents["category"] == category]
        counts = in_category.value_counts().sort_index()
        figure.add_trace(
            go.Bar(
                x=counts.index.tolist(),
                y=counts.tolist(),
                name=label,
                marker_color=color,
                legendgroup=category,
                hovertemplate="%{x|%b %Y}: %{y}<extra>" + label + "</extra>",
            ),
            row=1,
            col=1,
        )
    for row in lasting.itertuples():
        label, color, _ = CATEGORIES[row.category]
        figure.add_trace(
            go.Scatter(
                x=[row.date, row.end_date],
                y=[_lasting_label(row.title, row.date)] * 2,
                mode="lines",
                line={"color": color, "width": 9},
                name=label,
                legendgroup=row.category,
                showlegend=False,
                hovertemplate=f"{row.date_label} – {row.end_date:%-d %b %Y}<extra>{label}</extra>",
            ),
            row=2,
            col=1,
        )
    x_range = [months[0].start_time, months[-1].end_time] if months else None
    figure.update_layout(
        barmode="stack",
        height=BARS_PX + lasting_px + 160,
        margin={"l": 10, "r": 10, "t": 30, "b": 70},
        uirevision=UIREVISION,
        # Under the charts: above them it covered the first chart's title whenever it took two lines.
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "yref": "container"},
        dragmode="select",
        selectdirection="h",
    )
    figure.update_xaxes(range=x_range, row=1, col=1)
    figure.update_xaxes(range=x_range, rangeslider={"visible": True, "thickness": 0.06}, row=2, col=1)
    figure.update_yaxes(showticklabels=labelled, autorange="reversed", tickfont={"size": 11}, dtick=1, row=2, col=1)
    return figure


def _lasting_label(title: str, start: pd.Timestamp) -> str:
    """A lasting event's row label: short, and unique (two events with one title get two rows)."""
    short = title if len(title) <= 28 else title[:27].rstrip() + "…"
    return f"{short} ({start:%b %Y})"


def timeline_total(figure: go.Figure) -> int:
    """Incidents counted by the timeline's bars (the stacked bar traces of the first row)."""
    return int(sum(sum(trace.y) for trace in figure.data if isinstance(trace, go.Bar)))


def span_from_selection(selection: dict[str, Any], freq: Literal["W", "M"] = "M") -> tuple[dt.date, dt.date] | None:
    """The dates a selection on the timeline covers: a box's x range, or the whole weeks or months of the
    selected bars. None when nothing usable is selected."""
    boxes = [x for box in selection.get("box") or [] for x in box.get("x", [])]
    points = [point["x"] for point in selection.get("points") or [] if "x" in point]
    dates = pd.to_datetime(pd.Series(boxes or points, dtype=object), errors="coerce", format="mixed").dropna()
    if dates.empty:
        return None
    if boxes:
        return dates.min().date(), dates.max().date()
    last_period = dates.max().to_period(freq)
    return dates.min().date(), last_period.end_time.date()
