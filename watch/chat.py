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
  post); what is left out is counted ("…and 4 more stories on the board").  How each platform
  writes text, escapes feed text and fits a post is ``watch.chat_syntax``'s (an alert's post,
  ``watch.alert_message``, is written with it too).  Mattermost's webhook takes no per-post
  switch for link previews (its server and users decide), so its payload is only the text.
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
where it went, and a key without " chat:" is the mail's.  An edition of the digest (another
audience, ``digest.editions``, mail only) is recorded the same way under
``"2026-W47 edition:client-banque"`` (``edition_record_key``).  ``record_place`` reads where a
record went (week, chat and its platform, edition) for ``watch digest``, ``watch status`` and
the board.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import httpx

from watch.chat_syntax import (
    LIMITS,
    SYNTAX,
    ChatSyntax,
    emphasis,
    fit_blocks,
    payload,
    story_line,
)
from watch.chat_syntax import WORD_JOINER as WORD_JOINER  # re-exported: read here by tests
from watch.chat_syntax import ZERO_WIDTH_SPACE as ZERO_WIDTH_SPACE
from watch.config import FetchConfig
from watch.config.schema import ChatConfig
from watch.digest import PICKS_TOPIC, Digest, DigestStory
from watch.digest_lang import DigestLanguage
from watch.digest_words import note_lines, shorten
from watch.netguard import AddressPolicy, BlockedAddress, UnresolvableHost, guarded_transport
from watch.store.base import DigestRecord

CHAT_PICKS = 5
CHAT_STORIES_PER_TOPIC = 3
CHAT_NOTE = 300
"""Characters of a pick's note shown in the chat (the mail shows all of it)."""
MAX_ANSWER = 200
"""Characters of a refusing server's answer kept in the error."""
ANSWER_CAP = 16 * 1024
"""Bytes of the server's answer read at most."""
MIN_SECRET = 6
"""A URL's path or query shorter than this is not hidden in messages (it would hide words)."""
CHAT_RECORD = " chat:"
EDITION_RECORD = " edition:"


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


def edition_record_key(week: str, edition: str) -> str:
    """The ``DigestRecord`` key of ``edition``'s mail of ``week``: "2026-W47 edition:client"."""
    return f"{week}{EDITION_RECORD}{edition}"


def split_record_key(key: str) -> tuple[str, str | None]:
    """The week (with " extra" if so) and the chat of a ``DigestRecord`` key; the chat is None
    for a mail, the digest's or an edition's."""
    week, separator, chat = key.partition(CHAT_RECORD)
    return week.partition(EDITION_RECORD)[0], (chat if separator else None)


class RecordPlace(NamedTuple):
    """Where a ``DigestRecord`` went (``record_place``)."""

    week: str
    """The week, with " extra" if so."""
    chat: str | None
    """The chat's name; None for a mail."""
    kind: str
    """The chat's platform ("slack"), from its recipients; "" for a mail."""
    edition: str | None
    """The edition's name; None for the digest's own mail and chats."""


def record_place(record: DigestRecord) -> RecordPlace:
    """Where ``record`` went, read from its key and its recipients ("slack:team")."""
    week, chat = split_record_key(record.week)
    kind = record.recipients[0].partition(":")[0] if chat and record.recipients else ""
    _, separator, edition = record.week.partition(EDITION_RECORD)
    return RecordPlace(week, chat, kind, edition if separator else None)


# -- the message ------------------------------------------------------------------------------


def chat_text(digest: Digest, kind: str) -> str:
    """The compact message of ``digest`` for a ``kind`` chat (slack, mattermost), within its
    ``LIMITS``."""
    syntax, words = SYNTAX[kind], digest.language
    head = [emphasis(syntax.bold, syntax.text(digest.subject)), syntax.text(digest.overview_line)]
    blocks, hidden = _section_blocks(digest, syntax)
    if not blocks:
        head.append("\n" + syntax.text(words.say("no_stories")))
    reserve = len(_footer(digest, syntax, digest.story_count)) + 1
    budget = LIMITS[kind] - len("\n".join(head)) - reserve
    body, left_out = fit_blocks(blocks, budget)
    return "\n".join(head + body + [_footer(digest, syntax, hidden + left_out)]).rstrip() + "\n"


def _section_blocks(digest: Digest, syntax: ChatSyntax) -> tuple[list[tuple[str, int]], int]:
    """Each section's heading with its first story, then each other story, as (text, stories)
    blocks; and the number of stories left out by the per-section caps."""
    blocks: list[tuple[str, int]] = []
    hidden = 0
    for section in digest.sections:
        shown = CHAT_PICKS if section.topic == PICKS_TOPIC else CHAT_STORIES_PER_TOPIC
        hidden += max(len(section.stories) - shown, 0)
        stories = [_story(story, syntax, digest) for story in section.stories[:shown]]
        if stories:
            heading = "\n" + emphasis(syntax.bold, syntax.text(section.label))
            blocks.append((f"{heading}\n{stories[0]}", 1))
            blocks.extend((story, 1) for story in stories[1:])
    return blocks, hidden


def _story(story: DigestStory, syntax: ChatSyntax, digest: Digest) -> str:
    words = digest.language
    details = _note(story, words)
    return story_line(
        syntax, words, story.title, story.link, story.source,
        board_link=story.board_link, details=details, also_covered_by=story.also_covered_by,
    )  # fmt: skip


def _note(story: DigestStory, words: DigestLanguage) -> list[str]:
    """The team's note on a pick as its lines, "Note:" first, cut at ``CHAT_NOTE`` characters
    (the mail has all of it); nothing for a story: its why line is the mail's."""
    lines = note_lines(story.note, CHAT_NOTE)
    return [f"{words.say('note')} {lines[0]}", *lines[1:]] if lines else []


def _footer(digest: Digest, syntax: ChatSyntax, hidden: int) -> str:
    words = digest.language
    lines = [syntax.text(words.say("chat_more", count=hidden))] if hidden else []
    if digest.board_url:
        board = syntax.link(digest.board_url, syntax.text(words.say("open_board")))
        lines.append(f"{board} {syntax.text(words.say('board_for'))}")
    return "\n" + "\n".join(lines) if lines else ""


def chat_payload(digest: Digest, kind: str) -> dict[str, Any]:
    """The JSON body of the webhook POST for a ``kind`` chat."""
    return payload(chat_text(digest, kind), kind)


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
