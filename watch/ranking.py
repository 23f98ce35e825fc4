"""Ranking over the store: topics, story clusters and scores for stored articles.

The Understand stages (``classify``, ``cluster``, ``score``) are pure; this module applies them to
what the store holds: hold the classifier (the reader worker classifies new articles with it),
score new articles as they are inserted (``watch.placement`` puts them in story clusters first),
classify again, with their stored page text, updated articles as they are written
(``classify``), say what a page text just read makes of its article
(``classified_with_texts``, saved with the text),
recompute every score when the model or the topics change (``rescore_all``, no refetch), and
retrain the classifier from stored articles plus feedback (``retrain``).  The pipeline, the
scheduler and the CLI share one ``Ranker``; ``story_scores`` says what a vote rescored.

The model's life: ``refresh`` (before a fetch, at scheduler start and hourly) rebuilds it when
its file is missing, unreadable, built for other topics or older than new feedback, and
reclassifies the store when the topics changed (explains every score again when the sources'
labels changed: explanations name the sources by label); ``sync_feedback`` (before each pass or
scheduler tick) makes every stored correction win at once; ``record_feedback`` applies a
judgement the moment it is given (a topic correction to its article, the model learning it at
the next rebuild; a vote to its story's scores).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta

from watch.classify import (
    Classifier,
    TrainingExample,
    apply_correction,
    corrections,
    keyword_classifier,
    topics_hash,
    train_classifier,
    training_examples,
)
from watch.cluster import ClusterIndex, Fingerprint
from watch.config import Settings, WatchConfig
from watch.models import VOTES, Article, ArticleText, Feedback, StoredArticle
from watch.placement import StoryPlacement
from watch.score import score_article
from watch.store.base import ArticleQuery, ClassificationUpdate, ScoringInput, Store
from watch.taste import Taste, taste_of
from watch.wording import counted, moved_counts, per_topic_words

log = logging.getLogger(__name__)
BATCH = 1000
MIN_ARTICLES_FOR_MODEL = 200
"""Below this many stored articles (and no feedback) the keyword rules work alone."""
RESCORED_AT = "rescored_at"
"""Store meta key: when every score was last recomputed (freshness decays between)."""
FRESHNESS_EVERY = timedelta(hours=1)
CLASSIFIED_WITH = "classified_with"
"""Store meta key: the topics hash the stored topics were computed with."""
LABELLED_WITH = "labelled_with"
"""Store meta key: the hash of the source labels the stored explanations name (``WatchConfig.labels_hash``)."""


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
        self._installing = threading.Lock()
        """Held while a classifier is put in place: ``watch run`` retrains in a thread while
        the event loop syncs feedback into the current one; neither may undo the other."""
        self.stories = StoryPlacement(
            store, clock, lambda: {s.name: s.url for s in self.config.sources}
        )
        self.coverage = self.stories.coverage
        self._source_cache: tuple[
            WatchConfig | None, dict[str, str], dict[str, float], dict[str, str]
        ] = (None, {}, {}, {})
        self._feedback_seen: tuple[int, int] = (0, 0)
        self._taste: Taste | None = None  # read from the votes when needed after feedback

    @property
    def classifier(self) -> Classifier:
        """The saved model when compatible with the topics, else the keyword classifier
        (one made for topics since edited in sources.yaml is dropped)."""
        if self._classifier is not None and self._classifier.topics != tuple(self.config.topics):
            self._classifier = None
        if self._classifier is None:
            loaded = Classifier.load(self.settings.model_path, self.config.topics)
            self._classifier = loaded or keyword_classifier(self.config.topics)
        return self._classifier

    @property
    def clusters(self) -> ClusterIndex:
        """The cluster index over recent articles (``watch.placement``)."""
        return self.stories.index

    def refresh(self, max_age: timedelta | None = None) -> str | None:
        """Bring the model and the stored topics in line with sources.yaml; say what was done.

        The model is rebuilt when its file is missing, unreadable, built for other topics, older
        than feedback given since or older than ``max_age``, as soon as the store has feedback or
        MIN_ARTICLES_FOR_MODEL articles; stored topics are recomputed when the topics changed
        since they were, stored explanations when the sources' labels did.
        """
        if not self.config.topics:
            return self._relabel()
        feedback = self.store.list_feedback()
        problem = self._model_problem(max_age, feedback)
        if problem and (feedback or self._enough_articles()):
            moved = self.retrain_and_compare()
            return f"classifier rebuilt ({problem}); {per_topic_words(moved)}"
        if self.store.get_meta(CLASSIFIED_WITH) != topics_hash(self.config.topics):
            if self.store.count_articles(ArticleQuery(limit=1)):
                count = self.rescore_all(reclassify=True)
                return f"topics changed: {count} articles classified again"
            self._mark_classified()
        return self._relabel()

    def _relabel(self) -> str | None:
        """Explain every stored score again when source labels changed since the explanations
        were written ("covered by 3 sources: …" names the sources by their labels)."""
        if (self.store.get_meta(LABELLED_WITH) or "") == self.config.labels_hash:
            return None
        if not self.store.count_articles(ArticleQuery(limit=1)):
            self.store.set_meta(LABELLED_WITH, self.config.labels_hash)
            return None
        count = self.rescore_all(reclassify=False)
        return f"source labels changed: {count} articles explained again"

    def sync_feedback(self) -> None:
        """Make every stored correction win in classification now, also those given since the
        model was trained (it learns from them at the next retrain): an article re-read by a
        fetch keeps what the user said."""
        feedback = self.store.list_feedback()
        seen = (len(feedback), max((f.id for f in feedback), default=0))
        if seen == self._feedback_seen:
            return
        self._taste = None
        base = self.classifier
        synced = base.with_overrides(corrections(self._examples(feedback)))
        with self._installing:
            if self._classifier is base:  # else a retrain (in another thread) installed a newer
                self._classifier, self._feedback_seen = synced, seen  # one with this feedback

    def record_feedback(self, feedback: Feedback) -> StoredArticle | None:
        """Store a judgement and apply it at once: a topic correction to the article's topics
        (the model learns it at the next retrain), a vote to the score of every article of its
        story (a vote is on the story; the model takes it as a weak topic hint only)."""
        self.store.add_feedback(feedback)
        self._taste = None if feedback.kind in VOTES else self._taste
        article = self.store.get_article(feedback.article_id)
        if article is None:
            return None
        article.topics = apply_correction(article.topics, feedback)
        update = self._rescored(article)
        self.store.update_classification([update])
        if feedback.kind in VOTES and article.cluster_id is not None:  # the vote is the story's
            others = [
                a for a in self.store.cluster_members(article.cluster_id) if a.id != article.id
            ]
            self.store.update_scores([self._rescored(a) for a in others])
        article.score, article.score_parts = update.score, update.score_parts
        article.explanation = update.explanation
        return article

    def place_new(
        self,
        new: Sequence[tuple[int, Article]],
        fingerprints: Mapping[tuple[str, str], Fingerprint] | None = None,
    ) -> None:
        """Put new articles (id, article) into story clusters and score them, in place, before
        they are inserted (the store's ``before_insert``).  ``fingerprints`` (by source and
        guid) spares computing those already known.  The clusters they joined are kept for
        ``rescore_joined``."""
        carried = self.stories.place(new, fingerprints)
        for (article_id, article), sources in zip(new, carried, strict=True):
            update = self._scored(article_id, article, sources, 0)
            article.score, article.score_parts = update.score, update.score_parts
            article.explanation = update.explanation

    def rescore_joined(self, new_ids: Sequence[int], updated_ids: Sequence[int] = ()) -> None:
        """Score again the stored articles whose story gained sources (members of the clusters
        new articles joined or merged) and the updated articles (whose text and topics changed);
        the stored articles of a story merged into another first take its cluster id."""
        moved = self._move_merged()
        others = [i for i in self.stories.to_rescore(new_ids, updated_ids) if i not in moved]
        updates = [
            self._rescored(s, self.coverage.story_sources(s.id, s.cluster_id, s.source))
            for s in self.store.scoring_inputs(others)
        ]
        self.store.update_scores(updates)

    def _move_merged(self) -> set[int]:
        """Give the stored articles of each story merged into another (``take_merges``) the
        cluster id of that story, scored with its coverage; return their ids."""
        updates = []
        for absorbed, into in self.stories.take_merges().items():
            for article in self.store.cluster_members(absorbed):
                article.cluster_id = into
                sources = self.coverage.story_sources(article.id, into, article.source)
                updates.append(self._rescored(article, sources))
        self.store.update_classification(updates)
        return {update.article_id for update in updates}

    def classify(self, batch: Sequence[Article]) -> None:
        """Set the topics of each article of ``batch`` (title, summary and page text): also
        the store's ``before_update``, for updated articles that carry their page's text."""
        hints = {s.name: s.topics for s in self.config.sources}
        items = [(a.title, a.text_for_topics, hints.get(a.source, ())) for a in batch]
        for article, matches in zip(batch, self.classifier.classify(items), strict=True):
            article.topics = matches

    def classified_with_texts(self, texts: Sequence[ArticleText]) -> list[ClassificationUpdate]:
        """The topics and score of the stored articles of ``texts`` (read from their pages)
        with the start of those texts as their ``text_lead``; nothing is written (the store
        saves them with the texts)."""
        leads = {text.article_id: text.lead for text in texts if text.error is None}
        if not leads:
            return []
        found = self.store.query_articles(ArticleQuery(ids=list(leads), limit=len(leads)))
        for article in found:
            article.text_lead = leads[article.id]
        self.classify(found)
        return [self._rescored(article) for article in found]

    def forget_clusters(self) -> None:
        """Drop the in-memory cluster index (rebuilt from the store on next use): after a failed
        write, it may hold articles that were never stored."""
        self.stories.forget()

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
        if reclassify:
            self._mark_classified()
        self.store.set_meta(LABELLED_WITH, self.config.labels_hash)
        self.store.set_meta(RESCORED_AT, self.clock().isoformat())
        return done

    def refresh_scores(self, every: timedelta = FRESHNESS_EVERY) -> int | None:
        """Recompute every score (freshness decays) when the last full pass is older than
        ``every``; the number of articles rescored, or None when they were fresh enough."""
        last = self.store.get_meta(RESCORED_AT)
        if last and self.clock() - datetime.fromisoformat(last) < every:
            return None
        return self.rescore_all(reclassify=False)

    def retrain(self) -> Classifier:
        """Train on stored articles (weak labels) plus every feedback item, save, rescore."""
        hints = {s.name: s.topics for s in self.config.sources}
        corpus = (
            (a.title, a.text_for_topics, hints.get(a.source, ()))
            for a in self.store.iter_articles()
        )
        feedback = self.store.list_feedback()
        classifier = train_classifier(self.config.topics, corpus, self._examples(feedback))
        self.settings.model_path.parent.mkdir(parents=True, exist_ok=True)
        classifier.save(self.settings.model_path)
        with self._installing:
            self._classifier = classifier
            self._feedback_seen = (len(feedback), max((f.id for f in feedback), default=0))
        self.rescore_all(reclassify=True)
        return classifier

    def retrain_and_compare(self) -> str:
        """Retrain, and say how the number of articles of each topic moved ("" if none did):
        a rebuilt model can take a topic off many stored articles at once."""
        count = self.store.count_articles
        before = {t.name: count(ArticleQuery(topics=[t.name])) for t in self.config.topics}
        self.retrain()
        after = {t.name: count(ArticleQuery(topics=[t.name])) for t in self.config.topics}
        return moved_counts(before, after)

    # -- helpers -----------------------------------------------------------------
    def _examples(self, feedback: Sequence[Feedback]) -> list[TrainingExample]:
        hints = {s.name: s.topics for s in self.config.sources}
        judged = {f.article_id for f in feedback}
        articles = {i: a for i in judged if (a := self.store.get_article(i)) is not None}
        return training_examples(feedback, articles, hints)

    def _model_problem(self, max_age: timedelta | None, feedback: list[Feedback]) -> str | None:
        """Why the model file cannot serve as is (None when it can)."""
        path = self.settings.model_path
        if not path.exists():
            return "no model file yet"
        loaded, why = Classifier.load_or_why(path, self.config.topics)
        if loaded is None:
            classified_with = self.store.get_meta(CLASSIFIED_WITH)
            if classified_with not in (None, topics_hash(self.config.topics)):
                return "the topics of sources.yaml changed: names, labels or keywords"
            if why.endswith("unreadable"):
                log.warning("model file %s: %s", path, why)
            return why
        self._classifier = loaded
        trained_at = path.stat().st_mtime
        newer = [f for f in feedback if f.at and f.at.timestamp() > trained_at]
        if newer:
            return f"{counted(len(newer), 'feedback item')} given since it was trained"
        if max_age is not None and self.clock().timestamp() - trained_at > max_age.total_seconds():
            return f"the model was older than {max_age}"
        return None

    def _enough_articles(self) -> bool:
        return self.store.count_articles(ArticleQuery()) >= MIN_ARTICLES_FOR_MODEL

    def _mark_classified(self) -> None:
        self.store.set_meta(CLASSIFIED_WITH, topics_hash(self.config.topics))

    def _rescore_batch(self, batch: list[StoredArticle], reclassify: bool) -> int:
        if reclassify:
            self.classify(batch)
        updates = [self._rescored(a) for a in batch]
        self.store.update_classification(updates)
        return len(updates)

    def _rescored(
        self, article: StoredArticle | ScoringInput, sources: Collection[str] = ()
    ) -> ClassificationUpdate:
        """``_scored`` for a stored article whose story ``sources`` carry (by default its own
        and its cluster's, ``cluster_sources``); an off-topic one not classified again keeps
        its stored lines saying what its keywords found (the store keeps no reasons for it:
        rescoring would leave "no topic of yours was assigned")."""
        if not sources and isinstance(article, StoredArticle):
            sources = [article.source, *article.cluster_sources]
        said = [line for line in article.explanation if line.startswith("off-topic: ")]
        return self._scored(article.id, article, sources, article.vote, said)

    def _scored(
        self,
        article_id: int,
        article: Article | ScoringInput,
        sources: Collection[str],
        vote: int,
        off_topic_said: Sequence[str] = (),
    ) -> ClassificationUpdate:
        """Score ``article``, whose story ``sources`` carry (its coverage, named when > 1)."""
        _, weights, topic_labels = self._sources_facts()
        weight = weights.get(article.source, 1.0)
        coverage = max(1, len(sources))
        score, parts, explanation = score_article(
            topics=article.topics,
            source_weight=weight,
            cluster_size=coverage,
            vote=vote,
            published=article.published,
            now=self.clock(),
            date_from_feed=article.date_from_feed,
            covered_by=self._labels_own_first(article.source, sources) if coverage > 1 else (),
            topic_labels=topic_labels,
            taste=self.taste.judge(article.title) if vote == 0 else ((), ()),
            off_topic_said=off_topic_said,
        )
        return ClassificationUpdate(
            article_id, article.topics, score, parts, explanation, article.cluster_id
        )

    @property
    def taste(self) -> Taste:
        """What the votes say of unjudged stories: one (title, vote) per voted story."""
        if self._taste is None:
            self._taste = taste_of(self.store)
        return self._taste

    def _labels_own_first(self, source: str, sources: Collection[str]) -> list[str]:
        """The labels of ``sources`` (``WatchConfig.source_label``) sorted, the article's own
        ``source`` first (when among them)."""
        labels = self._sources_facts()[0]
        others = sorted((labels.get(s, s) for s in sources if s != source), key=str.casefold)
        return [labels.get(source, source), *others] if len(others) < len(sources) else others

    def _sources_facts(self) -> tuple[dict[str, str], dict[str, float], dict[str, str]]:
        """Source name → label (``WatchConfig.source_labels``) and → weight, topic name →
        label, once per config."""
        if self._source_cache[0] is not self.config:
            weights = {s.name: s.weight for s in self.config.sources}
            topics = self.config.topic_labels
            self._source_cache = (self.config, self.config.source_labels, weights, topics)
        return self._source_cache[1], self._source_cache[2], self._source_cache[3]


def story_scores(store: Store, article: StoredArticle | None) -> dict[int, tuple[str, float]]:
    """Id → (source, score) of the other articles of ``article``'s story (none without one):
    taken before and after a vote, they say which articles the vote rescored."""
    if article is None or article.cluster_id is None:
        return {}
    members = store.cluster_members(article.cluster_id)
    return {a.id: (a.source, a.score) for a in members if a.id != article.id}
