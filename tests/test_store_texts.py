"""The store's article texts (``full_text:`` sources), on SQLite and PostgreSQL: which pages are
still to be read, saving what they gave (a text, or why not), reading it back, and retention.

Uses the contract suite's fixtures (``store`` runs each test on both backends).
"""

from __future__ import annotations

from datetime import timedelta

from tests.test_store_contract import NOW, OLD, YEAR_AGO, make_article, store, store_url
from watch.models import TEXT_LEAD_MAX, ArticleText
from watch.store import ArticleQuery
from watch.store.base import Store, TextCounts

CONTRACT_FIXTURES = (store_url, store)
"""The contract suite's fixtures, used here by name: each test runs on SQLite and PostgreSQL."""
HOUR = timedelta(hours=1)
FIRST = make_article(0, published=NOW - timedelta(days=500), fetched_at=NOW - timedelta(days=500))
"""The source's first collected article: retention keeps it (and then deletes ``OLD`` ones)."""


def wanted(
    store: Store,
    sources: list[str],
    per_source: int = 20,
    settings: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(source, guid) of the articles wanting a text, as the pass at NOW asks for them (with
    each source's ``full_text`` setting when ``settings`` is given)."""
    guids = {a.id: a.guid for a in store.query_articles(ArticleQuery(limit=1000))}
    found = store.articles_wanting_text(
        sources,
        fetched_since=NOW - timedelta(days=30),
        retry_before=NOW - HOUR,
        per_source=per_source,
        max_attempts=3,
        made_with=settings,
    )
    return [(item.source, guids[item.id]) for item in found]


def test_the_newest_articles_of_the_sources_asked_want_a_text_until_one_is_saved(
    store: Store,
) -> None:
    store.upsert_articles(
        [
            *(make_article(n, "blog") for n in range(1, 5)),  # blog-1 is the newest
            make_article(5, "blog", url="", canonical_url=""),  # no link: no page to read
            make_article(6, "blog", fetched_at=NOW - timedelta(days=31)),  # first seen too long ago
            make_article(1, "other"),
        ]
    )
    assert wanted(store, ["blog"], per_source=3) == [("blog", "blog-1"), ("blog", "blog-2"), ("blog", "blog-3")]  # fmt: skip
    assert wanted(store, ["blog", "other"], per_source=1) == [("blog", "blog-1"), ("other", "other-1")]  # fmt: skip
    (item,) = store.articles_wanting_text(
        ["other"], fetched_since=NOW - HOUR, retry_before=NOW, per_source=5, max_attempts=3
    )
    assert (item.url, item.summary_text) == ("https://other.example.org/1?utm_source=x", "Summary of article 1")  # fmt: skip

    store.save_article_texts([ArticleText(item.id, "<p>Body</p>", "Body of the page", NOW)])
    assert wanted(store, ["other"]) == []
    saved = store.article_texts([item.id, 9999])
    assert list(saved) == [item.id]
    assert (saved[item.id].html, saved[item.id].text, saved[item.id].error) == (
        "<p>Body</p>", "Body of the page", None,
    )  # fmt: skip
    assert (saved[item.id].fetched_at, saved[item.id].attempts) == (NOW, 1)
    article = store.get_article(item.id)
    assert article is not None and article.text_lead == "Body of the page"


def test_a_failed_page_is_tried_again_an_hour_later_three_times_in_all(store: Store) -> None:
    (article_id,) = store.upsert_articles([make_article(1)]).new_ids
    for attempt in range(1, 4):
        store.save_article_texts(
            [ArticleText(article_id, fetched_at=NOW - 2 * HOUR, error="HTTP 404")]
        )
        assert store.article_texts([article_id])[article_id].attempts == attempt
        assert wanted(store, ["blog"]) == ([("blog", "blog-1")] if attempt < 3 else [])
    store.save_article_texts([ArticleText(article_id, fetched_at=NOW, error="HTTP 404")])
    assert (
        store.articles_wanting_text(
            ["blog"], fetched_since=YEAR_AGO, retry_before=NOW, per_source=5, max_attempts=9
        )
        == []
    ), "tried less than an hour before: not yet"
    failed = store.article_texts([article_id])[article_id]
    assert (failed.text, failed.error, failed.attempts) == ("", "HTTP 404", 4)
    article = store.get_article(article_id)
    assert article is not None and article.text_lead == ""


def test_the_lead_kept_beside_the_article_is_the_start_of_its_text_cut_at_a_word(
    store: Store,
) -> None:
    ids = store.upsert_articles([make_article(1), make_article(2)]).new_ids
    long_text = "\n\n".join(
        f"Paragraph {n} says something rather long about kernels." for n in range(60)
    )
    store.save_article_texts([ArticleText(ids[0], "<p>…</p>", long_text, NOW)])
    article = store.get_article(ids[0])
    assert article is not None
    assert len(article.text_lead) <= TEXT_LEAD_MAX and long_text.startswith(article.text_lead)
    assert long_text[len(article.text_lead)] in " \n", "cut between two words"
    assert article.text_lead.endswith("kernels.") or article.text_lead[-1].isalnum()
    store.upsert_articles([make_article(1, title="Edited by the feed")])
    edited = store.get_article(ids[0])
    assert edited is not None and edited.title == "Edited by the feed"
    assert edited.text_lead == article.text_lead, "a feed's update keeps the page's text"


def test_the_text_of_an_article_deleted_meanwhile_is_dropped(store: Store) -> None:
    _, article_id, _ = store.upsert_articles(
        [FIRST, make_article(1, "blog", **OLD), make_article(2)]
    ).new_ids
    store.prune_articles(YEAR_AGO, NOW - timedelta(days=14))
    assert store.get_article(article_id) is None
    store.save_article_texts([ArticleText(article_id, "<p>x</p>", "Read after it went", NOW)])
    assert store.article_texts([article_id]) == {}


def test_pruning_an_article_deletes_its_text(store: Store) -> None:
    _, old, kept = store.upsert_articles(
        [FIRST, make_article(1, "blog", **OLD), make_article(2)]
    ).new_ids
    store.save_article_texts(
        [
            ArticleText(old, "<p>Old</p>", "Old text", NOW),
            ArticleText(kept, "<p>New</p>", "New text", NOW),
        ]
    )
    assert store.prune_articles(YEAR_AGO, NOW - timedelta(days=14)).deleted == 1
    assert list(store.article_texts([old, kept])) == [kept]


def test_the_articles_waiting_for_their_page_are_those_never_tried_lowest_id_first(
    store: Store,
) -> None:
    """Alerts hold these back (``watch.alerts.Horizon``): a text or a failure ends the wait."""
    ids = store.upsert_articles(
        [
            make_article(1, "blog", fetched_at=NOW - 2 * HOUR),  # first seen before the grace
            *(make_article(n, "blog") for n in range(2, 6)),
            make_article(6, "blog", url="", canonical_url=""),  # no link: no page to wait for
            make_article(7, "other"),
        ]
    ).new_ids
    since = NOW - HOUR
    assert store.articles_waiting_for_text(["blog"], fetched_since=since) == ids[1:5]
    store.save_article_texts(
        [
            ArticleText(ids[2], "<p>Body</p>", "Body of the page", NOW),
            ArticleText(ids[3], fetched_at=NOW, error="HTTP 404"),
        ]
    )
    assert store.articles_waiting_for_text(["blog"], fetched_since=since) == [ids[1], ids[4]]
    assert store.articles_waiting_for_text(["other", "blog"], fetched_since=since) == [
        ids[1], ids[4], ids[6],
    ]  # fmt: skip
    assert store.articles_waiting_for_text(["nowhere"], fetched_since=since) == []


def test_how_each_sources_pages_went_in_the_window_with_the_error_most_of_them_gave(
    store: Store,
) -> None:
    """``watch status`` and the Sources page tell a site that refuses its pages from these."""
    week_ago = NOW - timedelta(days=7)
    ids = store.upsert_articles(
        [
            *(make_article(n, "blog") for n in range(1, 7)),
            make_article(7, "blog", fetched_at=week_ago - HOUR),  # first seen before the window
            make_article(8, "blog", url="", canonical_url=""),  # no link: no page to read
            *(make_article(n, "tie") for n in range(1, 4)),
            make_article(1, "unasked"),
        ]
    ).new_ids
    failures = [
        (ids[1], "HTTP 403 Forbidden", NOW - 3 * HOUR),
        (ids[2], "HTTP 403 Forbidden", NOW - 2 * HOUR),
        (ids[3], "robots.txt disallows it", NOW),  # the latest, but fewer pages gave it
        (ids[6], "HTTP 500 Internal Server Error", NOW),  # outside the window
        (ids[8], "HTTP 404 Not Found", NOW - 2 * HOUR),
        (ids[9], "no article text found", NOW - HOUR),  # as many as the 404, and later
        (ids[11], "HTTP 404 Not Found", NOW),
    ]
    store.save_article_texts(
        [ArticleText(ids[0], "<p>Body</p>", "Body of the page", NOW)]
        + [ArticleText(i, fetched_at=at, error=error) for i, error, at in failures]
    )
    counts = store.article_text_counts(["blog", "tie", "quiet"], fetched_since=week_ago)
    assert counts == {
        "blog": TextCounts(read=1, failed=3, waiting=2, error="HTTP 403 Forbidden"),
        "tie": TextCounts(read=0, failed=2, waiting=1, error="no article text found"),
        "quiet": TextCounts(),
    }
    assert store.article_text_counts([], fetched_since=week_ago) == {}


def test_a_final_failure_is_not_tried_again_a_temporary_one_is(store: Store) -> None:
    final, temporary = store.upsert_articles([make_article(1), make_article(2)]).new_ids
    store.save_article_texts(
        [
            ArticleText(
                final, fetched_at=NOW - 2 * HOUR, error="robots.txt disallows it", final=True
            ),
            ArticleText(temporary, fetched_at=NOW - 2 * HOUR, error="HTTP 503"),
        ]
    )
    assert wanted(store, ["blog"]) == [("blog", "blog-2")]
    saved = store.article_texts([final, temporary])
    assert [(t.final, t.attempts) for t in saved.values()] == [(True, 1), (False, 1)]


def test_a_text_made_with_another_full_text_setting_is_wanted_again(store: Store) -> None:
    """Successes and failures alike (final or at their last attempt), within the window and
    the limit per pass, at once; a text made with the source's setting is not."""
    ids = store.upsert_articles(
        [
            *(make_article(n, "blog") for n in range(1, 5)),
            make_article(5, "blog", fetched_at=NOW - timedelta(days=31)),
            make_article(1, "other"),
        ]
    ).new_ids
    store.save_article_texts(
        [
            ArticleText(ids[0], "<p>Nav</p>", "Nav", NOW, made_with="auto"),
            ArticleText(ids[1], fetched_at=NOW, error="no article text found", final=True),
            ArticleText(ids[2], "<p>Body</p>", "Body", NOW, made_with="div.post"),
            ArticleText(ids[4], "<p>Old</p>", "Old", NOW, made_with="auto"),
            ArticleText(ids[5], "<p>Body</p>", "Body", NOW, made_with="auto"),
        ]
    )
    for _ in range(3):
        failed = ArticleText(ids[3], fetched_at=NOW - 2 * HOUR, error="HTTP 503")
        store.save_article_texts([failed])
    assert wanted(store, ["blog", "other"]) == [], "no setting asked: none again"
    settings = {"blog": "div.post", "other": "auto"}
    assert wanted(store, ["blog", "other"], settings=settings) == [
        ("blog", "blog-1"), ("blog", "blog-2"), ("blog", "blog-4"),
    ]  # fmt: skip
    assert wanted(store, ["blog"], per_source=2, settings=settings) == [
        ("blog", "blog-1"), ("blog", "blog-2"),
    ]  # fmt: skip

    store.save_article_texts(
        [
            ArticleText(ids[0], "<p>Post</p>", "Post", NOW, made_with="div.post"),
            ArticleText(ids[1], fetched_at=NOW - 2 * HOUR, error="HTTP 503", made_with="div.post"),
            ArticleText(ids[3], fetched_at=NOW - 2 * HOUR, error="HTTP 503", made_with="div.post"),
        ]
    )
    saved = store.article_texts(ids[:4])
    assert [(t.made_with, t.attempts, t.final) for t in saved.values()] == [
        ("div.post", 1, False), ("div.post", 1, False), ("div.post", 1, False), ("div.post", 1, False),
    ], "the tries start again with the new setting"  # fmt: skip
    assert wanted(store, ["blog"], settings=settings) == [("blog", "blog-2"), ("blog", "blog-4")]
