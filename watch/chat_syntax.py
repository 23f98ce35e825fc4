"""How a chat platform writes a message: Slack's mrkdwn and Mattermost's Markdown (``SYNTAX``,
a ``ChatSyntax`` each), one story's line (``story_line``), what fits in a post
(``LIMITS``, ``fit_blocks``) and the webhook's JSON body (``payload``: no link previews on
Slack; Mattermost's webhook takes no such switch).  The digest's post (``watch.chat``) and an alert's
(``watch.alert_message``) are written with them.

Slack is written in mrkdwn (``<url|title>``, ``*bold*``, ``&`` ``<`` ``>`` escaped), Mattermost
in Markdown.  Feed-supplied text cannot break out: Slack's control characters are escaped
(``<!channel>`` stays text), Markdown syntax is escaped, and every ``@`` is followed by a word
joiner (U+2060), so ``@here`` or ``@channel`` in a title notifies nobody.  mrkdwn has no escape
for its formatting marks (``*`` ``_`` ``~`` and the backtick; a backslash shows as is), so each
mark in the text gets a zero-width space (U+200B) on either side: it stays the same character
(a copy carries the invisible spaces) but can neither open nor close a bold, italic, strike or
code span ("*nix", "my_var_name", a note's "_" closing our italic early); look-alike characters
(U+2217 ∗…) would show and copy as other characters.  Our own ``*bold*`` and ``_italic_``
markers are added around the text, never spaced.  The http(s) URLs of a team's text (a pick's
note) are links of their own (``<url|url>`` in Slack, ``<url>`` in Mattermost), kept out of the
escaping, the mark spacing and the mention guard, which would corrupt them
("medium.com/@alice/my_post").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from watch.digest_lang import DigestLanguage
from watch.digest_words import clean_line, markdown_escape, markdown_url, shorten, text_and_urls

LIMITS = {"slack": 39_000, "mattermost": 16_000}
"""Characters of text a message may have: under Slack's ~40,000 and Mattermost's 16,383."""
MAX_TITLE = 200
MAX_SOURCE = 80
MAX_ALSO = 5
WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
_SLACK_MARK = re.compile(r"[*_~`]")
"""What opens or closes bold, italic, strike and code in Slack's mrkdwn."""


@dataclass(frozen=True)
class ChatSyntax:
    """How one platform writes text, links and emphasis."""

    text: Callable[[str], str]
    linked_text: Callable[[str], str]
    """A team's text, its http(s) URLs as links, written as they are (no escape, spacing or
    mention guard inside a URL)."""
    link: Callable[[str, str], str]
    """(url, text already escaped) → a link."""
    bold: str
    italic: str
    bullet: str
    indent: str


def _no_mentions(text: str) -> str:
    return text.replace("@", "@" + WORD_JOINER)


def _slack_escape(text: str) -> str:
    """Slack's three control characters escaped (``<!channel>`` stays text), formatting marks
    unable to pair, mentions defused; no zero-width space at its ends: our own markers around
    it still touch the text they format."""
    return _slack_plain(clean_line(text)).strip(ZERO_WIDTH_SPACE)


def _slack_linked(text: str) -> str:
    """``_slack_escape`` of the text around its http(s) URLs, each URL a link ``<url|url>``."""
    parts = text_and_urls(clean_line(text))
    written = "".join(
        _slack_link(part, _slack_target(part)) if is_url else _slack_plain(part)
        for part, is_url in parts
    )
    return written.strip(ZERO_WIDTH_SPACE)


def _slack_plain(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _no_mentions(_inert_marks(text))


def _inert_marks(text: str) -> str:
    """``text`` with a zero-width space on either side of each formatting mark (``*`` ``_`` ``~``,
    the backtick)."""
    return _SLACK_MARK.sub(lambda mark: f"{ZERO_WIDTH_SPACE}{mark[0]}{ZERO_WIDTH_SPACE}", text)


def _slack_target(url: str) -> str:
    """``url`` as a link target: ``&`` escaped, what would end the link (``<`` ``>`` ``|``)
    percent-encoded."""
    return url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")


def _slack_link(url: str, text: str) -> str:
    return f"<{_slack_target(url)}|{text}>"


def _markdown_text(text: str) -> str:
    return markdown_escape(text, guard=_no_mentions)


def _markdown_linked(text: str) -> str:
    """``_markdown_text`` of the text around its http(s) URLs, each URL an autolink ``<url>``."""
    return markdown_escape(text, autolinks=True, guard=_no_mentions)


def _markdown_link(url: str, text: str) -> str:
    return f"[{text}]({markdown_url(url)})"


SYNTAX: dict[str, ChatSyntax] = {
    "slack": ChatSyntax(_slack_escape, _slack_linked, _slack_link, "*", "_", "•", "    "),
    "mattermost": ChatSyntax(
        _markdown_text, _markdown_linked, _markdown_link, "**", "_", "-", "  "
    ),
}


def story_line(
    syntax: ChatSyntax,
    words: DigestLanguage,
    title: str,
    link: str | None,
    source: str,
    *,
    facts: Sequence[str] = (),
    board_link: str | None = None,
    details: Sequence[str] = (),
    also_covered_by: Sequence[str] = (),
) -> str:
    """One story in a chat (the digest's and an alert's): its title (cut at ``MAX_TITLE``)
    linked, "—" its source (cut at ``MAX_SOURCE``) and ``facts``, the story "On the board";
    under it, in italics, each of ``details`` then who else covers it (``MAX_ALSO`` named)."""
    shown = syntax.text(shorten(title, MAX_TITLE))
    linked = syntax.link(link, shown) if link else shown
    line = f"{syntax.bullet} {linked} — "
    line += syntax.text(" · ".join([shorten(source, MAX_SOURCE), *facts]))
    if board_link:
        line += f" · {syntax.link(board_link, syntax.text(words.say('on_board')))}"
    lines = list(details)
    if also_covered_by:
        names = also_covered_by[:MAX_ALSO]
        more = "…" if len(also_covered_by) > MAX_ALSO else ""
        also = words.say("also_covered", sources=len(also_covered_by))
        lines.append(f"{also} {', '.join(names)}{more}")
    for detail in lines:
        line += f"\n{syntax.indent}{emphasis(syntax.italic, syntax.linked_text(detail))}"
    return line


def fit_blocks(blocks: Sequence[tuple[str, int]], budget: int) -> tuple[list[str], int]:
    """The blocks (text, stories in it) that fit in ``budget`` characters, a newline before
    each, in order (one too long is left out, a shorter one after it may fit); and the number
    of stories left out."""
    body: list[str] = []
    left_out = 0
    for block, stories in blocks:
        if len(block) + 1 > budget:
            left_out += stories
            continue
        body.append(block)
        budget -= len(block) + 1
    return body, left_out


def emphasis(mark: str, text: str) -> str:
    return f"{mark}{text}{mark}" if text else ""


def payload(text: str, kind: str) -> dict[str, Any]:
    """The JSON body of the webhook POST of ``text`` to a ``kind`` chat (slack, mattermost):
    on Slack, no preview card for every link of the message."""
    if kind == "slack":
        return {"text": text, "mrkdwn": True, "unfurl_links": False, "unfurl_media": False}
    return {"text": text}
