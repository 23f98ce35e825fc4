"""The storage contract: every test runs on SQLite (a temp file) and PostgreSQL (a fresh db)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from watch.models import Article, Feedback, FetchLogEntry, SourceState, TopicMatch
from watch.store import (
    ArticleQuery,
    ClassificationUpdate,
    DigestRecord,
    ReadOnlyStoreError,
    open_store,
)
from watch.store.base import MAX_NOTE, Store
from watch.store.sql import SqlStore
from watch.store.sql_migrate import head_revision

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
        "url": f"https://{source}.example.org/{n}?utm_source=x",
        "canonical_url": f"https://{source}.example.org/{n}",
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
    assert isinstance(store, SqlStore) and store.schema_version() == head_revision()
    assert store.count_articles(ArticleQuery()) == 1


def test_a_database_of_the_first_schema_is_upgraded_keeping_its_feedback(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.support.schema import downgrade

    (article_id,) = store.upsert_articles([make_article(1)]).new_ids
    store.add_feedback(Feedback(article_id=article_id, kind="up"))
    downgrade(store, "0001")
    assert store.schema_version() == "0001"
    store.migrate()
    upgraded = f"database schema upgraded from revision 0001 to {head_revision()}"
    assert [r.getMessage() for r in caplog.records if "schema" in r.getMessage()] == [upgraded]
    store.migrate()
    assert [r.getMessage() for r in caplog.records if "schema" in r.getMessage()] == [upgraded]
    (vote,) = store.list_feedback()
    assert (vote.article_id, vote.kind, vote.topics) == (article_id, "up", None)


def test_articles_written_before_and_after_the_search_index_upgrade_are_found(
    store: Store,
) -> None:
    """Session 11: revision 0010 replaced SQLite's per-row insert trigger by one statement per
    batch; what an older watch indexed stays found once, and so does what comes after."""
    from tests.support.schema import downgrade

    (first,) = store.upsert_articles([make_article(1, title="Written before")]).new_ids
    downgrade(store, "0009")
    assert isinstance(store, SqlStore)
    with store._write() as conn:  # what watch at revision 0009 wrote (its trigger indexed it)
        conn.exec_driver_sql(
            "INSERT INTO articles (source, guid, url, canonical_url, title, summary_html,"
            " summary_text, published, fetched_at, date_from_feed, topics, score, score_parts,"
            " explanation, read, starred, vote) SELECT source, 'older', url, canonical_url,"
            " 'Written by the older watch', summary_html, summary_text, published, fetched_at,"
            " date_from_feed, topics, score, score_parts, explanation, read, starred, vote"
            f" FROM articles WHERE id = {first}"
        )
    store.migrate()
    store.upsert_articles([make_article(3, title="Written after the upgrade")])
    assert search_entries(store, "older") == search_entries(store, "upgrade") == 1
    assert len(ids_of(store, text="written")) == 3


def test_a_database_of_a_newer_watch_is_refused_in_words_not_a_traceback(store: Store) -> None:
    """Going back to an older checkout after an upgrade: Alembic's "Can't locate revision"."""
    from watch.store.sql_migrate import NewerSchema

    assert isinstance(store, SqlStore)
    with store._write() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(NewerSchema) as refused:
        store.migrate()
    assert str(refused.value) == (
        f"this database was upgraded by a newer watch (schema revision 0099; this version "
        f"knows up to {head_revision()}): run that version, or restore the backup made before "
        "upgrading"
    )


