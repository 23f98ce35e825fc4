"""Topic classification: keyword weak labels + a scikit-learn model + the user's feedback.

Owns how an article (title, summary text, its source's topic hints) gets zero or more topics,
each with a confidence in [0, 1] and reasons a user understands.  An article matching nothing is
off-topic: it is never forced into the nearest topic.

How a confidence is made, per topic:

    keywords   title match 1.0, summary match 0.5 per distinct keyword → 1 - exp(-sum)
    model      TF-IDF (title counted twice) → one logistic regression per topic, trained on
               weak labels (keyword evidence ≥ 1 is positive, no match is negative) plus the
               feedback examples (weighted ×FEEDBACK_WEIGHT); a source hint adds HINT_LOGIT
    combined   max(model, mean(keywords, model)): keywords can raise the model, not override it
    feedback   an article the user corrected gets exactly what the user said
    exclude    any exclude keyword in the title or summary vetoes the topic

Feedback → training examples (``training_examples``): "also about T" → T positive; "not about
T" → T negative; an up-vote makes the article's current topics positive; a down-vote makes them
negative.  Examples are built from the stored feedback every time, so rebuilding the model never
loses any.  The model file holds MODEL_VERSION and a hash of the topic definitions; ``load``
returns None when either differs, and the caller retrains.
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from watch.config import TopicConfig
from watch.models import Feedback, StoredArticle, TopicMatch
from watch.text import Phrase, PhraseIndex, Term, make_phrase, terms

Item = tuple[str, str, tuple[str, ...]]
TITLE_WEIGHT = 1.0
SUMMARY_WEIGHT = 0.5
HINT_LOGIT = 1.0
FEEDBACK_WEIGHT = 10.0
THRESHOLD = 0.35
KEYWORD_ONLY_THRESHOLD = 0.35


@dataclass
class TrainingExample:
    """One article the user judged: its text and the topics it is (not) about."""

    text_title: str
    text_summary: str
    source_topics: tuple[str, ...] = ()
    positive: frozenset[str] = frozenset()
    negative: frozenset[str] = frozenset()


@dataclass
class _Evidence:
    """Keyword evidence for one topic in one article."""

    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    vetoed: str | None = None


def topics_hash(topics: Sequence[TopicConfig]) -> str:
    """A stable hash of what the model depends on: names, keywords and excludes."""
    shape = [[t.name, list(t.keywords), list(t.exclude)] for t in topics]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()[:16]


def _text_key(title: str, summary: str) -> str:
    return hashlib.sha1(f"{title}\x00{summary}".encode("utf-8", "replace")).hexdigest()


def _identity(keys: list[str]) -> list[str]:
    return keys


class _KeywordRules:
    """The topics' keywords and excludes, indexed for one scan per text."""

    def __init__(self, topics: Sequence[TopicConfig]):
        self.names = [t.name for t in topics]
        self.index = PhraseIndex(
            [((t, "keyword"), p) for t, p in _phrases(topics, exclude=False)]
            + [((t, "exclude"), p) for t, p in _phrases(topics, exclude=True)]
        )

    def evidence(self, title: list[Term], summary: list[Term]) -> dict[str, _Evidence]:
        found: dict[str, _Evidence] = {}
        for where, words, weight in (
            ("title", title, TITLE_WEIGHT),
            ("summary", summary, SUMMARY_WEIGHT),
        ):
            seen: set[tuple[str, str]] = set()
            for (topic, kind), phrase in self.index.find(words):
                ev = found.setdefault(topic, _Evidence())
                if kind == "exclude":
                    ev.vetoed = f"excluded by '{phrase.text}' in {where}"
                elif (topic, phrase.text) not in seen:
                    seen.add((topic, phrase.text))
                    ev.score += weight
                    ev.reasons.append(f"matched '{phrase.text}' in {where}")
        return found


def _phrases(topics: Sequence[TopicConfig], exclude: bool) -> list[tuple[str, Phrase]]:
    result = []
    for topic in topics:
        for keyword in topic.exclude if exclude else topic.keywords:
            phrase = make_phrase(keyword)
            if phrase is not None:
                result.append((topic.name, phrase))
    return result


def _keyword_confidence(score: float) -> float:
    return 1.0 - math.exp(-score)


@dataclass
class _Model:
    """TF-IDF features and one linear scorer per topic, stacked as a matrix."""

    vectorizer: TfidfVectorizer
    weights: Any
    """(n_features, n_topics) array; a column of zeros for a topic with no positives."""
    intercepts: Any
    trained: list[bool]


