"""The search fold: every spelling and script of a name meets in one form, column by column as one by one."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from src.text import fold, fold_series


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zvečan", "zvecan"),
        ("Zveçan", "zvecan"),
        ("ZVECAN", "zvecan"),
        ("Звечан", "zvecan"),
        ("Đorđe", "djordje"),
        ("Ђорђе", "djordje"),
        ("  Mitrovicë   e\tVeriut ", "mitrovice e veriut"),
        ("İstog", "istog"),
        ("", ""),
    ],
)
def test_every_spelling_and_script_folds_to_one_form(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold_series(pd.Series([text])).tolist() == [folded]


@given(st.lists(st.one_of(st.none(), st.text(max_size=30), st.sampled_from(["Zvečan", "Звечан", "a  b"]))))
def test_a_column_folds_as_its_texts_do_one_by_one(texts: list[str | None]) -> None:
    series = pd.Series(texts, index=range(10, 10 + len(texts)), dtype=object)
    folded = fold_series(series)
    assert folded.index.tolist() == series.index.tolist()
    assert folded.tolist() == [fold(t or "") for t in texts]


@given(st.text(max_size=40))
def test_folding_twice_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)
