"""The board's search syntax: "quoted phrases", -exclusion, OR between two terms.

Every test runs on SQLite (FTS5) and PostgreSQL (tsvector) through the contract suite's
``store`` fixture, and asserts the same articles on both.
"""

from __future__ import annotations

import pytest

from tests.test_store_contract import ids_of, make_article, store, store_url  # noqa: F401
from watch.store import ArticleQuery
from watch.store.base import Store

TEXTS = {
    "iphone": ("Apple unveils the new iPhone", "The phone ships in May"),
    "apple_store": ("Apple Store opens in Lyon", "Queues since dawn"),
    "apart": ("Apple earnings beat forecasts", "The store network keeps growing"),
    "ipad": ("iPad Pro review", "A tablet for drawing"),
    "both": ("iPhone and iPad sync at last", "Apple fixed it"),
    "cooking": ("Cooking with kids", "Apple pie, or a store-bought one"),
    "rust_or_go": ("Rust or Go for the backend?", "We compare them"),
    "cpp": ("What's new in C++ 26", "Modules at last"),
    "csharp": ("C# 13 and .NET 9 released", ""),
    "compilers": ("Compilers written in C", ""),
    "secu": ("Sécurité du noyau", "Un correctif"),
    "python": ("Python 3.12 released", "A faster interpreter"),
    "pears": ("A cake with 3 apples", "and 12 pears"),
}


@pytest.fixture
def named(store: Store) -> dict[str, int]:  # noqa: F811
    articles = [
        make_article(n, title=title, summary_text=summary, summary_html=f"<p>{summary}</p>")
        for n, (title, summary) in enumerate(TEXTS.values())
    ]
    return dict(zip(TEXTS, store.upsert_articles(articles).new_ids, strict=True))


def found(store: Store, text: str, named: dict[str, int]) -> set[str]:  # noqa: F811
    by_id = {article_id: name for name, article_id in named.items()}
    return {by_id[article_id] for article_id in ids_of(store, text=text, limit=100)}


def all_but(named: dict[str, int], *left_out: str) -> set[str]:
    return set(named) - set(left_out)


def test_a_minus_excludes_the_word_instead_of_requiring_it(
    store: Store,  # noqa: F811
    named: dict[str, int],
) -> None:
    # "apple", the last word written, is also a prefix: "3 apples" (pears) is found
    assert found(store, "apple -iphone", named) == {"apple_store", "apart", "cooking", "pears"}
    assert found(store, "apple -iphone -store", named) == {"pears"}
    assert found(store, "-iphone", named) == all_but(named, "iphone", "both")
    assert store.count_articles(ArticleQuery(text="-iphone")) == len(named) - 2


def test_or_between_two_terms_finds_either(store: Store, named: dict[str, int]) -> None:  # noqa: F811
    assert found(store, "iphone ipad", named) == {"both"}
    assert found(store, "iphone OR ipad", named) == {"iphone", "ipad", "both"}
    assert found(store, "apple iphone OR ipad", named) == {"iphone", "both"}
    assert found(store, "cooking OR ipad OR python", named) == {"cooking", "ipad", "both", "python"}
    assert found(store, "ipad OR -apple", named) == all_but(
        named, "iphone", "apple_store", "apart", "cooking"
    )


def test_a_lowercase_or_stays_a_word(store: Store, named: dict[str, int]) -> None:  # noqa: F811
    assert found(store, "rust or go", named) == {"rust_or_go"}
    assert found(store, "apple or pie", named) == {"cooking"}


def test_a_quoted_phrase_is_the_exact_word_sequence(
    store: Store,  # noqa: F811
    named: dict[str, int],
) -> None:
    assert found(store, "apple store", named) == {"apple_store", "apart", "cooking"}
    assert found(store, '"apple store"', named) == {"apple_store"}
    assert found(store, '"store apple"', named) == set()
    assert found(store, '"apple pie or"', named) == {"cooking"}
    assert found(store, '"SECURITE du noyau"', named) == {"secu"}, "case and accents fold"
    assert found(store, '"pie or a store bought"', named) == {"cooking"}, "punctuation splits"
    assert found(store, '"apple stor"', named) == set(), "a closed phrase is exact"
    assert found(store, '"iphone" OR "apple store"', named) == {"iphone", "both", "apple_store"}


