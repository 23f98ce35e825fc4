"""Ranking over the store: topics, story clusters and scores for stored articles.

The Understand stages (``classify``, ``cluster``, ``score``) are pure; this module applies them to
what the store holds: classify new articles before they are committed, put new articles in
clusters and score them after, recompute every score when the model or the topics change
(``rescore_all``, no refetch), and retrain the classifier from stored articles plus feedback
(``retrain``).  The pipeline, the scheduler and the CLI share one ``Ranker``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from watch.classify import Classifier, keyword_classifier, train_classifier, training_examples
from watch.cluster import ClusterIndex, Fingerprint, build_index
from watch.config import Settings, SourceConfig, WatchConfig
from watch.models import Article, StoredArticle
from watch.score import score_article
from watch.store.base import ArticleQuery, ClassificationUpdate, Store

log = logging.getLogger(__name__)
BATCH = 1000
CLUSTER_WINDOW = timedelta(days=14)


class Ranker:
    """Classifies, clusters and scores articles held in one store."""

    def __init__(
        self,
        store: Store,
        config: WatchConfig,
        settings: Settings,
        classifier: Classifier | None,
        clock: Callable[[], datetime],
    ) -> None:
        self.store, self.config, self.settings, self.clock = store, config, settings, clock
        self._classifier = classifier
        self._index: ClusterIndex | None = None
        self._members: dict[int, list[int]] = defaultdict(list)
        self._sources: dict[int, set[str]] = defaultdict(set)
        self._weight_cache: tuple[WatchConfig | None, dict[str, float]] = (None, {})

    @property
    def classifier(self) -> Classifier:
        """The saved model when compatible with the topics, else the keyword classifier."""
        if self._classifier is None:
            loaded = Classifier.load(self.settings.model_path, self.config.topics)
            self._classifier = loaded or keyword_classifier(self.config.topics)
        return self._classifier

    def classify(self, pairs: Sequence[tuple[Article, SourceConfig]]) -> None:
        """Set the topics of each (article, its source) in one call (before they are committed)."""
        items = [(a.title, a.summary_text, source.topics) for a, source in pairs]
        for (article, _), matches in zip(pairs, self.classifier.classify(items), strict=True):
            article.topics = matches

    @property
    def clusters(self) -> ClusterIndex:
        """The cluster index over recent articles, built from the store on first use."""
        if self._index is None:
            since = self.clock() - CLUSTER_WINDOW
            rows = []
            for a in self.store.iter_articles(since=since):
                cluster = a.cluster_id if a.cluster_id is not None else a.id
                rows.append((a.id, cluster, a.title, a.summary_text, a.canonical_url, a.published))
                self._remember(cluster, a.id, a.source)
            self._index = build_index(rows)
        return self._index

    def cluster_and_score(
        self,
        new: Sequence[tuple[int, Article]],
        updated_ids: Sequence[int] = (),
        fingerprints: Mapping[tuple[str, str], Fingerprint] | None = None,
    ) -> None:
        """Put new articles (stored id, article) into story clusters; score them, the clusters
        they joined, and the updated articles (whose text and topics changed).
        ``fingerprints`` (by source and guid) spares computing those already known."""
        index = self.clusters
        joined: set[int] = set()
        updates = []
        for article_id, article in new:
            known = fingerprints.get((article.source, article.guid)) if fingerprints else None
            if known is not None:
                index.prime(article.title, article.summary_text, known)
            found = index.assign(
                article_id,
                article.title,
                article.summary_text,
                article.canonical_url,
                article.published,
            )
            article.cluster_id = found if found is not None else article_id
            index.add(
                article_id,
                article.cluster_id,
                article.title,
                article.summary_text,
                article.canonical_url,
                article.published,
            )
            self._remember(article.cluster_id, article_id, article.source)
            if found is not None:
                joined.add(found)
        for article_id, article in new:
            updates.append(
                self._scored(article_id, article, self._coverage(article_id, article.cluster_id), 0)
            )
        seen = {article_id for article_id, _ in new}
        others = {i for c in joined for i in self._members[c] if i not in seen} | (
            set(updated_ids) - seen
        )
        for stored in self._load(sorted(others)):
            updates.append(
                self._scored(
                    stored.id, stored, self._coverage(stored.id, stored.cluster_id), stored.vote
                )
            )
        self.store.update_classification(updates)

    def rescore_all(self, reclassify: bool = True) -> int:
        """Recompute topics (optionally) and scores of every stored article; returns the count."""
        done, batch = 0, []
        for article in self.store.iter_articles():
            batch.append(article)
            if len(batch) >= BATCH:
                done += self._rescore_batch(batch, reclassify)
                batch = []
        if batch:
            done += self._rescore_batch(batch, reclassify)
        return done

    def retrain(self) -> Classifier:
        """Train on stored articles (weak labels) plus every feedback item, save, rescore."""
        hints = {s.name: s.topics for s in self.config.sources}
        corpus = (
            (a.title, a.summary_text, hints.get(a.source, ())) for a in self.store.iter_articles()
        )
        feedback = self.store.list_feedback()
        judged = {f.article_id for f in feedback}
        articles = {i: a for i in judged if (a := self.store.get_article(i)) is not None}
        examples = training_examples(feedback, articles, hints)
        classifier = train_classifier(self.config.topics, corpus, examples)
        self.settings.model_path.parent.mkdir(parents=True, exist_ok=True)
        classifier.save(self.settings.model_path)
        self._classifier = classifier
        self.rescore_all(reclassify=True)
        return classifier

    # -- helpers -----------------------------------------------------------------
    def _remember(self, cluster: int, article_id: int, source: str) -> None:
        self._members[cluster].append(article_id)
        self._sources[cluster].add(source)

    def _coverage(self, article_id: int, cluster_id: int | None) -> int:
        """How many sources carry the article's story (at least 1)."""
        cluster = cluster_id if cluster_id is not None else article_id
        return max(1, len(self._sources.get(cluster, ())))

    def _load(self, ids: Sequence[int]) -> list[StoredArticle]:
        loaded: list[StoredArticle] = []
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            loaded += self.store.query_articles(
                ArticleQuery(ids=chunk, limit=len(chunk), order="id")
            )
        return loaded

    def _rescore_batch(self, batch: list[StoredArticle], reclassify: bool) -> int:
        if reclassify:
            hints = {s.name: s.topics for s in self.config.sources}
            items = [(a.title, a.summary_text, hints.get(a.source, ())) for a in batch]
            for article, matches in zip(batch, self.classifier.classify(items), strict=True):
                article.topics = matches
        updates = [self._scored(a.id, a, 1 + len(a.cluster_sources), a.vote) for a in batch]
        self.store.update_classification(updates)
        return len(updates)

    def _scored(
        self, article_id: int, article: Article, coverage: int, vote: int
    ) -> ClassificationUpdate:
        weight = self._weights().get(article.source, 1.0)
        score, parts, explanation = score_article(
            topics=article.topics,
            source_weight=weight,
            cluster_size=coverage,
            vote=vote,
            published=article.published,
            now=self.clock(),
            date_from_feed=article.date_from_feed,
        )
        return ClassificationUpdate(
            article_id, article.topics, score, parts, explanation, article.cluster_id
        )

    def _weights(self) -> dict[str, float]:
        if self._weight_cache[0] is not self.config:
            self._weight_cache = (self.config, {s.name: s.weight for s in self.config.sources})
        return self._weight_cache[1]
