"""Sources page: health of every source against its consultation frequency, and "fetch now".

Thin: states and figures come from ``data.source_rows``, the article pages of ``full_text:``
sources from ``page_counts`` (cached here), the rows from
``view_sources.source_health`` (in the board's language, ``context.words``);
"fetch now" records a request the scheduler honours (``data.request_fetch``).  A source is shown
by its label with its name beside it (no Name column while no source has a label): the name is
what sources.yaml and ``watch fetch --source`` use.
"""

from __future__ import annotations

import shlex
from dataclasses import asdict
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboard import data, view, view_sources
from dashboard.words import BoardWords
from watch import text_health
from watch.config import WatchConfig
from watch.store.base_texts import TextCounts

# The table's columns in order: what to act on first, the long error text last (the error is
# also in its own box under the table).  A comment, not a
# docstring: Streamlit writes a page's bare strings.  Each column with the key of its words.
COLUMNS = {
    "label": "col_label",
    "name": "col_name",
    "status": "col_status",
    "suggestion": "col_suggestion",
    "every": "col_every",
    "per_week": "col_per_week",
    "on_topic": "col_on_topic",
    "last_success": "col_last_success",
    "next_due": "col_next_due",
    "kind": "col_kind",
    "pages": "col_pages",
    "last_error": "col_last_error",
}


def health_table(rows: list[view_sources.SourceHealth], words: BoardWords) -> None:
    """The table as HTML (``st.table``): a screen reader reads every column of every row, where
    the canvas of ``st.dataframe`` exposed the columns in view only.  Its cells are Markdown:
    every text is escaped, the status is a coloured badge that says it in words."""
    columns = [c for c in COLUMNS if c != "name" or any(r.label != r.name for r in rows)]
    columns = [c for c in columns if c != "pages" or any(r.pages for r in rows)]
    table = [view.escape_cells(_cells(row, columns, words)) for row in rows]
    status = view.escape_markdown(words.say("col_status"))
    for row, cells in zip(rows, table, strict=True):
        said = view.escape_markdown(view_sources.status_words(row.status, words))
        cells[status] = f":{view_sources.STATUS_COLOURS[row.status]}-badge[{said}]"
    st.table(pd.DataFrame(table), hide_index=True, alt=words.say("health_alt"))
    problems(rows, words)


def _cells(
    row: view_sources.SourceHealth, columns: list[str], words: BoardWords
) -> dict[str, object]:
    """A row's cells by column title, in ``columns``' order, its rate with one decimal."""
    values = asdict(row) | {
        "per_week": f"{row.per_week:.1f}".replace(".", words.digest.decimal_mark),
        "pages": row.pages or "–",
    }
    return {words.say(COLUMNS[column]): values[column] for column in columns}


def problems(rows: list[view_sources.SourceHealth], words: BoardWords) -> None:
    """Under the table, each source's problem in a box of its own: broken selectors, a page's
    warnings, article pages that mostly fail, missed items, errors with what to do."""
    broken = [row.label for row in rows if row.broken and not row.last_error]
    if broken:
        names = ", ".join(map(view.escape_markdown, broken))
        st.warning(words.say("selectors_matched_nothing", sources=names))
    for row in rows:
        if row.warning:
            st.warning(_source_says(row, row.warning, words))
    for row in (row for row in rows if row.pages_warning):
        said = _source_says(row, row.pages_warning, words)
        if row.pages_advice:
            said += "  \n" + words.say("what_to_do", advice=row.pages_advice)
        st.warning(said)
    for row in (row for row in rows if row.missing_items):
        st.warning(_source_says(row, row.suggestion, words))
    for row in (row for row in rows if row.last_error):
        st.error(
            _source_says(row, row.last_error, words)
            + "  \n"
            + words.say("what_to_do", advice=row.what_to_do)
        )


def _source_says(row: view_sources.SourceHealth, text: str, words: BoardWords) -> str:
    """What a source's box says: ``**Label**: text``, both escaped."""
    label = view.escape_markdown(row.label)
    return words.say("source_says", label=label, text=view.escape_markdown(text))


@st.cache_data(ttl=data.QUERY_TTL, show_spinner=False)
def page_counts(db_url: str, _config: WatchConfig) -> dict[str, TextCounts]:
    """How the article pages of each ``full_text:`` source went, as `watch status` says."""
    return text_health.page_counts(_config, data.reader(db_url), datetime.now(UTC))


def fetch_now(context: data.BoardContext) -> None:
    words = context.words
    st.header(words.say("fetch_now"), anchor=False)
    names = [source.name for source in context.config.sources if source.enabled]
    chosen = st.multiselect(
        words.say("sources_to_fetch"),
        names,
        format_func=lambda name: view.source_choice(context.config, name),
        key="fetch_sources",
        placeholder=words.say("choose"),
    )
    if st.button(words.say("fetch_now"), key="fetch_now", disabled=not chosen, type="primary"):
        request = data.request_fetch(context.db_url, chosen)
        labels = (view.escape_markdown(context.config.source_label(n)) for n in request["sources"])
        st.success(words.say("fetch_requested", sources=", ".join(labels)))
    pending = data.pending_fetch(context.db_url)
    if pending:
        since = pending.get("requested_at", "?")
        st.caption(words.say("fetch_pending", sources=", ".join(pending["sources"]), since=since))
    st.caption(words.say("from_a_terminal"))
    command = "".join(f" --source {name}" for name in chosen)
    config = shlex.quote(str(context.settings.config_path))
    st.code(f"watch fetch{command} -c {config}", language="bash")


context = data.load_context()
st.title(context.words.say("sources_title"), anchor=False)
states, stats = data.source_rows(context.db_url)
advice = data.source_advice(context.db_url, context.config)
warnings = data.page_warnings(context.db_url, context.config)
texts = page_counts(context.db_url, context.config)
rows = view_sources.source_health(
    context.config, states, stats, datetime.now(UTC), advice, warnings, context.words, texts
)
if not rows:
    st.info(context.words.say("no_source"))
else:
    health_table(rows, context.words)
fetch_now(context)
