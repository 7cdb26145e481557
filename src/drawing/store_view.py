"""The incidents of a store too large to send to the browser, drawn per view (static/js/store-view-layer.js).

A view that selects at most MAP_POINT_LIMIT incidents is sent as those incidents, in the incident layer's own
payload (src/drawing/incidents.py), so they are drawn and open exactly as on a small store; a larger one as
its counts per grid cell (src/store/postgis.py, Store.cells), which the browser merges where they are close
on screen. Either way the page sends it through the incident bridge, so a filter change never rebuilds the
map.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from src.drawing.incidents import _b64, payload
from src.drawing.templates import RawMacro, own_script
from src.store.postgis import POINT_LIMIT

MAP_POINT_LIMIT = POINT_LIMIT  # more matching incidents than this are drawn as counts per cell (the app's
# SQL fetch limit, so that the page's own fetch of the view is the one the map draws)


@dataclass(frozen=True)
class StoreView:
    """What the map draws for one view: how many incidents match, and either those incidents (prepared like
    the files' ones) or their counts per cell (latitude, longitude, count)."""

    matching: int
    points: pd.DataFrame | None = None
    cells: pd.DataFrame | None = None


def view_payload(
    view: StoreView,
    language: str,
    sources: Mapping[str, Mapping[str, Any]],
    municipalities: pd.DataFrame,
    publish_texts: Callable[[dict[str, Any]], str | None] | None = None,
) -> dict[str, Any]:
    """The view as the store layer's setFilter() takes it. With `publish_texts`, the incidents' popup texts
    go as the URL it gives them (fetched on the first click) instead of inside the view: at 7,538 incidents
    they were 2.2 MB of the 2.4 MB sent on the filter change."""
    if view.points is not None:
        draw, texts = payload(view.points, language, sources, municipalities)
        url = publish_texts(texts) if publish_texts is not None else None
        return {"n": view.matching, "points": {"draw": draw, "texts": url or texts}}
    cells = view.cells if view.cells is not None else pd.DataFrame({"latitude": [], "longitude": [], "count": []})
    return {
        "n": view.matching,
        "cells": {
            "n": len(cells),
            "lat": _b64(np.round(cells["latitude"].to_numpy(dtype=float) * 1e5).astype(np.int32)),
            "lon": _b64(np.round(cells["longitude"].to_numpy(dtype=float) * 1e5).astype(np.int32)),
            "count": _b64(cells["count"].to_numpy().astype(np.uint32)),
        },
    }


class StoreViewLayer(RawMacro):
    """The layer that draws whatever view the page sends it (named in the layer control like the incidents)."""

    def __init__(self, name: str, options: dict[str, Any], show: bool = True) -> None:
        super().__init__(name=name, show=show)
        self._name = "StoreViewLayer"
        self._script = f"L.storeViewLayer({self.json({'name': name, **options})})"

    def script(self) -> str:
        code = own_script("incident-layer.js") + own_script("store-view-layer.js")
        return f"{code}var {self.get_name()} = {self._script};\n{self.add_line()}"
