"""An alert's message: the new stories of one alert (``alerts:`` in sources.yaml), as a mail
(text and HTML, ``watch/templates/alert.txt.j2`` and ``alert.html.j2``) or a chat post (Slack
mrkdwn, Mattermost Markdown), in the digest's language (``watch.digest_lang``'s ``alert_*``
phrases, and the digest's own "Also covered by", "…and 3 more on the board", "Open the board").

Which stories and when is ``watch.alerts``'s business; here only the words.  Each story is one
line: title (linked), source label, score, topics, the story "On the board"
(``watch.board_address``), then the other sources carrying it; at most ``MAX_LISTED`` are
listed, the others counted.  The board is linked at the end too.  Without
``digest.board_url`` the board is never linked.  Feed text is never
trusted: the HTML is autoescaped (Jinja2), the mail's headers are built from clean lines, and
the chat text is escaped as the digest's is (``watch.chat.SYNTAX``: Slack's control
characters, Markdown, mentions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid
from typing import Any

from watch.board_address import article_address
from watch.chat import MAX_ALSO, MAX_SOURCE, MAX_TITLE, SYNTAX
from watch.config import WatchConfig
from watch.config.alerts import AlertConfig
from watch.digest import own_language
from watch.digest_lang import DigestLanguage, digest_language
from watch.digest_render import domain_of, template_environment
from watch.digest_words import clean_line, safe_url, shorten, topic_labels
from watch.models import StoredArticle
from watch.text_repair import without_trackers

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
        label=clean_line(alert.display_name),
        items=tuple(_item(config, labels, article, language) for article in stories[:MAX_LISTED]),
        more=max(len(stories) - MAX_LISTED, 0),
        board_url=safe_url(config.digest.board_url),
        language=language,
    )


def _item(
    config: WatchConfig, labels: dict[str, str], article: StoredArticle, language: DigestLanguage
) -> AlertItem:
    others = {clean_line(config.source_label(s)) for s in article.cluster_sources} - {""}
    return AlertItem(
        title=clean_line(article.title) or language.say("untitled"),
        link=safe_url(without_trackers(article.url)),
        source=clean_line(config.source_label(article.source)),
        score=round(article.score),
        topics=tuple(clean_line(labels.get(m.name, m.name)) for m in article.topics),
        also_covered_by=tuple(sorted(others, key=str.casefold)),
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
    """A multipart/alternative mail (text, then HTML); headers built only from clean values."""
    mail = EmailMessage(policy=default_policy)
    mail["Subject"] = message.subject
    mail["From"] = clean_line(sender)
    mail["To"] = ", ".join(clean_line(address) for address in recipients)
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = make_msgid(domain=domain_of(sender))
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    mail.set_content(render_text(message), subtype="plain", charset="utf-8")
    mail.add_alternative(render_html(message), subtype="html", charset="utf-8")
    mail["Content-Language"] = message.language.code
    return mail


# -- the chat ---------------------------------------------------------------------------------


def chat_text(message: AlertMessage, kind: str) -> str:
    """The message for a ``kind`` chat (slack, mattermost): every feed text escaped."""
    syntax, words = SYNTAX[kind], message.language
    lines = [
        f"{syntax.bold}{syntax.text(message.label)}{syntax.bold}",
        syntax.text(words.say("alert_intro", count=message.count)),
    ]
    for item in message.items:
        lines += _chat_item(item, syntax, words)
    if message.more:
        lines.append(syntax.text(words.say("chat_more", count=message.more)))
    if message.board_url:
        lines.append(syntax.link(message.board_url, syntax.text(words.say("open_board"))))
    return "\n".join(lines) + "\n"


def _chat_item(item: AlertItem, syntax: Any, words: DigestLanguage) -> list[str]:
    """One story's line (title linked, facts, "On the board"), then who else covers it."""
    title = syntax.text(shorten(item.title, MAX_TITLE))
    facts = [shorten(item.source, MAX_SOURCE), words.say("alert_score", score=item.score)]
    facts += [", ".join(item.topics)] if item.topics else []
    linked = syntax.link(item.link, title) if item.link else title
    line = f"{syntax.bullet} {linked} — {syntax.text(' · '.join(facts))}"
    if item.board_link:
        line += f" · {syntax.link(item.board_link, syntax.text(words.say('on_board')))}"
    if not item.also_covered_by:
        return [line]
    names = ", ".join(item.also_covered_by[:MAX_ALSO])
    more = "…" if len(item.also_covered_by) > MAX_ALSO else ""
    also = words.say("also_covered", sources=len(item.also_covered_by))
    italic = syntax.text(f"{also} {names}{more}")
    return [line, f"{syntax.indent}{syntax.italic}{italic}{syntax.italic}"]


def chat_payload(message: AlertMessage, kind: str) -> dict[str, Any]:
    """The JSON body of the webhook POST for a ``kind`` chat (no link previews on Slack)."""
    text = chat_text(message, kind)
    if kind == "slack":
        return {"text": text, "mrkdwn": True, "unfurl_links": False, "unfurl_media": False}
    return {"text": text}
