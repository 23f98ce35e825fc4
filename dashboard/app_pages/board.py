"""Board page: ranked articles with filters, full-text search and the actions that teach the classifier.

Thin: the filters come from sidebar widgets (kept for the session), the rows from
``data.board_page`` (one page at a time), the text from ``view`` (escaped), the clicks go to
``actions`` (reading and unreading are by story; "Mark all N matching as read" asks for a
confirmation, then marks the N articles it counted, not those collected since).  The
list lives in a fragment that reruns every minute, so new articles appear without touching the
filters.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import actions, data, view
from watch.models import VOTES, StoredArticle
from watch.store.base import MAX_NOTE
from watch.wording import counted

REFRESH_EVERY = timedelta(seconds=60)
STAR_HELP = (
    "Starred this week, it opens the week's digest under 'Picked by the team', "
    "with a note of yours if you write one"
)
STATES: dict[data.ReadState, str] = {
    "unread": "Unread",
    "starred": "Starred or noted",  # a note left on an unstarred article is found there, cleared
    "all": "All",
}
ORDERS: dict[data.BoardOrder, str] = {"score": "Best first", "published": "Newest first"}
UNSURE_HELP = (
    "A grey topic with ? is the model's guess: answer it with Not about (Topics…) when the "
    "article is not about it"
)
TAKEN_BACK = "Vote taken back"
UNREAD_COUNT_HELP = "In brackets: how many articles are unread."
SEARCH_HELP = (
    'Every word is required (the last one may be the start of a word). "apple store": the '
    'exact phrase. -iphone: without the word (-"apple store": without the phrase). '
    "iphone OR ipad: either one (uppercase OR). Case and accents are ignored."
)
# Session key: the filters "Mark all N matching as read" was clicked for and the highest article
# id then (awaiting "Yes": what is counted and marked stops there).
MARK_ALL_ASKED = "board_mark_all_asked"
# Each vote: its kind, its words (not given, given) and its icon.  (A bare string here would
# be shown on the page: Streamlit "magic" writes every expression statement of a page script.)
VOTE_BUTTONS: tuple[tuple[Literal["up", "down"], tuple[str, str], str], ...] = (
    ("up", ("Like", "Liked"), ":material/thumb_up:"),
    ("down", ("Dislike", "Disliked"), ":material/thumb_down:"),
)


def _reset_page() -> None:
    st.session_state.pop("board_page", None)


def sidebar_filters(context: data.BoardContext) -> data.BoardFilters:
    """The filter widgets; their values survive page switches and auto-refreshes."""
    labels = view.topic_labels(context.config)
    configured = [source.name for source in context.config.sources]
    sources = configured + [n for n in data.known_sources(context.db_url) if n not in configured]
    keep: dict[str, Any] = {"persist_state": "session", "on_change": _reset_page}
    unread = data.unread_counts(context.db_url)
    with st.sidebar:
        st.header("Filters")
        text = st.text_input(
            "Search",
            key="board_text",
            placeholder='words, "exact phrase", -without, this OR that',
            help=SEARCH_HELP,
            **keep,
        )
        state = st.segmented_control(
            "Show",
            list(STATES),
            format_func=STATES.__getitem__,
            default="unread",
            required=True,
            key="board_state",
            **keep,
        )
        topics = st.multiselect(
            "Topics",
            list(labels),
            format_func=lambda name: view.with_count(labels[name], unread.topics.get(name, 0)),
            key="board_topics",
            help=UNREAD_COUNT_HELP,
            **keep,
        )
        folders = view.folder_names(context.config)
        in_folders = (
            st.multiselect(
                "Folders",
                folders,
                format_func=lambda f: view.with_count(
                    f, view.folder_unread(context.config, f, unread.sources)
                ),
                key="board_folders",
                **keep,
            )
            if folders
            else []
        )
        chosen = st.multiselect(
            "Sources",
            sources,
            format_func=lambda name: view.with_count(
                context.config.source_label(name), unread.sources.get(name, 0)
            ),
            key="board_sources",
            help="With folders chosen too: their sources and these.",
            **keep,
        )
        dates = st.date_input("Published between", value=[], key="board_dates", **keep)
        min_score = st.slider("Minimum score", 0, 100, 0, step=5, key="board_min_score", **keep)
        order = st.segmented_control(
            "Sort",
            list(ORDERS),
            format_func=ORDERS.__getitem__,
            default="score",
            required=True,
            key="board_order",
            **keep,
        )
        grouped = st.toggle("One story per cluster", value=True, key="board_grouped", **keep)
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


def article_card(context: data.BoardContext, article: StoredArticle, now: datetime) -> None:
    """One ranked article: score, linked title, caption, chips, explanation and actions."""
    labels = view.topic_labels(context.config)
    with st.container(border=True, key=f"article_{article.id}"):
        score, body = st.columns([1, 11], vertical_alignment="top")
        score.metric("Score", f"{article.score:.0f}", label_visibility="collapsed")
        star = ":material/star: " if article.starred else ""
        body.markdown(f"{star}**{view.markdown_link(article.title, article.url)}**")
        label = context.config.source_label(article.source)
        zone = context.config.digest.timezone
        body.caption(view.article_caption(article, now, label, zone))
        chips = view.topic_chips(article, labels)
        body.markdown(
            chips, help=UNSURE_HELP if ":gray-badge[" in chips and "?]" in chips else None
        )
        if article.note:
            body.markdown(f":material/edit_note: {view.note_markdown(article.note)}")
        with body.expander("Why this score · summary"):
            st.markdown("\n".join(f"- {line}" for line in view.score_lines(article, labels)))
            st.markdown(view.escape_markdown(article.summary_text) or "_No summary._")
        _actions(context, article, labels)


def _actions(context: data.BoardContext, article: StoredArticle, labels: dict[str, str]) -> None:
    """The card's actions side by side, wrapping on a narrow screen (never one per row)."""
    url, key = context.db_url, article.id
    row = st.container(horizontal=True, gap="small")
    read = (
        ("Mark unread", ":material/mark_email_unread:")
        if article.read
        else ("Mark read", ":material/done:")
    )
    row.button(
        read[0],
        icon=read[1],
        key=f"read_{key}",
        on_click=actions.set_read,
        args=(url, key, not article.read),
    )
    star = "Unstar" if article.starred else "Star"
    row.button(
        star,
        icon=":material/star:",
        key=f"star_{key}",
        on_click=actions.set_starred,
        args=(url, key, not article.starred),
        help=STAR_HELP,
    )
    for kind, words, icon in VOTE_BUTTONS:
        given = article.vote == VOTES[kind]
        row.button(
            words[1] if given else words[0],
            icon=icon,
            key=f"{kind}_{key}",
            on_click=_vote,
            args=(url, key, "unvote" if given else kind, TAKEN_BACK if given else words[1]),
            type="primary" if given else "secondary",
            help=f"You {words[1].lower()} this article: click to take it back" if given else None,
        )
    with row.popover("Topics…", icon=":material/label:", key=f"notabout_{key}"):
        _topic_corrections(url, article, labels)
    with row.popover("Note…", icon=":material/edit_note:", key=f"notepop_{key}"):
        st.text_area(
            "A note for the team (shown under the article in the digest when starred)",
            value=article.note,
            max_chars=MAX_NOTE,
            key=f"note_{key}",
            on_change=actions.save_note,
            args=(url, key, f"note_{key}"),
            placeholder="Why it matters for us",
        )


