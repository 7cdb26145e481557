"""The sweeper that frees a session's values once the session has ended (src/ui/session_scope.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from src.ui.session_scope import Box, Sweeper

TTL_S = 10.0


def sweeper_with(active: set[str]) -> Sweeper:
    return Sweeper(is_active=lambda session_id: session_id in active, ttl_s=TTL_S)


def test_an_active_session_keeps_its_values() -> None:
    sweeper, box = sweeper_with({"a"}), Box("upload")
    sweeper.register("a", box)
    assert sweeper.sweep(0) == [] and sweeper.sweep(10 * TTL_S) == []
    assert box.value == "upload"


@pytest.mark.parametrize(("ended_for_s", "emptied"), [(0, False), (TTL_S - 0.1, False), (TTL_S, True)])
def test_an_ended_session_is_emptied_only_after_the_ttl(ended_for_s: float, emptied: bool) -> None:
    sweeper, box = sweeper_with(set()), Box("upload")
    sweeper.register("a", box)
    assert sweeper.sweep(100) == []  # first seen ended
    assert sweeper.sweep(100 + ended_for_s) == (["a"] if emptied else [])
    assert (box.value is None) == emptied


def test_a_session_that_reconnects_within_the_ttl_keeps_its_values() -> None:
    active: set[str] = set()
    sweeper, box = Sweeper(lambda session_id: session_id in active, TTL_S), Box("upload")
    sweeper.register("a", box)
    sweeper.sweep(0)
    active.add("a")  # the browser came back
    sweeper.sweep(TTL_S - 1)
    active.clear()
    assert sweeper.sweep(TTL_S + 1) == []  # ended again, its TTL starts again
    assert box.value == "upload"
    assert sweeper.sweep(2 * TTL_S + 1) == ["a"] and box.value is None


def test_only_the_ended_sessions_values_go() -> None:
    sweeper = sweeper_with({"b"})
    mine, also_mine, theirs = Box(1), Box(2), Box(3)
    sweeper.register("a", mine)
    sweeper.register("a", also_mine)
    sweeper.register("b", theirs)
    sweeper.sweep(0)
    assert sweeper.sweep(TTL_S) == ["a"]
    assert (mine.value, also_mine.value, theirs.value) == (None, None, 3)
    assert list(sweeper.boxes) == ["b"]  # nothing left behind for the ended session


@given(st.lists(st.tuples(st.booleans(), st.floats(0, 3 * TTL_S)), max_size=30))
def test_a_box_is_emptied_exactly_when_its_session_was_ended_a_whole_ttl(steps: list[tuple[bool, float]]) -> None:
    """Any history of (active?, seconds later) checks: emptied iff some inactive stretch reached the TTL."""
    state = {"active": True}
    sweeper, box = Sweeper(lambda _: state["active"], TTL_S), Box("v")
    sweeper.register("a", box)
    now, ended_at, expect_emptied = 0.0, None, False
    for active, wait in steps:
        now += wait
        state["active"] = active
        sweeper.sweep(now)
        if active:
            ended_at = None
        else:
            ended_at = now if ended_at is None else ended_at
            expect_emptied = expect_emptied or now - ended_at >= TTL_S
        if expect_emptied:
            break
    assert (box.value is None) == expect_emptied
