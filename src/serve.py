"""`streamlit` for this app: `python -m src.serve run app.py [options]` is `streamlit run app.py [options]`
with the app's fix to Streamlit (src/ui/fragment_reruns.py) in place before the first session. scripts/run.sh,
deploy/start.sh, the tests and the benchmarks start the server this way."""

from __future__ import annotations

import sys

from src.ui.fragment_reruns import rerun_unknown_fragments


def main() -> None:
    rerun_unknown_fragments()
    from streamlit.web.cli import main as streamlit_main

    sys.argv[0] = "streamlit"
    streamlit_main()


if __name__ == "__main__":
    main()
