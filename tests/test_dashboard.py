"""The Streamlit board, page by page, through AppTest against a real SQLite store.

Each test writes a sources.yaml and fills a fresh store with articles built as the pipeline
would (``upsert_articles`` then ``update_classification``), points WATCH_CONFIG / WATCH_DB at
them and runs ``dashboard/app.py``.  Writes are checked with a fresh store object.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import actions, data, focus, shortcuts, view, view_sources
from watch.models import Article, SourceState, StoredArticle, TopicMatch
from watch.netguard import AddressPolicy, BlockedAddress, UnresolvableHost
from watch.store.base import ArticleQuery, ClassificationUpdate, DigestRecord
from watch.wording import counted

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
HOSTILE_TITLE = (
    "<script>alert(1)</script> [click](javascript:alert(1)) ![x](http://evil.test/p.png)"
)

SOURCES_YAML = """\
name: Team watch
topics:
  - name: ai
    label: Artificial intelligence
    keywords: [llm, model]
  - name: security
    label: Security
    keywords: [cve, vulnerability]
  - name: cloud
    label: Cloud
    keywords: [kubernetes]
sources:
  - name: lwn
    url: https://lwn.net/headlines/rss
    every: 1h
  - name: hn
    url: https://news.ycombinator.com/rss
    every: 15m
  - name: blog
    url: https://blog.example.org/feed.xml
    every: 1d
  - name: vendor-news
    url: https://vendor.example.com/news
    kind: page
    every: 6h
    select: {item: article, title: h2, link: a@href}
"""

# (source, title, topic, score, hours ago, cluster)
ROWS = [
    ("lwn", "New LLM model beats benchmarks", "ai", 92.0, 2, 1),
    ("hn", "LLM model release discussed", "ai", 70.0, 3, 1),
    ("blog", "Critical CVE in OpenSSL patched", "security", 88.0, 5, 2),
    ("lwn", "Kubernetes 2.0 scheduling changes", "cloud", 75.0, 20, 3),
    ("hn", "Vulnerability found in router firmware", "security", 60.0, 30, 4),
    ("blog", "Gardening tips for spring", None, 12.0, 40, 5),
    ("hn", HOSTILE_TITLE, None, 50.0, 1, 6),
]


@dataclass
class Board:
    """A filled store and the config the board reads."""

    url: str
    config_path: Path
    ids: dict[str, int]

    def open(self):  # noqa: ANN201 - a fresh writable store
        from watch.store import open_store

        store = open_store(self.url)
        return store


def make_article(source: str, title: str, published: datetime, index: int) -> Article:
    link = (
        "javascript:alert(1)" if title == HOSTILE_TITLE else f"https://{source}.example.org/{index}"
    )
    return Article(
        source=source,
        guid=f"{source}-{index}",
        url=link,
        canonical_url=f"https://{source}.example.org/{index}",
        title=title,
        summary_html=f"<p>Summary of {title}</p>",
        summary_text=f"Summary of {title} with enough words to search.",
        author=None,
        published=published,
        fetched_at=published,
    )


def fill_store(url: str, now: datetime) -> dict[str, int]:
    """Store ROWS, classify them, and record source states; title -> article id."""
    from watch.store import open_store

    store = open_store(url)
    store.migrate()
    articles = [
        make_article(s, t, now - timedelta(hours=h), i) for i, (s, t, _, _, h, _) in enumerate(ROWS)
    ]
    store.upsert_articles(articles)
    ids = {a.title: a.id for a in store.iter_articles()}
    updates = [
        ClassificationUpdate(
            article_id=ids[title],
            topics=[TopicMatch(topic, 0.9, [f"keyword '{topic}'"])] if topic else [],
            score=score,
            score_parts={"topic": score * 0.6, "recency": score * 0.4},
            explanation=[f"about {topic}" if topic else "off-topic"],
            cluster_id=cluster,
        )
        for _, title, topic, score, _, cluster in ROWS
    ]
    store.update_classification(updates)
    store.save_source_state(
        SourceState(name="lwn", status="ok", last_success=now - timedelta(minutes=30))
    )
    store.save_source_state(
        SourceState(
            name="blog",
            status="error",
            last_error="HTTP 404 Not Found",
            error_count=3,
            last_success=now - timedelta(days=2),
        )
    )
    store.save_source_state(
        SourceState(name="vendor-news", status="ok", empty_selector=True, last_success=now)
    )
    store.close()
    return ids


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Board]:
    yield from board_on(tmp_path, monkeypatch, SOURCES_YAML)


def board_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sources_yaml: str | None
) -> Iterator[Board]:
    """The board's store filled, its environment set, caches cleared before and after; its
    sources.yaml written when given (else the test writes it)."""
    config_path = tmp_path / "sources.yaml"
    if sources_yaml is not None:
        config_path.write_text(sources_yaml, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    ids = fill_store(url, datetime.now(UTC))
    monkeypatch.setenv("WATCH_CONFIG", str(config_path))
    monkeypatch.setenv("WATCH_DB", url)
    monkeypatch.delenv("WATCH_SMTP_HOST", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield Board(url, config_path, ids)
    st.cache_data.clear()
    st.cache_resource.clear()


def run_app(page: str | None = None) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=30).run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def shown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def titles_in_order(app: AppTest) -> list[str]:
    """Board titles as shown, in order (the heading of every card)."""
    return [h.value for h in app.main.header]


def table_of(app: AppTest, index: int = 0) -> pd.DataFrame:
    """An ``st.table`` as read: its Markdown escapes taken off, in the cells and headers."""

    def unescape(text: object) -> object:
        return re.sub(r"\\(.)", r"\1", text) if isinstance(text, str) else text

    return app.table[index].value.map(unescape).rename(columns=unescape)


# -- board ------------------------------------------------------------------------


def test_board_shows_ranked_articles_with_details(board: Board) -> None:
    app = run_app()
    titles = titles_in_order(app)
    assert (
        titles[0]
        == f"[{view.escape_markdown('New LLM model beats benchmarks')}](https://lwn.example.org/0)"
    )
    assert "LLM model release discussed" not in shown_text(app)  # same cluster, lower score
    assert len(titles) == len(ROWS) - 1
    captions = [c.value for c in app.caption]
    assert any(c.startswith("6 articles match") for c in captions)
    assert any("lwn · 2 h ago · also covered by 1 source" in c for c in captions)
    assert ":blue-badge[Artificial intelligence]" in shown_text(app)
    assert "recency: \\+36\\.8" in shown_text(app) or "recency: +36.8" in shown_text(app)


def label_sources(board: Board) -> None:
    """Give lwn and blog a label (hn keeps its name): what people read for them."""
    text = board.config_path.read_text(encoding="utf-8")
    text = text.replace("  - name: lwn\n", "  - name: lwn\n    label: LWN.net <weekly>\n")
    text = text.replace("  - name: blog\n", "  - name: blog\n    label: The Example Blog\n")
    board.config_path.write_text(text, encoding="utf-8")


def test_board_rows_and_source_filter_show_source_labels(board: Board) -> None:
    label_sources(board)
    app = run_app()
    captions = [c.value for c in app.caption]
    assert any(c.startswith("LWN\\.net \\<weekly\\> · 2 h ago · also covered") for c in captions)
    assert any(c.startswith("The Example Blog · 5 h ago") for c in captions)
    assert any(c.startswith("hn · ") for c in captions), "no label: the name"
    assert not any(c.startswith(("lwn ·", "blog ·")) for c in captions)
    sources = app.multiselect(key="board_sources")
    assert sources.options[:3] == ["LWN.net <weekly> (2)", "hn (3)", "The Example Blog (2)"]
    sources.set_value(["blog"]).run()
    assert {"OpenSSL" in t or "Gardening" in t for t in titles_in_order(app)} == {True}


def test_folders_from_another_reader_filter_the_board(board: Board) -> None:
    """Session 11: sources filed in folders (``folder:``, from an OPML import) are read by
    folder; a folder includes those nested in it; chosen sources add to the folders'."""
    text = board.config_path.read_text(encoding="utf-8")
    text = text.replace("  - name: lwn\n", "  - name: lwn\n    folder: Dev / Linux\n")
    text = text.replace("  - name: blog\n", "  - name: blog\n    folder: Dev\n")
    board.config_path.write_text(text, encoding="utf-8")
    app = run_app()
    folders = app.multiselect(key="board_folders")
    assert folders.options == ["Dev (4)", "Dev / Linux (2)"]  # unread, nested ones included
    folders.set_value(["Dev / Linux"]).run()
    assert {("LLM" in t or "Kubernetes" in t) for t in titles_in_order(app)} == {True}
    app.multiselect(key="board_folders").set_value(["Dev"]).run()
    assert len(titles_in_order(app)) == 4  # lwn's 2 (nested) and blog's 2, one per story
    app.multiselect(key="board_sources").set_value(["hn"]).run()
    assert any("router firmware" in t for t in titles_in_order(app))


