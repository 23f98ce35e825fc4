"""Relevance score 0-100 of an article, with the parts that made it and words that explain it.

A pure function of stored data, so scores are recomputed when the model or the topics change
without refetching anything.  The parts (maximum in brackets) add up to the score:

    topic      [50]  50 × best topic confidence (+5 × confidence of each further topic, within
                     the 50: a guessed second topic adds little); the explanation names each
                     topic by its label (``topic_labels``: "Sécurité 1.00: …"), as the user's
                     corrections are said
    source     [10]  source weight 0–10 on a log curve, 10 × log(1 + 8w) / log(81): 0 → 0,
                     0.5 → 3.7, 1 (the default) → 5, 2 → 6.5, 3 → 7.3, 5 → 8.5, 10 → 10
    freshness  [20]  halves every FRESHNESS_HALF_LIFE_HOURS
    coverage   [10]  how many sites carry the story (two feeds of one site are one source,
                     ``watch.coverage.site_of``): 2 → 3.3, 4 → 6.7, 8+ → 10;
                     the explanation names them as given, by their labels ("covered by 3
                     sources: LWN, Ars Technica, Hacker News"), the first COVERAGE_NAMED only
                     ("… and 4 more")
    feedback   [10]  the user's vote on the story (any of its articles): up +10, down pulls the
                     score to at most DOWN_VOTE_CAP ("you up-voted this story"); an unjudged
                     story whose title has words of up-voted (down-voted) stories gets up to ±5
                     ("like stories you up-voted: 'helm'", ``watch.taste``); what teaches
                     the classifier topics is a correction ("not about", "also about")

Off-topic articles keep at most 50: a watch ranks what matters to the user's topics first.
Their explanation says what was found and why it was not enough, one line per topic whose
keywords matched ("off-topic: Cloud: matched 'cloud' in text; one keyword only, and the
model did not confirm it (0.12)"), from the classifier's off-topic result (``unconfirmed``,
``watch.classify.OffTopic``); "matches none of your topics" only when nothing matched.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

from watch.models import FEEDBACK_REASON, TopicMatch
from watch.taste import taste_points
from watch.wording import at_most

TOPIC_POINTS = 50.0
EXTRA_TOPIC_POINTS = 5.0
SOURCE_POINTS = 10.0
FRESHNESS_POINTS = 20.0
FRESHNESS_HALF_LIFE_HOURS = 48.0
COVERAGE_POINTS = 10.0
COVERAGE_FULL_AT = 8
COVERAGE_NAMED = 5
UP_VOTE_POINTS = 10.0
DOWN_VOTE_CAP = 5.0
SOURCE_CURVE = 8.0
"""The source part is SOURCE_POINTS × log(1 + SOURCE_CURVE × w) / log(1 + 10 × SOURCE_CURVE):
with 8, weight 1 gives half the points and weight 10 all of them."""
MAX_WEIGHT = 10.0
UP_VOTED = "you up-voted this story"
DOWN_VOTED = "you down-voted this story"
OFF_TOPIC_NONE = "off-topic: matches none of your topics"
OFF_TOPIC_UNKNOWN = "off-topic: no topic of yours was assigned"


def score_article(
    *,
    topics: Sequence[TopicMatch],
    source_weight: float,
    cluster_size: int,
    vote: int,
    published: datetime,
    now: datetime,
    date_from_feed: bool = True,
    covered_by: Sequence[str] = (),
    topic_labels: Mapping[str, str] | None = None,
    taste: tuple[Sequence[str], Sequence[str]] = ((), ()),
    off_topic_said: Sequence[str] = (),
) -> tuple[float, dict[str, float], list[str]]:
    """(score 0-100, part name → points summing to the score, explanation lines).

    ``covered_by`` names the sources carrying the story as people read them (their labels), in
    the order to show them (the article's own first); without it the explanation only counts
    them.  ``topic_labels`` maps a topic's name to its label (the name when missing).
    ``taste``: the title's liked and disliked words (``watch.taste``), for an unjudged one.
    ``off_topic_said``: the "off-topic: …" lines an off-topic article's explanation already
    has, kept when its topics are read back from the store (which keeps no reasons for it)."""
    lines: list[str] = []
    parts = {
        "topic": _topic_points(topics, topic_labels or {}, lines, off_topic_said),
        "source": _source_points(source_weight, lines),
        "freshness": _freshness_points(published, now, date_from_feed, lines),
        "coverage": _coverage_points(cluster_size, covered_by, lines),
    }
    parts["feedback"] = _feedback_points(vote, sum(parts.values()), lines, taste)
    parts = {name: round(value, 1) for name, value in parts.items()}
    score = round(sum(parts.values()), 1)
    if score < 0 or score > 100:  # rounding drift only: keep the parts summing to the score
        parts["feedback"] = round(parts["feedback"] - (score - min(100.0, max(0.0, score))), 1)
        score = round(sum(parts.values()), 1)
    return score, parts, lines


def _topic_points(
    topics: Sequence[TopicMatch], labels: Mapping[str, str], lines: list[str], said: Sequence[str]
) -> float:
    if not topics:
        lines.extend(_off_topic_lines(topics, labels, said))
        return 0.0
    ranked = sorted(topics, key=lambda m: (-m.confidence, m.name))
    for match in ranked:
        label = labels.get(match.name) or match.name
        reasons = [_labelled_reason(r, labels) for r in match.reasons]
        why = "; ".join(reasons) if reasons else "model"
        lines.append(f"{label} {match.confidence:.2f}: {why}")
    best = max(0.0, min(1.0, ranked[0].confidence))
    extra = sum(max(0.0, min(1.0, match.confidence)) for match in ranked[1:])
    points = TOPIC_POINTS * best + EXTRA_TOPIC_POINTS * extra
    return min(TOPIC_POINTS, points)


def _off_topic_lines(
    topics: Sequence[TopicMatch], labels: Mapping[str, str], said: Sequence[str]
) -> list[str]:
    """Why an article has no topic: what its keywords matched and why that was not enough,
    per topic (a classifier's off-topic result carries them as ``unconfirmed``); "matches none
    of your topics" only when the classifier says so; a list read back from the store says
    nothing of why: what was ``said`` before, else OFF_TOPIC_UNKNOWN."""
    unconfirmed = getattr(topics, "unconfirmed", None)
    if unconfirmed is None:
        return list(said) or [OFF_TOPIC_UNKNOWN]
    if not unconfirmed:
        return [OFF_TOPIC_NONE]
    ranked = sorted(unconfirmed, key=lambda m: (-m.confidence, m.name))
    return [f"off-topic: {labels.get(m.name) or m.name}: {'; '.join(m.reasons)}" for m in ranked]


def _labelled_reason(reason: str, labels: Mapping[str, str]) -> str:
    """A correction's reason ("your feedback: about securite") with the topic's label."""
    if reason.startswith(FEEDBACK_REASON):
        name = reason.removeprefix(FEEDBACK_REASON)
        return FEEDBACK_REASON + (labels.get(name) or name)
    return reason


def _source_points(weight: float, lines: list[str]) -> float:
    weight = max(0.0, weight if math.isfinite(weight) else 1.0)
    lines.append(f"source weight {weight:g}")
    curve = math.log1p(SOURCE_CURVE * min(weight, MAX_WEIGHT))
    return SOURCE_POINTS * curve / math.log1p(SOURCE_CURVE * MAX_WEIGHT)


def _freshness_points(
    published: datetime, now: datetime, from_feed: bool, lines: list[str]
) -> float:
    try:
        hours = max(0.0, (now - published).total_seconds() / 3600)
    except TypeError:  # naive vs aware datetimes: treat as just published
        hours = 0.0
    age = _age_words(hours)
    lines.append(f"published {age}" if from_feed else f"first seen {age} (no date in the feed)")
    return FRESHNESS_POINTS * 0.5 ** (hours / FRESHNESS_HALF_LIFE_HOURS)


def _age_words(hours: float) -> str:
    if hours < 1:
        return "less than an hour ago"
    if hours < 48:
        return f"{int(hours)} h ago"
    return f"{int(hours // 24)} days ago"


def _coverage_points(cluster_size: int, covered_by: Sequence[str], lines: list[str]) -> float:
    size = max(1, cluster_size)
    if size > 1:
        lines.append(f"covered by {size} sources{_named(covered_by)}")
    return COVERAGE_POINTS * min(1.0, math.log2(size) / math.log2(COVERAGE_FULL_AT))


def _named(sources: Sequence[str]) -> str:
    """``": lwn, ars, hn"``, at most COVERAGE_NAMED names then ``" and 3 more"``; "" for none."""
    return f": {at_most(sources, COVERAGE_NAMED)}" if sources else ""


def _feedback_points(
    vote: int, before: float, lines: list[str], taste: tuple[Sequence[str], Sequence[str]]
) -> float:
    if vote > 0:
        lines.append(UP_VOTED)
        return min(UP_VOTE_POINTS, 100.0 - before)
    if vote < 0:
        lines.append(DOWN_VOTED)
        return min(0.0, DOWN_VOTE_CAP - before)
    liked, disliked = taste
    for words, verb in ((liked, "up"), (disliked, "down")):
        if words:
            lines.append(f"like stories you {verb}-voted: {', '.join(map(repr, words))}")
    return max(-before, min(taste_points(list(liked), list(disliked)), 100.0 - before))