class Classifier:
    """Assigns topics to articles; built by ``keyword_classifier`` or ``train_classifier``."""

    MODEL_VERSION = 1

    def __init__(
        self,
        topics: Sequence[TopicConfig],
        model: _Model | None = None,
        overrides: Mapping[str, tuple[frozenset[str], frozenset[str]]] | None = None,
    ):
        self.topics = tuple(topics)
        self.topics_hash = topics_hash(self.topics)
        self._rules = _KeywordRules(self.topics)
        self._model = model
        self._overrides = dict(overrides or {})

    def classify(self, items: Sequence[Item]) -> list[list[TopicMatch]]:
        """Topics of each (title, summary, source hints), most confident first; [] = off-topic."""
        title_terms = [terms(title or "") for title, _, _ in items]
        summary_terms = [terms(summary or "") for _, summary, _ in items]
        probabilities = self._probabilities(title_terms, summary_terms, items)
        results = []
        for index, (title, summary, hints) in enumerate(items):
            evidence = self._rules.evidence(title_terms[index], summary_terms[index])
            row = None if probabilities is None else probabilities[index]
            matches = self._matches(evidence, row, set(hints or ()))
            results.append(self._apply_override(title or "", summary or "", matches))
        return results

    def _probabilities(
        self, title_terms: list[list[Term]], summary_terms: list[list[Term]], items: Sequence[Item]
    ) -> Any:
        if self._model is None or not items:
            return None
        docs = [_doc_keys(t, s) for t, s in zip(title_terms, summary_terms, strict=True)]
        features = self._model.vectorizer.transform(docs)
        logits = np.asarray(features @ self._model.weights) + self._model.intercepts
        names = [t.name for t in self.topics]
        for index, (_, _, hints) in enumerate(items):
            for hint in hints or ():
                if hint in names:
                    logits[index, names.index(hint)] += HINT_LOGIT
        return 1.0 / (1.0 + np.exp(-logits))

    def _matches(
        self, evidence: dict[str, _Evidence], row: Any, hints: set[str]
    ) -> list[TopicMatch]:
        matches = []
        for column, topic in enumerate(self.topics):
            ev = evidence.get(topic.name, _Evidence())
            if ev.vetoed:
                continue
            keyword = _keyword_confidence(ev.score)
            reasons = list(ev.reasons)
            if row is None or not self._model or not self._model.trained[column]:
                confidence = min(1.0, keyword + (0.2 if topic.name in hints and keyword else 0.0))
                threshold = KEYWORD_ONLY_THRESHOLD
            else:
                model = float(row[column])
                confidence = max(model, (keyword + model) / 2)
                threshold = THRESHOLD
                if model >= THRESHOLD:
                    reasons.append(f"model {model:.2f} (wording like other {topic.name} articles)")
            if confidence < threshold:
                continue
            if topic.name in hints:
                reasons.append(f"source is tagged {topic.name}")
            matches.append(TopicMatch(topic.name, round(confidence, 2), reasons))
        matches.sort(key=lambda m: (-m.confidence, m.name))
        return matches

    def _apply_override(
        self, title: str, summary: str, matches: list[TopicMatch]
    ) -> list[TopicMatch]:
        if not self._overrides:
            return matches
        override = self._overrides.get(_text_key(title, summary))
        if override is None:
            return matches
        positive, negative = override
        kept = [m for m in matches if m.name not in negative and m.name not in positive]
        known = {t.name for t in self.topics}
        for name in sorted(positive & known):
            kept.append(TopicMatch(name, 1.0, [f"you said it is about {name}"]))
        kept.sort(key=lambda m: (-m.confidence, m.name))
        return kept

    def save(self, path: Path) -> None:
        """Write the model file (format version + topics hash + model), atomically."""
        payload = {
            "version": self.MODEL_VERSION,
            "topics_hash": self.topics_hash,
            "model": self._model,
            "overrides": self._overrides,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, topics: Sequence[TopicConfig]) -> Classifier | None:
        """The saved classifier, or None when missing, corrupt or built for other topics."""
        try:
            payload = pickle.loads(path.read_bytes())
        except Exception:
            return None
        if not isinstance(payload, dict) or payload.get("version") != cls.MODEL_VERSION:
            return None
        if payload.get("topics_hash") != topics_hash(topics):
            return None
        model = payload.get("model")
        if model is not None and not isinstance(model, _Model):
            return None
        return cls(topics, model, payload.get("overrides") or {})


def _doc_keys(title: list[Term], summary: list[Term]) -> list[str]:
    """Model features of one article: content words, the title's counted twice."""
    title_keys = [t.key for t in title if t.content]
    return title_keys * 2 + [t.key for t in summary if t.content]


def keyword_classifier(topics: Sequence[TopicConfig]) -> Classifier:
    """The zero-data start: transparent keyword and phrase matches only."""
    return Classifier(topics)


