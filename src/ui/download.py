"""The app's download button: a click downloads and never reruns the page.

Streamlit's default reruns the page on a download click too. For a file built on click, the server answers
the request for it with a message in the session's outgoing queue, and when the click's own rerun starts
before that message is flushed, Streamlit clears the queue: under load about one click in six gave no file
and left the button disabled until "Request timed out". Every download goes through here so none reruns.
"""

from __future__ import annotations

from typing import Any


def download_button(container: Any, label: str, data: Any, file_name: str, mime: str, **options: Any) -> None:
    """`container.download_button` (st, a column, a container) without the rerun on click."""
    container.download_button(label, data, file_name, mime, on_click="ignore", **options)
