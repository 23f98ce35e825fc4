"""The weekly digest in the team's chat: a compact message posted to a Slack or Mattermost
incoming webhook (``digest.chats`` in sources.yaml).

This module owns the message and the POST, not when or how often (``watch.digest_job``):

- ``chat_text`` turns a ``Digest`` into a compact message in the digest's language: its subject
  (name, days, week) in bold, the overview line, the team's picks and the top stories of each
  topic, one line each (title linked, source, the story "On the board" when ``digest.board_url``
  is set; under it a pick's note, cut at ``CHAT_NOTE``, and "also covered by"; the why lines
  are the mail's), then the board link.  At most
  ``CHAT_PICKS`` picks and ``CHAT_STORIES_PER_TOPIC`` stories a topic are shown, and never more
  than the platform takes (``LIMITS``: Slack ~40,000 characters of text, Mattermost 16,383 a
  post); what is left out is counted ("…and 4 more stories on the board").  Slack is written in
  mrkdwn (``<url|title>``, ``*bold*``, ``&`` ``<`` ``>`` escaped), Mattermost in Markdown.
  Feed-supplied text cannot break out: Slack's control characters are escaped (``<!channel>``
  stays text), Markdown syntax is escaped, and every ``@`` is followed by a word joiner (U+2060),
  so ``@here`` or ``@channel`` in a title notifies nobody.  mrkdwn has no escape for its
  formatting marks (``*`` ``_`` ``~`` and the backtick; a backslash shows as is), so each mark
  in the text gets a zero-width space (U+200B) on either side: it stays the same character
  (a copy carries the invisible spaces) but can neither open nor close a bold, italic, strike
  or code span ("*nix", "my_var_name", a note's "_" closing our italic early); look-alike
  characters (U+2217 ∗…) would show and copy as other characters.  Our own ``*bold*`` and
  ``_italic_`` markers are added around the text, never spaced.  The http(s) URLs of a pick's
  note are links of their own (``<url|url>`` in Slack, ``<url>`` in Mattermost), kept out of
  the escaping, the mark spacing and the mention guard, which would corrupt them
  ("medium.com/@alice/my_post").  Mattermost's webhook takes no per-post switch for link
  previews (its server and users decide), so its payload is only the text.
- ``post_to_chat`` POSTs the JSON payload with httpx under the fetcher's SSRF policy
  (``watch.netguard``: a webhook on a private address is refused unless ``fetch.allow_private``
  lists it, e.g. a self-hosted Mattermost), the fetcher's timeouts and an overall deadline,
  redirects never followed, TLS verified (``fetch.ca_bundle`` trusted too).  The request goes
  through the transport rather than an ``httpx.Client``: a client logs every request's URL, and
  a webhook's URL is its secret.  Every failure is a ``ChatError`` whose message names the host
  and the variable (``$SLACK_DIGEST_URL``), never the URL itself.  An answer that says the URL
  is wrong, revoked or its channel gone (``PERMANENT_STATUSES``: 400, 401, 403, 404, 410) is a
  ``permanent`` error, not worth retrying until someone fixes the variable; a 429 or 503 says
  how long to wait (``retry_after``, from its Retry-After); anything else (a timeout, a 5xx,
  408) is worth retrying as it is.

How a chat's send is recorded: the store keys ``DigestRecord`` by its ``week`` text (the primary
key of the ``digests`` table).  A chat's post is one more ``DigestRecord`` under the key
``"2026-W47 chat:team"`` (``chat_record_key``; chat names never hold a space), its
``recipients`` being ``["slack:team"]``.  That is the least invasive way: no migration, no change
to the ``Store`` interface or its backends, the mail's own record untouched (a failed chat never
resends the mail, nor the other way round), and the same pending / retry / backoff bookkeeping as
the mail.  ``split_record_key`` reads a key back; the board's send history shows the week and
where it went, and a key without " chat:" is the mail's.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from watch.config import FetchConfig
from watch.config.schema import ChatConfig
from watch.digest import PICKS_TOPIC, Digest, DigestStory
from watch.digest_lang import DigestLanguage
from watch.digest_words import (
    clean_line,
    markdown_escape,
    markdown_url,
    note_lines,
    shorten,
    text_and_urls,
)
from watch.netguard import AddressPolicy, BlockedAddress, UnresolvableHost, guarded_transport

LIMITS = {"slack": 39_000, "mattermost": 16_000}
"""Characters of text a message may have: under Slack's ~40,000 and Mattermost's 16,383."""
CHAT_PICKS = 5
CHAT_STORIES_PER_TOPIC = 3
MAX_TITLE = 200
MAX_SOURCE = 80
MAX_ALSO = 5
CHAT_NOTE = 300
"""Characters of a pick's note shown in the chat (the mail shows all of it)."""
MAX_ANSWER = 200
"""Characters of a refusing server's answer kept in the error."""
ANSWER_CAP = 16 * 1024
"""Bytes of the server's answer read at most."""
MIN_SECRET = 6
"""A URL's path or query shorter than this is not hidden in messages (it would hide words)."""
CHAT_RECORD = " chat:"
WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
_SLACK_MARK = re.compile(r"[*_~`]")
"""What opens or closes bold, italic, strike and code in Slack's mrkdwn."""


PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 410})
"""Answers that retrying cannot change: the webhook URL is wrong, revoked, or its channel gone."""
RETRY_AFTER_STATUSES = frozenset({429, 503})
"""Answers whose Retry-After header says when to try again (as the fetcher reads them)."""


class ChatError(Exception):
    """The digest could not be posted; the message is safe to store and show (no URL).

    ``permanent``: the server said the webhook is wrong or gone, retrying cannot help;
    ``retry_after``: the seconds the server asked to wait (Retry-After), when it said.
    """

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


# -- how a chat's send is recorded ------------------------------------------------------------


def chat_record_key(week: str, chat: str) -> str:
    """The ``DigestRecord`` key of ``chat``'s post of ``week``: "2026-W47 chat:team"."""
    return f"{week}{CHAT_RECORD}{chat}"


def split_record_key(key: str) -> tuple[str, str | None]:
    """The week and the chat of a ``DigestRecord`` key; the chat is None for the mail."""
    week, separator, chat = key.partition(CHAT_RECORD)
    return week, (chat if separator else None)


# -- the message ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Syntax:
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


SYNTAX = {
    "slack": _Syntax(_slack_escape, _slack_linked, _slack_link, "*", "_", "•", "    "),
    "mattermost": _Syntax(_markdown_text, _markdown_linked, _markdown_link, "**", "_", "-", "  "),
}


def chat_text(digest: Digest, kind: str) -> str:
    """The compact message of ``digest`` for a ``kind`` chat (slack, mattermost), within its
    ``LIMITS``."""
    syntax, words = SYNTAX[kind], digest.language
    head = [_emphasis(syntax.bold, syntax.text(digest.subject)), syntax.text(digest.overview_line)]
    blocks, hidden = _section_blocks(digest, syntax)
    if not blocks:
        head.append("\n" + syntax.text(words.say("no_stories")))
    reserve = len(_footer(digest, syntax, digest.story_count)) + 1
    budget = LIMITS[kind] - len("\n".join(head)) - reserve
    body: list[str] = []
    for block, stories in blocks:
        if len(block) + 1 > budget:
            hidden += stories
            continue
        body.append(block)
        budget -= len(block) + 1
    return "\n".join(head + body + [_footer(digest, syntax, hidden)]).rstrip() + "\n"


def _section_blocks(digest: Digest, syntax: _Syntax) -> tuple[list[tuple[str, int]], int]:
    """Each section's heading with its first story, then each other story, as (text, stories)
    blocks; and the number of stories left out by the per-section caps."""
    blocks: list[tuple[str, int]] = []
    hidden = 0
    for section in digest.sections:
        shown = CHAT_PICKS if section.topic == PICKS_TOPIC else CHAT_STORIES_PER_TOPIC
        hidden += max(len(section.stories) - shown, 0)
        stories = [_story(story, syntax, digest) for story in section.stories[:shown]]
        if stories:
            heading = "\n" + _emphasis(syntax.bold, syntax.text(section.label))
            blocks.append((f"{heading}\n{stories[0]}", 1))
            blocks.extend((story, 1) for story in stories[1:])
    return blocks, hidden


def _story(story: DigestStory, syntax: _Syntax, digest: Digest) -> str:
    words = digest.language
    title = syntax.text(shorten(story.title, MAX_TITLE))
    linked = syntax.link(story.link, title) if story.link else title
    line = f"{syntax.bullet} {linked} — {syntax.text(shorten(story.source, MAX_SOURCE))}"
    if story.board_link:
        line += f" · {syntax.link(story.board_link, syntax.text(words.say('on_board')))}"
    details = _note(story, words)
    if story.also_covered_by:
        names = story.also_covered_by[:MAX_ALSO]
        more = "…" if len(story.also_covered_by) > MAX_ALSO else ""
        also = words.say("also_covered", sources=len(story.also_covered_by))
        details.append(f"{also} {', '.join(names)}{more}")
    for detail in details:
        line += f"\n{syntax.indent}{_emphasis(syntax.italic, syntax.linked_text(detail))}"
    return line


def _note(story: DigestStory, words: DigestLanguage) -> list[str]:
    """The team's note on a pick as its lines, "Note:" first, cut at ``CHAT_NOTE`` characters
    (the mail has all of it); nothing for a story: its why line is the mail's."""
    lines = note_lines(story.note, CHAT_NOTE)
    return [f"{words.say('note')} {lines[0]}", *lines[1:]] if lines else []


