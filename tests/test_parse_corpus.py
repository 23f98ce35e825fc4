"""PROOF on the real-world corpus (../shared/corpus, skipped when absent).

* every file in feeds/: parse_document never raises anything but ParseError and yields at least
  as many entries as feedparser alone (JSON Feed, which feedparser cannot read: more);
* wherever the fast lxml path is taken, its entries normalize to the same guid, url, title,
  text, author and date as feedparser's, except for the documented cases in KNOWN_DIFFERENCES;
* other/ gives a clean ParseError or a sensible feed; pages/ gives NotAFeed with alternates.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest

from watch.normalize import normalize_entries
from watch.parse import NotAFeed, ParseError, fallback, guard, parse_document

pytestmark = pytest.mark.corpus
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
FIELDS = ("guid", "url", "title", "summary_text", "author", "published")
KNOWN_DIFFERENCES = {
    # <link rel="alternate" href=""/>: feedparser resolves "" to the feed URL; we use the permalink id.
    "netnewswire__OneFootTsunami.atom": {"url"},
    # several descriptions per item (description, itunes:summary, media:description):
    # feedparser keeps the last one it meets, we keep the longest.
    "rssparser__itunes-missing-image.rss": {"summary_text"},
    # titles double-encoded in UTF-8 at the source: feedparser takes <media:content> text instead.
    "simplepie__feed_rss-2.0_for_file_mock.xml": {"title", "summary_text"},
    # untitled items whose only text is mis-encoded on purpose: feedparser repairs UTF-8 that was
    # double-encoded (&#226;&#128;&#166; -> "…") and guesses another charset for line noise; we
    # keep the characters as published. Title and hashed guid follow from that text.
    "feedparser__encoding-double-encoded-html.xml": {"title", "summary_text", "guid"},
    "feedparser__encoding-bozo_linenoise.xml": {"title", "summary_text", "guid"},
}


def url_for(path: Path) -> str:
    return f"https://corpus.example.com/{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def feed_files(corpus_dir: Path) -> list[Path]:
    return sorted((corpus_dir / "feeds").iterdir())


def feedparser_count(body: bytes) -> int:
    """Entries feedparser alone finds (sanitizing and URL rewriting off: same count, 2x faster)."""
    return len(feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False).entries)


def test_every_feed_parses_at_least_as_well_as_feedparser(feed_files):
    problems = []
    for path in feed_files:
        body = path.read_bytes()
        expected = feedparser_count(body)
        try:
            got = len(parse_document(body, url=url_for(path)).entries)
        except ParseError as exc:
            got, reason = 0, str(exc)
        else:
            reason = ""
        if got < expected:
            problems.append(f"{path.name}: {got} < feedparser {expected} {reason}")
    assert problems == []


def test_json_feeds_give_more_than_feedparser(feed_files):
    json_files = [p for p in feed_files if p.suffix == ".json"]
    assert len(json_files) >= 15
    for path in json_files:
        try:
            data = json.loads(path.read_bytes(), strict=False)
        except ValueError:
            with pytest.raises(ParseError, match="invalid JSON"):
                parse_document(path.read_bytes(), url=url_for(path))
            continue
        if not isinstance(data.get("items"), list) or not data["items"]:
            continue  # RSS-in-JSON, empty or not a JSON Feed: a ParseError or zero items is right
        feed = parse_document(path.read_bytes(), url=url_for(path))
        assert feed.parser == "json", path.name
        assert len(feed.entries) > feedparser_count(path.read_bytes()) == 0, path.name


def _normalized(feed, url):
    return normalize_entries(feed, source="corpus", base_url=url, fetched_at=FETCHED)


def test_fast_path_matches_feedparser_field_by_field(feed_files):
    fast_files, mismatches = 0, {}
    for path in feed_files:
        url = url_for(path)
        try:
            fast = parse_document(path.read_bytes(), url=url)
        except ParseError:
            continue
        if fast.parser != "fast":
            continue
        fast_files += 1
        text = guard.strip_control_characters(guard.decode_body(path.read_bytes())).lstrip()
        data = text.split("?>", 1)[1] if text.startswith("<?xml") else text
        slow = fallback.convert(fallback._feedparse(data.encode(), url))
        ours, theirs = _normalized(fast, url), _normalized(slow, url)
        assert len(ours) == len(theirs), path.name
        for mine, other in zip(ours, theirs, strict=True):
            for field in FIELDS:
                a, b = getattr(mine, field), getattr(other, field)
                if field == "guid" and b == urljoin(url, a):
                    continue  # feedparser resolves ids as URLs; we keep the publisher's id
                if field == "author" and not b:
                    continue  # feedparser lets a later empty <dc:creator/> erase the author
                if a != b:
                    mismatches.setdefault(path.name, set()).add(field)
    assert fast_files >= 150
    unexpected = {
        name: fields - KNOWN_DIFFERENCES.get(name, set())
        for name, fields in mismatches.items()
        if fields - KNOWN_DIFFERENCES.get(name, set())
    }
    assert unexpected == {}


def test_other_inputs_give_a_clean_error_or_a_feed(corpus_dir):
    outcomes = {}
    for path in sorted((corpus_dir / "other").iterdir()):
        try:
            outcomes[path.name] = len(parse_document(path.read_bytes(), url=url_for(path)).entries)
        except ParseError as exc:
            outcomes[path.name] = str(exc)
    assert outcomes["netnewswire__Subs.opml"].startswith("not a feed (OPML")
    assert outcomes["feedrs__xml_sample_1.xml"] == "not a feed (unrecognized <catalog> document)"
    assert outcomes["nodefeedparser__compressed.xml"] == 10  # gzip body, inflated
    assert all(isinstance(v, int) or v.startswith("not a feed") for v in outcomes.values()), (
        outcomes
    )


def test_pages_are_not_feeds_and_advertise_their_alternates(corpus_dir):
    alternates = {}
    for path in sorted((corpus_dir / "pages").iterdir()):
        with pytest.raises(NotAFeed) as caught:
            parse_document(path.read_bytes(), url=url_for(path), content_type="text/html")
        alternates[path.name] = caught.value.alternates
    assert alternates["netnewswire__DaringFireball.html"] == [
        "https://corpus.example.com/feeds/main"
    ]
    assert alternates["netnewswire__rscore-inessential.html"] == [
        "https://inessential.com/xml/rss.xml",
        "https://inessential.com/feed.json",
    ]
    assert alternates["netnewswire__inessential.html"] == ["http://inessential.com/xml/rss.xml"]
    assert alternates["reader__sqlite_releases.html"] == []
    assert all(u.startswith(("http://", "https://")) for urls in alternates.values() for u in urls)
