"""Build benchmarks/data/cluster_pairs.jsonl: article pairs labeled same / different story.

Run ``python benchmarks/build_cluster_pairs.py`` (needs ../shared/corpus for the real part).
Three origins, written in each record's ``origin``:

* ``corpus-same``: one post found in two real feeds of ../shared/corpus (excerpt feed vs
  full-content feed, copies of the same feed); the second copy gets a syndication URL so that
  the text, not the URL, decides.
* ``corpus-different``: two distinct entries of the same real feed (the most similar title
  pairs first: podcast episodes, "Paper notes: X" vs "Paper notes: Y", "fortify-headers 2.0"
  vs "2.1"), published one day apart so the time window does not decide for the text.
* ``hand``: realistic variants written here: syndicated copies with reworded titles, tracking
  parameter URL variants, same product with another CVE, same product with another version,
  same product with another event.
"""

from __future__ import annotations

import html
import itertools
import json
import random
import re
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
from cluster_pairs_hand import hand_written_pairs  # sibling module (benchmarks/)

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "shared" / "corpus" / "feeds"
OUT = HERE / "data" / "cluster_pairs.jsonl"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MAX_DIFFERENT_PER_FEED = 4
RELABELED_SAME = {
    # Reviewed by hand: two entries of one feed that tell the same story (video + article).
    ("Stormy Daniels on Jimmy Kimmel", "Porn actor Stormy Daniels casts doubt"),
}


def _text(markup: str) -> str:
    text = re.sub(r"<[^>]+>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()[:3000]


def _entries(path: Path) -> list[dict]:
    parsed = feedparser.parse(path.read_bytes())
    entries = []
    for entry in parsed.entries:
        title = (entry.get("title") or "").strip()
        if len(title.split()) < 3:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*when[:6], tzinfo=UTC) if when else T0
        entries.append(
            {
                "title": title,
                "text": _text(entry.get("summary") or ""),
                "url": entry.get("link") or "",
                "published": published.isoformat(),
            }
        )
    return entries


def _words(title: str) -> set[str]:
    return set(re.findall(r"\w+", title.casefold()))


def corpus_same_pairs(feeds: dict[str, list[dict]]) -> list[dict]:
    """Entries whose normalized title appears in two different feed files."""
    by_title: dict[str, list[tuple[str, dict]]] = {}
    for name, entries in feeds.items():
        for entry in entries:
            key = " ".join(sorted(_words(entry["title"])))
            by_title.setdefault(key, []).append((name, entry))
    pairs = []
    for key, found in sorted(by_title.items()):
        files = {}
        for name, entry in found:
            files.setdefault(name, entry)
        if len(files) < 2:
            continue
        (name_a, a), (name_b, b) = sorted(files.items())[:2]
        b = dict(b, url=f"https://syndicated.example/{zlib.crc32(key.encode())}")
        b["published"] = a["published"]
        pairs.append(_pair(a, b, True, "syndicated-copy", "corpus-same", f"{name_a} | {name_b}"))
    return pairs


def corpus_different_pairs(feeds: dict[str, list[dict]]) -> list[dict]:
    """Distinct entries of one feed, most similar titles first, dated a day apart."""
    pairs = []
    for name, entries in sorted(feeds.items()):
        distinct = list({e["title"]: e for e in entries if e["url"]}.values())
        if len(distinct) < 4:
            continue
        scored = []
        for a, b in itertools.combinations(distinct, 2):
            if a["url"] == b["url"] or (a["text"] and a["text"] == b["text"]):
                continue
            wa, wb = _words(a["title"]), _words(b["title"])
            scored.append((len(wa & wb) / max(len(wa | wb), 1), a["title"], b["title"], a, b))
        scored.sort(key=lambda item: (-item[0], item[1], item[2]))
        for _, _, _, a, b in scored[:MAX_DIFFERENT_PER_FEED]:
            moved = datetime.fromisoformat(a["published"]) + timedelta(days=1)
            b = dict(b, published=moved.isoformat())
            if any(
                a["title"].startswith(x) and b["title"].startswith(y) for x, y in RELABELED_SAME
            ):
                pairs.append(_pair(a, b, True, "same-feed-same-story", "corpus-same", name))
                continue
            pairs.append(_pair(a, b, False, "same-feed-other-entry", "corpus-different", name))
    return pairs


def _pair(a: dict, b: dict, same: bool, kind: str, origin: str, note: str = "") -> dict:
    return {"same": same, "kind": kind, "origin": origin, "note": note, "a": a, "b": b}


def main() -> None:
    pairs: list[dict] = []
    if CORPUS.is_dir():
        feeds = {path.name: _entries(path) for path in sorted(CORPUS.iterdir())}
        pairs += corpus_same_pairs(feeds)
        pairs += corpus_different_pairs(feeds)
    else:
        print(f"{CORPUS} is absent: writing the hand-written pairs only")
    pairs += hand_written_pairs(T0, random.Random(7))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(pair, ensure_ascii=False) + "\n")
    origins: dict[str, int] = {}
    for pair in pairs:
        key = f"{pair['origin']}/{'same' if pair['same'] else 'different'}"
        origins[key] = origins.get(key, 0) + 1
    print(f"{len(pairs)} pairs written to {OUT}: {origins}")


if __name__ == "__main__":
    main()
