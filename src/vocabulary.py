"""The words the data uses: incident categories, location and date precisions, and what each means.

Pure data, importable anywhere (the view, the loaders, the drawing code) without pulling in folium.
"""

from __future__ import annotations

from typing import Literal

# Category id -> (label, colour, shape). The colours are Paul Tol's colour-blind-safe "bright" and "dark"
# schemes, each at least 3:1 against the map background (tests/test_vocabulary.py); the shape is a second
# cue beside colour for categories that are easily confused.
CATEGORIES: dict[str, tuple[str, str, str]] = {
    "armed_clash": ("Armed clash", "#882255", "star"),
    "attack": ("Attack", "#CC3311", "triangle"),
    "explosion": ("Explosion", "#AA3377", "burst"),
    "riot": ("Riot", "#996600", "square"),
    "protest": ("Protest", "#0077BB", "circle"),
    "barricade": ("Barricade", "#666633", "bar"),
    "police_operation": ("Police operation", "#332288", "square"),
    "arrest": ("Arrest", "#117766", "diamond"),
    "administrative_measure": ("Administrative measure", "#225522", "circle"),
    "political": ("Political", "#555555", "hexagon"),
    "crossing_closure": ("Crossing closure", "#111111", "bar"),
}
Category = Literal[
    "armed_clash",
    "attack",
    "explosion",
    "riot",
    "protest",
    "barricade",
    "police_operation",
    "arrest",
    "administrative_measure",
    "political",
    "crossing_closure",
]
VIOLENT_CATEGORIES = ("armed_clash", "attack", "explosion", "riot")

LocationPrecision = Literal["exact", "settlement", "municipality"]
PRECISIONS: tuple[str, ...] = ("exact", "settlement", "municipality")
PRECISION_LABELS = {"exact": "Exact site", "settlement": "Settlement", "municipality": "Municipality only"}
PRECISION_TEXT = {
    "exact": "exact site",
    "settlement": "placed at the settlement, not the site itself",
    "municipality": "known only to its municipality; not drawn at any particular place",
}

DatePrecision = Literal["day", "month", "year"]
DATE_FORMATS = {"day": "%-d %b %Y", "month": "%B %Y", "year": "%Y"}


def category_label(category: str) -> str:
    return CATEGORIES.get(category, (category, "", ""))[0]
