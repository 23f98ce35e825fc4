"""Store scale check: fill 100,000 articles on SQLite, print upsert rates and board query times.

Run: ``python benchmarks/bench_store.py [--articles N] [--url sqlite:///path]``.  Prints medians
of 5 runs for the board's typical queries (page + count), each a separate read transaction.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from watch.models import Article, TopicMatch  # noqa: E402
from watch.store import ArticleQuery, ClassificationUpdate, open_store  # noqa: E402

NOW = datetime(2026, 3, 2, tzinfo=UTC)
WORDS = [
    "kernel",
    "security",
    "rust",
    "python",
    "release",
    "database",
    "postgres",
    "sqlite",
    "cloud",
    "network",
    "browser",
    "compiler",
    "privacy",
    "sécurité",
    "données",
    "réseau",
    "performance",
    "memory",
    "storage",
    "linux",
    "windows",
    "apple",
    "vulnerability",
    "patch",
    "update",
    "open",
    "source",
    "community",
    "conference",
    "model",
    "training",
    "inference",
]
TOPICS = ["security", "rust", "databases", "ai", "linux"]


def vocabulary(rng: random.Random, size: int = 20_000) -> tuple[list[str], list[float]]:
    """Real tech words first, then made-up ones, with Zipf weights (1/rank) like real text."""
    letters = "abcdefghijklmnopqrstuvwxyzé"
    made_up = ["".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(size)]
    words = WORDS + made_up
    return words, [1 / rank for rank in range(1, len(words) + 1)]


def make_articles(count: int, sources: int, rng: random.Random) -> list[Article]:
    words, weights = vocabulary(rng)
    articles = []
    for n in range(count):
        source = f"source-{n % sources:03d}"
        title = " ".join(rng.choices(words, weights, k=8))
        text = " ".join(rng.choices(words, weights, k=60))
        topics = [
            TopicMatch(t, round(rng.random(), 2), ["keyword"])
            for t in rng.sample(TOPICS, k=rng.choice([0, 0, 1, 2]))
        ]
        articles.append(
            Article(
                source=source,
                guid=f"https://{source}.example/{n}",
                url=f"https://{source}.example/{n}",
                canonical_url=f"https://{source}.example/{n}",
                title=title,
                summary_html=f"<p>{text}</p>",
                summary_text=text,
                author=None,
                published=NOW - timedelta(minutes=n * 7 % 200_000),
                fetched_at=NOW - timedelta(minutes=n * 7 % 200_000),
                date_from_feed=n % 10 != 0,  # a page source's items carry no date of their own
                topics=topics,
                score=round(rng.random() * 100, 1),
                score_parts={"topic": 1.0},
            )
        )
    return articles


def median_ms(action: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    rng = random.Random(42)
    articles = make_articles(args.articles, args.sources, rng)
    store = open_store(url)

    pass_size = 10_000
    start = time.perf_counter()
    ids: list[int] = []
    for begin in range(0, len(articles), pass_size):
        ids += store.upsert_articles(articles[begin : begin + pass_size]).new_ids
    elapsed = time.perf_counter() - start
    print(
        f"insert {len(articles)} articles: {elapsed:.1f} s, {len(articles) / elapsed:,.0f} articles/s"
    )

    last_pass = articles[-pass_size:]
    seen = median_ms(lambda: store.upsert_articles(last_pass), runs=3)
    print(f"re-upsert {pass_size} unchanged (a collection pass): {seen:.0f} ms")
    changed = [Article(**{**vars(a), "title": a.title + " (updated)"}) for a in last_pass[:1000]]
    start = time.perf_counter()
    store.upsert_articles(changed + last_pass[1000:])
    print(f"re-upsert {pass_size} with 1000 changed: {(time.perf_counter() - start) * 1000:.0f} ms")

    updates = [
        ClassificationUpdate(i, [], 50.0, {}, [], cluster_id=1 + i // 3 if i % 2 else None)
        for i in ids
    ]
    start = time.perf_counter()
    store.update_classification(updates)
    print(f"update_classification {len(updates)}: {time.perf_counter() - start:.1f} s")

    since = NOW - timedelta(days=7)
    board = {
        "first page (score)": ArticleQuery(),
        "one per cluster": ArticleQuery(one_per_cluster=True),
        "last 7 days, unread": ArticleQuery(since=since, read=False, one_per_cluster=True),
        "topic security": ArticleQuery(topics=["security"], one_per_cluster=True),
        "off-topic": ArticleQuery(topics=["off-topic"]),
        "3 sources, by date": ArticleQuery(
            sources=["source-001", "source-002", "source-003"], order="published"
        ),
        "text 'securite'": ArticleQuery(text="securite"),
        "text 'kernel rust' + min score": ArticleQuery(
            text="kernel rust", min_score=50, one_per_cluster=True
        ),
        "page 20 by date": ArticleQuery(order="published", offset=1000),
        "digest week, no undated backlog": ArticleQuery(
            since=since, until=NOW, order="score", one_per_cluster=True, undated_backlog=False
        ),
        "digest picks of the week": ArticleQuery(picked_between=(since, NOW), order="score"),
    }
    print(
        f"\nboard queries on {store.count_articles(ArticleQuery()):,} articles (median of 5, ms):"
    )
    print(f"{'query':34} {'page':>8} {'count':>8}")
    for name, query in board.items():
        page = median_ms(lambda q=query: store.query_articles(q))
        counted = median_ms(lambda q=query: store.count_articles(q))
        print(f"{name:34} {page:8.1f} {counted:8.1f}")
    store.close()


if __name__ == "__main__":
    main()
