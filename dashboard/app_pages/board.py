"""Board page: ranked articles with filters, full-text search and the actions that teach the classifier.

Thin: the filters come from sidebar widgets (kept for the session), the rows from
``data.board_page`` (one page at a time), the page texts of its cards (``full_text:`` sources)
from ``data.article_texts`` (one query for the page), the text from ``view`` (escaped, the
stored HTML never rendered), the clicks go to ``actions`` (reading and unreading are by story;
"Mark all N matching as read" asks in a dialog, ``mark_all``, then marks the N articles it
counted, not those collected since).  The
list lives in a fragment that reruns every minute, so new articles appear without touching the
filters.  A click that moves or removes the focused element (a vote, "Mark read" in the unread
list) hands the focus on to where the user was (``focus``).  Every word is the board's language
(``context.words``); the widgets' values are keys ("unread", "score"), never their labels.
The keyboard shortcuts (j/k, o, m, s, /, ?) act on the cards' own links and buttons
(``shortcuts``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import actions, data, focus, linked, mark_all, shortcuts, view
from dashboard.words import BoardWords
from watch.article_text import NO_MORE_THAN_SUMMARY
from watch.models import VOTES, ArticleText, StoredArticle
from watch.store.base import MAX_NOTE

REFRESH_EVERY = timedelta(seconds=60)
# The read states and orders offered, each with the key of its words ("starred": a note left on
# an unstarred article is found there, to be cleared).
STATES: dict[data.ReadState, str] = {
    "unread": "state_unread",
    "starred": "state_starred",
    "all": "state_all",
}
ORDERS: dict[data.BoardOrder, str] = {"score": "order_score", "published": "order_published"}
# Each vote: its kind, the keys of its words (not given, given, help when not given and when
# given) and its icon.
# (A bare string here would be shown on the page: Streamlit "magic" writes every expression
# statement of a page script.)
VOTE_BUTTONS: tuple[tuple[Literal["up", "down"], tuple[str, str, str, str], str], ...] = (
    ("up", ("like", "liked", "like_help", "liked_help"), ":material/thumb_up:"),
    ("down", ("dislike", "disliked", "dislike_help", "disliked_help"), ":material/thumb_down:"),
)


def _reset_page() -> None:
    st.session_state.pop("board_page", None)


def sidebar_filters(context: data.BoardContext) -> data.BoardFilters:
    """The filter widgets; their values survive page switches and auto-refreshes."""
    labels = view.topic_labels(context.config, context.words)
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


def article_card(
    context: data.BoardContext,
    article: StoredArticle,
    now: datetime,
    focus_when_read: str | None = None,
    text: ArticleText | None = None,
) -> None:
    """One ranked article: its linked title as a heading (a screen reader's H key goes from
    card to card; what follows it, buttons included, is that article's), then the score in
    words, caption, chips, explanation, the page's text and actions.  ``focus_when_read``: the
    key of what takes the focus when "Mark read" takes the card off the list (None: the card
    stays).  ``text``: the article's page text or why its page was not read (``full_text:``
    sources; ``data.article_texts``), None when it has none."""
    labels = view.topic_labels(context.config, context.words)
    words = context.words
    with st.container(border=True, key=f"article_{article.id}"):
        st.header(view.markdown_link(article.title, article.url, words), anchor=False)
        line = st.container(horizontal=True, gap="small", vertical_alignment="center")
        line.markdown(view.score_words(article, words), width="content")
        label = context.config.source_label(article.source)
        zone = context.config.digest.timezone
        line.caption(view.article_caption(article, now, label, zone, words))
        chips = view.topic_chips(article, labels)
        unsure = ":gray-badge[" in chips and "?]" in chips
        st.markdown(chips, help=words.say("unsure_help") if unsure else None)
        if article.note:
            st.markdown(f":material/edit_note: {view.note_markdown(article.note)}")
        with st.expander(words.say("why_summary")):
            lines = view.score_lines(article, labels, words)
            st.markdown("\n".join(f"- {line}" for line in lines))
            st.markdown(view.summary_markdown(article, text) or words.say("no_summary"))
        if text is not None:
            _page_text(article.id, text, words)
        _actions(context, article, labels, focus_when_read)


def _page_text(article_id: int, text: ArticleText, words: BoardWords) -> None:
    """The page's text in an expander, its length in its label, each paragraph escaped (the
    stored HTML is never rendered); a page not read says why, the stored error as written (a
    page that gave no more than the feed's summary says nothing: the card has it all)."""
    if text.error == NO_MORE_THAN_SUMMARY:
        return
    if text.error is not None:
        st.caption(words.say("page_not_read", error=view.escape_markdown(text.error)))
    elif text.text.strip():
        length = view.reading_length(text.text, words)
        with st.expander(words.say("article_text", length=length), key=f"text_{article_id}"):
            st.markdown(view.paragraphs_markdown(text.text))


def _actions(
    context: data.BoardContext,
    article: StoredArticle,
    labels: dict[str, str],
    focus_when_read: str | None,
) -> None:
    """The card's actions side by side, wrapping on a narrow screen (never one per row), then
    "Topics…" and "Note…" as expanders: their content follows them for the keyboard and a
    screen reader (a popover's is drawn at the end of the page).  A button keeps its type
    whatever its state (a new type is a new widget: the keyboard focus would jump to the top
    of the page); its label says the state ("Liked")."""
    url, key, words = context.db_url, article.id, context.words
    row = st.container(horizontal=True, gap="small")
    read = (
        ("mark_unread", ":material/mark_email_unread:")
        if article.read
        else ("mark_read", ":material/done:")
    )
    row.button(
        words.say(read[0]),
        icon=read[1],
        key=f"read_{key}",
        on_click=_set_read,
        args=(url, key, not article.read, focus_when_read),
    )
    row.button(
        words.say("unstar" if article.starred else "star"),
        icon=":material/star:",
        key=f"star_{key}",
        on_click=actions.set_starred,
        args=(url, key, not article.starred),
        help=words.say("star_help"),
    )
    for kind, (give, given_key, give_help, given_help), icon in VOTE_BUTTONS:
        given = article.vote == VOTES[kind]
        said = words.say("taken_back" if given else given_key)
        row.button(
            words.say(given_key if given else give),
            icon=icon,
            key=f"{kind}_{key}",
            on_click=_vote,
            args=(url, key, "unvote" if given else kind, said, words, f"{kind}_{key}"),
            help=words.say(given_help if given else give_help),
        )
    topics, note = st.columns(2)
    with topics.expander(words.say("topics_menu"), key=f"notabout_{key}"):
        _topic_corrections(url, article, labels, words)
    with note.expander(words.say("note_menu"), key=f"notepop_{key}"):
        st.text_area(
            words.say("note_label"),
            value=article.note,
            max_chars=MAX_NOTE,
            key=f"note_{key}",
            on_change=actions.save_note,
            args=(url, key, f"note_{key}"),
            placeholder=words.say("note_placeholder"),
        )


def _topic_corrections(
    url: str, article: StoredArticle, labels: dict[str, str], words: BoardWords
) -> None:
    """ "Not about" each topic the article has, "also about" each one it lacks."""
    has = {match.name for match in article.topics}
    for match in article.topics:
        st.button(
            words.say("not_about", label=labels.get(match.name, match.name)),
            icon=":material/block:",
            key=f"not_{match.name}_{article.id}",
            on_click=_correct,
            args=(url, article.id, match.name, labels, False, words),
        )
    for name, label in labels.items():
        if name not in has and name != view.OFF_TOPIC:
            st.button(
                words.say("also_about", label=label),
                icon=":material/add:",
                key=f"also_{name}_{article.id}",
                on_click=_correct,
                args=(url, article.id, name, labels, True, words),
            )


def _set_read(url: str, article_id: int, read: bool, focus_after: str | None) -> None:
    """Mark the article's story read (or unread); the focus goes to ``focus_after`` when
    given (the card leaves the list, and its button with it)."""
    if read and focus_after is not None:
        focus.remember(focus_after)
    actions.set_read(url, article_id, read)


def _vote(
    url: str,
    article_id: int,
    kind: Literal["up", "down", "unvote"],
    said: str,
    words: BoardWords,
    button: str,
) -> None:
    """Store the vote and say what it changed (as `watch feedback` does), in a toast; the
    focus goes back to the ``button`` clicked (its card may move down the list)."""
    focus.remember(button)
    judged = actions.vote(url, article_id, kind)
    if judged is not None:
        moved = judged.others_moved
        st.toast(view.judgement_words(said, judged.before, judged.after, moved, words=words))


def _correct(
    url: str, article_id: int, topic: str, labels: dict[str, str], also: bool, words: BoardWords
) -> None:
    """Store "not about" / "also about" the topic and say what it changed, in a toast."""
    label = labels.get(topic, topic)
    store = actions.also_about if also else actions.not_about
    judged = store(url, article_id, topic)
    if judged is not None:
        said = words.say("also_about" if also else "not_about", label=label)
        effect = "added" if also else "removed"
        st.toast(view.judgement_words(said, judged.before, judged.after, 0, effect, words))


def _why_empty(context: data.BoardContext) -> str:
    """An empty list explained: nothing collected yet, or filters that match nothing."""
    stored = data.board_page(context.db_url, data.BoardFilters(state="all"), 0, page_size=1)
    return context.words.say("no_match" if stored.total else "nothing_yet")


@st.fragment(run_every=REFRESH_EVERY)
def article_list(context: data.BoardContext, filters: data.BoardFilters) -> None:
    """The ranked list; reruns on its own every minute to pick up new articles."""
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
        article_card(context, article, now, after, texts.get(article.id))
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
    cluster = articles[index].cluster_id
    for later in articles[index + 1 :]:
        if cluster is None or later.cluster_id != cluster:
            return f"article_{later.id}"
    return focus.LIST_TOP


context = data.load_context()
st.title(view.escape_markdown(context.config.name), anchor=False)
if not linked.linked_article(context, article_card):  # ?article=1234: that article first
    article_list(context, sidebar_filters(context))
shortcuts.offer(context.words)  # j/k, o, m, s, /, ?: in the sidebar, under the filters
