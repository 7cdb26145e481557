"""deploy/start.sh for real: PostGIS, two replicas and HAProxy; cookie affinity, and failover when one stops."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from src.config import PROJECT_DIR
from src.store import cluster

HTTP_PORT, REPLICA_PORT = 18180, 18190


def get(path: str, cookie: str | None = None) -> tuple[int, str]:
    """Status and the replica cookie HAProxy sets, for a request through it."""
    request = urllib.request.Request(f"http://127.0.0.1:{HTTP_PORT}{path}", headers={"Cookie": cookie or ""})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("Set-Cookie") or ""


@pytest.fixture
def deployment():
    if shutil.which("haproxy") is None or not cluster.available():
        if os.environ.get("CI") == "true":
            pytest.fail("HAProxy or PostgreSQL/PostGIS is not installed")
        pytest.skip("HAProxy or PostgreSQL/PostGIS is not installed")
    state = Path(tempfile.mkdtemp(prefix="nk-deploy-test-"))
    env = {
        **os.environ,
        "STATE_DIR": str(state),
        "HTTP_PORT": str(HTTP_PORT),
        "REPLICA_PORT": str(REPLICA_PORT),
        "PG_PORT": str(cluster.free_port()),
        "VENV": str(Path(sys.executable).parent.parent),
    }
    try:
        subprocess.run(["bash", "deploy/start.sh", "2"], cwd=PROJECT_DIR, env=env, check=True, timeout=240)
        yield state
    finally:
        subprocess.run(["bash", "deploy/stop.sh"], cwd=PROJECT_DIR, env=env, check=False, timeout=60)
        shutil.rmtree(state, ignore_errors=True)


def test_cookie_affinity_and_failover(deployment) -> None:
    status, cookie = get("/")
    assert status == 200 and cookie.startswith("NKMAP_REPLICA=app")
    replica = cookie.split(";")[0]
    assert get("/", replica) == (200, "")  # the cookie keeps the browser on its replica
    number = replica.rsplit("app", 1)[1]
    os.kill(int((deployment / f"replica{number}.pid").read_text()), 15)
    time.sleep(3)  # two failed health checks, one second apart
    status, moved = get("/", replica)
    assert status == 200 and moved.startswith("NKMAP_REPLICA=app") and not moved.startswith(replica)
    assert get("/_stcore/health")[0] == 200
