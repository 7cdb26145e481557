"""Plausible one-line bugs that the suite must catch: each is applied to a copy of the tree, and the tests run.

    python scripts/mutants.py            # every mutant against the fast (non-browser) tests
    python scripts/mutants.py --tests tests/test_view.py

Exits non-zero if any mutant survives (the tests still pass with the bug in place).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# name: (file, the line as it is, the line with the bug)
MUTANTS = {
    "precision filter removed": (
        "src/filters.py",
        'keep &= incidents["location_precision"].isin(view.precisions)',
        'keep &= incidents["location_precision"].notna()',
    ),
    "URL centre dropped": ("src/view.py", 'ViewField("center", "center", None', 'ViewField("center", None, None'),
    "URL zoom dropped": ("src/view.py", 'ViewField("zoom", "zoom", None', 'ViewField("zoom", None, None'),
    "timeline selection ignored": ("src/ui/timepanel.py", "        set_dates(span)", "        pass"),
    "lasting-event overlap ignored": (
        "src/filters.py",
        "last_day = frame[end_column].fillna(frame[start_column]) if end_column else frame[start_column]",
        "last_day = frame[start_column]",
    ),
    "row selection ignored": (
        "src/ui/explorer.py",
        'st.query_params[INCIDENT_PARAM] = str(table["id"].iloc[rows[0]])',
        "pass",
    ),
    "upload sources dropped": (
        "src/upload.py",
        "used = {k: v for k, v in sources.items() if k in cited}",
        "used = {}",
    ),
    "popup place fallback removed": (
        "src/drawing/incidents.py",
        'return frame[column].where(frame[column].astype(bool), frame["place"])',
        "return frame[column]",
    ),
}
FAST_TESTS = ["--ignore=tests/browser", "-x", "-q", "-p", "no:cacheprovider"]


def tracked_copy(target: Path) -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def survives(name: str, tests: list[str]) -> bool:
    file, before, after = MUTANTS[name]
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        tracked_copy(tree)
        text = (tree / file).read_text(encoding="utf-8")
        if text.count(before) != 1:
            raise SystemExit(f"mutant {name!r}: the line to change is not found exactly once in {file}")
        (tree / file).write_text(text.replace(before, after), encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "pytest", *tests], cwd=tree, capture_output=True, text=True)
    return result.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", nargs="*", default=[], help="test paths (default: every non-browser test)")
    args = parser.parse_args()
    tests = [*args.tests, *FAST_TESTS]
    alive = []
    for name in MUTANTS:
        caught = not survives(name, tests)
        print(f"{'caught  ' if caught else 'SURVIVED'}  {name}", flush=True)
        if not caught:
            alive.append(name)
    print(f"{len(MUTANTS) - len(alive)} of {len(MUTANTS)} mutants caught")
    return 1 if alive else 0


if __name__ == "__main__":
    sys.exit(main())
