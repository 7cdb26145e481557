"""A copy of geodata/ with template and Markdown syntax in every text field a page or the map shows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

PAYLOAD = " {{ 7*7 }} {% if 1 %}x{% endif %} {# ![x](http://evil.example/p.png)"
# What the payload becomes if anything evaluates it as a Jinja template.
EVALUATED = ("49 x", "49 {#")
CSV_TEXT_FIELDS = {
    "incidents.csv": ("title", "description", "place", "place_sq", "place_sr", "actors"),
    "crossings.csv": ("name_en", "name_sq", "name_sr", "name_sr_cyrl", "notes"),
    "police_bases.csv": ("name_en", "name_sq", "name_sr", "name_sr_cyrl", "notes"),
    "crossing_status.csv": ("description",),
}
NAME_PROPERTIES = ("name", "name_en", "name_sq", "name_sr", "name_sr_cyrl")


def _poison_csv(path: Path, fields: tuple[str, ...]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        for column in fields:
            if column in row:
                row[column] = (row[column] or "") + PAYLOAD
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def poison(data_dir: Path) -> Path:
    """Appends PAYLOAD to every text field of `data_dir` (a copy of geodata/) and returns it."""
    for file, fields in CSV_TEXT_FIELDS.items():
        if (data_dir / file).exists():
            _poison_csv(data_dir / file, fields)
    for file in ("settlements.geojson", "municipalities.geojson"):
        document = json.loads((data_dir / file).read_text(encoding="utf-8"))
        for feature in document["features"]:
            for key in NAME_PROPERTIES:
                if isinstance(feature["properties"].get(key), str):
                    feature["properties"][key] += PAYLOAD
        (data_dir / file).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    attribution = json.loads((data_dir / "attribution.json").read_text(encoding="utf-8"))
    for entry in attribution.values():
        entry["text"] += PAYLOAD
        entry["short"] = entry.get("short", "") + PAYLOAD
    (data_dir / "attribution.json").write_text(json.dumps(attribution, ensure_ascii=False), encoding="utf-8")
    for path in (data_dir / "briefings").glob("*.json"):
        briefing = json.loads(path.read_text(encoding="utf-8"))
        briefing["title"] += PAYLOAD
        briefing["subtitle"] = briefing.get("subtitle", "") + PAYLOAD
        for slide in briefing["slides"]:
            slide["title"] = slide["title"][:40] + PAYLOAD
            slide["notes"] = slide.get("notes", "") + PAYLOAD
        path.write_text(json.dumps(briefing, ensure_ascii=False), encoding="utf-8")
    return data_dir
