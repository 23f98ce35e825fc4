"""The board's search looks in the text read from an article's page (``full_text:``) too.

Each term may be in the title, the summary or the page text; a phrase within one of them.
Every test runs on SQLite (FTS5 ``article_texts_fts``) and PostgreSQL (``article_texts``'s
``search_vector``) through the contract suite's ``store`` fixture, and asserts the same
articles on both.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.test_store_contract import NOW, OLD, YEAR_AGO, make_article, store, store_url
from watch.models import ArticleText
from watch.store import ArticleQuery
from watch.store.base import Store
from watch.store.schema import article_texts
from watch.store.sql import SqlStore

CONTRACT_FIXTURES = (store_url, store)
"""The contract suite's fixtures, used here by name: each test runs on SQLite and PostgreSQL."""

ARTICLES = {
    # name: (title, summary, page text or None when no page was read)
    "kernel": ("Linux 7.0 released", "A short note", "The scheduler now handles zanzibar cores."),
    "apple": ("Apple opens a shop", "In Lyon", "The store sells the new tablet. C++ is not sold."),
    "feed_only": ("Store hours in Lyon", "Open on Sunday", None),
    "failed": ("Tablet review", "Zanzibar edition", ""),
    "phrase": ("Release notes", "Written by the team", "Queues formed at dawn outside."),
}


@pytest.fixture
def named(store: Store) -> dict[str, int]:
    ids = store.upsert_articles(
        [
            make_article(n, title=title, summary_text=summary, summary_html=f"<p>{summary}</p>")
            for n, (title, summary, _) in enumerate(ARTICLES.values())
        ]
    ).new_ids
    named = dict(zip(ARTICLES, ids, strict=True))
    texts = [
        ArticleText(named[name], f"<p>{text}</p>", text, NOW)
        if text
        else ArticleText(named[name], fetched_at=NOW, error="no article text found")
        for name, (_, _, text) in ARTICLES.items()
        if text is not None
    ]
    store.save_article_texts(texts)
    return named


def found(store: Store, text: str, named: dict[str, int]) -> set[str]:
    by_id = {article_id: name for name, article_id in named.items()}
    query = ArticleQuery(text=text, limit=100)
    assert store.count_articles(query) == len(store.query_articles(query))
    return {by_id[article.id] for article in store.query_articles(query)}


def text_index_entries(store: Store, word: str) -> int:
    """Page texts the full-text index finds ``word`` in (SQLite's FTS5 table answers from its
    own index, where a text left behind would stay)."""
    assert isinstance(store, SqlStore)
    with store._read() as conn:
        if conn.dialect.name == "sqlite":
            stmt = sa.text(
                "SELECT count(*) FROM article_texts_fts WHERE article_texts_fts MATCH :w"
            )
        else:
            stmt = sa.text(
                "SELECT count(*) FROM article_texts WHERE search_vector @@ to_tsquery('simple', :w)"
            )
        return int(conn.execute(stmt, {"w": word}).scalar_one())


def test_a_word_only_in_the_page_text_is_found(store: Store, named: dict[str, int]) -> None:
    assert found(store, "scheduler", named) == {"kernel"}
    assert found(store, "ZANZIBAR", named) == {"kernel", "failed"}, "title, summary or text"
    assert found(store, "store", named) == {"apple", "feed_only"}


def test_each_word_may_be_in_a_different_part_and_the_last_one_is_a_prefix(
    store: Store, named: dict[str, int]
) -> None:
    assert found(store, "apple store", named) == {"apple"}, "apple in the title, store in the text"
    assert found(store, "lyon tablet", named) == {"apple"}, "summary and text"
    assert found(store, "linux sched", named) == {"kernel"}
    assert found(store, "zanz", named) == {"kernel", "failed"}


def test_a_phrase_is_found_within_the_page_text_not_across_into_it(
    store: Store, named: dict[str, int]
) -> None:
    assert found(store, '"queues formed at dawn"', named) == {"phrase"}
    assert found(store, '"formed dawn"', named) == set()
    assert found(store, '"the new tab', named) == {"apple"}
    assert found(store, '"in lyon the store"', named) == set(), "summary into text: not found"


def test_an_exclusion_leaves_out_articles_with_the_word_in_their_page_text(
    store: Store, named: dict[str, int]
) -> None:
    assert found(store, "-zanzibar", named) == {"apple", "feed_only", "phrase"}
    assert found(store, "lyon -tablet", named) == {"feed_only"}
    assert found(store, 'release -"queues formed"', named) == {"kernel"}


