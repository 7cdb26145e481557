"""A fragment's rerun asked of a server that never ran the page becomes a run of the whole page.

A browser that reconnects to a server which has no session for it (another replica after one stopped, or a
restarted server) keeps its page and asks for no run. Its next widget change inside a fragment (on the Map
page, any filter: src/ui/live_filters.py) asks to rerun that fragment, which this new session does not
hold, and Streamlit 1.67 drops the request (AppSession.request_rerun: "The fragment with id … does not exist
anymore"), and every one after it: the map stopped following the filters. Here such a request runs the whole
page with the same widget values instead. Installed by src/serve.py when the server starts, before any
session exists (and again, idempotently, by the page that uses fragments).
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from streamlit.runtime.app_session import AppSession

_LOCK = threading.Lock()
_MARK = "_reruns_unknown_fragments"


def rerun_unknown_fragments() -> None:
    """Patches AppSession.request_rerun once per process (Streamlit 1.67, pinned)."""
    with _LOCK:
        if getattr(AppSession.request_rerun, _MARK, False):
            return
        original = AppSession.request_rerun

        @functools.wraps(original)
        def request_rerun(self: AppSession, client_state: Any) -> None:
            if (
                client_state is not None
                and client_state.fragment_id
                and not self.has_fragment(client_state.fragment_id)
            ):
                client_state.fragment_id = ""  # this session never ran the page: run all of it
            original(self, client_state)

        setattr(request_rerun, _MARK, True)
        AppSession.request_rerun = request_rerun  # type: ignore[method-assign]