def test_migrations_create_exactly_the_declared_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from watch.store.schema import metadata

    assert isinstance(store, SqlStore)
    with store._engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    dialect_only = {"articles_fts", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize"}
    dialect_only |= {"articles_fts_config", "alembic_version"}
    dialect_only |= {name.replace("articles", "article_texts") for name in dialect_only}
    unexpected = [
        d
        for d in diff
        if not (d[0] == "remove_table" and d[1].name in dialect_only)
        and not (d[0] == "remove_column" and d[3].name == "search_vector")
        and not (
            d[0] == "remove_index"
            and d[1].name in ("ix_articles_search", "ix_article_texts_search")
        )
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


def test_update_replaces_topics_when_given_and_scores_only_with_a_cluster(store: Store) -> None:
    (article_id,) = store.upsert_articles([make_article(1, score=40.0)]).new_ids
    retopiced = make_article(1, topics=[TopicMatch("ai", 0.7, ["llm"])], score=99.0)
    assert store.upsert_articles([retopiced]).updated_ids == [article_id]
    stored = store.get_article(article_id)
    assert stored is not None and stored.topics == [TopicMatch("ai", 0.7, ["llm"])]
    assert stored.score == 40.0 and ids_of(store, topics=["ai"]) == [article_id]

    clustered = make_article(
        1, score=88.0, score_parts={"topic": 88.0}, explanation=["ai"], cluster_id=3
    )
    assert store.upsert_articles([clustered]).updated == 1
    stored = store.get_article(article_id)
    assert stored is not None and (stored.score, stored.cluster_id) == (88.0, 3)
    assert stored.score_parts == {"topic": 88.0} and stored.explanation == ["ai"]
    assert [t.name for t in stored.topics] == ["ai"]
    assert store.upsert_articles([clustered]).updated == 0


def test_before_insert_sees_the_new_ids_and_its_changes_are_stored(store: Store) -> None:
    (known,) = store.upsert_articles([make_article(1)]).new_ids
    seen: list[tuple[int, str]] = []

    def cluster_and_score(new: Any) -> None:
        for article_id, article in new:
            seen.append((article_id, article.guid))
            article.cluster_id, article.score = known, 55.0

    result = store.upsert_articles(
        [make_article(1, title="edited"), make_article(2), make_article(3)],
        before_insert=cluster_and_score,
    )
    assert seen == [(i, f"blog-{n}") for i, n in zip(result.new_ids, (2, 3), strict=True)]
    assert result.updated_ids == [known]  # an update never goes through before_insert
    for article_id in result.new_ids:
        stored = store.get_article(article_id)
        assert stored is not None and (stored.cluster_id, stored.score) == (known, 55.0)


def test_a_failing_before_insert_stores_nothing_of_the_batch(store: Store) -> None:
    def broken(new: Any) -> None:
        raise RuntimeError("clustering failed")

    with pytest.raises(RuntimeError, match="clustering failed"):
        store.upsert_articles([make_article(1), make_article(2)], before_insert=broken)
    assert store.count_articles(ArticleQuery()) == 0
    assert store.upsert_articles([make_article(1)]).new == 1


def test_upsert_result_lists_ids_in_input_order_and_counts_per_source(store: Store) -> None:
    first = store.upsert_articles(
        [make_article(3, "b"), make_article(1, "a"), make_article(2, "a")]
    )
    assert [store.get_article(i).guid for i in first.new_ids] == ["b-3", "a-1", "a-2"]  # type: ignore[union-attr]
    assert first.new_by_source == {"a": 2, "b": 1} and first.updated_by_source == {}
    second = store.upsert_articles([make_article(1, "a", title="changed"), make_article(4, "b")])
    assert second.updated_ids == [first.new_ids[1]] and second.updated_by_source == {"a": 1}
    assert second.new_by_source == {"b": 1} and len(second.new_ids) == 1


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
    batch = [
        make_article(1, title="first copy"),
        make_article(2),
        make_article(1, title="last copy"),
    ]
    result = store.upsert_articles(batch)
    assert result.new == 2
    titles = {a.title for a in store.query_articles(ArticleQuery())}
    assert titles == {"last copy", "Article number 2"}


def test_batches_larger_than_one_transaction_chunk(store: Store) -> None:
    batch = [make_article(n, source=f"feed{n % 7}") for n in range(2100)]
    result = store.upsert_articles(batch)
    assert result.new == 2100 and len(set(result.new_ids)) == 2100
    assert sum(result.new_by_source.values()) == 2100 and result.new_by_source["feed0"] == 300
    assert store.upsert_articles(batch).updated == 0
    assert store.count_articles(ArticleQuery()) == 2100


def test_non_latin_and_huge_text_are_stored_and_searched(store: Store) -> None:
    words = " ".join(f"filler{i}" for i in range(60_000))
    huge = make_article(
        1, title="Opening needle", summary_text=f"{words} closing", summary_html="<p>x</p>" * 50_000
    )
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


# -- queries -------------------------------------------------------------------
@pytest.fixture
def filled(store: Store) -> dict[str, int]:
    """Six articles over three sources with topics, scores, flags and one cluster."""
    articles = [
        make_article(
            1, "lwn", title="Sécurité du noyau", score=90.0, topics=[TopicMatch("security", 0.9)]
        ),
        make_article(
            2, "lwn", title="Rust in the kernel", score=70.0, topics=[TopicMatch("rust", 0.7)]
        ),
        make_article(
            3, "hn", title="Kernel security patch", score=80.0, topics=[TopicMatch("security", 0.6)]
        ),
        make_article(4, "hn", title="Cooking with kids", score=10.0),
        make_article(
            5,
            "ars",
            title="Patch Tuesday security roundup",
            score=85.0,
            topics=[TopicMatch("security", 0.8)],
        ),
        make_article(6, "ars", title="Old news", score=50.0, published=NOW - timedelta(days=30)),
    ]
    ids = store.upsert_articles(articles).new_ids
    names = dict(
        zip(["secu_fr", "rust", "kernel_patch", "cooking", "roundup", "old"], ids, strict=True)
    )
    store.update_classification(
        [
            ClassificationUpdate(
                names["kernel_patch"],
                [TopicMatch("security", 0.6)],
                80.0,
                {"topic": 80.0},
                [],
                cluster_id=7,
            ),
            ClassificationUpdate(
                names["roundup"],
                [TopicMatch("security", 0.8)],
                85.0,
                {"topic": 85.0},
                [],
                cluster_id=7,
            ),
            ClassificationUpdate(
                names["secu_fr"],
                [TopicMatch("security", 0.9)],
                90.0,
                {"topic": 90.0},
                [],
                cluster_id=7,
            ),
        ]
    )
    store.set_flags(names["rust"], read=True)
    store.set_flags(names["cooking"], starred=True)
    return names


def test_text_search_folds_case_and_accents_and_prefixes_the_last_word(
    store: Store, filled: dict[str, int]
) -> None:
    assert ids_of(store, text="securite") == [filled["secu_fr"]]
    assert ids_of(store, text="SÉCURITÉ noyau") == [filled["secu_fr"]]
    assert set(ids_of(store, text="secur")) == {
        filled["secu_fr"],
        filled["kernel_patch"],
        filled["roundup"],
    }
    assert set(ids_of(store, text="kernel")) == {filled["rust"], filled["kernel_patch"]}
    assert ids_of(store, text="kernel patch") == [filled["kernel_patch"]]
    assert store.count_articles(ArticleQuery(text="security")) == 2


def test_language_names_with_symbols_are_searched_as_written(store: Store) -> None:
    titles = [
        "What's new in C++ 26",
        "C# 13 and .NET 9 released",
        "Network cables explained",
        "Compilers written in C",
        "Cooking tips",
        "A Go tour",
    ]
    ids = store.upsert_articles([make_article(n, title=t) for n, t in enumerate(titles)]).new_ids
    assert ids_of(store, text="C++") == [ids[0]]
    assert ids_of(store, text="c#") == [ids[1]]
    assert ids_of(store, text=".NET") == [ids[1]]
    assert ids_of(store, text="new C++") == [ids[0]]
    assert set(ids_of(store, text="c")) == set(ids[:5]), "a prefix, as before"


def test_words_joined_by_punctuation_are_found_one_by_one(store: Store) -> None:
    """Versions, host names, paths, addresses and HTML written as text: every word counts
    (PostgreSQL's parser kept "3.12", "trailers.apple.com", "/r/food" whole and dropped
    "<dialog>", so those words were found on SQLite only)."""
    texts = [
        "Python 3.12 released",
        "watch the trailer on trailers.apple.com today",
        "defaults write com.apple.dock autohide-delay",
        "submitted by u/ada to /r/food",
        "use the <dialog> element & friends",
        "write to ada@example.org, or call +33-1-23",
        "an M.2 SSD at 5.5 GB/s",
    ]
    ids = store.upsert_articles(
        [make_article(n, title=f"Note {n}", summary_text=t) for n, t in enumerate(texts)]
    ).new_ids
    assert ids_of(store, text="python 3.12") == [ids[0]]
    assert ids_of(store, text="12 released") == [ids[0]]
    assert set(ids_of(store, text="apple")) == {ids[1], ids[2]}
    assert ids_of(store, text="dock") == [ids[2]]
    assert ids_of(store, text="food") == [ids[3]]
    assert ids_of(store, text="dialog element") == [ids[4]]
    assert ids_of(store, text="example org") == [ids[5]]
    assert ids_of(store, text="33") == [ids[5]]
    assert ids_of(store, text="ssd 2") == [ids[6]]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        "kernel OR",
        "NEAR(a b)",
        "a AND",
        "*",
        "title:x",
        "-x",
        "a & b | !c",
        "(",
        ":*",
        "\\",
        "^",
    ],
)
def test_search_syntax_in_user_text_is_never_interpreted(
    store: Store, filled: dict[str, int], text: str
) -> None:
    store.query_articles(ArticleQuery(text=text))
    assert store.count_articles(ArticleQuery(text=text)) >= 0


