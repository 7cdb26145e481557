"""A file built on a download click survives other sessions' runs for the grace period, then is collected.

Each `remove_orphaned_files()` here stands for the end of one script run of some session on the server.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from src.ui.download import GRACE_S, FreshFiles, file_id_of


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def built_file(manager: MediaFileManager) -> str:
    """A session's button registers a callable; the click builds the file; returns its id."""
    placeholder = manager.add_deferred(lambda: b"id,title\n1,one\n", "text/csv", "$$ID-button", "x.csv")
    return file_id_of(manager.execute_deferred(placeholder))


def still_served(manager: MediaFileManager, file_id: str) -> bool:
    return manager.read_file(file_id) is not None


def test_without_the_grace_two_runs_elsewhere_delete_the_built_file() -> None:
    """The cause, as Streamlit 1.67 does it: the check below is what fails the download under load."""
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    file_id = built_file(manager)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert not still_served(manager, file_id)


def test_the_built_file_survives_many_runs_within_the_grace_then_goes() -> None:
    clock = Clock()
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    FreshFiles(manager, clock=clock).install()
    file_id = built_file(manager)
    for _ in range(20):
        clock.now += GRACE_S / 40
        manager.remove_orphaned_files()
    assert still_served(manager, file_id)
    clock.now += GRACE_S
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert not still_served(manager, file_id)


def test_only_built_files_are_kept_and_fresh_forgets_old_ids() -> None:
    clock = Clock()
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    fresh = FreshFiles(manager, clock=clock).install()
    first = built_file(manager)
    clock.now += GRACE_S - 1
    second = built_file(manager)
    assert fresh.fresh() == {first, second}
    clock.now += 1
    assert fresh.fresh() == {second}


@pytest.mark.parametrize(
    ("url", "file_id"),
    [("/media/abc123.csv", "abc123"), ("/media/abc123", "abc123"), ("http://h/app/media/f0.tar.gz", "f0")],
)
def test_file_id_of(url: str, file_id: str) -> None:
    assert file_id_of(url) == file_id


def test_ids_from_the_real_storage_round_trip() -> None:
    storage = MemoryMediaFileStorage("/media")
    file_id = storage.load_and_get_id(b"a", "text/csv", "downloadable", "a.csv")  # type: ignore[arg-type]
    assert file_id_of(storage.get_url(file_id)) == file_id
