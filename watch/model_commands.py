"""The commands about the classifier and one article: ``watch explain``, ``watch feedback``,
``watch train`` (the parser is in cli.py; the work in watch.ranking).

Each opens the store, asks the Ranker (or the stored article) and prints the outcome in words.
A topic is given by its name or its label, case and accents ignored (``--also "securite"``,
``watch.topic_names``, as ``watch read --topic``).
A vote is on the story: the confirmation names every article whose score it changed, and
``explain`` says on which article it was given; it teaches no topic (``--not``/``--also`` do).
``explain`` also says how the page of a ``full_text:`` source's article went (read, when and
how long; not read and why; still waiting), from ``Store.article_texts``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from watch.cli import CommandError, load, open_db, settings_for
from watch.commands import readable_config
from watch.models import VOTES
from watch.schedule import utcnow
from watch.score import DOWN_VOTED, UP_VOTED
from watch.text_rules import MAX_ATTEMPTS, WINDOW
from watch.topic_names import topic_named
from watch.wording import counted

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from watch.config import WatchConfig
    from watch.models import ArticleText, Feedback, StoredArticle
    from watch.store.base import Store


def cmd_explain(args: argparse.Namespace) -> int:
    config = readable_config(args)
    store = open_db(settings_for(args), existing=True)
    article = store.get_article(args.id)
    all_feedback = store.list_feedback()
    feedback = [f for f in all_feedback if f.article_id == args.id]
    voted_on = _voted_article(store, article, all_feedback) if article is not None else None
    text = store.article_texts([args.id]).get(args.id)
    store.close()
    if article is None:
        print(_no_article(args.id), file=sys.stderr)
        return 1
    label = config.source_label(article.source)
    source = article.source if label == article.source else f"{label} ({article.source})"
    print(f"#{article.id} {article.title}")
    print(f"  {source} · {article.published:%Y-%m-%d %H:%M} UTC · {article.url}")
    page = _page_said(config, article, text, utcnow())
    if page:
        print(f"  {page}")
    print(f"  score {article.score:.0f}/100")
    for name, value in sorted(article.score_parts.items(), key=lambda kv: -abs(kv[1])):
        print(f"    {name:<12} {value:+6.1f}")
    for line in article.explanation:
        if line in (UP_VOTED, DOWN_VOTED) and voted_on is not None:
            label = config.source_label(voted_on.source)
            line += " (on this article)" if voted_on.id == article.id else f" (from {label})"
        print(f"  - {line}")
    for line in _corrections_said(feedback, config.topic_labels):
        print(f"  - {line}")
    return 0


def _page_said(
    config: WatchConfig, article: StoredArticle, text: ArticleText | None, now: datetime
) -> str | None:
    """How the article's page went (``watch.full_text``): "page text: read on 2026-11-25 10:02
    UTC, 822 words", "page not read: HTTP 403 Forbidden (tried 1 of 3 times)", "page text:
    waiting (read at the next pass)"; None for an article of a source that reads no pages."""
    if text is not None and text.error is None:
        when = f"read on {text.fetched_at:%Y-%m-%d %H:%M} UTC, " if text.fetched_at else ""
        return f"page text: {when}{counted(len(text.text.split()), 'word')}"
    if text is not None and text.text:
        words = counted(len(text.text.split()), "word")
        return f"page text: {words} kept from an earlier read; the last read failed: {text.error}"
    if text is not None:
        tries = (
            "final: not tried again"
            if text.final
            else f"tried {text.attempts} of {MAX_ATTEMPTS} times"
        )
        return f"page not read: {text.error} ({tries})"
    if not any(s.name == article.source and s.full_text for s in config.sources):
        return None
    if not article.url:
        return "page not read: the article has no link"
    if article.fetched_at < now - WINDOW:
        return f"page not read: pages are read in an article's first {WINDOW.days} days"
    return "page text: waiting (read at the next pass)"


def _corrections_said(feedback: list[Feedback], labels: dict[str, str]) -> list[str]:
    """The user's standing topic corrections of one article, in words (the latest per topic):
    a topic taken away leaves no trace in the topics the explanation lists."""
    latest = {f.topic: f for f in sorted(feedback, key=lambda f: f.id) if f.topic}
    return [
        f"you said it is {'not ' if f.kind == 'not_topic' else ''}about "
        f"{labels.get(topic, topic)}" + (f" ({f.at:%Y-%m-%d})" if f.at else "")
        for topic, f in sorted(latest.items())
    ]


