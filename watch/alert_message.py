"""An alert's message: the new stories of one alert (``alerts:`` in sources.yaml), as a mail
(text and HTML, ``watch/templates/alert.txt.j2`` and ``alert.html.j2``) or a chat post (Slack
mrkdwn, Mattermost Markdown), in the digest's language (``watch.digest_lang``'s ``alert_*``
phrases, and the digest's own "Also covered by", "…and 3 more on the board", "Open the board").
One story is told as one ("1 new story for this alert:", ``alert_intro_one``), several "the best
scored first"; the alert's label gets the language's apostrophe as topic labels do ("l’actualité").

Which stories and when is ``watch.alerts``'s business; here only the words.  Each story is one
line: title (linked), source label, score, topics, the story "On the board"
(``watch.board_address``), then the other sources carrying it; at most ``MAX_LISTED`` are
listed, the others counted.  A chat post lists fewer when they would not fit in the platform's
limit (``watch.chat_syntax.LIMITS``, as the digest's post): the others are counted too.  The
board is linked at the end.  Without ``digest.board_url`` the board is never linked.  Feed text
is never trusted: the HTML is autoescaped (Jinja2), the mail's headers are the digest's
(``watch.digest_render.mail_of``: clean lines; the subject is the alert's label, never a
title), and a chat story is the digest's line (``watch.chat_syntax.story_line``: Slack's control
characters, Markdown and mentions escaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from watch.board_address import article_address
from watch.chat_syntax import (
    LIMITS,
    SYNTAX,
    ChatSyntax,
    emphasis,
    fit_blocks,
    payload,
    story_line,
)
from watch.config import WatchConfig
from watch.config.alerts import AlertConfig
from watch.digest import own_language
from watch.digest_lang import DigestLanguage, digest_language
from watch.digest_render import mail_of, template_environment
from watch.digest_words import (
    also_covered,
    clean_line,
    safe_url,
    story_link,
    story_title,
    topic_labels,
)
from watch.models import StoredArticle

MAX_LISTED = 20
"""Stories listed in one message; the others are counted ("…and 4 more on the board")."""


@dataclass(frozen=True)
class AlertItem:
    """One story of an alert: its best article, as the message shows it."""

    title: str
    link: str | None
    source: str
    score: int
    topics: tuple[str, ...]
    also_covered_by: tuple[str, ...]
    board_link: str | None = None
    """The story on the board (``watch.board_address``); None without ``digest.board_url``."""
    lang: str | None = None
    """The article's language when not the message's (``watch.digest.own_language``)."""


@dataclass(frozen=True)
class AlertMessage:
    """What one alert says in one run, ready to render."""

    watch_name: str
    alert_name: str
    label: str
    items: tuple[AlertItem, ...]
    more: int
    """Stories matched but not listed."""
    board_url: str | None
    language: DigestLanguage

    @property
    def count(self) -> int:
        return len(self.items) + self.more

    @property
    def intro(self) -> str:
        """The line under the label: "1 new story for this alert:", "3 new stories for this
        alert, the best scored first:"."""
        key = "alert_intro_one" if self.count == 1 else "alert_intro"
        return self.language.say(key, count=self.count)

    @property
    def subject(self) -> str:
        return clean_line(self.language.say("alert_subject", label=self.label, count=self.count))


def alert_message(
    config: WatchConfig, alert: AlertConfig, stories: Sequence[StoredArticle]
) -> AlertMessage:
    """The message of ``alert`` about ``stories`` (one article per story, best first)."""
    language = digest_language(config.digest.language)
    labels = topic_labels(config)
    return AlertMessage(
        watch_name=clean_line(config.name),
        alert_name=alert.name,
        label=language.typographic(clean_line(alert.display_name)),
        items=tuple(_item(config, labels, article, language) for article in stories[:MAX_LISTED]),
        more=max(len(stories) - MAX_LISTED, 0),
        board_url=safe_url(config.digest.board_url),
        language=language,
    )


def _item(
    config: WatchConfig, labels: dict[str, str], article: StoredArticle, language: DigestLanguage
) -> AlertItem:
    return AlertItem(
        title=story_title(article.title, language),
        link=story_link(article.url),
        source=clean_line(config.source_label(article.source)),
        score=round(article.score),
        topics=tuple(clean_line(labels.get(m.name, m.name)) for m in article.topics),
        also_covered_by=tuple(also_covered(config, article)),
        board_link=article_address(config.digest.board_url, article.id),
        lang=own_language(article, language),
    )


# -- the mail ---------------------------------------------------------------------------------


def render_text(message: AlertMessage) -> str:
    return _render("alert.txt.j2", message)


def render_html(message: AlertMessage) -> str:
    """The message as HTML, every text autoescaped, its few styles inline."""
    return _render("alert.html.j2", message)


def _render(template: str, message: AlertMessage) -> str:
    return template_environment().get_template(template).render(m=message, w=message.language)


def mail_message(message: AlertMessage, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """A multipart/alternative mail (text, then HTML), with the digest's headers."""
    bodies = (render_text(message), render_html(message))
    return mail_of(message.subject, sender, recipients, bodies, message.language.code)


# -- the chat ---------------------------------------------------------------------------------


def chat_text(message: AlertMessage, kind: str) -> str:
    """The message for a ``kind`` chat (slack, mattermost), every feed text escaped, within its
    ``LIMITS``: the stories that do not fit are counted with those not listed."""
    syntax = SYNTAX[kind]
    head = [
        emphasis(syntax.bold, syntax.text(message.label)),
        syntax.text(message.intro),
    ]
    reserve = len("\n".join(_footer(message, syntax, message.count))) + 2
    budget = LIMITS[kind] - len("\n".join(head)) - reserve
    items = [(_chat_item(item, syntax, message.language), 1) for item in message.items]
    body, left_out = fit_blocks(items, budget)
    return "\n".join(head + body + _footer(message, syntax, message.more + left_out)) + "\n"


def _chat_item(item: AlertItem, syntax: ChatSyntax, words: DigestLanguage) -> str:
    """One story's line (title linked, source, score, topics, "On the board"), then who else
    covers it: the digest's line with the alert's facts."""
    facts = [words.say("alert_score", score=item.score)]
    facts += [", ".join(item.topics)] if item.topics else []
    return story_line(
        syntax, words, item.title, item.link, item.source,
        facts=facts, board_link=item.board_link, also_covered_by=item.also_covered_by,
    )  # fmt: skip


def _footer(message: AlertMessage, syntax: ChatSyntax, more: int) -> list[str]:
    """The "…and 3 more stories on the board" line, then the board's link."""
    words = message.language
    lines = [syntax.text(words.say("chat_more", count=more))] if more else []
    if message.board_url:
        lines.append(syntax.link(message.board_url, syntax.text(words.say("open_board"))))
    return lines


def chat_payload(message: AlertMessage, kind: str) -> dict[str, Any]:
    """The JSON body of the webhook POST for a ``kind`` chat (no link previews on Slack)."""
    return payload(chat_text(message, kind), kind)
