"""What the user is looking at — filters, language, layers, centre and zoom — and every form it takes.

One definition (`FIELDS`) says what the view's fields are; the URL form, the sidebar's widget state and a
briefing slide are all derived from it, so a new field is one entry here. Reading a link never raises: a
value that cannot be understood, or lies outside what the widgets accept, is dropped or clamped with a
notice naming the parameter. Reading a slide is strict: a bad value is an error naming its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from src.layers import by_name, default_layers
from src.text import DEFAULT_LANGUAGE, LANGUAGES
from src.vocabulary import CATEGORIES, PRECISIONS

DEFAULT_CENTER = (42.99, 20.78)
DEFAULT_ZOOM = 10
ZOOM_RANGE = (7, 18)
# Far enough around Kosovo that any sensible view fits; a centre outside it is a typo, not a view.
CENTER_BOUNDS = ((41.0, 19.0), (44.0, 22.5))
# What the date widgets accept at most; a link's dates are further clamped to the data's own range.
DATE_LIMITS = (dt.date(2000, 1, 1), dt.date(2100, 1, 1))
MAX_QUERY = 200
LIST_SEPARATOR = ","


@dataclass(frozen=True)
class View:
    language: str = DEFAULT_LANGUAGE
    layers: tuple[str, ...] = field(default_factory=default_layers)
    start: dt.date | None = None
    end: dt.date | None = None
    categories: tuple[str, ...] = ()  # empty: every category
    municipalities: tuple[str, ...] = ()  # empty: every municipality
    precisions: tuple[str, ...] = ()  # empty: every location precision
    query: str = ""
    center: tuple[float, float] = DEFAULT_CENTER
    zoom: int = DEFAULT_ZOOM
    tiles: bool = False  # online tiles: switched on by a click in the session, never by a link
    notices: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Limits:
    """What the view's values may be, beyond the fixed vocabularies: known municipalities, the data's dates."""

    municipalities: frozenset[str] = frozenset()
    first_day: dt.date = DATE_LIMITS[0]
    last_day: dt.date = DATE_LIMITS[1]


class FieldError(ValueError):
    """A value that a field does not accept; `key` is the field's name in the form that was read."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key, self.message = key, message


@dataclass(frozen=True)
class Codec:
    """How one kind of value is read from and written to text (a URL) and JSON (a slide)."""

    parse: Callable[[Any, Limits], Any]  # raises ValueError with a message a user understands
    to_text: Callable[[Any], str]
    to_json: Callable[[Any], Any]
    from_text: Callable[[str], Any] = lambda text: text
    is_list: bool = False  # a list from a link keeps the values it knows


def _choices(allowed: Callable[[Limits], Any], what: str) -> Codec:
    def parse(values: Any, limits: Limits) -> tuple[str, ...]:
        if not isinstance(values, list | tuple):
            raise ValueError(f"give a list of {what}")
        known = allowed(limits)
        unknown = [str(v) for v in values if v not in known]
        if unknown:
            raise ValueError(f"unknown {what}: {', '.join(unknown)}")
        return tuple(dict.fromkeys(values))

    return Codec(
        parse,
        to_text=LIST_SEPARATOR.join,
        to_json=list,
        from_text=lambda text: [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()],
        is_list=True,
    )


def _parse_date(value: Any, limits: Limits) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)") from None
    if not DATE_LIMITS[0] <= day <= DATE_LIMITS[1]:
        raise ValueError(f"{day} is outside {DATE_LIMITS[0]} to {DATE_LIMITS[1]}")
    return day


def _parse_center(value: Any, limits: Limits) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in value)
    except (TypeError, ValueError):
        raise ValueError("give latitude,longitude") from None
    (south, west), (north, east) = CENTER_BOUNDS
    if not (south <= lat <= north and west <= lon <= east):
        raise ValueError(f"{lat},{lon} is not near Kosovo (give latitude,longitude)")
    return (round(lat, 5), round(lon, 5))


