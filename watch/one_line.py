"""One line of untrusted text, fit to show: control characters (CR, LF, NUL…) and runs of spaces
made one space, a lone no-break space kept (French puts one before ":"), a line cut at a word
with "…", and the http(s) URLs in a text found and checked (absolute, no space, no control
character), never fetched.

Pure functions on strings.  ``watch.digest_words`` builds the digest's words with them (and the
modules that import them from there, the board's included, get these same functions).
"""

from __future__ import annotations

import re

from watch.normalize import is_http_url

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SPACES = re.compile(r"\s+")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'«»]+", re.IGNORECASE)
_URL_TRAILER = ".,;:!?)]}’”"
"""Punctuation that ends a sentence after a URL rather than the URL itself."""
_NO_BREAK_SPACES = ("\u00a0", "\u202f")
"""A lone no-break space is kept: French typesetting puts one before ":" (``watch.digest_lang_fr``)."""


def clean_line(text: str | None) -> str:
    """One line of text: control characters (CR, LF, NUL…) and runs of spaces become one space
    (a lone no-break space stays: "Sécurité\u202f: …")."""
    if not text:
        return ""
    return _SPACES.sub(_one_space, _CONTROL.sub(" ", text)).strip()


def _one_space(spaces: re.Match[str]) -> str:
    return spaces[0] if spaces[0] in _NO_BREAK_SPACES else " "


def text_and_urls(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into its http(s) URLs (True; a sentence's closing punctuation left out) and
    the text around them (False)."""
    parts: list[tuple[str, bool]] = []
    end = 0
    for found in _URL_IN_TEXT.finditer(text):
        url = found[0].rstrip(_URL_TRAILER)
        if not safe_url(url):
            continue
        parts += [(text[end : found.start()], False), (url, True)]
        end = found.start() + len(url)
    return [*parts, (text[end:], False)]


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL without spaces or control characters, as
    written (the board percent-encodes it first for its Markdown: ``dashboard.view.link_target``)."""
    if not url or _CONTROL.search(url) or any(ch.isspace() for ch in url):
        return None
    return url if is_http_url(url) else None


def shorten(text: str, limit: int) -> str:
    """``clean_line(text)`` of at most ``limit`` characters, cut at a word when one ends in its
    last fifth, with "…"."""
    text = clean_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(" \u00a0\u202f,;:.-–—") + "…"
