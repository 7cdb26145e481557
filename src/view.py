"""What the user is looking at — filters, language, layers, centre and zoom — and its form in the URL.

The view is a plain frozen dataclass so that every page shares it and a copied link reopens it. Reading a
URL never raises: a value that cannot be understood is dropped with a short notice naming the parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from src.layers import BY_NAME
from src.layers.incidents import CATEGORIES, PRECISIONS
from src.text import DEFAULT_LANGUAGE, LANGUAGES

DEFAULT_LAYERS = ("municipalities", "outline", "settlements", "crossings", "police_bases", "incidents")
DEFAULT_CENTER = (42.99, 20.78)
DEFAULT_ZOOM = 10
ZOOM_RANGE = (7, 18)
# Far enough around Kosovo that any sensible view fits; a centre outside it is a typo, not a view.
CENTER_BOUNDS = ((41.0, 19.0), (44.0, 22.5))
LIST_SEPARATOR = ","


@dataclass(frozen=True)
class View:
    language: str = DEFAULT_LANGUAGE
    layers: tuple[str, ...] = DEFAULT_LAYERS
    start: dt.date | None = None
    end: dt.date | None = None
    categories: tuple[str, ...] = ()  # empty: every category
    municipalities: tuple[str, ...] = ()  # empty: every municipality
    precisions: tuple[str, ...] = ()  # empty: every location precision
    query: str = ""
    center: tuple[float, float] = DEFAULT_CENTER
    zoom: int = DEFAULT_ZOOM
    tiles: bool = False
    notices: tuple[str, ...] = field(default=(), compare=False)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def _choices(name: str, text: str, allowed: object, notices: list[str]) -> tuple[str, ...]:
    values = _split(text)
    unknown = [v for v in values if v not in allowed]  # type: ignore[operator]
    if unknown:
        notices.append(f"Ignored unknown {name} in the link: {', '.join(unknown)}")
    return tuple(v for v in values if v in allowed)  # type: ignore[operator]


def _date(name: str, text: str, notices: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        notices.append(f"Ignored {name}={text!r} in the link: not a date (use YYYY-MM-DD)")
        return None


def from_query(params: Mapping[str, str], known_municipalities: set[str] | frozenset[str] = frozenset()) -> View:
    """The view a URL describes; unknown or malformed values are dropped with a notice."""
    notices: list[str] = []
    view = View()
    changes: dict[str, object] = {}
    if "lang" in params:
        if params["lang"] in LANGUAGES:
            changes["language"] = params["lang"]
        else:
            notices.append(f"Ignored lang={params['lang']!r} in the link: use one of {', '.join(LANGUAGES)}")
    if "layers" in params:
        changes["layers"] = _choices("layers", params["layers"], BY_NAME, notices)
    for key in ("start", "end"):
        if params.get(key):
            changes[key] = _date(key, params[key], notices)
    if "cat" in params:
        changes["categories"] = _choices("categories", params["cat"], CATEGORIES, notices)
    if "muni" in params:
        changes["municipalities"] = _choices("municipalities", params["muni"], known_municipalities, notices)
    if "prec" in params:
        changes["precisions"] = _choices("location precisions", params["prec"], PRECISIONS, notices)
    if "q" in params:
        changes["query"] = params["q"][:200]
    if "center" in params:
        changes["center"] = _center(params["center"], notices) or view.center
    if "zoom" in params:
        changes["zoom"] = _zoom(params["zoom"], notices) or view.zoom
    if "tiles" in params:
        changes["tiles"] = params["tiles"] in ("1", "true", "osm")
    start, end = changes.get("start"), changes.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        notices.append("Ignored the link's date range: its end is before its start")
        changes["start"] = changes["end"] = None
    return replace(view, **changes, notices=tuple(notices))


def _center(text: str, notices: list[str]) -> tuple[float, float] | None:
    try:
        lat, lon = (float(part) for part in text.split(LIST_SEPARATOR))
    except ValueError:
        notices.append(f"Ignored center={text!r} in the link: use latitude,longitude")
        return None
    (south, west), (north, east) = CENTER_BOUNDS
    if not (south <= lat <= north and west <= lon <= east):
        notices.append(f"Ignored center={text!r} in the link: it is not near Kosovo")
        return None
    return (round(lat, 5), round(lon, 5))


def _zoom(text: str, notices: list[str]) -> int | None:
    try:
        zoom = int(text)
    except ValueError:
        notices.append(f"Ignored zoom={text!r} in the link: not a whole number")
        return None
    if not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
        notices.append(f"Ignored zoom={zoom} in the link: use {ZOOM_RANGE[0]} to {ZOOM_RANGE[1]}")
        return None
    return zoom


def to_query(view: View) -> dict[str, str]:
    """The URL parameters for a view; defaults are left out so links stay short."""
    default = View()
    params: dict[str, str] = {}
    if view.language != default.language:
        params["lang"] = view.language
    if view.layers != default.layers:
        params["layers"] = LIST_SEPARATOR.join(view.layers)
    if view.start:
        params["start"] = view.start.isoformat()
    if view.end:
        params["end"] = view.end.isoformat()
    if view.categories:
        params["cat"] = LIST_SEPARATOR.join(view.categories)
    if view.municipalities:
        params["muni"] = LIST_SEPARATOR.join(view.municipalities)
    if view.precisions:
        params["prec"] = LIST_SEPARATOR.join(view.precisions)
    if view.query:
        params["q"] = view.query
    if view.center != default.center:
        params["center"] = f"{view.center[0]:.5f},{view.center[1]:.5f}"
    if view.zoom != default.zoom:
        params["zoom"] = str(view.zoom)
    if view.tiles:
        params["tiles"] = "osm"
    return params
