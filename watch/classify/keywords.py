"""Keyword rules of the topics: one scan per text gives every topic's evidence and vetoes.

Owns how a topic's ``keywords`` and ``exclude`` phrases match an article (whole words, accents
folded, light plurals, case-sensitive acronyms, prefixes such as "Datenschutz*": see
``watch.classify.phrases``; a prefix's reason quotes the word it matched: "matched
'Datenschutzverletzung' in title (keyword 'Datenschutz*')") and how matches become a keyword
confidence.  The "summary" here is all the classifier reads but the title
(``Article.text_for_topics``: the feed's summary, then the start of the page's text for a
``full_text:`` source), so its reasons say "in text" ("matched 'CERT-FR' in text"; reasons
stored before say "in summary", which ``watch.digest_words`` still reads).  Confidence: title
match 1.0, summary match 0.5 per distinct keyword, then ``1 - exp(-sum)``.  Evidence is
*strong* from STRONG_SCORE (a title match or two distinct summary keywords) and *weak* below
(one summary mention).  A capitalized name keyword such as "Go" or "Mac" is matched
case-sensitively, but a headline's first word or a Title Case headline capitalizes every word,
so such a title match says little ("Go with the flow"): it counts as a summary mention (weak)
instead.  One stretch of text is one piece of evidence: keywords equal once folded ("open
source" and "open-source", "régulation" and "regulation") count once, a keyword inside a longer
one of the same topic ("AI" in "AI Act") not at all, nor a second keyword on the same words
("Daten*" and "Datenschutz*" on "Datenschutzverletzung").  Also holds ``keyword_baseline``, the
plain Miniflux/FreshRSS-style filter the benchmark compares against.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from watch.classify.phrases import Phrase, PhraseIndex, make_phrase
from watch.config import TopicConfig
from watch.text import Term, terms_of

TITLE_WEIGHT = 1.0
SUMMARY_WEIGHT = 0.5
STRONG_SCORE = 1.0
"""Keyword evidence from this score is strong: a title match or two distinct summary keywords."""
Match = tuple[tuple[str, str], Phrase, int, str]
"""((topic name, "keyword" or "exclude"), phrase, index of its first word, what a prefix
keyword matched: "Datenschutzverletzung" for "Datenschutz*", else "") from the index."""


@dataclass
class Evidence:
    """Keyword evidence for one topic in one article."""

    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    vetoed: str | None = None
    keywords: set[tuple[str, ...]] = field(default_factory=set)
    """The keywords that matched (as folded word keys)."""

    @property
    def strong(self) -> bool:
        """A title match or several summary keywords, and no exclude."""
        return not self.vetoed and self.score >= STRONG_SCORE


class KeywordRules:
    """The topics' keywords and excludes, indexed for one scan per text."""

    def __init__(self, topics: Sequence[TopicConfig]):
        self.names = [t.name for t in topics]
        self.index = PhraseIndex(
            [((t, "keyword"), p) for t, p in _phrases(topics, exclude=False)]
            + [((t, "exclude"), p) for t, p in _phrases(topics, exclude=True)]
        )

    def evidence(self, title: list[Term], summary: list[Term]) -> dict[str, Evidence]:
        """Topic name → evidence, only for topics with at least one keyword or exclude match."""
        return self._evidence(self.index.find_at(title), self.index.find_at(summary), title)

    def words_evidence(self, title: list[str], summary: list[str]) -> dict[str, Evidence]:
        """``evidence`` of texts given as ``split_words``: Terms are made only where a keyword
        or exclude starts (most texts have none)."""
        in_title = self.index.find_in(title)
        in_summary = self.index.find_in(summary)
        if not in_title and not in_summary:
            return {}
        return self._evidence(in_title, in_summary, terms_of(title) if in_title else [])

    def _evidence(
        self, in_title: list[Match], in_summary: list[Match], title: list[Term]
    ) -> dict[str, Evidence]:
        """Evidence from the phrases found in the title and summary (``title``: its Terms)."""
        found: dict[str, Evidence] = {}
        for where, matches, weight in (
            ("title", in_title, TITLE_WEIGHT),
            ("text", in_summary, SUMMARY_WEIGHT),
        ):
            seen: set[tuple[str, tuple[str, ...]]] = set()
            for (topic, kind), phrase, start, written in _counted(matches):
                ev = found.get(topic)
                if ev is None:
                    ev = found[topic] = Evidence()
                if kind == "exclude":
                    ev.vetoed = "excluded by " + _found(phrase, written, where)
                elif (topic, phrase.keys) not in seen:
                    seen.add((topic, phrase.keys))
                    ev.keywords.add(phrase.keys)
                    if where == "title" and _ambiguous_name(phrase, start, title):
                        ev.score += SUMMARY_WEIGHT
                        weak = "may be an ordinary word there: weak"
                        ev.reasons.append("matched " + _found(phrase, written, where, weak))
                    else:
                        ev.score += weight
                        ev.reasons.append("matched " + _found(phrase, written, where))
        return found