def test_text_without_words_does_not_filter(store: Store, filled: dict[str, int]) -> None:
    assert store.count_articles(ArticleQuery(text="  ?! ")) == 6


def test_topic_and_off_topic_filters(store: Store, filled: dict[str, int]) -> None:
    security = {filled["secu_fr"], filled["kernel_patch"], filled["roundup"]}
    assert set(ids_of(store, topics=["security"])) == security
    assert set(ids_of(store, topics=["off-topic"])) == {filled["cooking"], filled["old"]}
    assert set(ids_of(store, topics=["rust", "off-topic"])) == {
        filled["rust"],
        filled["cooking"],
        filled["old"],
    }
    assert ids_of(store, topics=[]) == []


def test_source_date_score_and_flag_filters(store: Store, filled: dict[str, int]) -> None:
    assert set(ids_of(store, sources=["hn"])) == {filled["kernel_patch"], filled["cooking"]}
    assert ids_of(store, until=NOW - timedelta(days=1)) == [filled["old"]]
    recent = ids_of(store, since=NOW - timedelta(days=1), order="published")
    assert recent == [filled[n] for n in ("secu_fr", "rust", "kernel_patch", "cooking", "roundup")]
    assert ids_of(store, since=NOW - timedelta(hours=2), until=NOW - timedelta(hours=1)) == [
        filled["rust"]
    ]
    assert ids_of(store, min_score=85) == [filled["secu_fr"], filled["roundup"]]
    assert ids_of(store, read=True) == [filled["rust"]]
    assert ids_of(store, starred=True) == [filled["cooking"]]
    assert store.count_articles(ArticleQuery(read=False)) == 5
    assert ids_of(store, ids=[filled["old"], filled["rust"]], order="id") == sorted(
        [filled["old"], filled["rust"]]
    )


def test_order_limit_offset_and_count(store: Store, filled: dict[str, int]) -> None:
    by_score = ids_of(store, limit=100)
    assert by_score == [
        filled[n] for n in ("secu_fr", "roundup", "kernel_patch", "rust", "old", "cooking")
    ]
    assert ids_of(store, limit=2, offset=1) == by_score[1:3]
    assert ids_of(store, order="id") == sorted(filled.values())
    assert ids_of(store, order="published")[-1] == filled["old"]
    assert store.count_articles(ArticleQuery(limit=1, offset=3)) == 6
    with pytest.raises(ValueError):
        store.query_articles(ArticleQuery(order="random"))


def test_one_per_cluster_keeps_the_best_scored_member(store: Store, filled: dict[str, int]) -> None:
    best = ids_of(store, one_per_cluster=True, limit=100)
    assert best == [filled[n] for n in ("secu_fr", "rust", "old", "cooking")]
    assert store.count_articles(ArticleQuery(one_per_cluster=True)) == 4
    within_hn = ids_of(store, one_per_cluster=True, sources=["hn", "ars"])
    assert within_hn == [filled["roundup"], filled["old"], filled["cooking"]]
    assert store.count_articles(ArticleQuery(one_per_cluster=True, sources=["hn", "ars"])) == 3


def test_min_id_keeps_the_articles_stored_after_it_best_of_each_story_among_them(
    store: Store, filled: dict[str, int]
) -> None:
    after = filled["secu_fr"]  # the best of story 7: its other copies came after it
    assert ids_of(store, min_id=after, order="id") == sorted(set(filled.values()) - {after})
    best = ids_of(store, min_id=after, one_per_cluster=True)
    assert best == [filled[n] for n in ("roundup", "rust", "old", "cooking")]
    assert store.count_articles(ArticleQuery(min_id=after, one_per_cluster=True)) == 4
    window = ids_of(store, min_id=after, max_id=filled["kernel_patch"], topics=["security"])
    assert window == [filled["kernel_patch"]]
    assert ids_of(store, min_id=max(filled.values())) == []


def test_one_per_cluster_with_text_search_ranks_only_the_matches(
    store: Store, filled: dict[str, int]
) -> None:
    assert ids_of(store, one_per_cluster=True, text="secur") == [filled["secu_fr"]]
    assert ids_of(store, one_per_cluster=True, text="patch") == [filled["roundup"]]
    assert ids_of(store, one_per_cluster=True, text="kernel") == [
        filled["kernel_patch"],
        filled["rust"],
    ]
    assert store.count_articles(ArticleQuery(one_per_cluster=True, text="kernel")) == 2
    assert ids_of(store, one_per_cluster=True, text="kernel", order="id") == sorted(
        [filled["kernel_patch"], filled["rust"]]
    )


