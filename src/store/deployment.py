"""The replicated deployment on this machine (deploy/start.sh: PostGIS, app replicas, HAProxy), started in a
throwaway state folder, and HAProxy's own counters: what the replicas' test and their benchmark share."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from src.store import cluster

PROJECT_DIR = Path(__file__).resolve().parents[2]


@contextmanager
def running(replicas: int, http_port: int, replica_port: int, prefix: str, timeout_s: float) -> Iterator[Path]:
    """deploy/start.sh with `replicas` replicas in a new state folder (yielded), stopped and removed after."""
    state = Path(tempfile.mkdtemp(prefix=prefix))
    state.chmod(0o755)
    env = {
        **os.environ,
        "STATE_DIR": str(state),
        "HTTP_PORT": str(http_port),
        "REPLICA_PORT": str(replica_port),
        "PG_PORT": str(cluster.free_port()),
        "VENV": str(Path(sys.executable).parent.parent),
    }
    try:
        subprocess.run(["bash", "deploy/start.sh", str(replicas)], cwd=PROJECT_DIR, env=env, check=True,
                       timeout=timeout_s)  # fmt: skip
        yield state
    finally:
        subprocess.run(["bash", "deploy/stop.sh"], cwd=PROJECT_DIR, env=env, check=False, timeout=120)
        shutil.rmtree(state, ignore_errors=True)


def replica_stats(state: Path) -> list[dict[str, str]]:
    """HAProxy's `show stat` rows for each replica server (from the stats socket in the state folder)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(state / "haproxy.sock"))
        sock.sendall(b"show stat\n")
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    rows = csv.DictReader(io.StringIO(raw.decode().lstrip("# ")))
    return [r for r in rows if r["pxname"] == "replicas" and r["svname"] not in ("FRONTEND", "BACKEND")]