def test_a_phrase_can_be_excluded(store: Store, named: dict[str, int]) -> None:  # noqa: F811
    assert found(store, '-"apple store"', named) == all_but(named, "apple_store")
    expected = {"iphone", "apart", "both", "cooking", "pears"}  # "apple" a prefix: "apples"
    assert found(store, 'apple -"apple store"', named) == expected


def test_a_word_with_inner_punctuation_is_its_parts_in_a_row(
    store: Store,  # noqa: F811
    named: dict[str, int],
) -> None:
    assert found(store, "3.12", named) == {"python"}
    assert found(store, "3 12", named) == {"python", "pears"}
    assert found(store, "-3.12 released", named) == {"csharp"}


def test_words_written_with_symbols_keep_their_symbols_in_every_form(
    store: Store,  # noqa: F811
    named: dict[str, int],
) -> None:
    assert found(store, "c++ OR c#", named) == {"cpp", "csharp"}
    assert found(store, "-c++ -c# written", named) == {"compilers"}
    assert found(store, "released -.net", named) == {"python"}


def test_the_last_plain_word_is_a_prefix_and_an_unclosed_quote_runs_to_the_end(
    store: Store,  # noqa: F811
    named: dict[str, int],
) -> None:
    assert found(store, "apple sto", named) == {"apple_store", "apart", "cooking"}
    assert found(store, '"apple sto', named) == {"apple_store"}
    assert found(store, "-iphon", named) == all_but(named), "an exclusion is a whole word"
    # session 11 review: an exclusion written after the last word leaves that word a prefix
    assert found(store, "apple sto -cooking", named) == {"apple_store", "apart"}


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("OR", ""),
        ("OR ipad", "ipad"),
        ("ipad OR", "ipad"),
        ("ipad OR OR cooking", "ipad OR cooking"),
        ("-", ""),
        ("ipad -", "ipad"),
        ("- ipad", "ipad"),
        ('"', ""),
        ('""', ""),
        ('-"', ""),
        ('ipad "', "ipad"),
        ("-OR", "-or"),
        ("--ipad", "-ipad"),
        ("ipad OR ?", "ipad"),
        ('"apple* store"', '"apple store"'),
        ("apple:store", '"apple store"'),
        ("apple AND -(iphone)", "apple and -iphone"),
        ("title:apple", "title apple"),
        ("_", ""),
        ("apple_store", '"apple store"'),
    ],
)
def test_stray_operators_behave_like_the_search_without_them(
    store: Store,  # noqa: F811
    named: dict[str, int],
    text: str,
    same_as: str,
) -> None:
    assert found(store, text, named) == found(store, same_as, named)
    assert store.count_articles(ArticleQuery(text=text)) == len(found(store, same_as, named))


def test_one_story_per_cluster_works_with_exclusions_and_or(
    store: Store,  # noqa: F811
    named: dict[str, int],
) -> None:
    for text in ("-iphone", "iphone OR ipad", '-"apple store" cooking'):
        one_each = ids_of(store, text=text, one_per_cluster=True, limit=100)
        assert set(one_each) == {named[name] for name in found(store, text, named)}
        counted = store.count_articles(ArticleQuery(text=text, one_per_cluster=True))
        assert counted == len(one_each)


def test_whole_words_leaves_the_last_word_a_word_not_a_prefix(
    store: Store,  # noqa: F811
    named: dict[str, int],
) -> None:
    """Session 12 review: an alert's "rust" found "Rustic furniture"; the board, which searches
    while one types, keeps the prefix."""
    rustic = make_article(99, title="Rustic furniture for the office", summary_text="")
    (rustic_id,) = store.upsert_articles([rustic]).new_ids
    named = {**named, "rustic": rustic_id}

    def whole(text: str) -> set[str]:
        by_id = {article_id: name for name, article_id in named.items()}
        query = ArticleQuery(text=text, whole_words=True, limit=100)
        return {by_id[article.id] for article in store.query_articles(query)}

    assert found(store, "rust", named) == {"rust_or_go", "rustic"}
    assert whole("rust") == {"rust_or_go"}
    assert whole("apple sto") == set() and whole("apple store") == found(
        store, "apple store", named
    )
    assert whole('"apple sto') == set() and whole("apple") == {
        "iphone",
        "apple_store",
        "apart",
        "both",
        "cooking",
    }
    assert whole("c++ OR rust") == {"cpp", "rust_or_go"}
    assert store.count_articles(ArticleQuery(text="rust", whole_words=True)) == 1