def _parse_zoom(value: Any, limits: Limits) -> int:
    try:
        zoom = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a whole number") from None
    if isinstance(value, float) and value != zoom:
        raise ValueError(f"{value!r} is not a whole number")
    if not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
        raise ValueError(f"{zoom} is outside {ZOOM_RANGE[0]} to {ZOOM_RANGE[1]}")
    return zoom


def _parse_language(value: Any, limits: Limits) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"{value!r}: use one of {', '.join(LANGUAGES)}")
    return str(value)


def _parse_query(value: Any, limits: Limits) -> str:
    return " ".join(str(value).split())[:MAX_QUERY]


DATE = Codec(_parse_date, to_text=dt.date.isoformat, to_json=lambda d: d.isoformat() if d else None)
CODECS = {
    "language": Codec(_parse_language, to_text=str, to_json=str),
    "layers": _choices(lambda _: by_name(), "layers"),
    "start": DATE,
    "end": DATE,
    "categories": _choices(lambda _: CATEGORIES, "categories"),
    "municipalities": _choices(lambda limits: limits.municipalities, "municipalities"),
    "precisions": _choices(lambda _: PRECISIONS, "location precisions"),
    "query": Codec(_parse_query, to_text=str, to_json=str),
    "center": Codec(
        _parse_center,
        to_text=lambda c: f"{c[0]:.5f},{c[1]:.5f}",
        to_json=list,
        from_text=lambda text: text.split(LIST_SEPARATOR),
    ),
    "zoom": Codec(_parse_zoom, to_text=str, to_json=int),
}


@dataclass(frozen=True)
class ViewField:
    attr: str
    param: str | None  # its URL parameter; None: never read from a link
    widget: str | None  # its sidebar widget's key; None: no widget of its own
    in_slide: bool


FIELDS = (
    ViewField("language", "lang", "w_lang", in_slide=False),
    ViewField("layers", "layers", "w_layers", in_slide=True),
    ViewField("start", "start", None, in_slide=True),
    ViewField("end", "end", None, in_slide=True),
    ViewField("categories", "cat", "w_cat", in_slide=True),
    ViewField("municipalities", "muni", "w_muni", in_slide=True),
    ViewField("precisions", "prec", "w_prec", in_slide=True),
    ViewField("query", "q", "w_q", in_slide=True),
    ViewField("center", "center", None, in_slide=True),
    ViewField("zoom", "zoom", None, in_slide=True),
    ViewField("tiles", None, "w_tiles", in_slide=False),
)
DATES_WIDGET = "w_dates"  # one range widget for start and end
WIDGET = {f.attr: f.widget for f in FIELDS if f.widget}  # the sidebar widget's key of each field
WIDGET_KEYS = (*WIDGET.values(), DATES_WIDGET)
SLIDE_KEYS = tuple(f.attr for f in FIELDS if f.in_slide)
URL_PARAMS = tuple(f.param for f in FIELDS if f.param)


def from_query(params: Mapping[str, str], limits: Limits = Limits()) -> View:
    """The view a link describes; unknown, malformed or out-of-range values are dropped or clamped, each with
    a notice naming the parameter."""
    notices: list[str] = []
    changes: dict[str, Any] = {}
    for f in FIELDS:
        if f.param is None or f.param not in params or (f.attr in ("start", "end") and not params[f.param]):
            continue
        codec = CODECS[f.attr]
        text = params[f.param]
        try:
            changes[f.attr] = codec.parse(codec.from_text(text), limits)
        except ValueError as err:
            if codec.is_list:
                known = [v for v in codec.from_text(text) if _accepted(codec, v, limits)]
                changes[f.attr] = tuple(dict.fromkeys(known))
            notices.append(f"Ignored {f.param}={_shown(text)} in the link: {err}")
    if "tiles" in params:
        notices.append("Online map tiles are switched on in the Layers panel, not by a link.")
    _clamp_dates(changes, limits, notices)
    return replace(View(), **changes, notices=tuple(notices))


