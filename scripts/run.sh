#!/usr/bin/env bash
# Installs what the app needs (a virtualenv in .venv with the pinned packages) and starts it on
# http://localhost:8501. Extra arguments go to `streamlit run`, e.g. --server.port 8600.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh requirements.txt
exec "$VENV/bin/python" -m src.serve run app.py "$@"  # streamlit run, with the app's fix (src/serve.py)
