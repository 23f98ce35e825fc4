"""`watch demo` shows the whole article: after its pass, the pages of its full_text source
(Veille Express: titles only in the feed, often vague) are read, their text classifies the
articles, and what surrounds the article on the page (navigation, sidebar, footer) is left out."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watch.classify import keyword_classifier
from watch.config import WatchConfig, load_config
from watch.demo import DemoItem, demo_items
from watch.demo.site_page import site_chrome
from watch.demo_run import run_demo
from watch.models import StoredArticle
from watch.store import open_store
from watch.store.base import ArticleQuery, Store

SOURCE = "veille-express"


@dataclass
class DemoPass:
    store: Store
    config: WatchConfig
    printed: str
    articles: dict[str, StoredArticle]
    """Veille Express's articles, by title."""
    items: list[DemoItem]
    """Veille Express's items, as the demo served them."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoPass]:
    """The demo's own run (its server, its pass, its training), without the board."""
    folder: Path = tmp_path_factory.mktemp("demo")
    printed = io.StringIO()
    years = {datetime.now(UTC).year}  # the server's clock dates the items (and names CVEs)
    with redirect_stdout(printed):
        assert run_demo(folder, board_port=None) == 0
    years.add(datetime.now(UTC).year)
    store = open_store(f"sqlite:///{folder / 'watch.db'}")
    try:
        found = store.query_articles(ArticleQuery(sources=[SOURCE], limit=100))
        articles = {article.title: article for article in found}
        served = [[i for i in demo_items(year) if i.source == SOURCE] for year in years]
        items = next(s for s in served if {i.title for i in s} == set(articles))
        config = load_config(folder / "sources.yaml")
        yield DemoPass(store, config, printed.getvalue(), articles, items)
    finally:
        store.close()


def test_every_page_of_the_full_text_source_is_read(demo: DemoPass) -> None:
    texts = demo.store.article_texts([a.id for a in demo.articles.values()])
    assert len(texts) == len(demo.items) >= 10
    assert all(text.error is None and len(text.text) > 300 for text in texts.values())
    assert f"; {len(demo.items)} article texts read from their pages" in demo.printed


def test_articles_whose_feed_says_nothing_get_their_topic_from_their_page(
    demo: DemoPass,
) -> None:
    """A vague title ("Ce que nous avons appris cette semaine") and no summary match no topic;
    the page's text does: the article gets the topic its page was written about."""
    keywords = keyword_classifier(demo.config.topics)
    vague = [
        item
        for item in demo.items
        if item.topic not in (None, "off-topic")
        and not keywords.classify([(item.title, item.summary, ())])[0]
    ]
    assert len(vague) >= 4
    for item in vague:
        topics = [match.name for match in demo.articles[item.title].topics]
        assert item.topic in topics, (item.title, topics)


def test_the_page_around_the_article_is_left_out(demo: DemoPass) -> None:
    """Around the article, the page names topics ("Sécurité" in its navigation, "Kubernetes"
    in its sidebar, "cookies" in its footer): none of it is in the stored text."""
    site = site_chrome()
    phrases = [
        site["tagline"], site["sidebar_heading"], *site["sidebar"], site["cookie_banner"],
        *site["cookie_buttons"], site["newsletter_heading"], site["newsletter"],
        *site["footer_links"], site["copyright"],
    ]  # fmt: skip
    texts = demo.store.article_texts([a.id for a in demo.articles.values()])
    for text in texts.values():
        lines = {line.strip() for line in text.text.splitlines()}
        assert not [phrase for phrase in phrases if phrase in text.text], text.text
        assert not lines & {*site["nav"], site["name"]}, text.text


def test_the_full_text_source_covers_stories_of_the_other_sources(demo: DemoPass) -> None:
    """Its imgdecode and Aurore-24B items join those stories: "also covered by" shows them."""
    covered = {
        item.story: set(demo.articles[item.title].cluster_sources)
        for item in demo.items
        if item.story
    }
    assert covered["imgdecode-cve"] >= {"secu-hebdo", "frontend-weekly", "cloud-status"}
    assert covered["aurore-model"] >= {"labo-ia", "tech-actu"}
