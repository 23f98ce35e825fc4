"""Topic classification: keyword rules, a scikit-learn model calibrated on unlabeled text, and
the user's feedback.

Owns how an article (title, summary text, its source's topic hints) gets zero or more topics,
each with a confidence in [0, 1] and reasons a user understands.  An article matching nothing is
off-topic: it is never forced into the nearest topic.  The package:

    keywords.py    keyword/exclude matching, strong vs weak evidence, keyword confidence, the
                   plain keyword baseline
    model.py       TF-IDF + one logistic regression per topic on weak labels and feedback, with
                   per-topic thresholds calibrated on the unlabeled corpus (no labels)
    classifier.py  the per-article decision (strong keyword evidence assigns; one weak mention
                   needs the model's agreement; the calibrated model alone adds; excludes veto;
                   corrections win) and the model file
    embeddings.py  optional extra ``watch[embeddings]``: zero-shot similarity from a small local
                   sentence embedding model on top of the classifier (imports torch lazily)

Feedback → training examples (``training_examples``): "also about T" → T positive; "not about
T" → T negative; an up-vote makes the topics the article had when it was voted on positive
(older votes without that record: its current topics); a down-vote makes them negative.  An
article's latest vote replaces its earlier ones, and "unvote" takes it back; a topic
correction outranks a vote.  A vote says "worth reading" or not, not what the article is
about: its labels (``TrainingExample.voted``) weigh like one keyword guess, never override the
article's topics and never refute keywords; a correction weighs FEEDBACK_WEIGHT times more and
wins on its article.  A keyword found more often in articles corrected "not about" its topic
than "about" it misleads: stored articles with only such keywords are no longer weak positives
(``refuted_keywords``), so the model learns the correction instead of the keyword's guess.
Likewise a word most of the articles corrected "also about T" share and T's keywords miss
("phishing" for security) is taught: stored articles using it without a keyword of T are no
longer sure negatives of T (``taught_words``), so their look-alikes do not out-vote the user.
Examples are built from the stored feedback every time, so rebuilding the model never loses any.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from watch.classify.classifier import (
    Classifier,
    Item,
    OffTopic,
    confirmed_match,
    own_summary,
    text_key,
    topics_hash,
)
from watch.classify.keywords import KeywordRules, keyword_baseline
from watch.classify.model import LabeledDoc, doc_keys, fit_model, weak_labels
from watch.config import TopicConfig
from watch.models import Feedback, StoredArticle, TopicMatch
from watch.text import terms

TAUGHT_MIN = 4
TAUGHT_LIFT = 5.0
TAUGHT_WORDS = 3
"""How many words the user's "also about T" corrections can teach T (see ``taught_words``)."""


@dataclass
class TrainingExample:
    """One article the user judged: its text and the topics it is (not) about."""

    text_title: str
    text_summary: str
    source_topics: tuple[str, ...] = ()
    positive: frozenset[str] = frozenset()
    negative: frozenset[str] = frozenset()
    voted: frozenset[str] = frozenset()
    """Topics of ``positive``/``negative`` that only a vote labelled (no correction)."""


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
    names = [t.name for t in topics]
    rules = KeywordRules(topics)
    judged = {text_key(ex.text_title, ex.text_summary) for ex in feedback}
    refuted = refuted_keywords(rules, feedback)
    docs, unmatched = [], []
    for title, summary, hints in corpus:
        if judged and text_key(title or "", summary or "") in judged:
            continue  # the user's judgement replaces the weak label, not contradicts it
        title_terms, summary_terms = terms(title or ""), terms(own_summary(title, summary))
        evidence = rules.evidence(title_terms, summary_terms)
        labels = weak_labels(names, evidence, hints or ())
        for name, keywords in refuted.items():
            if labels.get(name) == 1 and evidence[name].keywords <= keywords:
                del labels[name]  # only keywords the user said mislead: unsure, words decide
        docs.append(LabeledDoc(doc_keys(title_terms, summary_terms), labels))
        unmatched.append(frozenset(names).difference(evidence))
    for name, words in taught_words(rules, feedback, docs).items():
        for doc, no_keyword in zip(docs, unmatched, strict=True):
            if name in no_keyword and doc.labels.get(name) == 0 and not words.isdisjoint(doc.keys):
                del doc.labels[name]  # worded like the user's "also about": unsure, words decide
    examples = [_labeled_example(names, ex) for ex in feedback]
    model = fit_model(names, docs, examples)
    return Classifier(topics, model, corrections(feedback))


def refuted_keywords(
    rules: KeywordRules, feedback: Sequence[TrainingExample]
) -> dict[str, set[tuple[str, ...]]]:
    """Per topic, the keywords the user's feedback says mislead: found in more of the articles
    judged not about the topic than of those judged about it.  A stored article whose keyword
    evidence is only these is no longer a sure example of the topic: the model decides it
    from its words, as it does for articles like the corrected ones."""
    tally: dict[str, dict[tuple[str, ...], int]] = {}
    for ex in feedback:
        evidence = rules.evidence(
            terms(ex.text_title), terms(own_summary(ex.text_title, ex.text_summary))
        )
        for name, ev in evidence.items():
            if name in ex.voted:
                continue  # "not worth reading" says nothing of the keyword
            sign = -1 if name in ex.negative else 1 if name in ex.positive else 0
            for keyword in ev.keywords if sign else ():
                counts = tally.setdefault(name, {})
                counts[keyword] = counts.get(keyword, 0) + sign
    return {
        name: {k for k, n in counts.items() if n < 0}
        for name, counts in tally.items()
        if any(n < 0 for n in counts.values())
    }


