"""Parse speed on ../shared/corpus/feeds: parse_document versus feedparser alone.

Run: ``python benchmarks/bench_parse.py [RUNS]``.  Prints, for each, the median over RUNS
passes of the whole corpus (MB/s and feeds/s) and the ratio; also how many feeds took the fast
path.  Not a test: it only prints figures.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import feedparser

from watch.parse import ParseError, parse_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "feeds"


def one_pass(bodies: list[tuple[str, bytes]], parse) -> float:
    started = time.perf_counter()
    for url, body in bodies:
        parse(url, body)
    return time.perf_counter() - started


def ours(url: str, body: bytes) -> str:
    try:
        return parse_document(body, url=url).parser
    except ParseError:
        return "error"


def theirs(url: str, body: bytes) -> None:
    feedparser.parse(body)


def main(runs: int = 5) -> None:
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is absent: nothing to measure")
    bodies = [(f"https://bench.example/{p.name}", p.read_bytes()) for p in sorted(CORPUS.iterdir())]
    megabytes = sum(len(b) for _, b in bodies) / 1e6
    paths: dict[str, int] = {}
    for url, body in bodies:
        kind = ours(url, body)
        paths[kind] = paths.get(kind, 0) + 1
    print(f"corpus: {len(bodies)} feeds, {megabytes:.2f} MB; parser used: {paths}")
    results = {}
    for name, parse in (("parse_document", ours), ("feedparser", theirs)):
        median = statistics.median(one_pass(bodies, parse) for _ in range(runs))
        results[name] = median
        print(
            f"{name:>15}: median {median:6.2f} s  {megabytes / median:6.1f} MB/s  {len(bodies) / median:7.1f} feeds/s"
        )
    print(
        f"speed-up: {results['feedparser'] / results['parse_document']:.1f}x (median of {runs} runs)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
