"""Which topic the user means by a name typed on the command line (``watch read --topic``,
``watch feedback --not/--also``): a topic's name or its label, case and accents ignored
("securite" and "SÉCURITÉ" both mean the label "Sécurité"), or the error listing the topics
sources.yaml defines.  One resolver, so that every command understands the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from watch.cli import CommandError
from watch.store.base import OFF_TOPIC
from watch.text import fold_accents

if TYPE_CHECKING:
    from watch.config import TopicConfig


def topic_named(
    given: str, topics: Sequence[TopicConfig], config_file: str, *, off_topic: bool = False
) -> str:
    """The name of the topic ``given`` names or labels (with ``off_topic``, "off-topic" too);
    a CommandError (exit status 2) naming the topics of ``config_file`` when none is meant."""
    wanted = _folded(given)
    for topic in topics:
        if wanted in (_folded(topic.name), _folded(topic.label)):
            return topic.name
    if off_topic and wanted == OFF_TOPIC:
        return OFF_TOPIC
    known = ", ".join(_topic_shown(topic) for topic in topics) or "no topics"
    also = f"; or {OFF_TOPIC} for the articles without a topic" if off_topic else ""
    raise CommandError(f"unknown topic {given!r}: {config_file} defines {known}{also}", 2)


def _folded(text: str) -> str:
    """``text`` without case nor accents: "Sécurité" and "securite" are one."""
    return fold_accents(text.strip()).casefold()


def _topic_shown(topic: TopicConfig) -> str:
    """``securite (Sécurité)``; the name alone when the label is the name."""
    return topic.name if topic.label == topic.name else f"{topic.name} ({topic.label})"