def test_cluster_size_and_other_sources_are_filled(store: Store, filled: dict[str, int]) -> None:
    (head,) = store.query_articles(ArticleQuery(ids=[filled["secu_fr"]]))
    assert (head.cluster_size, head.cluster_sources) == (3, ["ars", "hn"])
    alone = store.get_article(filled["cooking"])
    assert alone is not None and (alone.cluster_size, alone.cluster_sources) == (1, [])
    members = store.cluster_members(7)
    assert [m.id for m in members] == [filled["secu_fr"], filled["roundup"], filled["kernel_patch"]]


def test_coverage_counts_sites_not_feeds(store: Store) -> None:
    """Two feeds of one blog (one home page, "www." or not) are one source of the story, and
    the article's own site is never "another source"; an aggregator linking the original is
    another site (its home page is its own); a source with no home page known is its feed's
    host."""
    homes = {
        "blog_rss": ("https://www.blog.example/", "https://blog.example/feed.xml"),
        "blog_json": ("https://blog.example/", "https://blog.example/feed.json"),
        "mag": (None, "https://mag.example/rss"),
        "hn": ("https://news.ycombinator.com/", "https://hnrss.org/frontpage"),
    }
    for name, (home, feed) in homes.items():
        store.save_source_state(SourceState(name=name, status="ok", home_url=home, url=feed))
    stored = [
        make_article(1, "blog_rss", canonical_url="https://blog.example/story"),
        make_article(2, "blog_json", canonical_url="https://blog.example/story"),
        make_article(3, "mag", canonical_url="https://mag.example/the-story"),
        make_article(4, "hn", canonical_url="https://blog.example/story"),
    ]
    ids = store.upsert_articles(stored).new_ids
    store.update_classification(
        [ClassificationUpdate(i, [], 50.0, {}, [], cluster_id=ids[0]) for i in ids]
    )
    found = {a.source: a for a in store.query_articles(ArticleQuery(ids=ids, limit=10))}
    assert (found["blog_rss"].cluster_size, found["blog_rss"].cluster_sources) == (
        3,
        ["hn", "mag"],
    )
    assert found["blog_json"].cluster_sources == ["hn", "mag"]
    assert (found["mag"].cluster_size, found["mag"].cluster_sources) == (
        3,
        ["blog_json", "hn"],
    )
    assert found["hn"].cluster_sources == ["blog_json", "mag"]


def test_update_classification_replaces_topics_score_and_cluster(
    store: Store, filled: dict[str, int]
) -> None:
    update = ClassificationUpdate(
        filled["cooking"],
        [TopicMatch("rust", 0.55, ["mentions cargo"])],
        66.0,
        {"topic": 50.0, "source": 16.0},
        ["rust: mentions cargo"],
        cluster_id=None,
    )
    store.update_classification([update])
    stored = store.get_article(filled["cooking"])
    assert stored is not None
    assert stored.topics == [TopicMatch("rust", 0.55, ["mentions cargo"])]
    assert (stored.score, stored.score_parts, stored.explanation) == (
        66.0,
        {"topic": 50.0, "source": 16.0},
        ["rust: mentions cargo"],
    )
    assert set(ids_of(store, topics=["rust"])) == {filled["rust"], filled["cooking"]}
    store.update_classification([ClassificationUpdate(filled["secu_fr"], [], 5.0, {})])
    assert filled["secu_fr"] in ids_of(store, topics=["off-topic"])
    assert store.cluster_members(7)[0].id == filled["roundup"]


def test_update_scores_writes_the_score_and_keeps_topics_and_cluster(
    store: Store, filled: dict[str, int]
) -> None:
    before = store.get_article(filled["rust"])
    assert before is not None
    update = ClassificationUpdate(
        filled["rust"], [TopicMatch("cooking", 0.9)], 12.5, {"topic": 12.5}, ["why"], 99
    )
    store.update_scores([update])
    after = store.get_article(filled["rust"])
    assert after is not None
    assert (after.score, after.score_parts, after.explanation) == (12.5, {"topic": 12.5}, ["why"])
    assert (after.topics, after.cluster_id) == (before.topics, before.cluster_id)
    assert filled["rust"] in ids_of(store, topics=["rust"])
    assert filled["rust"] not in ids_of(store, topics=["cooking"])


def test_scoring_inputs_read_what_scoring_needs(store: Store, filled: dict[str, int]) -> None:
    store.add_feedback(Feedback(article_id=filled["rust"], kind="up"))
    wanted = [filled["roundup"], filled["rust"], 10**9, filled["rust"]]
    inputs = store.scoring_inputs(wanted)
    assert [i.id for i in inputs] == sorted({filled["roundup"], filled["rust"]})
    for item in inputs:
        stored = store.get_article(item.id)
        assert stored is not None
        assert (item.source, item.topics, item.published) == (
            stored.source,
            stored.topics,
            stored.published,
        )
        assert (item.date_from_feed, item.vote, item.cluster_id) == (
            stored.date_from_feed,
            stored.vote,
            stored.cluster_id,
        )
    assert {i.id: i.vote for i in inputs}[filled["rust"]] == 1
    assert store.scoring_inputs([]) == []


def test_iteration_and_stats(store: Store, filled: dict[str, int]) -> None:
    assert [a.id for a in store.iter_articles(batch=4)] == sorted(filled.values())
    assert list(store.iter_articles(since=NOW + timedelta(seconds=1))) == []
    stats = store.source_article_stats(since=NOW - timedelta(days=1))
    oldest = store.get_article(filled["roundup"]).published  # type: ignore[union-attr]
    assert stats["ars"] == {
        "articles": 2.0,
        "recent": 1.0,
        "on_topic": 0.5,
        "oldest_recent": oldest.timestamp(),
        "latest": oldest.timestamp(),
    }
    assert stats["lwn"]["on_topic"] == 1.0
    undated = [make_article(n, "page", published=NOW, date_from_feed=False) for n in (1, 2)]
    store.upsert_articles(undated)
    stats = store.source_article_stats(since=NOW - timedelta(days=1))
    assert stats["page"]["recent"] == 2.0 and "oldest_recent" not in stats["page"], (
        "first-seen times say nothing of when the source published"
    )
    assert "latest" not in stats["page"]