def test_sidebar_choices_count_their_unread_articles(board: Board) -> None:
    """Session 11: a reader's sidebar: "Security (2)", "hn (3)"; reading updates the counts,
    a choice with nothing unread shows bare."""
    label_sources(board)
    app = run_app()
    topics = app.multiselect(key="board_topics").options
    assert topics == ["Artificial intelligence (2)", "Security (2)", "Cloud (1)", "off-topic (2)"]
    app.multiselect(key="board_sources").set_value(["blog"]).run()
    app.button(key="mark_page_read").click().run()
    sources = app.multiselect(key="board_sources").options
    assert sources[:3] == ["LWN.net <weekly> (2)", "hn (3)", "The Example Blog"]
    assert app.multiselect(key="board_topics").options[1] == "Security (1)"


def test_without_folders_there_is_no_folder_filter(board: Board) -> None:
    app = run_app()
    assert not [w for w in app.multiselect if w.key == "board_folders"]


def test_topic_filter_changes_the_list(board: Board) -> None:
    app = run_app()
    app.multiselect(key="board_topics").set_value(["security"]).run()
    text = "\n".join(titles_in_order(app))
    assert "OpenSSL" in text and "router firmware" in text
    assert "LLM" not in text and "Kubernetes" not in text


def test_search_narrows_the_list(board: Board) -> None:
    app = run_app()
    app.text_input(key="board_text").input("kubernetes").run()
    titles = titles_in_order(app)
    assert len(titles) == 1 and "Kubernetes" in titles[0]


def test_min_score_and_source_filters(board: Board) -> None:
    app = run_app()
    app.slider(key="board_min_score").set_value(80).run()
    assert len(titles_in_order(app)) == 2
    app.slider(key="board_min_score").set_value(0).run()
    app.multiselect(key="board_sources").set_value(["blog"]).run()
    assert {"OpenSSL" in t or "Gardening" in t for t in titles_in_order(app)} == {True}


def test_date_range_filter(board: Board) -> None:
    paris = ZoneInfo("Europe/Paris")  # digest.timezone (default): the readers' days
    now = datetime.now(paris)
    day = (now - timedelta(hours=30)).date()  # the router article's day, never the LLM cluster's
    expected = {
        view.escape_markdown(t)
        for _, t, _, _, h, _ in ROWS
        if (now - timedelta(hours=h)).date() == day
    }
    app = run_app()
    app.date_input(key="board_dates").set_value((day, day)).run()
    shown = {t for t in expected if any(t in line for line in titles_in_order(app))}
    assert shown == expected and len(titles_in_order(app)) == len(expected)
    assert any("router firmware" in t for t in shown)


def test_a_picked_day_is_a_day_of_the_readers_zone_not_of_utc() -> None:
    """00:30 in Paris on the 24th is the 23rd in UTC: it belongs to the 24th on the board."""
    filters = data.BoardFilters(since=date(2026, 11, 24), until=date(2026, 11, 24),
                                timezone="Europe/Paris")  # fmt: skip
    query = filters.to_query()
    assert query.since == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert query.until is not None and query.until.replace(microsecond=0) == datetime(
        2026, 11, 24, 22, 59, 59, tzinfo=UTC
    )


def test_thumbs_up_is_stored_at_once(board: Board) -> None:
    article_id = board.ids["Critical CVE in OpenSSL patched"]
    app = run_app()
    app.button(key=f"up_{article_id}").click().run()
    store = board.open()
    assert [(f.article_id, f.kind) for f in store.list_feedback()] == [(article_id, "up")]
    liked = store.get_article(article_id)
    assert liked.vote == 1
    assert liked.score_parts["feedback"] > 0 and "you up-voted this story" in liked.explanation
    assert app.button(key=f"up_{article_id}").label == "Liked"


def test_not_about_stores_not_topic_feedback(board: Board) -> None:
    article_id = board.ids["Kubernetes 2.0 scheduling changes"]
    app = run_app()
    app.button(key=f"not_cloud_{article_id}").click().run()
    store = board.open()
    assert [(f.article_id, f.kind, f.topic) for f in store.list_feedback()] == [
        (article_id, "not_topic", "cloud")
    ]
    assert "cloud" not in [m.name for m in store.get_article(article_id).topics]


def test_also_about_puts_a_missed_topic_on_an_off_topic_article(board: Board) -> None:
    """An article the classifier missed (here off-topic) can be given a topic from the board,
    as `watch feedback --also` does: stored as feedback and shown at once."""
    article_id = board.ids["Gardening tips for spring"]
    app = run_app()
    app.button(key=f"also_security_{article_id}").click().run()
    store = board.open()
    assert [(f.article_id, f.kind, f.topic) for f in store.list_feedback()] == [
        (article_id, "also_topic", "security")
    ]
    assert "security" in [m.name for m in store.get_article(article_id).topics]
    assert f"also_security_{article_id}" not in [b.key for b in app.button]
    assert f"not_security_{article_id}" in [b.key for b in app.button]


def test_mark_read_sets_the_flag_and_hides_it_from_unread(board: Board) -> None:
    article_id = board.ids["Kubernetes 2.0 scheduling changes"]
    app = run_app()
    app.button(key=f"read_{article_id}").click().run()
    assert board.open().get_article(article_id).read is True
    assert not any("Kubernetes" in t for t in titles_in_order(app))
    app.segmented_control(key="board_state").set_value("all").run()
    assert any("Kubernetes" in t for t in titles_in_order(app))


def test_star_then_starred_view(board: Board) -> None:
    article_id = board.ids["Gardening tips for spring"]
    app = run_app()
    star = app.button(key=f"star_{article_id}")
    assert "digest" in star.help, "the user learns what a star does"
    star.click().run()
    app.segmented_control(key="board_state").set_value("starred").run()
    assert len(titles_in_order(app)) == 1 and "Gardening" in titles_in_order(app)[0]
    assert board.open().get_article(article_id).starred is True


def test_a_starred_article_takes_a_note_for_the_digest(board: Board) -> None:
    """Session 8: what is typed in the Note… box of a starred article is stored, shown on the
    card (escaped), and emptied to remove it (Session 11: any article has the box)."""
    article_id = board.ids["Gardening tips for spring"]
    app = run_app()
    app.button(key=f"star_{article_id}").click().run()
    app.text_area(key=f"note_{article_id}").input("Our *client* asked <b>about</b> this").run()
    assert board.open().get_article(article_id).note == "Our *client* asked <b>about</b> this"
    shown = [m.value for m in app.markdown if "edit_note" in m.value]
    assert shown and r"Our \*client\* asked" in shown[0]
    app.text_area(key=f"note_{article_id}").input("").run()
    assert board.open().get_article(article_id).note == ""


def test_an_unstarred_article_keeps_showing_its_note_so_it_can_be_cleared(board: Board) -> None:
    """Session 9: unstarring kept the note in the database (retention keeps the article for
    it, a new star brings it back) but the board hid it and its Note… box."""
    article_id = board.ids["Gardening tips for spring"]
    app = run_app()
    app.button(key=f"star_{article_id}").click().run()
    app.text_area(key=f"note_{article_id}").input("Old context").run()
    app.button(key=f"star_{article_id}").click().run()
    assert board.open().get_article(article_id).starred is False
    app.segmented_control(key="board_state").set_value("all").run()
    assert [m.value for m in app.markdown if "edit_note" in m.value and "Old context" in m.value]
    app.text_area(key=f"note_{article_id}").input("").run()
    assert board.open().get_article(article_id).note == ""
    assert not [m.value for m in app.markdown if "edit_note" in m.value], "the note is gone"


def test_the_starred_filter_also_lists_the_notes_left_on_unstarred_articles(board: Board) -> None:
    """Session 9: "Starred" hid an unstarred article whose note the board shows to be cleared;
    the filter is "Starred or noted", and a cleared note takes the article off it."""
    noted, starred = (
        board.ids["Gardening tips for spring"],
        board.ids["Critical CVE in OpenSSL patched"],
    )
    store = board.open()
    store.set_flags(starred, starred=True)
    store.set_note(noted, "Old context")
    store.close()
    app = run_app()
    control = app.segmented_control(key="board_state")
    assert control.format_func("starred") == "Starred or noted"
    control.set_value("starred").run()
    titles = titles_in_order(app)
    assert len(titles) == 2 and "Critical CVE" in titles[0] and "Gardening" in titles[1]
    app.text_area(key=f"note_{noted}").input("").run()
    assert len(titles_in_order(app)) == 1 and "Critical CVE" in titles_in_order(app)[0]


