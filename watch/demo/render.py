"""Demo rendering: the demo items as RSS 2.0, Atom, JSON Feed and an HTML page of notes.

``render_documents`` gives every path the demo server answers (feeds, the page source, one
page per article, an index, a robots.txt that allows everything), rendered once against a base
URL and a ``now``.  An item with a ``body`` (a ``full_text`` source's) gets a whole site's page
(``site_page``); the others a short page repeating their summary.
"""

from __future__ import annotations

import hashlib
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape

from watch.demo.content import DemoItem, DemoSource, demo_items, demo_sources, site_url
from watch.demo.site_page import site_article_page

_ATOM = "http://www.w3.org/2005/Atom"
_DC = "http://purl.org/dc/elements/1.1/"
_MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
ROBOTS_TXT = b"User-agent: *\nDisallow:\n"
"""Everything may be fetched: article pages are read with robots.txt respected."""


@dataclass(frozen=True)
class Document:
    """One response body the server can give, with its validators."""

    body: bytes
    content_type: str
    last_modified: datetime

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


def render_documents(base_url: str, now: datetime) -> dict[str, Document]:
    """Every path the demo server answers, rendered once against ``base_url`` and ``now``."""
    items = demo_items(now.year)
    documents: dict[str, Document] = {}
    renderers = {
        "rss": _render_rss,
        "atom": _render_atom,
        "json": _render_json,
        "page": _render_page,
    }
    kinds = {
        "rss": "application/rss+xml; charset=utf-8",
        "atom": "application/atom+xml; charset=utf-8",
        "json": "application/feed+json; charset=utf-8",
        "page": "text/html; charset=utf-8",
    }
    for source in demo_sources():
        own = sorted((i for i in items if i.source == source.name), key=lambda i: i.hours_ago)
        newest = own[0].published(now) if own else now
        body = renderers[source.format](source, own, base_url, now)
        documents[source.path] = Document(body, kinds[source.format], newest)
    for item in items:
        documents[item.path] = Document(
            _article_page(item, now), kinds["page"], item.published(now)
        )
    start = now.replace(microsecond=0)
    documents["/"] = Document(_index_page(base_url), kinds["page"], start)
    documents["/robots.txt"] = Document(ROBOTS_TXT, "text/plain; charset=utf-8", start)
    return documents


def _xml(root: ET.Element) -> bytes:
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _render_rss(source: DemoSource, items: list[DemoItem], base_url: str, now: datetime) -> bytes:
    ET.register_namespace("atom", _ATOM)
    ET.register_namespace("dc", _DC)
    rss = ET.Element("rss", version="2.0")
    channel = _sub(rss, "channel")
    _sub(channel, "title", source.title)
    _sub(channel, "link", site_url(base_url, source.name) + "/")
    _sub(channel, "description", source.description)
    _sub(channel, "language", "fr-FR" if source.language == "fr" else "en-US")
    _sub(channel, "lastBuildDate", format_datetime(now.replace(microsecond=0)))
    _sub(
        channel,
        f"{{{_ATOM}}}link",
        href=base_url + source.path,
        rel="self",
        type="application/rss+xml",
    )
    for item in items:
        entry = _sub(channel, "item")
        _sub(entry, "title", item.title)
        _sub(entry, "link", item.link(base_url))
        _sub(entry, "guid", f"demo:{item.source}:{item.slug}", isPermaLink="false")
        _sub(entry, "pubDate", format_datetime(item.published(now)))
        _sub(entry, f"{{{_DC}}}creator", item.author)
        if item.summary:  # a full_text source's items may have none: the page tells
            _sub(entry, "description", f"<p>{escape(item.summary, quote=False)}</p>")
    return _xml(rss)