def test_stats_name_the_latest_dated_item_of_a_source_quiet_for_weeks(store: Store) -> None:
    """Session 10 (audit): atp's 100 items are all older than 4 weeks: ``recent`` is 0, and
    ``latest`` says when it last published (cadence: "no articles in 4 weeks (latest …)")."""
    latest = datetime(2019, 1, 24, 15, tzinfo=UTC)
    store.upsert_articles(
        [make_article(n, "atp", published=latest - timedelta(days=7 * n)) for n in range(3)]
        + [make_article(9, "atp", published=NOW, date_from_feed=False)]
    )
    stats = store.source_article_stats(since=NOW - timedelta(weeks=4))
    assert stats["atp"]["articles"] == 4.0 and stats["atp"]["latest"] == latest.timestamp()


def test_a_sources_undated_first_collection_can_be_left_out(store: Store) -> None:
    """Session 8 (digest and trends): what a source's first fetch brought without a date is
    dated by that fetch; ``undated_backlog=False`` leaves it out, not what later fetches bring
    nor what carries its own date."""
    later = NOW + timedelta(days=1)
    store.upsert_articles(
        [make_article(n, "page", published=NOW, date_from_feed=False) for n in (1, 2)]
        + [make_article(3, "page", published=NOW - timedelta(days=1), fetched_at=NOW)]
    )
    store.upsert_articles(
        [make_article(4, "page", published=later, fetched_at=later, date_from_feed=False)]
    )
    kept = store.query_articles(ArticleQuery(undated_backlog=False, order="id"))
    assert [a.guid for a in kept] == ["page-3", "page-4"]
    assert store.count_articles(ArticleQuery(undated_backlog=False)) == 2
    assert store.count_articles(ArticleQuery(undated_backlog=False, one_per_cluster=True)) == 2


def test_a_star_remembers_when_and_the_note_stays_the_teams(store: Store) -> None:
    """Session 8: a star picks an article for the digest of the week it is given, whatever
    the week the article was published; an older star without a time counts by publication.
    The note survives a re-fetch of the article and is cut at MAX_NOTE characters."""
    old = make_article(1, published=NOW - timedelta(days=30))
    store.upsert_articles([old, make_article(2), make_article(3)])
    ids = {a.guid: a.id for a in store.query_articles(ArticleQuery(limit=10))}
    before = datetime.now(UTC)
    store.set_flags(ids["blog-1"], starred=True)
    store.set_flags(ids["blog-2"], starred=True)
    store.set_flags(ids["blog-2"], starred=False)
    store.set_note(ids["blog-1"], "  Affects our client's stack.  ")
    store.upsert_articles([replace(old, title="Article number 1, updated")])
    picked = store.get_article(ids["blog-1"])
    assert picked is not None and picked.starred_at is not None and picked.starred_at >= before
    assert picked.note == "Affects our client's stack."
    assert store.get_article(ids["blog-2"]).starred_at is None  # type: ignore[union-attr]
    this_week = (before - timedelta(days=1), before + timedelta(days=1))
    assert ids_of(store, picked_between=this_week) == [ids["blog-1"]]
    month_ago = (NOW - timedelta(days=31), NOW - timedelta(days=29))
    assert ids_of(store, picked_between=month_ago) == []
    store.set_note(ids["blog-1"], "x" * 5000)
    assert len(store.get_article(ids["blog-1"]).note) == MAX_NOTE  # type: ignore[union-attr]
    store.set_note(ids["blog-1"], "")
    assert store.get_article(ids["blog-1"]).note == ""  # type: ignore[union-attr]


def test_starred_or_noted_lists_a_note_left_on_an_unstarred_article(
    store: Store, filled: dict[str, int]
) -> None:
    """Session 9: the board's "Starred or noted" filter; an unstarred article keeps its note
    until someone clears it, and an emptied note is no note."""
    store.set_note(filled["rust"], "Ask the platform team")
    store.set_note(filled["old"], "x")
    store.set_note(filled["old"], "  ")
    assert set(ids_of(store, starred_or_noted=True)) == {filled["cooking"], filled["rust"]}
    assert ids_of(store, starred=True) == [filled["cooking"]]
    neither = ids_of(store, starred_or_noted=False)
    assert len(neither) == 4 and filled["rust"] not in neither and filled["old"] in neither
    marked = ArticleQuery(starred_or_noted=True, read=False, one_per_cluster=True)
    assert [a.id for a in store.query_articles(marked)] == [filled["cooking"]]
    assert store.count_articles(ArticleQuery(starred_or_noted=True)) == 2


def test_the_picks_of_a_week_are_read_from_the_starred_index(tmp_path: Path) -> None:
    """Session 9: without it the week's picks scanned every article (100 ms at 100,000)."""
    from watch.store.sql_articles import page_statement

    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    assert isinstance(store, SqlStore)
    week = ArticleQuery(picked_between=(NOW - timedelta(days=7), NOW), order="score")
    noted = ArticleQuery(starred_or_noted=True, order="score")
    for query in (week, ArticleQuery(starred=True, order="score"), noted):
        select = page_statement(query, "sqlite")
        sql = str(select.compile(store._engine, compile_kwargs={"literal_binds": True}))
        with store._engine.connect() as conn:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "ix_articles_starred" in plan, plan
        assert "ix_articles_noted" in plan or query is not noted, plan
    store.close()


def test_mark_all_read(store: Store, filled: dict[str, int]) -> None:
    store.mark_read(ArticleQuery(ids=[filled["old"], filled["cooking"]]))
    assert store.count_articles(ArticleQuery(read=True)) == 3
    store.set_flags(filled["old"], read=False)
    assert store.get_article(filled["old"]).read is False  # type: ignore[union-attr]
    assert store.get_article(10**9) is None


