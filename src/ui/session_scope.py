"""Values that belong to one browser session and are freed once that session has ended.

Streamlit keeps an ended session's state longer than the tab: a closed tab's session is stored for
server.disconnectedSessionTTL in case the browser reconnects, it leaves the store only when another session
comes or goes, and Streamlit 1.67's event loop keeps the last active session in a loop variable. So a large
value in st.session_state (an upload of 20,000 rows is about 100 MB) outlived its tab, and glibc kept the
freed pages too. A value kept here sits in a box that a sweeper thread empties once its session has been
inactive for that TTL, whatever still holds the session; then the memory is handed back to the system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow
import streamlit as st
from streamlit import config, runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

SWEEP_EVERY_S = 5.0


@dataclass
class Box:
    """One session's value; emptied by the sweeper when the session has ended."""

    value: Any = None


@dataclass
class Sweeper:
    """Boxes by session id, emptied once `is_active` has said no for `ttl_s` seconds in a row (a browser
    that reconnects within the TTL finds its values)."""

    is_active: Callable[[str], bool]
    ttl_s: float
    boxes: dict[str, list[Box]] = field(default_factory=dict)
    inactive_since: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def register(self, session_id: str, box: Box) -> None:
        with self.lock:
            self.boxes.setdefault(session_id, []).append(box)

    def sweep(self, now: float) -> list[str]:
        """Empties the boxes of sessions ended `ttl_s` ago or more; returns those sessions' ids."""
        ended = []
        with self.lock:
            for session_id in list(self.boxes):
                if self.is_active(session_id):
                    self.inactive_since.pop(session_id, None)
                    continue
                since = self.inactive_since.setdefault(session_id, now)
                if now - since >= self.ttl_s:
                    for box in self.boxes.pop(session_id):
                        box.value = None
                    del self.inactive_since[session_id]
                    ended.append(session_id)
        return ended


def _release_memory(session_ids: list[str]) -> None:
    """What Streamlit's own session shutdown does, for sessions it only dropped: the uploaded files, the
    download callables and the tables' row sources they registered go; then the freed memory goes back to
    the system (glibc and Arrow's allocator keep it otherwise)."""
    rt = runtime.get_instance()
    for session_id in session_ids:
        rt.uploaded_file_mgr.remove_session_files(session_id)
        rt.media_file_mgr.clear_session_refs(session_id)
        rt.dataframe_source_mgr.clear_all_for_session(session_id)
    rt.media_file_mgr.remove_orphaned_files()
    gc.collect()
    pyarrow.default_memory_pool().release_unused()
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name) if libc_name else None
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def _sweep_forever(sweeper: Sweeper) -> None:
    while True:
        time.sleep(SWEEP_EVERY_S)
        ended = sweeper.sweep(time.monotonic())
        if ended and runtime.exists():
            _release_memory(ended)


@st.cache_resource(show_spinner=False)
def _sweeper() -> Sweeper:
    """One sweeper per server, started by the first session that keeps a value."""
    ttl_s = float(config.get_option("server.disconnectedSessionTTL"))
    sweeper = Sweeper(runtime.get_instance().is_active_session, ttl_s)
    threading.Thread(target=_sweep_forever, args=(sweeper,), name="session-scope-sweeper", daemon=True).start()
    return sweeper


def keep(key: str, value: Any) -> None:
    """Keeps `value` for this session under `key` (until the session ends or `drop`)."""
    box = Box(value)
    st.session_state[key] = box
    ctx = get_script_run_ctx()
    if ctx is not None and runtime.exists():  # AppTest and bare runs have no server to outlive
        _sweeper().register(ctx.session_id, box)


def kept(key: str) -> Any:
    """The value kept under `key` in this session, or None."""
    box = st.session_state.get(key)
    return box.value if isinstance(box, Box) else None


def drop(key: str) -> None:
    box = st.session_state.pop(key, None)
    if isinstance(box, Box):
        box.value = None