def test_or_joins_a_word_of_a_title_and_a_word_of_a_page_text(
    store: Store, named: dict[str, int]
) -> None:
    assert found(store, "review OR queues", named) == {"failed", "phrase"}
    assert found(store, "lyon shop OR dawn", named) == {"apple"}
    assert found(store, "scheduler OR -store", named) == {"kernel", "failed", "phrase"}


def test_a_word_with_symbols_is_found_as_written_in_the_page_text(
    store: Store, named: dict[str, int]
) -> None:
    assert found(store, "c++", named) == {"apple"}
    assert found(store, "lyon -c++", named) == {"feed_only"}
    assert found(store, "c++ OR scheduler", named) == {"apple", "kernel"}


def test_an_article_whose_page_gave_no_text_is_searched_as_before(
    store: Store, named: dict[str, int]
) -> None:
    assert store.article_texts([named["failed"]])[named["failed"]].text == ""
    assert found(store, "tablet review", named) == {"failed"}
    assert found(store, "-review", named) == set(named) - {"failed"}
    store.save_article_texts([ArticleText(named["failed"], "<p>…</p>", "Read later: okapi", NOW)])
    assert found(store, "okapi", named) == {"failed"}, "a text read at a later pass"


def test_a_text_read_again_is_found_by_its_new_words_only(
    store: Store, named: dict[str, int]
) -> None:
    store.save_article_texts([ArticleText(named["phrase"], "<p>…</p>", "Nobody queued.", NOW)])
    assert found(store, "queues", named) == set()
    assert found(store, "nobody", named) == {"phrase"}
    assert text_index_entries(store, "dawn") == 0


def test_pruning_an_article_takes_its_text_out_of_the_index(store: Store) -> None:
    first = make_article(
        0, published=NOW - timedelta(days=500), fetched_at=NOW - timedelta(days=500)
    )
    _, old, kept = store.upsert_articles([first, make_article(1, **OLD), make_article(2)]).new_ids
    store.save_article_texts(
        [
            ArticleText(old, "<p>…</p>", "An aardvark in the old text", NOW),
            ArticleText(kept, "<p>…</p>", "An aardvark in the new text", NOW),
        ]
    )
    assert text_index_entries(store, "aardvark") == 2
    assert store.prune_articles(YEAR_AGO, NOW - timedelta(days=14)).deleted == 1
    assert text_index_entries(store, "aardvark") == 1
    assert [a.id for a in store.query_articles(ArticleQuery(text="aardvark"))] == [kept]


def test_texts_stored_before_the_upgrade_are_found_after_it(store: Store) -> None:
    from tests.support.schema import downgrade

    ids = store.upsert_articles([make_article(1), make_article(2)]).new_ids
    downgrade(store, "0012")
    assert isinstance(store, SqlStore)
    with store._write() as conn:  # the columns of revision 0012 only, as its watch wrote them
        rows = [
            (ids[0], "<p>…</p>", "Written before the upgrade: pangolin", None),
            (ids[1], "", "", "HTTP 404 Not Found"),
        ]
        conn.execute(
            sa.insert(article_texts),
            [
                {
                    "article_id": i,
                    "html": h,
                    "text": t,
                    "error": e,
                    "fetched_at": NOW,
                    "attempts": 1,
                }
                for i, h, t, e in rows
            ],
        )
    store.migrate()
    assert [a.id for a in store.query_articles(ArticleQuery(text="pangolin"))] == [ids[0]]
    store.save_article_texts([ArticleText(ids[1], "<p>…</p>", "Read after it: pangolin", NOW)])
    assert store.count_articles(ArticleQuery(text="pangolin")) == 2
    assert store.count_articles(ArticleQuery(text="-pangolin")) == 0


def test_an_old_no_more_than_the_summary_takes_its_new_words_at_the_upgrade(store: Store) -> None:
    from tests.support.schema import downgrade
    from watch.article_text import NO_MORE_THAN_SUMMARY

    [article_id] = store.upsert_articles([make_article(1)]).new_ids
    downgrade(store, "0013")
    assert isinstance(store, SqlStore)
    old = {"error": "no more text than the feed's summary", "html": "", "text": ""}
    with store._write() as conn:  # as the watch of revision 0013 wrote it
        row = {"article_id": article_id, "fetched_at": NOW, "attempts": 1, **old}
        conn.execute(sa.insert(article_texts).values(**row))
    store.migrate()
    assert store.article_texts([article_id])[article_id].error == NO_MORE_THAN_SUMMARY
