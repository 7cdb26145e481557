"""A map as one HTML file that opens anywhere with no internet and no server: every script and style inlined.

The live app loads assets from /app/static; here each such link is replaced by the file's content, and the
images a stylesheet refers to become data: URIs. Assets the app's maps never use (Bootstrap and the icon
fonts folium loads for its awesome-markers) are left out, which keeps the file small.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

import folium

from src.config import STATIC_DIR
from src.offline import image_folder, localise
from src.text import esc

MARKER = "/__standalone__"
SCRIPT_LINK = re.compile(r'<script src="' + MARKER + r'/([^"]+)"></script>')
STYLE_LINK = re.compile(r'<link rel="stylesheet" href="' + MARKER + r'/([^"]+)"\s*/?>')
CSS_URL = re.compile(r"url\((['\"]?)(?!data:|https?:|#)([^'\")]+)\1\)")
EXTERNAL = re.compile(r'<(?:script[^>]+src|link[^>]+href)="(?!data:)[^"]+"', re.IGNORECASE)


class NotStandalone(ValueError):
    """The exported page would still load something from elsewhere."""


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(relative: str) -> str:
    path = STATIC_DIR / relative
    css = path.read_text(encoding="utf-8")

    def embed(match: re.Match[str]) -> str:
        target = (path.parent / match.group(2).split("?")[0].split("#")[0]).resolve()
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return "<style>" + CSS_URL.sub(embed, css) + "</style>"


def _inline_js(relative: str) -> str:
    script = (STATIC_DIR / relative).read_text(encoding="utf-8")
    return "<script>" + script.replace("</script", "<\\/script") + "</script>"


def standalone_html(fmap: folium.Map, title: str | None = None) -> str:
    """The map as a self-contained HTML document (with `title` as its page title). Raises NotStandalone if
    anything external would remain."""
    localise(fmap, base_url=MARKER)
    html = fmap.get_root().render()
    html = SCRIPT_LINK.sub(lambda m: _inline_js(m.group(1)), html)
    html = STYLE_LINK.sub(lambda m: _inline_css(m.group(1)), html)
    # Leaflet's default-marker folder: no layer of the app draws default markers, so it need not resolve.
    html = html.replace(image_folder(MARKER), "")
    if title:
        html = html.replace("<head>", f"<head>\n    <title>{esc(title)}</title>", 1)
    leftover = EXTERNAL.findall(html)
    if leftover:
        raise NotStandalone(f"still linked: {leftover[:3]}")
    return html
