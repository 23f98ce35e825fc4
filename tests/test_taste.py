"""The user's taste: votes move the unjudged stories whose titles share their words ("more
like this"), and say which words did."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.servers import LocalServer
from tests.test_pipeline import make_config, make_pipeline, rfc822, rss
from watch.models import Feedback
from watch.score import score_article
from watch.store.base import ArticleQuery
from watch.taste import TASTE_POINTS, Taste

NOW = datetime.now(UTC).replace(microsecond=0)


def test_a_word_of_two_up_voted_stories_is_liked_and_one_story_says_nothing() -> None:
    taste = Taste.from_votes(
        [
            ("Writing a Kubernetes operator in Go", 1),
            ("A Kubernetes operator for Redis", 1),
            ("Redis 8 released", 1),
            ("Crypto prices fall again", -1),
            ("Crypto scam uncovered", -1),
            ("Kubernetes pricing explained", -1),
        ]
    )
    assert taste.judge("Kubernetes operator for Postgres") == (["Kubernetes", "operator"], [])
    assert taste.judge("Writing faster tests") == ([], []), "one up-voted story: no taste yet"
    assert taste.judge("Redis gets faster") == (["Redis"], [])
    assert taste.judge("New crypto exchange") == ([], ["Crypto"])
    assert taste.judge("Kyber lands in OpenSSH") == ([], [])
    released = Taste.from_votes([("Rust 1.90 released", 1), ("Go 1.30 released", 1)])
    assert not released, "the filler of tech writing is no taste"


def test_the_taste_part_is_explained_bounded_and_never_for_a_judged_story() -> None:
    def feedback(vote: int, taste: tuple[list[str], list[str]]) -> tuple[float, list[str]]:
        _, parts, lines = score_article(
            topics=[], source_weight=1.0, cluster_size=1, vote=vote, published=NOW, now=NOW,
            taste=taste,
        )  # fmt: skip
        return parts["feedback"], [line for line in lines if line.startswith("like ")]

    assert feedback(0, (["Kubernetes", "operator"], [])) == (
        TASTE_POINTS,
        ["like stories you up-voted: 'Kubernetes', 'operator'"],
    )
    assert feedback(0, (["Kubernetes"], ["Crypto"])) == (
        0.0,
        ["like stories you up-voted: 'Kubernetes'", "like stories you down-voted: 'Crypto'"],
    )
    assert feedback(0, ([], ["Crypto", "scam", "token"]))[0] == -TASTE_POINTS
    assert feedback(1, (["Kubernetes"], []))[1] == [], "the vote is the story's own judgement"


def test_votes_move_the_unjudged_look_alikes_at_the_next_rescore(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """A lead up-votes two stories about Kubernetes operators and down-votes two crypto ones:
    the next Kubernetes operator story ranks above the unrelated one, the next crypto one below,
    each saying why; a vote taken back takes its words back."""
    titles = [
        "Writing a Kubernetes operator in Go",
        "A Kubernetes operator for Redis",
        "Crypto prices fall again",
        "Crypto scam uncovered",
        "A Kubernetes operator for Postgres",
        "Gardening tips for the weekend",
        "Crypto exchange opens in Paris",
    ]
    items = [(f"g{i}", t, rfc822(NOW - timedelta(hours=1))) for i, t in enumerate(titles)]
    local_server.route("/a", rss(items))
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"alpha": "/a"}))
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    ids = {a.title: a.id for a in store.query_articles(ArticleQuery(limit=10))}
    for title, kind in zip(titles[:4], ("up", "up", "down", "down"), strict=True):
        pipeline.ranker.record_feedback(Feedback(article_id=ids[title], kind=kind, at=NOW))
    pipeline.ranker.rescore_all(reclassify=False)

    def judged(title: str) -> tuple[float, list[str]]:
        article = store.get_article(ids[title])
        assert article is not None
        return article.score_parts["feedback"], [
            line for line in article.explanation if line.startswith("like ")
        ]

    assert judged("A Kubernetes operator for Postgres") == (
        TASTE_POINTS,
        ["like stories you up-voted: 'Kubernetes', 'operator'"],
    )
    assert judged("Gardening tips for the weekend") == (0.0, [])
    assert judged("Crypto exchange opens in Paris") == (
        -TASTE_POINTS / 2,
        ["like stories you down-voted: 'Crypto'"],
    )
    pipeline.ranker.record_feedback(Feedback(article_id=ids[titles[1]], kind="unvote", at=NOW))
    pipeline.ranker.rescore_all(reclassify=False)
    assert judged("A Kubernetes operator for Postgres") == (0.0, [])
    store.close()
