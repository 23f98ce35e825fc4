"""The board's entry point: page setup, settings check and the st.navigation router.

``streamlit run dashboard/app.py`` runs this file with only ``dashboard/`` on ``sys.path``;
the project root is added so ``dashboard`` and ``watch`` import as packages.  Pages live in
``app_pages/`` and hold no logic of their own.  Everything is said in the board's language
(``dashboard.words``) but why sources.yaml is not valid: without it, that language is unknown.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import data, style, view  # noqa: E402
from dashboard.words import BoardWords  # noqa: E402
from watch.config import ConfigError  # noqa: E402
from watch.store.sql_migrate import head_revision  # noqa: E402


def pages(words: BoardWords) -> list[st.Page]:
    """The pages, their titles in the board's language (their url paths stay)."""
    return [
        st.Page(
            "app_pages/board.py",
            title=words.say("page_board"),
            icon=":material/newspaper:",
            default=True,
        ),
        st.Page(
            "app_pages/trends.py",
            title=words.say("page_trends"),
            icon=":material/trending_up:",
            url_path="trends",
        ),
        st.Page(
            "app_pages/sources.py",
            title=words.say("page_sources"),
            icon=":material/monitor_heart:",
            url_path="sources",
        ),
        st.Page(
            "app_pages/digest.py",
            title=words.say("page_digest"),
            icon=":material/mail:",
            url_path="digest",
        ),
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
    words = context.words
    try:
        schema = data.reader(context.db_url).schema_version()
    except Exception as exc:  # any driver error: explain it instead of a traceback
        st.error(words.say("db_cannot_open", error=type(exc).__name__))
        st.stop()
    head = head_revision()
    if schema != head:  # the board only reads: it never migrates
        st.error(words.say("db_schema", schema=schema, head=head))
        st.stop()
    return context


def page_title(page: str, watch_name: str) -> str:
    """The browser tab's title (and the first words a screen reader says of a page): the page,
    then the watch ("Sources – Team watch")."""
    return f"{page} – {watch_name}"


st.set_page_config(page_title="watch", page_icon=":material/radar:", layout="wide")
style.apply()
context = check_settings()
kind = view.escape_markdown(context.db_url.split("://", 1)[0])
st.sidebar.caption(context.words.say("database", kind=kind))
page = st.navigation(pages(context.words))
st.set_page_config(page_title=page_title(page.title, context.config.name))
page.run()
