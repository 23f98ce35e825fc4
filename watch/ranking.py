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
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from watch.classify import Classifier, TrainingExample, keyword_classifier, train_classifier
from watch.cluster import ClusterIndex
from watch.config import Settings, SourceConfig, WatchConfig
from watch.models import Article, Feedback, StoredArticle
from watch.score import score_article
from watch.store.base import ArticleQuery, ClassificationUpdate, Store

log = logging.getLogger(__name__)
BATCH = 1000


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

    @property
    def classifier(self) -> Classifier:
        """The saved model when compatible with the topics, else the keyword classifier."""
        if self._classifier is None:
            loaded = Classifier.load(self.settings.model_path, self.config.topics)
            self._classifier = loaded or keyword_classifier(self.config.topics)
        return self._classifier

    def classify(self, articles: Sequence[Article], source: SourceConfig) -> None:
        """Set each article's topics (before it is committed)."""
        items = [(a.title, a.summary_text, source.topics) for a in articles]
        for article, matches in zip(articles, self.classifier.classify(items), strict=True):
            article.topics = matches

    def cluster_and_score(self, new_ids: Sequence[int], index: ClusterIndex) -> None:
        """Put newly stored articles into story clusters, then score them and their clusters."""
        stored = self.store.query_articles(ArticleQuery(ids=list(new_ids), limit=len(new_ids), order="id"))
        joined: set[int] = set()
        for article in stored:
            found = index.assign(article.id, article.title, article.summary_text, article.canonical_url, article.published)
            article.cluster_id = found if found is not None else article.id
            index.add(article.id, article.cluster_id, article.title, article.summary_text, article.canonical_url, article.published)
            if found is not None:
                joined.add(found)
        self.store.update_classification([self._scored(a, coverage=1) for a in stored if a.cluster_id not in joined])
        for cluster_id in joined:
            members = self.store.cluster_members(cluster_id)
            coverage = len({m.source for m in members})
            self.store.update_classification([self._scored(m, coverage) for m in members])

    def rescore_all(self, reclassify: bool = True) -> int:
        """Recompute topics (optionally) and scores of every stored article; returns the count."""
        coverage = self._cluster_coverage()
        done, batch = 0, []
        for article in self.store.iter_articles():
            batch.append(article)
            if len(batch) >= BATCH:
                done += self._rescore_batch(batch, coverage, reclassify)
                batch = []
        if batch:
            done += self._rescore_batch(batch, coverage, reclassify)
        return done

    def retrain(self) -> Classifier:
        """Train on stored articles (weak labels) plus every feedback item, save, rescore."""
        hints = {s.name: s.topics for s in self.config.sources}
        corpus = ((a.title, a.summary_text, hints.get(a.source, ())) for a in self.store.iter_articles())
        examples = training_examples(self.store.list_feedback(), self.store, hints)
        classifier = train_classifier(self.config.topics, corpus, examples)
        self.settings.model_path.parent.mkdir(parents=True, exist_ok=True)
        classifier.save(self.settings.model_path)
        self._classifier = classifier
        self.rescore_all(reclassify=True)
        return classifier

    # -- helpers -----------------------------------------------------------------
    def _rescore_batch(self, batch: list[StoredArticle], coverage: dict[int, int], reclassify: bool) -> int:
        if reclassify:
            hints = {s.name: s.topics for s in self.config.sources}
            items = [(a.title, a.summary_text, hints.get(a.source, ())) for a in batch]
            for article, matches in zip(batch, self.classifier.classify(items), strict=True):
                article.topics = matches
        updates = [self._scored(a, coverage.get(a.cluster_id or a.id, 1)) for a in batch]
        self.store.update_classification(updates)
        return len(updates)

    def _cluster_coverage(self) -> dict[int, int]:
        sources: dict[int, set[str]] = defaultdict(set)
        for article in self.store.iter_articles():
            sources[article.cluster_id or article.id].add(article.source)
        return {cluster: len(names) for cluster, names in sources.items()}

    def _scored(self, article: StoredArticle, coverage: int) -> ClassificationUpdate:
        weight = self._weights().get(article.source, 1.0)
        score, parts, explanation = score_article(
            topics=article.topics,
            source_weight=weight,
            cluster_size=coverage,
            vote=article.vote,
            published=article.published,
            now=self.clock(),
            date_from_feed=article.date_from_feed,
        )
        return ClassificationUpdate(article.id, article.topics, score, parts, explanation, article.cluster_id)

    def _weights(self) -> dict[str, float]:
        return {s.name: s.weight for s in self.config.sources}


def training_examples(
    feedback: Iterable[Feedback], store: Store, hints: dict[str, tuple[str, ...]]
) -> list[TrainingExample]:
    """Turn stored feedback into training examples (one per judged article, judgements merged).

    "also about T" makes T positive and "not about T" makes it negative; 👍 confirms the topics
    the article had when judged, 👎 marks them negative (the article was not what those topics
    are about for this team).  The latest judgement on a topic wins.
    """
    by_article: dict[int, tuple[set[str], set[str]]] = {}
    for item in sorted(feedback, key=lambda f: f.id):
        article = store.get_article(item.article_id)
        if article is None:
            continue
        positive, negative = by_article.setdefault(item.article_id, (set(), set()))
        topics = {t.name for t in article.topics}
        named = {item.topic} if item.topic else set()
        gained, lost = {
            "also_topic": (named, set()),
            "not_topic": (set(), named),
            "up": (topics, set()),
            "down": (set(), topics),
        }[item.kind]
        positive.difference_update(lost)
        negative.difference_update(gained)
        positive.update(gained)
        negative.update(lost)
    examples = []
    for article_id, (positive, negative) in by_article.items():
        article = store.get_article(article_id)
        if article is not None:
            examples.append(
                TrainingExample(
                    text_title=article.title,
                    text_summary=article.summary_text,
                    source_topics=hints.get(article.source, ()),
                    positive=frozenset(positive),
                    negative=frozenset(negative),
                )
            )
    return examples
