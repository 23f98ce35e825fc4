"""`watch read`: mark articles read from the command line, by source, topic and age, or all;
by story, as the board reads: the other sources' copies of those stories are read too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watch.cli import main
from watch.models import Article, TopicMatch
from watch.store import ArticleQuery, open_store

NOW = datetime.now(UTC)
SOURCES_YAML = """\
name: Read test
topics:
  - {name: securite, label: Sécurité, keywords: [cve]}
  - {name: privacy, label: Vie privée, keywords: [rgpd]}
sources:
  - {name: giant-bomb, url: 'https://giantbomb.example/feed', every: 1h}
  - {name: lwn, url: 'https://lwn.example/feed', every: 1h}
"""


LWN_TOPICS = {0: "securite", 1: "privacy"}


def article(source: str, n: int, days_old: float, topic: str | None = None) -> Article:
    return Article(
        source=source,
        guid=f"{source}-{n}",
        url=f"https://{source}.example/{n}",
        canonical_url=f"https://{source}.example/{n}",
        title=f"{source} story {n}",
        summary_html="",
        summary_text="",
        author=None,
        published=NOW - timedelta(days=days_old),
        fetched_at=NOW,
        topics=[TopicMatch(topic, 0.9)] if topic else [],
    )


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Five giant-bomb articles (two older than 10 days), three lwn (one about securite, one
    about privacy)."""
    (tmp_path / "sources.yaml").write_text(SOURCES_YAML, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'watch.db'}"
    store = open_store(url)
    store.upsert_articles(
        [article("giant-bomb", n, days_old=n * 5) for n in range(5)]
        + [article("lwn", n, days_old=1, topic=LWN_TOPICS.get(n)) for n in range(3)]
    )
    store.close()
    monkeypatch.setenv("WATCH_CONFIG", str(tmp_path / "sources.yaml"))
    monkeypatch.setenv("WATCH_DB", url)
    return url


def unread(url: str, **query: object) -> int:
    store = open_store(url)
    try:
        return store.count_articles(ArticleQuery(read=False, **query))  # type: ignore[arg-type]
    finally:
        store.close()


def test_read_a_source_says_how_many(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", "--source", "giant-bomb"]) == 0
    assert capsys.readouterr().out == "5 articles marked read\n"
    assert unread(db) == 3
    assert main(["read", "--source", "giant-bomb"]) == 0
    assert capsys.readouterr().out == "0 articles marked read\n"


def test_read_older_than_and_before(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", "--older-than", "12d"]) == 0  # giant-bomb 3 and 4: 15 and 20 days
    assert capsys.readouterr().out == "2 articles marked read\n"
    before = (NOW - timedelta(days=7)).date().isoformat()  # giant-bomb 2 (10 days)
    assert main(["read", "--source", "giant-bomb", "--before", before]) == 0
    assert capsys.readouterr().out == "1 article marked read\n"
    assert unread(db) == 5


def test_read_a_topic_by_its_label_and_everything(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["read", "--topic", "sécurité"]) == 0
    assert capsys.readouterr().out == "1 article marked read\n"
    assert main(["read", "--all"]) == 0
    assert capsys.readouterr().out == "7 articles marked read\n"
    assert unread(db) == 0


def test_read_without_a_filter_asks_for_all_and_names_are_checked(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["read"]) == 2
    assert "--all" in capsys.readouterr().err
    assert main(["read", "--source", "giantbomb"]) == 2
    assert "no source named 'giantbomb'" in capsys.readouterr().err
    assert main(["read", "--topic", "ai"]) == 2
    assert (
        "unknown topic 'ai': sources.yaml defines securite (Sécurité), privacy (Vie privée); "
        "or off-topic for the articles without a topic" in capsys.readouterr().err
    )
    with pytest.raises(SystemExit):
        main(["read", "--older-than", "soon"])
    assert "'soon' is not an age like 7d" in capsys.readouterr().err
    assert unread(db) == 8


def article_id(url: str, guid: str) -> int:
    store = open_store(url)
    try:
        return next(a.id for a in store.iter_articles() if a.guid == guid)
    finally:
        store.close()


def test_reading_a_source_reads_its_stories_under_other_sources(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 12 audit: `watch read --source giant-bomb` left lwn's copy of a giant-bomb story
    unread, so the board ("One story per cluster") still showed the story, while its "Mark
    read" reads every copy."""
    store = open_store(db)

    def one_story(new: list[tuple[int, Article]]) -> None:
        for _, copy in new:
            copy.cluster_id = new[0][0]

    store.upsert_articles(
        [article("giant-bomb", 9, days_old=0), article("lwn", 9, days_old=0)],
        before_insert=one_story,
    )
    store.close()
    assert main(["read", "--source", "giant-bomb"]) == 0
    assert capsys.readouterr().out == "6 articles marked read, and 1 other copy of their stories\n"
    assert unread(db, sources=["lwn"]) == 3, "lwn's own three articles stay unread"
    assert unread(db, one_per_cluster=True) == 3, "the story is read on the board too"


def test_a_label_typed_without_accents_names_one_topic_for_read_and_feedback(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`watch read --topic` and `watch feedback --also/--not` understand the same words: a
    topic's name or its label, case and accents ignored ("vie privee" is "Vie privée")."""
    assert main(["feedback", str(article_id(db, "lwn-2")), "--also", "vie privee"]) == 0
    assert "(also about Vie privée)" in capsys.readouterr().out
    assert main(["read", "--topic", "VIE PRIVEE"]) == 0
    assert capsys.readouterr().out == "2 articles marked read\n"
    assert unread(db, topics=["privacy"]) == 0 and unread(db) == 6
    assert main(["feedback", "1", "--not", "vie"]) == 2
    refused_by_feedback = capsys.readouterr().err
    assert main(["read", "--topic", "vie"]) == 2
    refused_by_read = capsys.readouterr().err
    known = "unknown topic 'vie': sources.yaml defines securite (Sécurité), privacy (Vie privée)"
    assert known in refused_by_feedback and known in refused_by_read
