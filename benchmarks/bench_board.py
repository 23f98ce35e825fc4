"""Benchmark: the board on 100,000 articles (SQLite), measured server-side with AppTest.

    python benchmarks/bench_board.py [--articles 100000] [--runs 5] [--db PATH]

Generates a store of realistic articles (40 sources, 6 topics, scores, clusters of 1-5
articles, spread over 8 weeks) in a child process, then, in this process, times:

* the board's first render (fresh AppTest, caches cleared: one page query + count + render),
* a filter change (topics, then search, then minimum score; caches cleared each time),
* the data-module query alone,

and prints medians against the 1 s budget, and this process's peak RSS against 500 MB (the
generation runs in its own process so it does not count).  ``--db`` keeps the generated
database for later runs.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

APP = ROOT / "dashboard" / "app.py"
BUDGET_SECONDS = 1.0
BUDGET_RSS_MB = 500
TOPICS = ["ai", "security", "cloud", "databases", "web", "hardware"]
SUBJECTS = {
    "ai": ["LLM", "transformer model", "GPU inference", "RAG pipeline", "AI agent", "fine-tuning"],
    "security": [
        "OpenSSL CVE",
        "ransomware",
        "zero-day",
        "supply-chain attack",
        "TLS flaw",
        "SBOM",
    ],
    "cloud": ["Kubernetes", "serverless", "Terraform", "service mesh", "object storage", "FinOps"],
    "databases": ["PostgreSQL", "SQLite", "vector index", "query planner", "replication", "DuckDB"],
    "web": [
        "HTTP/3",
        "WebAssembly",
        "CSS container queries",
        "React server components",
        "Deno",
        "htmx",
    ],
    "hardware": ["RISC-V", "ARM laptop", "chiplet", "DDR6", "NPU", "quantum chip"],
}
VERBS = [
    "announces",
    "ships",
    "patches",
    "benchmarks",
    "deprecates",
    "explains",
    "rethinks",
    "open-sources",
]
TAILS = [
    "for production",
    "at scale",
    "in 2026",
    "on a budget",
    "without downtime",
    "for teams",
    "",
    "",
]
CONFIG = "name: Bench watch\ntopics:\n" + "".join(
    f"  - name: {t}\n    keywords: [{t}]\n" for t in TOPICS
)
CONFIG += "sources:\n" + "".join(
    f"  - name: source-{n:02d}\n    url: https://s{n}.example.org/feed\n    every: 1h\n"
    for n in range(40)
)


def generate(db_url: str, count: int, seed: int = 7) -> None:
    """Write ``count`` classified articles in batches (runs in a child process)."""
    from watch.models import Article, TopicMatch
    from watch.store import open_store

    rng = random.Random(seed)
    store = open_store(db_url)
    now = datetime.now(UTC)
    batch: list[Article] = []
    cluster, left_in_cluster, cluster_topic = 0, 0, "ai"
    for index in range(count):
        if left_in_cluster == 0:
            cluster, left_in_cluster = cluster + 1, rng.choice([1, 1, 1, 2, 3, 5])
            cluster_topic = rng.choice(TOPICS)
        left_in_cluster -= 1
        on_topic = rng.random() < 0.7
        topic = cluster_topic if on_topic else rng.choice(TOPICS)
        subject = rng.choice(SUBJECTS[topic])
        title = f"{rng.choice(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'])} {rng.choice(VERBS)} {subject} {rng.choice(TAILS)}".strip()
        published = now - timedelta(minutes=rng.randrange(0, 8 * 7 * 24 * 60))
        source = f"source-{rng.randrange(40):02d}"
        score = round(min(100.0, rng.gauss(55 if on_topic else 20, 18)), 1)
        batch.append(
            Article(
                source=source,
                guid=f"{source}-{index}",
                url=f"https://{source}.example.org/{index}",
                canonical_url=f"https://{source}.example.org/{index}",
                title=title,
                summary_html=f"<p>{title}. Details about {subject}.</p>",
                summary_text=f"{title}. Details about {subject} and what it means for {topic} teams.",
                author=None,
                published=published,
                fetched_at=published,
                topics=[TopicMatch(topic, round(rng.uniform(0.5, 1.0), 2), [f"keyword {subject}"])]
                if on_topic
                else [],
                score=max(score, 0.0),
                score_parts={"topic": score * 0.6, "recency": score * 0.3, "source": score * 0.1},
                explanation=[f"about {topic}" if on_topic else "off-topic"],
                cluster_id=cluster,
            )
        )
        if len(batch) == 2000:
            store.upsert_articles(batch)
            batch.clear()
    if batch:
        store.upsert_articles(batch)
    store.close()


def median_seconds(action, runs: int) -> float:  # noqa: ANN001 - any callable
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(config_path: Path, db_url: str, runs: int) -> dict[str, float]:
    import os

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["WATCH_CONFIG"], os.environ["WATCH_DB"] = str(config_path), db_url
    from dashboard import data

    def fresh_app_test() -> AppTest:
        st.cache_data.clear()
        app = AppTest.from_file(str(APP), default_timeout=60).run()
        assert not app.exception, app.exception
        return app

    warm = fresh_app_test()  # warms imports and the connection pool, as a running server is

    def first_render() -> AppTest:
        """A new session's first run, cold query cache; the component registry a server builds
        once at start-up is shared (AppTest otherwise rescans every installed package)."""
        st.cache_data.clear()
        app = AppTest.from_file(str(APP), default_timeout=60)
        app._bidi_component_manager = warm._bidi_component_manager
        app.run()
        assert not app.exception, app.exception
        return app

    app = first_render()
    values = {
        "topics": cycle([[topic] for topic in TOPICS]),
        "text": cycle(["kubernetes", "openssl", "risc", "postgresql", "htmx", "agent"]),
        "score": cycle([60, 70, 80, 50, 40, 30]),
    }

    def change(kind: str) -> None:
        st.cache_data.clear()
        value = next(values[kind])
        if kind == "topics":
            app.multiselect(key="board_topics").set_value(value).run()
        elif kind == "text":
            app.text_input(key="board_text").input(value).run()
        else:
            app.slider(key="board_min_score").set_value(value).run()
        assert not app.exception, app.exception

    context = data.load_context()

    def query_only() -> None:
        data.board_page.clear()
        data.board_page(context.db_url, data.BoardFilters(), 0)

    return {
        "first render (new session, cold cache)": median_seconds(first_render, runs),
        "  same, fresh AppTest incl. its scan": median_seconds(fresh_app_test, runs),
        "filter change: topic": median_seconds(lambda: change("topics"), runs),
        "filter change: full-text search": median_seconds(lambda: change("text"), runs),
        "filter change: minimum score": median_seconds(lambda: change("score"), runs),
        "data.board_page query alone": median_seconds(query_only, runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="keep (or reuse) the generated SQLite file here")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench_board_"))
    db_path = args.db or workdir / "watch.db"
    db_url = f"sqlite:///{db_path.resolve()}"
    if args.generate_only:
        generate(db_url, args.articles)
        return
    config_path = workdir / "sources.yaml"
    config_path.write_text(CONFIG, encoding="utf-8")
    if not db_path.exists():
        started = time.perf_counter()
        command = [
            sys.executable,
            __file__,
            "--generate-only",
            "--articles",
            str(args.articles),
            "--db",
            str(db_path),
        ]
        subprocess.run(command, check=True)
        print(
            f"generated {args.articles:,} articles in {time.perf_counter() - started:.1f} s -> {db_path}"
        )
    figures = measure(config_path, db_url, args.runs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nboard on {args.articles:,} articles, median of {args.runs} runs (budget {BUDGET_SECONDS:.1f} s):"
    )
    for name, seconds in figures.items():
        verdict = (
            "(harness cost, not the board)"
            if name.startswith(" ")
            else "ok"
            if seconds < BUDGET_SECONDS
            else "OVER BUDGET"
        )
        print(f"  {name:<38} {seconds * 1000:8.1f} ms  {verdict}")
    verdict = "ok" if peak_mb < BUDGET_RSS_MB else "OVER BUDGET"
    print(
        f"  {'peak RSS of the board process':<38} {peak_mb:8.1f} MB  {verdict} (budget {BUDGET_RSS_MB} MB)"
    )


if __name__ == "__main__":
    main()