def _voted_article(
    store: Store, article: StoredArticle, feedback: list[Feedback]
) -> StoredArticle | None:
    """The article of the story the latest vote was given on (None without vote)."""
    story = {article.id: article}
    if article.cluster_id is not None:
        story.update((a.id, a) for a in store.cluster_members(article.cluster_id))
    votes = [f for f in feedback if f.article_id in story and f.kind in ("up", "down")]
    return story[max(votes, key=lambda f: f.id).article_id] if votes else None


def _no_article(article_id: int) -> str:
    """Says where article ids come from: a new user has only seen them in ``watch export``."""
    return (
        f"no article {article_id} in this database (an article's id is the first field of "
        "each record of 'watch export')"
    )


def cmd_train(args: argparse.Namespace) -> int:
    from watch.ranking import Ranker
    from watch.store import ArticleQuery
    from watch.wording import per_topic_words

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
        f"scores recomputed; {per_topic_words(moved)}"
    )
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from watch.models import Feedback
    from watch.ranking import Ranker, story_scores

    config, settings = load(args)
    given = args.not_topic or args.also_topic
    topic = topic_named(given, config.topics, settings.config_path.name) if given else None
    kind = _feedback_kind(args)
    store = open_db(settings)
    before = store.get_article(args.id)
    if before is None:
        store.close()
        print(_no_article(args.id), file=sys.stderr)
        return 1
    story_before = story_scores(store, before) if kind in VOTES else {}
    feedback = Feedback(article_id=args.id, kind=kind, topic=topic, at=utcnow())  # type: ignore[arg-type]
    after = Ranker(store, config, settings, None, utcnow).record_feedback(feedback)
    story_after = story_scores(store, before) if kind in VOTES else {}
    store.close()
    assert after is not None
    labels = config.topic_labels
    topics = ", ".join(labels.get(m.name, m.name) for m in after.topics) or "off-topic"
    said = {
        "up": "up-vote",
        "down": "down-vote",
        "unvote": "vote taken back",
        "not_topic": f"not about {labels.get(topic or '', topic)}",
        "also_topic": f"also about {labels.get(topic or '', topic)}",
    }[kind]
    changed = _others_changed(story_before, story_after, config.source_label)
    print(
        f"feedback stored ({said}): score {before.score:.0f} → {after.score:.0f}, "
        f"topics: {topics}{changed}; {_what_it_teaches(kind)}"
    )
    return 0


def _feedback_kind(args: argparse.Namespace) -> str:
    if args.up or args.down or args.unvote:
        return "up" if args.up else "down" if args.down else "unvote"
    return "not_topic" if args.not_topic else "also_topic"


def _others_changed(
    before: dict[int, tuple[str, float]],
    after: dict[int, tuple[str, float]],
    source_label: Callable[[str], str],
) -> str:
    """The other articles a vote rescored, ``"; the story's other articles: #10 Blog 70 → 80"``."""
    moved = [
        f"#{i} {source_label(source)} {before[i][1]:.0f} → {score:.0f}"
        for i, (source, score) in sorted(after.items())
        if i in before and round(before[i][1]) != round(score)
    ]
    return f"; the story's other articles: {', '.join(moved)}" if moved else ""


def _what_it_teaches(kind: str) -> str:
    """What a judgement changes beyond this article, in words.  A vote is only a weak hint to
    the model (``watch.classify``): after a retrain, a vote taken back still weighs on the
    story's topics until the next one."""
    if kind == "unvote":
        return (
            "if a 'watch train' or fetch retrained the model since the vote, the topics it "
            "hinted stay until the next one"
        )
    if kind in VOTES:
        return (
            "a vote changes this story's score now; unjudged stories whose titles share words "
            "with 2 or more stories you voted the same way move by up to 5 points at the next "
            "rescore (each fetch, hourly in 'watch run'); to teach a topic, use --not TOPIC or "
            "--also TOPIC"
        )
    return "the model learns it at the next 'watch train', 'watch fetch' or hourly in 'watch run'"
