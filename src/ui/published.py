"""Files the live app hands to browsers by URL instead of inside a page: written once, named by content.

The incident layer's popup texts are about 70 bytes an incident (ids, titles, places, descriptions): 7 of the
10 MB of a map of 100,000. Inside the map they were serialised, hashed and parsed again on every rerun and
every load; as a file under static/generated (Streamlit's static serving, server.enableStaticServing) the
browser fetches them on the first click. Only the shared dataset's texts are published: an upload's stay
inside its session's own map, never on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from src.config import STATIC_DIR, STATIC_URL

FOLDER = "generated"
FILES_KEPT = 32  # the newest; older ones belong to data versions or languages long replaced


def published_json(content: dict[str, Any]) -> str | None:
    """The URL of `content` as a JSON file, written if it is not there yet (replicas sharing a folder
    write the same bytes under the same name); None when the folder cannot be written (then the caller
    keeps the content inline)."""
    raw = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = f"{hashlib.sha256(raw).hexdigest()[:32]}.json"
    folder = STATIC_DIR / FOLDER
    path = folder / name
    try:
        if not path.exists():
            folder.mkdir(exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
                part.write(raw)
            os.replace(part.name, path)  # atomic: a reader never sees half a file
            _drop_old(folder)
    except OSError:
        return None
    return f"{STATIC_URL}/{FOLDER}/{name}"


def _drop_old(folder: Path) -> None:
    """Keeps the folder to the FILES_KEPT newest files (a store's data refreshes would otherwise pile up)."""
    files = sorted(folder.glob("*.json"), key=lambda file: file.stat().st_mtime, reverse=True)
    for old in files[FILES_KEPT:]:
        old.unlink(missing_ok=True)