# -- feedback, sources, digests, meta -------------------------------------------
def test_feedback_sets_the_vote_and_persists(
    store: Store, store_url: str, filled: dict[str, int]
) -> None:
    first = store.add_feedback(Feedback(article_id=filled["rust"], kind="up"))
    store.add_feedback(Feedback(article_id=filled["cooking"], kind="down", at=NOW))
    store.add_feedback(Feedback(article_id=filled["rust"], kind="not_topic", topic="rust"))
    store.close()
    reopened = open_store(store_url)
    feedback = reopened.list_feedback()
    assert [(f.id, f.kind, f.topic) for f in feedback][0] == (first, "up", None)
    assert [f.kind for f in feedback] == ["up", "down", "not_topic"]
    assert feedback[1].at == NOW and all(f.at is not None and f.at.tzinfo for f in feedback)
    assert reopened.get_article(filled["rust"]).vote == 1  # type: ignore[union-attr]
    assert reopened.get_article(filled["cooking"]).vote == -1  # type: ignore[union-attr]
    reopened.close()


def test_a_vote_taken_back_clears_it_and_is_kept_as_feedback(
    store: Store, filled: dict[str, int]
) -> None:
    store.add_feedback(Feedback(article_id=filled["rust"], kind="up"))
    store.add_feedback(Feedback(article_id=filled["rust"], kind="unvote"))
    assert store.get_article(filled["rust"]).vote == 0  # type: ignore[union-attr]
    kept = [(f.kind, f.topics) for f in store.list_feedback()]
    assert kept == [("up", ("rust",)), ("unvote", ("rust",))]


def test_a_vote_is_on_the_story_not_only_on_the_copy_voted(store: Store) -> None:
    """Session 8: after a 👎 the board showed the same story again from its other source,
    "Dislike" not pressed: the vote now applies to every article of the story's cluster."""
    story = [make_article(n, source, cluster_id=None) for n, source in ((1, "lwn"), (2, "hn"))]
    alone = make_article(3, "lwn")
    ids = store.upsert_articles([*story, alone]).new_ids
    store.update_classification(
        [ClassificationUpdate(i, [], 50.0, {}, cluster_id=ids[0]) for i in ids[:2]]
    )
    store.add_feedback(Feedback(article_id=ids[1], kind="down"))
    votes = [store.get_article(i).vote for i in ids]  # type: ignore[union-attr]
    assert votes == [-1, -1, 0]
    store.add_feedback(Feedback(article_id=ids[0], kind="unvote"))
    assert [store.get_article(i).vote for i in ids] == [0, 0, 0]  # type: ignore[union-attr]
    assert [f.article_id for f in store.list_feedback()] == [ids[1], ids[0]], "as given"


def test_fetch_log_is_bounded_per_source_and_newest_first(store: Store) -> None:
    for n in range(8):
        store.add_fetch_log(FetchLogEntry("a", NOW + timedelta(minutes=n), "new", 200, n), keep=5)
    store.add_fetch_log(FetchLogEntry("b", NOW, "error", None, error="timeout"), keep=5)
    entries = store.fetch_log("a")
    assert [e.new_items for e in entries] == [7, 6, 5, 4, 3]
    assert entries[0].at == NOW + timedelta(minutes=7)
    assert len(store.fetch_log()) == 6 and store.fetch_log(limit=1)[0].source == "a"
    assert store.fetch_log("b")[0].error == "timeout"


def test_fetch_log_reads_the_attempts_of_a_time_window(store: Store) -> None:
    """Session 10: the digest counts the sources consulted IN its week, from the fetch log."""
    for day in range(-2, 9):
        store.add_fetch_log(FetchLogEntry("a", NOW + timedelta(days=day), "new", 200, day))
    store.add_fetch_log(FetchLogEntry("b", NOW + timedelta(days=3), "error", None))
    paris = timezone(timedelta(hours=1))
    since, until = (NOW + timedelta(hours=1)).astimezone(paris), NOW + timedelta(days=7)
    week = store.fetch_log(limit=None, since=since, until=until)
    assert [(e.source, e.new_items) for e in week] == [
        ("a", 6),
        ("a", 5),
        ("a", 4),
        ("b", 0),
        ("a", 3),
        ("a", 2),
        ("a", 1),
    ], "newest first; since is included, until is not; aware bounds in any zone"
    assert [e.new_items for e in store.fetch_log("a", limit=2, since=since)] == [8, 7]
    assert store.fetch_log(until=NOW - timedelta(days=2)) == []


def test_record_attempts_saves_states_and_bounded_logs_together(store: Store) -> None:
    records = [
        (
            SourceState(name=name, status="ok", items_seen=n),
            FetchLogEntry(name, NOW + timedelta(minutes=n), "new", 200, n),
        )
        for n in range(4)
        for name in ("a", "b")
    ]
    store.record_attempts(records, keep=3)
    store.record_attempts([])
    assert [(s.name, s.items_seen) for s in store.list_source_states()] == [("a", 3), ("b", 3)]
    assert [e.new_items for e in store.fetch_log("a")] == [3, 2, 1]
    assert len(store.fetch_log()) == 6


