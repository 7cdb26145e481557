"""Work done once per distinct value gives what doing it on every row gives, missing values included."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from src.columns import format_dates, per_distinct

FIRST, LAST = pd.Timestamp("2000-01-01").date(), pd.Timestamp("2100-12-31").date()
days = st.one_of(st.none(), st.dates(min_value=FIRST, max_value=LAST))


@given(st.lists(days, max_size=40), st.sampled_from(["%Y-%m-%d", "%-d %b %Y", "%B %Y"]))
def test_dates_formatted_once_each_match_formatting_every_row(values: list, pattern: str) -> None:
    dates = pd.Series(pd.to_datetime(values), index=range(5, 5 + len(values)), dtype="datetime64[ns]")
    expected = [None if pd.isna(d) else d.strftime(pattern) for d in dates]
    formatted = format_dates(dates, pattern)
    assert formatted.index.tolist() == dates.index.tolist()
    assert formatted.tolist() == expected


@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "Zvečan", ""])), max_size=40))
def test_a_text_transform_on_distinct_values_is_spread_back_to_every_row(values: list) -> None:
    texts = pd.Series(values, dtype=object)
    result = per_distinct(texts, lambda distinct: distinct.str.upper() + "!")
    assert result.tolist() == [None if v is None else v.upper() + "!" for v in values]
