"""Board page: ranked articles with filters, full-text search and the actions that teach the classifier.

Thin: the filters come from sidebar widgets (kept for the session), the rows from
``data.board_page`` (one page at a time), the page texts of its cards (``full_text:`` sources)
from ``data.article_texts`` (one query for the page), each card and the clicks on it from
``card`` (the text from ``view``, escaped, the stored HTML never rendered; reading and unreading
are by story); "Mark all N matching as read" asks in a dialog, ``mark_all``, then marks the N
articles it counted, not those collected since.  The list lives in a fragment that reruns every
minute, so new articles appear without touching the filters.  A click that moves or removes
the focused element (a vote, "Mark read" in the unread list) hands the focus on to where the
user was (``focus``).  Every word is the board's language
(``context.words``); the widgets' values are keys ("unread", "score"), never their labels.
The keyboard shortcuts (j/k, o, m, s, /, ?) act on the cards' own links and buttons
(``shortcuts``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import actions, card, data, focus, linked, mark_all, shortcuts, view
from watch.models import StoredArticle, story_key

REFRESH_EVERY = timedelta(seconds=60)
# The read states and orders offered, each with the key of its words ("starred": a note left on
# an unstarred article is found there, to be cleared).
STATES: dict[data.ReadState, str] = {
    "unread": "state_unread",
    "starred": "state_starred",
    "all": "state_all",
}
ORDERS: dict[data.BoardOrder, str] = {"score": "order_score", "published": "order_published"}


def _reset_page() -> None:
    st.session_state.pop("board_page", None)


def sidebar_filters(context: data.BoardContext, labels: dict[str, str]) -> data.BoardFilters:
    """The filter widgets; their values survive page switches and auto-refreshes (``labels``:
    the topics' labels, ``view.topic_labels``)."""
    configured = [source.name for source in context.config.sources]
    sources = configured + [n for n in data.known_sources(context.db_url) if n not in configured]
    keep: dict[str, Any] = {"persist_state": "session", "on_change": _reset_page}
    unread = data.unread_counts(context.db_url)
    words = context.words
    with st.sidebar:
        st.header(words.say("filters"), anchor=False)
        text = st.text_input(
            words.say("search"),
            key="board_text",
            placeholder=words.say("search_placeholder"),
            help=words.say("search_help"),
            **keep,
        )
        state = st.segmented_control(
            words.say("show"),
            list(STATES),
            format_func=lambda state: words.say(STATES[state]),
            default="unread",
            required=True,
            key="board_state",
            **keep,
        )
        topics = st.multiselect(
            words.say("topics"),
            list(labels),
            format_func=lambda name: view.with_count(
                labels[name], unread.topics.get(name, 0), words
            ),
            key="board_topics",
            placeholder=words.say("choose"),
            help=words.say("unread_count_help"),
            **keep,
        )
        folders = view.folder_names(context.config)
        in_folders = (
            st.multiselect(
                words.say("folders"),
                folders,
                format_func=lambda f: view.with_count(
                    f, view.folder_unread(context.config, f, unread.sources), words
                ),
                key="board_folders",
                placeholder=words.say("choose"),
                **keep,
            )
            if folders
            else []
        )
        chosen = st.multiselect(
            words.say("sources"),
            sources,
            format_func=lambda name: view.with_count(
                context.config.source_label(name), unread.sources.get(name, 0), words
            ),
            key="board_sources",
            placeholder=words.say("choose"),
            help=words.say("sources_help"),
            **keep,
        )
        dates = st.date_input(
            words.say("published_between"),
            value=[],
            format=words.say("date_format"),
            key="board_dates",
            **keep,
        )
        min_score = st.slider(
            words.say("min_score"), 0, 100, 0, step=5, key="board_min_score", **keep
        )
        order = st.segmented_control(
            words.say("sort"),
            list(ORDERS),
            format_func=lambda order: words.say(ORDERS[order]),
            default="score",
            required=True,
            key="board_order",
            **keep,
        )
        grouped = st.toggle(words.say("one_per_cluster"), value=True, key="board_grouped", **keep)
    since, until = _date_range(dates)
    return data.BoardFilters(
        text=text or "",
        topics=tuple(topics),
        sources=tuple(dict.fromkeys([*view.sources_in(context.config, in_folders), *chosen])),
        since=since,
        until=until,
        min_score=float(min_score),
        state=state or "unread",
        one_per_cluster=grouped,
        order=order or "score",
        timezone=context.config.digest.timezone,
    )


def _date_range(value: object) -> tuple[date | None, date | None]:
    items = list(value) if isinstance(value, tuple | list) else [value]
    picked = [item for item in items if isinstance(item, date)]
    if not picked:
        return None, None
    return picked[0], picked[-1]


def _why_empty(context: data.BoardContext) -> str:
    """An empty list explained: nothing collected yet, or filters that match nothing."""
    stored = data.board_page(context.db_url, data.BoardFilters(state="all"), 0, page_size=1)
    return context.words.say("no_match" if stored.total else "nothing_yet")


@st.fragment(run_every=REFRESH_EVERY)
def article_list(
    context: data.BoardContext, filters: data.BoardFilters, labels: dict[str, str]
) -> None:
    """The ranked list; reruns on its own every minute to pick up new articles (``labels``: the
    topics' labels, the same for every card)."""
    page_number = int(st.session_state.get("board_page", 1))
    result = data.board_page(context.db_url, filters, page_number - 1)
    if result.total and not result.articles and page_number > 1:
        page_number = 1
        result = data.board_page(context.db_url, filters, 0)
    now = datetime.now(UTC)
    words = context.words
    zone = context.config.digest.timezone
    updated = f"{now.astimezone(ZoneInfo(zone)):%H:%M:%S} ({zone})"
    key = "list_count_one" if words.singular(result.total) else "list_count"
    st.container(key=focus.LIST_TOP).caption(words.say(key, count=result.total, time=updated))
    if filters.state == "unread" and result.total:
        mark_all.offer(context.db_url, filters, result.total, words)
    mark_all.tell_marked(words)
    if not result.articles:
        st.info(_why_empty(context))
        focus.restore()
        return
    read_leaves = filters.state == "unread"  # a card read leaves this list
    texts = data.article_texts(context.db_url, tuple(a.id for a in result.articles))
    for index, article in enumerate(result.articles):
        after = _next_card(result.articles, index) if read_leaves else None
        card.article_card(context, article, labels, now, after, texts.get(article.id))
    focus.restore()
    pages = max(1, -(-result.total // data.PAGE_SIZE))
    left, right = st.columns([3, 1])
    if page_number > pages:
        st.session_state["board_page"] = pages
    with left:
        st.pagination(pages, key="board_page", persist_state="session")  # kept as the filters
    unread = [a.id for a in result.articles if not a.read]
    right.button(
        words.say("mark_page_read"),
        key="mark_page_read",
        disabled=not unread,
        on_click=_read_page,
        args=(context.db_url, unread, read_leaves),
    )


def _read_page(db_url: str, ids: list[int], read_leaves: bool) -> None:
    """Mark the page read; when that empties it, the focus goes to the list's count line."""
    actions.mark_page_read(db_url, ids)
    if read_leaves:
        focus.remember(focus.LIST_TOP)


def _next_card(articles: list[StoredArticle], index: int) -> str:
    """The key of the card that follows ``articles[index]`` once it is read: the next one not
    of its story (its story is read with it), else the list's count line."""
    story = story_key(articles[index])
    for later in articles[index + 1 :]:
        if story_key(later) != story:
            return f"article_{later.id}"
    return focus.LIST_TOP


context = data.load_context()
st.title(view.escape_markdown(context.config.name), anchor=False)
if not linked.linked_article(context):  # ?article=1234: that article first
    labels = view.topic_labels(context.config, context.words)  # once a run: filters and cards
    article_list(context, sidebar_filters(context, labels), labels)
shortcuts.offer(context.words)  # j/k, o, m, s, /, ?: in the sidebar, under the filters
