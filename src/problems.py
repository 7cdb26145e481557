"""What is wrong with an input, named so that a data editor can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. `row` is the line number in a CSV (the header is line 1) or the
    1-based feature number in a GeoJSON file; None when the problem is with the whole file."""

    file: str
    row: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}, row {self.row}"
        return f"{where}, {self.field or 'file'}: {self.reason}"
