"""The ``Classifier``: keyword evidence + the linear model + the user's corrections, in batches.

Owns the per-article decision and the model file.  Per topic:

    keyword    evidence from the topic's keywords (``keywords.py``)
    model      probability from the linear model (``model.py``); a source hint adds HINT_LOGIT
    decision   without a model: keyword confidence ≥ KEYWORD_THRESHOLD (one summary mention is
               enough: 0.39).  With a model, the calibrated middle rule:
                 strong keyword evidence (title match, or two summary keywords) assigns,
                 except for a topic the user corrected ("not about T", or a 👎 on it): there
                 the words must also lean towards the topic in the model, which learned the
                 corrections, so "not about cloud" on "Container queries…" clears the next
                 one while "Container escape in Kubernetes" stays cloud;
                 weak evidence (one summary mention) assigns only when the model agrees from
                 the topic's calibrated ``weak_agree`` level, so the user's "not about" feedback,
                 learned by the model, overrules weak mentions in similar articles;
                 no keyword evidence: the model alone from its calibrated ``model_only`` level,
                 and only when the words lean towards the topic (their logit > 0, i.e. the
                 article reads more like the topic than an empty one does): a
                 source hint is a prior that shifts the probability, never a verdict that tags
                 an empty, emoji-only or unrelated item
    confidence the stronger of keyword confidence and model probability
    feedback   an article the user corrected gets exactly what the user said; a topic it
               already had keeps its reasons (the matched words), "your feedback" added
    exclude    any exclude keyword in the title or summary vetoes the topic
    off-topic  an article left without topic is an ``OffTopic`` result: an empty list that
               keeps, per topic whose keywords matched, why that was not enough ("matched
               'cloud' in text, one keyword only, and the model did not confirm it"), so
               the score's explanation says what was found instead of "matches none"

A batch is scored with one vectorizer transform and one matrix product; the Python loop per
article only looks at the topics that have keyword evidence or pass the model threshold.
The model file holds MODEL_VERSION, the scikit-learn version it was pickled with and a hash of
the topic definitions; ``load`` returns None when any differs, and the caller retrains.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from watch.classify.keywords import Evidence, KeywordRules, keyword_confidence
from watch.classify.model import LinearModel, doc_keys
from watch.config import TopicConfig
from watch.models import FEEDBACK_REASON, TopicMatch
from watch.text import as_written, split_words, terms_of

Item = tuple[str, str, tuple[str, ...]]
HINT_LOGIT = 1.0
HINT_BONUS = 0.2
"""Keyword-only classifier: a source hint adds this to a topic that has keyword evidence."""
KEYWORD_THRESHOLD = 0.35
MODEL_REASON = "model "


def topics_hash(topics: Sequence[TopicConfig]) -> str:
    """A stable hash of what the model depends on: names, keywords and excludes."""
    shape = [[t.name, list(t.keywords), list(t.exclude)] for t in topics]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()[:16]


def own_summary(title: str | None, summary: str | None) -> str:
    """The summary without the title it starts with: an untitled entry's title is the start of
    its text, and those words must not count twice (once "in title", once "in text")."""
    title, summary = (title or "").removesuffix("…"), summary or ""
    return summary[len(title) :] if title and summary.startswith(title) else summary


def confirmed_match(name: str, earlier: TopicMatch | None) -> TopicMatch:
    """Topic ``name`` once the user said the article is about it: certain, the evidence it
    already had kept (its matched words still explain it), the user's word added once."""
    kept = [r for r in earlier.reasons if not r.startswith(FEEDBACK_REASON)] if earlier else []
    return TopicMatch(name, 1.0, [*kept, f"{FEEDBACK_REASON}{name}"])


def text_key(title: str, summary: str) -> str:
    """Identity of an article's text, for the user's per-article corrections."""
    return hashlib.sha1(f"{title}\x00{summary}".encode("utf-8", "replace")).hexdigest()


class OffTopic(list[TopicMatch]):
    """An article without topic (an empty list, equal to ``[]``) that says what was found:
    ``unconfirmed`` holds a TopicMatch per topic whose keywords matched, its reasons ending
    with why they were not enough (its confidence: the model's, else the keywords')."""

    def __init__(self, unconfirmed: Sequence[TopicMatch] = ()) -> None:
        super().__init__()
        self.unconfirmed = list(unconfirmed)


