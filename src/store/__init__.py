"""PostGIS as the shared store: the geodata/ layout as tables, an importer, an exporter and the app's reader.

Without GEODATA_URL the app reads geodata/ files exactly as before; with GEODATA_URL=postgresql://… it reads
the same layers from PostGIS (src/store/postgis.py).
"""

from __future__ import annotations

import os

URL_VARIABLE = "GEODATA_URL"


def store_url() -> str | None:
    """The PostGIS connection URL when the app is pointed at a store, else None (the files are used)."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    return url if url.startswith(("postgresql://", "postgres://")) else None
