"""The demo server serves every demo source, parseable, dated over weeks, with duplicates and 304s."""

from __future__ import annotations

import json
import string
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import feedparser
import httpx
import pytest
from bs4 import BeautifulSoup

from watch.config import load_config, parse_config
from watch.demo import (
    DemoServer,
    demo_article_count,
    demo_items,
    demo_sources,
    demo_sources_yaml,
)
from watch.demo.content import DATA_DIR
from watch.demo.render import render_documents
from watch.digest import build_digest
from watch.full_text import PER_PASS
from watch.models import TrendReport

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(now=NOW) as demo:
        yield demo


@pytest.fixture(scope="module")
def served(server: DemoServer) -> dict[str, list[dict[str, str]]]:
    """Per source: the entries as a reader sees them (title, link, published ISO date)."""
    result = {}
    with httpx.Client(base_url=server.base_url) as client:
        for source in demo_sources():
            response = client.get(source.path)
            assert response.status_code == 200, source.path
            result[source.name] = _entries(source.format, response, source.select)
    return result


def _entries(
    fmt: str, response: httpx.Response, select: dict[str, str] | None
) -> list[dict[str, str]]:
    if fmt in ("rss", "atom"):
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == ("rss20" if fmt == "rss" else "atom10")
        return [
            {
                "title": e.title,
                "link": e.link,
                "published": datetime(*e.published_parsed[:6], tzinfo=UTC).isoformat(),
            }
            for e in feed.entries
        ]
    if fmt == "json":
        document = response.json()
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        return [
            {"title": i["title"], "link": i["url"], "published": i["date_published"]}
            for i in document["items"]
        ]
    assert select is not None
    soup = BeautifulSoup(response.text, "html.parser")
    entries = []
    for node in soup.select(select["item"]):
        link = node.select_one(select["link"].split("@")[0])
        date = node.select_one(select["date"].split("@")[0])
        assert (
            link is not None and date is not None and node.select_one(select["summary"]) is not None
        )
        absolute = str(response.url.join(str(link["href"])))
        entries.append(
            {"title": link.get_text(), "link": absolute, "published": str(date["datetime"])}
        )
    return entries


def test_every_source_is_served_with_its_expected_entries(
    served: dict[str, list[dict[str, str]]],
) -> None:
    expected = Counter(item.source for item in demo_items(NOW.year))
    assert {name: len(entries) for name, entries in served.items()} == dict(expected)
    assert sum(len(entries) for entries in served.values()) == demo_article_count()
    assert 300 <= demo_article_count() <= 400
    assert {s.format for s in demo_sources()} == {"rss", "atom", "json", "page"}


def test_article_links_resolve_on_the_server(
    server: DemoServer, served: dict[str, list[dict[str, str]]]
) -> None:
    links = [entry["link"] for entries in served.values() for entry in entries]
    port = server.base_url.rsplit(":", 1)[1]
    sites = {link.split("/")[2] for link in links}
    assert {site.removesuffix(f".localhost:{port}") for site in sites} <= {
        *(source.name for source in demo_sources()),
        f"127.0.0.1:{port}",  # the page source's relative links: its own site, the server's
    }, "each source links to its own site, so coverage counts them apart"
    assert len(sites) >= 5
    with httpx.Client() as client:
        for link in links[::25]:
            site, path = link.split("/", 3)[2:]  # Python does not resolve *.localhost: by hand
            answer = client.get(f"{server.base_url}/{path}", headers={"Host": site})
            assert answer.status_code == 200, link
        assert client.get(server.base_url + "/a/nope/nothing").status_code == 404
        assert "Sources de démonstration" in client.get(server.base_url + "/").text


