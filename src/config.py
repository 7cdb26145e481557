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


# The one upload limit: the upload widget refuses larger files in the browser (its own message) and
# src/upload.py refuses them before parsing. server.maxUploadSize in .streamlit/config.toml is kept one MB
# above it (tests/test_upload_limits.py) so the request's multipart envelope never meets a raw HTTP 413.
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000  # a megabyte as the upload widget counts it (it refuses more)

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str | None:
    """The system Chromium (Debian's package), for browser tests and chart images; never a downloaded one."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None