def _topic_corrections(url: str, article: StoredArticle, labels: dict[str, str]) -> None:
    """ "Not about" each topic the article has, "also about" each one it lacks."""
    has = {match.name for match in article.topics}
    for match in article.topics:
        st.button(
            f"Not about {labels.get(match.name, match.name)}",
            icon=":material/block:",
            key=f"not_{match.name}_{article.id}",
            on_click=_correct,
            args=(url, article.id, match.name, labels, False),
        )
    for name, label in labels.items():
        if name not in has and name != "off-topic":
            st.button(
                f"Also about {label}",
                icon=":material/add:",
                key=f"also_{name}_{article.id}",
                on_click=_correct,
                args=(url, article.id, name, labels, True),
            )


def _vote(url: str, article_id: int, kind: Literal["up", "down", "unvote"], said: str) -> None:
    """Store the vote and say what it changed (as `watch feedback` does), in a toast."""
    judged = actions.vote(url, article_id, kind)
    if judged is not None:
        st.toast(view.judgement_words(said, judged.before, judged.after, judged.others_moved))


def _correct(url: str, article_id: int, topic: str, labels: dict[str, str], also: bool) -> None:
    """Store "not about" / "also about" the topic and say what it changed, in a toast."""
    label = labels.get(topic, topic)
    store = actions.also_about if also else actions.not_about
    judged = store(url, article_id, topic)
    if judged is not None:
        said, effect = (
            (f"Also about {label}", "added") if also else (f"Not about {label}", "removed")
        )
        st.toast(view.judgement_words(said, judged.before, judged.after, effect=effect))