def taught_words(
    rules: KeywordRules, feedback: Sequence[TrainingExample], corpus: Sequence[LabeledDoc]
) -> dict[str, set[str]]:
    """Per topic, the words the user's "also about" corrections teach ("phishing" when the
    security keywords lack it): of the articles judged about the topic that its keywords miss
    (no strong evidence), at least half and at least TAUGHT_MIN use the word (net of those
    judged not about the topic), it is TAUGHT_LIFT times more common among them than in the
    stored articles, and it is one of the TAUGHT_WORDS that characterize them most (share ×
    rarity).  A stored article without keyword evidence of the topic that uses one is no
    longer a sure negative of it: the model decides it from its words, as it does for the
    articles like the corrected ones."""
    tally: dict[str, Counter[str]] = {}
    missed: Counter[str] = Counter()
    for ex in feedback:
        if not (ex.positive | ex.negative) - ex.voted:
            continue  # a vote judges worth, not topics: it teaches no word
        title, summary = terms(ex.text_title), terms(own_summary(ex.text_title, ex.text_summary))
        evidence = rules.evidence(title, summary)
        keys = set(doc_keys(title, summary))
        for name in ex.positive - ex.voted:
            if name not in evidence or not evidence[name].strong:
                missed[name] += 1
                tally.setdefault(name, Counter()).update(keys)
        for name in ex.negative - ex.voted:
            tally.setdefault(name, Counter()).subtract(keys)
    shared = {
        name: {k for k, n in counts.items() if n >= max(TAUGHT_MIN, missed[name] / 2)}
        for name, counts in tally.items()
    }
    wanted = set().union(*shared.values())
    if not wanted:
        return {}
    found = Counter(k for doc in corpus for k in wanted.intersection(doc.keys))
    total = len(corpus) + 1
    taught = {}
    for name, words in shared.items():
        share = {k: tally[name][k] / missed[name] for k in words}
        lifted = [k for k in words if share[k] >= TAUGHT_LIFT * found[k] / total]
        lifted.sort(key=lambda k: (-share[k] * math.log(total / (found[k] + 1)), k))
        if lifted:
            taught[name] = set(lifted[:TAUGHT_WORDS])
    return taught


def corrections(
    feedback: Sequence[TrainingExample],
) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per judged text: the topics the user says it is about and not about (these win; a
    vote's labels do not: it judged the article's worth, not its topics)."""
    said = (
        (ex, frozenset(ex.positive - ex.voted), frozenset(ex.negative - ex.voted))
        for ex in feedback
    )
    return {
        text_key(ex.text_title, ex.text_summary): (positive, negative)
        for ex, positive, negative in said
        if positive or negative
    }


def apply_correction(topics: Sequence[TopicMatch], feedback: Feedback) -> list[TopicMatch]:
    """An article's topics once a "not about T" / "also about T" is applied (votes: unchanged)."""
    if feedback.kind not in ("not_topic", "also_topic") or not feedback.topic:
        return list(topics)
    kept = [m for m in topics if m.name != feedback.topic]
    if feedback.kind == "also_topic":
        earlier = next((m for m in topics if m.name == feedback.topic), None)
        kept.append(confirmed_match(feedback.topic, earlier))
    return sorted(kept, key=lambda m: (-m.confidence, m.name))


def _labeled_example(names: Sequence[str], example: TrainingExample) -> LabeledDoc:
    labels = {n: 1 for n in names if n in example.positive}
    labels.update({n: 0 for n in names if n in example.negative})
    keys = doc_keys(terms(example.text_title), terms(example.text_summary))
    return LabeledDoc(keys, labels, judged=True, voted=example.voted)


def training_examples(
    feedback: Sequence[Feedback],
    articles: Mapping[int, StoredArticle],
    hints: Mapping[str, tuple[str, ...]] | None = None,
) -> list[TrainingExample]:
    """Map stored feedback to examples (see the package docstring); later judgements win.

    ``hints`` maps a source name to its configured topic hints, carried into each example."""
    corrected: dict[int, tuple[set[str], set[str]]] = {}
    voted: dict[int, tuple[str, set[str]]] = {}
    for item in sorted(feedback, key=lambda f: (f.at is None, f.at or 0, f.id)):
        article = articles.get(item.article_id)
        if article is None:
            continue
        also, not_about = corrected.setdefault(item.article_id, (set(), set()))
        if item.kind == "also_topic" and item.topic:
            also.add(item.topic)
            not_about.discard(item.topic)
        elif item.kind == "not_topic" and item.topic:
            not_about.add(item.topic)
            also.discard(item.topic)
        elif item.kind in ("up", "down", "unvote"):  # the latest vote replaces the earlier ones
            shown = {m.name for m in article.topics} if item.topics is None else set(item.topics)
            voted[item.article_id] = (item.kind, shown)
    examples = []
    for aid, (also, not_about) in corrected.items():
        kind, shown = voted.get(aid, ("unvote", set()))
        positive = also | (shown - not_about if kind == "up" else set())
        negative = not_about | (shown - also if kind == "down" else set())
        if not positive and not negative:
            continue  # a vote taken back and nothing else said: no example
        article = articles[aid]
        examples.append(
            TrainingExample(
                article.title,
                article.text_for_topics,
                (hints or {}).get(article.source, ()),
                frozenset(positive),
                frozenset(negative),
                voted=frozenset((positive | negative) - also - not_about),
            )
        )
    return examples


__all__ = [
    "Classifier",
    "OffTopic",
    "TrainingExample",
    "apply_correction",
    "corrections",
    "keyword_baseline",
    "keyword_classifier",
    "train_classifier",
    "training_examples",
    "topics_hash",
]
