"""How the digest words things: one-line texts, safe links without trackers, the days of a
week, why a story is there and what it says, Markdown escaping.

Pure functions on strings and articles, also used as template filters by ``watch.digest``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from watch.models import StoredArticle
from watch.normalize import is_http_url, is_tracking_param

MAX_WHY = 160
MAX_SUMMARY = 220
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SPACES = re.compile(r"\s+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|~&])")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Fixed English abbreviations (the templates are English), whatever the process locale."""
_KEYWORD_REASON = re.compile(r"^matched '(?P<keyword>.+)' in (?P<where>title|summary)")
"""A keyword reason as ``watch.classify.keywords`` words it."""


def clean_line(text: str | None) -> str:
    """One line of text: control characters (CR, LF, NUL…) and runs of spaces become one space."""
    if not text:
        return ""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL without spaces or control characters."""
    if not url or _CONTROL.search(url) or any(ch.isspace() for ch in url):
        return None
    return url if is_http_url(url) else None


def without_trackers(url: str) -> str:
    """``url`` without tracking parameters (utm_*, fbclid… as ``watch.normalize`` lists them);
    every other parameter, their order and spelling, and the fragment stay as published."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    kept = [pair for pair in parts.query.split("&") if pair and not _is_tracker(pair)]
    return urlunsplit(parts._replace(query="&".join(kept)))


def _is_tracker(pair: str) -> bool:
    return is_tracking_param(unquote_plus(pair.partition("=")[0]))


def week_period(week: str) -> str:
    """The days of ISO ``week`` as people write them: "16–22 Nov 2026", "30 Nov – 6 Dec 2026",
    "28 Dec 2026 – 3 Jan 2027"."""
    year, _, number = week.partition("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    sunday = monday + timedelta(days=6)
    first, last = (f"{day.day} {_MONTHS[day.month - 1]}" for day in (monday, sunday))
    if monday.year != sunday.year:
        return f"{first} {monday.year} – {last} {sunday.year}"
    if monday.month != sunday.month:
        return f"{first} – {last} {sunday.year}"
    return f"{monday.day}–{last} {sunday.year}"


def markdown_escape(text: str) -> str:
    """Escape Markdown syntax so a feed title cannot become a link, image or heading."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean_line(text))


def markdown_url(url: str) -> str:
    """Percent-encode what would end a Markdown link target early (spaces, parentheses, <>)."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%-._~")


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
    return cut.rstrip(" ,;:.-–—") + "…"


def why_line(article: StoredArticle, topic: str, label: str) -> str:
    """Why the article is in the ``topic`` section, for a reader who never saw sources.yaml:
    "Security: 'CVE' in the title, 'patch' in the text" — the topic's label, the keywords that
    matched where they matched, or "worded like other articles on it" for the model's call."""
    match = next((m for m in article.topics if m.name == topic), None)
    if match is None:
        return shorten(label, MAX_WHY)
    in_title: list[str] = []
    in_text: list[str] = []
    other: list[str] = []
    for reason in match.reasons:
        found = _KEYWORD_REASON.match(reason)
        if found:
            place = in_title if found["where"] == "title" else in_text
            place.append(f"'{found['keyword']}'")
        elif reason.startswith("source is tagged"):
            other.append("a source that follows it")
        else:
            other.append("worded like other articles on it")
    said = [f"{', '.join(in_title)} in the title"] if in_title else []
    said += [f"{', '.join(in_text)} in the text"] if in_text else []
    said += list(dict.fromkeys(other))
    return shorten(f"{label}: {'; '.join(said)}" if said else label, MAX_WHY)


def summary_line(article: StoredArticle) -> str:
    """The start of the article's text (at most MAX_SUMMARY characters, cut at a word), or ""
    when it only repeats the title."""
    text, title = clean_line(article.summary_text), clean_line(article.title)
    if not text or text.casefold() == title.casefold():
        return ""
    if text.casefold().startswith(title.casefold()) and len(title) > 20:
        text = text[len(title) :].lstrip(" .:-–—")
    return shorten(text, MAX_SUMMARY)
