"""``Store.mark_read``: every article a query matches, read in one UPDATE, on SQLite and PostgreSQL.

Uses the contract suite's fixtures (``store`` runs each test on both backends, ``filled`` stores
six articles: lwn secu_fr + rust (read), hn kernel_patch + cooking, ars roundup + old (30 days
old); secu_fr, kernel_patch and roundup are one story, cluster 7).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.test_store_contract import NOW, filled, make_article, store, store_url
from watch.models import TopicMatch
from watch.store import ArticleQuery
from watch.store.base import Store
from watch.store.sql import SqlStore

CONTRACT_FIXTURES = (store_url, store, filled)
"""The contract suite's fixtures, used here by name: each test runs on SQLite and PostgreSQL."""


def read_ids(store: Store) -> set[int]:
    return {a.id for a in store.query_articles(ArticleQuery(read=True, limit=100))}


@pytest.fixture
def statements(store: Store) -> Iterator[list[str]]:
    """The SELECT / UPDATE statements the store sends while the test runs."""
    assert isinstance(store, SqlStore)
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "WITH")):
            sent.append(statement)

    sa.event.listen(store._engine, "before_cursor_execute", record)
    yield sent
    sa.event.remove(store._engine, "before_cursor_execute", record)


def test_marks_every_unread_article_of_a_source_in_one_update(
    store: Store, filled: dict[str, int], statements: list[str]
) -> None:
    """Session 11: after an OPML import, 1,522 old articles were unread and the board marked
    them 25 at a time; the store marks all those a query matches with one statement."""
    assert store.mark_read(ArticleQuery(sources=["hn"], limit=1)) == 2  # limit ignored
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("UPDATE")
    assert read_ids(store) == {filled["rust"], filled["kernel_patch"], filled["cooking"]}
    assert store.mark_read(ArticleQuery(sources=["hn"])) == 0, "only changes are counted"
    assert store.mark_read(ArticleQuery(sources=["lwn"])) == 1, "rust was read already"


def test_marks_by_topic_date_and_search_as_the_board_filters(
    store: Store, filled: dict[str, int]
) -> None:
    before = NOW - timedelta(days=7)
    assert store.mark_read(ArticleQuery(until=before)) == 1
    assert read_ids(store) == {filled["rust"], filled["old"]}
    assert store.mark_read(ArticleQuery(text="roundup", topics=["security"])) == 1
    assert filled["roundup"] in read_ids(store)
    assert store.mark_read(ArticleQuery(topics=["security"], min_score=85)) == 1  # secu_fr
    assert store.count_articles(ArticleQuery(read=False)) == 2


def test_whole_stories_marks_the_other_articles_of_each_story(
    store: Store, filled: dict[str, int]
) -> None:
    """Reading a story from one source does not leave it unread from another."""
    marked = store.mark_read(ArticleQuery(ids=[filled["secu_fr"]]), whole_stories=True)
    assert marked == 3
    assert read_ids(store) == {
        filled["rust"],
        filled["secu_fr"],
        filled["kernel_patch"],
        filled["roundup"],
    }
    assert store.mark_read(ArticleQuery(ids=[filled["cooking"]]), whole_stories=True) == 1


def test_an_unclustered_match_marks_only_itself(store: Store) -> None:
    ids = store.upsert_articles(
        [make_article(n, topics=[TopicMatch("rust", 0.9)]) for n in range(1, 4)]
    ).new_ids
    assert store.mark_read(ArticleQuery(ids=ids[:1]), whole_stories=True) == 1
    assert read_ids(store) == {ids[0]}


def test_unread_counts_per_source_and_topic_follow_what_is_read(
    store: Store, filled: dict[str, int]
) -> None:
    """Session 11: the sidebar's counts ("Security (3)"), off-topic included, on both backends;
    read articles leave them, a source with nothing unread is absent."""
    counts = store.unread_counts()
    assert counts.sources == {"lwn": 1, "hn": 2, "ars": 2}  # lwn's rust article is read
    assert counts.topics == {"security": 3, "off-topic": 2}
    store.mark_read(ArticleQuery(sources=["ars"]))
    counts = store.unread_counts()
    assert counts.sources == {"lwn": 1, "hn": 2}
    assert counts.topics == {"security": 2, "off-topic": 1}


def test_max_id_leaves_out_the_articles_stored_after_the_count(
    store: Store, filled: dict[str, int]
) -> None:
    """Session 11 review: "Mark all N matching as read" kept the filters, not what was counted:
    articles collected between the count and "Yes" were marked too.  ``max_id`` (the highest
    id when N was counted) keeps them out, on both backends."""
    counted = max(filled.values())
    late = store.upsert_articles([make_article(9, "hn", title="Collected after the count")])
    assert store.count_articles(ArticleQuery(read=False, max_id=counted)) == 5
    assert store.count_articles(ArticleQuery(read=False)) == 6
    assert store.mark_read(ArticleQuery(read=False, max_id=counted)) == 5
    assert read_ids(store) == set(filled.values())
    assert store.count_articles(ArticleQuery(read=False)) == 1
    assert [a.id for a in store.query_articles(ArticleQuery(read=False))] == late.new_ids


def test_max_id_also_bounds_the_copies_of_the_counted_stories(
    store: Store, filled: dict[str, int]
) -> None:
    """A copy of a counted story collected after the count stays unread with whole_stories."""
    from watch.store import ClassificationUpdate

    counted = max(filled.values())
    (late,) = store.upsert_articles([make_article(9, "ars", title="A late copy")]).new_ids
    store.update_classification([ClassificationUpdate(late, [], 1.0, {}, [], cluster_id=7)])
    store.mark_read(ArticleQuery(sources=["lwn"], max_id=counted), whole_stories=True)
    assert {filled["kernel_patch"], filled["roundup"]} <= read_ids(store)
    assert late not in read_ids(store)