def test_a_new_store_says_how_to_collect_instead_of_blaming_the_filters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from watch.store import open_store

    config_path = tmp_path / "sources.yaml"
    config_path.write_text(SOURCES_YAML, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'new.db'}"
    open_store(url).migrate()
    monkeypatch.setenv("WATCH_CONFIG", str(config_path))
    monkeypatch.setenv("WATCH_DB", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    app = run_app()
    st.cache_resource.clear()
    (info,) = [i.value for i in app.info]
    assert "No article collected yet" in info and "watch fetch" in info


def test_hostile_title_is_shown_inert(board: Board) -> None:
    app = run_app()
    card = next(h for h in app.header if "script" in h.value)
    assert card.value == view.escape_markdown(HOSTILE_TITLE)  # javascript: URL: no link
    assert "\\<script\\>" in card.value and "\\[click\\]\\(javascript" in card.value
    assert "](javascript" not in shown_text(app) and "![x](" not in shown_text(app)
    assert not any(m.proto.allow_html for m in app.markdown)


def test_escape_markdown_and_link_target() -> None:
    assert (
        view.escape_markdown("a [b](c) *d* $x$ :red[e]")
        == "a \\[b\\]\\(c\\) \\*d\\* \\$x\\$ \\:red\\[e\\]"
    )
    assert view.escape_markdown("line\n# heading") == "line \\# heading"
    assert view.link_target("javascript:alert(1)") is None
    assert view.link_target("data:text/html,hi") is None
    assert view.link_target("https://x.org/a b)") == "https://x.org/a%20b%29"
    assert view.link_target("https://x.org/a`b\n") == "https://x.org/a%60b"
    assert view.link_target("https:///no-host") is None
    assert view.markdown_link("t", "ftp://x.org/") == "t"


def test_topic_chips_show_a_model_guess_as_a_question() -> None:
    article = StoredArticle(**vars(make_article("s", "t", datetime(2025, 6, 1, tzinfo=UTC), 0)))
    article.topics = [TopicMatch("cloud", 0.4, ["model 0.40"]), TopicMatch("web", 0.97, [])]
    labels = {"web": "Web *front*", "cloud": "Cloud"}
    assert view.topic_chips(article, labels) == (
        ":blue-badge[Web \\*front\\*] :gray-badge[Cloud ?]"
    )
    article.topics = []
    assert view.topic_chips(article, labels) == ":gray-badge[off-topic]"


def test_why_this_score_gives_each_topic_reason_once() -> None:
    """The explanation written by watch.score already gives each topic's reasons: the card does
    not list them a second time."""
    from watch.score import score_article

    now = datetime(2025, 6, 1, tzinfo=UTC)
    article = StoredArticle(**vars(make_article("s", "t", now, 0)))
    article.topics = [TopicMatch("security", 0.9, ["matched 'cve' in title"])]
    article.score, article.score_parts, article.explanation = score_article(
        topics=article.topics,
        source_weight=1.0,
        cluster_size=1,
        vote=0,
        published=now,
        now=now,
    )
    lines = view.score_lines(article)
    assert sum("cve" in line for line in lines) == 1, lines
    assert any(line.startswith("topic: +") for line in lines)


def test_frequency_suggestion_against_publishing_rate() -> None:
    from watch.cadence import advise
    from watch.config import SourceConfig

    hourly = SourceConfig(name="s", url="https://s.org/", every="15m")
    assert "every 2d would do" in advise(hourly, per_week=2).words
    daily = SourceConfig(name="s", url="https://s.org/", every="1d")
    assert "consult every 30m" in advise(daily, per_week=7 * 48).words
    assert advise(daily, per_week=3).words == "matches the publishing rate"
    assert (
        view_sources.describe_error("HTTP 404 Not Found", 3)
        == "the address no longer exists: HTTP 404 Not Found (3 failures in a row)"
    )


# -- other pages ---------------------------------------------------------------------


def test_trends_page_shows_volumes_and_top_stories(board: Board) -> None:
    app = run_app("app_pages/trends.py")
    this_week = data.iso_week(datetime.now(UTC), "Europe/Paris")
    app.selectbox(key="trends_week").set_value(this_week).run()
    assert app.title[0].value == "Topics & trends"
    assert any("New LLM model beats benchmarks" in m.value for m in app.markdown)
    assert app.get("vega_lite_chart"), "the weekly volume chart"
    assert len(app.tabs) == 3 and app.tabs[0].label == "Artificial intelligence"


def test_trends_volume_legend_is_below_the_chart_with_its_labels_in_full(board: Board) -> None:
    """Session 10 audit: at 1400 px the legend on the right cut "Web et front-" and hid the
    largest segment's label."""
    import json

    app = run_app("app_pages/trends.py")
    app.selectbox(key="trends_week").set_value(data.iso_week(datetime.now(UTC), "Europe/Paris"))
    app.run()
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    legend = spec["encoding"]["color"]["legend"]
    assert (legend["orient"], legend["labelLimit"]) == ("bottom", 0), legend


def test_trends_page_names_sources_by_their_labels(board: Board) -> None:
    label_sources(board)
    app = run_app("app_pages/trends.py")
    this_week = data.iso_week(datetime.now(UTC), "Europe/Paris")
    app.selectbox(key="trends_week").set_value(this_week).run()
    top = next(m.value for m in app.markdown if "New LLM model beats benchmarks" in m.value)
    assert top.endswith(" · LWN\\.net \\<weekly\\>")


def test_trends_page_opens_on_the_last_complete_week_with_terms_per_topic(board: Board) -> None:
    now = datetime.now(UTC)
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0)
    thursday = monday - timedelta(days=4)  # in the last complete week
    titles = ["Kyber lands in Chrome", "Firefox ships Kyber", "Kyber: what changes for TLS"]
    articles = [
        make_article("lwn", title, thursday + timedelta(hours=n), 100 + n)
        for n, title in enumerate(titles)
    ]
    store = board.open()
    store.upsert_articles(articles)
    ids = {a.title: a.id for a in store.iter_articles()}
    store.update_classification(
        [
            ClassificationUpdate(ids[title], [TopicMatch("security", 0.9)], 80.0, {})
            for title in titles
        ]
    )
    store.close()
    app = run_app("app_pages/trends.py")
    week = app.selectbox(key="trends_week")
    assert week.value == data.iso_week(thursday, "Europe/Paris")  # digest.timezone (default)
    assert week.options[0] == f"{data.iso_week(now, 'Europe/Paris')} (in progress)"
    # the summaries' filler words come from the same 3 stories as kyber: one line, in stories
    line = "kyber, enough, search"
    assert f"Emerging: **{line}** (3, new)" in shown_text(app)  # in the Security tab
    assert [e.label for e in app.expander] == ["Volumes as a table", f"{line} — 3 stories (new)"]
    assert [c.value for c in app.caption if c.value.startswith("kyber")] == [f"{line} · Security"]
    assert any("Kyber lands in Chrome" in m.value for m in app.markdown)
    assert not any("Week in progress" in c.value for c in app.caption)
    week.set_value(data.iso_week(now, "Europe/Paris")).run()
    assert any(c.value.startswith("Week in progress: counted up to") for c in app.caption)
    assert not any("Kyber lands in Chrome" in m.value for m in app.markdown)


def test_sources_page_health_and_fetch_now(board: Board) -> None:
    app = run_app("app_pages/sources.py")
    table = table_of(app)
    assert list(table["Source"]) == ["blog", "vendor-news", "hn", "lwn"]
    row = table.set_index("Source")
    assert row.loc["blog", "Status"] == ":orange-badge[failing]"
    assert row.loc["blog", "Last error"].startswith("the address no longer exists")
    assert row.loc["hn", "Status"] == ":gray-badge[never fetched]"
    assert row.loc["vendor-news", "Status"] == ":red-badge[broken selector]"
    assert any("vendor\\-news" in w.value for w in app.warning)
    app.multiselect(key="fetch_sources").set_value(["hn", "blog"]).run()
    assert any("watch fetch --source hn --source blog" in c.value for c in app.code)
    app.button(key="fetch_now").click().run()
    import json

    request = json.loads(board.open().get_meta("fetch_now"))
    assert request["sources"] == ["blog", "hn"] and request["requested_at"]


def test_a_page_sources_selector_error_and_warning_say_what_to_change(board: Board) -> None:
    """Session 8: a page whose selectors read nothing is an error naming the selector, with
    what to do; a page that lost some items shows the warning `watch status` gives."""
    from watch.models import FetchLogEntry

    store = board.open()
    now = datetime.now(UTC)
    error = "select.item 'article' matched nothing on the page (it has 12 <li> elements)"
    store.save_source_state(SourceState(name="vendor-news", status="error", error_count=1,
                                        last_error=error, empty_selector=True, last_attempt=now))  # fmt: skip
    app = run_app("app_pages/sources.py")
    (box,) = [e.value.replace("\\", "") for e in app.error if "vendor" in e.value]
    assert "the page no longer matches the source's selectors: select.item 'article'" in box
    assert "update its select: block" in box
    assert not any("selectors matched nothing" in w.value for w in app.warning), "said once"
    skipped = "select.link 'a@href' found no link in 3 of 14 items (those items were skipped)"
    store.save_source_state(SourceState(name="vendor-news", status="ok", last_success=now))
    store.add_fetch_log(FetchLogEntry("vendor-news", now, "unchanged", 200, 0, 11, 0.1, skipped))
    st.cache_data.clear()
    app = run_app("app_pages/sources.py")
    assert any(skipped in w.value.replace("\\", "") for w in app.warning)
    assert list(table_of(app)["Source"])[0] == "blog"  # failing first, then warned
    assert list(table_of(app)["Source"])[1] == "vendor-news"


