"""What a stored fetch error means and what to do about it: one table, read by ``watch fetch``,
``watch status``, ``watch run``'s log, the board's Sources page and the digest's source health.

Only the error's words are stored on a source (``SourceState.last_error``), so ``failure_kind``
reads the kind back from the fixed words the fetch, guard and parse stages write ("HTTP 404",
"TLS error", "refused: … address", "timed out", "not a feed"…); the first rule that matches wins.
A ``transient`` kind is retried on its own with backoff (``watch.health`` says when); its advice,
if any, is what to do if it keeps failing.  The advice is a value (``failure_steps``) said in
the reader's language by ``watch.advice_words``; ``failure_advice`` says it in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from watch.advice_words import ENGLISH_PHRASES, Said, english


@dataclass(frozen=True)
class FailureKind:
    """A kind of failure: its ``name``, what it ``means`` for the user, and whether it is
    ``transient``.  What to do about it is the phrase ``failure_<name>`` of
    ``watch.advice_words`` (``failure_steps``); a kind without one has no specific advice."""

    name: str
    means: str
    transient: bool = False


KINDS = {
    kind.name: kind
    for kind in (
        FailureKind("selector", "the page no longer matches the source's selectors"),
        FailureKind("moved", "the address no longer exists"),
        FailureKind("gone", "the source is gone for good"),
        FailureKind("refused", "the site refuses us"),
        FailureKind("slow_down", "the site asks us to slow down", transient=True),
        FailureKind("server", "the site has a server problem", transient=True),
        FailureKind("tls", "the secure connection failed"),
        FailureKind("private", "the address is private"),
        FailureKind("timeout", "the site did not answer in time", transient=True),
        FailureKind("down", "the site is down", transient=True),
        FailureKind("dns", "the host name does not resolve", transient=True),
        FailureKind("network", "the connection broke", transient=True),
        FailureKind("too_large", "the document is larger than fetch.max_bytes"),
        FailureKind("not_a_feed", "the address is not a feed"),
        FailureKind("unreadable", "the document could not be read"),
        FailureKind("other", "the fetch failed"),
    )
}
_HTTP_STATUS = re.compile(r"\bHTTP ([1-5]\d\d)\b")
_HTTP_KINDS = {401: "refused", 403: "refused", 404: "moved", 410: "gone", 429: "slow_down"}
_WORDS = (  # (words in the error, kind), after the HTTP status; the first that matches wins
    ("TLS error", "tls"),
    ("certificate", "tls"),
    ("timed out", "timeout"),
    ("connection refused", "down"),
    ("could not connect", "down"),
    ("DNS lookup failed", "dns"),
    ("network error with", "network"),
    ("broke the HTTP protocol", "network"),
    ("could not read robots.txt", "network"),
    ("larger than", "too_large"),
    ("not a feed", "not_a_feed"),
    ("parse", "unreadable"),
)


def failure_kind(error: str | None, empty_selector: bool = False) -> FailureKind:
    """The kind of a stored failure: a page's ``empty_selector`` first, then the HTTP status,
    then the guard's refusal of an address, then the fixed words of the other stages."""
    text = error or ""
    if empty_selector or "select." in text:
        return KINDS["selector"]
    code = _HTTP_STATUS.search(text)
    if code and "robots.txt" not in text:
        number = int(code[1])
        return KINDS[_HTTP_KINDS.get(number, "server" if number >= 500 else "other")]
    if "refused: " in text and " address" in text:
        return KINDS["private"]
    return KINDS[next((kind for words, kind in _WORDS if words in text), "other")]


def failure_steps(
    error: str | None, url: str, empty_selector: bool = False, site: str | None = None
) -> Said | None:
    """What the user can do about a failure of the source at ``url``, to be put into words
    (``watch.advice_words``; None: nothing specific); ``site``: the source's home page, named
    in the advice to open it."""
    kind = failure_kind(error, empty_selector)
    key = f"failure_{kind.name}" + ("_no_site" if kind.name == "moved" and not site else "")
    if key not in ENGLISH_PHRASES:
        return None
    return Said(key, {"url": url, "target": _refused_target(error or "", url), "site": site})


def failure_advice(
    error: str | None, url: str, empty_selector: bool = False, site: str | None = None
) -> str | None:
    """``failure_steps`` in English, as the terminal commands write it."""
    return english(failure_steps(error, url, empty_selector, site))


def _refused_target(error: str, url: str) -> str:
    """``host:port`` to allow: the redirect's target a refusal names, else ``url``'s."""
    redirect = re.search(r"redirect to (?:(\S+) = )?(\S+) \(", error)
    if redirect and redirect[1]:
        return f"{redirect[1]}:{redirect[2].rpartition(':')[2]}"
    if redirect:
        return redirect[2]
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
