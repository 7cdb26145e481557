"""Copy the browser assets the map needs from npm packages into static/vendor/, with their licences.

Run: python scripts/vendor_assets.py   (needs npm; fetches tarballs with `npm pack`, installs nothing)
The result is committed, so the app and the tests never need npm or a network. Versions match the CDN
links folium 0.20 would use; src/offline.py maps folium's resource names onto these files.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"

# package spec -> (target folder, [(path inside the package, path inside the target folder)])
PACKAGES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "leaflet@1.9.3": (
        "leaflet",
        [
            ("dist/leaflet.js", "leaflet.js"),
            ("dist/leaflet.css", "leaflet.css"),
            ("dist/images", "images"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "jquery@3.7.1": ("jquery", [("dist/jquery.min.js", "jquery.min.js"), ("LICENSE.txt", "LICENSE.txt")]),
    "bootstrap@5.2.2": (
        "bootstrap",
        [
            ("dist/js/bootstrap.bundle.min.js", "js/bootstrap.bundle.min.js"),
            ("dist/css/bootstrap.min.css", "css/bootstrap.min.css"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "glyphicons-only-bootstrap@1.0.1": (
        "glyphicons",
        [("css/bootstrap.min.css", "css/bootstrap.min.css"), ("fonts", "fonts"), ("package.json", "package.json")],
    ),
    "@fortawesome/fontawesome-free@6.2.0": (
        "fontawesome",
        [("css/all.min.css", "css/all.min.css"), ("webfonts", "webfonts"), ("LICENSE.txt", "LICENSE.txt")],
    ),
    "drmonty-leaflet-awesome-markers@2.0.2": (
        "leaflet-awesome-markers",
        [
            ("js/leaflet.awesome-markers.min.js", "leaflet.awesome-markers.js"),
            ("css/leaflet.awesome-markers.css", "leaflet.awesome-markers.css"),
            ("css/images", "images"),
            ("package.json", "package.json"),
            ("README.md", "README.md"),
        ],
    ),
    "leaflet.markercluster@1.1.0": (
        "leaflet.markercluster",
        [
            ("dist/leaflet.markercluster.js", "leaflet.markercluster.js"),
            ("dist/MarkerCluster.css", "MarkerCluster.css"),
            ("dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"),
            ("MIT-LICENCE.txt", "MIT-LICENCE.txt"),
        ],
    ),
}


def vendor(spec: str, folder: str, files: list[tuple[str, str]], workdir: Path) -> None:
    tarball = (
        subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    unpacked = workdir / folder
    with tarfile.open(workdir / tarball) as archive:
        archive.extractall(unpacked, filter="data")
    target = VENDOR_DIR / folder
    shutil.rmtree(target, ignore_errors=True)
    for inside, outside in files:
        source, destination = unpacked / "package" / inside, target / outside
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination)
        else:
            shutil.copy2(source, destination)
    print(f"{spec} -> static/vendor/{folder}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for spec, (folder, files) in PACKAGES.items():
            vendor(spec, folder, files, Path(tmp))


if __name__ == "__main__":
    main()