def _footer(digest: Digest, syntax: _Syntax, hidden: int) -> str:
    words = digest.language
    lines = [syntax.text(words.say("chat_more", count=hidden))] if hidden else []
    if digest.board_url:
        board = syntax.link(digest.board_url, syntax.text(words.say("open_board")))
        lines.append(f"{board} {syntax.text(words.say('board_for'))}")
    return "\n" + "\n".join(lines) if lines else ""


def _emphasis(mark: str, text: str) -> str:
    return f"{mark}{text}{mark}" if text else ""


def chat_payload(digest: Digest, kind: str) -> dict[str, Any]:
    """The JSON body of the webhook POST for a ``kind`` chat."""
    text = chat_text(digest, kind)
    if kind == "slack":  # no preview card for every link of the message
        return {"text": text, "mrkdwn": True, "unfurl_links": False, "unfurl_media": False}
    return {"text": text}


# -- the POST ---------------------------------------------------------------------------------


def post_to_chat(
    chat: ChatConfig, url: str, payload: Mapping[str, Any], fetch: FetchConfig
) -> None:
    """POST ``payload`` as JSON to ``chat``'s webhook ``url``; raise ``ChatError`` (its message
    without the URL) unless the server answers 2xx."""
    policy = AddressPolicy(fetch.allow_private)
    try:
        host = _checked_host(chat, url, policy)
        status, answer, retry_after = asyncio.run(_post(url, payload, fetch, policy))
    except ChatError as exc:
        raise ChatError(_redact(str(exc), chat, url), permanent=exc.permanent) from None
    except BlockedAddress as exc:
        message = f"{exc}; a chat server of your own network must be listed in fetch.allow_private"
        raise ChatError(_redact(message, chat, url)) from None
    except (TimeoutError, httpx.TimeoutException):
        raise ChatError(f"no answer from {host} within {fetch.timeout:g} s") from None
    except (httpx.HTTPError, UnresolvableHost, OSError) as exc:
        raise ChatError(_redact(f"cannot post to {host}: {exc}", chat, url)) from None
    if not 200 <= status < 300:
        raise _refused(chat, url, host, status, answer, retry_after)


def _refused(
    chat: ChatConfig, url: str, host: str, status: int, answer: str, retry_after: str | None
) -> ChatError:
    """The error of a non-2xx answer: what the server said, whether retrying can help, and how
    long the server asked to wait."""
    from watch.fetch.client import parse_retry_after

    said = shorten(answer, MAX_ANSWER)
    redirect = " (a redirect, not followed: check the webhook URL)" if status < 400 else ""
    message = f"{host} answered HTTP {status}{redirect}" + (f": {said}" if said else "")
    wait = None
    if status in RETRY_AFTER_STATUSES:
        wait = parse_retry_after(retry_after, datetime.now(UTC))
    return ChatError(
        _redact(message, chat, url), permanent=status in PERMANENT_STATUSES, retry_after=wait
    )


def _checked_host(chat: ChatConfig, url: str, policy: AddressPolicy) -> str:
    """The host (and port) ``url`` posts to, once it is an http(s) URL the policy accepts."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ChatError(f"${chat.url_env} is not an http(s) URL", permanent=True) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ChatError(f"${chat.url_env} is not an http(s) URL", permanent=True)
    policy.check_url(url)
    return parts.hostname + (f":{port}" if port else "")


async def _post(
    url: str, payload: Mapping[str, Any], fetch: FetchConfig, policy: AddressPolicy
) -> tuple[int, str, str | None]:
    """The server's status, its answer (capped) and its Retry-After header."""
    from watch.fetch.tls import tls_context

    timeout = httpx.Timeout(fetch.timeout, connect=fetch.connect_timeout)
    request = httpx.Request(
        "POST",
        url,
        content=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": fetch.user_agent},
        extensions={"timeout": timeout.as_dict()},
    )
    context = tls_context(fetch.ca_bundle)
    transport = guarded_transport(policy, max_connections=1, ssl_context=context)
    async with transport, asyncio.timeout(fetch.timeout):
        response = await transport.handle_async_request(request)
        try:
            answer = await _read_capped(response)
        finally:
            await response.aclose()
    retry_after = response.headers.get("retry-after")
    return response.status_code, answer.decode("utf-8", "replace"), retry_after


async def _read_capped(response: httpx.Response) -> bytes:
    answer = b""
    async for chunk in response.aiter_raw():
        answer += chunk
        if len(answer) >= ANSWER_CAP:
            break
    return answer[:ANSWER_CAP]


def _redact(text: str, chat: ChatConfig, url: str) -> str:
    """``text`` with the webhook URL, and its path and query (the token is there), named by its
    variable."""
    try:
        parts = urlsplit(url)
        secrets = {url, parts.path.strip("/"), parts.query}
    except ValueError:
        secrets = {url}
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_SECRET:
            text = text.replace(secret, f"${chat.url_env}")
    return text