class Classifier:
    """Assigns topics to articles; built by ``keyword_classifier`` or ``train_classifier``."""

    MODEL_VERSION = 6

    def __init__(
        self,
        topics: Sequence[TopicConfig],
        model: LinearModel | None = None,
        overrides: Mapping[str, tuple[frozenset[str], frozenset[str]]] | None = None,
    ):
        self.topics = tuple(topics)
        self.topics_hash = topics_hash(self.topics)
        self._names = [t.name for t in self.topics]
        self._labels = {t.name: t.label or t.name for t in self.topics}
        self._columns = {name: column for column, name in enumerate(self._names)}
        self._rules = KeywordRules(self.topics)
        self._model = model
        self._overrides = dict(overrides or {})
        self._corrected = frozenset(n for _, negative in self._overrides.values() for n in negative)

    def with_overrides(
        self, overrides: Mapping[str, tuple[frozenset[str], frozenset[str]]]
    ) -> Classifier:
        """The same model with these per-article corrections (the user's latest feedback)."""
        return Classifier(self.topics, self._model, overrides)

    def classify(self, items: Sequence[Item]) -> list[list[TopicMatch]]:
        """Topics of each (title, summary, source hints), most confident first; [] = off-topic."""
        if not self._names:
            return [OffTopic() for _ in items]  # no topic defined: every article is off-topic
        title_words = [split_words(title or "") for title, _, _ in items]
        summary_words = [split_words(own_summary(title, summary)) for title, summary, _ in items]
        evidence = [
            self._rules.words_evidence(t, s)
            for t, s in zip(title_words, summary_words, strict=True)
        ]
        passing, terms = None, None
        if self._model is not None and items:  # keywords only: no Terms of words without keyword
            terms = [terms_of(t + s) for t, s in zip(title_words, summary_words, strict=True)]
            passing = self._model_passing(
                [t[: len(words)] for t, words in zip(terms, title_words, strict=True)],
                [t[len(words) :] for t, words in zip(terms, title_words, strict=True)],
                items,
            )
        results = []
        for index, (title, summary, hints) in enumerate(items):
            row = None if passing is None else tuple(matrix[index] for matrix in passing)
            unconfirmed: list[TopicMatch] = []
            matches = self._matches(evidence[index], row, set(hints or ()), unconfirmed)
            if terms is not None:
                words = title_words[index] + summary_words[index]
                self._name_model_words(matches, terms[index], words)
            matches = self._apply_override(title or "", summary or "", matches)
            results.append(matches or OffTopic(unconfirmed))
        return results

    def _name_model_words(
        self, matches: list[TopicMatch], terms: list[Any], words: list[str]
    ) -> None:
        """Complete each "model" reason with the article's words that weigh most for the topic
        (wherever the reason is: a source hint's reason comes after it)."""
        assert self._model is not None
        surface: dict[str, str] = {}  # key → the word as written, made once for the article
        for match in matches:
            at = next((i for i, r in enumerate(match.reasons) if r.startswith(MODEL_REASON)), None)
            if at is None:
                continue
            keys = self._model.leading_keys([t.key for t in terms], self._columns[match.name])
            surface = surface or {
                t.key: as_written(word)
                for t, word in zip(reversed(terms), reversed(words), strict=True)
            }
            quoted = ", ".join(f"'{surface[k]}'" for k in keys)
            if quoted:
                match.reasons[at] = match.reasons[at][:-1] + f": {quoted})"

    def _model_passing(
        self, title_terms: list[Any], summary_terms: list[Any], items: Sequence[Item]
    ) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
        """(the words lean towards the topic, model alone assigns, model agrees with weak
        evidence, probabilities): one row (a list, one value per topic) per item."""
        assert self._model is not None
        hints = np.zeros((len(items), len(self._names)), dtype=np.float32)
        for index, (_, _, item_hints) in enumerate(items):
            for hint in item_hints or ():
                column = self._columns.get(hint)
                if column is not None:
                    hints[index, column] = HINT_LOGIT
        docs = [doc_keys(t, s) for t, s in zip(title_terms, summary_terms, strict=True)]
        probabilities, words = self._model.scores(docs, hints)
        model = self._model
        leans = words > 0
        return (
            leans.tolist(),
            ((probabilities >= model.model_only) & leans).tolist(),
            (probabilities >= model.weak_agree).tolist(),
            probabilities.tolist(),
        )

    def _matches(
        self,
        evidence: dict[str, Evidence],
        row: tuple[Any, ...] | None,
        hints: set[str],
        unconfirmed: list[TopicMatch],
    ) -> list[TopicMatch]:
        """The topics assigned; each topic whose keywords matched but that is not assigned is
        added to ``unconfirmed`` with why."""
        candidates = set(evidence)
        if row is not None and True in row[1]:
            candidates.update(
                name for name, alone in zip(self._names, row[1], strict=True) if alone
            )
        matches = []
        for name in candidates:
            ev = evidence.get(name) or Evidence()
            keyword = keyword_confidence(ev.score)
            reasons = list(ev.reasons)
            if ev.vetoed or (row is None and keyword < KEYWORD_THRESHOLD):
                if ev.score > 0:
                    why = ev.vetoed or "too little evidence alone"
                    unconfirmed.append(TopicMatch(name, round(keyword, 2), [*reasons, why]))
                continue
            if row is None:
                bonus = HINT_BONUS if name in hints else 0.0
                confidence = min(1.0, keyword + bonus)
            else:
                column = self._columns[name]
                model = row[3][column]
                if not self._model_assigns(
                    name, ev, row[0][column], row[1][column], row[2][column]
                ):
                    if ev.score > 0:
                        why = _not_confirmed(ev, name in self._corrected, model)
                        unconfirmed.append(TopicMatch(name, round(model, 2), [*reasons, why]))
                    continue
                confidence = max(keyword, model)
                if not ev.strong:
                    reasons.append(
                        f"{MODEL_REASON}{model:.2f} (wording like other "
                        f"{self._labels[name]} articles)"
                    )
            if name in hints:
                reasons.append(f"source is tagged {self._labels[name]}")
            matches.append(TopicMatch(name, round(confidence, 2), reasons))
        matches.sort(key=lambda m: (-m.confidence, m.name))
        return matches

    def _model_assigns(
        self, name: str, ev: Evidence, leans: bool, model_only: bool, weak_agree: bool
    ) -> bool:
        """The calibrated middle rule (see the module docstring)."""
        if ev.strong:
            return leans or name not in self._corrected
        if ev.score > 0:
            return weak_agree
        return model_only

    def _apply_override(
        self, title: str, summary: str, matches: list[TopicMatch]
    ) -> list[TopicMatch]:
        if not self._overrides:
            return matches
        override = self._overrides.get(text_key(title, summary))
        if override is None:
            return matches
        positive, negative = override
        found = {m.name: m for m in matches}
        kept = [m for m in matches if m.name not in negative and m.name not in positive]
        for name in sorted(positive & set(self._names)):
            kept.append(confirmed_match(name, found.get(name)))
        kept.sort(key=lambda m: (-m.confidence, m.name))
        return kept

    def save(self, path: Path) -> None:
        """Write the model file (format version + topics hash + model), atomically."""
        payload = {
            "version": self.MODEL_VERSION,
            "scikit_learn": _sklearn_version(),
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
        return cls.load_or_why(path, topics)[0]

    @classmethod
    def load_or_why(
        cls, path: Path, topics: Sequence[TopicConfig]
    ) -> tuple[Classifier | None, str]:
        """The saved classifier and "", or None and why it cannot serve, in words."""
        try:
            payload = pickle.loads(path.read_bytes())
        except Exception:
            return None, "the model file was unreadable"
        if not isinstance(payload, dict):
            return None, "the model file was unreadable"
        if payload.get("version") != cls.MODEL_VERSION:
            return None, "the model file was made by another version of watch"
        if payload.get("scikit_learn") != _sklearn_version():  # pickles may not survive upgrades
            return None, "the model file was made with another version of scikit-learn"
        if payload.get("topics_hash") != topics_hash(topics):
            return None, "the model file was built for other topics"
        model = payload.get("model")
        if model is not None and not isinstance(model, LinearModel):
            return None, "the model file was unreadable"
        return cls(topics, model, payload.get("overrides") or {}), ""


def _not_confirmed(ev: Evidence, corrected: bool, model: float) -> str:
    """Why keyword evidence the model did not back assigns nothing, in words."""
    if not ev.strong:  # one keyword, however often repeated: weak evidence
        return f"one keyword only, and the model did not confirm it (model {model:.2f})"
    if corrected:
        return f"the model, which learned your corrections, did not confirm it (model {model:.2f})"
    return f"the model did not confirm it (model {model:.2f})"


def _sklearn_version() -> str:
    from importlib.metadata import version

    return version("scikit-learn")
