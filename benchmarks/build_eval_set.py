"""Build benchmarks/data/eval_set.jsonl: the labeled evaluation set for bench_classify.py.

Entries come from ../shared/corpus/feeds (titles and summaries extracted with feedparser, HTML
stripped, at most 14 entries per feed, duplicates by title dropped, feedparser's own encoding
test files skipped).  Labels were written by hand by reading each entry (``LABELS``, keyed by
``file#entry-index``; every entry not listed is off-topic).  ``HANDWRITTEN`` holds a clearly
marked set of realistic entries written for this benchmark (source ``handwritten``), mostly
French, because the corpus has few ai-ml, databases or French tech entries.  ``SOURCE_HINTS``
plays the part of the ``topics:`` a user would give these feeds in sources.yaml.

``eval_unlabeled.jsonl`` holds every corpus entry's text without labels (see
``build_unlabeled``); ``--unlabeled-only`` rebuilds just that file.

Run: ``python benchmarks/build_eval_set.py [--unlabeled-only]`` (needs ../shared/corpus).
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "feeds"
OUTPUT = ROOT / "benchmarks" / "data" / "eval_set.jsonl"
UNLABELED = ROOT / "benchmarks" / "data" / "eval_unlabeled.jsonl"
PER_FEED = 14
FEED_CAPS = {
    "rssparser__giantbomb-podcast.rss": 12,
    "rssparser__itunes-missing-image.rss": 10,
    "simplepie__feed_rss-2.0_for_file_mock.xml": 0,
}
SOURCE_HINTS: dict[str, tuple[str, ...]] = {
    "feedrs__atom_mediarss_reddit_1.xml": ("cloud-devops",),
    "netnewswire__DaringFireball.atom": ("mobile-apple",),
    "netnewswire__DaringFireball.rss": ("mobile-apple",),
    "netnewswire__cloudblog.rss": ("cloud-devops",),
    "netnewswire__macworld.rss": ("mobile-apple",),
    "netnewswire__natasha.xml": ("mobile-apple",),
    "netnewswire__neverworkintheory.atom": ("programming",),
    "netnewswire__qemu.atom": ("open-source-linux",),
    "netnewswire__russcox.atom": ("programming",),
}


def _skipped(name: str) -> bool:
    return name.startswith("feedparser__") or "tpm-with" in name or "markdown2" in name


def _plain(markup: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"\s+", " ", text).strip()


def _entries(path: Path) -> list[tuple[int, str, str]]:
    parsed = feedparser.parse(path.read_bytes())
    rows = []
    for index, entry in enumerate(parsed.entries):
        summary = entry.get("summary") or ""
        if entry.get("content"):
            content = entry.content[0].get("value", "")
            summary = content if len(content) > len(summary) else summary
        rows.append((index, (entry.get("title") or "").strip(), _plain(summary)[:300]))
    return rows


def build_rows() -> list[dict[str, object]]:
    seen: set[str] = set()
    per_feed: Counter[str] = Counter()
    rows: list[dict[str, object]] = []
    for path in sorted(CORPUS.iterdir()):
        if _skipped(path.name):
            continue
        for index, title, summary in _entries(path):
            key = title.lower().strip()
            if (not title and not summary) or key in seen:
                continue
            if per_feed[path.name] >= FEED_CAPS.get(path.name, PER_FEED):
                continue
            seen.add(key)
            per_feed[path.name] += 1
            ident = f"{path.name}#{index}"
            rows.append(_row(ident, path.name, title, summary, LABELS.get(ident, [])))
    for number, (title, summary, labels) in enumerate(HANDWRITTEN):
        rows.append(_row(f"handwritten#{number}", "handwritten", title, summary, labels))
    return rows


def _row(ident: str, source: str, title: str, summary: str, labels: list[str]) -> dict[str, object]:
    return {
        "id": ident,
        "source": source,
        "title": title,
        "summary": summary,
        "source_topics": list(SOURCE_HINTS.get(source, ())),
        "labels": labels,
    }


def build_unlabeled() -> list[dict[str, str]]:
    """Every entry of every corpus feed (no per-feed cap) plus the handwritten texts, WITHOUT
    labels: the unlabeled text a deployment would have in its store, used for keyword
    expansion and weak-label training.  Same text extraction as the eval set."""
    seen: set[str] = set()
    rows: list[dict[str, str]] = []
    texts = [
        (title, summary)
        for path in sorted(CORPUS.iterdir())
        if not _skipped(path.name)
        for _, title, summary in _entries(path)
    ]
    texts += [(title, summary) for title, summary, _ in HANDWRITTEN]
    for title, summary in texts:
        key = f"{title.lower().strip()}\x00{summary[:80].lower()}"
        if (title or summary) and key not in seen:
            seen.add(key)
            rows.append({"title": title, "summary": summary})
    return rows


def _write(path: Path, rows: list[dict[str, object]] | list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    if "--unlabeled-only" not in sys.argv:
        rows = build_rows()
        _write(OUTPUT, rows)
        on_topic = sum(1 for row in rows if row["labels"])
        print(f"{len(rows)} entries ({on_topic} on topic) written to {OUTPUT}")
    unlabeled = build_unlabeled()
    _write(UNLABELED, unlabeled)
    print(f"{len(unlabeled)} unlabeled texts written to {UNLABELED}")


LABELS: dict[str, list[str]] = {
    "feedrs__atom_content_src.xml#0": ["security"],
    "feedrs__atom_example_1.xml#0": ["web"],
    "feedrs__atom_example_3.xml#0": ["security"],
    "feedrs__atom_example_6.xml#0": ["programming"],
    "feedrs__atom_example_6.xml#2": ["programming"],
    "feedrs__atom_example_6.xml#3": ["programming"],
    "feedrs__atom_example_7.xml#0": ["open-source-linux"],
    "feedrs__atom_example_reddit.xml#0": ["programming"],
    "feedrs__atom_mediarss_reddit_1.xml#0": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#1": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#2": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#3": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#4": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#5": ["cloud-devops", "open-source-linux"],
    "feedrs__atom_mediarss_reddit_1.xml#6": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#7": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#8": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#9": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#10": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#11": ["cloud-devops", "security"],
    "feedrs__atom_mediarss_reddit_1.xml#12": ["cloud-devops"],
    "feedrs__atom_mediarss_reddit_1.xml#13": ["cloud-devops"],
    "feedrs__rss_0.91_encoding_1.xml#0": ["programming"],
    "feedrs__rss_1.0_debian.xml#0": ["open-source-linux"],
    "feedrs__rss_1.0_example_2.xml#0": ["open-source-linux"],
    "feedrs__rss_1.0_spec_1.xml#0": ["programming"],
    "feedrs__rss_1.0_spec_1.xml#1": ["web"],
    "feedrs__rss_1.0_spec_2.xml#0": ["web"],
    "feedrs__rss_2.0_ch9.xml#0": ["cloud-devops"],
    "feedrs__rss_2.0_cloudflare.xml#0": ["security"],
    "feedrs__rss_2.0_dbengines.xml#0": ["databases"],
    "feedrs__rss_2.0_example_5.xml#0": ["mobile-apple"],
    "feedrs__rss_2.0_ghost_2.xml#0": ["web"],
    "feedrs__rss_2.0_kdist.xml#0": ["open-source-linux"],
    "feedrs__rss_2.0_matrix.xml#0": ["open-source-linux"],
    "feedrs__rss_2.0_relurl_1.xml#0": ["programming"],
    "feedrs__rss_2.0_relurl_1.xml#1": ["open-source-linux"],
    "miniflux__encoding_ISO-8859-1.xml#4": ["ai-ml"],
    "miniflux__encoding_ISO-8859-1.xml#8": ["mobile-apple"],
    "miniflux__encoding_ISO-8859-1.xml#10": ["open-source-linux", "security"],
    "miniflux__encoding_ISO-8859-1.xml#13": ["open-source-linux"],
    "miniflux__large_atom.xml#0": ["programming"],
    "miniflux__large_atom.xml#1": ["security"],
    "miniflux__large_atom.xml#2": ["web"],
    "miniflux__large_atom.xml#3": ["security"],
    "miniflux__large_atom.xml#4": ["cloud-devops", "open-source-linux"],
    "miniflux__large_atom.xml#5": ["security"],
    "miniflux__large_atom.xml#6": ["open-source-linux", "security"],
    "miniflux__large_atom.xml#7": ["security"],
    "miniflux__large_atom.xml#9": ["security"],
    "miniflux__large_atom.xml#10": ["security"],
    "miniflux__large_atom.xml#11": ["programming", "security"],
    "miniflux__large_atom.xml#12": ["open-source-linux"],
    "miniflux__large_rss.xml#14": ["security"],
    "miniflux__large_rss.xml#16": ["security", "web"],
    "miniflux__large_rss.xml#17": ["cloud-devops", "open-source-linux"],
    "miniflux__large_rss.xml#18": ["web"],
    "miniflux__large_rss.xml#19": ["security", "web"],
    "miniflux__large_rss.xml#20": ["open-source-linux", "security"],
    "miniflux__large_rss.xml#21": ["web"],
    "miniflux__large_rss.xml#22": ["security"],
    "miniflux__large_rss.xml#23": ["security"],
    "miniflux__large_rss.xml#24": ["programming"],
    "miniflux__rdf_UTF8.xml#1": ["open-source-linux"],
    "miniflux__rdf_UTF8.xml#13": ["security"],
    "miniflux__small_atom.xml#0": ["programming"],
    "miniflux__small_atom.xml#1": ["programming"],
    "miniflux__small_atom.xml#2": ["programming"],
    "miniflux__small_atom.xml#3": ["programming", "web"],
    "miniflux__small_atom.xml#4": ["programming", "security"],
    "miniflux__small_atom.xml#5": ["programming"],
    "miniflux__small_atom.xml#6": ["web"],
    "miniflux__small_atom.xml#7": ["web"],
    "miniflux__small_atom.xml#8": ["cloud-devops", "web"],
    "miniflux__small_atom.xml#9": ["cloud-devops", "web"],
    "miniflux__small_atom.xml#10": ["security", "web"],
    "miniflux__small_atom.xml#11": ["web"],
    "miniflux__small_atom.xml#12": ["web"],
    "miniflux__small_atom.xml#13": ["cloud-devops"],
    "netnewswire__DaringFireball.atom#1": ["mobile-apple"],
    "netnewswire__DaringFireball.atom#2": ["mobile-apple"],
    "netnewswire__DaringFireball.atom#3": ["mobile-apple"],
    "netnewswire__DaringFireball.atom#7": ["mobile-apple"],
    "netnewswire__DaringFireball.atom#8": ["mobile-apple"],
    "netnewswire__DaringFireball.atom#9": ["mobile-apple"],
    "netnewswire__DaringFireball.rss#0": ["mobile-apple"],
    "netnewswire__DaringFireball.rss#3": ["mobile-apple", "security"],
    "netnewswire__DaringFireball.rss#4": ["mobile-apple"],
    "netnewswire__DaringFireball.rss#5": ["security"],
    "netnewswire__DaringFireball.rss#6": ["mobile-apple", "security"],
    "netnewswire__DaringFireball.rss#7": ["mobile-apple", "security"],
    "netnewswire__DaringFireball.rss#8": ["mobile-apple", "security"],
    "netnewswire__DaringFireball.rss#9": ["mobile-apple", "security"],
    "netnewswire__DaringFireball.rss#10": ["mobile-apple", "security"],
    "netnewswire__DaringFireball.rss#13": ["mobile-apple", "security"],
    "netnewswire__EMarley.rss#0": ["programming"],
    "netnewswire__EMarley.rss#3": ["mobile-apple"],
    "netnewswire__KatieFloyd.rss#0": ["mobile-apple"],
    "netnewswire__KatieFloyd.rss#1": ["mobile-apple"],
    "netnewswire__KatieFloyd.rss#3": ["mobile-apple"],
    "netnewswire__KatieFloyd.rss#4": ["mobile-apple"],
    "netnewswire__KatieFloyd.rss#5": ["mobile-apple"],
    "netnewswire__KatieFloyd.rss#6": ["mobile-apple"],
    "netnewswire__KatieFloyd.rss#12": ["mobile-apple"],
    "netnewswire__KatieFloyd.rss#13": ["mobile-apple"],
    "netnewswire__OneFootTsunami.atom#5": ["ai-ml"],
    "netnewswire__allthis.atom#0": ["mobile-apple"],
    "netnewswire__allthis.atom#1": ["mobile-apple"],
    "netnewswire__allthis.atom#2": ["mobile-apple"],
    "netnewswire__allthis.atom#3": ["mobile-apple"],
    "netnewswire__allthis.atom#5": ["mobile-apple"],
    "netnewswire__allthis.atom#6": ["mobile-apple"],
    "netnewswire__allthis.atom#7": ["mobile-apple"],
    "netnewswire__allthis.atom#10": ["programming"],
    "netnewswire__atp.rss#0": ["mobile-apple"],
    "netnewswire__atp.rss#1": ["mobile-apple"],
    "netnewswire__atp.rss#3": ["mobile-apple"],
    "netnewswire__atp.rss#4": ["mobile-apple"],
    "netnewswire__atp.rss#7": ["mobile-apple"],
    "netnewswire__atp.rss#12": ["mobile-apple"],
    "netnewswire__atp.rss#13": ["mobile-apple"],
    "netnewswire__cloudblog.rss#1": ["cloud-devops"],
    "netnewswire__cloudblog.rss#2": ["cloud-devops", "programming"],
    "netnewswire__cloudblog.rss#4": ["cloud-devops", "security"],
    "netnewswire__cloudblog.rss#5": ["ai-ml", "databases"],
    "netnewswire__cloudblog.rss#6": ["ai-ml", "databases"],
    "netnewswire__cloudblog.rss#7": ["cloud-devops"],
    "netnewswire__cloudblog.rss#8": ["cloud-devops"],
    "netnewswire__cloudblog.rss#9": ["cloud-devops"],
    "netnewswire__cloudblog.rss#11": ["ai-ml", "cloud-devops"],
    "netnewswire__cloudblog.rss#12": ["cloud-devops", "databases"],
    "netnewswire__cloudblog.rss#13": ["cloud-devops", "databases"],
    "netnewswire__dcrainmaker.xml#2": ["mobile-apple"],
    "netnewswire__livemint.xml#5": ["mobile-apple"],
    "netnewswire__macworld.rss#1": ["mobile-apple"],
    "netnewswire__macworld.rss#2": ["mobile-apple", "security"],
    "netnewswire__macworld.rss#3": ["mobile-apple", "security"],
    "netnewswire__macworld.rss#4": ["mobile-apple"],
    "netnewswire__macworld.rss#5": ["mobile-apple"],
    "netnewswire__macworld.rss#6": ["mobile-apple"],
    "netnewswire__macworld.rss#8": ["mobile-apple"],
    "netnewswire__macworld.rss#9": ["mobile-apple"],
    "netnewswire__macworld.rss#10": ["mobile-apple"],
    "netnewswire__macworld.rss#11": ["mobile-apple"],
    "netnewswire__macworld.rss#12": ["mobile-apple", "programming"],
    "netnewswire__manton.rss#6": ["mobile-apple"],
    "netnewswire__manton.rss#7": ["mobile-apple"],
    "netnewswire__manton.rss#8": ["mobile-apple", "web"],
    "netnewswire__markdown1.rss#0": ["ai-ml", "web"],
    "netnewswire__markdown1.rss#1": ["web"],
    "netnewswire__markdown1.rss#3": ["web"],
    "netnewswire__markdown1.rss#4": ["web"],
    "netnewswire__markdown1.rss#5": ["web"],
    "netnewswire__markdown1.rss#9": ["web"],
    "netnewswire__monkeydom.rss#0": ["open-source-linux"],
    "netnewswire__monkeydom.rss#1": ["open-source-linux", "programming"],
    "netnewswire__monkeydom.rss#2": ["mobile-apple", "programming"],
    "netnewswire__monkeydom.rss#3": ["mobile-apple", "programming"],
    "netnewswire__monkeydom.rss#4": ["programming"],
    "netnewswire__monkeydom.rss#5": ["mobile-apple", "programming"],
    "netnewswire__monkeydom.rss#6": ["mobile-apple", "programming"],
    "netnewswire__monkeydom.rss#7": ["programming"],
    "netnewswire__monkeydom.rss#8": ["mobile-apple", "programming"],
    "netnewswire__monkeydom.rss#9": ["mobile-apple"],
    "netnewswire__monkeydom.rss#10": ["mobile-apple", "programming"],
    "netnewswire__monkeydom.rss#11": ["mobile-apple"],
    "netnewswire__monkeydom.rss#12": ["mobile-apple"],
    "netnewswire__natasha.xml#0": ["mobile-apple"],
    "netnewswire__natasha.xml#1": ["mobile-apple", "programming"],
    "netnewswire__natasha.xml#2": ["mobile-apple", "programming"],
    "netnewswire__natasha.xml#3": ["mobile-apple", "programming"],
    "netnewswire__natasha.xml#4": ["mobile-apple", "programming"],
    "netnewswire__natasha.xml#5": ["mobile-apple", "programming"],
    "netnewswire__natasha.xml#6": ["mobile-apple", "programming"],
    "netnewswire__natasha.xml#7": ["mobile-apple", "programming"],
    "netnewswire__natasha.xml#8": ["mobile-apple", "programming"],
    "netnewswire__natasha.xml#9": ["mobile-apple", "programming"],
    "netnewswire__neverworkintheory.atom#0": ["programming"],
    "netnewswire__neverworkintheory.atom#1": ["open-source-linux", "programming"],
    "netnewswire__neverworkintheory.atom#2": ["programming"],
    "netnewswire__neverworkintheory.atom#3": ["programming"],
    "netnewswire__neverworkintheory.atom#4": ["programming"],
    "netnewswire__neverworkintheory.atom#5": ["programming"],
    "netnewswire__neverworkintheory.atom#6": ["programming"],
    "netnewswire__neverworkintheory.atom#7": ["programming"],
    "netnewswire__neverworkintheory.atom#8": ["programming"],
    "netnewswire__neverworkintheory.atom#9": ["security"],
    "netnewswire__neverworkintheory.atom#10": ["programming"],
    "netnewswire__neverworkintheory.atom#11": ["programming"],
    "netnewswire__neverworkintheory.atom#12": ["programming"],
    "netnewswire__neverworkintheory.atom#13": ["programming"],
    "netnewswire__pappacoda.atom#0": ["web"],
    "netnewswire__pappacoda.atom#1": ["open-source-linux", "programming"],
    "netnewswire__pappacoda.atom#2": ["programming"],
    "netnewswire__qemu.atom#0": ["cloud-devops", "open-source-linux"],
    "netnewswire__qemu.atom#1": ["cloud-devops", "open-source-linux"],
    "netnewswire__qemu.atom#2": ["open-source-linux"],
    "netnewswire__qemu.atom#3": ["cloud-devops", "open-source-linux"],
    "netnewswire__qemu.atom#4": ["cloud-devops", "open-source-linux"],
    "netnewswire__qemu.atom#5": ["cloud-devops", "open-source-linux"],
    "netnewswire__qemu.atom#6": ["cloud-devops", "open-source-linux"],
    "netnewswire__qemu.atom#7": ["cloud-devops", "open-source-linux"],
    "netnewswire__qemu.atom#8": ["cloud-devops", "open-source-linux"],
    "netnewswire__qemu.atom#9": ["cloud-devops", "open-source-linux"],
    "netnewswire__root-author.atom#0": ["mobile-apple"],
    "netnewswire__root-author.atom#1": ["programming", "web"],
    "netnewswire__russcox.atom#0": ["security"],
    "netnewswire__russcox.atom#1": ["programming"],
    "netnewswire__russcox.atom#2": ["programming"],
    "netnewswire__russcox.atom#3": ["programming"],
    "netnewswire__russcox.atom#4": ["programming"],
    "netnewswire__russcox.atom#5": ["programming"],
    "netnewswire__russcox.atom#6": ["programming"],
    "netnewswire__russcox.atom#7": ["programming"],
    "netnewswire__russcox.atom#8": ["programming"],
    "netnewswire__russcox.atom#9": ["programming"],
    "netnewswire__russcox.atom#10": ["programming"],
    "netnewswire__russcox.atom#11": ["programming"],
    "netnewswire__russcox.atom#12": ["programming"],
    "netnewswire__russcox.atom#13": ["programming"],
    "netnewswire__scriptingNews.rss#33": ["web"],
    "netnewswire__scriptingNews.rss#46": ["programming", "web"],
    "netnewswire__yakubin.atom#0": ["programming"],
    "netnewswire__yakubin.atom#1": ["programming"],
    "netnewswire__yakubin.atom#3": ["programming"],
    "netnewswire__yakubin.atom#4": ["open-source-linux", "security"],
    "netnewswire__yakubin.atom#5": ["programming"],
    "netnewswire__yakubin.atom#6": ["cloud-devops", "open-source-linux"],
    "netnewswire__yakubin.atom#9": ["web"],
    "netnewswire__yakubin.atom#11": ["open-source-linux", "security"],
    "nodefeedparser__illegally-nested.xml#6": ["mobile-apple"],
    "nodefeedparser__illegally-nested.xml#10": ["mobile-apple"],
    "nodefeedparser__illegally-nested.xml#12": ["mobile-apple", "security"],
    "nodefeedparser__illegally-nested.xml#14": ["security"],
    "nodefeedparser__illegally-nested.xml#16": ["ai-ml"],
    "nodefeedparser__illegally-nested.xml#18": ["mobile-apple"],
    "nodefeedparser__intertwingly.atom#0": ["open-source-linux", "programming"],
    "nodefeedparser__intertwingly.atom#1": ["databases"],
    "nodefeedparser__intertwingly.atom#2": ["open-source-linux", "programming"],
    "nodefeedparser__intertwingly.atom#3": ["web"],
    "nodefeedparser__intertwingly.atom#4": ["web"],
    "nodefeedparser__intertwingly.atom#5": ["web"],
    "nodefeedparser__intertwingly.atom#6": ["programming", "web"],
    "nodefeedparser__intertwingly.atom#7": ["programming", "web"],
    "nodefeedparser__intertwingly.atom#8": ["security", "web"],
    "nodefeedparser__intertwingly.atom#9": ["programming", "web"],
    "nodefeedparser__intertwingly.atom#10": ["programming", "web"],
    "nodefeedparser__intertwingly.atom#12": ["mobile-apple", "open-source-linux"],
    "nodefeedparser__intertwingly.atom#13": ["web"],
    "rssparser__feedburner.atom#0": ["programming"],
    "rssparser__feedburner.atom#5": ["web"],
    "rssparser__feedburner.atom#7": ["programming"],
    "rssparser__feedburner.atom#12": ["programming"],
    "rssparser__heise.atom#0": ["programming"],
    "rssparser__heise.atom#1": ["programming"],
    "rssparser__heise.atom#2": ["mobile-apple", "programming"],
    "rssparser__heise.atom#3": ["databases", "open-source-linux"],
    "rssparser__heise.atom#4": ["cloud-devops", "security"],
    "rssparser__heise.atom#5": ["programming"],
    "rssparser__heise.atom#6": ["programming"],
    "rssparser__heise.atom#7": ["programming"],
    "rssparser__heise.atom#8": ["open-source-linux"],
    "rssparser__heise.atom#9": ["programming", "web"],
    "rssparser__heise.atom#10": ["cloud-devops", "databases", "mobile-apple"],
    "rssparser__heise.atom#11": ["cloud-devops"],
    "rssparser__heise.atom#12": ["programming"],
    "rssparser__heise.atom#13": ["programming"],
    "rssparser__many-links.rss#0": ["programming"],
    "rssparser__many-links.rss#1": ["programming"],
    "rssparser__many-links.rss#2": ["programming"],
    "rssparser__many-links.rss#3": ["programming"],
    "rssparser__many-links.rss#4": ["programming"],
    "rssparser__many-links.rss#5": ["programming"],
    "rssparser__many-links.rss#7": ["programming"],
    "rssparser__many-links.rss#8": ["open-source-linux", "security"],
    "rssparser__many-links.rss#9": ["programming"],
    "rssparser__many-links.rss#10": ["programming"],
    "rssparser__many-links.rss#11": ["programming"],
    "rssparser__many-links.rss#12": ["programming"],
    "rssparser__many-links.rss#13": ["programming"],
}

HANDWRITTEN: list[tuple[str, str, list[str]]] = [
    (
        "Mistral publie un nouveau modèle open-weight pour le code",
        "La start-up parisienne annonce un modèle de 22 milliards de paramètres entraîné sur 80 langages, disponible sous licence non commerciale.",
        ["ai-ml"],
    ),
    (
        "Comment nous avons réduit de moitié le coût de nos résumés automatiques",
        "Retour d'expérience : distillation d'un grand modèle vers un modèle plus petit, quantification 4 bits et cache des requêtes fréquentes.",
        ["ai-ml"],
    ),
    (
        "Fine-tuning a small transformer for support ticket triage",
        "We trained a 300M-parameter encoder on 40,000 labelled tickets; accuracy went from 71% to 89% compared with our rules engine.",
        ["ai-ml"],
    ),
    (
        "Les agents conversationnels arrivent dans les mairies",
        "Plusieurs collectivités testent des assistants basés sur des LLM pour répondre aux questions des usagers, non sans débats sur la fiabilité des réponses.",
        ["ai-ml"],
    ),
    (
        "Retrieval-augmented generation in production: lessons learned",
        "Chunking strategy, embedding model choice and evaluation matter more than the size of the model, according to this post-mortem.",
        ["ai-ml"],
    ),
    (
        "L'AI Act européen entre en application : ce qui change pour les éditeurs",
        "Les systèmes d'IA à haut risque devront documenter leurs données d'entraînement et leurs tests de biais.",
        ["ai-ml"],
    ),
    (
        "PyTorch 2.5 speeds up training on consumer GPUs",
        "The release brings a new compiler backend and better support for mixed precision training of neural networks.",
        ["ai-ml"],
    ),
    (
        "Reconnaissance d'images : un modèle détecte les maladies de la vigne",
        "Des chercheurs de l'INRAE ont entraîné un réseau convolutif sur 50 000 photos de feuilles.",
        ["ai-ml"],
    ),
    (
        "Why your embeddings drift and how to monitor them",
        "Vector representations change when upstream models are retrained; here is a simple statistical test to catch it.",
        ["ai-ml"],
    ),
    (
        "OpenAI annonce un modèle capable de raisonner plus longtemps",
        "Le nouveau modèle consacre plus de calcul à l'inférence et obtient de meilleurs scores en mathématiques.",
        ["ai-ml"],
    ),
    (
        "Scikit-learn 1.6: faster gradient boosting and better defaults",
        "The histogram-based gradient boosting estimators gain categorical support and early stopping by default.",
        ["ai-ml"],
    ),
    (
        "Hallucinations : comment évaluer la fiabilité d'un assistant génératif",
        "Une méthode en trois étapes pour mesurer le taux de réponses inventées sur vos propres documents.",
        ["ai-ml"],
    ),
    (
        "Stable Diffusion et droit d'auteur : la justice britannique tranche",
        "Le tribunal estime que l'entraînement d'un générateur d'images sur des photos protégées pose question.",
        ["ai-ml"],
    ),
    (
        "Speech recognition that runs fully offline on a laptop",
        "Whisper-style models quantized to 8 bits transcribe an hour of audio in six minutes on a CPU.",
        ["ai-ml"],
    ),
    (
        "Classification de textes : TF-IDF bat encore les gros modèles sur petits corpus",
        "Sur 2 000 exemples, une régression logistique reste compétitive face à un modèle de fondation.",
        ["ai-ml"],
    ),
    (
        "Copilot, Cursor, Claude : quels assistants de code pour une équipe web ?",
        "Nous avons comparé trois outils de complétion par IA sur nos projets React et Symfony.",
        ["ai-ml", "programming", "web"],
    ),
    (
        "PostgreSQL 17 est disponible",
        "La nouvelle version améliore le VACUUM, les sauvegardes incrémentales et la commande MERGE.",
        ["databases"],
    ),
    (
        "Index partiels : accélérer vos requêtes sans exploser le stockage",
        "Exemples concrets d'index conditionnels sur une table de 200 millions de lignes.",
        ["databases"],
    ),
    (
        "Migrating from MongoDB to Postgres JSONB: a year later",
        "Query latency dropped, but we had to rethink our schema and our backup strategy.",
        ["databases"],
    ),
    (
        "SQLite dans le navigateur grâce à WebAssembly",
        "Le projet officiel propose un build WASM avec persistance dans OPFS.",
        ["databases", "web"],
    ),
    (
        "Redis change de licence, les forks se multiplient",
        "Valkey, soutenu par la Linux Foundation, reprend le code sous licence BSD.",
        ["databases", "open-source-linux"],
    ),
    (
        "Understanding MVCC and transaction isolation levels",
        "Read committed, repeatable read and serializable explained with concrete anomalies.",
        ["databases"],
    ),
    (
        "DuckDB 1.1 : l'analytique embarquée gagne en vitesse",
        "Le moteur colonnaire lit directement Parquet et CSV et rivalise avec des entrepôts de données.",
        ["databases"],
    ),
    (
        "ClickHouse vs. TimescaleDB for time-series metrics",
        "We loaded 2 billion rows into both and compared ingestion, compression and query speed.",
        ["databases"],
    ),
    (
        "Sauvegardes : ce que nous a appris une restauration ratée",
        "Un dump logique de 400 Go, des WAL manquants et une nuit blanche : notre checklist.",
        ["databases"],
    ),
    (
        "Schema migrations without downtime",
        "Expand and contract: add the new column, backfill, switch reads, then drop the old column.",
        ["databases"],
    ),
    (
        "MariaDB ajoute la recherche vectorielle",
        "Le SGBD propose un type VECTOR et des index HNSW pour les applications de recherche sémantique.",
        ["databases"],
    ),
    (
        "Choosing a primary key: UUIDv7 vs bigint",
        "Random UUIDs fragment B-tree indexes; time-ordered identifiers avoid most of the cost.",
        ["databases"],
    ),
    (
        "Réplication logique : synchroniser deux clusters PostgreSQL",
        "Publication, souscription et pièges à éviter lors d'une migration de version majeure.",
        ["databases"],
    ),
    (
        "Query planner surprises in MySQL 8",
        "How histogram statistics changed the join order of our reporting queries.",
        ["databases"],
    ),
    (
        "Elasticsearch ou OpenSearch pour la recherche plein texte ?",
        "Comparatif des fonctionnalités, des licences et des coûts d'hébergement.",
        ["databases"],
    ),
    (
        "Normalisation ou dénormalisation : le bon compromis pour un site e-commerce",
        "Quand dupliquer des données dans les tables de commandes plutôt que de multiplier les jointures.",
        ["databases"],
    ),
    (
        "Une faille critique dans un plugin WordPress exposerait 500 000 sites",
        "La vulnérabilité permet une injection SQL sans authentification ; un correctif est disponible.",
        ["security", "web"],
    ),
    (
        "Rançongiciel : un hôpital francilien paralysé",
        "Les équipes sont revenues au papier après le chiffrement de leurs serveurs par un groupe criminel.",
        ["security"],
    ),
    (
        "L'ANSSI publie ses recommandations sur l'authentification multifacteur",
        "Le guide classe les méthodes de la plus faible (SMS) à la plus robuste (clés FIDO2).",
        ["security"],
    ),
    (
        "Campagne d'hameçonnage visant les comptes Microsoft 365",
        "Des courriels imitant des factures redirigent vers de fausses pages de connexion.",
        ["security"],
    ),
    (
        "CSS :has() est maintenant pris en charge par tous les navigateurs",
        "Le sélecteur parent ouvre la voie à des mises en page conditionnelles sans JavaScript.",
        ["web"],
    ),
    (
        "Accessibilité numérique : l'échéance de 2025 approche",
        "Les sites de e-commerce devront respecter le RGAA ; voici les erreurs les plus fréquentes.",
        ["web"],
    ),
    (
        "Astro 5 : des îlots interactifs encore plus légers",
        "Le framework de sites statiques ajoute les server islands et un nouveau système de contenu.",
        ["web"],
    ),
    (
        "Core Web Vitals : l'INP remplace le FID",
        "Google mesure désormais la réactivité de toutes les interactions d'une page.",
        ["web"],
    ),
    (
        "Kubernetes 1.31 : les nouveautés pour les équipes d'exploitation",
        "Les sidecars deviennent stables et la gestion des volumes progresse.",
        ["cloud-devops"],
    ),
    (
        "OVHcloud ouvre une nouvelle région à Paris",
        "L'hébergeur propose trois zones de disponibilité pour ses offres de conteneurs managés.",
        ["cloud-devops"],
    ),
    (
        "Réduire la facture cloud de 40 % : notre méthode",
        "Instances réservées, arrêt automatique des environnements de test et ménage dans le stockage objet.",
        ["cloud-devops"],
    ),
    (
        "Pipelines de déploiement : de Jenkins à GitLab CI",
        "Retour d'expérience sur la migration de 120 projets et l'usage des runners éphémères.",
        ["cloud-devops"],
    ),
    (
        "Debian 13 « Trixie » est disponible",
        "La nouvelle version stable apporte le noyau 6.12 et abandonne l'architecture i386 pour l'installation.",
        ["open-source-linux"],
    ),
    (
        "Le noyau Linux 6.10 accepte du code Rust dans de nouveaux pilotes",
        "Les mainteneurs saluent les progrès mais rappellent les difficultés d'intégration.",
        ["open-source-linux", "programming"],
    ),
    (
        "Logiciels libres : la DINUM met à jour le SILL",
        "Le socle interministériel recommande désormais 450 logiciels libres aux administrations.",
        ["open-source-linux"],
    ),
    (
        "Fedora passe à Wayland par défaut pour toutes ses éditions",
        "Les sessions X11 restent disponibles mais ne sont plus installées par défaut.",
        ["open-source-linux"],
    ),
    (
        "iOS 18 : les nouveautés pour les développeurs d'applications",
        "Apple ouvre la personnalisation de l'écran d'accueil et de nouvelles API pour les widgets.",
        ["mobile-apple"],
    ),
    (
        "Android 15 renforce la protection des applications bancaires",
        "Le système détecte désormais les partages d'écran pendant la saisie d'identifiants.",
        ["mobile-apple", "security"],
    ),
    (
        "Les smartphones reconditionnés représentent 15 % des ventes en France",
        "Le marché progresse porté par les modèles iPhone et Samsung de deux ou trois ans.",
        ["mobile-apple"],
    ),
    (
        "Flutter ou applications natives : notre choix pour l'appli mobile",
        "Nous comparons performances, temps de développement et accès aux API des plateformes.",
        ["mobile-apple", "programming"],
    ),
    (
        "Python 3.13 : un interpréteur sans GIL en expérimentation",
        "Le mode free-threaded permet enfin d'exploiter plusieurs cœurs, au prix de quelques incompatibilités.",
        ["programming"],
    ),
    (
        "Rust 1.80 stabilise LazyCell et LazyLock",
        "Les développeurs peuvent abandonner les crates externes pour l'initialisation paresseuse.",
        ["programming"],
    ),
    (
        "Revue de code : nos règles pour des relectures utiles",
        "Petites demandes de fusion, description du contexte et délais de réponse courts.",
        ["programming"],
    ),
    (
        "TypeScript 5.6 améliore la vérification des conditions toujours vraies",
        "Le compilateur signale désormais les tests qui ne peuvent jamais échouer.",
        ["programming"],
    ),
    (
        "Ligue 1 : le PSG s'impose à Marseille",
        "Un doublé en seconde période offre la victoire aux Parisiens dans le Classique.",
        [],
    ),
    (
        "Réforme des retraites : le gouvernement engage sa responsabilité",
        "Le texte sera adopté sans vote à l'Assemblée nationale, provoquant la colère des syndicats.",
        [],
    ),
    (
        "Recette : la tarte aux pommes de ma grand-mère",
        "Une pâte brisée maison, des pommes reinettes et un peu de cannelle.",
        [],
    ),
    (
        "Tour de France : Pogacar remporte l'étape reine",
        "Le Slovène prend le maillot jaune après une attaque dans le dernier col.",
        [],
    ),
    (
        "Météo : épisode cévenol attendu dans le Gard",
        "Météo-France place trois départements en vigilance orange pluie-inondation.",
        [],
    ),
    (
        "Festival de Cannes : la Palme d'or pour un film français",
        "Le jury salue une œuvre intime sur la transmission familiale.",
        [],
    ),
    (
        "Immobilier : les prix reculent dans les grandes villes",
        "La hausse des taux d'intérêt pèse sur le pouvoir d'achat des ménages.",
        [],
    ),
    (
        "Élections européennes : les résultats par département",
        "La participation progresse légèrement par rapport au précédent scrutin.",
        [],
    ),
    (
        "Rugby : le XV de France bat l'Irlande",
        "Les Bleus s'imposent 27 à 19 au Stade de France dans le Tournoi des Six Nations.",
        [],
    ),
    (
        "Jardinage : quand tailler les rosiers ?",
        "La fin de l'hiver est la meilleure période, après les dernières gelées.",
        [],
    ),
    (
        "Le prix du gazole repart à la hausse",
        "Les tensions au Moyen-Orient font grimper le cours du baril de pétrole.",
        [],
    ),
    (
        "Santé : la campagne de vaccination contre la grippe commence",
        "Les pharmaciens peuvent vacciner les adultes sans ordonnance.",
        [],
    ),
]


if __name__ == "__main__":
    main()
