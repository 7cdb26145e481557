"""Files the live app hands to browsers by URL instead of inside a page: written once, named by content.

The incident layer's popup texts are about 70 bytes an incident (ids, titles, places, descriptions): 7 of the
10 MB of a map of 100,000. Inside the map they were serialised, hashed and parsed again on every rerun and
every load; as a file under static/generated (Streamlit's static serving, server.enableStaticServing) the
browser fetches them on the first click. Only shared data's texts are published (the dataset's, and a large
store's per view): an upload's stay inside its session's own map, never on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from src.config import STATIC_DIR, STATIC_URL

FOLDER = "generated"
# A file goes only when it is past both: not among the newest FILES_KEPT, and unused for KEPT_FOR_S (a store's
# view sends its texts as a file too, and a click on it may come long after other views were published).
FILES_KEPT = 32
KEPT_FOR_S = 3600


def published_json(content: dict[str, Any]) -> str | None:
    """The URL of `content` as a JSON file, written if it is not there yet (replicas sharing a folder
    write the same bytes under the same name); None when the folder cannot be written (then the caller
    keeps the content inline)."""
    raw = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = f"{hashlib.sha256(raw).hexdigest()[:32]}.json"
    folder = STATIC_DIR / FOLDER
    path = folder / name
    try:
        if path.exists():
            os.utime(path)  # in use again: kept as long as a new file would be
        else:
            folder.mkdir(exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
                part.write(raw)
            os.replace(part.name, path)  # atomic: a reader never sees half a file
            _drop_old(folder)
    except OSError:
        return None
    return f"{STATIC_URL}/{FOLDER}/{name}"


def _drop_old(folder: Path) -> None:
    """Drops the files that are neither among the FILES_KEPT newest nor used within KEPT_FOR_S (data
    refreshes and views would otherwise pile up)."""
    stamped = []
    for file in folder.glob("*.json"):
        try:
            stamped.append((file.stat().st_mtime, file))
        except FileNotFoundError:  # another replica dropped it meanwhile
            continue
    stamped.sort(reverse=True)
    oldest_kept = time.time() - KEPT_FOR_S
    for used, old in stamped[FILES_KEPT:]:
        if used < oldest_kept:
            old.unlink(missing_ok=True)
