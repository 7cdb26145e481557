"""Every asset the maps use is vendored and served locally; a feature without a local copy fails loudly."""

from __future__ import annotations

import re

import folium
import folium.plugins
import pytest

from src.config import DEFAULT_DATA_DIR, STATIC_DIR
from src.dataset import load_dataset
from src.layers import LAYERS
from src.mapview import build_map
from src.offline import LOCAL_ASSETS, MissingOfflineAsset, figure_links, localise
from src.standalone import standalone_html
from src.view import View

DATA = load_dataset(DEFAULT_DATA_DIR)


@pytest.mark.parametrize("name", [n for n, path in LOCAL_ASSETS.items() if path])
def test_every_listed_asset_is_on_disk(name: str) -> None:
    assert (STATIC_DIR / LOCAL_ASSETS[name]).is_file()


def test_every_vendored_package_keeps_its_licence() -> None:
    for folder in (STATIC_DIR / "vendor").iterdir():
        notices = [p for p in folder.iterdir() if re.match(r"(LICEN[CS]E|MIT-LICENCE|package\.json)", p.name)]
        assert notices, folder.name


def test_the_apps_map_links_only_local_assets() -> None:
    links = figure_links(build_map(DATA, View(tiles=True)))
    assert links and all(link.startswith("/app/static/") for link in links)


def test_the_map_loads_no_script_it_does_not_use() -> None:
    """jQuery is left out (st_folium loads each script before the next): nothing in the map may call it."""
    fmap = build_map(DATA, View(layers=tuple(layer.name for layer in LAYERS)))
    html = fmap.get_root().render()
    assert not [link for link in figure_links(fmap) if "jquery" in link or "bootstrap" in link]
    assert not re.search(r"\$\(|jQuery", html)


def test_a_folium_feature_without_a_local_copy_fails_instead_of_using_a_cdn() -> None:
    fmap = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(fmap)
    with pytest.raises(MissingOfflineAsset, match="fullscreen"):
        localise(fmap)


def test_standalone_export_inlines_everything() -> None:
    html = standalone_html(build_map(DATA, View()))
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+stylesheet", html)
    assert "L.incidentLayer(" in html and "leaflet" in html.lower()
    assert "/app/static" not in html and "__standalone__" not in html