def _why_empty(context: data.BoardContext) -> str:
    """An empty list explained: nothing collected yet, or filters that match nothing."""
    stored = data.board_page(context.db_url, data.BoardFilters(state="all"), 0, page_size=1)
    if stored.total:
        return "No article matches these filters."
    return (
        "No article collected yet: run `watch fetch` once (or `watch run` to collect on "
        "schedule); articles then show up here by themselves."
    )


def _offer_mark_all_read(url: str, filters: data.BoardFilters, total: int) -> None:
    """ "Mark all N matching as read" (every page), then a confirmation for these filters that
    counts, and marks, only the articles stored when it was asked."""
    asked = st.session_state.get(MARK_ALL_ASKED)
    if not isinstance(asked, tuple) or asked[0] != filters:
        st.button(
            f"Mark all {total} matching as read",
            icon=":material/done_all:",
            key="mark_all_read",
            on_click=_ask_mark_all,
            args=(url, filters),
        )
        return
    max_id = asked[1]
    total = actions.count_matching(url, filters, max_id)
    st.warning(_mark_all_question(filters, total))
    row = st.container(horizontal=True, gap="small")
    row.button(
        f"Yes, mark {total} read",
        key="mark_all_confirm",
        type="primary",
        on_click=_mark_all_read,
        args=(url, filters, max_id),
    )
    row.button(
        "Cancel", key="mark_all_cancel", on_click=st.session_state.pop, args=(MARK_ALL_ASKED,)
    )


def _ask_mark_all(url: str, filters: data.BoardFilters) -> None:
    st.session_state[MARK_ALL_ASKED] = (filters, actions.newest_article_id(url))


def _mark_all_question(filters: data.BoardFilters, total: int) -> str:
    what = counted(total, "story" if filters.one_per_cluster else "article")
    question = f"Mark the {what} matching these filters as read, on every page?"
    if filters.one_per_cluster:
        return f"{question} Their copies from other sources are marked read too."
    return question


def _mark_all_read(url: str, filters: data.BoardFilters, max_id: int | None) -> None:
    st.session_state.pop(MARK_ALL_ASKED, None)
    marked = actions.mark_matching_read(url, filters, max_id)
    st.toast(f"{counted(marked, 'article')} marked read")


@st.fragment(run_every=REFRESH_EVERY)
def article_list(context: data.BoardContext, filters: data.BoardFilters) -> None:
    """The ranked list; reruns on its own every minute to pick up new articles."""
    page_number = int(st.session_state.get("board_page", 1))
    result = data.board_page(context.db_url, filters, page_number - 1)
    if result.total and not result.articles and page_number > 1:
        page_number = 1
        result = data.board_page(context.db_url, filters, 0)
    now = datetime.now(UTC)
    verb = "matches" if result.total == 1 else "match"
    zone = context.config.digest.timezone
    updated = f"{now.astimezone(ZoneInfo(zone)):%H:%M:%S} ({zone})"
    st.caption(f"{counted(result.total, 'article')} {verb} · updated {updated}")
    if filters.state == "unread" and result.total:
        _offer_mark_all_read(context.db_url, filters, result.total)
    if not result.articles:
        st.info(_why_empty(context))
        return
    for article in result.articles:
        article_card(context, article, now)
    pages = max(1, -(-result.total // data.PAGE_SIZE))
    left, right = st.columns([3, 1])
    if page_number > pages:
        st.session_state["board_page"] = pages
    with left:
        st.pagination(pages, key="board_page", persist_state="session")  # kept as the filters
    unread = [a.id for a in result.articles if not a.read]
    right.button(
        "Mark page read",
        key="mark_page_read",
        disabled=not unread,
        on_click=actions.mark_page_read,
        args=(context.db_url, unread),
    )


context = data.load_context()
st.title(f":material/newspaper: {view.escape_markdown(context.config.name)}")
article_list(context, sidebar_filters(context))
