"""Hostile documents against the parse stage: what an attacker's feed must not get through.

Each case is a whole document as a server would send it; the parse must refuse it in words (or
read it harmlessly) within its time limit.
"""

from __future__ import annotations

import pytest

from watch.parse import ParseError, parse_document

LAUGHS = '<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
)
ITEM = "<item><title>&l9;</title><link>https://e.example/1</link></item>"
RSS = '<rss version="2.0"><channel><title>&l9;</title>' + ITEM + "</channel></rss>"


@pytest.mark.parametrize(
    "prolog",
    [
        f"<!DOCTYPE rss [{LAUGHS}]>",
        f"<!-- <a --><!DOCTYPE rss [{LAUGHS}]>",
        f"<?pi <a?><!DOCTYPE rss [{LAUGHS}]>",
        f'<!DOCTYPE rss SYSTEM "<a" [{LAUGHS}]>',
        f"<!DOCTYPE rss PUBLIC '-//<b>//' 'x.dtd' [{LAUGHS}]>",
        f"<!-- <x> -->\n<!DOCTYPE rss [\n{LAUGHS}\n]>",
    ],
)
def test_entity_declarations_are_refused_whatever_hides_them(prolog: str) -> None:
    """A ``<a`` inside a comment, a processing instruction or the DOCTYPE's quoted identifiers
    used to end the prolog early, and the internal subset behind it went unseen (feedparser then
    expanded its entities)."""
    document = f'<?xml version="1.0"?>{prolog}{RSS}'.encode()
    with pytest.raises(ParseError, match=r"^document declares entities \(refused\)$"):
        parse_document(document, url="https://e.example/feed")


def test_feeds_with_an_external_dtd_comments_or_entity_talk_in_the_body_still_parse() -> None:
    document = (
        b'<?xml version="1.0"?><!-- generator: <cms> 4.2 -->'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        b'<rss version="0.91"><channel><title>t</title><link>https://e.example/</link>'
        b"<description>d</description><item><title>XXE explained</title>"
        b"<link>https://e.example/xxe</link>"
        b'<description><![CDATA[<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>]]>'
        b"</description></item></channel></rss>"
    )
    feed = parse_document(document, url="https://e.example/feed")
    [entry] = feed.entries
    assert entry.title == "XXE explained" and "<!ENTITY xxe" in (entry.summary or "")


DEEP = 100_000


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            "<rss>" + "<a>" * DEEP + "</a>" * DEEP + "</rss>",
            "document nested more than 256 levels (refused)",
        ),
        (
            "<rss>&nbsp;" + "<a>" * DEEP + "</a>" * DEEP + "</rss>",
            "document nested more than 256 levels (refused)",
        ),
        (
            "<rss><channel " + " ".join(f'a{i}="1"' for i in range(1_000_000)) + "/></rss>",
            "document has a tag or a text larger than 10 MB (refused)",
        ),
    ],
    ids=["deep", "deep-and-ill-formed", "a-million-attributes"],
)
def test_xml_beyond_lxml_limits_is_refused_without_feedparser(document: str, message: str) -> None:
    """lxml stops at these at once; feedparser, the fallback, took 7 s (100,000 levels) or the
    whole time limit (a million attributes) to read them."""
    with pytest.raises(ParseError) as refused:
        parse_document(document.encode(), url="https://e.example/feed", time_limit=10.0)
    assert str(refused.value) == message


def test_a_feed_255_levels_deep_still_parses() -> None:
    nested = "<span>" * 252 + "x" + "</span>" * 252  # with rss, channel, item: 255 levels
    document = (
        f"<rss><channel><title>t</title><item><title>a</title>{nested}</item></channel></rss>"
    )
    feed = parse_document(document.encode(), url="https://e.example/feed")
    assert [entry.title for entry in feed.entries] == ["a"]


def test_json_nested_too_deeply_is_refused_in_words() -> None:
    """It said "not a feed (invalid JSON: maximum recursion depth exceeded while decoding…)"."""
    items = "[" * DEEP + "]" * DEEP
    document = '{"version": "https://jsonfeed.org/version/1.1", "items": ' + items + "}"
    with pytest.raises(ParseError, match=r"^JSON nested too deeply \(refused\)$"):
        parse_document(document.encode(), url="https://e.example/feed.json")
