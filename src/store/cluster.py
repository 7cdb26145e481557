"""A private PostgreSQL cluster from Debian's binaries (initdb, pg_ctl) in a folder, on a loopback port.

For tests, benchmarks and deploy/start.sh on one machine: nothing is installed system-wide and nothing
listens beyond 127.0.0.1. As root, the server runs as the `postgres` user (PostgreSQL refuses root).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PORTS = range(55400, 55500)
# For throwaway clusters only: durability is traded for speed where a crash loses nothing of value.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class ClusterUnavailable(RuntimeError):
    """PostgreSQL's binaries (or PostGIS) are not installed on this machine."""


@dataclass(frozen=True)
class Cluster:
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stops the server fast (open sessions are disconnected); the folder stays for the caller to remove."""
        _run([str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.directory / "data"), "-m", "fast", "-w"])


def available() -> bool:
    """Whether initdb and the PostGIS extension are installed (Debian: postgresql, postgresql-15-postgis-3)."""
    return (PG_BIN / "initdb").exists() and bool(
        list(Path("/usr/share/postgresql").glob("*/extension/postgis.control"))
    )


def free_port(ports: range = PORTS) -> int:
    """The first port in `ports` that nothing on 127.0.0.1 listens on."""
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _run(command: list[str]) -> None:
    done = subprocess.run([*_as_postgres(), *command], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {(done.stderr or done.stdout).strip()}")


def start(directory: Path, port: int | None = None, settings: dict[str, str] | None = None) -> Cluster:
    """Creates (first time) and starts a cluster in `directory`; returns once it accepts connections."""
    if not available():
        raise ClusterUnavailable(f"PostgreSQL with PostGIS is not installed (looked in {PG_BIN})")
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    if not (data / "PG_VERSION").exists():
        _run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
    port = port or free_port()
    options = {
        "listen_addresses": "127.0.0.1",
        "port": str(port),
        "unix_socket_directories": str(directory),
        "max_connections": "200",
        **(settings or {}),
    }
    flags = " ".join(f"-c {key}={value}" for key, value in options.items())
    log = directory / "server.log"
    _run([str(PG_BIN / "pg_ctl"), "start", "-D", str(data), "-l", str(log), "-o", flags, "-w", "-t", "60"])
    return Cluster(directory, port)


def main(argv: list[str] | None = None) -> None:
    """`python -m src.store.cluster start DIR [--port N]` / `stop DIR`: for deploy/start.sh."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("directory", type=Path)
    parser.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    if args.action == "start":
        print(start(args.directory.resolve(), args.port).url)
    else:
        _run([str(PG_BIN / "pg_ctl"), "stop", "-D", str(args.directory.resolve() / "data"), "-m", "fast", "-w"])


if __name__ == "__main__":
    main()
