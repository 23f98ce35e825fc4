"""The learned half of classification: TF-IDF features, one linear scorer per topic, and
per-topic thresholds calibrated on unlabeled text.

Owns how the model is trained and applied:

    features     folded word stems (title counted twice), TF-IDF fitted on the training corpus
    weak labels  strong keyword evidence (≥ 1: a title match or two summary keywords) is
                 positive; no match at all is negative; one summary mention is left out (unsure)
    feedback     each of the user's examples weighs FEEDBACK_WEIGHT times the heaviest weak
                 label of its topic (weak labels are class-balanced, so one positive of a rare
                 topic weighs a lot: a plain weight would let it outweigh the user)
    scorers      one logistic regression per topic, stacked as one (features × topics) matrix so
                 a batch is scored with one ``transform`` and one matrix product
    thresholds   per topic, WITHOUT labels: the model alone may add a topic to an article with no
                 keyword when its probability is in the top MODEL_ADDS × (number of strong keyword
                 positives) of the corpus articles without keyword evidence.  This is how the
                 model extends the keywords to articles worded differently, at a volume tied to
                 what the keywords already find (only with ≥ MIN_STRONG distinct positives),
                 clipped to [MODEL_FLOOR, MODEL_CONFIDENT].  A weak keyword mention is confirmed
                 from WEAK_AGREE.  The user's examples move the probabilities (a "not about T"
                 lowers T for similar wording), so feedback overrules weak mentions and model
                 additions, and strong keyword evidence of a corrected topic (classifier.py).  MODEL_ADDS, MODEL_FLOOR and
                 WEAK_AGREE were chosen on the benchmark's train half only, for precision of
                 "relevant" ≥ 0.9 (``python benchmarks/bench_classify.py --tune``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # scikit-learn (with scipy) costs ~130 MB and ~1 s: imported when training
    from sklearn.feature_extraction.text import TfidfVectorizer

from watch.classify.keywords import STRONG_SCORE, Evidence
from watch.text import Term

FEEDBACK_WEIGHT = 10.0
MODEL_ADDS = 0.2
MIN_STRONG = 10
"""Fewer distinct strong keyword positives than this: too little text to calibrate, keywords only."""
MODEL_CONFIDENT = 0.5
"""The model alone always assigns a topic from this probability (whatever the calibration)."""
MODEL_FLOOR = 0.4
"""The model alone never assigns a topic below this probability (whatever the calibration)."""
WEAK_AGREE = 0.5
"""The model confirms one weak keyword mention from this probability; chosen on the
benchmark's train half only."""
NEVER = 2.0
"""A threshold no probability reaches."""


@dataclass
class LinearModel:
    """TF-IDF features and one linear scorer per topic, stacked as a matrix."""

    vectorizer: TfidfVectorizer
    weights: Any
    """(n_features, n_topics) array; a column of zeros for a topic with no positives."""
    intercepts: Any
    trained: list[bool]
    model_only: Any
    """Per topic: probability from which the model alone assigns the topic (NEVER = off)."""
    weak_agree: Any
    """Per topic: probability from which the model confirms one weak keyword mention."""

    def probabilities(self, docs: list[list[str]], hints: Any = None) -> Any:
        """(n_docs, n_topics) probabilities; ``hints`` is an optional logit offset matrix."""
        return self.scores(docs, hints)[0]

    def leading_keys(self, keys: list[str], column: int, count: int = 3) -> list[str]:
        """The keys of one article that push it most towards a topic, strongest first."""
        vocabulary = self.vectorizer.vocabulary_
        pushes = {}
        for key in set(keys):
            index = vocabulary.get(key)
            if index is not None:
                pushes[key] = float(self.weights[index, column] * self.vectorizer.idf_[index])
        ranked = sorted((p, k) for k, p in pushes.items() if p > 0)
        return [key for _, key in reversed(ranked[-count:])]

    def scores(self, docs: list[list[str]], hints: Any = None) -> tuple[Any, Any]:
        """(probabilities, word logits): the second is what the words alone add to a blank
        article's logit — above 0 when the wording itself leans towards the topic."""
        features = self.vectorizer.transform(docs)
        words = np.asarray(features @ self.weights)
        logits = words + self.intercepts
        if hints is not None:
            logits = logits + hints
        return 1.0 / (1.0 + np.exp(-logits)), words


@dataclass
class LabeledDoc:
    """A training document and, per topic name, its label (absent = unsure)."""

    keys: list[str]
    labels: dict[str, int]
    judged: bool = False
    """The user's example (else a weak label guessed from keywords)."""
    voted: frozenset[str] = frozenset()
    """Topics a vote labelled (no correction): they weigh like one keyword guess."""