def test_a_failing_source_says_what_to_do(board: Board) -> None:
    """The error box of a failing source says what the failure means and what to do next."""
    app = run_app("app_pages/sources.py")
    (box,) = [e.value for e in app.error if "blog" in e.value]
    assert "the address no longer exists" in box
    assert "What to do: the feed may have moved" in box


@pytest.mark.parametrize(
    ("error", "advice"),
    [
        ("HTTP 410 Gone", "remove the source"),
        ("HTTP 401 Unauthorized", "credentials_env"),
        ("HTTP 429 Too Many Requests", "every:"),
        ("HTTP 503 Service Unavailable", "retried automatically"),
        ("timed out after 30 s", "fetch.timeout"),
        ("body larger than 10 MB", "fetch.max_bytes"),
        ("not a feed (HTML page without a feed link)", "kind: page"),
        ("not a feed (HTML page advertising 2 feeds)", "kind: page"),
        ("could not parse the document (XMLSyntaxError: boom)", "RSS, Atom or JSON Feed"),
        ("connection refused by 127.0.0.1:9", "retried automatically"),
    ],
)
def test_every_common_fetch_error_comes_with_what_to_do(error: str, advice: str) -> None:
    assert advice in view_sources.error_advice(error)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("intranet.example", "10.0.0.5"),
        ("localhost", "127.0.0.1"),
        ("192.168.1.10", "192.168.1.10"),
    ],
)
def test_a_refused_private_address_is_explained_as_such_not_as_a_site_down(
    host: str, address: str
) -> None:
    """The guard's own message ("refused: intranet.example resolves to 10.0.0.5, a private
    address") names the address: it is not a site that is down nor a name that fails DNS."""
    with pytest.raises(BlockedAddress) as refused:
        AddressPolicy().check_address(host, address, 80)
    error = str(refused.value)
    shown = view_sources.describe_error(error, 1)
    assert "down" not in shown and "does not resolve" not in shown
    assert shown.endswith(error)
    assert "fetch.allow_private" in view_sources.error_advice(error)


def test_what_to_do_quotes_the_feeds_home_page_and_a_redirect_inert() -> None:
    """What to do is Markdown on the Sources page: the home page a feed gives and the target
    a redirect names come from the server; they cannot make a link or close a code span."""
    from watch.config import parse_config

    config = parse_config(
        "sources:\n  - {name: moved, url: 'https://a.example/f'}\n"
        "  - {name: private, url: 'https://b.example/f'}\n"
    )
    hostile = "https://evil.example/`[click](https://phish.example)`"
    redirect = "refused: redirect to [x](https://phish.example) (private address)"
    states = [
        SourceState(name="moved", status="error", last_error="HTTP 404", home_url=hostile),
        SourceState(name="private", status="error", last_error=redirect, error_count=1),
    ]
    now = datetime.now(UTC)
    rows = {r.name: r.what_to_do for r in view_sources.source_health(config, states, {}, now)}
    site = view.escape_markdown("https://evil.example/")  # text, not a link
    assert rows["moved"].startswith(f"the feed may have moved: open the site {site}")
    assert len(re.findall(r"(?<!\\)`", rows["moved"])) == 2, "one code span, not closed early"
    assert "](" not in rows["moved"], rows["moved"]
    assert "](" not in rows["private"] and "\\[x\\]" in rows["private"], rows["private"]


def test_a_host_name_without_address_is_explained_as_such() -> None:
    error = str(UnresolvableHost("nowhere.invalid"))
    assert view_sources.describe_error(error, 1).startswith("the host name does not resolve: ")


def test_sources_page_shows_each_source_by_its_label_with_its_name_beside_it(
    board: Board,
) -> None:
    label_sources(board)
    app = run_app("app_pages/sources.py")
    table = table_of(app)
    assert list(table["Source"]) == ["The Example Blog", "vendor-news", "hn", "LWN.net <weekly>"]
    assert list(table["Name"]) == ["blog", "vendor-news", "hn", "lwn"]
    assert app.table[0].value["Source"][3] == "LWN\\.net \\<weekly\\>", "Markdown made inert"
    assert any(e.value.startswith("**The Example Blog**: the address") for e in app.error)
    fetch = app.multiselect(key="fetch_sources")
    assert fetch.options[:3] == ["LWN.net <weekly> (lwn)", "hn", "The Example Blog (blog)"]
    assert f"watch fetch -c {board.config_path}" in [c.value for c in app.code], "every source"
    fetch.set_value(["blog"]).run()
    assert any("watch fetch --source blog -c " in c.value for c in app.code)


def test_sources_page_warns_when_a_source_loses_items(board: Board) -> None:
    """Every item new at each of the last fetches: the board says items are missed, and what
    to set (the rule is watch.cadence's, the same as `watch status`)."""
    from watch.models import FetchLogEntry

    store = board.open()
    start = datetime.now(UTC) - timedelta(days=4)
    for day in range(4):
        store.add_fetch_log(
            FetchLogEntry(
                "lwn", start + timedelta(days=day), "new", 200, new_items=10, seen_items=10
            )
        )
    st.cache_data.clear()
    app = run_app("app_pages/sources.py")
    row = table_of(app).set_index("Source")
    assert "items are probably missed; consult every" in row.loc["lwn", "Suggestion"]
    assert any(
        w.value.startswith("**lwn**: every item was new at 3 of the last 3 fetches")
        for w in app.warning
    )


def test_digest_page_history_and_preview(board: Board) -> None:
    from tests.test_chat import an_article_last_week

    store = board.open()
    an_article_last_week(store)  # something to send: else the page says the week has none
    sent = datetime.now(UTC) - timedelta(days=7)
    store.save_digest(
        DigestRecord(
            week="2020-W01",
            status="sent",
            attempts=1,
            sent_at=sent,
            recipients=["team@example.org"],
        )
    )
    store.close()
    app = run_app("app_pages/digest.py")
    history = table_of(app)
    assert list(history["Week"]) == ["2020-W01"] and history["Recipients"][0] == "team@example.org"
    assert not app.button  # no SMTP configured: no send button
    assert any("WATCH_SMTP_HOST" in c.value for c in app.caption)
    app.selectbox(key="digest_week").set_value(
        data.iso_week(datetime.now(UTC) - timedelta(hours=5))
    ).run()
    html = base64.b64decode(app.get("iframe")[0].proto.src.split(",", 1)[1]).decode()
    assert "Team watch" in html and escape("Critical CVE in OpenSSL patched") in html
    assert "<script>alert" not in html


def test_the_digest_page_says_where_this_weeks_stars_go(board: Board) -> None:
    """Session 8: the page opens last week's digest until it is sent; a lead who starred three
    articles this morning saw none of them there and no word of why."""
    article_id = board.ids["Gardening tips for spring"]
    store = board.open()
    store.set_flags(article_id, starred=True)
    store.close()
    app = run_app("app_pages/digest.py")
    zone = "Europe/Paris"
    this_week = data.iso_week(datetime.now(UTC), zone)
    assert app.selectbox(key="digest_week").value != this_week  # last week, not sent yet
    said = [c.value for c in app.caption if "starred this week" in c.value]
    assert said == [
        f"1 article starred this week opens the {this_week} digest, not this one: choose that "
        "week to preview the picks."
    ]
    app.selectbox(key="digest_week").set_value(this_week).run()
    assert not [c.value for c in app.caption if "starred this week" in c.value]


