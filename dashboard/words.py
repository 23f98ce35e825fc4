"""The board's words, in the language it is written in: ``board: language:`` in sources.yaml,
else the digest's (``digest: language:``), so a team that reads its digest in French reads its
board in French too (``board_language``).

Every word the board writes itself comes from a ``BoardWords``: ``words.say("mark_read")``.
Its phrases are one table per language (``dashboard.words_en``, ``words_fr``, ``words_de``),
with exactly the same keys and placeholders (tests/test_board_words.py), said as the digest's
phrases are (``watch.digest_lang.DigestLanguage.say``): ``{count:article}`` is a count with its
noun in the right number ("0 article" in French, "2 Artikel" in German), a float takes the
language's decimal mark.  What the digest already says is taken from the digest's table of the
same language, so both say it alike: months and day names, what a kind of fetch failure means,
why an article is about a topic (``watch.digest_words.why_line``).  Feed text and the topic and
source labels of sources.yaml are never translated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from dashboard import words_de, words_en, words_fr
from watch.config import WatchConfig
from watch.digest_lang import LANGUAGES, DigestLanguage


@dataclass(frozen=True)
class BoardWords:
    """The board's words in one language."""

    code: str
    """The language tag: ``board: language:`` (or ``digest: language:``)."""
    digest: DigestLanguage
    """The digest's table of the same language: dates, failure meanings, topic reasons."""
    phrases: DigestLanguage
    """The board's phrases, counted with the digest's rules and the board's plurals too."""
    thousands: str = ","

    def say(self, key: str, **values: Any) -> str:
        """The phrase ``key`` with ``values`` in it (see the module docstring)."""
        return self.phrases.say(key, **values)

    def knows(self, key: str) -> bool:
        """Whether ``key`` is a phrase of the board ("part_coverage": a score part's name)."""
        return key in self.phrases.phrases

    def singular(self, count: int) -> bool:
        """Whether ``count`` takes the singular: 1 in English and German, 0 and 1 in French."""
        return count in self.phrases.singular_counts

    def number(self, count: int) -> str:
        """A count with its thousands separated: "1,234", "1 234" (narrow space), "1.234"."""
        return f"{count:,}".replace(",", self.thousands)

    def date(self, day: dt.date) -> str:
        """A day with its year: "12 Nov 2026", "1er déc. 2026", "12. November 2026"."""
        return self.say("date", day=self.digest.day_month(day), year=day.year)

    def weekday(self, day: dt.date) -> str:
        """The name of ``day``'s weekday: "Monday", "lundi", "Montag"."""
        return self.digest.day_names[day.weekday()]


def _words(code: str, table: ModuleType) -> BoardWords:
    digest = LANGUAGES[code]
    plurals: Mapping[str, str] = {**digest.plurals, **table.PLURALS}
    phrases = replace(digest, phrases=table.PHRASES, plurals=plurals)
    return BoardWords(code, digest, phrases, table.THOUSANDS)


BOARD_LANGUAGES: dict[str, BoardWords] = {
    code: _words(code, table)
    for code, table in (("en", words_en), ("fr", words_fr), ("de", words_de))
}
"""The board's words by language code: the codes a digest can be written in."""

ENGLISH = BOARD_LANGUAGES["en"]


def board_language(config: WatchConfig) -> str:
    """The code of the language the board is written in: ``board.language``, else the
    digest's."""
    return config.board.language or config.digest.language


def board_words(config: WatchConfig) -> BoardWords:
    """The board's words for this sources.yaml (``board_language``)."""
    return BOARD_LANGUAGES[board_language(config)]
