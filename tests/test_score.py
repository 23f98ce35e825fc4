"""Relevance score: bounded, explained, stable, and moved by topics, coverage, freshness, votes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watch.classify import OffTopic, TrainingExample, train_classifier
from watch.config import TopicConfig
from watch.models import TopicMatch
from watch.score import score_article

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SECURITY = [TopicMatch("security", 0.82, ["matched 'CVE' in title"])]


def score(**overrides: object) -> tuple[float, dict[str, float], list[str]]:
    args: dict[str, object] = {
        "topics": SECURITY,
        "source_weight": 1.5,
        "cluster_size": 4,
        "vote": 0,
        "published": NOW - timedelta(hours=3),
        "now": NOW,
    }
    args.update(overrides)
    return score_article(**args)  # type: ignore[arg-type]


def test_explanation_speaks_plainly_and_parts_sum_to_the_score() -> None:
    value, parts, lines = score()
    assert lines == [
        "security 0.82: matched 'CVE' in title",
        "source weight 1.5",
        "published 3 h ago",
        "covered by 4 sources",
    ]
    assert 0 <= value <= 100
    assert round(sum(parts.values()), 1) == value
    assert set(parts) == {"topic", "source", "freshness", "coverage", "feedback"}


def test_the_coverage_line_names_the_sources_carrying_the_story() -> None:
    _, _, lines = score(cluster_size=3, covered_by=["lwn", "ars", "hn"])
    assert "covered by 3 sources: lwn, ars, hn" in lines
    many = ["lwn", "ars", "hn", "lobsters", "phoronix", "reddit", "slashdot", "zdnet"]
    _, _, lines = score(cluster_size=8, covered_by=many)
    assert "covered by 8 sources: lwn, ars, hn, lobsters, phoronix and 3 more" in lines
    assert score(covered_by=["a", "b", "c", "d"])[:2] == score()[:2]  # names move no points


def test_same_input_same_score_and_explanation() -> None:
    assert score() == score()


@pytest.mark.parametrize(
    ("change", "direction"),
    [
        ({"topics": []}, -1),
        ({"cluster_size": 1}, -1),
        ({"cluster_size": 12}, 1),
        ({"published": NOW - timedelta(days=6)}, -1),
        ({"source_weight": 0.2}, -1),
        ({"vote": 1}, 1),
        ({"vote": -1}, -1),
    ],
)
def test_each_part_moves_the_score_the_expected_way(
    change: dict[str, object], direction: int
) -> None:
    base, _, _ = score()
    changed, parts, _ = score(**change)
    assert (changed - base) * direction > 0
    assert 0 <= changed <= 100 and round(sum(parts.values()), 1) == changed


def test_extremes_stay_within_0_and_100() -> None:
    top = [TopicMatch("security", 1.0), TopicMatch("web", 1.0), TopicMatch("ai-ml", 1.0)]
    high, parts, _ = score(topics=top, source_weight=10.0, cluster_size=1000, vote=1, published=NOW)
    assert high == 100.0 and round(sum(parts.values()), 1) == high
    low, parts, lines = score(
        topics=[],
        source_weight=0.0,
        cluster_size=0,
        vote=-1,
        published=NOW - timedelta(days=400),
        date_from_feed=False,
    )
    assert low == 0.0 and round(sum(parts.values()), 1) == 0.0
    assert "off-topic: no topic of yours was assigned" in lines, "a stored [] says not why"
    assert any(line.startswith("first seen 400 days ago") for line in lines)


def test_up_voted_similar_articles_rank_higher_after_retrain() -> None:
    topics = (TopicConfig(name="security", keywords=("faille", "vulnérabilité")),)
    corpus = [
        ("Faille dans OpenSSH", "Une vulnérabilité corrigée.", ()),
        ("Vulnérabilité dans Exim", "Correctif disponible.", ()),
        ("Le PSG gagne", "Un doublé.", ()),
        ("Recette de crêpes", "Farine, oeufs, lait.", ()),
        ("Escalade de privilèges dans le pilote Wi-Fi", "Le pilote permet de devenir root.", ()),
        ("Nouveau pilote graphique libre", "Meilleures performances en jeu.", ()),
    ] * 3
    candidate = (
        "Escalade de privilèges dans le pilote Bluetooth",
        "Le pilote permet de devenir root.",
        (),
    )
    other = ("Nouveau pilote graphique pour tablettes", "Meilleures performances.", ())

    def ranking(classifier: object) -> list[str]:
        scored = []
        for title, summary, hints in (candidate, other):
            matches = classifier.classify([(title, summary, hints)])[0]  # type: ignore[attr-defined]
            value, _, _ = score_article(
                topics=matches, source_weight=1.0, cluster_size=1, vote=0, published=NOW, now=NOW
            )
            scored.append((value, title))
        return [title for _, title in sorted(scored, reverse=True)]

    before = train_classifier(topics, corpus)
    ups = [
        TrainingExample(
            f"Escalade de privilèges dans le pilote {n}",
            "Le pilote permet de devenir root.",
            (),
            frozenset({"security"}),
        )
        for n in ("USB", "audio", "réseau")
    ]
    after = train_classifier(topics, corpus, ups)
    before_score = score_article(
        topics=before.classify([candidate])[0],
        source_weight=1.0,
        cluster_size=1,
        vote=0,
        published=NOW,
        now=NOW,
    )[0]
    after_score = score_article(
        topics=after.classify([candidate])[0],
        source_weight=1.0,
        cluster_size=1,
        vote=0,
        published=NOW,
        now=NOW,
    )[0]
    assert after_score > before_score
    assert ranking(after)[0] == candidate[0]


def test_source_weight_counts_over_its_whole_range() -> None:
    """Session 10 audit: weights above 2 gave the same +10 as 2 (the docs say 0–10), so
    cert-fr-alertes (3.0) and cert-fr-avis (2.0) scored the same."""
    weights = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 6.0, 10.0]
    points = [score(source_weight=w)[1]["source"] for w in weights]
    assert points == sorted(set(points)), "strictly more points for a higher weight"
    assert (points[0], points[2], points[-1]) == (0.0, 5.0, 10.0)
    assert score(source_weight=99.0)[1]["source"] == 10.0


def test_topics_are_explained_by_their_labels_with_the_users_corrections() -> None:
    """Session 10 audit: `explain` said "securite 1.00: your feedback: about securite" next to
    "you said it is about Sécurité"."""
    corrected = [
        TopicMatch("securite", 1.0, ["your feedback: about securite"]),
        TopicMatch("ia", 0.6, ["matched 'LLM' in title"]),
    ]
    _, _, lines = score(topics=corrected, topic_labels={"securite": "Sécurité"})
    assert lines[:2] == [
        "Sécurité 1.00: your feedback: about Sécurité",
        "ia 0.60: matched 'LLM' in title",
    ]


def test_a_vote_is_said_to_be_on_the_story() -> None:
    assert "you up-voted this story" in score(vote=1)[2]
    assert "you down-voted this story" in score(vote=-1)[2]


def test_a_guessed_second_topic_adds_little_and_never_beats_a_sure_first_one() -> None:
    """An article sure of one topic and guessing another (0.4) gets 2 points more, not 5; a
    weak spread over three topics stays below one near-certain topic."""

    def topic_part(*confidences: float) -> float:
        topics = [TopicMatch(f"t{i}", c, ["x"]) for i, c in enumerate(confidences)]
        return score(topics=topics)[1]["topic"]

    assert topic_part(0.8, 0.4) == pytest.approx(40 + 2)
    assert topic_part(1.0, 0.8) == pytest.approx(50)  # 50 + 4, within the 50
    assert topic_part(0.6, 0.45, 0.4) < topic_part(0.99)


def test_an_off_topic_explanation_says_what_was_found_and_why_it_was_not_enough() -> None:
    """Session 10 (audit): not "matches none of your topics" when keywords matched."""
    weak = TopicMatch(
        "cloud", 0.12, ["matched 'cloud' in text", "one keyword only, and the model did not"]
    )
    vetoed = TopicMatch("privacy", 0.39, ["matched 'privacy' in text", "excluded by 'ads'"])
    value, parts, lines = score(topics=OffTopic([weak, vetoed]), topic_labels={"cloud": "Cloud"})
    assert lines[:2] == [
        "off-topic: privacy: matched 'privacy' in text; excluded by 'ads'",
        "off-topic: Cloud: matched 'cloud' in text; one keyword only, and the model did not",
    ]
    assert parts["topic"] == 0.0
    _, _, lines = score(topics=OffTopic())
    assert lines[0] == "off-topic: matches none of your topics"
