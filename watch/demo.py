"""The demo: the project's own sample sources, served on 127.0.0.1 so `watch demo` needs no internet.

This module owns the demo content (generated deterministically from ``watch/demo_data/``: the
sources, the templates of everyday items, the stories covered by several sources and the
emerging term of the last week), its rendering as RSS 2.0, Atom, JSON Feed and an HTML page,
the local HTTP server that serves it (ETag / Last-Modified, 304 answers), and the
``sources.yaml`` text that points ``watch`` at it.  Items are "N hours ago"; they get dates
against ``now`` when the server starts, so the demo always looks current.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

DATA_DIR = Path(__file__).with_name("demo_data")
ROOT_SOURCES_YAML = Path(__file__).resolve().parents[1] / "sources.yaml"
_ATOM = "http://www.w3.org/2005/Atom"
_DC = "http://purl.org/dc/elements/1.1/"
_MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


@dataclass(frozen=True)
class DemoSource:
    """One demo source as described in demo_data/sources.json."""

    name: str
    title: str
    format: str
    """rss, atom, json or page."""
    path: str
    language: str
    every: str
    topics: tuple[str, ...]
    weight: float
    count: int
    description: str
    mix: dict[str, float]
    select: dict[str, str] | None = None


@dataclass(frozen=True)
class DemoItem:
    """One demo article, dated relative to "now"."""

    source: str
    slug: str
    title: str
    summary: str
    hours_ago: float
    author: str
    topic: str | None
    """The template topic of an everyday item; None for story items."""
    story: str | None = None
    """The key of the story (stories.json) this item covers, the same across sources."""
    via: str | None = None
    """For aggregator items: the path and query (tracking parameters) of the original item."""

    @property
    def path(self) -> str:
        return f"/a/{self.source}/{self.slug}"

    def link(self, base_url: str) -> str:
        return base_url + (self.via or self.path)

    def published(self, now: datetime) -> datetime:
        return (now - timedelta(hours=self.hours_ago)).replace(microsecond=0)


def _read_json(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def demo_sources() -> tuple[DemoSource, ...]:
    """The demo sources, in the order of demo_data/sources.json."""
    raw = _read_json("sources.json")["sources"]
    fields = DemoSource.__dataclass_fields__
    return tuple(
        DemoSource(**{k: tuple(v) if k == "topics" else v for k, v in s.items() if k in fields})
        for s in raw
    )


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII, lowercase, dash-separated: ``Sécurité : CVE`` → ``securite-cve``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


class _Values(dict[str, str]):
    """Placeholder values for one item: picked on first use, then reused (title and summary)."""

    def __init__(self, rng: random.Random, vocab: dict[str, list[str]], year: int):
        super().__init__()
        self.rng, self.vocab, self.year = rng, vocab, year

    def __missing__(self, key: str) -> str:
        generated = {
            "version": lambda: f"{self.rng.randint(1, 4)}.{self.rng.randint(0, 20)}.{self.rng.randint(0, 9)}",
            "major": lambda: str(self.rng.randint(120, 145)),
            "minor": lambda: str(self.rng.randint(28, 35)),
            "n": lambda: str(self.rng.randint(3, 60)),
            "cve": lambda: f"CVE-{self.year}-{self.rng.randint(20000, 59999)}",
            "year": lambda: str(self.year),
        }
        value = generated[key]() if key in generated else self.rng.choice(self.vocab[key])
        self[key] = value
        return value


@cache
def demo_items(year: int = 2025) -> tuple[DemoItem, ...]:
    """Every demo item (everyday items then stories), deterministic for a given year."""
    config = _read_json("sources.json")
    templates = _read_json("templates.json")
    rng = random.Random(config["seed"])
    used: set[str] = set()
    items: list[DemoItem] = []
    for source in demo_sources():
        for _ in range(source.count):
            items.append(_everyday_item(source, templates, rng, config["days"], year, used))
    authors = {s.name: templates["authors"][s.language][0] for s in demo_sources()}
    items.extend(_story_items(_read_json("stories.json")["stories"], authors, used))
    return tuple(items)


def _everyday_item(
    source: DemoSource, templates: dict[str, Any], rng: random.Random, days: int, year: int, used: set[str]
) -> DemoItem:
    topic = rng.choices(list(source.mix), weights=list(source.mix.values()))[0]
    texts = templates["topics"][topic][source.language]
    for _ in range(50):
        values = _Values(rng, templates["vocab"], year)
        title = rng.choice(texts["titles"]).format_map(values)
        if title not in used:
            break
    used.add(title)
    summary = rng.choice(texts["summaries"]).format_map(values)
    slug = _unique_slug(title, used)
    author = rng.choice(templates["authors"][source.language])
    hours = round(rng.uniform(1.0, days * 24.0), 2)
    return DemoItem(source.name, slug, title, summary, hours, author, topic)


def _unique_slug(title: str, used: set[str]) -> str:
    slug, number = slugify(title), 2
    while f"slug:{slug}" in used:
        slug, number = f"{slugify(title)}-{number}", number + 1
    used.add(f"slug:{slug}")
    return slug


def _story_items(
    stories: list[dict[str, Any]], authors: dict[str, str], used: set[str]
) -> list[DemoItem]:
    items: list[DemoItem] = []
    for story in stories:
        by_source: dict[str, DemoItem] = {}
        for raw in story["items"]:
            original = by_source.get(raw.get("via", ""))
            via = f"{original.path}?{raw['utm']}" if original else None
            hours = round(story["days_ago"] * 24 - raw["after_h"], 2)
            slug = _unique_slug(raw["title"], used)
            author = authors[raw["source"]]
            item = DemoItem(
                raw["source"], slug, raw["title"], raw["summary"], max(hours, 0.5), author,
                topic=None, story=story["key"], via=via,
            )
            by_source[item.source] = item
            items.append(item)
    return items


def demo_article_count() -> int:
    """How many items the demo serves across all its sources (duplicates included)."""
    return len(demo_items())


# --- rendering -----------------------------------------------------------------------------


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
    renderers = {"rss": _render_rss, "atom": _render_atom, "json": _render_json, "page": _render_page}
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
        documents[item.path] = Document(_article_page(item, now), kinds["page"], item.published(now))
    documents["/"] = Document(_index_page(base_url), kinds["page"], now.replace(microsecond=0))
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
    _sub(channel, "link", base_url + "/")
    _sub(channel, "description", source.description)
    _sub(channel, "language", "fr-FR" if source.language == "fr" else "en-US")
    _sub(channel, "lastBuildDate", format_datetime(now.replace(microsecond=0)))
    _sub(channel, f"{{{_ATOM}}}link", href=base_url + source.path, rel="self", type="application/rss+xml")
    for item in items:
        entry = _sub(channel, "item")
        _sub(entry, "title", item.title)
        _sub(entry, "link", item.link(base_url))
        _sub(entry, "guid", f"demo:{item.source}:{item.slug}", isPermaLink="false")
        _sub(entry, "pubDate", format_datetime(item.published(now)))
        _sub(entry, f"{{{_DC}}}creator", item.author)
        _sub(entry, "description", f"<p>{escape(item.summary, quote=False)}</p>")
    return _xml(rss)


def _render_atom(source: DemoSource, items: list[DemoItem], base_url: str, now: datetime) -> bytes:
    ET.register_namespace("", _ATOM)
    feed = ET.Element(f"{{{_ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": source.language})
    _sub(feed, f"{{{_ATOM}}}title", source.title)
    _sub(feed, f"{{{_ATOM}}}subtitle", source.description)
    _sub(feed, f"{{{_ATOM}}}id", f"tag:watch.demo,2025:{source.name}")
    _sub(feed, f"{{{_ATOM}}}updated", (items[0].published(now) if items else now).isoformat())
    _sub(feed, f"{{{_ATOM}}}link", href=base_url + source.path, rel="self")
    _sub(feed, f"{{{_ATOM}}}link", href=base_url + "/", rel="alternate")
    for item in items:
        entry = _sub(feed, f"{{{_ATOM}}}entry")
        _sub(entry, f"{{{_ATOM}}}title", item.title)
        _sub(entry, f"{{{_ATOM}}}id", f"tag:watch.demo,2025:{item.source}/{item.slug}")
        _sub(entry, f"{{{_ATOM}}}link", href=item.link(base_url), rel="alternate")
        _sub(entry, f"{{{_ATOM}}}published", item.published(now).isoformat())
        _sub(entry, f"{{{_ATOM}}}updated", item.published(now).isoformat())
        _sub(_sub(entry, f"{{{_ATOM}}}author"), f"{{{_ATOM}}}name", item.author)
        _sub(entry, f"{{{_ATOM}}}summary", f"<p>{escape(item.summary, quote=False)}</p>", type="html")
    return _xml(feed)


def _render_json(source: DemoSource, items: list[DemoItem], base_url: str, now: datetime) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": source.title,
        "description": source.description,
        "home_page_url": base_url + "/",
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
    return _html("watch — sources de démonstration", f"<h1>Sources de démonstration</h1>\n<ul>\n{rows}\n</ul>")


# --- server --------------------------------------------------------------------------------


def _is_fresh(document: Document, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """True when the client's validators say its copy is current (answer 304)."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or document.etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and document.last_modified <= since
    return False