def test_the_digest_page_never_offers_to_send_a_week_that_has_not_ended(
    board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 9 audit: once last week was sent, the page offered "Send 2026-W48 now" for the
    current week; sent, it was recorded and Monday's send sent nothing: the stars given from
    Wednesday to Sunday never reached the readers."""
    from tests.test_chat import an_article_last_week

    with board.config_path.open("a", encoding="utf-8") as config:
        config.write("digest:\n  recipients: [team@example.org]\n")
    monkeypatch.setenv("WATCH_SMTP_HOST", "127.0.0.1")  # configured; nothing is sent here
    now, zone = datetime.now(UTC), "Europe/Paris"
    this_week, last_week = data.iso_week(now, zone), data.iso_week(now - timedelta(days=7), zone)
    store = board.open()
    store.save_digest(DigestRecord(last_week, "sent", 1, sent_at=now, recipients=["team@x.org"]))
    an_article_last_week(store)
    store.close()
    app = run_app("app_pages/digest.py")
    assert app.selectbox(key="digest_week").value == this_week  # previewed first
    assert not app.button, "no send button for a week that has not ended"
    [when] = [c.value for c in app.caption if c.value.startswith(this_week)]
    assert when.startswith(f"{this_week} ends Sunday ") and " and is sent Monday " in when
    assert when.endswith(" at 08:00 (Europe/Paris).")
    app.selectbox(key="digest_week").set_value(last_week).run()
    assert [b.label for b in app.button] == [f"Send {last_week} again to 1 recipient"]
    assert any("mails every recipient twice" in c.value for c in app.caption)


def test_gone_and_disabled_sources_have_no_next_due_time() -> None:
    from watch.config import parse_config

    config = parse_config(
        "sources:\n  - {name: gone, url: 'https://a.example/f'}\n"
        "  - {name: off, url: 'https://b.example/f', enabled: false}\n"
        "  - {name: fine, url: 'https://c.example/f'}\n"
    )
    now = datetime.now(UTC)
    states = [
        SourceState(name="gone", status="gone", last_error="HTTP 410 Gone", error_count=1),
        SourceState(name="fine", status="ok", next_due=now + timedelta(hours=2)),
    ]
    rows = {r.name: r.next_due for r in view_sources.source_health(config, states, {}, now)}
    assert rows["gone"] == "–" and rows["off"] == "–"
    assert rows["fine"] != "–"


def test_disabled_and_gone_sources_get_no_frequency_advice() -> None:
    """As in `watch status`: a source nobody consults is told nothing about how often to
    consult it (it was "consult every 2h to stay current" for a disabled busy source)."""
    from watch.config import parse_config

    config = parse_config(
        "sources:\n  - {name: gone, url: 'https://a.example/f', every: 1d}\n"
        "  - {name: off, url: 'https://b.example/f', every: 1d, enabled: false}\n"
        "  - {name: busy, url: 'https://c.example/f', every: 1d}\n"
    )
    now = datetime.now(UTC)
    before = now - timedelta(days=3)
    states = [
        SourceState(name="gone", status="gone", last_success=before, error_count=1),
        SourceState(name="off", status="ok", last_success=before),
        SourceState(name="busy", status="ok", last_success=before),
    ]
    stats = {name: {"articles": 400.0, "recent": 400.0} for name in ("gone", "off", "busy")}
    rows = {r.name: r for r in view_sources.source_health(config, states, stats, now)}
    assert rows["gone"].suggestion == rows["off"].suggestion == "–"
    assert not rows["gone"].missing_items and not rows["off"].missing_items
    assert "consult every 2h" in rows["busy"].suggestion


def test_a_feed_that_never_answered_gets_no_suggestion_but_its_error() -> None:
    """Session 11: it read "not fetched yet" beside its error after 3 failed fetches."""
    from watch.config import parse_config

    config = parse_config(
        "sources:\n  - {name: broken, url: 'https://a.example/f', every: 1d}\n"
        "  - {name: new, url: 'https://b.example/f', every: 1d}\n"
    )
    now = datetime.now(UTC)
    states = [SourceState(name="broken", status="error", error_count=3, last_error="HTTP 404")]
    rows = {r.name: r for r in view_sources.source_health(config, states, {}, now)}
    assert rows["broken"].suggestion == "–" and "404" in rows["broken"].last_error
    assert rows["new"].suggestion == "not fetched yet"


# -- second audit (session 7) ------------------------------------------------------


def test_sources_needing_attention_come_first_then_the_rest_by_label(board: Board) -> None:
    """A failing source is never hidden among scrolled rows: error, gone, broken selector,
    overdue or missing items first, then the healthy ones, each group by label."""
    label_sources(board)
    app = run_app("app_pages/sources.py")
    table = table_of(app)
    assert list(table["Source"]) == ["The Example Blog", "vendor-news", "hn", "LWN.net <weekly>"]


def test_every_kind_of_attention_sorts_first() -> None:
    from watch.advice_words import Said
    from watch.cadence import Advice
    from watch.config import parse_config

    config = parse_config(
        """\
sources:
  - {name: calm, label: Calm news, url: 'https://calm.example/f', every: 1h}
  - {name: late, label: Late feed, url: 'https://late.example/f', every: 1h}
  - {name: alpha, label: alpha blog, url: 'https://alpha.example/f', every: 1h}
  - {name: dead, label: Dead site, url: 'https://dead.example/f', every: 1h}
  - {name: err, label: Broken server, url: 'https://err.example/f', every: 1h}
  - {name: lossy, label: Busy wire, url: 'https://lossy.example/f', every: 1h}
  - {name: off, label: Off switch, url: 'https://off.example/f', enabled: false}
  - {name: page, label: A page, url: 'https://page.example/', kind: page,
     select: {item: article, title: h2, link: a@href}}
  - {name: zeta, label: Zeta, url: 'https://zeta.example/f', every: 1h}
"""
    )
    now = datetime.now(UTC)
    fresh = now - timedelta(minutes=10)
    states = [
        SourceState(name=name, status="ok", last_success=fresh)
        for name in ("calm", "alpha", "lossy", "zeta")
    ] + [
        SourceState(name="late", status="ok", last_success=now - timedelta(days=3)),
        SourceState(name="dead", status="gone", last_error="HTTP 410 Gone", error_count=1),
        SourceState(name="err", status="error", last_error="HTTP 500", error_count=2),
        SourceState(name="page", status="ok", last_success=fresh, empty_selector=True),
    ]
    missed = Said("missed", {"overflows": 2, "fetches": 10, "every": "30m"})
    advice = {"lossy": Advice(missed, "30m", True)}
    rows = view_sources.source_health(config, states, {}, now, advice)
    assert [r.label for r in rows] == [
        "A page",
        "Broken server",
        "Busy wire",
        "Dead site",
        "Late feed",
        "alpha blog",
        "Calm news",
        "Off switch",
        "Zeta",
    ]
    status = {r.name: r.status for r in rows}
    assert status["late"] == "overdue" and status["page"] == "broken selector"
    assert status["dead"] == "gone" and status["off"] == "disabled"


def test_source_status_reads_as_coloured_words_without_an_emoji_font(board: Board) -> None:
    """Emoji statuses showed as empty boxes on a machine without an emoji font: the status is
    a word, coloured by the table itself (a badge, no custom HTML).  Session 12: an HTML table
    (``st.table``), whose every column reaches a screen reader, not a canvas grid."""
    app = run_app("app_pages/sources.py")
    status = table_of(app).set_index("Source")["Status"]  # no label: no Name column (session 10)
    assert status.to_dict() == {
        "blog": ":orange-badge[failing]",
        "vendor-news": ":red-badge[broken selector]",
        "hn": ":gray-badge[never fetched]",
        "lwn": ":green-badge[ok]",
    }
    assert app.table[0].proto.alt.startswith("Every source: its status")


def test_why_this_score_names_topics_by_label_with_a_percentage() -> None:
    """The stored explanation keeps topic names (`watch explain`, the export); the card shows
    the label from sources.yaml and the confidence as a percentage."""
    from watch.score import score_article

    now = datetime(2025, 6, 1, tzinfo=UTC)
    article = StoredArticle(**vars(make_article("s", "t", now, 0)))
    article.topics = [
        TopicMatch("securite", 1.0, ["matched 'cve' in title"]),
        TopicMatch("cloud", 0.456, ["model 0.46"]),
    ]
    article.score, article.score_parts, article.explanation = score_article(
        topics=article.topics, source_weight=1.0, cluster_size=1, vote=0, published=now, now=now
    )
    assert "securite 1.00: matched 'cve' in title" in article.explanation
    lines = view.score_lines(article, {"securite": "Sécurité", "cloud": "Cloud *native*"})
    reason = view.escape_markdown("matched 'cve' in title")
    assert f"Sécurité 100%: {reason}" in lines
    assert "Cloud \\*native\\* 46%: model 0\\.46" in lines
    assert not any(line.startswith(("securite", "cloud")) for line in lines)


def test_card_explains_topics_by_their_labels(board: Board) -> None:
    app = run_app()
    reason = view.escape_markdown("keyword 'ai'")
    assert f"- Artificial intelligence 90%: {reason}" in shown_text(app)
    assert f"ai (90%): {reason}" not in shown_text(app)


def test_a_vote_is_taken_back_by_clicking_it_again_and_never_saved_twice(board: Board) -> None:
    """Clicking "Liked" saved another up-vote; it takes the vote back now, and a repeated vote
    (a double click before the page reruns) is not stored again."""
    article_id = board.ids["Critical CVE in OpenSSL patched"]
    app = run_app()
    app.button(key=f"up_{article_id}").click().run()
    liked = app.button(key=f"up_{article_id}")
    assert liked.label == "Liked" and "take it back" in liked.help
    actions.vote(board.url, article_id, "up")  # the second click of a double click
    assert [f.kind for f in board.open().list_feedback()] == ["up"]
    liked.click().run()
    assert app.button(key=f"up_{article_id}").label == "Like"
    assert board.open().get_article(article_id).vote == 0  # type: ignore[union-attr]
    app.button(key=f"down_{article_id}").click().run()
    assert app.button(key=f"down_{article_id}").label == "Disliked"
    assert [f.kind for f in board.open().list_feedback()] == ["up", "unvote", "down"]


def test_coming_back_to_the_board_keeps_the_page_number(board: Board) -> None:
    """Filters survived a visit to another page, the page number did not (back to page 1)."""
    now = datetime.now(UTC)
    store = board.open()
    extra = [
        make_article("lwn", f"Filler story {n}", now - timedelta(hours=n), 100 + n)
        for n in range(30)
    ]
    store.upsert_articles(extra)
    ids = {a.title: a.id for a in store.iter_articles()}
    store.update_classification(
        [ClassificationUpdate(ids[a.title], [], 40.0 - n / 10, {}) for n, a in enumerate(extra)]
    )
    store.close()
    app = run_app()
    app.pagination(key="board_page").set_value(2).run()
    second_page = titles_in_order(app)
    assert len(second_page) == len(ROWS) - 1 + 30 - data.PAGE_SIZE
    app.switch_page("app_pages/sources.py").run()
    app.switch_page("app_pages/board.py").run()
    assert app.pagination(key="board_page").value == 2
    assert titles_in_order(app) == second_page
    app.text_input(key="board_text").input("filler").run()  # new filters start on page 1
    assert app.pagination(key="board_page").value == 1


def test_a_single_match_is_counted_in_the_singular(board: Board) -> None:
    app = run_app()
    app.text_input(key="board_text").input("kubernetes").run()
    assert any(c.value.startswith("1 article matches · updated") for c in app.caption)
    assert counted(0, "article") == "0 articles"
    assert counted(2, "source") == "2 sources"


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            "not a feed (HTML page without a feed link)",
            "not a feed (HTML page without a feed link)",
        ),
        ("body larger than 10 MB", "body larger than 10 MB"),
        ("could not resolve host feeds.example", "could not resolve host feeds.example"),
        ("HTTP 404 Not Found", "the address no longer exists: HTTP 404 Not Found"),
        ("timed out after 30 s", "the site did not answer in time: timed out after 30 s"),
    ],
)
def test_an_error_meaning_is_not_repeated_when_the_error_says_it(error: str, shown: str) -> None:
    """ "the address is not a feed: not a feed (…)" said it twice: when the words that identify
    the error are in its meaning too, the raw error alone says it."""
    assert view_sources.describe_error(error, 1) == shown


def test_no_page_shows_a_stray_docstring() -> None:
    """Streamlit "magic" writes every bare expression of a page script on the page: a string
    documenting a constant showed up above the articles ("Each vote: its kind, …")."""
    import ast

    pages = [APP, *sorted((APP.parent / "app_pages").glob("*.py"))]
    stray = [
        f"{page.name}:{node.lineno}"
        for page in pages
        for node in ast.parse(page.read_text(encoding="utf-8")).body[1:]
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    ]
    assert stray == []


def test_the_digest_page_says_when_last_week_is_due_and_who_sends_it(
    board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 9 audit: on Tuesday the page only showed a red "Send 2026-W47 now" button, not
    that the week was due since Monday 08:00 and that `watch run` sends it anyway."""
    from tests.test_chat import an_article_last_week
    from watch.config import load_config
    from watch.digest_weeks import scheduled_send

    with board.config_path.open("a", encoding="utf-8") as config:
        config.write("digest:\n  recipients: [team@example.org, cto@example.org]\n")
    monkeypatch.setenv("WATCH_SMTP_HOST", "127.0.0.1")  # configured; nothing is sent here
    now = datetime.now(UTC)
    last_week = data.iso_week(now - timedelta(days=7), "Europe/Paris")
    store = board.open()
    an_article_last_week(store)
    store.close()
    app = run_app("app_pages/digest.py")
    app.selectbox(key="digest_week").set_value(last_week).run()
    assert [b.label for b in app.button] == [f"Send {last_week} now to 2 recipients"]
    due = scheduled_send(last_week, load_config(board.config_path).digest)
    said = [c.value for c in app.caption if "is due since" in c.value]
    if now >= due:  # from Monday 08:00 (Paris) on, as almost always
        assert said and "`watch run` sends it at its next check" in said[0]
    else:
        assert not said


def test_a_database_made_by_an_older_watch_is_said_not_shown_as_sql(board: Board) -> None:
    """The board only reads and never migrates: before, an old database gave "no such column:
    articles.starred_at [SQL: SELECT …]"; `watch dashboard` and `watch up` now upgrade it
    first, and the board says what to do when something else opened it."""
    from tests.support.schema import downgrade
    from watch.cli import main
    from watch.store.sql_migrate import head_revision

    store = board.open()
    downgrade(store, "0004")
    store.close()
    app = AppTest.from_file(str(APP), default_timeout=30).run()
    assert [e.value for e in app.error] == [
        f"The database is at schema revision 0004, this board reads {head_revision()}: run "
        "`watch status` once (any watch command brings it up to date; a revision newer than the "
        "board's was made by a newer watch)."
    ]
    assert main(["status"]) == 0
    st.cache_resource.clear()
    assert not run_app().error


# -- session 10: what a lead reads every morning -------------------------------------


def test_a_vote_and_a_topic_correction_say_what_they_changed(board: Board) -> None:
    """Session 10: a click on Like or "Not about" only restyled the button; a toast now says
    what changed, as `watch feedback` does (the score, the story's other articles)."""
    liked = board.ids["New LLM model beats benchmarks"]  # its story has another article (hn)
    app = run_app()
    app.button(key=f"up_{liked}").click().run()
    (toast,) = [t.value for t in app.toast]
    before = dict((t, s) for _, t, _, s, _, _ in ROWS)["New LLM model beats benchmarks"]
    after = board.open().get_article(liked).score
    assert toast == f"Liked: score {before:.0f} → {after:.0f} (and 1 other article of this story)"
    cloud = board.ids["Kubernetes 2.0 scheduling changes"]
    app.button(key=f"not_cloud_{cloud}").click().run()
    (toast,) = [t.value for t in app.toast]
    assert toast.startswith("Not about Cloud: removed, score 75 → ")
    app.button(key=f"up_{liked}").click().run()  # "Liked" clicked: the vote is taken back
    (toast,) = [t.value for t in app.toast]
    assert toast.startswith(f"Vote taken back: score {after:.0f} → ")


def test_an_old_card_shows_its_date_in_the_readers_zone(board: Board) -> None:
    """Session 10: a card read "daringfireball · 3442 d ago"; beyond a week it shows the day
    (digest.timezone, Europe/Paris by default), under a week still "3 h ago"."""
    store = board.open()
    old = datetime(2016, 11, 12, 23, 30, tzinfo=UTC)  # the 13th in Paris
    store.upsert_articles([make_article("lwn", "Ten years ago", old, 99)])
    store.close()
    app = run_app()
    captions = [c.value for c in app.caption]
    assert "lwn · 13 Nov 2016 · date: first seen" not in captions  # published came from the feed
    assert any(c.startswith("lwn · 13 Nov 2016") for c in captions), captions
    assert any(c.startswith("lwn · 2 h ago") for c in captions)


def test_published_words_switch_to_the_date_beyond_a_week() -> None:
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert view.published_words(now - timedelta(days=6, hours=23), now, "Europe/Paris") == (
        "6 d ago"
    )
    assert view.published_words(datetime(2026, 11, 12, 23, 30, tzinfo=UTC), now) == "12 Nov 2026"
    assert (
        view.published_words(datetime(2026, 11, 12, 23, 30, tzinfo=UTC), now, "Europe/Paris")
        == "13 Nov 2026"
    )
    assert view.published_words(None, now) == "never"


def test_a_multi_line_note_keeps_its_lines_with_safe_links(board: Board) -> None:
    """Session 10: the card flattened a note's lines (the digest keeps them); its http(s) URLs
    are links, anything else (javascript:, Markdown) stays text."""
    note = (
        "Customizable select lands: check our forms.\n"
        "See https://example.org/x\n[bad](javascript:alert(1)) *no*"
    )
    article_id = board.ids["Gardening tips for spring"]
    store = board.open()
    store.set_note(article_id, note)
    store.close()
    app = run_app()
    (shown,) = [m.value for m in app.markdown if "edit_note" in m.value]
    lines = shown.split("  \n")
    assert len(lines) == 3, shown
    assert lines[0].endswith(r"_Customizable select lands\: check our forms\._")
    assert lines[1] == r"_See [https\:\/\/example\.org\/x](https://example.org/x)_".replace(
        r"\/", "/"
    )
    assert "](javascript" not in shown and r"\[bad\]\(javascript\:alert\(1\)\) \*no\*" in shown


def test_a_model_guess_chip_is_explained(board: Board) -> None:
    """Session 10: the grey "Cloud ?" chip was explained nowhere: its line has a tooltip."""
    article_id = board.ids["Kubernetes 2.0 scheduling changes"]
    store = board.open()
    store.update_classification(
        [
            ClassificationUpdate(
                article_id=article_id,
                topics=[TopicMatch("cloud", 0.4, ["model 0.40"])],
                score=75.0,
                score_parts={"topic": 45.0},
                explanation=["about cloud"],
                cluster_id=3,
            )
        ]
    )
    store.close()
    app = run_app()
    chips = {m.value: m.help for m in app.markdown if "-badge[" in m.value}
    assert "Not about" in chips[":gray-badge[Cloud ?]"] and "guess" in chips[":gray-badge[Cloud ?]"]
    assert not chips[":blue-badge[Security]"]


def test_sources_table_puts_the_suggestion_before_the_long_columns(board: Board) -> None:
    """Session 10: at 1400 px the Suggestion column was clipped at the right edge, and Source
    and Name repeated each other when no source has a label."""
    app = run_app("app_pages/sources.py")
    columns = list(table_of(app).columns)
    assert "Name" not in columns
    assert columns.index("Suggestion") < columns.index("Last error") == len(columns) - 1
    assert columns.index("Suggestion") < columns.index("Last success")
    label_sources(board)
    st.cache_resource.clear()  # the config is read once per board process
    app = run_app("app_pages/sources.py")
    assert list(table_of(app).columns)[:2] == ["Source", "Name"]


# -- Session 11: reading routines of a reader coming from FreshRSS / Miniflux ------------


def unread_titles(board: Board) -> set[str]:
    store = board.open()
    try:
        return {a.title for a in store.query_articles(ArticleQuery(read=False, limit=100))}
    finally:
        store.close()


def open_dialogs(app: AppTest) -> list[str]:
    """The titles of the dialogs open on the page."""
    return [d.proto.dialog.title for d in app.get("dialog") if d.proto.dialog.is_open]


def test_mark_all_matching_read_asks_first_then_reads_every_story(board: Board) -> None:
    """Session 11: "Mark page read" (25 at a time) was the only bulk action; "Mark all N
    matching as read" reads every story the filters match, after a confirmation.  Session 12
    audit: the confirmation's "Yes" was far down the tab order, and its answer sent the focus
    to the top of the page: it is a dialog now, the focus back on the button or the count."""
    hn = {"LLM model release discussed", "Vulnerability found in router firmware", HOSTILE_TITLE}
    app = run_app()
    app.multiselect(key="board_sources").set_value(["hn"]).run()
    button = app.button(key="mark_all_read")
    assert button.label == "Mark all 3 matching as read"
    button.click().run()
    assert open_dialogs(app) == ["Mark all as read?"]
    assert len(unread_titles(board)) == len(ROWS), "nothing is marked before the confirmation"
    app.button(key="mark_all_cancel").click().run()
    assert open_dialogs(app) == [] and not [b for b in app.button if b.key == "mark_all_confirm"]
    assert focus_scripts(app) == [focus.focus_script("mark_all_read")], "back on the button"
    assert len(unread_titles(board)) == len(ROWS), "Cancel marks nothing"
    app.run()
    assert open_dialogs(app) == [], "the answered question is not asked again"
    app.button(key="mark_all_read").click().run()
    app.button(key="mark_all_confirm").click().run()
    assert open_dialogs(app) == []
    assert focus_scripts(app) == [focus.focus_script(focus.LIST_TOP)], "on the count line"
    left = unread_titles(board)
    assert not hn & left
    assert "New LLM model beats benchmarks" not in left, "the hn story's lwn article too"
    assert "Kubernetes 2.0 scheduling changes" in left
    assert [t.value for t in app.toast] == ["4 articles marked read"]
    assert not titles_in_order(app)
    assert any(c.value.startswith("0 articles match") for c in app.caption)


def test_mark_read_gives_the_focus_to_the_next_card(board: Board) -> None:
    """Session 12 audit: "Mark read" took its card, and the focus, off the unread list: the
    focus went to the top of the page.  It goes to the next card (its title link), to the count
    line after the last card; it stays on the button where the card stays ("All")."""
    ids = board.ids
    app = run_app()
    titles = titles_in_order(app)
    assert "New LLM model" in titles[0] and "OpenSSL" in titles[1] and "Gardening" in titles[-1]
    app.button(key=f"read_{ids['New LLM model beats benchmarks']}").click().run()
    next_card = f"article_{ids['Critical CVE in OpenSSL patched']}"
    assert focus_scripts(app) == [focus.focus_script(next_card)]
    assert "OpenSSL" in titles_in_order(app)[0]
    app.button(key=f"read_{ids['Gardening tips for spring']}").click().run()
    assert focus_scripts(app) == [focus.focus_script(focus.LIST_TOP)]
    app.segmented_control(key="board_state").set_value("all").run()
    app.button(key=f"read_{ids['Kubernetes 2.0 scheduling changes']}").click().run()
    assert focus_scripts(app) == [], "the card stays: its button keeps the focus"


def test_a_story_read_sends_the_focus_past_its_other_copies(board: Board) -> None:
    """Without "One story per cluster" a story's copies follow one another: "Mark read" reads
    them all, so the focus goes past them (here, nothing is left but the count line)."""
    app = run_app()
    app.toggle(key="board_grouped").set_value(False).run()
    app.multiselect(key="board_topics").set_value(["ai"]).run()
    titles = titles_in_order(app)
    assert len(titles) == 2 and "New LLM model" in titles[0] and "release" in titles[1]
    app.button(key=f"read_{board.ids['New LLM model beats benchmarks']}").click().run()
    assert focus_scripts(app) == [focus.focus_script(focus.LIST_TOP)]
    assert any(c.value.startswith("0 articles match") for c in app.caption)


def test_reading_a_story_reads_its_other_articles(board: Board) -> None:
    """Session 11: with "One story per cluster", "Mark read" on the first card brought its
    duplicate (hn) back as unread: the count stayed the same."""
    app = run_app()
    assert any(c.value.startswith("6 articles match") for c in app.caption)
    app.button(key=f"read_{board.ids['New LLM model beats benchmarks']}").click().run()
    assert any(c.value.startswith("5 articles match") for c in app.caption)
    assert "LLM model release discussed" not in unread_titles(board)
    assert not any("LLM" in t for t in titles_in_order(app))


def collect_late_article(board: Board) -> int:
    """An unread article collected now (between the count and the confirmation); its id."""
    store = board.open()
    try:
        late = make_article("hn", "Collected after the count", datetime.now(UTC), 99)
        return store.upsert_articles([late]).new_ids[0]
    finally:
        store.close()


def test_mark_all_marks_what_was_counted_not_what_came_after(board: Board) -> None:
    """Session 11 review: the confirmation kept the filters, not a snapshot: an article
    collected between the count and "Yes" was marked read unseen."""
    app = run_app()
    app.button(key="mark_all_read").click().run()
    late = collect_late_article(board)
    app.run()  # the list reruns every minute: the new article is listed, not counted
    assert open_dialogs(app) == ["Mark all as read?"], "the question stays asked"
    warning = app.warning[0].value
    assert warning.startswith("Mark the 6 stories matching these filters as read")
    assert "other sources" in warning, "the stories' other copies are read too"
    confirm = app.button(key="mark_all_confirm")
    assert confirm.label == "Yes, mark 6 read"
    confirm.click().run()
    assert unread_titles(board) == {"Collected after the count"}
    assert board.open().get_article(late).read is False  # type: ignore[union-attr]
    assert [t.value for t in app.toast] == ["7 articles marked read"]


def test_a_search_of_operators_only_marks_the_n_it_counts(board: Board) -> None:
    """Session 11 review: a search made only of operators matches every unread article; the
    N shown and the articles marked agree."""
    app = run_app()
    app.toggle(key="board_grouped").set_value(False).run()
    app.text_input(key="board_text").input('OR - ""').run()
    assert any(c.value.startswith("7 articles match") for c in app.caption)
    app.button(key="mark_all_read").click().run()
    assert app.warning[0].value.startswith("Mark the 7 articles matching")
    assert "other sources" not in app.warning[0].value
    app.button(key="mark_all_confirm").click().run()
    assert unread_titles(board) == set()
    assert [t.value for t in app.toast] == ["7 articles marked read"]


def test_mark_unread_unreads_the_whole_story_as_mark_read_read_it(board: Board) -> None:
    """Session 11 review: "Mark read" read every copy of the story, "Mark unread" only the
    one clicked: reading a story could not be undone."""
    first = board.ids["New LLM model beats benchmarks"]
    app = run_app()
    app.button(key=f"read_{first}").click().run()
    assert "LLM model release discussed" not in unread_titles(board)
    app.segmented_control(key="board_state").set_value("all").run()
    button = app.button(key=f"read_{first}")
    assert button.label == "Mark unread"
    button.click().run()
    assert {"New LLM model beats benchmarks", "LLM model release discussed"} <= unread_titles(board)
    app.segmented_control(key="board_state").set_value("unread").run()
    assert any(c.value.startswith("6 articles match") for c in app.caption)


def test_mark_page_read_reads_the_whole_stories_of_the_page(board: Board) -> None:
    app = run_app()
    app.button(key="mark_page_read").click().run()
    assert unread_titles(board) == set()
    assert not titles_in_order(app)


def test_the_board_sorts_newest_first_on_demand(board: Board) -> None:
    """Session 11: the order was fixed to the score; "Newest first" orders by publication."""
    app = run_app()
    assert "Critical CVE" in titles_in_order(app)[1]  # best first: 92, 88, 75…
    app.segmented_control(key="board_order").set_value("published").run()
    expected = [
        HOSTILE_TITLE,
        "New LLM model beats benchmarks",  # its story, shown once
        "Critical CVE in OpenSSL patched",
        "Kubernetes 2.0 scheduling changes",
        "Vulnerability found in router firmware",
        "Gardening tips for spring",
    ]
    shown = titles_in_order(app)
    assert len(shown) == len(expected)
    assert all(
        view.escape_markdown(title) in line for title, line in zip(expected, shown, strict=True)
    )


def test_any_article_takes_a_note(board: Board) -> None:
    """Session 11: "Note…" appeared only on a starred or noted article."""
    article_id = board.ids["Kubernetes 2.0 scheduling changes"]
    app = run_app()
    app.text_area(key=f"note_{article_id}").input("Ask the ops team").run()
    assert board.open().get_article(article_id).note == "Ask the ops team"  # type: ignore[union-attr]
    assert board.open().get_article(article_id).starred is False  # type: ignore[union-attr]


# -- one article by its address: /?article=1234 (the digest's and alerts' links) -------------


def page_text(app: AppTest) -> str:
    """Every text the page shows: titles, headings, Markdown, captions and notes."""
    parts = [*app.title, *app.header, *app.subheader, *app.markdown, *app.caption]
    return "\n".join(str(part.value) for part in [*parts, *app.info, *app.warning])


def run_linked(value: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.query_params["article"] = value
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_the_board_address_of_an_article_opens_it_first_with_its_story(board: Board) -> None:
    """The lower-scored copy of a story, which the list hides under its best one, is shown with
    its actions, then the story's other article; "Show all articles" goes back to the list."""
    copy = board.ids["LLM model release discussed"]
    app = run_linked(str(copy))
    shown = page_text(app)
    assert shown.index("LLM model release discussed") < shown.index("Also covered by 1 source")
    assert "[New LLM model beats benchmarks](https://lwn.example.org/0) — lwn · 2 h ago" in shown
    assert "Critical CVE" not in shown, "the list is not under it"
    for action in ("read", "star", "up", "down"):
        assert app.button(key=f"{action}_{copy}")
    app.button(key=f"star_{copy}").click().run()
    assert board.open().get_article(copy).starred
    assert app.button(key=f"star_{copy}").label == "Unstar", "the card shows it at once"
    assert app.query_params == {"article": str(copy)}
    app.button(key="linked_show_all").click().run()
    assert app.query_params == {} and not app.exception
    assert "Critical CVE in OpenSSL patched" in page_text(app)
    assert any(c.value.startswith("6 articles match") for c in app.caption)


def test_an_article_not_stored_is_said_and_the_list_follows(board: Board) -> None:
    """An id removed by ``store: keep:`` since the digest was sent, or never stored here."""
    gone = max(board.ids.values()) + 100
    app = run_linked(str(gone))
    assert [w.value for w in app.warning] == [
        f"No article {gone} on the board: it may have been removed since (`store: keep:` in"
        " sources.yaml), or the link comes from another watch. All articles are shown."
    ]
    assert app.query_params == {}, "the address no longer names it"
    assert "Critical CVE in OpenSSL patched" in page_text(app)


@pytest.mark.parametrize("value", ["abc", "-3", "0", "1.5", "<b>7</b> [x](javascript:1)"])
def test_an_article_parameter_that_is_not_a_number_is_ignored_with_a_note(
    board: Board, value: str
) -> None:
    app = run_linked(value)
    [note] = [i.value for i in app.info]
    assert note.startswith("The link asks for article '") and "not an article number" in note
    assert view.escape_markdown(value) in note, "shown as typed, inert"
    assert "Critical CVE in OpenSSL patched" in page_text(app)


# -- Session 12: a board for the keyboard and the screen reader ------------------------


def test_each_card_is_a_heading_then_its_score_in_words_and_its_actions(board: Board) -> None:
    """Session 12 audit: no heading per article, the score read as a bare "72", Topics… and
    Note… in popovers drawn at the end of the page (202 Tab presses away), and a vote that
    changed the button's type (a new widget: the focus went back to the top)."""
    target = board.ids["Critical CVE in OpenSSL patched"]
    app = run_app()
    headings = app.main.header
    assert len(headings) == len(ROWS) - 1 and all(h.proto.hide_anchor for h in headings)
    assert not app.metric and "**Score 88**" in shown_text(app)
    labels = [e.label for e in app.expander]
    assert labels.count("Topics…") == labels.count("Note…") == len(ROWS) - 1
    like = app.button(key=f"up_{target}")
    assert (like.proto.type, like.label) == ("secondary", "Like") and like.help
    like.click().run()
    like = app.button(key=f"up_{target}")
    assert (like.proto.type, like.label) == ("secondary", "Liked") and "take it back" in like.help
    assert focus_scripts(app) == [focus.focus_script(f"up_{target}")], "back to Liked"
    app.run()  # the next refresh leaves the focus where it is
    assert focus_scripts(app) == []


def focus_scripts(app: AppTest) -> list[str]:
    """The page's scripts but the keyboard shortcuts' listener (sent on every run)."""
    bodies = [h.proto.body for h in app.get("html") if "<script>" in h.proto.body]
    return [body for body in bodies if body != shortcuts.LISTENER]


def test_a_vote_on_a_linked_article_keeps_the_focus_there_not_in_the_list(board: Board) -> None:
    """Session 12 review: the article view (``?article=``) remembered the Like clicked but never
    gave the focus back; after "Show all articles" the list focused that article's Like."""
    copy = board.ids["LLM model release discussed"]
    app = run_linked(str(copy))
    app.button(key=f"up_{copy}").click().run()
    assert focus_scripts(app) == [focus.focus_script(f"up_{copy}")], "back to Liked, here"
    app.button(key="linked_show_all").click().run()
    assert "Critical CVE in OpenSSL patched" in page_text(app)
    assert focus_scripts(app) == [], "the list takes no focus of the article view"


@pytest.mark.parametrize(
    "page", ["app_pages/board.py", "app_pages/trends.py", "app_pages/sources.py",
             "app_pages/digest.py"],
)  # fmt: skip
def test_headings_say_no_icon_link_nor_level_jump(board: Board, page: str) -> None:
    """Session 12 audit: "newspaper icon Team watch", a "Link to heading" after every heading,
    and sections at level 3 under the level-1 title."""
    app = run_app(page)
    headings = [*app.title, *app.header, *app.subheader]
    assert len(app.title) == 1 and not app.subheader
    assert all(h.proto.hide_anchor for h in headings)
    assert not [h.value for h in headings if ":material/" in h.value]


def test_the_volume_chart_has_its_numbers_in_a_table(board: Board) -> None:
    """Session 12 audit: the chart told topics apart by colour only, its values on hover."""
    app = run_app("app_pages/trends.py")
    week = data.iso_week(datetime.now(UTC), "Europe/Paris")
    app.selectbox(key="trends_week").set_value(week).run()
    assert app.get("vega_lite_chart")
    expander = next(e for e in app.expander if e.label == "Volumes as a table")
    table = expander.table[0].value
    report = data.trend_report(board.url, week, "Europe/Paris")
    assert table.to_numpy().sum() == sum(sum(w.values()) for w in report.volumes.values()) > 0
    assert "Artificial intelligence" in table.columns and week in list(table.index)


def test_mark_page_read_gives_the_focus_to_the_count_line(board: Board) -> None:
    """The unread page read takes every card away: the focus goes to the list's count line,
    not the top of the page; in "All" the cards stay and nothing moves the focus."""
    app = run_app()
    app.segmented_control(key="board_state").set_value("all").run()
    app.button(key="mark_page_read").click().run()
    assert focus_scripts(app) == []
    store = board.open()
    for article_id in board.ids.values():
        store.set_flags(article_id, read=False)
    store.close()
    app.segmented_control(key="board_state").set_value("unread").run()
    app.button(key="mark_page_read").click().run()
    assert focus_scripts(app) == [focus.focus_script(focus.LIST_TOP)]
