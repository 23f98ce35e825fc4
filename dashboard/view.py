"""Pure formatting for the board: safe Markdown, safe links, ages, chips, a card's words.

Everything here turns stored data into text the pages can hand to Streamlit, in the board's
language (``words``: a ``dashboard.words.BoardWords``, English when not given).  Feed text is
untrusted: ``escape_markdown`` makes it inert in ``st.markdown`` (no links, images, HTML, LaTeX
or colour directives), ``link_target`` lets only http(s) links through.  No store, no Streamlit:
these functions are plain and tested directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from dashboard.words import ENGLISH, BoardWords
from watch.classify.model import MODEL_CONFIDENT
from watch.config import WatchConfig
from watch.config.fields import FOLDER_SEPARATOR, folder_path
from watch.digest_words import note_lines, safe_url, shorten, text_and_urls, why_line
from watch.models import ArticleText, StoredArticle
from watch.store.base import MAX_NOTE, OFF_TOPIC

_SPACES = re.compile(r"[^\S\u00a0\u202f]+")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'^%@])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every Markdown/HTML/LaTeX special character so the text shows as typed
    (runs of spaces become one; a no-break space stays: French puts one before ":")."""
    flat = _SPACES.sub(" ", text).strip()
    return _MARKDOWN_SPECIALS.sub(r"\\\1", flat)


def link_target(url: str | None) -> str | None:
    """The target of a Markdown link ``[label](target)`` to ``url``: the URL percent-encoded
    (spaces, parentheses, backticks, non-ASCII) when it is http(s) with a host
    (``watch.digest_words.safe_url``, the digest's check of an address as written); else None.
    A target only: it keeps ``[ ] $ * : '``, so it is no text to show (``escape_markdown``)."""
    if not url:
        return None
    return safe_url(quote(url.strip(), safe=":/?#[]@!$&'*+,;=%~-._"))


def markdown_link(title: str, url: str | None, words: BoardWords = ENGLISH) -> str:
    """An escaped title, as a Markdown link only when the URL is http(s)."""
    label = escape_markdown(title) or words.digest.say("untitled")  # the digest's word
    target = link_target(url)
    return f"[{label}]({target})" if target else label


def score_words(article: StoredArticle, words: BoardWords = ENGLISH) -> str:
    """A card's score in words, bold: ``**Score 72**`` (a bare "72" means nothing read aloud),
    a star before it when the article is starred."""
    star = ":material/star: " if article.starred else ""
    return f"{star}**{words.say('score', score=f'{article.score:.0f}')}**"


def escape_cells(row: Mapping[str, object]) -> dict[str, object]:
    """A row for ``st.table``, whose headers and cells are Markdown: each key and text escaped
    (``escape_markdown``), numbers kept."""
    return {
        escape_markdown(key): escape_markdown(value) if isinstance(value, str) else value
        for key, value in row.items()
    }


