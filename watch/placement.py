"""Placing new articles into story clusters before they are stored (for ``watch.ranking``).

Owns the in-memory cluster index over the store's recent articles (the last CLUSTER_WINDOW,
built on first use and rebuilt once CLUSTER_REBUILD old), the sources carrying each story it
holds (``watch.coverage``), and which stories new articles joined, until their stored articles
are scored again.  A new article may bridge stories into one (``ClusterIndex.place``): the
merged stories' new articles take the surviving cluster id at once, their stored ones once
``take_merges`` is asked.  Scoring stays with the Ranker: this module says which story an
article is in, which sources carry it, and which stored articles to score again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from watch.cluster import ClusterIndex, Fingerprint, build_index
from watch.coverage import StoryCoverage
from watch.models import Article
from watch.store.base import Store

CLUSTER_WINDOW = timedelta(days=14)
CLUSTER_REBUILD = timedelta(days=1)
"""The in-memory cluster index is rebuilt from the store (the last CLUSTER_WINDOW) once it is
this old: a ``watch run`` of months does not keep every article since its start in memory."""


class StoryPlacement:
    """The stories the new articles of one store join, and the sources carrying them."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        feed_urls: Callable[[], Mapping[str, str]],
    ) -> None:
        self.store, self.clock = store, clock
        self.coverage = StoryCoverage(store.list_source_states, feed_urls)
        self._index: ClusterIndex | None = None
        self._index_built = datetime.min.replace(tzinfo=UTC)
        self._joined: set[int] = set()
        self._merges: dict[int, int] = {}
        """Absorbed cluster id → the surviving one, until the store learns (``take_merges``)."""
        self._inserted_coverage: dict[int, int] = {}
        """Coverage each new article was scored with at insert (a later chunk may raise it)."""

    @property
    def index(self) -> ClusterIndex:
        """The cluster index over recent articles, built from the store on first use."""
        if self._index is None:
            since = self.clock() - CLUSTER_WINDOW
            rows = []
            for a in self.store.iter_articles(since=since):
                cluster = a.cluster_id if a.cluster_id is not None else a.id
                rows.append(
                    (a.id, cluster, a.title, a.summary_text, a.canonical_url, a.published, a.source)
                )
                self.coverage.remember(cluster, a.id, a.source)
            self._index = build_index(rows)
            self._index_built = self.clock()
        return self._index

    def place(
        self,
        new: Sequence[tuple[int, Article]],
        fingerprints: Mapping[tuple[str, str], Fingerprint] | None = None,
    ) -> list[list[str]]:
        """Put new articles (id, article) into story clusters, in place (``cluster_id``), and
        return the sources carrying each one's story (same order), to score it with.
        ``fingerprints`` (by source and guid) spares computing those already known.  The
        stories they joined are kept for ``to_rescore``."""
        if self._index_is_stale():
            self.forget()
        index = self.index
        for position, (article_id, article) in enumerate(new):
            known = fingerprints.get((article.source, article.guid)) if fingerprints else None
            if known is not None:
                index.prime(article.title, article.summary_text, known)
            where = (article.title, article.summary_text, article.canonical_url, article.published)
            placed = index.place(article_id, *where, source=article.source)
            article.cluster_id = placed.cluster if placed.cluster is not None else article_id
            if placed.absorbed:
                self._merge(article.cluster_id, placed.absorbed, new[:position])
            index.add(article_id, article.cluster_id, *where, source=article.source)
            self.coverage.remember(article.cluster_id, article_id, article.source)
            if placed.cluster is not None:
                self._joined.add(placed.cluster)
        carried = []
        for article_id, article in new:
            sources = self.coverage.story_sources(article_id, article.cluster_id, article.source)
            self._inserted_coverage[article_id] = len(sources)
            carried.append(sources)
        return carried

    def take_merges(self) -> dict[int, int]:
        """The stories merged into another since last asked (absorbed cluster id → surviving
        one), whose stored articles still carry the absorbed id; then forgotten."""
        merges, self._merges = self._merges, {}
        return merges

    def _merge(
        self, into: int, absorbed: tuple[int, ...], placed: Sequence[tuple[int, Article]]
    ) -> None:
        """Make the stories ``absorbed`` part of ``into``: in the index, in the coverage, for the
        new articles already ``placed`` in them, and in the merges to tell the store."""
        self.index.merge(into, absorbed)
        self.coverage.merge(into, absorbed)
        gone = set(absorbed)
        for _, article in placed:
            if article.cluster_id in gone:
                article.cluster_id = into
        self._merges = {old: into if to in gone else to for old, to in self._merges.items()}
        self._merges.update(dict.fromkeys(absorbed, into))
        self._joined -= gone

    def to_rescore(self, new_ids: Sequence[int], updated_ids: Sequence[int] = ()) -> list[int]:
        """The stored articles to score again once new ones are stored: those of the stories
        new articles joined (a new one only when a later article raised its coverage) and the
        updated ones (whose text and topics changed).  The joined stories are then forgotten."""
        seen = set(new_ids)
        others = {
            i
            for c in self._joined
            for i in self._members(c)
            if i not in seen or self._inserted_coverage.get(i) != self.coverage.coverage(i, c)
        } | (set(updated_ids) - seen)
        self._joined.clear()
        self._inserted_coverage.clear()
        return sorted(others)

    def _members(self, story: int) -> list[int]:
        """The article ids of ``story`` in the cluster index (none while it is not built: never
        builds it)."""
        return self._index.members(story) if self._index is not None else []

    def _index_is_stale(self) -> bool:
        """Whether to rebuild the cluster index from the store: CLUSTER_REBUILD old, and no
        rescore nor merge pending (``to_rescore`` and ``take_merges`` have run since the last
        ``place``)."""
        age = self.clock() - self._index_built
        pending = self._joined or self._merges
        return self._index is not None and not pending and age > CLUSTER_REBUILD

    def forget(self) -> None:
        """Drop the in-memory cluster index (rebuilt from the store on next use)."""
        self._index = None
        self.coverage.forget()
        self._joined.clear()
        self._merges.clear()
        self._inserted_coverage.clear()