def _handler_for(documents: dict[str, Document]) -> type[BaseHTTPRequestHandler]:
    class DemoHandler(BaseHTTPRequestHandler):
        server_version = "watch-demo/1.0"

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            document = documents.get(urlsplit(self.path).path)
            if document is None:
                self.send_error(404, "No such demo document")
                return
            fresh = _is_fresh(document, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
            self.send_response(304 if fresh else 200)
            self.send_header("ETag", document.etag)
            self.send_header("Last-Modified", format_datetime(document.last_modified, usegmt=True))
            self.send_header("Cache-Control", "no-cache")
            if not fresh:
                self.send_header("Content-Type", document.content_type)
                self.send_header("Content-Length", str(len(document.body)))
            self.end_headers()
            if with_body and not fresh:
                self.wfile.write(document.body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the demo is not a log
            return

    return DemoHandler


class DemoServer:
    """Serves the demo sources on ``host`` (a free port unless given) in a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, now: datetime | None = None):
        self.host, self._requested_port, self.now = host, port, now
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("DemoServer is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> DemoServer:
        documents: dict[str, Document] = {}
        self._server = ThreadingHTTPServer((self.host, self._requested_port), _handler_for(documents))
        self._server.daemon_threads = True
        now = (self.now or datetime.now(UTC)).astimezone(UTC)
        documents.update(render_documents(self.base_url, now))
        self._thread = threading.Thread(target=self._server.serve_forever, name="watch-demo", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# --- sources.yaml for the demo -------------------------------------------------------------


def demo_topics() -> list[dict[str, Any]]:
    """The starter topics: from the repository's sources.yaml when reachable, else the copy."""
    from watch.config import ConfigError, load_config

    try:
        topics = load_config(ROOT_SOURCES_YAML).topics
    except ConfigError:
        topics = load_config(DATA_DIR / "topics.yaml").topics
    return [
        {k: list(v) if isinstance(v, tuple) else v for k, v in t.model_dump().items() if v}
        for t in topics
    ]


def demo_sources_yaml(base_url: str, port: int) -> str:
    """A complete sources.yaml for the demo: its sources at ``base_url``, the starter topics."""
    topics = demo_topics()
    known = {t["name"] for t in topics}
    host = urlsplit(base_url).hostname or "127.0.0.1"
    data = {
        "name": "Veille technologique — démonstration",
        "fetch": {"allow_private": [f"{host}:{port}"]},
        "digest": {
            "schedule": "mon 08:00",
            "timezone": "Europe/Paris",
            "recipients": ["equipe-web@example.org"],
            "stories_per_topic": 5,
            "board_url": "http://localhost:8501",
        },
        "topics": topics,
        "sources": [_demo_source_entry(s, base_url.rstrip("/"), known) for s in demo_sources()],
    }
    out = io.StringIO()
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.dump(_flow_leaf_lists(data), out)
    header = (
        "# sources.yaml written by `watch demo`: the demo sources, served on this machine by\n"
        "# watch.demo.DemoServer, and the topics of the starter sources.yaml. Regenerated at\n"
        "# every `watch demo`; copy the repository's sources.yaml to start your own watch.\n"
    )
    return header + out.getvalue()


def _flow_leaf_lists(node: Any) -> Any:
    """Lists of scalars as ``[a, b]`` (as a person writes them), the rest in block style."""
    if isinstance(node, dict):
        return CommentedMap((k, _flow_leaf_lists(v)) for k, v in node.items())
    if isinstance(node, list):
        if all(isinstance(v, str | int | float) for v in node):
            seq = CommentedSeq(node)
            seq.fa.set_flow_style()
            return seq
        return CommentedSeq(_flow_leaf_lists(v) for v in node)
    return node


def _demo_source_entry(source: DemoSource, base_url: str, known: set[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": source.name, "url": base_url + source.path}
    if source.format == "page":
        entry["kind"] = "page"
    entry["every"] = source.every
    entry["topics"] = [t for t in source.topics if t in known]
    entry["weight"] = source.weight
    if source.select:
        entry["select"] = dict(source.select)
    return entry
