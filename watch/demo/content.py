"""Demo content: the demo sources and their items, generated deterministically from demo_data/.

Everyday items come from templates (``templates.json``) filled with a fixed random seed: a title
and one of its own summaries, so both tell the same story with the same placeholder values.  A
source takes its least used templates first, so one feed does not repeat a headline pattern
("Bons plans : 24 % / 9 % / 54 % …") while others wait;
stories (``stories.json``) are the same event covered by several sources, reworded, sometimes
linking the original with tracking parameters, plus the emerging term of the last week.
Items are "N hours ago"; they get a date only against a ``now``.  An item links to its
source's own site, ``http://<source>.localhost:PORT`` (``site_url``: the demo server answers
every name, browsers send ``*.localhost`` to the loopback, RFC 6761), which the feed also names
as its home page: coverage counts sites, and each demo source is one.

A ``full_text`` source (Veille Express) gives titles only in its feed, and every other title
says nothing of the topic ("Ce que nous avons appris cette semaine"); its items carry the
paragraphs of their page (``body``, from ``article_pages.json``), which watch reads.  They link
to the server's own address: watch fetches them, and Python's resolver, unlike browsers, does
not send ``*.localhost`` to the loopback.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "demo_data"


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
    full_text: bool = False
    """Whether watch reads each item's page (``full_text: true`` in the demo's sources.yaml)."""


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
    body: tuple[str, ...] = ()
    """The paragraphs of the item's page, for a ``full_text`` source's item; empty: the page
    repeats the summary."""

    @property
    def path(self) -> str:
        return f"/a/{self.source}/{self.slug}"

    def link(self, base_url: str) -> str:
        """The item's web link, on the site of the source it comes from (``site_url``); an item
        with a ``body`` is on ``base_url`` itself, where watch can fetch its page."""
        if self.body:
            return base_url + self.path
        path = self.via or self.path
        return site_url(base_url, path.split("/")[2]) + path  # /a/<its source>/<slug>

    def published(self, now: datetime) -> datetime:
        return (now - timedelta(hours=self.hours_ago)).replace(microsecond=0)


def site_url(base_url: str, source: str) -> str:
    """``http://<source>.localhost:PORT``: the demo source's own site on the demo server."""
    return base_url.replace("//127.0.0.1:", f"//{source}.localhost:", 1)


def _read_json(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def demo_sources() -> tuple[DemoSource, ...]:
    """The demo sources, in the order of demo_data/sources.json."""
    raw: list[dict[str, Any]] = _read_json("sources.json")["sources"]
    fields = DemoSource.__dataclass_fields__
    sources = []
    for entry in raw:
        known: dict[str, Any] = {k: v for k, v in entry.items() if k in fields}
        sources.append(DemoSource(**{**known, "topics": tuple(known["topics"])}))
    return tuple(sources)


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
            "version": lambda: (
                f"{self.rng.randint(1, 4)}.{self.rng.randint(0, 20)}.{self.rng.randint(0, 9)}"
            ),
            "major": lambda: str(self.rng.randint(120, 145)),
            "minor": lambda: str(self.rng.randint(28, 35)),
            "n": lambda: str(self.rng.randint(3, 60)),
            "cve": lambda: f"CVE-{self.year}-{self.rng.randint(20000, 59999)}",
            "year": lambda: str(self.year),
        }
        value = generated[key]() if key in generated else self.rng.choice(self.vocab[key])
        self[key] = value
        return value


@dataclass
class _Drawing:
    """What drawing the everyday items shares: the data, the seeded generator, the titles used."""

    templates: dict[str, Any]
    pages: dict[str, Any]
    """article_pages.json: what the pages of a ``full_text`` source's items say."""
    rng: random.Random
    days: int
    year: int
    used: set[str] = field(default_factory=set)


@cache
def demo_items(year: int = 2025) -> tuple[DemoItem, ...]:
    """Every demo item (everyday items then stories), deterministic for a given year."""
    config = _read_json("sources.json")
    templates = _read_json("templates.json")
    drawing = _Drawing(
        templates,
        _read_json("article_pages.json"),
        random.Random(config["seed"]),
        config["days"],
        year,
    )
    items: list[DemoItem] = []
    for source in demo_sources():
        uses: Counter[str] = Counter()
        vague_titles = iter(drawing.pages["vague_titles"])
        for index in range(source.count):
            if not source.full_text:
                items.append(_everyday_item(source, drawing, uses))
                continue
            vague = next(vague_titles) if index % 2 else None
            items.append(_page_item(source, drawing, uses, vague))
    authors = {s.name: templates["authors"][s.language][0] for s in demo_sources()}
    items.extend(_story_items(_read_json("stories.json")["stories"], authors, drawing.used))
    return tuple(items)


