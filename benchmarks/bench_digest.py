"""Benchmark: build and render a week's digest (HTML + text + Markdown) from 20,000 articles.

Run: ``python benchmarks/bench_digest.py``.  The articles are in-memory ``StoredArticle`` objects
(no store): 200 sources, 8 topics, a third of the articles in clusters of 2-5.  Prints the median
of 5 runs for build_digest alone and for build + the three renderings (target: under 2 s).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from watch.config import parse_config  # noqa: E402
from watch.digest import build_digest  # noqa: E402
from watch.digest_render import render_html, render_markdown, render_text  # noqa: E402
from watch.models import SourceState, StoredArticle, TermTrend, TopicMatch, TrendReport  # noqa: E402

ARTICLES = 20_000
SOURCES = 200
TOPICS = ("rust", "python", "security", "cloud", "ai", "web", "data", "devops")
WEEK = "2026-W47"
START = datetime(2026, 11, 16, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
RUNS = 5


def config_text() -> str:
    topics = "\n".join(f"  - {{name: {t}, label: {t.title()}, keywords: [{t}]}}" for t in TOPICS)
    sources = "\n".join(
        f"  - {{name: src{i}, url: 'https://src{i}.example/feed', every: {1 + i % 24}h}}"
        for i in range(SOURCES)
    )
    return f"name: Bench watch\ntopics:\n{topics}\nsources:\n{sources}\n" + (
        "digest:\n  recipients: [team@example.org]\n  stories_per_topic: 10\n"
        "  board_url: 'https://board.example.org/'\n"
    )


def make_articles(rng: random.Random) -> list[StoredArticle]:
    articles = []
    for i in range(ARTICLES):
        source = f"src{rng.randrange(SOURCES)}"
        topics = rng.sample(TOPICS, rng.choice((0, 1, 1, 2, 3)))
        cluster = i // rng.randint(2, 5) if i % 3 == 0 else None
        published = START + timedelta(seconds=rng.randrange(7 * 86400))
        url = f"https://{source}.example/2026/11/article-{i}"
        articles.append(
            StoredArticle(
                source=source, guid=str(i), url=url, canonical_url=url,
                title=f"Article {i} about {' and '.join(topics) or 'nothing'} <v{i % 97}>",
                summary_html="<p>summary</p>", summary_text="summary " * 40, author=None,
                published=published, fetched_at=published,
                topics=[TopicMatch(t, rng.random(), [f"keyword {t}"]) for t in topics],
                score=rng.uniform(0, 100), explanation=[f"matches {', '.join(topics)}"],
                cluster_id=cluster, id=i + 1,
                cluster_sources=[f"src{rng.randrange(SOURCES)}" for _ in range(3)] if cluster else [],
            )
        )  # fmt: skip
    return articles


def main() -> None:
    rng = random.Random(47)
    config = parse_config(config_text())
    articles = make_articles(rng)
    states = [
        SourceState(f"src{i}", status="error" if i % 17 == 0 else "ok", last_error="HTTP 503",
                    last_success=NOW - timedelta(hours=rng.randint(0, 200)), empty_selector=i % 50 == 0)
        for i in range(SOURCES)
    ]  # fmt: skip
    trends = TrendReport(WEEK, emerging=[TermTrend(f"term {i}", 10 + i, 1.0) for i in range(15)])
    build_times, total_times, sizes = [], [], (0, 0, 0)
    for _ in range(RUNS):
        started = time.perf_counter()
        digest = build_digest(config=config, week=WEEK, articles=articles, source_states=states,
                              trends=trends, now=NOW)  # fmt: skip
        built = time.perf_counter()
        outputs = render_html(digest), render_text(digest), render_markdown(digest)
        done = time.perf_counter()
        build_times.append(built - started)
        total_times.append(done - started)
        sizes = tuple(len(output) for output in outputs)  # type: ignore[assignment]
    total = statistics.median(total_times)
    print(f"articles: {ARTICLES}, sources: {SOURCES}, topics: {len(TOPICS)}, runs: {RUNS}")
    print(f"stories: {digest.story_count}, health items: {len(digest.health)}")
    print(f"output sizes (chars): html {sizes[0]}, text {sizes[1]}, markdown {sizes[2]}")
    print(f"median build_digest: {statistics.median(build_times) * 1000:.1f} ms")
    print(f"median build + render html/text/markdown: {total * 1000:.1f} ms "
          f"(target < 2000 ms: {'OK' if total < 2 else 'TOO SLOW'})")  # fmt: skip


if __name__ == "__main__":
    main()
