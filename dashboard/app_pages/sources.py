"""Sources page: health of every source against its consultation frequency, and "fetch now".

Thin: states and figures come from ``data.source_rows``, the rows from
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

# The table's columns in order: what to act on first, the long error text last (a narrow screen
# clips the right edge; the error is also in its own box under the table).  A comment, not a
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
    "last_error": "col_last_error",
}


def health_table(rows: list[view_sources.SourceHealth], words: BoardWords) -> None:
    columns = [c for c in COLUMNS if c != "name" or any(r.label != r.name for r in rows)]
    frame = pd.DataFrame([asdict(row) for row in rows], columns=columns)
    # one coloured label per cell, in words
    frame["status"] = [[view_sources.status_words(status, words)] for status in frame["status"]]
    statuses = view_sources.STATUS_COLOURS
    st.dataframe(
        frame.rename(columns={column: words.say(key) for column, key in COLUMNS.items()}),
        hide_index=True,
        width="stretch",
        column_config={
            words.say("col_status"): st.column_config.MultiselectColumn(
                options=[view_sources.status_words(status, words) for status in statuses],
                color=list(statuses.values()),
            ),
            words.say("col_per_week"): st.column_config.NumberColumn(format="%.1f"),
        },
    )
    problems(rows, words)


def problems(rows: list[view_sources.SourceHealth], words: BoardWords) -> None:
    """Under the table, each source's problem in a box of its own: broken selectors, a page's
    warnings, missed items, errors with what to do."""
    broken = [row.label for row in rows if row.broken and not row.last_error]
    if broken:
        names = ", ".join(map(view.escape_markdown, broken))
        st.warning(words.say("selectors_matched_nothing", sources=names))
    for row in rows:
        if row.warning:
            said = view.escape_markdown(row.warning)
            st.warning(words.say("source_says", label=view.escape_markdown(row.label), text=said))
    missing = [row for row in rows if row.missing_items]
    for row in missing:
        said = view.escape_markdown(row.suggestion)
        st.warning(words.say("source_says", label=view.escape_markdown(row.label), text=said))
    failing = [row for row in rows if row.last_error]
    for row in failing:
        said = view.escape_markdown(row.last_error)
        st.error(
            words.say("source_says", label=view.escape_markdown(row.label), text=said)
            + "  \n"
            + words.say("what_to_do", advice=row.what_to_do)
        )


def fetch_now(context: data.BoardContext) -> None:
    words = context.words
    st.subheader(words.say("fetch_now"))
    names = [source.name for source in context.config.sources if source.enabled]
    chosen = st.multiselect(
        words.say("sources_to_fetch"),
        names,
        format_func=lambda name: view.source_choice(context.config, name),
        key="fetch_sources",
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
st.title(f":material/monitor_heart: {context.words.say('sources_title')}")
states, stats = data.source_rows(context.db_url)
advice = data.source_advice(context.db_url, context.config)
warnings = data.page_warnings(context.db_url, context.config)
rows = view_sources.source_health(
    context.config, states, stats, datetime.now(UTC), advice, warnings, context.words
)
if not rows:
    st.info(context.words.say("no_source"))
else:
    health_table(rows, context.words)
fetch_now(context)