def doc_keys(title: list[Term], summary: list[Term]) -> list[str]:
    """Model features of one article: content words, the title's counted twice."""
    title_keys = [t.key for t in title if t.content]
    return title_keys * 2 + [t.key for t in summary if t.content]


def weak_labels(
    names: Sequence[str], evidence: dict[str, Evidence], hints: Sequence[str]
) -> dict[str, int]:
    """Per topic: 1 for strong keyword evidence, 0 for none (unless the source hints it)."""
    labels: dict[str, int] = {}
    for name in names:
        ev = evidence.get(name)
        if ev is None or ev.vetoed:
            if name not in hints:
                labels[name] = 0
        elif ev.score >= STRONG_SCORE:
            labels[name] = 1
    return labels


def _identity(keys: list[str]) -> list[str]:
    return keys


def fit_model(
    names: Sequence[str], corpus: list[LabeledDoc], feedback: list[LabeledDoc]
) -> LinearModel:
    """Fit the vectorizer on every text, one scorer per topic, then calibrate thresholds."""
    docs = corpus + feedback
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    features = vectorizer.fit_transform([d.keys for d in docs])
    weights = np.zeros((features.shape[1], len(names)), dtype=np.float32)
    intercepts = np.full(len(names), -10.0, dtype=np.float32)
    trained = []
    for column, name in enumerate(names):
        keep = [i for i, d in enumerate(docs) if name in d.labels]
        y = np.array([docs[i].labels[name] for i in keep], dtype=int)
        if len(set(y.tolist())) < 2:
            trained.append(False)
            continue
        said = [docs[i].judged and name not in docs[i].voted for i in keep]
        voted = [name in docs[i].voted for i in keep]
        scorer = _fitted(features[keep], y, said, voted)
        weights[:, column] = scorer.coef_[0]
        intercepts[column] = scorer.intercept_[0]
        trained.append(True)
    never = np.full(len(names), NEVER)
    model = LinearModel(vectorizer, weights, intercepts, trained, never, never)
    corpus_features = features[: len(corpus)]
    probabilities = np.asarray(corpus_features @ weights) + intercepts
    model.model_only = _calibrate(names, corpus, 1.0 / (1.0 + np.exp(-probabilities)), trained)
    model.weak_agree = np.where(trained, WEAK_AGREE, NEVER)
    return model


def _fitted(features: Any, labels: Any, said: list[bool], voted: list[bool]) -> Any:
    """One topic's logistic regression.  The weak labels are balanced (a rare topic's few
    positives weigh as much as its many negatives); each of the user's corrections (``said``)
    weighs FEEDBACK_WEIGHT times the heaviest weak label: a "not about" outweighs a keyword
    guess however rare the topic; a vote's label (``voted``) weighs as the heaviest weak label."""
    from sklearn.linear_model import LogisticRegression

    said_rows, voted_rows = np.array(said, dtype=bool), np.array(voted, dtype=bool)
    weak = labels[~(said_rows | voted_rows)]
    counts = {label: int((weak == label).sum()) for label in (0, 1)}
    balance = {label: len(weak) / (2 * n) if n else 0.0 for label, n in counts.items()}
    heaviest = max(balance.values()) or 1.0
    sample_weight = np.select(
        [said_rows, voted_rows],
        [FEEDBACK_WEIGHT * heaviest, heaviest],
        [balance[label] for label in labels],
    )
    scorer = LogisticRegression(C=4.0, solver="liblinear")
    return scorer.fit(features, labels, sample_weight=sample_weight)


def _calibrate(
    names: Sequence[str], corpus: list[LabeledDoc], probabilities: Any, trained: list[bool]
) -> Any:
    """Per-topic model-only thresholds from the unlabeled corpus (see the module docstring)."""
    thresholds = np.array([MODEL_CONFIDENT if t else NEVER for t in trained])
    for column, name in enumerate(names):
        if not trained[column]:
            continue
        strong = len({" ".join(d.keys) for d in corpus if d.labels.get(name) == 1})
        without = np.array(
            [
                p
                for d, p in zip(corpus, probabilities[:, column], strict=True)
                if d.labels.get(name) == 0
            ]
        )
        allowed = int(MODEL_ADDS * strong)
        if strong >= MIN_STRONG and allowed and len(without) > allowed:
            calibrated = float(np.sort(without)[::-1][allowed - 1])
            thresholds[column] = min(MODEL_CONFIDENT, max(MODEL_FLOOR, calibrated))
    return thresholds
