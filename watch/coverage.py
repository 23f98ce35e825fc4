"""Coverage: how many sites carry a story.  A site is a source's publisher: the host (without
a leading "www.") of the home page its feed names, else of its feed's URL.  Two feeds of one
blog (its RSS and its JSON Feed) are one source of coverage; an aggregator (Hacker News,
lobste.rs, a newsletter) linking the original is another site, as it is another voice.  Used by
the store (``fill_clusters``) and by the ranking of new articles, so that scores, the board and
the digest count alike."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from urllib.parse import urlsplit

from watch.models import SourceState


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


class StoryCoverage:
    """The sources of each story the in-memory cluster index holds, and the site of each source,
    for scoring new articles before they are stored (the store's ``fill_clusters`` does the same
    for stored ones).  ``states`` lists the stored source states; ``feed_urls`` maps a source to
    its sources.yaml url (the last resort for a source never recorded)."""

    def __init__(
        self,
        states: Callable[[], list[SourceState]],
        feed_urls: Callable[[], Mapping[str, str]],
    ) -> None:
        self._states, self._feed_urls = states, feed_urls
        self._sources: dict[int, set[str]] = defaultdict(set)
        self._source_of: dict[int, str] = {}
        self._sites: dict[str, str] = {}

    def remember(self, cluster: int, article_id: int, source: str) -> None:
        self._sources[cluster].add(source)
        self._source_of[article_id] = source

    def merge(self, into: int, absorbed: Iterable[int]) -> None:
        """Count the sources of the stories ``absorbed`` as those of ``into``."""
        for story in absorbed:
            self._sources[into] |= self._sources.pop(story, set())

    def note_sites(self, home_pages: Mapping[str, str | None]) -> None:
        """The home page (else feed URL) of sources about to store articles: their sites are
        known before their state is recorded (a first pass)."""
        for source, url in home_pages.items():
            self._sites[source] = site_of(source, url)

    def story_sources(self, article_id: int, cluster_id: int | None, source: str) -> list[str]:
        """The sources carrying the article's story: its own ``source`` first, then one per
        other site (``other_sources``)."""
        members = self._sources.get(cluster_id if cluster_id is not None else article_id, set())
        return [source, *other_sources(source, members, self._site_map(members | {source}))]

    def coverage(self, article_id: int, cluster_id: int | None) -> int:
        """How many sites carry the article's story (at least 1)."""
        source = self._source_of.get(article_id, "")
        return len(self.story_sources(article_id, cluster_id, source))

    def forget(self) -> None:
        self._sources.clear()
        self._source_of.clear()
        self._sites.clear()

    def _site_map(self, sources: Collection[str]) -> Mapping[str, str]:
        """Source → site: noted by a pass, else from the stored states (home page, feed URL),
        else from sources.yaml's url."""
        missing = set(sources) - self._sites.keys()
        if missing:
            states = {s.name: s for s in self._states() if s.name in missing}
            urls = self._feed_urls()
            for name in missing:
                state = states.get(name)
                home, feed = (state.home_url, state.url) if state else (None, None)
                self._sites[name] = site_of(name, home, feed, urls.get(name))
        return self._sites