def test_dates_span_several_weeks_and_none_is_in_the_future(
    served: dict[str, list[dict[str, str]]],
) -> None:
    dates = [datetime.fromisoformat(e["published"]) for entries in served.values() for e in entries]
    assert max(dates) <= NOW
    assert NOW - max(dates) < timedelta(days=1)
    assert NOW - min(dates) > timedelta(weeks=5)
    weeks = Counter((NOW - d).days // 7 for d in dates)
    assert all(weeks[w] >= 20 for w in range(6)), weeks


def test_same_story_is_covered_by_several_sources_with_tracking_links(
    served: dict[str, list[dict[str, str]]],
) -> None:
    sources_by_story = defaultdict(set)
    for item in demo_items(NOW.year):
        if item.story:
            sources_by_story[item.story].add(item.source)
    covered = [story for story, sources in sources_by_story.items() if len(sources) >= 2]
    assert len(covered) >= 5
    assert max(len(s) for s in sources_by_story.values()) >= 4
    all_links = {e["link"] for entries in served.values() for e in entries}
    tracked = [link for link in all_links if "utm_source=" in link]
    assert len(tracked) >= 3
    for link in tracked:  # the aggregator points at the original item, plus tracking parameters
        assert link.split("?")[0] in all_links


def test_an_emerging_term_appears_only_in_the_last_week(
    served: dict[str, list[dict[str, str]]],
) -> None:
    mentions = [
        (name, datetime.fromisoformat(e["published"]))
        for name, entries in served.items()
        for e in entries
        if "fluxbleed" in e["title"].lower()
    ]
    assert len(mentions) >= 8
    assert len({name for name, _ in mentions}) >= 4
    assert all(NOW - when < timedelta(days=7) for _, when in mentions)


def test_both_languages_and_off_topic_items_are_present() -> None:
    assert {s.language for s in demo_sources()} == {"fr", "en"}
    topics = Counter(item.topic for item in demo_items(NOW.year) if item.topic)
    assert topics["off-topic"] >= 20
    assert all(
        topics[name] >= 10
        for name in (
            "securite",
            "web-frontend",
            "accessibilite",
            "ia",
            "cloud-devops",
            "donnees",
            "open-source",
            "rgpd-legal",
        )
    )


def test_robots_txt_allows_every_page(server: DemoServer) -> None:
    """Article pages are read with robots.txt respected: the demo server answers one."""
    answer = httpx.get(server.base_url + "/robots.txt")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(answer.text.splitlines())
    assert robots.entries or robots.default_entry, "a robots.txt with rules, not an empty one"
    item = next(item for item in demo_items(NOW.year) if item.body)
    assert robots.can_fetch("watch", item.link(server.base_url))


def test_the_full_text_source_gives_titles_and_its_pages_the_articles(
    server: DemoServer,
) -> None:
    """Veille Express's feed has titles, often vague, and no more than a line; each item's page
    (on the server's own address, which watch can fetch) is a whole site's page around it."""
    source = next(s for s in demo_sources() if s.full_text)
    items = [item for item in demo_items(NOW.year) if item.source == source.name]
    assert len(items) <= PER_PASS, "the demo's one pass reads every page"
    pages = json.loads((DATA_DIR / "article_pages.json").read_text(encoding="utf-8"))
    feed = feedparser.parse(httpx.get(server.base_url + source.path).content)
    assert len(feed.entries) == len(items)
    summaries = [BeautifulSoup(e.get("summary", ""), "html.parser").text for e in feed.entries]
    assert all(len(summary) <= 140 for summary in summaries), "a title and at most one line"
    assert summaries.count("") >= len(summaries) - 2
    assert sum(entry.title in pages["vague_titles"] for entry in feed.entries) >= 5
    with httpx.Client() as client:
        for item in items:
            link = item.link(server.base_url)
            assert link.startswith(server.base_url + "/a/"), link
            soup = BeautifulSoup(client.get(link).text, "html.parser")
            assert soup.select("header nav a") and soup.select("aside a")
            assert soup.select_one("footer form") and soup.select_one(".cookie-banner")
            paragraphs = [p.get_text() for p in soup.select("article p:not(.byline)")]
            assert paragraphs == list(item.body) and len(paragraphs) >= 3


def test_conditional_requests_get_304(server: DemoServer) -> None:
    with httpx.Client(base_url=server.base_url) as client:
        first = client.get("/feeds/secu-hebdo.xml")
        etag = first.headers["etag"]
        again = client.get("/feeds/secu-hebdo.xml", headers={"If-None-Match": etag})
        assert (again.status_code, again.content) == (304, b"")
        assert again.headers["etag"] == etag
        modified = client.get("/feeds/cloud-status.json").headers["last-modified"]
        by_date = client.get("/feeds/cloud-status.json", headers={"If-Modified-Since": modified})
        assert by_date.status_code == 304
        older = "Mon, 01 Jan 2024 00:00:00 GMT"
        assert (
            client.get("/feeds/cloud-status.json", headers={"If-Modified-Since": older}).status_code
            == 200
        )
        stale = client.get("/feeds/secu-hebdo.xml", headers={"If-None-Match": '"other"'})
        assert stale.status_code == 200 and stale.content == first.content


def test_rendering_is_deterministic_for_a_given_now() -> None:
    first = render_documents("http://127.0.0.1:9", NOW)
    second = render_documents("http://127.0.0.1:9", NOW)
    assert {p: d.etag for p, d in first.items()} == {p: d.etag for p, d in second.items()}
    later = render_documents("http://127.0.0.1:9", NOW + timedelta(days=3))
    assert later["/feeds/secu-hebdo.xml"].etag != first["/feeds/secu-hebdo.xml"].etag


def test_demo_yaml_validates_and_points_at_the_server(server: DemoServer) -> None:
    config = parse_config(demo_sources_yaml(server.base_url, server.port), "demo.yaml")
    assert config.fetch.allow_private == (f"127.0.0.1:{server.port}",)
    assert [s.name for s in config.sources] == [s.name for s in demo_sources()]
    assert [s.label for s in config.sources] == [s.title for s in demo_sources()]
    assert config.source_label("secu-hebdo") == "Sécu Hebdo", "the board and digest show it"
    assert all(urlsplit(s.url).port == server.port for s in config.sources)
    page = config.source("a11y-notes")
    assert page.kind == "page" and page.select is not None
    assert config.source("veille-express").full_text is True
    starter = load_config(ROOT / "sources.yaml")
    assert config.topics == starter.topics
    assert config.digest.recipients


def test_the_demo_digest_speaks_french_like_its_topics(server: DemoServer) -> None:
    """Session 10 audit: the demo's preview mixed "Weekly digest — 16–22 Nov 2026" with
    "Why: Sécurité: 'faille' in the title"."""
    config = parse_config(demo_sources_yaml(server.base_url, server.port), "demo.yaml")
    assert config.digest.language == "fr"
    digest = build_digest(config=config, week="2026-W47", articles=[], source_states=[],
                          trends=TrendReport(week="2026-W47"), now=NOW)  # fmt: skip
    assert digest.heading.startswith("Synthèse hebdomadaire du 16 au 22 nov. 2026"), digest.heading


def test_fallback_topics_copy_matches_the_starter_file() -> None:
    assert load_config(DATA_DIR / "topics.yaml").topics == load_config(ROOT / "sources.yaml").topics


def test_data_files_are_json_and_stories_name_known_sources() -> None:
    names = {s.name for s in demo_sources()}
    stories = json.loads((DATA_DIR / "stories.json").read_text(encoding="utf-8"))["stories"]
    assert {item["source"] for story in stories for item in story["items"]} <= names


def test_every_title_template_has_summaries_with_known_placeholders() -> None:
    """A summary belongs to its title (same placeholder values); every placeholder is filled."""
    templates = json.loads((DATA_DIR / "templates.json").read_text(encoding="utf-8"))
    generated = {"version", "major", "minor", "n", "cve", "year"}
    known = set(templates["vocab"]) | generated
    for topic, languages in templates["topics"].items():
        for language, texts in languages.items():
            assert texts["items"], (topic, language)
            for pair in texts["items"]:
                assert pair["summaries"], pair["title"]
                for text in [pair["title"], *pair["summaries"]]:
                    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
                    assert names <= known, text


def test_article_pages_have_a_paragraph_for_every_topic_and_known_placeholders() -> None:
    """The pages of the full_text source's items are filled like the templates, plus the
    quoted title of a vague item (``headline``)."""
    templates = json.loads((DATA_DIR / "templates.json").read_text(encoding="utf-8"))
    pages = json.loads((DATA_DIR / "article_pages.json").read_text(encoding="utf-8"))
    assert set(pages["topics"]) == set(templates["topics"])
    known = set(templates["vocab"]) | {"version", "major", "minor", "n", "cve", "year", "headline"}
    paragraphs = [text for texts in pages["topics"].values() for text in texts]
    for text in [*pages["intros"], *paragraphs, *pages["closings"]]:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert names <= known, text


def test_server_stops_and_frees_its_port() -> None:
    demo = DemoServer(now=NOW).start()
    url = demo.base_url + "/"
    assert httpx.get(url).status_code == 200
    demo.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)
    with pytest.raises(RuntimeError):
        _ = demo.port