def test_source_state_round_trip_with_aware_datetimes(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    state = SourceState(
        name="lwn",
        status="error",
        etag='W/"abc"',
        last_modified="Mon, 02 Mar 2026 11:00:00 GMT",
        last_attempt=datetime(2026, 3, 2, 13, 0, tzinfo=paris),
        last_success=NOW - timedelta(days=1),
        last_error="HTTP 503",
        error_count=2,
        next_due=NOW + timedelta(minutes=30),
        items_seen=40,
        last_new=3,
        url="https://lwn.net/headlines/rss",
        empty_selector=True,
        title="LWN.net",
        home_url="https://lwn.net/",
    )
    store.save_source_state(state)
    stored = store.get_source_state("lwn")
    assert stored == state
    assert stored is not None and stored.last_attempt is not None
    assert stored.last_attempt.utcoffset() == timedelta(0) and stored.last_attempt == NOW
    store.save_source_state(SourceState(name="lwn", status="ok"))
    store.save_source_state(SourceState(name="arch"))
    assert [(s.name, s.status, s.etag) for s in store.list_source_states()] == [
        ("arch", "new", None),
        ("lwn", "ok", None),
    ]
    assert store.get_source_state("missing") is None


def test_renaming_a_source_moves_its_articles_state_log_and_discovered_feed(store: Store) -> None:
    store.upsert_articles([make_article(n, source="old-name") for n in range(3)])
    store.upsert_articles([make_article(9, source="other")])
    store.save_source_state(SourceState(name="old-name", status="ok", etag='"e1"'))
    store.add_fetch_log(FetchLogEntry("old-name", NOW, "new", 200, 3))
    store.set_meta("discovered:old-name", '{"from": "a", "feed": "b"}')
    assert store.rename_source("old-name", "new-name") == 3
    assert ids_of(store, sources=["old-name"]) == []
    assert (
        len(ids_of(store, sources=["new-name"])) == 3 and len(ids_of(store, sources=["other"])) == 1
    )
    assert store.get_source_state("old-name") is None
    renamed = store.get_source_state("new-name")
    assert renamed is not None and renamed.etag == '"e1"'
    assert [e.source for e in store.fetch_log("new-name")] == ["new-name"]
    assert store.get_meta("discovered:new-name") and store.get_meta("discovered:old-name") is None
    store.upsert_articles([make_article(0, source="new-name", guid="old-name-0")])  # seen again
    assert len(ids_of(store, sources=["new-name"])) == 3


# -- retention -------------------------------------------------------------------
YEAR_AGO = NOW - timedelta(days=365)
OLD = {"published": NOW - timedelta(days=400), "fetched_at": NOW - timedelta(days=390)}


def fill_for_retention(store: Store) -> dict[str, int]:
    """Two sources; old articles to keep (starred, noted, judged, first collected, recently
    first seen) and to delete, one of them in a story another source keeps a member of."""
    security = [TopicMatch("security", 0.9)]
    store.upsert_articles(
        [
            make_article(0, "blog", published=NOW - timedelta(days=500), fetched_at=NOW - timedelta(days=500)),
            *(make_article(n, "blog", **OLD) for n in (1, 2, 3, 5)),
            make_article(4, "blog", title="Zanzibar kernel flaw", topics=security, cluster_id=100, **OLD),
            make_article(7, "blog", published=NOW - timedelta(days=400), fetched_at=NOW - timedelta(days=2)),
            make_article(0, "other", published=NOW - timedelta(days=600), fetched_at=NOW - timedelta(days=600)),
            make_article(1, "other", title="Zanzibar kernel flaw, again", cluster_id=100, **OLD),
            make_article(3, "other", title="Zanzibar flaw patched", cluster_id=100),
            make_article(9, "blog", published=NOW - timedelta(hours=1)),
            make_article(2, "other", published=NOW - timedelta(hours=1)),
        ]
    )  # fmt: skip
    ids = {a.guid: a.id for a in store.query_articles(ArticleQuery(limit=100))}
    store.set_flags(ids["blog-1"], starred=True)
    store.set_note(ids["blog-2"], "For the architects")
    store.add_feedback(Feedback(article_id=ids["blog-3"], kind="not_topic", topic="security"))
    return ids


def topic_rows(store: Store, article_id: int) -> int:
    assert isinstance(store, SqlStore)
    with store._read() as conn:
        stmt = sa.text("SELECT count(*) FROM article_topics WHERE article_id = :i")
        return int(conn.execute(stmt, {"i": article_id}).scalar_one())


def search_entries(store: Store, word: str) -> int:
    """Rows of the full-text index matching ``word`` (SQLite's FTS5 table; PostgreSQL's
    generated column goes with its row)."""
    assert isinstance(store, SqlStore)
    with store._read() as conn:
        if conn.dialect.name != "sqlite":
            return store.count_articles(ArticleQuery(text=word))
        stmt = sa.text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :w")
        return int(conn.execute(stmt, {"w": word}).scalar_one())


def test_prune_deletes_old_articles_with_their_topics_and_search_entries(store: Store) -> None:
    """Session 8 (retention): a dry run deletes nothing and counts as the real run does, in
    batches; the team's picks, judged articles, what dates a source and what was first seen
    lately stay; a story keeps its other members, counted from what is left."""
    ids = fill_for_retention(store)
    recent = NOW - timedelta(days=14)
    dry = store.prune_articles(YEAR_AGO, recent, dry_run=True, batch=2)
    assert store.count_articles(ArticleQuery()) == 12
    result = store.prune_articles(YEAR_AGO, recent, batch=2)
    expected_kept = {"starred": 2, "feedback": 1, "source": 2, "recent": 1}
    assert (dry.deleted, dry.kept) == (result.deleted, result.kept) == (3, expected_kept)
    assert result.stories == 1
    left = {a.guid for a in store.query_articles(ArticleQuery(limit=100))}
    assert left == set(ids) - {"blog-4", "blog-5", "other-1"}
    assert store.get_article(ids["blog-4"]) is None and topic_rows(store, ids["blog-4"]) == 0
    assert search_entries(store, "zanzibar") == 1  # "Zanzibar flaw patched" only
    survivor = store.get_article(ids["other-3"])
    assert survivor is not None and (survivor.cluster_size, survivor.cluster_sources) == (1, [])
    assert len(store.list_feedback()) == 1
    again = store.prune_articles(YEAR_AGO, recent)
    assert (again.deleted, again.stories) == (0, 0)


def test_a_pruned_article_listed_again_is_not_new_until_its_guid_is_forgotten(
    store: Store,
) -> None:
    """Session 8 (retention): a feed still listing a deleted article does not bring it back;
    its tombstone stays while listed (seen again a day later or more) and follows a renamed
    source; one no feed listed since is forgotten, and its article is new again."""
    ids = fill_for_retention(store)
    top = max(ids.values())
    store.prune_articles(YEAR_AGO, NOW - timedelta(days=14))
    listed_later = datetime.now(UTC) + timedelta(days=3)
    relisted = [make_article(n, "blog", **{**OLD, "fetched_at": listed_later}) for n in (4, 5)]
    result = store.upsert_articles(relisted[:1] + [make_article(10, "blog")])
    assert (result.new, result.updated) == (1, 0) and result.new_ids[0] > top
    within_a_day = replace(relisted[1], fetched_at=datetime.now(UTC) + timedelta(hours=6))
    assert store.upsert_articles([within_a_day]).new == 0  # not new; its seen time unchanged
    assert store.rename_source("blog", "journal") == 7
    assert store.forget_pruned(datetime.now(UTC) + timedelta(days=1)) == 2  # other-1, blog-5
    moved = [replace(a, source="journal") for a in relisted]
    assert [a.guid for a in store.upsert_articles(moved).new_articles] == ["blog-5"]


def test_storage_size_and_compaction(store: Store) -> None:
    """Session 8 (retention): SQLite says how much of its file deletions freed and VACUUM gives
    it back; PostgreSQL says its size and reclaims space by itself."""
    store.upsert_articles([make_article(n, summary_text="x" * 5000, **OLD) for n in range(300)])
    store.upsert_articles([make_article(1000)])
    assert store.prune_articles(YEAR_AGO, NOW).deleted == 299  # the first collected stays
    size = store.storage_size()
    assert size.total > 0
    assert isinstance(store, SqlStore)
    if store._dialect == "sqlite":
        assert size.free is not None and size.free > 1_000_000
        assert store.compact() is True
        after = store.storage_size()
        assert after.free == 0 and after.total <= size.total - size.free
    else:
        assert size.free is None and store.compact() is False
    assert store.count_articles(ArticleQuery()) == 2


def test_digests_by_iso_week(store: Store) -> None:
    store.save_digest(
        DigestRecord(
            "2026-W09", "failed", 1, NOW, None, "SMTP 451", ["a@x.org"], NOW + timedelta(hours=1)
        )
    )
    store.save_digest(DigestRecord("2026-W10", "pending"))
    store.save_digest(DigestRecord("2026-W09", "sent", 2, NOW, NOW, None, ["a@x.org", "b@x.org"]))
    assert store.get_digest("2026-W09") == DigestRecord(
        "2026-W09", "sent", 2, NOW, NOW, None, ["a@x.org", "b@x.org"]
    )
    assert [d.week for d in store.list_digests()] == ["2026-W10", "2026-W09"]
    assert [d.week for d in store.list_digests(limit=1)] == ["2026-W10"]
    assert store.get_digest("2020-W01") is None


def test_meta_key_values(store: Store) -> None:
    assert store.get_meta("model.version") is None
    store.set_meta("model.version", "3")
    store.set_meta("model.version", "4")
    assert store.get_meta("model.version") == "4"


def test_meta_updates_from_two_processes_never_lose_each_other(store_url: str) -> None:
    """The board adds names to a request while the scheduler removes others: every change of
    both is kept (a read then a write apart lost one side's change)."""
    import threading

    stores = [open_store(store_url), open_store(store_url)]
    stores[0].set_meta("request", "")

    def add(store: Store, names: list[str]) -> None:
        for name in names:

            def with_name(current: str | None, name: str = name) -> str:
                time.sleep(0.001)  # widen the window between reading and writing
                return " ".join(sorted({*(current or "").split(), name}))

            store.update_meta("request", with_name)

    workers = [
        threading.Thread(target=add, args=(store, [f"{side}{n}" for n in range(15)]))
        for side, store in zip("ab", stores, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len((stores[0].get_meta("request") or "").split()) == 30
    for opened in stores:
        opened.close()


# -- read-only -----------------------------------------------------------------
def test_opening_without_migration_leaves_an_empty_database(store_url: str) -> None:
    bare = open_store(store_url, migrate=False)
    try:
        assert isinstance(bare, SqlStore) and bare.schema_version() is None
        bare.migrate()
        assert bare.schema_version() == head_revision() and bare.get_meta("x") is None
    finally:
        bare.close()


def test_read_only_store_reads_and_refuses_writes(store: Store, store_url: str) -> None:
    store.upsert_articles([make_article(1)])
    reader = open_store(store_url, read_only=True)
    try:
        assert reader.count_articles(ArticleQuery()) == 1
        with pytest.raises(ReadOnlyStoreError):
            reader.set_meta("x", "y")
        with pytest.raises(ReadOnlyStoreError):
            reader.upsert_articles([make_article(2)])
        assert isinstance(reader, SqlStore)
        with pytest.raises(sa.exc.DBAPIError), reader._engine.connect() as conn:
            conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('x', 'y')"))
            conn.commit()
    finally:
        reader.close()
    assert store.get_meta("x") is None


def test_sqlite_file_in_a_new_folder_is_created_with_wal(tmp_path: Path) -> None:
    created = open_store(f"sqlite:///{tmp_path / 'new' / 'folder' / 'watch.db'}")
    try:
        created.set_meta("k", "v")
        assert isinstance(created, SqlStore)
        with created._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    finally:
        created.close()


def test_sqlite_reader_is_not_blocked_by_a_writer_holding_a_transaction(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    writer_store = open_store(url)
    writer_store.upsert_articles([make_article(1)])
    reader = open_store(url, read_only=True)
    writer = sqlite3.connect(tmp_path / "watch.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE articles SET title = 'in flight'")
        started = datetime.now(UTC)
        assert [a.title for a in reader.query_articles(ArticleQuery())] == ["Article number 1"]
        assert reader.count_articles(ArticleQuery(text="article")) == 1
        assert datetime.now(UTC) - started < timedelta(seconds=2)
        writer.execute("COMMIT")
        assert [a.title for a in reader.query_articles(ArticleQuery())] == ["in flight"]
    finally:
        writer.close()
        reader.close()
        writer_store.close()


def test_sqlite_writer_is_not_blocked_by_a_reader_holding_a_transaction(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    writer_store = open_store(url)
    writer_store.upsert_articles([make_article(1)])
    reader = sqlite3.connect(tmp_path / "watch.db", isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        started = datetime.now(UTC)
        assert writer_store.upsert_articles([make_article(2)]).new == 1
        writer_store.set_flags(1, read=True)
        assert datetime.now(UTC) - started < timedelta(seconds=2)
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    finally:
        reader.close()
        writer_store.close()
