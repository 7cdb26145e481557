"""Column work done once per distinct value: dates, places, actors and titles repeat across thousands of rows,
and formatting or folding each distinct value once is what keeps a 30,000-row upload within its budget."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def per_distinct(values: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`transform` (a column function) applied to the distinct values only and spread back over the rows;
    missing values stay missing (None)."""
    codes, distinct = pd.factorize(values)
    done = pd.Series(transform(pd.Series(distinct))).to_numpy(dtype=object)
    result = np.full(len(values), None, dtype=object)
    present = codes >= 0
    result[present] = done[codes[present]]
    return pd.Series(result, index=values.index, dtype=object)


def format_dates(dates: pd.Series, pattern: str) -> pd.Series:
    """`dates.dt.strftime(pattern)`, formatting each distinct day once (None where the date is missing)."""
    return per_distinct(dates, lambda distinct: distinct.dt.strftime(pattern))