def humanize_age(when: datetime | None, now: datetime, words: BoardWords = ENGLISH) -> str:
    """``5 min ago``, ``3 h ago``, ``2 d ago``; ``in 2 h`` for a future time; ``never``
    ("il y a 3 h", "vor 2 Tagen")."""
    if when is None:
        return words.say("never")
    delta = now - _aware(when)
    future = delta.total_seconds() < 0
    seconds = abs(delta.total_seconds())
    if seconds < 60:
        return words.say("now" if future else "just_now")
    if seconds < 3600:
        amount = words.say("minutes", count=int(seconds // 60))
    elif seconds < 86400:
        amount = words.say("hours", count=int(seconds // 3600))
    else:
        amount = words.say("days", count=int(seconds // 86400))
    return words.say("in" if future else "ago", amount=amount)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


DATED_BEYOND = timedelta(days=7)
"""A card older (or further ahead) than this shows its date, not "3442 d ago"."""


def published_words(
    when: datetime | None, now: datetime, timezone: str = "UTC", words: BoardWords = ENGLISH
) -> str:
    """``3 h ago`` within a week of ``now``; beyond, the day in the readers' zone
    (``digest.timezone``): ``12 Nov 2026`` ("12 nov. 2026", "12. November 2026")."""
    if when is None or abs(now - _aware(when)) < DATED_BEYOND:
        return humanize_age(when, now, words)
    return words.date(_aware(when).astimezone(ZoneInfo(timezone)).date())


def note_markdown(note: str) -> str:
    """The team's note as Markdown, its lines kept (the digest's ``note_lines``), each escaped
    and in italics; its http(s) URLs are links (``link_target``), anything else stays text."""
    lines = []
    for line in note_lines(note, MAX_NOTE):
        parts = [
            _linked(part) if is_url else _escaped(part) for part, is_url in text_and_urls(line)
        ]
        lines.append(f"_{''.join(parts)}_")
    return "  \n".join(lines)


def _escaped(text: str) -> str:
    """``escape_markdown`` keeping the spaces around ``text`` (a piece of a line)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _linked(url: str) -> str:
    target = link_target(url)
    return f"[{escape_markdown(url)}]({target})" if target else escape_markdown(url)


WORDS_PER_MINUTE = 200
"""Reading speed: a text of 800 words reads in "4 min"."""
TEXT_START = 300
"""Characters of the page's text a card shows as its summary when the feed gave none."""
TEXT_SHOWN = 20_000
"""Characters of the page's text a card shows (about 3,000 words; texts may hold 100,000)."""


def summary_markdown(article: StoredArticle, text: ArticleText | None = None) -> str:
    """A card's summary, escaped: the feed's, else the start of the page's ``text``
    (``full_text:``, cut at a word with "…"); "" when there is neither."""
    if article.summary_text.strip():
        return escape_markdown(article.summary_text)
    if text is not None and text.text.strip():
        return escape_markdown(shorten(text.text, TEXT_START))
    return ""


def paragraphs_markdown(text: str) -> str:
    """Plain text whose paragraphs are separated by blank lines as Markdown: each paragraph
    escaped (``escape_markdown``), so nothing in it is a link, an image, HTML or a heading."""
    escaped = (escape_markdown(part) for part in text.split("\n\n"))
    return "\n\n".join(part for part in escaped if part)


def text_shown(text: str, limit: int = TEXT_SHOWN) -> tuple[str, int]:
    """The paragraphs of ``text`` a card shows (those starting within ``limit`` characters: a
    card is sent to the browser at every rerun, its closed expander included) and how many
    words are left out (0: all of it)."""
    if len(text) <= limit:
        return text, 0
    cut = text.rfind("\n\n", 0, limit)  # whole paragraphs, unless that leaves half out
    shown = text[:cut] if cut > limit // 2 else text[:limit].rsplit(" ", 1)[0]
    return shown, len(text[len(shown) :].split())


def reading_length(text: str, words: BoardWords = ENGLISH) -> str:
    """How long ``text`` is to read: "4 min read"; under a minute, its words ("120 words")."""
    count = len(text.split())
    if count < WORDS_PER_MINUTE:
        return words.say("text_words", count=count)
    return words.say("text_minutes", count=round(count / WORDS_PER_MINUTE))


def source_choice(config: WatchConfig, name: str) -> str:
    """A source as offered in a list to pick from: ``Label (name)``, or the name alone when it
    has no label (the name is what sources.yaml and ``watch fetch --source`` use)."""
    label = config.source_label(name)
    return name if label == name else f"{label} ({name})"


def topic_labels(config: WatchConfig, words: BoardWords = ENGLISH) -> dict[str, str]:
    """Topic name -> label from sources.yaml, plus the special ``off-topic`` in ``words``."""
    return {**config.topic_labels, OFF_TOPIC: words.say("off_topic")}


def folder_names(config: WatchConfig) -> list[str]:
    """Every folder of the sources, a nested one after its parents ("Dev", "Dev / Python"),
    read as the OPML export reads them (``folder_path``)."""
    names: set[str] = set()
    for source in config.sources:
        path = folder_path(source.folder)
        names.update(FOLDER_SEPARATOR.join(path[: depth + 1]) for depth in range(len(path)))
    return sorted(names, key=str.casefold)


def sources_in(config: WatchConfig, folders: list[str]) -> list[str]:
    """The names of the sources filed in one of ``folders`` or in a folder nested inside one."""
    wanted = [path for path in map(folder_path, folders) if path]
    return [
        source.name
        for source in config.sources
        if any(folder_path(source.folder)[: len(path)] == path for path in wanted)
    ]


def with_count(label: str, unread: int, words: BoardWords = ENGLISH) -> str:
    """A sidebar choice with its unread articles: "Security (12)"; bare when none."""
    return f"{label} ({words.number(unread)})" if unread else label


def folder_unread(config: WatchConfig, folder: str, unread: Mapping[str, int]) -> int:
    """Unread articles of the sources in ``folder`` and the folders nested in it."""
    return sum(unread.get(name, 0) for name in sources_in(config, [folder]))


UNSURE_BELOW = MODEL_CONFIDENT
"""A topic below the probability from which the model always assigns one (a calibrated guess
without keyword evidence to back it) is shown as a question, gray: the reader sees it is a
guess and can answer it with "not about"."""


def topic_chips(article: StoredArticle, labels: dict[str, str]) -> str:
    """Topic badges as Markdown (``:blue-badge[…]``, unsure ones ``:gray-badge[… ?]``) with
    escaped labels, most confident first; none: the ``OFF_TOPIC`` badge, in the board's words
    (``topic_labels``: a phrase of the board, not escaped)."""
    chips = []
    for match in sorted(article.topics, key=lambda m: -m.confidence):
        label = escape_markdown(labels.get(match.name, match.name))
        unsure = match.confidence < UNSURE_BELOW
        chips.append(f":gray-badge[{label} ?]" if unsure else f":blue-badge[{label}]")
    return " ".join(chips) if chips else f":gray-badge[{labels.get(OFF_TOPIC, OFF_TOPIC)}]"


def other_sources(article: StoredArticle) -> int:
    """How many other sources cover the same story (from the article's cluster)."""
    if article.cluster_sources:
        return len(set(article.cluster_sources) - {article.source})
    return max(article.cluster_size - 1, 0)


def article_caption(
    article: StoredArticle,
    now: datetime,
    source_label: str = "",
    timezone: str = "UTC",
    words: BoardWords = ENGLISH,
) -> str:
    """``source · 3 h ago · also covered by 2 sources`` (``12 Nov 2026`` beyond a week, a day of
    ``timezone``), escaped; the source shown by its ``source_label`` when given."""
    when = published_words(article.published, now, timezone, words)
    parts = [escape_markdown(source_label or article.source), when]
    others = other_sources(article)
    if others:
        parts.append(words.say("also_covered", count=others))
    if not article.date_from_feed:
        parts.append(words.say("date_first_seen"))
    return " · ".join(parts)


def judgement_words(
    said: str,
    before: float,
    after: float,
    others_moved: int = 0,
    effect: str = "",
    words: BoardWords = ENGLISH,
) -> str:
    """What a board vote or topic correction changed, as its toast says it (the facts `watch
    feedback` prints): ``Liked: score 72 → 82 (and 2 other articles of this story)``,
    ``Not about Cloud: removed, score 75 → 60``; ``effect`` is "added", "removed" or "";
    ``said`` is escaped here."""
    moved = round(before) != round(after)
    change = (
        words.say("score_moved", before=f"{before:.0f}", after=f"{after:.0f}")
        if moved
        else words.say("score_unchanged")
    )
    others = words.say("others_moved", count=others_moved) if others_moved else ""
    key = f"judged_{effect}" if effect else "judged"
    return words.say(key, said=escape_markdown(said), change=change, others=others)


def score_lines(
    article: StoredArticle, labels: Mapping[str, str] | None = None, words: BoardWords = ENGLISH
) -> list[str]:
    """The score explanation as escaped Markdown list items (parts, reasons, topics), each
    topic's reasons once: from the explanation, else from the topic itself.  A topic is shown
    by its label (``topic_labels``) with its confidence in percent; the stored explanation
    names topics by label too (``watch.score``), by name when written before labels were.
    In another language than English: ``translated_score_lines``."""
    labels = labels or {}
    if words.code != ENGLISH.code:
        return translated_score_lines(article, labels, words)
    topics = set(labels) | set(labels.values()) | {match.name for match in article.topics}
    lines = [_explanation_line(line, topics, labels) for line in article.explanation]
    for name, value in sorted(article.score_parts.items(), key=lambda p: -abs(p[1])):
        lines.append(f"{escape_markdown(name)}: {value:+.1f}")
    explained = {
        found["name"]
        for line in article.explanation
        if (found := _STORED_TOPIC_LINE.fullmatch(line)) is not None
    }
    for match in article.topics:
        if explained & {match.name, labels.get(match.name, match.name)}:
            continue  # the explanation already gives this topic's reasons
        reasons = ", ".join(match.reasons) if match.reasons else "no reason recorded"
        lines.append(_topic_line(labels.get(match.name, match.name), match.confidence, reasons))
    return lines or ["No explanation stored for this score."]


def translated_score_lines(
    article: StoredArticle, labels: Mapping[str, str], words: BoardWords
) -> list[str]:
    """The score explained in ``words``' language: each part by its name there ("fraîcheur :
    +7,5"), then why the article is about each topic as the digest says it
    (``watch.digest_words.why_line``: "Sécurité 90 % : « cve » dans le titre").  The
    stored explanation is English prose (``watch.score``): it is not shown."""
    mark = words.digest.decimal_mark
    lines = [
        words.say(
            "part_line",
            name=escape_markdown(
                words.say(f"part_{name}") if words.knows(f"part_{name}") else name
            ),
            points=f"{value:+.1f}".replace(".", mark),
        )
        for name, value in sorted(article.score_parts.items(), key=lambda p: -abs(p[1]))
    ]
    for match in sorted(article.topics, key=lambda m: -m.confidence):
        label = words.say(
            "topic_line",
            label=labels.get(match.name, match.name),
            percent=round(match.confidence * 100),
        )
        if not match.reasons:
            label = words.say("part_line", name=label, points=words.say("no_reason"))
        lines.append(escape_markdown(why_line(article, match.name, label, words.digest)))
    return lines or [words.say("no_explanation")]


_STORED_TOPIC_LINE = re.compile(r"(?P<name>.+?) (?P<confidence>\d+\.\d\d): (?P<why>.*)")
"""A topic's line as ``watch.score`` stores it: ``Sécurité 1.00: matched 'cve' in title``
(its label; its name in explanations written before)."""


def _explanation_line(line: str, topics: set[str], labels: Mapping[str, str]) -> str:
    found = _STORED_TOPIC_LINE.fullmatch(line)
    if found is None or found["name"] not in topics:
        return escape_markdown(line)
    label = labels.get(found["name"], found["name"])
    return _topic_line(label, float(found["confidence"]), found["why"])


def _topic_line(label: str, confidence: float, reasons: str) -> str:
    """``Sécurité 100%: matched …``, escaped."""
    return f"{escape_markdown(label)} {round(confidence * 100)}%: {escape_markdown(reasons)}"
