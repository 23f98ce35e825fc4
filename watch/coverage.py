"""Coverage: which sites carry a story.  A site is the host of an article's link without a
leading "www.": two feeds of one blog (its RSS and its JSON Feed) are one source of coverage,
and the same link in two feeds one article.  Used by the store (``fill_clusters``) and the
ranking of new articles, so that scores, the board and the digest count alike."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from urllib.parse import urlsplit


def site_of(url: str, source: str) -> str:
    """The site an article is from: its URL's host without a leading "www." (two feeds of one
    blog link to one host); ``source`` itself for a URL without host."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    return host.removeprefix("www.") or f"source:{source}"


def other_sources(
    own_source: str, own_site: str, sites: Mapping[str, Collection[str]]
) -> list[str]:
    """One source name per site of the story other than ``own_site`` (the first by name),
    sorted: a site only ``own_source`` links to (an aggregator's other link) adds none, and a
    source already chosen for a site counts once."""
    chosen: set[str] = set()
    for site in sorted(sites):
        candidates = set(sites[site]) - {own_source}
        if site == own_site or not candidates or candidates & chosen:
            continue
        chosen.add(min(candidates))
    return sorted(chosen)
