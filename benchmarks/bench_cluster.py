"""Story clustering and trends: quality on labeled pairs, speed at 100,000 articles.

Run ``python benchmarks/bench_cluster.py`` (``--quick`` for 10,000 articles).  Prints:

1. precision and recall of merges on benchmarks/data/cluster_pairs.jsonl (each pair: index
   article a, ask where b goes), overall, by origin and by kind, and the wrong decisions; then
   the same on cluster_pairs_audit.jsonl, hand-written from an audit of wrong merges: template
   headlines with one slot changed ("Scaleway / OVHcloud opens a new region in France"), items
   of one feed linking one page, one page linked by several sources with tracking parameters.
   URLs go through ``canonical_url`` as in the pipeline; a pair's ``source`` fields, when
   present, are passed on;
2. incremental clustering of 100,000 synthetic articles (stories syndicated 1-4 times over a
   year, titles reworded, excerpts, other versions of one product; 15 % name a CVE id, and
   some of their copies share only that id, as in another language): total time,
   median and p99 per article (place, merge, add), the stories merged, and pairwise precision /
   recall against the true stories;
3. ``weekly_trends`` over 20,000 articles (median of 5 runs).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from watch.cluster import ClusterIndex  # noqa: E402
from watch.normalize import canonical_url  # noqa: E402
from watch.trends import TrendInput, iso_week, weekly_trends  # noqa: E402

PAIRS = Path(__file__).resolve().parent / "data" / "cluster_pairs.jsonl"
AUDIT_PAIRS = PAIRS.with_name("cluster_pairs_audit.jsonl")
START = datetime(2025, 3, 3, tzinfo=UTC)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _fields(article: dict) -> tuple[str, str, str, datetime]:
    url = canonical_url(article["url"]) if article["url"] else ""
    return article["title"], article["text"], url, _when(article["published"])


def evaluate_pairs(path: Path = PAIRS) -> None:
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    outcome: dict[str, Counter[str]] = defaultdict(Counter)
    wrong = []
    for pair in pairs:
        a, b = pair["a"], pair["b"]
        index = ClusterIndex()
        index.add(1, 1, *_fields(a), source=a.get("source", ""))
        merged = index.assign(2, *_fields(b), source=b.get("source", "")) == 1
        verdict = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get(
            (pair["same"], merged), "tn"
        )
        for key in ("all", pair["origin"], pair["kind"]):
            outcome[key][verdict] += 1
        if verdict in ("fp", "fn"):
            wrong.append(f"  {verdict}: {a['title'][:60]!r} ~ {b['title'][:60]!r}")
    print(f"pairs: {len(pairs)} from {path.name}")
    print(f"  {'subset':32} {'pairs':>5} {'precision':>9} {'recall':>6}  tp fp fn tn")
    for key, counts in outcome.items():
        tp, fp, fn, tn = (counts[k] for k in ("tp", "fp", "fn", "tn"))
        precision = f"{tp / (tp + fp):.3f}" if tp + fp else "-"
        recall = f"{tp / (tp + fn):.3f}" if tp + fn else "-"
        print(f"  {key:32} {tp + fp + fn + tn:5} {precision:>9} {recall:>6}  {tp} {fp} {fn} {tn}")
    print("wrong decisions:")
    print("\n".join(wrong) or "  none")


PRODUCTS = [
    "Firefox",
    "Chrome",
    "Linux",
    "Kubernetes",
    "PostgreSQL",
    "OpenSSL",
    "Rust",
    "Python",
    "Django",
    "React",
    "Nginx",
    "Docker",
    "GitLab",
    "Jenkins",
    "Tomcat",
    "Windows",
    "Android",
    "Ubuntu",
    "Debian",
    "Redis",
    "Kafka",
    "Terraform",
    "Grafana",
    "Node.js",
    "Go",
    "Java",
    "Swift",
    "Safari",
    "Thunderbird",
    "Blender",
]
VERBS = [
    "releases",
    "fixes",
    "patches",
    "ships",
    "announces",
    "deprecates",
    "adds",
    "removes",
    "improves",
    "updates",
]


def _vocabulary(rng: random.Random) -> list[str]:
    """A Zipf-like tech vocabulary of made-up but word-shaped tokens plus real words."""
    real = [
        "security",
        "update",
        "release",
        "performance",
        "memory",
        "kernel",
        "driver",
        "cloud",
        "server",
        "client",
        "api",
        "database",
        "query",
        "index",
        "cache",
        "network",
        "storage",
        "container",
        "cluster",
        "model",
        "training",
        "inference",
        "browser",
        "engine",
        "compiler",
        "runtime",
        "library",
        "package",
        "vulnerability",
        "exploit",
        "attacker",
        "patch",
        "version",
        "support",
        "feature",
        "developer",
        "users",
        "open",
        "source",
        "license",
        "foundation",
        "project",
        "team",
        "community",
        "research",
        "paper",
        "benchmark",
        "latency",
        "throughput",
        "encryption",
        "certificate",
        "authentication",
        "token",
        "session",
        "password",
        "firewall",
        "router",
        "protocol",
        "standard",
    ]
    syllables = [
        "ka",
        "lo",
        "mi",
        "ne",
        "ra",
        "ti",
        "so",
        "vu",
        "ze",
        "pa",
        "de",
        "fi",
        "gu",
        "ho",
        "ju",
    ]
    made_up = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)}
    return real + sorted(made_up)


CVE_SHARE = 0.15
"""Stories naming a CVE id in their title; 30 % of their copies share nothing else (another
language), so the identifier join is timed and scored too."""


def synthetic_articles(count: int, seed: int = 3) -> list[tuple[int, str, str, str, datetime]]:
    """(story id, title, text, url, published): stories copied 1-4 times within two days."""
    rng = random.Random(seed)
    words = _vocabulary(rng)
    weights = [1 / (rank + 10) for rank in range(len(words))]
    articles: list[tuple[int, str, str, str, datetime]] = []
    story = 0
    while len(articles) < count:
        story += 1
        product = rng.choice(PRODUCTS)
        version = f"{rng.randint(1, 140)}.{rng.randint(0, 20)}"
        topic_words = rng.choices(words, weights, k=6)
        title = f"{product} {version} {rng.choice(VERBS)} {' '.join(topic_words[:4])}"
        flaw = f"CVE-2026-{rng.randint(1000, 99999)}" if rng.random() < CVE_SHARE else ""
        title += f" ({flaw})" if flaw else ""
        body_words = topic_words + rng.choices(words, weights, k=70)
        rng.shuffle(body_words)
        body = f"{product} {version}: " + " ".join(body_words) + "."
        when = START + timedelta(seconds=rng.randrange(365 * 86400))
        for copy in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            variant_title = title
            variant_body = body
            if copy and flaw and rng.random() < 0.3:  # told in another language: only the id
                foreign = rng.choices(words, weights, k=8)
                variant_title = f"{' '.join(foreign[:4])} {flaw} {foreign[4]}"
                variant_body = " ".join(foreign) + "."
            elif copy:
                kept = title.split()
                rng.shuffle(kept)
                variant_title = " ".join(kept[:-1])
                variant_body = body[: rng.randint(len(body) // 2, len(body))]
            url = f"https://site{rng.randint(1, 300)}.example/{story}/{copy}"
            published = when + timedelta(hours=rng.uniform(0, 48))
            articles.append((story, variant_title, variant_body, url, published))
    articles = articles[:count]
    articles.sort(key=lambda item: item[4])
    return articles


def _pairwise_quality(truth: list[int], found: list[int]) -> tuple[float, float]:
    """Precision and recall over pairs of articles put together (by clusters and by stories)."""

    def pairs(labels: list[int]) -> set[tuple[int, int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for position, label in enumerate(labels):
            groups[label].append(position)
        return {
            (a, b)
            for members in groups.values()
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        }

    true_pairs, found_pairs = pairs(truth), pairs(found)
    both = len(true_pairs & found_pairs)
    return both / max(len(found_pairs), 1), both / max(len(true_pairs), 1)


def bench_speed(count: int) -> None:
    articles = synthetic_articles(count)
    index = ClusterIndex()
    durations: list[float] = []
    next_cluster = merges = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    for article_id, (_, title, text, url, published) in enumerate(articles, start=1):
        tick = time.perf_counter()
        placed = index.place(article_id, title, text, url, published)
        if placed.cluster is None:
            next_cluster += 1
        cluster = next_cluster if placed.cluster is None else placed.cluster
        index.merge(cluster, placed.absorbed)
        index.add(article_id, cluster, title, text, url, published)
        durations.append(time.perf_counter() - tick)
        merges += len(placed.absorbed)
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    clusters = [index.cluster_of(article_id) or 0 for article_id in range(1, len(articles) + 1)]
    durations.sort()
    precision, recall = _pairwise_quality([a[0] for a in articles], clusters)
    stories = len({a[0] for a in articles})
    print(f"\nincremental clustering of {count:,} synthetic articles ({stories:,} true stories):")
    print(f"  total {total:.1f} s wall, {cpu:.1f} s CPU (target < 60 s)")
    print(
        f"  per article (place + merge + add): median {statistics.median(durations) * 1e3:.3f} ms, p99 {durations[int(len(durations) * 0.99)] * 1e3:.3f} ms"
    )
    print(
        f"  clusters found {len(set(clusters)):,} ({merges:,} merged into another); pairwise precision {precision:.3f}, recall {recall:.3f}"
    )


def bench_trends(count: int = 20_000) -> None:
    rng = random.Random(5)
    words = _vocabulary(rng)
    weights = [1 / (rank + 10) for rank in range(len(words))]
    week_start = START + timedelta(weeks=10)
    articles = []
    for article_id in range(count):
        week = rng.randrange(6)
        published = (
            week_start - timedelta(weeks=5 - week) + timedelta(seconds=rng.randrange(604800))
        )
        title = f"{rng.choice(PRODUCTS)} {rng.randint(1, 99)} " + " ".join(
            rng.choices(words, weights, k=7)
        )
        if week == 5 and article_id % 7 == 0:
            title = "Rust Foundation flags CVE-2025-12345 in " + title
        text = " ".join(rng.choices(words, weights, k=60))
        topics = (rng.choice(("security", "cloud", "languages")),) if article_id % 4 else ()
        articles.append(TrendInput(article_id, published, topics, title, text))
    week = iso_week(week_start + timedelta(days=1))
    runs, cpu_runs = [], []
    for _ in range(5):
        started, cpu_started = time.perf_counter(), time.process_time()
        report = weekly_trends(articles, week)
        runs.append(time.perf_counter() - started)
        cpu_runs.append(time.process_time() - cpu_started)
    print(
        f"\nweekly_trends over {count:,} articles (6 weeks): median {statistics.median(runs):.3f} s wall "
        f"({statistics.median(cpu_runs):.3f} s CPU), best {min(runs):.3f} s"
    )
    print(
        "  top emerging: "
        + ", ".join(f"{t.term} ({t.count}, prev {t.previous})" for t in report.emerging[:5])
    )


def main() -> None:
    count = 10_000 if "--quick" in sys.argv else 100_000
    if PAIRS.exists():
        evaluate_pairs()
    else:
        print(f"{PAIRS} is missing: run benchmarks/build_cluster_pairs.py")
    print()
    evaluate_pairs(AUDIT_PAIRS)
    bench_speed(count)
    bench_trends()


if __name__ == "__main__":
    main()
