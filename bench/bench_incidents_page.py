"""Benchmark: the Incidents page's server time per rerun at N incidents (a script, not a test).

Ours (the page as it is: the table frame built by column, downloads built only when clicked) measured with
AppTest on a GEODATA_DIR of N synthetic incidents, against the naive way in the same run: building the
table row by row and both downloads on every rerun.
Run: python bench/bench_incidents_page.py [--size 100000]; results in bench/results/bench_incidents_page.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.synthetic import write_geodata  # noqa: E402
from src.dataset import load_dataset  # noqa: E402
from src.exports import to_csv, to_geojson  # noqa: E402
from src.text import name_in  # noqa: E402
from src.vocabulary import CATEGORIES  # noqa: E402

RESULTS = PROJECT_DIR / "bench" / "results" / "bench_incidents_page.json"


def naive_rerun(data: object) -> float:
    """What every rerun cost before: the table with a lambda per row and both files built eagerly."""
    incidents = data.incidents.assign(origin="dataset")  # type: ignore[attr-defined]
    municipalities = data.frame("municipalities").set_index("id")  # type: ignore[attr-defined]
    start = time.perf_counter()
    incidents["category"].map(lambda c: CATEGORIES[c][0])
    incidents["municipality"].map(lambda m: name_in(municipalities.loc[m].to_dict(), "en"))
    to_csv(incidents, data.sources)  # type: ignore[attr-defined]
    to_geojson(incidents, data.sources)  # type: ignore[attr-defined]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = write_geodata(args.size, Path(tmp) / "geodata")
        os.environ["GEODATA_DIR"] = str(data_dir)
        at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=600)
        at.switch_page("pages/incidents.py")
        start = time.perf_counter()
        at.run()
        first = time.perf_counter() - start
        assert not at.exception, at.exception
        reruns = []
        for query in ("", "incident 7", ""):
            at.text_input(key="w_q").set_value(query)
            start = time.perf_counter()
            at.run()
            reruns.append(time.perf_counter() - start)
        naive = naive_rerun(load_dataset(data_dir))
    report = {
        "incidents": args.size,
        "first_run_s (loads the data)": round(first, 2),
        "rerun_s": [round(r, 2) for r in reruns],
        "naive_extra_per_rerun_s": round(naive, 2),
    }
    print(json.dumps(report, indent=2))
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
