"""Row validation: the field types every layer's pydantic row model is built from, and per-row checks whose
failures become problems naming the file, the row and the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from src.problems import Problem
from src.vocabulary import DatePrecision, LocationPrecision

__all__ = ["DatePrecision", "LocationPrecision"]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _split_ids(value: Any) -> Any:
    if isinstance(value, str):
        if ";" not in value:  # most cells hold one id: no list comprehension per row
            value = value.strip()
            return [value] if value else []
        return [part for part in map(str.strip, value.split(";")) if part]
    return [] if value is None else value


Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_:-]*$", max_length=120)]
Text = Annotated[str, BeforeValidator(lambda v: "" if v is None else v)]
RequiredText = Annotated[str, Field(min_length=1)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_blank_to_none)]
OptionalCount = Annotated[int | None, Field(ge=0), BeforeValidator(_blank_to_none)]
IdList = Annotated[list[Slug], BeforeValidator(_split_ids)]
NonEmptyIdList = Annotated[list[Slug], Field(min_length=1), BeforeValidator(_split_ids)]


class Row(BaseModel):
    """Base of every layer's row model: strips spaces, ignores extra columns, reads CSV text as values."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True)


def required_columns(model: type[Row]) -> list[str]:
    return [c for c, info in model.model_fields.items() if info.is_required()]


def validation_problems(file: str, row: int, error: ValidationError) -> list[Problem]:
    """One problem per failed field, in words a data editor understands."""
    problems = []
    for item in error.errors(include_url=False):
        location = ".".join(str(part) for part in item["loc"]) or "row"
        value = item.get("input")
        shown = f" (got {value!r})" if isinstance(value, str | int | float) and location != "row" else ""
        problems.append(Problem(file, row, location, f"{item['msg']}{shown}"))
    return problems


def validate_rows(
    file: str, rows: Iterable[tuple[int, dict[str, Any]]], model: type[Row]
) -> tuple[list[tuple[int, Row]], list[Problem]]:
    valid, problems = [], []
    for line, record in rows:
        try:
            valid.append((line, model.model_validate(record)))
        except ValidationError as err:
            problems += validation_problems(file, line, err)
    return valid, problems


def drop_duplicate_ids(file: str, rows: list[tuple[int, Row]]) -> tuple[list[tuple[int, Row]], list[Problem]]:
    """Keeps the first row of each id; a later row with the same id is reported, not silently merged."""
    first_line: dict[str, int] = {}
    kept, problems = [], []
    for line, row in rows:
        row_id = row.id  # type: ignore[attr-defined]
        if row_id in first_line:
            problems.append(Problem(file, line, "id", f"duplicate id {row_id!r} (first on row {first_line[row_id]})"))
            continue
        first_line[row_id] = line
        kept.append((line, row))
    return kept, problems
