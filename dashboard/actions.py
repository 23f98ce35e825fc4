"""Board actions: what the user's clicks on an article or a list write.

Flags (read, starred), the note, votes and topic corrections, and marking read in bulk: each is
written at once through ``data.writer`` and followed by ``data.refresh`` (the cached queries
are cleared).  Reading is by story: "Mark read" and "Mark page read" also read the other
articles of the story cluster, so a story read from one source does not come back unread from
another under "One story per cluster"; "Mark unread" unreads the whole story, which undoes it.
"Mark all N matching as read" marks what was counted: the articles stored up to the highest
id when its confirmation was asked (``newest_article_id``), not those collected since.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

import streamlit as st

from dashboard.data import BoardFilters, load_context, refresh, writer
from watch.models import VOTES, Feedback
from watch.store.base import ArticleQuery, Store


def set_read(db_url: str, article_id: int, read: bool = True) -> None:
    """Mark the article read or unread, with the other articles of its story."""
    store = writer(db_url)
    if read:
        store.mark_read(ArticleQuery(ids=[article_id]), whole_stories=True)
    else:
        for member_id in _story_ids(store, article_id):
            store.set_flags(member_id, read=False)
    refresh()


def _story_ids(store: Store, article_id: int) -> list[int]:
    """The ids of the articles of ``article_id``'s story (itself alone without a cluster)."""
    article = store.get_article(article_id)
    if article is None or article.cluster_id is None:
        return [article_id]
    return [member.id for member in store.cluster_members(article.cluster_id)] or [article_id]


def set_starred(db_url: str, article_id: int, starred: bool) -> None:
    writer(db_url).set_flags(article_id, starred=starred)
    refresh()


def save_note(db_url: str, article_id: int, widget_key: str) -> None:
    """Store the note typed in the ``widget_key`` text area (empty removes it)."""
    writer(db_url).set_note(article_id, str(st.session_state.get(widget_key) or ""))
    refresh()


@dataclass(frozen=True)
class Judged:
    """What a vote or topic correction changed: the article's score before and after, and how
    many other articles of its story were rescored (a vote is the story's)."""

    before: float
    after: float
    others_moved: int = 0


def vote(db_url: str, article_id: int, kind: Literal["up", "down", "unvote"]) -> Judged | None:
    """Store a 👍/👎 (or take it back: "unvote") on the article's story and apply it at once to
    the score of every article of that story (the feedback row keeps which article was voted
    on); similar unjudged stories move at the next rescore (``watch.taste``).  A
    vote the article already has is not stored again (a double click, or a click on a page that
    has not rerun yet): None then."""
    article = writer(db_url).get_article(article_id)
    if article is not None and article.vote == VOTES[kind]:
        return None
    return _record(db_url, Feedback(article_id=article_id, kind=kind, at=datetime.now(UTC)))


def not_about(db_url: str, article_id: int, topic: str) -> Judged | None:
    """Store "this article is not about <topic>" and take the topic off the article at once."""
    return _record(
        db_url,
        Feedback(article_id=article_id, kind="not_topic", topic=topic, at=datetime.now(UTC)),
    )


def also_about(db_url: str, article_id: int, topic: str) -> Judged | None:
    """Store "this article is also about <topic>" and put the topic on the article at once."""
    return _record(
        db_url,
        Feedback(article_id=article_id, kind="also_topic", topic=topic, at=datetime.now(UTC)),
    )


def _record(db_url: str, feedback: Feedback) -> Judged | None:
    from watch.ranking import Ranker, story_scores

    context = load_context()
    now = datetime.now(UTC)
    store = writer(db_url)
    before = store.get_article(feedback.article_id)
    story = story_scores(store, before)
    after = Ranker(store, context.config, context.settings, None, lambda: now).record_feedback(
        feedback
    )
    refresh()
    if before is None or after is None:
        return None
    moved = sum(
        1
        for i, (_, score) in story_scores(store, before).items()
        if i in story and round(story[i][1]) != round(score)
    )
    return Judged(before.score, after.score, moved)


def mark_page_read(db_url: str, ids: list[int]) -> None:
    """Mark the page's articles read, with the other articles of their stories."""
    writer(db_url).mark_read(ArticleQuery(ids=ids), whole_stories=True)
    refresh()


def newest_article_id(db_url: str) -> int | None:
    """The highest article id stored now (None when there is none): the articles a count
    made now sees are those up to it, as ids only grow."""
    return writer(db_url).newest_article_id()


def count_matching(db_url: str, filters: BoardFilters, max_id: int | None) -> int:
    """How many articles (stories with "One story per cluster") the filters match among those
    stored up to ``max_id``: the N "Mark all N matching as read" marks."""
    return writer(db_url).count_articles(replace(filters.to_query(), max_id=max_id))


def mark_matching_read(db_url: str, filters: BoardFilters, max_id: int | None = None) -> int:
    """Mark read every article the board's filters match among those stored up to ``max_id``
    (all pages; with "One story per cluster", their stories' other articles too), in one
    write; return how many."""
    query = replace(filters.to_query(), max_id=max_id)
    marked = writer(db_url).mark_read(query, whole_stories=query.one_per_cluster)
    refresh()
    return marked
