"""Prefix keywords ("Datenschutz*") for languages that inflect and compound, how they explain
themselves and how a wrong "*" is refused; the model's reason names the topic's label."""

from __future__ import annotations

import pytest

from watch.classify import keyword_classifier, train_classifier
from watch.classify.keywords import KeywordRules
from watch.config import TopicConfig
from watch.models import TopicMatch
from watch.text import keyword_problem, split_words, terms

GERMAN = TopicConfig(
    name="sicherheit",
    label="IT-Sicherheit",
    keywords=("Sicherheitslücke*", "Datenschutz*", "vulnerabilidad*", "base de donnée*", "CVE*"),
    exclude=("Werbe*",),
)


def reasons(title: str, summary: str = "") -> list[str]:
    (matches,) = keyword_classifier([GERMAN]).classify([(title, summary, ())])
    return [reason for match in matches for reason in match.reasons]


@pytest.mark.parametrize(
    ("title", "matched"),
    [
        ("Neue Sicherheitslücken in Exchange", "Sicherheitslücken"),
        ("Sicherheitslücke im Router", "Sicherheitslücke"),
        ("SICHERHEITSLUCKEN überall", "SICHERHEITSLUCKEN"),
        ("Datenschutzverletzung bei einer Bank", "Datenschutzverletzung"),
        ("Die Datenschutz-Grundverordnung wird fünf", "Datenschutz"),
        ("Dos vulnerabilidades críticas en Chrome", "vulnerabilidades"),
        ("Une base de données ouverte à tous", "base de données"),
        ("Three CVEs patched", "CVEs"),
    ],
)
def test_a_prefix_keyword_matches_the_words_it_starts(title: str, matched: str) -> None:
    (reason,) = reasons(title)
    assert reason.startswith(f"matched '{matched}' in title (keyword '")


def test_a_prefix_matches_only_at_the_start_of_a_word_and_keeps_the_case_rules() -> None:
    assert reasons("Keine Datensicherheitslücke, kein Schutz") == []
    assert reasons("Die Basis der Daten", "Datenbank-Schutz") == []
    assert reasons("cves in lower case", "") == []  # "CVE*" is an acronym: case-sensitive
    assert reasons("La base des données") == []  # the words before the last match whole


def test_the_explanation_quotes_what_matched_and_the_keyword() -> None:
    said = reasons("Datenschutzverletzung bei einer Bank", "Die Datenschutzbehörde ermittelt.")
    assert said == [
        "matched 'Datenschutzverletzung' in title (keyword 'Datenschutz*')",
        "matched 'Datenschutzbehörde' in text (keyword 'Datenschutz*')",
    ]
    (off,) = keyword_classifier([GERMAN]).classify([("Sicherheitslücke", "Werbeanzeige", ())])
    assert off == [] and off.unconfirmed[0].reasons[-1] == (  # type: ignore[attr-defined]
        "excluded by 'Werbeanzeige' in text (keyword 'Werbe*')"
    )


def test_one_stretch_of_text_counts_once_however_many_keywords_match_it() -> None:
    topic = TopicConfig(name="t", keywords=("Daten*", "Datenschutz*", "Datenschutz"))
    (matches,) = keyword_classifier([topic]).classify([("", "Datenschutz heute", ())])
    assert matches == [] or matches[0].reasons == ["matched 'Datenschutz' in text"]
    rules = KeywordRules([topic])
    evidence = rules.words_evidence([], split_words("Ein Datenschutzgesetz"))["t"]
    assert evidence.score == 0.5 and evidence.reasons == [
        "matched 'Datenschutzgesetz' in text (keyword 'Daten*')"
    ]


def test_texts_given_as_words_or_as_terms_give_the_same_evidence() -> None:
    rules = KeywordRules([GERMAN])
    title, summary = "Neue Sicherheitslücken: CVEs", "Une base de données, Werbeanzeige."
    by_words = rules.words_evidence(split_words(title), split_words(summary))
    by_terms = rules.evidence(terms(title), terms(summary))
    assert by_words == by_terms and by_words["sicherheit"].vetoed


def test_a_keyword_without_a_star_still_matches_whole_words_only() -> None:
    plain = keyword_classifier([TopicConfig(name="t", keywords=("Sicherheitslücke",))])
    assert plain.classify([("Neue Sicherheitslücken", "", ())]) == [[]]


@pytest.mark.parametrize(
    ("keyword", "problem"),
    [
        ("Da*", "the word before '*' is too short: write at least 3 letters"),
        ("open s*", "the word before '*' is too short"),
        ("Daten*schutz", "'*' can only end a keyword"),
        ("*", "'*' must come right after a word"),
        ("KI-*", "'KI' already matches 'KI-…' words"),
    ],
)
def test_a_misplaced_star_or_a_short_prefix_is_explained(keyword: str, problem: str) -> None:
    said = keyword_problem(keyword)
    assert said is not None and problem in said and said.startswith(repr(keyword))


@pytest.mark.parametrize("keyword", ["Datenschutz*", "KIs*", "base de donnée*", "cloud", "C++"])
def test_a_good_keyword_has_no_problem(keyword: str) -> None:
    assert keyword_problem(keyword) is None


def test_the_model_reason_names_the_topics_label() -> None:
    topics = (
        TopicConfig(name="cloud", label="Cloud & Container", keywords=("Kubernetes", "cloud")),
        TopicConfig(name="sport", label="Sport", keywords=("football", "match")),
    )
    corpus = [
        ("Kubernetes cluster upgrade", "Operators run the cluster.", ()),
        ("Cloud cluster costs", "Operators scale the cluster.", ()),
        ("Kubernetes operators", "A cluster operator pattern.", ()),
        ("Football match tonight", "The team plays at home.", ()),
        ("Match report", "The football team won.", ()),
    ] * 4
    classifier = train_classifier(topics, corpus)
    (matches,) = classifier.classify([("Operators for the cluster", "Operators automate it.", ())])
    model: TopicMatch = next(m for m in matches if m.name == "cloud")
    assert "wording like other Cloud & Container articles" in model.reasons[-1], model.reasons