def _drawn_title(
    source: DemoSource, drawing: _Drawing, uses: Counter[str]
) -> tuple[str, dict[str, Any], _Values, str]:
    """A topic drawn from the source's mix, then a title not ``used`` yet from its least used
    template (``uses``, per template title): the topic, the template, its values, the title."""
    rng, templates = drawing.rng, drawing.templates
    topic = rng.choices(list(source.mix), weights=list(source.mix.values()))[0]
    pairs: list[dict[str, Any]] = templates["topics"][topic][source.language]["items"]
    pair, values, title = _new_title(
        pairs, uses, drawing.used, rng, lambda: _Values(rng, templates["vocab"], drawing.year)
    )
    drawing.used.add(title)
    uses[pair["title"]] += 1
    return topic, pair, values, title


def _everyday_item(source: DemoSource, drawing: _Drawing, uses: Counter[str]) -> DemoItem:
    """One item of ``source``: a template's title and one of its summaries."""
    topic, pair, values, title = _drawn_title(source, drawing, uses)
    summary = drawing.rng.choice(pair["summaries"]).format_map(values)
    return _placed_item(source, drawing, title, summary, topic)


def _page_item(
    source: DemoSource, drawing: _Drawing, uses: Counter[str], vague_title: str | None
) -> DemoItem:
    """One item of a ``full_text`` source: a title and no summary in the feed; on its page, the
    template's summaries, a paragraph of its topic and a closing one.  Given a ``vague_title``,
    the item is titled so, and its page starts by quoting the template's title."""
    topic, pair, values, headline = _drawn_title(source, drawing, uses)
    rng, pages = drawing.rng, drawing.pages
    values["headline"] = headline
    intro = [rng.choice(pages["intros"]).format_map(values)] if vague_title else []
    body = [
        *intro,
        *(summary.format_map(values) for summary in pair["summaries"]),
        rng.choice(pages["topics"][topic]).format_map(values),
        rng.choice(pages["closings"]),
    ]
    title = vague_title or headline
    drawing.used.add(title)
    return _placed_item(source, drawing, title, "", topic, tuple(body))


def _placed_item(
    source: DemoSource,
    drawing: _Drawing,
    title: str,
    summary: str,
    topic: str,
    body: tuple[str, ...] = (),
) -> DemoItem:
    """The item titled ``title``, given its slug, an author and an age."""
    slug = _unique_slug(title, drawing.used)
    author = drawing.rng.choice(drawing.templates["authors"][source.language])
    hours = round(drawing.rng.uniform(1.0, drawing.days * 24.0), 2)
    return DemoItem(source.name, slug, title, summary, hours, author, topic, body=body)


def _new_title(
    pairs: list[dict[str, Any]],
    uses: Counter[str],
    used: set[str],
    rng: random.Random,
    fresh_values: Callable[[], _Values],
) -> tuple[dict[str, Any], _Values, str]:
    """A template among the least used ones and its filled title, not in ``used`` if possible
    (a template whose title came out used is set aside: some give one title only)."""
    left = list(pairs)
    for _ in range(50):
        fewest = min(uses[p["title"]] for p in left)
        pair = rng.choice([p for p in left if uses[p["title"]] == fewest])
        values = fresh_values()
        title = pair["title"].format_map(values)
        title = title[0].upper() + title[1:]
        if title not in used:
            break
        if len(left) > 1:
            left.remove(pair)
    return pair, values, title


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
                raw["source"],
                slug,
                raw["title"],
                raw["summary"],
                max(hours, 0.5),
                author,
                topic=None,
                story=story["key"],
                via=via,
                body=tuple(raw.get("body", ())),
            )
            by_source[item.source] = item
            items.append(item)
    return items


def demo_article_count() -> int:
    """How many items the demo serves across all its sources (duplicates included)."""
    return len(demo_items())