def _found(phrase: Phrase, written: str, where: str, note: str = "") -> str:
    """What matched where, in words: "'cloud' in title", "'cloud' in text" (the summary or the
    page's text), "'Datenschutzverletzung' in title (keyword 'Datenschutz*')", a note after
    ("may be an ordinary word there: weak")."""
    said = f"'{written or phrase.text}' in {where}"
    notes = [f"keyword '{phrase.text}'"] if written else []
    notes += [note] if note else []
    return f"{said} ({'; '.join(notes)})" if notes else said


def _counted(matches: list[Match]) -> list[Match]:
    """The matches that count: a keyword inside a longer keyword match of the same topic at the
    same place ("AI" in "AI Act", "data" in "open data") is the same evidence, not more, and so
    is a second keyword on the same words ("Datenschutz" and "Datenschutz*" on "Datenschutz")."""
    spans = [
        (n, m[0], m[2], m[2] + len(m[1].keys))
        for n, m in enumerate(matches)
        if m[0][1] == "keyword"
    ]
    return [
        m
        for n, m in enumerate(matches)
        if m[0][1] == "exclude"
        or not any(
            tag == m[0]
            and start <= m[2]
            and m[2] + len(m[1].keys) <= end
            and (end - start > len(m[1].keys) or other < n)
            for other, tag, start, end in spans
        )
    ]


def _is_title_case(words: list[Term]) -> bool:
    """Whether most longer words of a headline start with a capital ("Can Still Go to the")."""
    long_words = [w.cased for w in words if len(w.cased) > 3 and w.cased[0].isalpha()]
    capitalized = sum(1 for w in long_words if w[0].isupper())
    return len(long_words) >= 2 and capitalized * 4 >= len(long_words) * 3


def _ambiguous_name(phrase: Phrase, start: int, title: list[Term]) -> bool:
    """A capitalized case-sensitive keyword ("Go", "Mac") where headlines capitalize anyway."""
    first = phrase.cased[0]
    capitalized = phrase.case_sensitive and first[:1].isupper() and not first.isupper()
    return capitalized and (start == 0 or _is_title_case(title))


def _phrases(topics: Sequence[TopicConfig], exclude: bool) -> list[tuple[str, Phrase]]:
    result = []
    for topic in topics:
        for keyword in topic.exclude if exclude else topic.keywords:
            phrase = make_phrase(keyword)
            if phrase is not None:
                result.append((topic.name, phrase))
    return result


def keyword_confidence(score: float) -> float:
    """Keyword evidence score → confidence in [0, 1): one title match 0.63, one summary 0.39."""
    return 1.0 - math.exp(-score)


def keyword_baseline(topics: Sequence[TopicConfig], title: str, summary: str) -> set[str]:
    """The plain keyword filter (Miniflux/FreshRSS style): any keyword as a whole word,
    case-insensitive, in the title or summary.  No accents folding, plurals or model."""
    text = f"{title}\n{summary}"
    found = set()
    for topic in topics:
        for keyword in topic.keywords:
            pattern = r"(?<!\w)" + re.escape(keyword) + r"(?!\w)"
            if re.search(pattern, text, re.IGNORECASE):
                found.add(topic.name)
                break
    return found
