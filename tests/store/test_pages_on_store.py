"""The page tests (AppTest) once more, with GEODATA_URL pointing the app at a PostGIS store holding geodata/."""

from __future__ import annotations

import os
import subprocess
import sys

from src.config import DEFAULT_DATA_DIR, PROJECT_DIR
from src.store import importer

PAGE_TESTS = sorted(str(p.relative_to(PROJECT_DIR)) for p in (PROJECT_DIR / "tests").glob("test_*.py"))
# These point GEODATA_DIR at a broken copy of geodata/ (or one with an extra layer file): about files,
# which GEODATA_URL replaces.
FILE_ONLY = (
    "not test_data_problems_are_listed_and_valid_data_still_shows and not test_bad_briefing_file"
    " and not test_a_new_layer_shows_in_the_pages_data_health_notice"
    " and not test_bad_municipalities_file and not test_text_is_text_every_page"
)


def test_page_tests_pass_on_the_store(pg_url) -> None:
    assert importer.import_dir(pg_url, DEFAULT_DATA_DIR).committed
    env = {**os.environ, "GEODATA_URL": pg_url}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", FILE_ONLY, *PAGE_TESTS],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert " passed" in done.stdout.splitlines()[-1]
