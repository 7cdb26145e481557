"""`streamlit run` with a census of the server's own objects, for tests that must see inside the server.

Resident memory alone cannot tell a freed upload from a kept one: the allocator's fragments vary by tens of
MB from run to run. Asked through a file in CENSUS_DIR, a thread in the server counts the `Upload` objects
still alive and answers in another file.
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time
from pathlib import Path

ASK, ANSWER = "ask", "answer.json"


def census() -> dict[str, int]:
    from src.upload import Upload

    gc.collect()
    return {"uploads_alive": sum(isinstance(thing, Upload) for thing in gc.get_objects())}


def answer_forever(folder: Path) -> None:
    while True:
        time.sleep(0.2)
        if (folder / ASK).exists():
            written = folder / f"{ANSWER}.part"
            written.write_text(json.dumps(census()))
            written.replace(folder / ANSWER)
            (folder / ASK).unlink()


def ask(folder: Path, timeout_s: float = 30) -> dict[str, int]:
    """The census of a server started with this module, from the test's side."""
    (folder / ANSWER).unlink(missing_ok=True)
    (folder / ASK).touch()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if (folder / ANSWER).exists():
            return json.loads((folder / ANSWER).read_text())
        time.sleep(0.1)
    raise TimeoutError(f"the server did not answer the census in {folder} within {timeout_s} s")


if __name__ == "__main__":
    threading.Thread(target=answer_forever, args=(Path(os.environ["CENSUS_DIR"]),), daemon=True).start()
    from src.serve import main

    main()