def _accepted(codec: Codec, value: str, limits: Limits) -> bool:
    try:
        codec.parse([value], limits)
    except ValueError:
        return False
    return True


def _shown(text: str) -> str:
    """A link's value as a notice quotes it: short, and as code so no markup in it is rendered."""
    return repr(text[:60] + ("…" if len(text) > 60 else ""))


def _clamp_dates(changes: dict[str, Any], limits: Limits, notices: list[str]) -> None:
    for attr in ("start", "end"):
        day = changes.get(attr)
        if day is not None and not limits.first_day <= day <= limits.last_day:
            clamped = min(max(day, limits.first_day), limits.last_day)
            notices.append(
                f"The link's {attr} {day} is outside the data ({limits.first_day} to {limits.last_day}); "
                f"using {clamped}"
            )
            changes[attr] = clamped
    start, end, notice = ordered_dates(changes.get("start"), changes.get("end"))
    if notice:
        notices.append(notice)
        changes["start"], changes["end"] = start, end


def ordered_dates(start: dt.date | None, end: dt.date | None) -> tuple[dt.date | None, dt.date | None, str | None]:
    """Start and end in order, and the notice when they came reversed (from a link or typed in the widget)."""
    if start and end and end < start:
        return end, start, f"The dates were reversed (end before start); showing {end} to {start}"
    return start, end, None


def to_query(view: View) -> dict[str, str]:
    """The URL parameters for a view; defaults are left out so links stay short."""
    default = View()
    params = {}
    for f in FIELDS:
        value = getattr(view, f.attr)
        if f.param is not None and value != getattr(default, f.attr) and value not in (None, ""):
            params[f.param] = CODECS[f.attr].to_text(value)
    return params


def to_slide(view: View) -> dict[str, Any]:
    """The view's part of a briefing slide (JSON values)."""
    return {f.attr: CODECS[f.attr].to_json(getattr(view, f.attr)) for f in FIELDS if f.in_slide}


def from_slide(entry: Mapping[str, Any], limits: Limits = Limits(), language: str = DEFAULT_LANGUAGE) -> View:
    """The view a slide describes; the first bad value raises FieldError naming its field."""
    changes: dict[str, Any] = {"language": language}
    for key, value in entry.items():
        if key not in SLIDE_KEYS:
            raise FieldError(key, "not a view field")
        try:
            changes[key] = CODECS[key].parse(value, limits)
        except ValueError as err:
            raise FieldError(key, str(err)) from None
    if changes.get("start") and changes.get("end") and changes["end"] < changes["start"]:
        raise FieldError("end", f"{changes['end']} is before start {changes['start']}")
    return replace(View(), **changes)


def to_widgets(view: View, bounds: tuple[dt.date, dt.date]) -> dict[str, Any]:
    """The sidebar widgets' state for a view (lists for multiselects, the date pair for the range)."""
    state = {f.widget: _widget_value(getattr(view, f.attr)) for f in FIELDS if f.widget}
    state[DATES_WIDGET] = (view.start or bounds[0], view.end or bounds[1])
    return state


def _widget_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def from_widgets(state: Mapping[str, Any], bounds: tuple[dt.date, dt.date], base: View) -> View:
    """The view the widgets show; fields without a widget (centre, zoom) come from `base`."""
    changes = {f.attr: state[f.widget] for f in FIELDS if f.widget and f.widget in state}
    for attr, value in list(changes.items()):
        if isinstance(value, list):
            changes[attr] = tuple(value)
    changes["query"] = _parse_query(changes.get("query", ""), Limits())
    dates = state.get(DATES_WIDGET)
    start, end = (dates[0], dates[1]) if isinstance(dates, list | tuple) and len(dates) == 2 else (None, None)
    changes["start"] = start if start and start != bounds[0] else None
    changes["end"] = end if end and end != bounds[1] else None
    return replace(base, **changes, notices=())
