"""The storage contract: every test runs on SQLite (a temp file) and PostgreSQL (a fresh db)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from watch.models import Article, Feedback, FetchLogEntry, SourceState, TopicMatch
from watch.store import ArticleQuery, ClassificationUpdate, DigestRecord, ReadOnlyStoreError, open_store
from watch.store.base import Store
from watch.store.sql import SqlStore

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'watch.db'}"
    return str(request.getfixturevalue("pg_store_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def make_article(n: int, source: str = "blog", **changes: Any) -> Article:
    values: dict[str, Any] = {
        "source": source,
        "guid": f"{source}-{n}",
        "url": f"https://example.org/{source}/{n}?utm_source=x",
        "canonical_url": f"https://example.org/{source}/{n}",
        "title": f"Article number {n}",
        "summary_html": f"<p>Summary of article {n}</p>",
        "summary_text": f"Summary of article {n}",
        "author": "Ada",
        "published": NOW - timedelta(hours=n),
        "fetched_at": NOW,
    }
    values.update(changes)
    return Article(**values)


def ids_of(store: Store, **query: Any) -> list[int]:
    return [a.id for a in store.query_articles(ArticleQuery(**query))]


# -- lifecycle -----------------------------------------------------------------
def test_migrating_twice_is_a_no_op_and_keeps_data(store: Store) -> None:
    store.upsert_articles([make_article(1)])
    store.migrate()
    store.migrate()
    assert isinstance(store, SqlStore) and store.schema_version() == "0001"
    assert store.count_articles(ArticleQuery()) == 1


def test_migrations_create_exactly_the_declared_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from watch.store.schema import metadata

    assert isinstance(store, SqlStore)
    with store._engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    dialect_only = {"articles_fts", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize"}
    dialect_only |= {"articles_fts_config", "alembic_version"}
    unexpected = [
        d
        for d in diff
        if not (d[0] == "remove_table" and d[1].name in dialect_only)
        and not (d[0] == "remove_column" and d[3].name == "search_vector")
        and not (d[0] == "remove_index" and d[1].name == "ix_articles_search")
    ]
    assert unexpected == []


# -- upsert --------------------------------------------------------------------
def test_upsert_inserts_new_then_ignores_unchanged_then_updates_changed(store: Store) -> None:
    first = store.upsert_articles([make_article(1), make_article(2)])
    assert (first.new, first.updated, len(first.new_ids)) == (2, 0, 2)

    again = store.upsert_articles([make_article(1), make_article(2)])
    assert (again.new, again.updated, again.new_ids) == (0, 0, [])

    edited = make_article(2, title="Article number 2 (corrected)", summary_text="New words here")
    changed = store.upsert_articles([make_article(1), edited, make_article(3)])
    assert (changed.new, changed.updated) == (1, 1)
    stored = store.get_article(first.new_ids[1])
    assert stored is not None and stored.title == "Article number 2 (corrected)"
    assert ids_of(store, text="corrected") == [first.new_ids[1]]
    assert ids_of(store, text="number 2") == [first.new_ids[1]]
    assert store.count_articles(ArticleQuery()) == 3


def test_changed_guid_falls_back_on_canonical_url_and_title(store: Store) -> None:
    first = store.upsert_articles([make_article(1)])
    renamed = make_article(1, guid="tag:example.org,2026:new-guid", summary_text="Updated text")
    result = store.upsert_articles([renamed])
    assert (result.new, result.updated) == (0, 1)
    stored = store.get_article(first.new_ids[0])
    assert stored is not None
    assert (stored.guid, stored.summary_text) == ("tag:example.org,2026:new-guid", "Updated text")
    other_title = make_article(1, guid="another", title="A different article, same URL")
    assert store.upsert_articles([other_title]).new == 1


def test_update_keeps_user_flags_first_seen_time_and_classification(store: Store) -> None:
    classified = make_article(1, topics=[TopicMatch("rust", 0.8, ["keyword: rust"])], score=71.5)
    (article_id,) = store.upsert_articles([classified]).new_ids
    store.set_flags(article_id, read=True, starred=True)
    store.add_feedback(Feedback(article_id=article_id, kind="up"))

    later = NOW + timedelta(days=1)
    refetched = make_article(1, title="Retitled", fetched_at=later)
    assert store.upsert_articles([refetched]).updated == 1
    stored = store.get_article(article_id)
    assert stored is not None
    assert (stored.read, stored.starred, stored.vote) == (True, True, 1)
    assert stored.fetched_at == NOW and stored.title == "Retitled"
    assert stored.score == 71.5 and [t.name for t in stored.topics] == ["rust"]


def test_published_moves_only_when_the_feed_gives_a_date(store: Store) -> None:
    (article_id,) = store.upsert_articles([make_article(1)]).new_ids
    undated = make_article(1, published=NOW + timedelta(days=3), date_from_feed=False)
    assert store.upsert_articles([undated]).updated == 0
    redated = make_article(1, published=NOW - timedelta(days=9))
    assert store.upsert_articles([redated]).updated == 1
    stored = store.get_article(article_id)
    assert stored is not None and stored.published == NOW - timedelta(days=9)


def test_fewer_items_never_deletes(store: Store) -> None:
    store.upsert_articles([make_article(n) for n in range(10)])
    store.upsert_articles([make_article(0)])
    store.upsert_articles([])
    assert store.count_articles(ArticleQuery()) == 10


def test_duplicate_guids_in_one_batch_last_one_wins(store: Store) -> None:
    batch = [make_article(1, title="first copy"), make_article(2), make_article(1, title="last copy")]
    result = store.upsert_articles(batch)
    assert result.new == 2
    titles = {a.title for a in store.query_articles(ArticleQuery())}
    assert titles == {"last copy", "Article number 2"}


def test_batches_larger_than_one_transaction_chunk(store: Store) -> None:
    batch = [make_article(n, source=f"feed{n % 7}") for n in range(4500)]
    result = store.upsert_articles(batch)
    assert result.new == 4500 and len(set(result.new_ids)) == 4500
    assert store.upsert_articles(batch).updated == 0
    assert store.count_articles(ArticleQuery()) == 4500


def test_non_latin_and_huge_text_are_stored_and_searched(store: Store) -> None:
    words = " ".join(f"filler{i}" for i in range(60_000))
    huge = make_article(1, title="Opening needle", summary_text=f"{words} closing", summary_html="<p>x</p>" * 50_000)
    russian = make_article(2, title="Новая версия ядра Linux", summary_text="Выпуск ядра")
    greek = make_article(3, title="Ασφάλεια δικτύων", summary_text="")
    chinese = make_article(4, title="开源 数据库 发布", summary_text="emoji 🚀 ok")
    ids = store.upsert_articles([huge, russian, greek, chinese]).new_ids
    stored = store.get_article(ids[0])
    assert stored is not None and len(stored.summary_text) == len(huge.summary_text)
    assert ids_of(store, text="needle") == [ids[0]]
    assert ids_of(store, text="ядра") == [ids[1]]
    assert ids_of(store, text="ασφάλεια") == [ids[2]]
    assert ids_of(store, text="数据库") == [ids[3]]
    got = store.get_article(ids[3])
    assert got is not None and got.summary_text == "emoji 🚀 ok"