def _render_atom(source: DemoSource, items: list[DemoItem], base_url: str, now: datetime) -> bytes:
    ET.register_namespace("", _ATOM)
    feed = ET.Element(
        f"{{{_ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": source.language}
    )
    _sub(feed, f"{{{_ATOM}}}title", source.title)
    _sub(feed, f"{{{_ATOM}}}subtitle", source.description)
    _sub(feed, f"{{{_ATOM}}}id", f"tag:watch.demo,2025:{source.name}")
    _sub(feed, f"{{{_ATOM}}}updated", (items[0].published(now) if items else now).isoformat())
    _sub(feed, f"{{{_ATOM}}}link", href=base_url + source.path, rel="self")
    _sub(feed, f"{{{_ATOM}}}link", href=site_url(base_url, source.name) + "/", rel="alternate")
    for item in items:
        entry = _sub(feed, f"{{{_ATOM}}}entry")
        _sub(entry, f"{{{_ATOM}}}title", item.title)
        _sub(entry, f"{{{_ATOM}}}id", f"tag:watch.demo,2025:{item.source}/{item.slug}")
        _sub(entry, f"{{{_ATOM}}}link", href=item.link(base_url), rel="alternate")
        _sub(entry, f"{{{_ATOM}}}published", item.published(now).isoformat())
        _sub(entry, f"{{{_ATOM}}}updated", item.published(now).isoformat())
        _sub(_sub(entry, f"{{{_ATOM}}}author"), f"{{{_ATOM}}}name", item.author)
        _sub(
            entry, f"{{{_ATOM}}}summary", f"<p>{escape(item.summary, quote=False)}</p>", type="html"
        )
    return _xml(feed)


def _render_json(source: DemoSource, items: list[DemoItem], base_url: str, now: datetime) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": source.title,
        "description": source.description,
        "home_page_url": site_url(base_url, source.name) + "/",
        "feed_url": base_url + source.path,
        "language": source.language,
        "items": [
            {
                "id": f"demo:{item.source}:{item.slug}",
                "url": item.link(base_url),
                "title": item.title,
                "content_html": f"<p>{escape(item.summary, quote=False)}</p>",
                "date_published": item.published(now).isoformat(),
                "authors": [{"name": item.author}],
            }
            for item in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


def _french_date(moment: datetime) -> str:
    return f"{moment.day} {_MONTHS_FR.split()[moment.month - 1]} {moment.year}"


def _html(title: str, body: str, lang: str = "fr") -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n<body>\n{body}\n</body></html>\n"
    ).encode()


def _render_page(source: DemoSource, items: list[DemoItem], base_url: str, now: datetime) -> bytes:
    notes = "\n".join(
        f'<article class="note">\n  <h2><a href="{escape(item.path)}">{escape(item.title)}</a></h2>\n'
        f'  <p class="meta"><time datetime="{item.published(now).isoformat()}">'
        f"{_french_date(item.published(now))}</time> · {escape(item.author)}</p>\n"
        f'  <p class="resume">{escape(item.summary)}</p>\n</article>'
        for item in items
    )
    header = f"<header><h1>{escape(source.title)}</h1><p>{escape(source.description)}</p></header>"
    return _html(source.title, f"{header}\n<main>\n{notes}\n</main>", source.language)


def _article_page(item: DemoItem, now: datetime) -> bytes:
    if item.body:
        return site_article_page(item, item.published(now), _french_date(item.published(now)))
    body = (
        f"<article><h1>{escape(item.title)}</h1>"
        f'<p><time datetime="{item.published(now).isoformat()}">{_french_date(item.published(now))}'
        f"</time> · {escape(item.author)}</p><p>{escape(item.summary)}</p></article>"
        '<p><a href="/">Toutes les sources de démonstration</a></p>'
    )
    return _html(item.title, body)


def _index_page(base_url: str) -> bytes:
    rows = "\n".join(
        f'<li><a href="{escape(s.path)}">{escape(s.title)}</a> ({s.format}) — {escape(s.description)}</li>'
        for s in demo_sources()
    )
    return _html(
        "watch — sources de démonstration",
        f"<h1>Sources de démonstration</h1>\n<ul>\n{rows}\n</ul>",
    )
