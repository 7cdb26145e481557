"""The app's download button: a click downloads and never reruns the page, and the file it builds lives
long enough for the browser to fetch it.

Streamlit's default reruns the page on a download click too. For a file built on click, the server answers
the request for it with a message in the session's outgoing queue, and when the click's own rerun starts
before that message is flushed, Streamlit clears the queue: under load about one click in six gave no file
and left the button disabled until "Request timed out". Every download goes through here so none reruns.

Streamlit 1.67 stores a file built on click (`execute_deferred`) without a reference from any session, and
every script run of any session ends with `remove_orphaned_files`, which marks such a file and deletes it
the next time. When two runs end between the server's answer and the browser's request for the file (25
sessions reconnecting to one replica), the browser gets a 404 and the download is "canceled". `FreshFiles`
keeps a built file out of that collection for `GRACE_S` seconds; after that Streamlit collects it as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit import runtime
from streamlit.runtime.media_file_manager import MediaFileManager

GRACE_S = 120.0


def download_button(container: Any, label: str, data: Any, file_name: str, mime: str, **options: Any) -> None:
    """`container.download_button` (st, a column, a container) without the rerun on click."""
    if runtime.exists():
        _fresh_files_on_this_server()
    container.download_button(label, data, file_name, mime, on_click="ignore", **options)


def file_id_of(url: str) -> str:
    """The media file id in a URL from the media storage (`/media/<id><extension>`)."""
    return url.rsplit("/", 1)[-1].split(".", 1)[0]


@dataclass
class FreshFiles:
    """Keeps the files a media manager builds on click out of its orphan collection for `grace_s`."""

    manager: MediaFileManager
    grace_s: float = GRACE_S
    clock: Callable[[], float] = time.monotonic
    built_at: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self) -> FreshFiles:
        build, inactive = self.manager.execute_deferred, self.manager._get_inactive_file_ids

        def execute_deferred(file_id: str) -> str:
            url = build(file_id)
            with self.lock:
                self.built_at[file_id_of(url)] = self.clock()
            return url

        def get_inactive_file_ids() -> set[str]:
            return inactive() - self.fresh()

        self.manager.execute_deferred = execute_deferred  # type: ignore[method-assign]
        self.manager._get_inactive_file_ids = get_inactive_file_ids  # type: ignore[method-assign]
        return self

    def fresh(self) -> set[str]:
        """The ids built less than `grace_s` ago (older ones are forgotten here)."""
        now = self.clock()
        with self.lock:
            for file_id in [f for f, at in self.built_at.items() if now - at >= self.grace_s]:
                del self.built_at[file_id]
            return set(self.built_at)


@st.cache_resource(show_spinner=False)
def _fresh_files_on_this_server() -> FreshFiles:
    """Installed once per server, by the first run that shows a download button."""
    return FreshFiles(runtime.get_instance().media_file_mgr).install()
