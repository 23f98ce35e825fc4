"""The store keeps an article's page text counting, on SQLite and PostgreSQL: a feed's update
does not write the topics classified without it (``before_update`` classifies the changed ones
again, with it), and a text is saved with the topics and score it gave, in one write.

Uses the contract suite's fixtures (``store`` runs each test on both backends).
"""

from __future__ import annotations

from collections.abc import Sequence

from tests.test_store_contract import NOW, make_article, store, store_url
from watch.models import Article, ArticleText, TopicMatch
from watch.store.base import ClassificationUpdate, Store

CONTRACT_FIXTURES = (store_url, store)
"""The contract suite's fixtures, used here by name: each test runs on SQLite and PostgreSQL."""
PAGE = "The page speaks of CVE-2026-1234 in the kernel."


def read_page(store: Store, article_id: int) -> None:
    """The full-text stage's save: the page's text, with the topics and score it gave."""
    update = ClassificationUpdate(article_id, [TopicMatch("security", 0.9)], 80.0, {"topic": 1})
    store.save_article_texts([ArticleText(article_id, "<p>…</p>", PAGE, NOW)], [update])


def names(store: Store, article_id: int) -> list[str]:
    article = store.get_article(article_id)
    assert article is not None
    return [t.name for t in article.topics]


def test_a_text_is_saved_with_the_topics_and_score_it_gave(store: Store) -> None:
    (article_id,) = store.upsert_articles([make_article(1)]).new_ids
    gone = article_id + 1  # deleted while its page was read
    update = ClassificationUpdate(article_id, [TopicMatch("security", 0.9)], 80.0, {"topic": 1})
    lost = ClassificationUpdate(gone, [TopicMatch("security", 0.9)], 80.0, {})
    texts = [ArticleText(article_id, "<p>…</p>", PAGE, NOW), ArticleText(gone, "", "x", NOW)]
    store.save_article_texts(texts, [update, lost])
    article = store.get_article(article_id)
    assert article is not None and article.text_lead == PAGE
    assert ([t.name for t in article.topics], article.score) == (["security"], 80.0)
    assert list(store.article_texts([article_id, gone])) == [article_id]


def test_a_feed_update_keeps_the_topics_the_page_gave(store: Store) -> None:
    """Seen again with the topics its feed alone gives: an unchanged item is no update; a
    changed one is written, its topics classified again with the page (``before_update``)."""
    (article_id,) = store.upsert_articles([make_article(1)]).new_ids
    read_page(store, article_id)
    from_feed = make_article(1, topics=[TopicMatch("kernel", 0.4)])
    assert store.upsert_articles([from_feed]).updated_ids == []
    assert names(store, article_id) == ["security"]

    given: list[tuple[int, str]] = []

    def classify_again(led: Sequence[tuple[int, Article]]) -> None:
        for found_id, article in led:
            given.append((found_id, article.text_lead))
            article.topics = [TopicMatch("security", 0.9), TopicMatch("kernel", 0.4)]

    changed = make_article(1, summary_text="Edited", topics=[TopicMatch("kernel", 0.4)])
    result = store.upsert_articles([changed], before_update=classify_again)
    assert (result.updated_ids, given) == ([article_id], [(article_id, PAGE)])
    assert names(store, article_id) == ["security", "kernel"]
    edited = make_article(1, summary_text="Edited again", topics=[TopicMatch("kernel", 0.4)])
    assert store.upsert_articles([edited]).updated_ids == [article_id]
    assert names(store, article_id) == ["security", "kernel"], "no hook: the topics are kept"
