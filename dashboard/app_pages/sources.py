"""Sources page: health of every source against its consultation frequency, and "fetch now".

Thin: states and figures come from ``data.source_rows``, the rows from ``view.source_health``;
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

from dashboard import data, view

# The table's columns in order: what to act on first, the long error text last (a narrow screen
# clips the right edge; the error is also in its own box under the table).  A comment, not a
# docstring: Streamlit writes a page's bare strings.
COLUMNS = {
    "label": "Source",
    "name": "Name",
    "status": "Status",
    "suggestion": "Suggestion",
    "every": "Consulted every",
    "per_week": "Articles / week",
    "on_topic": "On topic",
    "last_success": "Last success",
    "next_due": "Next due",
    "kind": "Kind",
    "last_error": "Last error",
}


def health_table(rows: list[view.SourceHealth]) -> None:
    columns = [c for c in COLUMNS if c != "name" or any(r.label != r.name for r in rows)]
    frame = pd.DataFrame([asdict(row) for row in rows], columns=columns)
    frame["status"] = [[status] for status in frame["status"]]  # one coloured label per cell
    st.dataframe(
        frame.rename(columns=COLUMNS),
        hide_index=True,
        width="stretch",
        column_config={
            "Status": st.column_config.MultiselectColumn(
                options=list(view.STATUS_COLOURS), color=list(view.STATUS_COLOURS.values())
            ),
            "Articles / week": st.column_config.NumberColumn(format="%.1f"),
        },
    )
    broken = [row.label for row in rows if row.broken and not row.last_error]
    if broken:
        st.warning(
            "Page sources whose selectors matched nothing (the page layout probably changed; "
            "update their `select:` block in sources.yaml): "
            + ", ".join(map(view.escape_markdown, broken))
        )
    for row in rows:
        if row.warning:
            st.warning(
                f"**{view.escape_markdown(row.label)}**: {view.escape_markdown(row.warning)}"
            )
    missing = [row for row in rows if row.missing_items]
    for row in missing:
        st.warning(f"**{view.escape_markdown(row.label)}**: {view.escape_markdown(row.suggestion)}")
    failing = [row for row in rows if row.last_error]
    for row in failing:
        st.error(
            f"**{view.escape_markdown(row.label)}**: {view.escape_markdown(row.last_error)}  \n"
            f"What to do: {row.what_to_do}"
        )


def fetch_now(context: data.BoardContext) -> None:
    st.subheader("Fetch now")
    names = [source.name for source in context.config.sources if source.enabled]
    chosen = st.multiselect(
        "Sources to fetch",
        names,
        format_func=lambda name: view.source_choice(context.config, name),
        key="fetch_sources",
    )
    if st.button("Fetch now", key="fetch_now", disabled=not chosen, type="primary"):
        request = data.request_fetch(context.db_url, chosen)
        st.success(
            "Requested; the scheduler picks it up on its next pass: "
            + ", ".join(
                view.escape_markdown(context.config.source_label(name))
                for name in request["sources"]
            )
        )
    pending = data.pending_fetch(context.db_url)
    if pending:
        st.caption(
            f"Pending request: {', '.join(pending['sources'])} (since {pending.get('requested_at', '?')})"
        )
    st.caption("Or from a terminal (every source, or those chosen above):")
    command = "".join(f" --source {name}" for name in chosen)
    config = shlex.quote(str(context.settings.config_path))
    st.code(f"watch fetch{command} -c {config}", language="bash")


context = data.load_context()
st.title(":material/monitor_heart: Sources")
states, stats = data.source_rows(context.db_url)
advice = data.source_advice(context.db_url, context.config)
warnings = data.page_warnings(context.db_url, context.config)
rows = view.source_health(context.config, states, stats, datetime.now(UTC), advice, warnings)
if not rows:
    st.info("No source in sources.yaml yet.")
else:
    health_table(rows)
fetch_now(context)
