"""Topic classification: keywords, word boundaries, accents, feedback, model file lifecycle."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from watch.classify import (
    Classifier,
    TrainingExample,
    keyword_baseline,
    keyword_classifier,
    train_classifier,
    training_examples,
)
from watch.config import TopicConfig
from watch.models import Feedback, StoredArticle, TopicMatch
from watch.text import fold_accents, stem

EVAL_SET = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "eval_set.jsonl"

TOPICS = (
    TopicConfig(
        name="security",
        keywords=("sécurité", "vulnérabilité", "CVE", "faille", "ransomware"),
        exclude=("sécurité routière",),
    ),
    TopicConfig(name="ai-ml", keywords=("IA", "intelligence artificielle", "machine learning")),
    TopicConfig(name="databases", keywords=("base de données", "PostgreSQL", "SQL")),
    TopicConfig(name="programming", keywords=("Go", "Rust", "compilateur")),
)

CORPUS = [
    ("Faille critique dans OpenSSL", "Une vulnérabilité permet de lire la mémoire du serveur.", ()),
    ("CVE-2024-1234 : correctif urgent", "Le correctif de sécurité est disponible.", ()),
    ("Ransomware : un hôpital paralysé", "Les serveurs chiffrés par un groupe criminel.", ()),
    ("Nouvelle faille dans le noyau", "Escalade de privilèges via un pilote réseau.", ()),
    ("L'IA générative arrive dans les mairies", "Des assistants répondent aux usagers.", ()),
    ("Machine learning sans GPU", "Un modèle entraîné sur CPU en une heure.", ()),
    ("PostgreSQL 17 est disponible", "La base de données gagne des sauvegardes incrémentales.", ()),
    ("Index partiels en SQL", "Accélérer les requêtes sur une grosse table.", ()),
    ("Rust 1.80 publié", "Le compilateur stabilise LazyLock.", ()),
    ("Go 1.23 et les itérateurs", "Le langage ajoute range-over-func.", ()),
    ("Ligue 1 : le PSG gagne à Marseille", "Un doublé en seconde période.", ()),
    ("Recette de la tarte aux pommes", "Une pâte brisée et des pommes reinettes.", ()),
    ("Tour de France : étape de montagne", "Le maillot jaune attaque dans le dernier col.", ()),
    ("Météo : vigilance orange", "De fortes pluies attendues dans le Gard.", ()),
] * 3


@lru_cache(maxsize=1)
def trained() -> Classifier:
    return train_classifier(TOPICS, CORPUS)


def names(matches: list[TopicMatch]) -> list[str]:
    return [m.name for m in matches]


def classify_one(
    classifier: Classifier, title: str, summary: str = "", hints: tuple[str, ...] = ()
) -> list[TopicMatch]:
    return classifier.classify([(title, summary, hints)])[0]


def test_word_boundaries_and_case_of_acronyms() -> None:
    clf = keyword_classifier(TOPICS)
    assert names(classify_one(clf, "Cvent raises funding")) == []
    assert names(classify_one(clf, "Patch for CVE-2024-3094 in xz")) == ["security"]
    assert names(classify_one(clf, "Arrivée via Lyon", "Le train passe via Dijon, ia ia")) == []
    assert names(classify_one(clf, "L'IA dans les mairies")) == ["ai-ml"]
    assert names(classify_one(clf, "Let's go to the beach")) == []


def test_french_accents_plurals_and_phrases() -> None:
    clf = keyword_classifier(TOPICS)
    assert names(classify_one(clf, "Trois vulnérabilités corrigées")) == ["security"]
    assert names(classify_one(clf, "Guide de securite pour les PME")) == ["security"]
    assert names(classify_one(clf, "Migrer ses bases de données")) == ["databases"]
    assert names(classify_one(clf, "Une base de la donnée")) == []
    assert fold_accents("Sécurité") == "Securite" and stem("vulnerabilites") == "vulnerabilite"


MATCHING_TOPICS = (
    TopicConfig(name="patching", keywords=("patch", "virus", "process", "cookie", "cache")),
    TopicConfig(name="games", keywords=("jeu vidéo", "game")),
    TopicConfig(name="work", keywords=("oeuvre", "house")),
    TopicConfig(name="languages", keywords=("C++", "C#", "F#", ".NET", "C")),
    TopicConfig(name="ai", keywords=("L'IA",)),
)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Microsoft patches 60 flaws", ["patching"]),
        ("New viruses spread through USB keys", ["patching"]),
        ("Killing zombie processes", ["patching"]),
        ("Third-party cookies are going away", ["patching"]),
        ("Browser caches leak history", ["patching"]),
        ("Les jeux vidéo en 2025", ["games"]),
        ("Games of the year", ["games"]),
        ("La main-d'œuvre manque", ["work"]),
        ("Houses get smarter", ["work"]),
        ("C'est la rentrée des classes", []),
        ("L'école et la classe", []),
        ("Pourquoi C++ 26 change tout", ["languages"]),
        ("Apprendre le c++ moderne", ["languages"]),
        ("Ce qu'apporte C# 13 à l'écosystème", ["languages"]),
        ("ASP.NET Core 9 est disponible", ["languages"]),
        ("Le langage C a 50 ans", ["languages"]),
        ("L'IA générative arrive", ["ai"]),
    ],
)
def test_plurals_ligatures_and_symbol_keywords_match(title: str, expected: list[str]) -> None:
    assert names(classify_one(keyword_classifier(MATCHING_TOPICS), title)) == expected


def test_symbol_keywords_are_kept_and_never_matched_by_elisions() -> None:
    clf = keyword_classifier(MATCHING_TOPICS)
    [match] = classify_one(clf, "C# et F# face à C++", "C'est rapide, d'après l'équipe.")
    assert sorted(match.reasons) == [
        "matched 'C#' in title",
        "matched 'C++' in title",
        "matched 'F#' in title",
    ]
    assert classify_one(clf, "C'est l'heure", "D'après J'ai lu, c’est fini.") == []
    assert classify_one(clf, "net income rises", "Visit example.net for more.") == []


def test_stemming_is_light_and_the_same_on_both_sides() -> None:
    pairs = [
        ("patches", "patch"),
        ("crashes", "crash"),
        ("processes", "process"),
        ("classes", "classe"),
        ("boxes", "box"),
        ("sizes", "size"),
        ("viruses", "virus"),
        ("caches", "cache"),
        ("houses", "house"),
        ("games", "game"),
        ("donnees", "donnee"),
        ("libraries", "library"),
        ("cookies", "cookie"),
        ("journaux", "journal"),
        ("reseaux", "reseau"),
        ("jeux", "jeu"),
        ("choux", "chou"),
    ]
    for plural, singular in pairs:
        assert stem(plural) == stem(singular), (plural, singular)
    assert len({stem(w) for w in ("status", "statuses", "analysis", "bus", "buses")}) == 3
    assert stem("Linux") == "Linux" and stem("flux") == "flux" and stem("games") == "game"
    assert fold_accents("main-d'œuvre, Æsir, Straße") == "main-d'oeuvre, AEsir, Strasse"


def test_title_counts_more_than_summary_and_reasons_say_where() -> None:
    clf = keyword_classifier(TOPICS)
    in_title = classify_one(clf, "Faille dans Exim", "Correctif publié.")[0]
    in_summary = classify_one(clf, "Exim 4.98 publié", "Corrige une faille.")[0]
    assert in_title.confidence > in_summary.confidence
    assert in_title.reasons == ["matched 'faille' in title"]
    assert in_summary.reasons == ["matched 'faille' in text"]


def test_exclude_vetoes_even_with_keywords() -> None:
    for clf in (keyword_classifier(TOPICS), trained()):
        assert "security" not in names(
            classify_one(clf, "Sécurité routière : faille dans le radar")
        )


def test_off_topic_stays_off_topic_and_multi_label_works() -> None:
    clf = trained()
    assert classify_one(clf, "Le PSG gagne encore", "Un doublé du capitaine.") == []
    both = names(classify_one(clf, "Faille SQL dans PostgreSQL", "Une vulnérabilité d'injection."))
    assert set(both) == {"security", "databases"}
    matches = classify_one(clf, "Faille SQL dans PostgreSQL", "Une vulnérabilité d'injection.")
    assert all(0.0 <= m.confidence <= 1.0 for m in matches)
    assert [m.confidence for m in matches] == sorted((m.confidence for m in matches), reverse=True)


def test_without_topics_every_article_is_off_topic() -> None:
    assert keyword_classifier([]).classify(
        [("CVE-2024-1 in OpenSSL", "security, AI and the web", ("security",)), ("", "", ())]
    ) == [[], []]


def test_source_hint_is_a_prior_not_a_verdict() -> None:
    clf = trained()
    assert classify_one(clf, "Tarte aux pommes", "Une recette.", ("security",)) == []
    hinted = classify_one(
        clf, "Escalade de privilèges", "Un pilote réseau vulnérable.", ("security",)
    )
    assert "source is tagged security" in hinted[0].reasons


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 1_000_000,
        "漏洞 安全 " * 100_000,
        "ثغرة أمنية " * 50_000,
        "уязвимость " * 90_000,
        "\x00\ud800",
    ],
)
def test_never_crashes_on_empty_huge_or_non_latin_text(text: str) -> None:
    for clf in (keyword_classifier(TOPICS), trained()):
        result = clf.classify([(text, text, ()), ("", text, ("security",))])
        assert len(result) == 2


def test_not_about_feedback_removes_the_topic_after_retrain() -> None:
    title, summary = "Faille de sécurité dans le plugin Cache", "Une vulnérabilité dans le cache."
    before = trained()
    assert "security" in names(classify_one(before, title, summary))
    note = TrainingExample(title, summary, (), frozenset(), frozenset({"security"}))
    after = train_classifier(TOPICS, CORPUS, [note])
    assert "security" not in names(classify_one(after, title, summary))


def test_also_about_feedback_teaches_a_topic_to_similar_articles() -> None:
    lesson = "Escalade de privilèges dans le pilote"
    before = trained()
    similar = ("Escalade de privilèges dans le pilote graphique", "Le pilote permet une escalade.")
    base = {m.name: m.confidence for m in classify_one(before, *similar)}.get("security", 0.0)
    notes = [
        TrainingExample(
            f"{lesson} {n}", "Le pilote permet une escalade.", (), frozenset({"security"})
        )
        for n in range(5)
    ]
    after = train_classifier(TOPICS, CORPUS, notes)
    assert {m.name: m.confidence for m in classify_one(after, *similar)}.get("security", 0.0) > base


def test_model_file_round_trip_and_rebuild_when_missing_or_topics_change(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    assert Classifier.load(path, TOPICS) is None
    clf = train_classifier(TOPICS, CORPUS)
    clf.save(path)
    loaded = Classifier.load(path, TOPICS)
    assert loaded is not None
    sample = [(t, s, h) for t, s, h in CORPUS[:14]]
    assert loaded.classify(sample) == clf.classify(sample)
    changed = (*TOPICS[:3], TopicConfig(name="programming", keywords=("Python",)))
    assert Classifier.load(path, changed) is None
    path.write_bytes(b"not a model")
    assert Classifier.load(path, TOPICS) is None
    path.unlink()
    assert Classifier.load(path, TOPICS) is None


def judged_article(*topics: TopicMatch) -> StoredArticle:
    """Article 7, with ``topics``, to give feedback on."""
    return StoredArticle(
        source="s",
        guid="g",
        url="https://e.org/a",
        canonical_url="https://e.org/a",
        title="T",
        summary_html="",
        summary_text="S",
        author=None,
        published=None,  # type: ignore[arg-type]
        fetched_at=None,  # type: ignore[arg-type]
        topics=list(topics),
        id=7,
    )


def test_feedback_maps_to_examples_and_is_never_lost() -> None:
    article = judged_article(TopicMatch("security", 0.9), TopicMatch("databases", 0.6))
    feedback = [
        Feedback(article_id=7, kind="up", id=1),
        Feedback(article_id=7, kind="not_topic", topic="databases", id=2),
        Feedback(article_id=7, kind="also_topic", topic="ai-ml", id=3),
        Feedback(article_id=99, kind="down", id=4),
    ]
    [example] = training_examples(feedback, {7: article})
    assert example.positive == {"security", "ai-ml"}
    assert example.negative == {"databases"}


def test_the_latest_vote_counts_and_a_vote_taken_back_teaches_nothing() -> None:
    article = judged_article(TopicMatch("security", 0.9))
    changed_mind = [Feedback(7, "up", id=1), Feedback(7, "down", id=2)]
    [example] = training_examples(changed_mind, {7: article})
    assert (example.positive, example.negative) == (set(), {"security"})
    taken_back = [Feedback(7, "up", id=1), Feedback(7, "unvote", id=2)]
    assert training_examples(taken_back, {7: article}) == []
    corrected = [*taken_back, Feedback(7, "also_topic", topic="ai-ml", id=3)]
    [example] = training_examples(corrected, {7: article})
    assert (example.positive, example.negative) == ({"ai-ml"}, set())


def test_keyword_baseline_is_a_plain_filter() -> None:
    assert keyword_baseline(TOPICS, "Patch for CVE-2024-1", "") == {"security"}
    assert keyword_baseline(TOPICS, "Trois vulnérabilités", "") == set()  # no plural handling


def test_beats_the_keyword_baseline_on_labeled_items() -> None:
    if not EVAL_SET.exists():
        pytest.skip("benchmarks/data/eval_set.jsonl is absent")
    rows = [json.loads(line) for line in EVAL_SET.read_text("utf-8").splitlines()]
    off_topic = [r for r in rows if not r["labels"]][:300]
    clf = keyword_classifier(TOPICS)
    flagged = sum(1 for m in clf.classify([(r["title"], r["summary"], ()) for r in off_topic]) if m)
    assert flagged / len(off_topic) < 0.1


def test_calibrated_model_extends_keywords_to_articles_without_them() -> None:
    unlabeled = EVAL_SET.parent / "eval_unlabeled.jsonl"
    if not unlabeled.exists():
        pytest.skip("benchmarks/data/eval_unlabeled.jsonl is absent")
    rows = [json.loads(line) for line in unlabeled.read_text("utf-8").splitlines()]
    corpus = [(r["title"], r["summary"], ()) for r in rows]
    tree = YAML(typ="safe").load((EVAL_SET.parent / "eval_topics.yaml").read_text("utf-8"))
    topics = [
        TopicConfig(
            name=t["name"], keywords=tuple(t["keywords"]), exclude=tuple(t.get("exclude", ()))
        )
        for t in tree["topics"]
    ]
    clf = train_classifier(topics, corpus)
    by_keyword = keyword_classifier(topics).classify(corpus)
    by_model = clf.classify(corpus)
    added = [
        m
        for before, after in zip(by_keyword, by_model, strict=True)
        for m in after
        if m.name not in {b.name for b in before}
    ]
    strong = sum(1 for matches in by_keyword for m in matches if m.confidence >= 0.6)
    assert added and all(any(r.startswith("model ") for r in m.reasons) for m in added)
    assert len(added) <= strong  # calibrated: the model adds a share of what keywords find


def test_one_weak_mention_needs_the_model_to_agree() -> None:
    keyword_only, clf = keyword_classifier(TOPICS), trained()
    off_topic = ("Tarte aux pommes", "La recette n'a aucune faille.")
    assert names(classify_one(keyword_only, *off_topic)) == ["security"]
    assert classify_one(clf, *off_topic) == []
    worded_like_security = ("Serveurs chiffrés : correctif publié", "Une faille dans le pilote.")
    [match] = classify_one(clf, *worded_like_security)
    assert match.name == "security" and match.reasons[0] == "matched 'faille' in text"
    assert match.reasons[1].startswith("model ")
    assert names(classify_one(clf, "Faille dans Exim", "Correctif publié.")) == ["security"]


def test_capitalized_name_at_the_start_or_in_title_case_headlines_is_weak() -> None:
    clf = keyword_classifier(TOPICS)
    [weak] = classify_one(clf, "Go with the flow in drug manufacturing")
    assert weak.reasons == ["matched 'Go' in title (may be an ordinary word there: weak)"]
    [title_case] = classify_one(clf, "At Least He Can Still Go to the Same Church")
    [mid_title] = classify_one(clf, "Tests for Go 1.23 released")
    assert mid_title.reasons == ["matched 'Go' in title"]
    assert mid_title.confidence > weak.confidence == title_case.confidence
    assert classify_one(trained(), "Go with the flow in drug manufacturing") == []


def test_not_about_feedback_overrules_weak_mentions_in_similar_articles_only() -> None:
    similar = ("Correctif du serveur chiffré", "Le groupe criminel exploite une faille.")
    assert names(classify_one(trained(), *similar)) == ["security"]
    lessons = [
        TrainingExample(
            f"Correctif du serveur chiffré {n}", similar[1], (), negative=frozenset({"security"})
        )
        for n in range(3)
    ]
    after = train_classifier(TOPICS, CORPUS, lessons)
    assert classify_one(after, *similar) == []
    strong = classify_one(after, "Faille critique dans OpenSSL", "Le groupe criminel exploite.")
    assert names(strong) == ["security"]


def test_default_install_never_imports_torch() -> None:
    code = (
        "import sys, watch.classify, watch.classify.embeddings, watch.score\n"
        "assert not {'torch', 'sentence_transformers'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture(scope="module")
def embedder() -> Any:
    from watch.classify import embeddings

    if not embeddings.available():
        pytest.skip("optional extra watch[embeddings] is not installed")
    return embeddings.TopicEmbedder(EMBEDDING_TOPICS)


EMBEDDING_TOPICS = (
    TopicConfig(name="security", description="vulnerabilities, attacks", keywords=("faille",)),
    TopicConfig(name="databases", description="SQL, database engines", keywords=("PostgreSQL",)),
)


def test_embeddings_rank_topics_by_meaning(embedder: Any) -> None:
    similarity = embedder.similarities(
        [
            ("Attackers exploit an unpatched hole in the VPN gateway", "", ()),
            ("Faster joins and indexes in the query planner", "", ()),
        ]
    )
    assert similarity.shape == (2, 2)
    assert similarity[0, 0] > similarity[0, 1] and similarity[1, 1] > similarity[1, 0]


def test_embeddings_confirm_a_weak_mention_close_in_meaning_only(embedder: Any) -> None:
    from watch.classify.embeddings import EmbeddingClassifier

    clf = EmbeddingClassifier(keyword_classifier(EMBEDDING_TOPICS), embedder, 0.36, 2.0)
    items = [
        ("Attackers exploit the VPN gateway", "A faille lets attackers in.", ()),
        ("Apple pie recipe", "The recipe has no faille.", ()),
        ("Attackers exploit the VPN gateway", "Nothing more.", ()),
    ]
    nothing_decided: list[list[TopicMatch]] = [[], [], []]
    security, pie, no_keyword = clf.combine(items, nothing_decided, embedder.similarities(items))
    assert names(security) == ["security"] and pie == [] and no_keyword == []
    assert security[0].reasons[-1].startswith("meaning close to the topic security")
    assert [names(m) for m in clf.classify(items)] == [["security"], ["security"], []]


def test_one_stretch_of_text_is_one_piece_of_evidence() -> None:
    topics = (
        TopicConfig(name="policy", keywords=("AI", "AI Act", "open source", "open-source")),
        TopicConfig(name="other", keywords=("grid",)),
    )
    clf = keyword_classifier(topics)
    nested = classify_one(clf, "Brussels news", "The AI Act enters into force.")[0]
    spelled_twice = classify_one(clf, "Weekly notes", "An open-source tool, open source at last.")
    single = classify_one(clf, "Brussels news", "The AI rules enter into force.")[0]
    assert nested.reasons == ["matched 'AI Act' in text"]
    assert nested.confidence == single.confidence
    assert len(spelled_twice[0].reasons) == 1
    assert spelled_twice[0].confidence == single.confidence


def test_a_down_vote_judges_the_articles_worth_not_its_topics() -> None:
    """Session 8: one 👎 on an article filed under IA made IA a "corrected" topic everywhere and
    weighed like a correction: after the next rebuild, "L'IA générative …" articles with the
    keyword in their title needed the model's agreement and lost the topic.  A vote's labels
    weigh like one keyword guess, never override and never refute a keyword."""
    disliked = StoredArticle(
        source="s", guid="g", url="https://e.org/a", canonical_url="https://e.org/a",
        title="L'IA dans le frigo connecté", summary_text="Une publicité pour un frigo.",
        summary_html="", author=None, published=None, fetched_at=None,  # type: ignore[arg-type]
        topics=[TopicMatch("ai-ml", 0.9)], id=7,
    )  # fmt: skip
    [vote] = training_examples([Feedback(7, "down", id=1)], {7: disliked})
    assert vote.negative == {"ai-ml"} and vote.voted == {"ai-ml"}
    after = train_classifier(TOPICS, CORPUS, [vote])
    assert "ai-ml" in names(classify_one(after, "L'IA générative arrive dans les écoles"))
    assert "ai-ml" in names(classify_one(after, disliked.title, disliked.summary_text)), (
        "its own topics stay: the score says it is not worth reading"
    )
    said = TrainingExample(disliked.title, disliked.summary_text, (), negative=frozenset({"ai-ml"}))
    corrected = train_classifier(TOPICS, CORPUS, [said])
    assert "ai-ml" not in names(classify_one(corrected, disliked.title, disliked.summary_text))
