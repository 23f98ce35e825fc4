"""What a topic's reasons say: a confirmed topic keeps the words that matched, the model names
the words behind its call, and a keyword matches the words it means ("embeddings" is not the
verb "embedding")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from tests.test_pipeline import rfc822, rss
from watch.classify import (
    TrainingExample,
    apply_correction,
    keyword_classifier,
    train_classifier,
)
from watch.config import TopicConfig
from watch.models import Feedback, TopicMatch
from watch.store import open_store
from watch.store.base import ArticleQuery

SECURITY = TopicConfig(name="security", keywords=("CVE", "faille", "ransomware", "attaque"))
TOPICS = (
    SECURITY,
    TopicConfig(name="ia", keywords=("embeddings", "agent", "IA")),
    TopicConfig(name="cloud", keywords=("cloud", "Kubernetes")),
)
CORPUS = [
    ("Faille critique dans OpenSSL", "Une faille permet de lire la mémoire du serveur.", ()),
    ("CVE-2024-1234 : correctif urgent", "Le correctif de la faille est disponible.", ()),
    ("Ransomware : un hôpital paralysé", "Les serveurs chiffrés par un groupe criminel.", ()),
    ("Nouvelle faille dans le noyau", "Escalade de privilèges via un pilote réseau.", ()),
    ("Une CVE dans le pilote réseau", "Escalade de privilèges et serveurs chiffrés.", ()),
    ("L'IA générative dans les mairies", "Des agents répondent aux usagers.", ()),
    ("Embeddings multilingues", "Quel modèle d'embeddings pour le français ?", ()),
    ("Kubernetes 1.31 publié", "Le cloud gagne un ordonnanceur.", ()),
    ("Ligue 1 : le PSG gagne à Marseille", "Un doublé en seconde période.", ()),
    ("Recette de la tarte aux pommes", "Une pâte brisée et des pommes reinettes.", ()),
    ("Météo : vigilance orange", "De fortes pluies attendues dans le Gard.", ()),
] * 3
FLAW = ("Faille critique : la CVE-2024-3094 touche xz", "Une porte dérobée dans la compression.")


def reasons_of(matches: list[TopicMatch], name: str) -> list[str]:
    return next(m.reasons for m in matches if m.name == name)


def test_confirming_a_topic_keeps_its_matched_words_and_adds_the_feedback() -> None:
    (found,) = keyword_classifier(TOPICS).classify([(*FLAW, ())])
    assert reasons_of(found, "security") == ["matched 'faille' in title", "matched 'CVE' in title"]
    also = Feedback(1, "also_topic", "security")
    confirmed = apply_correction(apply_correction(found, also), also)  # said twice: added once
    assert confirmed == [
        TopicMatch(
            "security",
            1.0,
            [
                "matched 'faille' in title",
                "matched 'CVE' in title",
                "your feedback: about security",
            ],
        )
    ]
    new_topic = apply_correction(found, Feedback(1, "also_topic", "cloud"))
    assert reasons_of(new_topic, "cloud") == ["your feedback: about cloud"]


def test_after_training_a_confirmed_topic_still_names_its_words() -> None:
    said = TrainingExample(*FLAW, positive=frozenset({"security"}))
    classifier = train_classifier(TOPICS, CORPUS, [said])
    twin = classifier.classify([(*FLAW, ()), (*FLAW, ("cloud",))])  # the RSS twin: same text
    for matches in twin:
        assert reasons_of(matches, "security") == [
            "matched 'faille' in title",
            "matched 'CVE' in title",
            "your feedback: about security",
        ]


def test_the_model_names_its_words_also_when_a_source_hint_follows() -> None:
    classifier = train_classifier(TOPICS, CORPUS)
    worded_like_security = ("Serveurs chiffrés : correctif publié", "Une faille dans le pilote.")
    for hints in ((), ("security",)):
        (match,) = classifier.classify([(*worded_like_security, hints)])[0]
        model_reason = next(r for r in match.reasons if r.startswith("model "))
        assert "(wording like other security articles: '" in model_reason, match.reasons


def test_the_verb_embedding_is_not_the_keyword_embeddings() -> None:
    classify = keyword_classifier(TOPICS).classify
    video, vectors = classify(
        [
            ("Youtube video embedding harm reduction", "Embedding external content.", ()),
            ("Text embedding models compared", "Which embeddings for French search?", ()),
        ]
    )
    assert "ia" not in [m.name for m in video]
    assert reasons_of(vectors, "ia") == ["matched 'embeddings' in text"]
    plurals = classify([("Python strings and things", "", ())])  # "-ing" is no suffix there
    singular = keyword_classifier([TopicConfig(name="t", keywords=("string", "thing"))])
    assert plurals == [[]] and singular.classify([("Python strings and things", "", ())])[0]


def test_a_keyword_still_matches_inside_a_hyphenated_compound() -> None:
    """Measured on the benchmark: most such matches are right ("Cloud-Dienste", "anti-
    ransomware", "CVE-2023-6246", "iPhone-only"); not matching them lowers macro-F1."""
    (matches,) = keyword_classifier(TOPICS).classify(
        [("Un anti-ransomware contre la cyber-attaque", "Les Cloud-Dienste.", ())]
    )
    assert [m.name for m in matches] == ["security", "cloud"]
    assert reasons_of(matches, "security") == [
        "matched 'ransomware' in title",
        "matched 'attaque' in title",
    ]


def test_explain_keeps_the_keywords_of_a_confirmed_topic_after_training(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from watch.cli import main

    local_server.route(
        "/feed", rss([("1", "Faille critique : une CVE dans OpenSSL", rfc822(datetime.now(UTC)))])
    )
    config = tmp_path / "sources.yaml"
    config.write_text(
        "topics:\n  - {name: security, label: Sécurité, keywords: [CVE, faille]}\n"
        f'fetch:\n  allow_private: ["{local_server.allow}"]\n'
        f"sources:\n  - {{name: sec, url: '{local_server.url('/feed')}', every: 1h}}\n",
        encoding="utf-8",
    )
    where = ["-c", str(config), "--db", f"sqlite:///{tmp_path / 'w.db'}"]
    assert main(["fetch", *where]) == 0
    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    (article,) = store.iter_articles()
    store.close()
    assert main(["feedback", str(article.id), "--also", "security", *where]) == 0
    for step in ([], ["train", *where]):
        assert not step or main(step) == 0
        capsys.readouterr()
        assert main(["explain", str(article.id), *where]) == 0
        out = capsys.readouterr().out
        (line,) = [line for line in out.splitlines() if "Sécurité 1.00" in line]
        assert "matched 'faille' in title; matched 'CVE' in title;" in line, out
        assert line.endswith("; your feedback: about Sécurité"), out


def test_an_off_topic_article_says_what_its_keywords_found_and_why_it_was_not_enough() -> None:
    """Session 10 (audit): "off-topic: matches none of your topics" was said of an article
    whose summary names 'cloud' four times: one keyword, however repeated, is weak evidence
    the model did not confirm; the explanation now says so."""
    from watch.score import score_article

    classifier = train_classifier(TOPICS, CORPUS)
    summary = "Le cloud de Google ne lira plus vos messages : le cloud, toujours le cloud."
    (result,) = classifier.classify([("Google cessera de lire vos e-mails", summary, ())])
    assert result == []
    now = datetime.now(UTC)
    _, _, lines = score_article(
        topics=result,
        source_weight=1.0,
        cluster_size=1,
        vote=0,
        published=now,
        now=now,
        topic_labels={"cloud": "Cloud et DevOps"},
    )
    (line,) = [line for line in lines if line.startswith("off-topic")]
    assert line.startswith(
        "off-topic: Cloud et DevOps: matched 'cloud' in text; one keyword only, and the "
        "model did not confirm it (model 0."
    ), line
    (nothing,) = classifier.classify([("Recette du clafoutis", "Des cerises et du lait.", ())])
    _, _, lines = score_article(
        topics=nothing, source_weight=1.0, cluster_size=1, vote=0, published=now, now=now
    )
    assert "off-topic: matches none of your topics" in lines


def test_an_excluded_topic_is_named_with_its_exclude_in_the_off_topic_explanation() -> None:
    from watch.score import score_article

    road = TopicConfig(name="security", keywords=("sécurité",), exclude=("sécurité routière",))
    (result,) = keyword_classifier([road]).classify(
        [("La sécurité routière en hausse", "Moins d'accidents cet été.", ())]
    )
    now = datetime.now(UTC)
    _, _, lines = score_article(
        topics=result, source_weight=1.0, cluster_size=1, vote=0, published=now, now=now
    )
    assert lines[0] == (
        "off-topic: security: matched 'sécurité' in title; excluded by 'sécurité routière' in title"
    )


def test_a_rescore_keeps_what_the_keywords_of_an_off_topic_article_found(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Scores are recomputed hourly without classifying again: the stored off-topic article
    kept only "no topic of yours was assigned" after the first rescore."""
    import asyncio

    from tests.test_pipeline import make_pipeline

    local_server.route("/road", rss([("r1", "La sécurité routière en hausse", "")]))
    config = (
        f'fetch:\n  allow_private: ["{local_server.allow}"]\n'
        "topics:\n  - {name: security, keywords: [sécurité], exclude: [sécurité routière]}\n"
        f"sources:\n  - {{name: road, url: '{local_server.url('/road')}'}}\n"
    )
    pipeline, store = make_pipeline(tmp_path, config)
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    (before,) = store.query_articles(ArticleQuery())
    said = [line for line in before.explanation if line.startswith("off-topic: security: ")]
    assert said and "sécurité routière" in said[0], before.explanation
    pipeline.ranker.rescore_all(reclassify=False)
    (after,) = store.query_articles(ArticleQuery())
    assert [line for line in after.explanation if line.startswith("off-topic")] == said
    store.close()
    local_server.route("/copy", rss([("c1", "La sécurité routière en hausse", "")]))
    second = config + f"  - {{name: copy, url: '{local_server.url('/copy')}'}}\n"
    pipeline, store = make_pipeline(tmp_path, second)
    asyncio.run(pipeline.run_pass(["copy"]))  # joins the story: the first one is scored again
    pipeline.close()
    joined = store.get_article(before.id)
    copies = store.query_articles(ArticleQuery(sources=["copy"]))
    assert joined is not None and [c.cluster_id for c in copies] == [joined.cluster_id]
    assert [line for line in joined.explanation if line.startswith("off-topic")] == said
    store.close()
