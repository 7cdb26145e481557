"""Where the app finds its data and its static files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_DIR / "geodata"
STATIC_DIR = PROJECT_DIR / "static"
# Streamlit serves static/ at this path when server.enableStaticServing is on (see .streamlit/config.toml).
STATIC_URL = "/app/static"


def data_dir() -> Path:
    """The data directory: geodata/ unless GEODATA_DIR points the whole app somewhere else."""
    configured = os.environ.get("GEODATA_DIR", "").strip()
    return Path(configured).expanduser().resolve() if configured else DEFAULT_DATA_DIR


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str | None:
    """The system Chromium (Debian's package), for browser tests and chart images; never a downloaded one."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None