def train_classifier(
    topics: Sequence[TopicConfig],
    corpus: Iterable[Item],
    feedback: Sequence[TrainingExample] = (),
) -> Classifier:
    """Train on weak labels over ``corpus`` (stored articles) plus the user's feedback."""
    topics = tuple(topics)
    model = _fit_model(topics, list(corpus), feedback)
    overrides = {
        _text_key(ex.text_title, ex.text_summary): (frozenset(ex.positive), frozenset(ex.negative))
        for ex in feedback
        if ex.positive or ex.negative
    }
    return Classifier(topics, model, overrides)


def training_examples(
    feedback: Sequence[Feedback], articles: Mapping[int, StoredArticle]
) -> list[TrainingExample]:
    """Map stored feedback to examples (see the module docstring); later judgements win."""
    by_article: dict[int, tuple[set[str], set[str]]] = {}
    for item in sorted(feedback, key=lambda f: (f.at is None, f.at or 0, f.id)):
        article = articles.get(item.article_id)
        if article is None:
            continue
        positive, negative = by_article.setdefault(item.article_id, (set(), set()))
        current = {m.name for m in article.topics}
        if item.kind == "also_topic" and item.topic:
            positive.add(item.topic)
            negative.discard(item.topic)
        elif item.kind == "not_topic" and item.topic:
            negative.add(item.topic)
            positive.discard(item.topic)
        elif item.kind == "up":
            positive.update(current - negative)
        elif item.kind == "down":
            negative.update(current - positive)
    return [
        TrainingExample(
            articles[aid].title,
            articles[aid].summary_text,
            (),
            frozenset(pos),
            frozenset(neg),
        )
        for aid, (pos, neg) in by_article.items()
    ]


def _fit_model(
    topics: tuple[TopicConfig, ...], corpus: list[Item], feedback: Sequence[TrainingExample]
) -> _Model:
    rules = _KeywordRules(topics)
    docs: list[list[str]] = []
    evidence: list[dict[str, _Evidence]] = []
    for title, summary, _ in corpus:
        title_terms, summary_terms = terms(title or ""), terms(summary or "")
        docs.append(_doc_keys(title_terms, summary_terms))
        evidence.append(rules.evidence(title_terms, summary_terms))
    feedback_docs = [_doc_keys(terms(ex.text_title), terms(ex.text_summary)) for ex in feedback]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1, dtype=np.float32)
    features = vectorizer.fit_transform(docs + feedback_docs)
    weights = np.zeros((features.shape[1], len(topics)), dtype=np.float32)
    intercepts = np.full(len(topics), -10.0, dtype=np.float32)
    trained = []
    for column, topic in enumerate(topics):
        labels, sample_weight = _topic_labels(topic.name, corpus, evidence, feedback)
        keep = [i for i, label in enumerate(labels) if label is not None]
        y = np.array([labels[i] for i in keep], dtype=int)
        if len(set(y.tolist())) < 2:
            trained.append(False)
            continue
        scorer = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear")
        scorer.fit(features[keep], y, sample_weight=np.array([sample_weight[i] for i in keep]))
        weights[:, column] = scorer.coef_[0]
        intercepts[column] = scorer.intercept_[0]
        trained.append(True)
    return _Model(vectorizer, weights, intercepts, trained)


def _topic_labels(
    name: str,
    corpus: list[Item],
    evidence: list[dict[str, _Evidence]],
    feedback: Sequence[TrainingExample],
) -> tuple[list[int | None], list[float]]:
    """Weak label per corpus item (None = unsure, left out) then the feedback labels."""
    labels: list[int | None] = []
    for (_, _, hints), found in zip(corpus, evidence, strict=True):
        ev = found.get(name)
        if ev is None or ev.vetoed:
            labels.append(None if name in (hints or ()) else 0)
        elif ev.score >= TITLE_WEIGHT:
            labels.append(1)
        else:
            labels.append(None)
    weights = [1.0] * len(labels)
    for example in feedback:
        if name in example.positive:
            labels.append(1)
        elif name in example.negative:
            labels.append(0)
        else:
            labels.append(None)
        weights.append(FEEDBACK_WEIGHT)
    return labels, weights


def keyword_baseline(topics: Sequence[TopicConfig], title: str, summary: str) -> set[str]:
    """The plain keyword filter (Miniflux/FreshRSS style): any keyword as a whole word,
    case-insensitive, in the title or summary.  No accents folding, plurals or model."""
    import re

    text = f"{title}\n{summary}"
    found = set()
    for topic in topics:
        for keyword in topic.keywords:
            pattern = r"(?<!\w)" + re.escape(keyword) + r"(?!\w)"
            if re.search(pattern, text, re.IGNORECASE):
                found.add(topic.name)
                break
    return found


__all__ = [
    "Classifier",
    "TrainingExample",
    "keyword_baseline",
    "keyword_classifier",
    "train_classifier",
    "training_examples",
    "topics_hash",
]
