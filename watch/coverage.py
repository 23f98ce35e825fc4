"""Coverage: how many sites carry a story.  A site is a source's publisher: the host (without
a leading "www.") of the home page its feed names, else of its feed's URL.  Two feeds of one
blog (its RSS and its JSON Feed) are one source of coverage; an aggregator (Hacker News,
lobste.rs, a newsletter) linking the original is another site, as it is another voice.  Used by
the store (``fill_clusters``) and by the ranking of new articles, so that scores, the board and
the digest count alike."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from urllib.parse import urlsplit


def site_of(source: str, *urls: str | None) -> str:
    """The site of ``source``: the host of the first of ``urls`` that has one (its home page,
    then its feed), without "www."; the source itself when none has."""
    for url in urls:
        try:
            host = (urlsplit(url or "").hostname or "").rstrip(".")
        except ValueError:
            continue
        if host:
            return host.removeprefix("www.")
    return f"source:{source}"


def other_sources(own: str, sources: Collection[str], site: Mapping[str, str]) -> list[str]:
    """One source per site carrying the story, other than ``own``'s site (the first by name
    for a site two feeds of share), sorted; ``site`` maps a source to its site."""
    own_site = site.get(own, f"source:{own}")
    chosen: dict[str, str] = {}
    for source in sorted(set(sources) - {own}):
        where = site.get(source, f"source:{source}")
        if where != own_site and where not in chosen:
            chosen[where] = source
    return sorted(chosen.values())
