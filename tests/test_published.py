"""Files handed to browsers by URL (src/ui/published.py): named by content, written once, and kept while they
may still be fetched: the newest FILES_KEPT, and any used within KEPT_FOR_S."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from src.ui import published


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(published, "STATIC_DIR", tmp_path)
    return tmp_path / published.FOLDER


def test_the_same_content_is_one_file_named_by_it(folder: Path) -> None:
    texts = {"id": ["inc-1"], "title": ["Barricade at Jarinje"]}
    url = published.published_json(texts)
    assert url is not None and url == published.published_json(dict(texts))
    (file,) = folder.glob("*.json")
    assert url.endswith(file.name) and json.loads(file.read_text(encoding="utf-8")) == texts
    assert published.published_json({"id": ["inc-2"]}) != url


def test_a_folder_that_cannot_be_written_gives_no_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "static"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setattr(published, "STATIC_DIR", blocked)
    assert published.published_json({"id": []}) is None  # the caller keeps the texts inline


def _aged(folder: Path, ages_s: list[float]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    now, files = time.time(), []
    for number, age in enumerate(ages_s):
        file = folder / f"{number:04d}.json"
        file.write_text("{}", encoding="utf-8")
        os.utime(file, (now - age, now - age))
        files.append(file)
    return files


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ages=st.lists(st.floats(min_value=0, max_value=3 * published.KEPT_FOR_S), max_size=60))
@example(ages=[float(n) for n in range(40)])  # more than FILES_KEPT, every one used a moment ago
@example(ages=[2.0 * published.KEPT_FOR_S + n for n in range(40)])  # more, all long unused
def test_a_file_goes_only_when_it_is_neither_new_nor_recently_used(folder: Path, ages: list[float]) -> None:
    for old in folder.glob("*.json") if folder.exists() else []:
        old.unlink()
    files = _aged(folder, ages)
    newest = {f for _, f in sorted(zip(ages, files, strict=True), key=lambda pair: pair[0])[: published.FILES_KEPT]}
    recent = {f for age, f in zip(ages, files, strict=True) if age < published.KEPT_FOR_S - 60}
    published._drop_old(folder)
    kept = set(folder.glob("*.json"))
    assert newest | recent <= kept
    assert all(age < published.KEPT_FOR_S + 60 for age, f in zip(ages, files, strict=True) if f in kept - newest)


def test_publishing_a_file_again_keeps_it(folder: Path) -> None:
    url = published.published_json({"id": ["inc-old"]})
    (file,) = folder.glob("*.json")
    long_ago = time.time() - 2 * published.KEPT_FOR_S
    os.utime(file, (long_ago, long_ago))
    _aged(folder, [0.0] * published.FILES_KEPT)  # as many newer files as are kept by number
    assert published.published_json({"id": ["inc-old"]}) == url  # the view is shown again: used now
    published.published_json({"id": ["inc-new"]})
    assert file.exists()
