"""Map furniture: zoom classes for CSS, the view in the URL, attributions and the briefing caption."""

from __future__ import annotations

from src.config import STATIC_DIR
from src.drawing.templates import RawMacro
from src.text import esc


class ZoomClasses(RawMacro):
    """Marks the map container with zoom-ge-N classes so CSS can show labels only when zoomed in."""

    def __init__(self) -> None:
        super().__init__(control=False)

    def script(self) -> str:
        return f"""
        (function (map) {{
          function mark() {{
            var z = map.getZoom(), box = map.getContainer();
            for (var i = 0; i <= 20; i++) box.classList.toggle('zoom-ge-' + i, z >= i);
          }}
          map.on('zoomend', mark); mark();
        }})({self.parent_name()});"""


class ViewInUrl(RawMacro):
    """Writes the map's centre and zoom into the page URL as the user pans and zooms, without a rerun, and
    again whenever the page has rewritten its URL after a filter change (the filter relay calls it).

    The st_folium iframe is same-origin, so it can update the parent's address; anywhere else (a standalone
    export opened from disk) the update is skipped."""

    def __init__(self) -> None:
        super().__init__(control=False)

    def script(self) -> str:
        return f"""
        (function (map) {{
          function write() {{
            try {{
              var top = window.parent, url = new URL(top.location.href), c = map.getCenter();
              url.searchParams.set('center', c.lat.toFixed(5) + ',' + c.lng.toFixed(5));
              url.searchParams.set('zoom', String(map.getZoom()));
              top.history.replaceState(top.history.state, '', url.toString());
            }} catch (err) {{ /* not inside the app page */ }}
          }}
          map.on('moveend', function () {{ map.__moved = true; write(); }});
          // After the page rewrites its URL (a filter change), the map's position goes back in, once moved.
          window.__writeViewToUrl = function () {{ if (map.__moved) write(); }};
        }})({self.parent_name()});"""


class Attribution(RawMacro):
    """Adds the data attributions to Leaflet's attribution control (escaped: they come from a data file)."""

    def __init__(self, texts: list[str]) -> None:
        super().__init__(control=False)
        self.texts = [esc(text) for text in texts]

    def script(self) -> str:
        map_name = self.parent_name()
        return f"""
        {map_name}.attributionControl.setPrefix(false);
        {self.json(self.texts)}.forEach(function (t) {{ {map_name}.attributionControl.addAttribution(t); }});"""


class BriefingCaption(RawMacro):
    """Title, subtitle and date stamp on the map itself, and a north arrow: what a projected briefing needs."""

    def __init__(self, title: str, subtitle: str, stamp: str) -> None:
        super().__init__(control=False)
        self.texts = {"title": title, "subtitle": subtitle, "stamp": stamp}

    def script(self) -> str:
        return f"""
        (function (map, texts) {{
          var caption = L.control({{position: 'topleft'}});
          caption.onAdd = function () {{
            var div = L.DomUtil.create('div', 'map-caption');
            L.DomUtil.create('div', 'map-caption-title', div).textContent = texts.title;
            L.DomUtil.create('div', 'map-caption-subtitle', div).textContent = texts.subtitle;
            L.DomUtil.create('div', 'map-caption-stamp', div).textContent = texts.stamp;
            return div;
          }};
          caption.addTo(map);
          var arrow = L.control({{position: 'bottomleft'}});
          arrow.onAdd = function () {{
            var div = L.DomUtil.create('div', 'north-arrow');
            div.innerHTML = '<svg viewBox="0 0 40 56" width="34" height="48" aria-label="North">' +
              '<polygon points="20,2 34,40 20,32 6,40" fill="#111"/><text x="20" y="54" text-anchor="middle" ' +
              'font-size="14" font-weight="700" font-family="sans-serif">N</text></svg>';
            return div;
          }};
          arrow.addTo(map);
        }})({self.parent_name()}, {self.json(self.texts)});"""


class BriefingKeys(RawMacro):
    """← and → step a briefing's slides even when the focus is in the map; Escape closes a popup
    (static/js/briefing-keys.js, inlined so it also travels with a standalone file)."""

    def __init__(self) -> None:
        super().__init__(control=False)

    def script(self) -> str:
        code = (STATIC_DIR / "js" / "briefing-keys.js").read_text(encoding="utf-8")
        return f"{code}\n        window.briefingKeys({self.parent_name()});"
