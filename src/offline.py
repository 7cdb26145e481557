"""Serve every script and style the map uses from the app itself, never from a CDN.

st_folium loads each script link in order and drops the whole map when one fails, so one CDN link left in
place means a blank map offline. `localise` rewrites the links of every element in a map by resource name
and raises `MissingOfflineAsset` for a name it has no local copy of, so a new folium feature without a
vendored asset fails loudly in tests instead of quietly reaching for the internet.
"""

from __future__ import annotations

from collections.abc import Iterator

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from src.config import STATIC_URL

# folium resource name -> file under static/ (None: deliberately not loaded, see the comment beside it)
LOCAL_ASSETS: dict[str, str | None] = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "jquery": "vendor/jquery/jquery.min.js",
    "bootstrap": "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "awesome_markers": "vendor/leaflet-awesome-markers/leaflet.awesome-markers.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "bootstrap_css": "vendor/bootstrap/css/bootstrap.min.css",
    "glyphicons_css": "vendor/glyphicons/css/bootstrap.min.css",
    "awesome_markers_font_css": "vendor/fontawesome/css/all.min.css",
    "awesome_markers_css": "vendor/leaflet-awesome-markers/leaflet.awesome-markers.css",
    "awesome_rotate_css": None,  # only for rotated awesome-marker icons, which the app never draws
    "markerclusterjs": "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "map_css": "css/map.css",
}


# folium's defaults that no layer of this app uses (no awesome-marker icons, no Bootstrap widgets, no
# folium.Popup, the one element whose script calls jQuery): not sent, so a map loads seven files fewer. st_folium
# loads scripts one after another, so each one left out shortens the wait before the map draws.
UNUSED_ASSETS = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
    }
)


class MissingOfflineAsset(LookupError):
    """A map element asked for a script or style that has no local copy."""


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from _walk(child)


def _local(name: str, url: str, base_url: str) -> str | None:
    if name not in LOCAL_ASSETS:
        raise MissingOfflineAsset(
            f"no local copy of {name!r} ({url}); vendor it into static/ and list it in LOCAL_ASSETS"
        )
    path = LOCAL_ASSETS[name]
    return None if path is None else f"{base_url}/{path}"


def localise(fmap: folium.Map, base_url: str = STATIC_URL, leave_out: frozenset[str] = UNUSED_ASSETS) -> folium.Map:
    """Points every element's default_js/default_css at the app's own copies (in place); resources named in
    `leave_out` are dropped."""
    for element in _walk(fmap):
        if isinstance(element, MapStyle):
            element.image_path = image_folder(base_url)
        if not isinstance(element, JSCSSMixin):
            continue
        for attribute in ("default_js", "default_css"):
            links = [(n, _local(n, url, base_url)) for n, url in getattr(element, attribute) if n not in leave_out]
            setattr(element, attribute, [(name, url) for name, url in links if url is not None])
    return fmap


class MapStyle(JSCSSMixin, MacroElement):
    """The app's own map stylesheet, and Leaflet's default icon folder (which it guesses wrongly in an iframe)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.image_path|tojson }};
        {% endmacro %}"""
    )
    default_css = (("map_css", "map.css"),)

    def __init__(self, base_url: str = STATIC_URL) -> None:
        super().__init__()
        self._name = "MapStyle"
        self.image_path = image_folder(base_url)


def image_folder(base_url: str) -> str:
    """Where Leaflet's default marker images are served from."""
    return f"{base_url}/{LOCAL_ASSETS['leaflet'].rsplit('/', 1)[0]}/images/"


def figure_links(fmap: folium.Map) -> list[str]:
    """Every script and stylesheet URL the map will load (after localise)."""
    links = []
    for element in _walk(fmap.get_root() if isinstance(fmap.get_root(), Figure) else fmap):
        if isinstance(element, JSCSSMixin):
            links += [url for _, url in element.default_js] + [url for _, url in element.default_css]
    return links
