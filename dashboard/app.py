"""The board's entry point: page setup, settings check and the st.navigation router.

``streamlit run dashboard/app.py`` runs this file with only ``dashboard/`` on ``sys.path``;
the project root is added so ``dashboard`` and ``watch`` import as packages.  Pages live in
``app_pages/`` and hold no logic of their own.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import data, view  # noqa: E402
from watch.config import ConfigError  # noqa: E402
from watch.store.sql_migrate import head_revision  # noqa: E402

PAGES = [
    st.Page("app_pages/board.py", title="Board", icon=":material/newspaper:", default=True),
    st.Page(
        "app_pages/trends.py",
        title="Topics & trends",
        icon=":material/trending_up:",
        url_path="trends",
    ),
    st.Page(
        "app_pages/sources.py", title="Sources", icon=":material/monitor_heart:", url_path="sources"
    ),
    st.Page("app_pages/digest.py", title="Digest", icon=":material/mail:", url_path="digest"),
]


def check_settings() -> data.BoardContext:
    """Load settings and sources.yaml, or explain what is wrong and stop."""
    try:
        context = data.load_context()
    except ConfigError as exc:
        st.error("sources.yaml is not valid (set WATCH_CONFIG to use another file):")
        st.code("\n".join(exc.errors), language="text")
        st.stop()
    schema: str | None = None
    try:
        schema = data.reader(context.db_url).schema_version()
    except Exception as exc:  # any driver error: explain it instead of a traceback
        st.error(
            f"Cannot open the database ({type(exc).__name__}); set WATCH_DB, or run `watch fetch` first."
        )
        st.stop()
    head = head_revision()
    if schema != head:  # the board only reads: it never migrates
        st.error(
            f"The database is at schema revision {schema}, this board reads {head}: "
            "run `watch status` once (any watch command brings it up to date; a revision newer "
            "than the board's was made by a newer watch)."
        )
        st.stop()
    return context


st.set_page_config(page_title="watch", page_icon=":material/radar:", layout="wide")
context = check_settings()
st.sidebar.caption(f"Database: {view.escape_markdown(context.db_url.split('://', 1)[0])}")
st.navigation(PAGES).run()
