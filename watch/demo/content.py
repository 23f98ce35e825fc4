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
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
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
        """The item's web link, on the site of the source it comes from (``site_url``)."""
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


@cache
def demo_items(year: int = 2025) -> tuple[DemoItem, ...]:
    """Every demo item (everyday items then stories), deterministic for a given year."""
    config = _read_json("sources.json")
    templates = _read_json("templates.json")
    rng = random.Random(config["seed"])
    used: set[str] = set()
    items: list[DemoItem] = []
    for source in demo_sources():
        uses: Counter[str] = Counter()
        for _ in range(source.count):
            items.append(_everyday_item(source, templates, rng, config["days"], year, used, uses))
    authors = {s.name: templates["authors"][s.language][0] for s in demo_sources()}
    items.extend(_story_items(_read_json("stories.json")["stories"], authors, used))
    return tuple(items)


def _everyday_item(
    source: DemoSource,
    templates: dict[str, Any],
    rng: random.Random,
    days: int,
    year: int,
    used: set[str],
    uses: Counter[str],
) -> DemoItem:
    """One item of ``source``: a title not ``used`` yet, from its least used template
    (``uses``, per template title) of a topic drawn from the source's mix."""
    topic = rng.choices(list(source.mix), weights=list(source.mix.values()))[0]
    pairs: list[dict[str, Any]] = templates["topics"][topic][source.language]["items"]
    pair, values, title = _new_title(
        pairs, uses, used, rng, lambda: _Values(rng, templates["vocab"], year)
    )
    used.add(title)
    uses[pair["title"]] += 1
    summary = rng.choice(pair["summaries"]).format_map(values)
    slug = _unique_slug(title, used)
    author = rng.choice(templates["authors"][source.language])
    hours = round(rng.uniform(1.0, days * 24.0), 2)
    return DemoItem(source.name, slug, title, summary, hours, author, topic)


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
            )
            by_source[item.source] = item
            items.append(item)
    return items


def demo_article_count() -> int:
    """How many items the demo serves across all its sources (duplicates included)."""
    return len(demo_items())
