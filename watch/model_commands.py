"""The commands about the classifier and one article: ``watch explain``, ``watch feedback``,
``watch train`` (the parser is in cli.py; the work in watch.ranking).

Each opens the store, asks the Ranker (or the stored article) and prints the outcome in words.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from watch.cli import CommandError, load, open_db, settings_for
from watch.commands import readable_config
from watch.schedule import utcnow
from watch.wording import counted

if TYPE_CHECKING:
    from watch.models import Feedback


def cmd_explain(args: argparse.Namespace) -> int:
    config = readable_config(args)
    store = open_db(settings_for(args), existing=True)
    article = store.get_article(args.id)
    feedback = [f for f in store.list_feedback() if f.article_id == args.id]
    store.close()
    if article is None:
        print(_no_article(args.id), file=sys.stderr)
        return 1
    label = config.source_label(article.source)
    source = article.source if label == article.source else f"{label} ({article.source})"
    print(f"#{article.id} {article.title}")
    print(f"  {source} · {article.published:%Y-%m-%d %H:%M} UTC · {article.url}")
    print(f"  score {article.score:.0f}/100")
    for name, value in sorted(article.score_parts.items(), key=lambda kv: -abs(kv[1])):
        print(f"    {name:<12} {value:+6.1f}")
    for line in article.explanation:
        print(f"  - {line}")
    for line in _corrections_said(feedback, {t.name: t.label or t.name for t in config.topics}):
        print(f"  - {line}")
    return 0


def _corrections_said(feedback: list[Feedback], labels: dict[str, str]) -> list[str]:
    """The user's standing topic corrections of one article, in words (the latest per topic):
    a topic taken away leaves no trace in the topics the explanation lists."""
    latest = {f.topic: f for f in sorted(feedback, key=lambda f: f.id) if f.topic}
    return [
        f"you said it is {'not ' if f.kind == 'not_topic' else ''}about "
        f"{labels.get(topic, topic)}" + (f" ({f.at:%Y-%m-%d})" if f.at else "")
        for topic, f in sorted(latest.items())
    ]


def _no_article(article_id: int) -> str:
    """Says where article ids come from: a new user has only seen them in ``watch export``."""
    return (
        f"no article {article_id} in this database (an article's id is the first field of "
        "each record of 'watch export')"
    )


def cmd_train(args: argparse.Namespace) -> int:
    from watch.ranking import Ranker
    from watch.store import ArticleQuery

    config, settings = load(args)
    store = open_db(settings)
    if store.count_articles(ArticleQuery()) == 0:
        store.close()
        raise CommandError(
            "nothing to train on yet: the database has no article; run 'watch fetch'"
        )
    ranker = Ranker(store, config, settings, None, utcnow)
    moved = ranker.retrain_and_compare()
    count = len(store.list_feedback())
    store.close()
    print(
        f"model trained with {counted(count, 'feedback item')}, saved to {settings.model_path}; "
        f"scores recomputed; articles per topic: {moved or 'unchanged'}"
    )
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from watch.models import Feedback

    config, settings = load(args)
    topic = args.not_topic or args.also_topic
    known = [t.name for t in config.topics]
    if topic and topic not in known:
        print(
            f"unknown topic {topic!r}: {settings.config_path.name} defines "
            f"{', '.join(known) or 'no topics'}",
            file=sys.stderr,
        )
        return 2
    kind = (
        "up"
        if args.up
        else "down"
        if args.down
        else "unvote"
        if args.unvote
        else "not_topic"
        if args.not_topic
        else "also_topic"
    )
    from watch.ranking import Ranker

    store = open_db(settings)
    before = store.get_article(args.id)
    if before is None:
        store.close()
        print(_no_article(args.id), file=sys.stderr)
        return 1
    feedback = Feedback(article_id=args.id, kind=kind, topic=topic, at=utcnow())  # type: ignore[arg-type]
    after = Ranker(store, config, settings, None, utcnow).record_feedback(feedback)
    store.close()
    assert after is not None
    labels = {t.name: t.label or t.name for t in config.topics}
    topics = ", ".join(labels.get(m.name, m.name) for m in after.topics) or "off-topic"
    said = {
        "up": "up-vote",
        "down": "down-vote",
        "unvote": "vote taken back",
        "not_topic": f"not about {labels.get(topic or '', topic)}",
        "also_topic": f"also about {labels.get(topic or '', topic)}",
    }[kind]
    print(
        f"feedback stored ({said}): score {before.score:.0f} → "
        f"{after.score:.0f}, topics: {topics}; the model learns from it at the next "
        "'watch train', 'watch fetch' or hourly in 'watch run'"
    )
    return 0
